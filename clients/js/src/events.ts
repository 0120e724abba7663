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
 * starting with `:` are comments. Works wherever fetch streams (Node 20, browsers).
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<TesseraEvent> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  const abort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", abort, { once: true });
  let buffer = "";
  let id: string | undefined;
  let event: string | undefined;
  let data: string[] = [];
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
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
    reader.releaseLock();
  }
}
