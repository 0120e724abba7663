// Calls the service over JSON-RPC (/api) and follows chat.message over Server-Sent Events (/events).
const $ = (id) => document.getElementById(id);
let nextId = 1;

async function call(method, params) {
  const response = await fetch("api", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
  const answer = await response.json();
  if (answer.error) throw new Error(answer.error.message);
  return answer.result;
}

function show(message) {
  const item = document.createElement("li");
  const who = document.createElement("b");
  who.textContent = message.user_id;
  item.append(who, document.createTextNode(message.message));
  $("messages").append(item);
}

function follow() {
  const events = new EventSource("events?topics=chat.message");
  events.addEventListener("chat.message", (event) => show(JSON.parse(event.data)));
}

$("signin").addEventListener("submit", async (event) => {
  event.preventDefault();
  const method = event.submitter?.value === "create" ? "account.create" : "account.login";
  try {
    await call(method, { user_id: $("user").value, password: $("password").value });
    $("status").textContent = `Signed in as ${$("user").value}.`;
    $("signin").hidden = true;
    $("post").hidden = false;
    follow();
  } catch (error) {
    $("status").textContent = error.message;
  }
});

$("post").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await call("chat.post_message", { message: $("message").value });
    $("message").value = "";
  } catch (error) {
    $("status").textContent = error.message;
  }
});
