/** The service answered a call with an error: the method's own code (e.g. 4000) or one of Tessera's (docs/errors.md). */
export class TesseraError extends Error {
  /** The error code: JSON-RPC's (-32601 ...), Tessera's (1001 ...) or the method's own. */
  readonly code: number;
  /** The error's value as sent: Toto's `value`, or JSON-RPC's `data` (else its message). */
  readonly value: unknown;
  /** The transaction id of an unexpected server error, naming the server's log line. */
  readonly transactionId: string | undefined;

  constructor(code: number, message: string, value?: unknown) {
    super(message);
    this.name = "TesseraError";
    this.code = code;
    this.value = value;
    const match = /[Tt]ransaction ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(
      `${message} ${typeof value === "string" ? value : ""}`,
    );
    this.transactionId = match?.[1];
  }
}

/**
 * A call got no usable answer: the connection failed, it timed out or was aborted, or the body was not an answer.
 * `requestSent` is false when the service cannot have run the call.
 */
export class TesseraTransportError extends Error {
  readonly requestSent: boolean;
  readonly status: number | undefined;

  constructor(message: string, requestSent: boolean, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TesseraTransportError";
    this.requestSent = requestSent;
    this.status = status;
  }
}
