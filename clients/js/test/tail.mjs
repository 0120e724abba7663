// Prints every event of TESSERA_TOPICS as one JSON line until TESSERA_COUNT events came (the .NET test restarts the
// service meanwhile, to show a subscription resumes across it without loss or repeats).
import { TesseraClient } from "../dist/index.js";

const client = new TesseraClient(process.env.TESSERA_URL, { wire: process.env.TESSERA_WIRE ?? "jsonrpc" });
let count = 0;
const lastEventId = process.env.TESSERA_LAST_EVENT_ID ? Number(process.env.TESSERA_LAST_EVENT_ID) : undefined;
for await (const event of client.subscribe(process.env.TESSERA_TOPICS, { lastEventId, signal: AbortSignal.timeout(60000) })) {
  console.log(JSON.stringify(event));
  if (++count === Number(process.env.TESSERA_COUNT)) break;
}
client.close();
