// The Chat sample's page: signs in over the Toto envelope, posts with chat.post_message,
// and shows messages live from Server-Sent Events. No framework, no CDN.
'use strict';

let sessionId = null;
let events = null;

const $ = (id) => document.getElementById(id);

async function call(method, parameters) {
  const headers = { 'Content-Type': 'application/json' };
  if (sessionId) headers['x-toto-session-id'] = sessionId;
  const response = await fetch('/', { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify({ method, parameters }) });
  const text = await response.text();
  const answer = text ? JSON.parse(text) : {};
  if (answer.error) throw new Error(`${answer.error.code}: ${JSON.stringify(answer.error.value)}`);
  return answer.result;
}

function show(userId, message) {
  const item = document.createElement('li');
  const who = document.createElement('span');
  who.className = 'user';
  who.textContent = userId;           // textContent, never innerHTML: messages cannot inject markup
  item.append(who, document.createTextNode(message));
  item.dataset.text = `${userId}: ${message}`;
  $('messages').append(item);
}

function follow() {
  if (events) events.close();
  events = new EventSource('/events?topics=chat.message');   // the session cookie identifies us
  events.addEventListener('chat.message', (event) => {
    const data = JSON.parse(event.data);
    show(data.user_id, data.message);
  });
  events.onopen = () => { $('status').textContent = `Signed in as ${$('user').value.toLowerCase()}; following the chat.`; };
}

async function signIn(method) {
  try {
    const result = await call(method, { user_id: $('user').value, password: $('password').value });
    sessionId = result.session_id;
    $('post').hidden = false;
    follow();
  } catch (error) {
    $('status').textContent = `Could not sign in (${error.message}).`;
  }
}

$('signin').addEventListener('submit', (event) => { event.preventDefault(); signIn('account.login'); });
$('create').addEventListener('click', () => signIn('account.create'));
$('post').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await call('chat.post_message', { message: $('message').value });
    $('message').value = '';
  } catch (error) {
    $('status').textContent = `Not sent (${error.message}).`;
  }
});
