// Drives a Tessera service with the jayson JSON-RPC 2.0 client: a call, a batch and a notification.
// Usage: node jayson-client.js http://127.0.0.1:PORT/api  — prints one JSON object with what came back.
'use strict';
const jayson = require('jayson');

const client = jayson.client.http(process.argv[2]);
const request = (method, params, id) => new Promise((resolve, reject) =>
  client.request(method, params, id, (error, response) => (error ? reject(error) : resolve(response))));

async function main() {
  const call = await request('math.add', [40, 2], 'call-1');
  const batch = await new Promise((resolve, reject) => client.request([
    client.request('math.add', { a: 1, b: 2 }, 0),
    client.request('math.divide', [1, 0], 'zero'),
    client.request('greeting.hello', { name: 'jayson' }, null),
    client.request('no.such', [], 7),
  ], (error, responses) => (error ? reject(error) : resolve(responses))));
  // A notification: jayson sends no id when the id argument is null, and expects no answer.
  const notification = await new Promise((resolve, reject) =>
    client.request('greeting.hello', ['quiet'], null, (error, response) => (error ? reject(error) : resolve(response === undefined ? 'no response' : response))));
  console.log(JSON.stringify({ call, batch, notification }));
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
