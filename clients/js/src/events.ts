/** One event a service published. */
export interface TesseraEvent<T = unknown> {
  /** Its id in the service's event log; resuming after it gives the events that follow. */
  id: number;
  /** The topic it was published on (a user's own topics read `user.me.*`). */
  topic: string;
  /** Its payload. */
  data: T;
}

/**
 * Reads `text/event-stream` from a fetch body: `id:`, `event:` and `data:` lines, a blank line ends an event, lines
 * starting with `:` are comments. Works wherever fetch streams (Node 20, browsers). A reader that stops before the stream
 * ends (a `break` out of `for await`, an error thrown by the consumer) cancels it, which closes the HTTP response: the
 * connection is not left open, holding a subscriber on the service and keeping Node's event loop alive.
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<TesseraEvent> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  const abort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", abort, { once: true });
  let buffer = "";
  let id: string | undefined;
  let event: string | undefined;
  let data: string[] = [];
  let ended = false;
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        return;
      }
      buffer += value;
      let newline: number;
      while ((newline = buffer.search(/\r?\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer[newline] === "\r" ? 2 : 1));
        if (line === "") {
          if (data.length > 0 && id !== undefined && /^\d+$/.test(id)) {
            yield { id: Number(id), topic: event ?? "message", data: JSON.parse(data.join("\n")) };
          }
          id = undefined;
          event = undefined;
          data = [];
        } else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") id = text;
          else if (field === "event") event = text;
          else if (field === "data") data.push(text);
        }
      }
    }
  } finally {
    signal?.removeEventListener("abort", abort);
    if (!ended) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
