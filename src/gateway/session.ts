import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { WardenError } from '../core/errors.js';
import type { Principal } from './auth/principal.js';
import { BoundedEventStore } from './event-store.js';
import { toolHash } from '../core/tool-pin.js';

type Id = string | number;
type Msg = Record<string, unknown> & { id?: Id; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: unknown };

/** What the relay needs from the gateway (decisions and records live there). */
export interface SessionHost {
  /** Filters a tools/list result for this session's principal (policy + pins). */
  filterTools(s: Session, tools: Record<string, unknown>[]): Record<string, unknown>[];
  /** A tool call finished upstream: audit, metrics, optional masking (returns what to send). */
  callDone(s: Session, call: PendingCall, response: Msg): Msg;
  callCancelled(s: Session, call: PendingCall, reason: string): void;
  upstreamLog(s: Session, line: string): void;
  sessionClosed(s: Session): void;
  readonly upstreamTimeoutMs: number;
}

export interface PendingCall {
  id: Id;
  method: string;
  tool?: string;
  args?: unknown;
  start: number;
  requestBytes: number;
  /** Set when the gateway answers this request itself as application/json (no SSE stream). */
  respond?: (response: Msg) => void;
}

export interface ListedTool {
  hash: string;
  definition: Record<string, unknown>;
}

/**
 * One client session relayed 1:1 to one upstream session: a Streamable HTTP server transport
 * (SDK) towards the client and a client transport (stdio or Streamable HTTP) towards the
 * upstream. Every message is parsed and routed by id: responses go back on the stream of their
 * request, progress notifications on the stream of the request that set the token, cancellations
 * pass through and close the call's audit record. The relay itself makes no policy decision.
 */
export class Session {
  readonly server: string;
  readonly principal: Principal;
  readonly front: StreamableHTTPServerTransport;
  readonly upstream: Transport;
  readonly created = Date.now();
  lastActive = Date.now();
  /** Tools as last listed by the upstream in this session (name → definition and hash). */
  tools: Map<string, ListedTool> | undefined;

  readonly #host: SessionHost;
  readonly #pending = new Map<Id, PendingCall>();
  readonly #progress = new Map<string | number, Id>();
  readonly #internal = new Map<string, { resolve: (m: Msg) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  #internalSeq = 0;
  #closed = false;

  constructor(host: SessionHost, server: string, principal: Principal, upstream: Transport, onInitialized: (s: Session, id: string) => void) {
    this.#host = host;
    this.server = server;
    this.principal = principal;
    this.upstream = upstream;
    this.front = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new BoundedEventStore(),
      onsessioninitialized: (id) => onInitialized(this, id),
    });
    this.front.onmessage = (m) => this.#fromClient(m as unknown as Msg);
    this.front.onclose = () => void this.close();
    this.front.onerror = () => {};
    upstream.onmessage = (m) => this.#fromUpstream(m as unknown as Msg);
    upstream.onclose = () => void this.close();
    upstream.onerror = (e) => host.upstreamLog(this, `transport error: ${e.message}`);
  }

  get id(): string | undefined {
    return this.front.sessionId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Registers a client request the gateway let through (before the transport sees it). */
  expect(call: PendingCall): void {
    this.#pending.set(call.id, call);
    this.lastActive = Date.now();
  }

  /** Forwards a client message that the HTTP layer handles without the SDK transport. */
  forward(m: Msg): void {
    this.#fromClient(m);
  }

  #fromClient(m: Msg): void {
    this.lastActive = Date.now();
    if (m.method === 'notifications/cancelled') {
      const rid = m.params?.requestId as Id | undefined;
      const call = rid !== undefined ? this.#pending.get(rid) : undefined;
      if (call) {
        this.#pending.delete(rid!);
        this.#host.callCancelled(this, call, 'client cancelled');
      }
    } else if (m.id !== undefined && m.method !== undefined) {
      const token = (m.params?._meta as Record<string, unknown> | undefined)?.progressToken;
      if (typeof token === 'string' || typeof token === 'number') this.#progress.set(token, m.id);
    }
    this.upstream.send(m as unknown as JSONRPCMessage).catch((e: Error) => {
      this.#host.upstreamLog(this, `cannot forward to upstream: ${e.message}`);
      if (m.id !== undefined && m.method !== undefined) {
        const err = { jsonrpc: '2.0', id: m.id, error: { code: -32603, message: 'Upstream server is not available' } };
        const call = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        if (call?.respond) call.respond(err);
        else this.#toClient(err);
      }
    });
  }

  #fromUpstream(m: Msg): void {
    this.lastActive = Date.now();
    const isResponse = m.id !== undefined && m.method === undefined;
    if (isResponse) {
      if (typeof m.id === 'string' && this.#internal.has(m.id)) {
        const w = this.#internal.get(m.id)!;
        this.#internal.delete(m.id);
        clearTimeout(w.timer);
        w.resolve(m);
        return;
      }
      const call = this.#pending.get(m.id!);
      if (!call) return; // cancelled or unknown: never deliver an unexpected response
      this.#pending.delete(m.id!);
      for (const [t, id] of this.#progress) if (id === m.id) this.#progress.delete(t);
      let out = m;
      if (call.method === 'initialize' && m.result && typeof m.result.protocolVersion === 'string') {
        this.upstream.setProtocolVersion?.(m.result.protocolVersion);
      } else if (call.method === 'tools/list' && Array.isArray(m.result?.tools)) {
        const tools = m.result.tools as Record<string, unknown>[];
        this.#remember(tools, m.result.nextCursor === undefined && (call.args as { cursor?: unknown } | undefined)?.cursor === undefined);
        out = { ...m, result: { ...m.result, tools: this.#host.filterTools(this, tools) } };
      } else if (call.method === 'tools/call') {
        out = this.#host.callDone(this, call, m);
      }
      if (call.respond) call.respond(out);
      else this.#toClient(out);
      return;
    }
    if (m.method === 'notifications/tools/list_changed') this.tools = undefined;
    let related: Id | undefined;
    if (m.method === 'notifications/progress') {
      const token = m.params?.progressToken as string | number | undefined;
      if (token !== undefined) related = this.#progress.get(token);
    } else if (m.id !== undefined && this.#pending.size === 1) {
      // A server-to-client request (sampling, elicitation) during a single call belongs to its
      // stream — when that call has one (JSON-answered calls have none: standalone stream).
      const only = this.#pending.values().next().value!;
      if (!only.respond) related = only.id;
    }
    this.#toClient(m, related);
  }

  #remember(tools: Record<string, unknown>[], complete: boolean): void {
    const map = complete || !this.tools ? new Map<string, ListedTool>() : this.tools;
    for (const t of tools) if (typeof t.name === 'string') map.set(t.name, { hash: toolHash(t), definition: t });
    this.tools = map;
  }

  #toClient(m: Msg, related?: Id): void {
    if (this.#closed) return;
    this.front.send(m as unknown as JSONRPCMessage, related !== undefined ? { relatedRequestId: related } : undefined).catch(() => {
      // The client's stream is gone; the event store keeps it for Last-Event-ID resumption.
    });
  }

  /** Sends a request of the gateway's own (ids `warden-…`) to the upstream and waits for its answer. */
  request(method: string, params: Record<string, unknown>): Promise<Msg> {
    const id = `warden-${randomUUID()}-${++this.#internalSeq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#internal.delete(id);
        reject(new WardenError('WARDEN_E_GW_UPSTREAM', `Upstream ${this.server} did not answer ${method} in time.`));
      }, this.#host.upstreamTimeoutMs);
      this.#internal.set(id, { resolve, reject, timer });
      this.upstream.send({ jsonrpc: '2.0', id, method, params } as JSONRPCMessage).catch((e: Error) => {
        clearTimeout(timer);
        this.#internal.delete(id);
        reject(new WardenError('WARDEN_E_GW_UPSTREAM', `Cannot reach upstream ${this.server}: ${e.message}`, { cause: e }));
      });
    });
  }

  /** The upstream's current tool list (all pages), fetched by the gateway when it has none. */
  async listTools(): Promise<Map<string, ListedTool>> {
    if (this.tools) return this.tools;
    const map = new Map<string, ListedTool>();
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await this.request('tools/list', cursor ? { cursor } : {});
      if (r.error || !Array.isArray(r.result?.tools)) throw new WardenError('WARDEN_E_GW_UPSTREAM', `Upstream ${this.server} failed tools/list.`);
      for (const t of r.result.tools as Record<string, unknown>[]) if (typeof t.name === 'string') map.set(t.name, { hash: toolHash(t), definition: t });
      cursor = typeof r.result.nextCursor === 'string' ? r.result.nextCursor : undefined;
      if (!cursor) break;
    }
    this.tools = map;
    return map;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#internal.values()) {
      clearTimeout(w.timer);
      w.reject(new WardenError('WARDEN_E_GW_UPSTREAM', 'Session closed.'));
    }
    this.#internal.clear();
    // Calls still open when the session ends are recorded, not forgotten.
    for (const call of this.#pending.values()) {
      if (call.method === 'tools/call') this.#host.callCancelled(this, call, 'session closed');
      call.respond?.({ jsonrpc: '2.0', id: call.id, error: { code: -32603, message: 'Session closed' } });
    }
    this.#pending.clear();
    this.#host.sessionClosed(this);
    await Promise.allSettled([this.front.close(), this.upstream.close()]);
  }
}
