import { TesseraError, TesseraTransportError } from "./errors.js";

/** Parameters by name (an object) or by position (an array). */
export type Params = Record<string, unknown> | unknown[];

export interface JsonRpcAnswer {
  jsonrpc?: string;
  id?: number | string | null;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export function jsonRpcRequest(method: string, params: Params | undefined, id: number | undefined): Record<string, unknown> {
  const request: Record<string, unknown> = { jsonrpc: "2.0", method, params: params ?? {} };
  if (id !== undefined) request.id = id;
  return request;
}

/** A JSON-RPC answer object: its result, or its error thrown as TesseraError. */
export function readJsonRpc(answer: unknown): unknown {
  if (!answer || typeof answer !== "object") {
    throw new TesseraTransportError(`Not a JSON-RPC answer: ${JSON.stringify(answer)}`, true);
  }
  const { error, result } = answer as JsonRpcAnswer;
  if (error && typeof error === "object") {
    // Protocol errors carry JSON-RPC's fixed message ("Invalid params") and the reason in data: the reason is what a
    // caller needs to read, and what the Toto and XML-RPC wires give as the message.
    const data = "data" in error ? error.data : undefined;
    const message = typeof data === "string" && data.length > 0 ? data : error.message ?? `Error ${error.code}`;
    throw new TesseraError(error.code, message, "data" in error ? error.data : error.message);
  }
  if (!("result" in (answer as object))) {
    throw new TesseraTransportError(`A JSON-RPC answer without result or error: ${JSON.stringify(answer)}`, true);
  }
  return result;
}

/** A Toto answer (`{"result"}` or `{"error": {"code", "value"}}`): its result, or its error thrown. */
export function readToto(answer: unknown): unknown {
  const envelope = answer as { result?: unknown; error?: { code: number; value?: unknown } } | null;
  if (envelope && typeof envelope.error === "object" && envelope.error) {
    const { code, value } = envelope.error;
    throw new TesseraError(code, typeof value === "string" ? value : `Error ${code}: ${JSON.stringify(value)}`, value);
  }
  if (!envelope || !("result" in envelope)) {
    throw new TesseraTransportError(`A Toto answer without result or error: ${JSON.stringify(answer)}`, true);
  }
  return envelope.result;
}
