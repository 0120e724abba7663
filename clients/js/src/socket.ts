import { TesseraTransportError } from "./errors.js";
import { jsonRpcRequest, readJsonRpc, type Params } from "./wire.js";
import type { TesseraEvent } from "./events.js";

/** The WebSocket constructor: the global one (browsers, Node 22+, Node 20 with --experimental-websocket) or `ws`'s. */
export type WebSocketConstructor = new (url: string) => WebSocket;

export interface SocketSubscriptionHandle {
  seen(id: number): void;
  unsubscribe(): void;
}

interface Subscription {
  topics: string[];
  lastId: number | undefined;
  push(event: TesseraEvent | "dropped"): void;
}

/**
 * The one socket a client keeps on `/ws`: JSON-RPC calls matched to answers by id, pushed events handed to the
 * subscriptions whose topics they match. Opened on first use with the session of that moment (the server fixes a
 * socket's caller at the upgrade, so a new session opens a new socket); subscriptions resume with `last_event_id`.
 */
export class SocketChannel {
  private socket: WebSocket | undefined;
  private opening: Promise<WebSocket> | undefined;
  private session: string | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(answer: unknown): void; reject(error: unknown): void }>();
  private readonly subscriptions = new Set<Subscription>();

  constructor(private readonly url: () => string, private readonly currentSession: () => string | undefined,
    private readonly WebSocketClass: WebSocketConstructor | undefined) {}

  async call(method: string, params: Params | undefined, signal?: AbortSignal): Promise<unknown> {
    const id = ++this.nextId;
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const onAbort = () => this.fail(id, signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const socket = await this.open();
      socket.send(JSON.stringify(jsonRpcRequest(method, params, id)));
      return await answer;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      this.pending.delete(id);
    }
  }

  async notify(method: string, params: Params | undefined): Promise<void> {
    (await this.open()).send(JSON.stringify(jsonRpcRequest(method, params, undefined)));
  }

  /** Sends a batch frame and gathers the answers of its entries (those with an id). */
  async batch(requests: Record<string, unknown>[]): Promise<unknown[]> {
    const waits = requests.filter((r) => r.id !== undefined).map((r) =>
      new Promise<unknown>((resolve, reject) => this.pending.set(r.id as number, { resolve, reject })));
    (await this.open()).send(JSON.stringify(requests));
    try {
      return await Promise.all(waits);
    } finally {
      requests.forEach((r) => this.pending.delete(r.id as number));
    }
  }

  allocateId(): number {
    return ++this.nextId;
  }

  /** Subscribes; the handle records the last event the reader took (to resume from after a drop) and ends it. */
  async subscribe(topics: string[], lastId: number | undefined, push: Subscription["push"]): Promise<SocketSubscriptionHandle> {
    const subscription: Subscription = { topics, lastId, push };
    this.subscriptions.add(subscription);
    try {
      readJsonRpc(await this.call("events.subscribe", lastId === undefined ? { topics } : { topics, last_event_id: lastId }));
    } catch (error) {
      this.subscriptions.delete(subscription);
      throw error;
    }
    return {
      seen: (id) => void (subscription.lastId = id),
      unsubscribe: () => void this.subscriptions.delete(subscription),
    };
  }

  close(): void {
    this.socket?.close(1000, "client closed");
    this.socket = undefined;
  }

  async open(): Promise<WebSocket> {
    const session = this.currentSession();
    if (this.socket && this.socket.readyState === 1 && this.session === session) return this.socket;
    if (this.opening && this.session === session) return this.opening;
    const old = this.socket;
    this.socket = undefined;
    old?.close(1000, "session changed");
    this.session = session;
    this.opening = this.connect(session);
    try {
      return await this.opening;
    } finally {
      this.opening = undefined;
    }
  }

  private connect(session: string | undefined): Promise<WebSocket> {
    const Socket = this.WebSocketClass ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Socket) {
      // Not a transport failure: nothing is retried; the program must be given a WebSocket.
      throw new TypeError("No WebSocket here: pass options.WebSocket (e.g. the ws package), or run Node 22+ (or 20 with --experimental-websocket).");
    }
    const url = new URL(this.url());
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    // A browser cannot set headers on a WebSocket: the session travels in the query, as the server allows.
    if (session) url.searchParams.set("session_id", session);
    const socket = new Socket(url.toString());
    return new Promise<WebSocket>((resolve, reject) => {
      socket.onopen = () => {
        this.socket = socket;
        resolve(socket);
        this.resubscribe(socket);
      };
      socket.onerror = () => reject(new TesseraTransportError(`Cannot open ${url.origin}${url.pathname}`, false));
      socket.onmessage = (message) => this.dispatch(String(message.data));
      socket.onclose = (event) => {
        if (this.socket !== socket) return; // replaced after a session change: its successor owns what waits
        this.socket = undefined;
        // The service's reason when it closed the socket itself (a message over its limit, too slow to read events).
        const why = event.code !== 1000 && event.reason ? ` (the service closed it: ${event.code} ${event.reason})` : "";
        const dropped = new TesseraTransportError(`The WebSocket closed before the answer arrived${why}.`, true);
        for (const id of [...this.pending.keys()]) this.fail(id, dropped);
        for (const subscription of this.subscriptions) subscription.push("dropped");
      };
    });
  }

  private resubscribe(socket: WebSocket): void {
    if (this.subscriptions.size === 0) return;
    const topics = [...new Set([...this.subscriptions].flatMap((s) => s.topics))];
    const ids = [...this.subscriptions].map((s) => s.lastId).filter((id): id is number => id !== undefined);
    const params = ids.length > 0 ? { topics, last_event_id: Math.min(...ids) } : { topics };
    socket.send(JSON.stringify(jsonRpcRequest("events.subscribe", params, this.allocateId())));
  }

  private dispatch(text: string): void {
    const message = JSON.parse(text) as unknown;
    for (const item of Array.isArray(message) ? message : [message]) {
      const frame = item as { id?: number; method?: string; params?: { topic: string; id: number; data: unknown } };
      if (frame.method === "event" && frame.params) {
        for (const subscription of this.subscriptions) {
          if (subscription.topics.some((pattern) => matches(pattern, frame.params!.topic))) {
            subscription.push({ id: frame.params.id, topic: frame.params.topic, data: frame.params.data });
          }
        }
      } else if (typeof frame.id === "number") {
        this.pending.get(frame.id)?.resolve(item);
      }
    }
  }

  private fail(id: number, error: unknown): void {
    this.pending.get(id)?.reject(error);
    this.pending.delete(id);
  }
}

/** `*`, an exact topic, or a prefix pattern `a.*` (any topic under `a.`). */
function matches(pattern: string, topic: string): boolean {
  return pattern === "*" || pattern === topic || (pattern.endsWith(".*") && topic.startsWith(pattern.slice(0, -1)));
}
