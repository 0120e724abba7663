export { TesseraClient, Accounts } from "./client.js";
export type { TesseraClientOptions, CallOptions, BatchCall, BatchResult, SubscribeOptions, SessionInfo } from "./client.js";
export { TesseraError, TesseraTransportError } from "./errors.js";
export type { TesseraEvent } from "./events.js";
export type { SigningMode } from "./signing.js";
export type { Params } from "./wire.js";
export type { WebSocketConstructor } from "./socket.js";
