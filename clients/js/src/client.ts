import { TesseraError, TesseraTransportError } from "./errors.js";
import { readEventStream, type TesseraEvent } from "./events.js";
import { answerMatches, expectsSignedAnswer, signRequest, type SigningMode } from "./signing.js";
import { SocketChannel, type WebSocketConstructor } from "./socket.js";
import { jsonRpcRequest, readJsonRpc, readToto, type Params } from "./wire.js";

export interface TesseraClientOptions {
  /** `jsonrpc` (POST /api, the default), `toto` (the envelope on POST /) or `websocket` (one socket on /ws). */
  wire?: "jsonrpc" | "toto" | "websocket";
  /** The service's `hmac` mode; answers of signed sessions are verified (error 1009 when they do not match). */
  signing?: SigningMode;
  /** Milliseconds a call may take, retries included (default 100 000). */
  timeout?: number;
  /** Sent as `X-Api-Token` with every call, for methods marked `[ApiToken]`. */
  apiToken?: string;
  /** Use the service's HttpOnly session cookie (a page on the same site) instead of the session header. */
  cookies?: boolean;
  /** A session to start with (`x-toto-session-id`). */
  sessionId?: string;
  /** Tries after a failure that is safe to retry: nothing was sent, or error 1013 (storage unavailable). Default 3. */
  maxRetries?: number;
  /** Another fetch (tests, proxies). */
  fetch?: typeof fetch;
  /** Another WebSocket constructor (the `ws` package on Node 20 without --experimental-websocket). */
  WebSocket?: WebSocketConstructor;
  /** Use the browser's EventSource for SSE where there is one (default true); otherwise a built-in reader over fetch. */
  eventSource?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Milliseconds this call may take. */
  timeout?: number;
}

export interface BatchCall {
  method: string;
  params?: Params;
  /** Send as a notification: it runs, and nothing is answered for it. */
  notify?: boolean;
}

export type BatchResult<T = unknown> = { ok: true; value: T } | { ok: false; error: TesseraError | TesseraTransportError };

export interface SubscribeOptions {
  /** Start after this event id: the service's log replays what followed it. */
  lastEventId?: number;
  /** Ends the subscription. */
  signal?: AbortSignal;
}

interface Session {
  id: string;
  userId?: string | undefined;
  key?: string | undefined;
}

const STORE_UNAVAILABLE = 1013;

/**
 * Calls a Tessera service by method name: `await client.call("math.add", { a: 40, b: 2 })`. Method errors reject with
 * TesseraError (code, value, transactionId); calls that got no answer with TesseraTransportError.
 */
export class TesseraClient {
  readonly baseUrl: string;
  readonly accounts: Accounts;
  private readonly options: Required<Pick<TesseraClientOptions, "wire" | "signing" | "timeout" | "maxRetries">> & TesseraClientOptions;
  private readonly fetcher: typeof fetch;
  private session: Session | undefined;
  private nextId = 0;
  private channel: SocketChannel | undefined;

  constructor(baseUrl: string | URL, options: TesseraClientOptions = {}) {
    this.baseUrl = String(baseUrl).replace(/\/?$/, "/");
    this.options = { wire: "jsonrpc", signing: "none", timeout: 100_000, maxRetries: 3, ...options };
    this.fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.session = options.sessionId ? { id: options.sessionId } : undefined;
    this.accounts = new Accounts(this);
  }

  /** The session sent with every call, or undefined; signing in sets it. */
  get sessionId(): string | undefined {
    return this.session?.id;
  }

  set sessionId(id: string | undefined) {
    this.session = id ? { id } : undefined;
  }

  /** The signed-in user, when a sign-in through this client started the session. */
  get userId(): string | undefined {
    return this.session?.userId;
  }

  /** Calls `method` with parameters by name (an object) or by position (an array), and answers its result. */
  async call<T = unknown>(method: string, params?: Params, options: CallOptions = {}): Promise<T> {
    return (await this.withRetries(options, (signal) => this.send(method, params, signal))) as T;
  }

  /** Sends `method` as a notification: it runs and nothing is answered (on the Toto envelope the answer is dropped). */
  async notify(method: string, params?: Params, options: CallOptions = {}): Promise<void> {
    await this.withRetries(options, async (signal) => {
      if (this.options.wire === "websocket") return this.socket().notify(method, params);
      if (this.options.wire === "toto") return void (await this.post("", { method, parameters: params ?? {} }, signal));
      await this.post("api", jsonRpcRequest(method, params, undefined), signal);
    });
  }

  /** Sends the calls in one request; each entry answers its own result or error, in the order given. */
  async batch<T extends unknown[] = unknown[]>(calls: BatchCall[], options: CallOptions = {}): Promise<{ [K in keyof T]: BatchResult<T[K]> }> {
    const results = await this.withTimeout(options, async (signal): Promise<BatchResult[]> => {
      if (this.options.wire === "toto") {
        const key = (i: number) => i.toString().padStart(6, "0");
        const batch = Object.fromEntries(calls.map((c, i) => [key(i), { method: c.method, parameters: c.params ?? {} }]));
        const answer = (await this.post("", { batch }, signal)) as { batch?: Record<string, unknown> } | undefined;
        if (!answer?.batch) readToto(answer);
        return calls.map((_, i) => settle(() => readToto(answer!.batch![key(i)])));
      }
      const requests = calls.map((c) => jsonRpcRequest(c.method, c.params, c.notify ? undefined : ++this.nextId));
      const answers = this.options.wire === "websocket"
        ? await this.socket().batch(requests.map((r) => (r.id === undefined ? r : { ...r, id: this.socket().allocateId() })))
        : ((await this.post("api", requests, signal)) as unknown[] | undefined) ?? [];
      const list = Array.isArray(answers) ? answers : [answers];
      let next = 0;
      return calls.map((call) => {
        if (call.notify) return { ok: true, value: undefined };
        const answer = list[next++];
        return settle(() => readJsonRpc(answer));
      });
    });
    return results as { [K in keyof T]: BatchResult<T[K]> };
  }

  /** Events of some topics (`"chat.*,news"` or an array): over the WebSocket on that wire, else Server-Sent Events. */
  async *subscribe<T = unknown>(topics: string | string[], options: SubscribeOptions = {}): AsyncGenerator<TesseraEvent<T>> {
    const list = (Array.isArray(topics) ? topics : topics.split(",")).map((t) => t.trim()).filter(Boolean);
    if (list.length === 0) throw new TypeError("Name at least one topic.");
    const source = this.options.wire === "websocket"
      ? this.overSocket(list, options)
      : this.useEventSource(list) ? this.overEventSource(list, options) : this.overFetch(list, options);
    for await (const event of source) yield event as TesseraEvent<T>;
  }

  /** Closes the WebSocket, if one was opened. */
  close(): void {
    this.channel?.close();
  }

  /** @internal */
  setSession(session: Session | undefined): void {
    this.session = session;
  }

  private async send(method: string, params: Params | undefined, signal: AbortSignal): Promise<unknown> {
    switch (this.options.wire) {
      case "websocket":
        return readJsonRpc(await this.socket().call(method, params, signal));
      case "toto":
        return readToto(await this.post("", { method, parameters: params ?? {} }, signal));
      default: {
        const answer = await this.post("api", jsonRpcRequest(method, params, ++this.nextId), signal);
        if (answer === undefined) throw new TesseraTransportError("The service answered a call with an empty body.", true);
        return readJsonRpc(answer);
      }
    }
  }

  /** POSTs JSON to a path under the base URL: identity and signature out, status and answer signature back. */
  private async post(path: string, body: unknown, signal: AbortSignal): Promise<unknown> {
    const url = new URL(path, this.baseUrl);
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const session = this.session;
    const headers: Record<string, string> = { "Content-Type": "application/json", ...this.identity(session) };
    const signed = await signRequest(this.options.signing, this.options.cookies ? undefined : session, "POST", url, "application/json", bytes);
    Object.assign(headers, signed.headers);
    let response: Response;
    try {
      response = await this.fetcher(url, {
        method: "POST", headers, body: bytes, signal, credentials: this.options.cookies ? "include" : "same-origin",
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new TesseraTransportError(`${url}: ${(error as Error).message}`, !notSent(error), undefined, { cause: error });
    }
    const answer = new Uint8Array(await response.arrayBuffer());
    const isJson = (response.headers.get("content-type") ?? "").startsWith("application/json");
    if (!response.ok && !(isJson && answer.length > 0)) {
      throw new TesseraTransportError(`${url} answered HTTP ${response.status} without a Tessera answer.`, true, response.status);
    }
    if (response.ok && !this.options.cookies && expectsSignedAnswer(this.options.signing, session, signed.nonce)
      && !(await answerMatches(this.options.signing, response.headers.get("x-toto-hmac"), session!, signed.nonce, answer))) {
      throw new TesseraError(1009, "The answer's signature is missing or wrong (x-toto-hmac).");
    }
    if (answer.length === 0) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(answer));
    } catch (error) {
      throw new TesseraTransportError(`The answer is not JSON: ${(error as Error).message}`, true, response.status, { cause: error });
    }
  }

  private identity(session: Session | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    if (session && !this.options.cookies) headers["x-toto-session-id"] = session.id;
    if (this.options.apiToken) headers["X-Api-Token"] = this.options.apiToken;
    return headers;
  }

  private async withRetries<R>(options: CallOptions, work: (signal: AbortSignal) => Promise<R>): Promise<R> {
    return this.withTimeout(options, async (signal) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await work(signal);
        } catch (error) {
          const safe = (error instanceof TesseraTransportError && !error.requestSent)
            || (error instanceof TesseraError && error.code === STORE_UNAVAILABLE);
          if (!safe || attempt >= this.options.maxRetries || signal.aborted) throw error;
          await delay(200 * 2 ** attempt * (0.5 + Math.random()), signal);
        }
      }
    });
  }

  private async withTimeout<R>(options: CallOptions, work: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const timeout = options.timeout ?? this.options.timeout;
    const signals = [AbortSignal.timeout(timeout), ...(options.signal ? [options.signal] : [])];
    const signal = AbortSignal.any(signals);
    try {
      return await work(signal);
    } catch (error) {
      if (signal.aborted && !options.signal?.aborted && (error as Error)?.name === "TimeoutError") {
        throw new TesseraTransportError(`No answer within ${timeout} ms.`, true, undefined, { cause: error });
      }
      throw error;
    }
  }

  private socket(): SocketChannel {
    return this.channel ??= new SocketChannel(() => new URL("ws", this.baseUrl).toString(), () => this.session?.id, this.options.WebSocket);
  }

  /**
   * EventSource delivers an event to listeners of its exact type (the topic), so it serves exact topics only; patterns
   * (`chat.*`) and Node read the stream through fetch, which browsers support as well.
   */
  private useEventSource(topics: string[]): boolean {
    return this.options.eventSource !== false && typeof (globalThis as { EventSource?: unknown }).EventSource === "function"
      && topics.every((topic) => !topic.includes("*"));
  }

  private eventsUrl(topics: string[], lastId: number | undefined, inQuery: boolean): URL {
    const url = new URL("events", this.baseUrl);
    url.searchParams.set("topics", topics.join(","));
    if (inQuery && lastId !== undefined) url.searchParams.set("last_event_id", String(lastId));
    if (inQuery && this.session && !this.options.cookies) url.searchParams.set("session_id", this.session.id);
    return url;
  }

  /** SSE through fetch: reopened with Last-Event-ID after a drop (backing off to 5 s), repeats skipped by id. */
  private async *overFetch(topics: string[], options: SubscribeOptions): AsyncGenerator<TesseraEvent> {
    let last = options.lastEventId;
    let wait = 100;
    while (!options.signal?.aborted) {
      try {
        const headers: Record<string, string> = { Accept: "text/event-stream", ...this.identity(this.session) };
        if (last !== undefined) headers["Last-Event-ID"] = String(last);
        const response = await this.fetcher(this.eventsUrl(topics, undefined, false), {
          headers, signal: options.signal, credentials: this.options.cookies ? "include" : "same-origin",
        });
        if (!response.ok) {
          const text = await response.text();
          if (response.status < 500) {
            if ((response.headers.get("content-type") ?? "").startsWith("application/json")) readToto(JSON.parse(text));
            // Refused with a reason in plain text: the error a subscription over the WebSocket gets, on either wire.
            const reason = text.trim();
            if (reason && response.status === 400) {
              throw new TesseraError(this.options.wire === "toto" ? 1003 : -32602, `Invalid parameters: ${reason}`, reason);
            }
            if (reason && (response.status === 401 || response.status === 403)) throw new TesseraError(1004, reason, reason);
            throw new TesseraTransportError(`/events answered HTTP ${response.status}: ${text}`, true, response.status);
          }
        } else if (response.body) {
          for await (const event of readEventStream(response.body, options.signal)) {
            if (last === undefined || event.id > last) {
              last = event.id;
              wait = 100;
              yield event;
            }
          }
        }
      } catch (error) {
        if (options.signal?.aborted) return;
        if (error instanceof TesseraError || (error instanceof TesseraTransportError && (error.status ?? 500) < 500)) throw error;
      }
      await delay(wait, options.signal).catch(() => undefined);
      wait = Math.min(wait * 2, 5000);
    }
  }

  /** SSE through the browser's EventSource (exact topics), which reconnects by itself and sends Last-Event-ID. */
  private async *overEventSource(topics: string[], options: SubscribeOptions): AsyncGenerator<TesseraEvent> {
    const source = new EventSource(this.eventsUrl(topics, options.lastEventId, true), { withCredentials: !!this.options.cookies });
    const queue: TesseraEvent[] = [];
    let wake: (() => void) | undefined;
    let last = options.lastEventId;
    const onMessage = (message: MessageEvent<string>) => {
      const id = Number(message.lastEventId);
      if (last === undefined || id > last) {
        last = id;
        queue.push({ id, topic: message.type, data: JSON.parse(message.data) });
        wake?.();
      }
    };
    // Events carry their topic as the SSE event type; with exact topics, one listener each hears them all.
    topics.forEach((topic) => source.addEventListener(topic, onMessage as EventListener));
    options.signal?.addEventListener("abort", () => { source.close(); wake?.(); }, { once: true });
    try {
      while (!options.signal?.aborted) {
        if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        while (queue.length > 0) yield queue.shift()!;
      }
    } finally {
      source.close();
    }
  }

  private async *overSocket(topics: string[], options: SubscribeOptions): AsyncGenerator<TesseraEvent> {
    const queue: (TesseraEvent | "dropped")[] = [];
    let wake: (() => void) | undefined;
    let last = options.lastEventId;
    const socket = this.socket();
    const push = (item: TesseraEvent | "dropped") => {
      queue.push(item);
      wake?.();
    };
    // A service that cannot be reached yet (starting, restarting) is waited for, as after a drop; a refusal is thrown.
    const subscription = await whenReachable(() => socket.subscribe(topics, options.lastEventId, push), options.signal);
    if (subscription === undefined) return;
    options.signal?.addEventListener("abort", () => wake?.(), { once: true });
    try {
      while (!options.signal?.aborted) {
        if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        while (queue.length > 0) {
          const item = queue.shift()!;
          if (item === "dropped") {
            await this.reopen(socket, options.signal);
          } else if (last === undefined || item.id > last) {
            last = item.id;
            subscription.seen(item.id);
            yield item;
          }
        }
      }
    } finally {
      subscription.unsubscribe();
    }
  }

  private async reopen(socket: SocketChannel, signal?: AbortSignal): Promise<void> {
    await whenReachable(() => socket.open(), signal);
  }
}

/** Creating accounts, signing in and out (the `account.*` methods); the session is kept for later calls. */
export class Accounts {
  constructor(private readonly client: TesseraClient) {}

  create(userId: string, password: string, fields: Record<string, unknown> = {}): Promise<SessionInfo> {
    return this.signIn("account.create", { ...fields, user_id: userId, password });
  }

  login(userId: string, password: string, totp?: string): Promise<SessionInfo> {
    return this.signIn("account.login", totp === undefined ? { user_id: userId, password } : { user_id: userId, password, totp });
  }

  async logout(): Promise<void> {
    try {
      await this.client.call("account.logout");
    } finally {
      this.client.setSession(undefined);
    }
  }

  private async signIn(method: string, params: Record<string, unknown>): Promise<SessionInfo> {
    const result = await this.client.call<{ session_id: string; user_id?: string; expires?: number; key?: string }>(method, params);
    if (!result || typeof result.session_id !== "string") {
      throw new TesseraTransportError(`'${method}' answered without a session: ${JSON.stringify(result)}`, true);
    }
    this.client.setSession({ id: result.session_id, userId: result.user_id, key: result.key });
    return { sessionId: result.session_id, userId: result.user_id, expires: result.expires };
  }
}

/** The session a sign-in started. */
export interface SessionInfo {
  sessionId: string;
  userId: string | undefined;
  /** Unix seconds. */
  expires: number | undefined;
}

function settle(read: () => unknown): BatchResult {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    if (error instanceof TesseraError || error instanceof TesseraTransportError) return { ok: false, error };
    throw error;
  }
}

/** A refused connection or unknown host means nothing was sent; anything else may have reached the service. */
function notSent(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code === "ECONNREFUSED" || cause?.code === "ENOTFOUND" || cause?.code === "EAI_AGAIN" || cause?.message === "bad port";
}

/**
 * Tries `work` until the service answers it, waiting longer each time (up to 5 s): what cannot reach the service
 * (a `TesseraTransportError`) is tried again, anything else is thrown. Undefined once `signal` aborts.
 */
async function whenReachable<R>(work: () => Promise<R>, signal?: AbortSignal): Promise<R | undefined> {
  for (let wait = 100; !signal?.aborted; wait = Math.min(wait * 2, 5000)) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof TesseraTransportError)) throw error;
      await delay(wait, signal).catch(() => undefined);
    }
  }
  return undefined;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}
