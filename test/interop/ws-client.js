// Drives a Tessera WebSocket with the ws package: a JSON-RPC call, a subscription, then waits for one pushed event.
// Usage: node ws-client.js ws://HOST:PORT/ws?session_id=... TOPIC_PATTERN
// Prints "subscribed" once listening, then one JSON line with the call's answer, the subscription and the event.
'use strict';
const WebSocket = require('ws');

const [url, pattern] = process.argv.slice(2);
const socket = new WebSocket(url);
const answers = {};
socket.on('message', (raw) => {
  const message = JSON.parse(raw.toString());
  if (message.method === 'event') {
    console.log(JSON.stringify({ call: answers[1], subscribe: answers[2], event: message.params }));
    socket.close(1000, 'done');
    return;
  }
  answers[message.id] = message;
  if (message.id === 2) console.log('subscribed');
});
socket.on('open', () => {
  socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'get_service_specs', id: 1 }));
  socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'events.subscribe', params: { topics: [pattern] }, id: 2 }));
});
socket.on('close', (code, reason) => { if (!answers.done) console.error(`closed ${code} ${reason}`); });
socket.on('error', (error) => { console.error(error.stack || String(error)); process.exit(1); });
setTimeout(() => { console.error('timed out'); process.exit(2); }, 20000);
