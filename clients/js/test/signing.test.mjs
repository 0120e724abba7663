// Each signing mode against a service started with that hmac mode (TESSERA_SIGNING) by the .NET test JsClientTests.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TesseraClient, TesseraError } from "../dist/index.js";

const url = process.env.TESSERA_URL;
const signing = process.env.TESSERA_SIGNING;
const password = "CorrectHorse!Battery7";

test(`${signing}: signed requests are accepted and answers verified`, async () => {
  const client = new TesseraClient(url, { signing });
  await client.accounts.create(`signer${Date.now() % 100000}`, password);
  assert.equal((await client.call("counter.increment")).count, 1);
  assert.equal((await client.call("counter.increment")).count, 2);

  // The same session with a wrong signature is refused: the signatures above were checked.
  const forger = new TesseraClient(url, {
    sessionId: client.sessionId,
    maxRetries: 0,
    fetch: (input, init) => fetch(input, {
      ...init,
      headers: { ...init.headers, "x-toto-hmac": btoa("x".repeat(20)), "x-tessera-timestamp": String(Math.floor(Date.now() / 1000)), "x-tessera-nonce": crypto.randomUUID() },
    }),
  });
  const refused = await forger.call("counter.increment").catch((e) => e);
  assert.equal(refused.code, 1008);
});

test(`${signing}: a tampered answer is error 1009`, async () => {
  let tamper = false;
  const client = new TesseraClient(url, {
    signing,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!tamper) return response;
      const text = (await response.text()).replace('"count":1', '"count":9');
      return new Response(text, { status: response.status, headers: response.headers });
    },
  });
  await client.accounts.create(`tampered${Date.now() % 100000}`, password);
  tamper = true;
  const error = await client.call("counter.increment").catch((e) => e);
  assert.ok(error instanceof TesseraError);
  assert.equal(error.code, 1009);
});
