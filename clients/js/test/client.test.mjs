// Node's test runner against a real Tessera service (HelloService's methods plus the client probe), started by the
// .NET test JsClientTests, which passes its address in TESSERA_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TesseraClient, TesseraError, TesseraTransportError } from "../dist/index.js";

const url = process.env.TESSERA_URL;
const password = "CorrectHorse!Battery7";
const wires = ["jsonrpc", "toto", "websocket"];
let users = 0;
const user = (name) => `${name}${++users}${Date.now() % 100000}`;

for (const wire of wires) {
  test(`${wire}: calls by name, by position, and errors`, async () => {
    const client = new TesseraClient(url, { wire });
    try {
      assert.equal(await client.call("math.add", { a: 40, b: 2 }), 42);
      assert.equal(await client.call("greeting.hello", { name: "ada" }), "hello ada");
      if (wire !== "toto") assert.equal(await client.call("math.add", [2, 3]), 5);
      const error = await client.call("math.divide", { a: 1, b: 0 }).catch((e) => e);
      assert.ok(error instanceof TesseraError);
      assert.equal(error.code, 4000);
      assert.equal(error.message, "division by zero");
      assert.equal(error.value, "division by zero");
      const unknown = await client.call("no.such", {}).catch((e) => e);
      assert.equal(unknown.code, wire === "toto" ? 1001 : -32601);
    } finally {
      client.close();
    }
  });

  test(`${wire}: a batch is one request and each entry has its own outcome`, async () => {
    let requests = 0;
    const counting = (input, init) => { requests++; return fetch(input, init); };
    const client = new TesseraClient(url, { wire, fetch: counting });
    try {
      const [sum, oops, , hello] = await client.batch([
        { method: "math.add", params: { a: 1, b: 2 } },
        { method: "math.divide", params: { a: 1, b: 0 } },
        { method: "greeting.hello", params: { name: "nobody" }, notify: true },
        { method: "greeting.hello", params: { name: "batch" } },
      ]);
      assert.deepEqual(sum, { ok: true, value: 3 });
      assert.equal(oops.ok, false);
      assert.equal(oops.error.code, 4000);
      assert.deepEqual(hello, { ok: true, value: "hello batch" });
      assert.equal(requests, wire === "websocket" ? 0 : 1);
    } finally {
      client.close();
    }
  });

  test(`${wire}: accounts keep and forget the session`, async () => {
    const client = new TesseraClient(url, { wire });
    try {
      const name = user("ada");
      const created = await client.accounts.create(name, password);
      assert.equal(created.userId, name);
      assert.equal(created.sessionId.length, 22);
      assert.equal((await client.call("counter.increment")).count, 1);
      await client.notify("counter.increment");
      assert.equal((await client.call("counter.increment")).count, 3);
      await client.accounts.logout();
      assert.equal(client.sessionId, undefined);
      const refused = await client.call("counter.increment").catch((e) => e);
      assert.equal(refused.code, 1004);
      const again = new TesseraClient(url, { wire });
      await again.accounts.login(name, password);
      assert.equal((await again.call("counter.increment")).count, 1);
      again.close();
      const stranger = new TesseraClient(url, { wire });
      const wrong = await stranger.accounts.login(name, "not it").catch((e) => e);
      stranger.close();
      assert.equal(wrong.code, 1005);
    } finally {
      client.close();
    }
  });
}

test("a per-call timeout is a transport error; an abort signal aborts", async () => {
  const client = new TesseraClient(url);
  const slow = await client.call("client_probe.slow", { milliseconds: 5000 }, { timeout: 200 }).catch((e) => e);
  assert.ok(slow instanceof TesseraTransportError);
  assert.equal(slow.requestSent, true);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const aborted = await client.call("client_probe.slow", { milliseconds: 5000 }, { signal: controller.signal }).catch((e) => e);
  assert.equal(aborted.name, "AbortError");
  assert.equal(await client.call("client_probe.slow", { milliseconds: 1 }), "done");
});

test("storage unavailable (1013) is retried; a method's own error is not", async () => {
  const client = new TesseraClient(url, { maxRetries: 3 });
  assert.equal(await client.call("client_probe.flaky"), 3);
  const failing = await client.call("client_probe.failing").catch((e) => e);
  assert.equal(failing.code, 4100);
  assert.match(failing.message, /failed 1 time/);
});

test("a refused connection is retried and reported as not sent", async () => {
  let attempts = 0;
  // TESSERA_CLOSED_URL: a port the test found free, so nothing listens there.
  const client = new TesseraClient(process.env.TESSERA_CLOSED_URL, { maxRetries: 2, fetch: (input, init) => { attempts++; return fetch(input, init); } });
  const error = await client.call("math.add", { a: 1, b: 2 }).catch((e) => e);
  assert.ok(error instanceof TesseraTransportError);
  assert.equal(error.requestSent, false);
  assert.equal(attempts, 3);
});

for (const wire of ["jsonrpc", "websocket"]) {
  test(`${wire}: events arrive in order, and a subscription resumes after the last id it saw`, async () => {
    const publisher = new TesseraClient(url);
    await publisher.accounts.create(user("herald"), password);
    const listener = new TesseraClient(url, { wire });
    const controller = new AbortController();
    const seen = [];
    const reading = (async () => {
      for await (const event of listener.subscribe("announcements", { signal: controller.signal })) {
        seen.push(event);
        if (seen.some((e) => e.data.text === "three")) return;
      }
    })();
    // Live once it has seen something: publish until then.
    while (seen.length === 0) {
      await publisher.call("announcement.post", { text: "ready" });
      await new Promise((r) => setTimeout(r, 100));
    }
    await publisher.call("announcement.post", { text: "two" });
    await publisher.call("announcement.post", { text: "three" });
    await reading;
    const texts = seen.map((e) => e.data.text);
    assert.deepEqual(texts.slice(-2), ["two", "three"]);
    assert.ok(seen.every((e, i) => i === 0 || e.id > seen[i - 1].id));
    assert.ok(seen.every((e) => e.topic === "announcements"));

    // Resuming after the "two" event replays "three" from the log, and nothing before it.
    const after = seen.find((e) => e.data.text === "two").id;
    const resumed = [];
    const resumer = new TesseraClient(url, { wire });
    for await (const event of resumer.subscribe("announcements", { lastEventId: after, signal: AbortSignal.timeout(10000) })) {
      resumed.push(event.data.text);
      break;
    }
    resumer.close();
    controller.abort();
    listener.close();
    publisher.close();
    assert.deepEqual(resumed, ["three"]);
  });
}

test("jsonrpc: leaving a subscription early closes its event stream", async () => {
  const publisher = new TesseraClient(url);
  await publisher.accounts.create(user("crier"), password);
  // The stream's body as the client reads it, wrapped to see whether the client cancels it.
  let cancelled = false;
  const watching = async (input, init) => {
    const response = await fetch(input, init);
    if (!String(input).includes("/events") || !response.body) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream({
      pull: async (controller) => {
        const { value, done } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: async (reason) => {
        cancelled = true;
        await reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const listener = new TesseraClient(url, { fetch: watching });
  const reading = first(listener.subscribe("announcements", { signal: AbortSignal.timeout(10000) }));
  let event;
  reading.then((e) => (event = e), () => undefined);
  while (event === undefined) {
    await publisher.call("announcement.post", { text: "once" });
    await new Promise((r) => setTimeout(r, 100));
  }
  await reading;
  assert.equal(event.topic, "announcements");
  assert.equal(cancelled, true, "the event stream was left open after the loop ended");
  listener.close();
  publisher.close();
});

for (const wire of wires) {
  test(`${wire}: a refused call or subscription says why, with the same codes on every wire`, async () => {
    const client = new TesseraClient(url, { wire });
    try {
      // JSON-RPC puts "Invalid params" in message and the reason in data: the error's message is the reason.
      const invalid = await client.call("math.add", { a: "x", b: 2 }).catch((e) => e);
      assert.ok(invalid instanceof TesseraError);
      assert.equal(invalid.code, wire === "toto" ? 1003 : -32602);
      assert.match(invalid.message, /'a' must be an integer/);

      const notAPattern = await first(client.subscribe("announcement*", { signal: AbortSignal.timeout(10000) })).catch((e) => e);
      assert.ok(notAPattern instanceof TesseraError, String(notAPattern));
      assert.equal(notAPattern.code, wire === "toto" ? 1003 : -32602);
      assert.match(notAPattern.message, /'announcement\*' is not a topic pattern/);

      const privateTopic = await first(client.subscribe("user.me.*", { signal: AbortSignal.timeout(10000) })).catch((e) => e);
      assert.ok(privateTopic instanceof TesseraError, String(privateTopic));
      assert.equal(privateTopic.code, 1004);
    } finally {
      client.close();
    }
  });
}

async function first(events) {
  for await (const event of events) return event;
}

test("websocket: a message over the service's limit fails with the service's reason, and the next call opens anew", async () => {
  const client = new TesseraClient(url, { wire: "websocket" });
  try {
    const refused = await client.call("greeting.hello", { name: "x".repeat(2 * 1024 * 1024) }).catch((e) => e);
    assert.ok(refused instanceof TesseraTransportError);
    assert.match(refused.message, /^The WebSocket closed before the answer arrived \(the service closed it: 1009 messages are limited to 1048576 bytes\)\.$/);
    assert.equal(await client.call("greeting.hello", { name: "ada" }), "hello ada");
  } finally {
    client.close();
  }
});

for (const wire of ["jsonrpc", "toto"]) {
  test(`${wire}: a body over the service's limit gets its refusal, not a broken connection`, async () => {
    // fetch sends the whole body before it reads; the service refuses at its limit and drops the rest unread.
    const client = new TesseraClient(url, { wire });
    for (const megabytes of [2, 20]) {
      const refused = await client.call("greeting.hello", { name: "x".repeat(megabytes * 1024 * 1024) }).catch((e) => e);
      assert.ok(refused instanceof TesseraError, `${megabytes} MB: ${refused}`);
      assert.equal(refused.message, "The request body is larger than the limit of 1048576 bytes (option max_request_body_size).");
    }
    assert.equal(await client.call("greeting.hello", { name: "ada" }), "hello ada");
  });
}
