import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { WardenError } from '../../core/errors.js';

/**
 * MCP Streamable HTTP client transport towards an upstream, on node:http with keep-alive
 * sockets. It does what a relay needs and no more: POST each message (JSON or SSE answers),
 * remember `Mcp-Session-Id`, send `MCP-Protocol-Version` once known, open the standalone GET
 * stream after `notifications/initialized` (reconnecting with `Last-Event-ID`), DELETE the
 * session on close. It replaces the SDK's fetch/web-streams client on this hot path: the
 * benchmark measured that client at about three times the CPU per call of this one.
 */

const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Incremental `text/event-stream` parser: yields the data of each event (and its id). */
export class SseParser {
  #buf = '';
  lastEventId: string | undefined;

  push(chunk: string, onData: (data: string) => void): void {
    this.#buf += chunk;
    for (;;) {
      const m = /\r?\n\r?\n/.exec(this.#buf);
      if (!m) return;
      const block = this.#buf.slice(0, m.index);
      this.#buf = this.#buf.slice(m.index + m[0].length);
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        else if (line.startsWith('id:')) this.lastEventId = line.slice(3).trim();
      }
      if (data.length > 0 && data.join('').length > 0) onData(data.join('\n'));
    }
  }
}

export class UpstreamHttpTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  sessionId?: string;

  readonly #url: URL;
  readonly #headers: Record<string, string>;
  readonly #agent: HttpAgent;
  readonly #request: typeof httpRequest;
  #protocolVersion: string | undefined;
  #closed = false;
  #getStream: { destroy: () => void } | undefined;

  constructor(url: URL, headers: Record<string, string>) {
    this.#url = url;
    this.#headers = headers;
    const https = url.protocol === 'https:';
    this.#agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 256 }) : new HttpAgent({ keepAlive: true, maxSockets: 256 });
    this.#request = (https ? httpsRequest : httpRequest) as typeof httpRequest;
  }

  async start(): Promise<void> {}

  setProtocolVersion(version: string): void {
    this.#protocolVersion = version;
  }

  #baseHeaders(): Record<string, string> {
    return {
      ...this.#headers,
      ...(this.sessionId ? { 'mcp-session-id': this.sessionId } : {}),
      ...(this.#protocolVersion ? { 'mcp-protocol-version': this.#protocolVersion } : {}),
    };
  }

  #deliver(data: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (cause) {
      this.onerror?.(new WardenError('WARDEN_E_GW_UPSTREAM', 'The upstream sent a message that is not JSON.', { cause }));
      return;
    }
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
      if (m && typeof m === 'object' && (m as { jsonrpc?: unknown }).jsonrpc === '2.0') this.onmessage?.(m as JSONRPCMessage);
      else this.onerror?.(new WardenError('WARDEN_E_GW_UPSTREAM', 'The upstream sent something that is not JSON-RPC 2.0.'));
    }
  }

  /** Reads a response body as JSON or SSE, delivering messages as they arrive. */
  #consume(res: IncomingMessage, parser?: SseParser): Promise<void> {
    return new Promise((resolve) => {
      const type = String(res.headers['content-type'] ?? '');
      res.setEncoding('utf8');
      let size = 0;
      if (type.includes('text/event-stream')) {
        const p = parser ?? new SseParser();
        res.on('data', (s: string) => {
          size += s.length;
          if (size > MAX_RESPONSE_BYTES) {
            res.destroy();
            return;
          }
          p.push(s, (d) => this.#deliver(d));
        });
      } else {
        let body = '';
        res.on('data', (s: string) => {
          size += s.length;
          if (size > MAX_RESPONSE_BYTES) res.destroy();
          else body += s;
        });
        res.on('end', () => {
          if (body.length > 0 && type.includes('application/json')) this.#deliver(body);
        });
      }
      res.on('end', resolve);
      res.on('close', resolve);
      res.on('error', () => resolve());
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new WardenError('WARDEN_E_GW_UPSTREAM', 'The upstream session is closed.'));
    const body = JSON.stringify(message);
    return new Promise((resolve, reject) => {
      const req = this.#request(
        this.#url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: { ...this.#baseHeaders(), 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const sid = res.headers['mcp-session-id'];
          if (typeof sid === 'string' && !this.sessionId) this.sessionId = sid;
          const status = res.statusCode ?? 0;
          if (status === 202) {
            res.resume();
            resolve();
            if ((message as { method?: string }).method === 'notifications/initialized') this.#openGetStream();
            return;
          }
          if (status < 200 || status >= 300) {
            res.resume();
            const err = new WardenError('WARDEN_E_GW_UPSTREAM', `The upstream answered HTTP ${status}.`);
            if (status === 404 && this.sessionId) void this.close();
            reject(err);
            return;
          }
          resolve();
          void this.#consume(res);
        },
      );
      req.on('error', (e) => reject(new WardenError('WARDEN_E_GW_UPSTREAM', `Cannot reach the upstream: ${e.message}`, { cause: e })));
      req.end(body);
    });
  }

  /** The standalone stream for server-initiated messages; reconnects with Last-Event-ID. */
  #openGetStream(attempt = 0): void {
    if (this.#closed || this.#getStream || attempt > 5) return;
    const parser = new SseParser();
    const open = (lastEventId?: string) => {
      const req = this.#request(this.#url, {
        method: 'GET',
        agent: this.#agent,
        headers: { ...this.#baseHeaders(), accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      });
      this.#getStream = req;
      req.on('response', (res) => {
        if (res.statusCode !== 200) {
          res.resume(); // 405: the upstream offers no standalone stream
          return;
        }
        void this.#consume(res, parser).then(() => {
          this.#getStream = undefined;
          if (!this.#closed) setTimeout(() => this.#openGetStream(attempt + 1), 1000).unref();
        });
      });
      req.on('error', () => {
        this.#getStream = undefined;
      });
      req.end();
    };
    open(parser.lastEventId);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#getStream?.destroy();
    if (this.sessionId) {
      await new Promise<void>((resolve) => {
        const req = this.#request(this.#url, { method: 'DELETE', agent: this.#agent, headers: this.#baseHeaders(), timeout: 2000 }, (res) => {
          res.resume();
          resolve();
        });
        req.on('error', () => resolve());
        req.on('timeout', () => {
          req.destroy();
          resolve();
        });
        req.end();
      });
    }
    this.#agent.destroy();
    this.onclose?.();
  }
}
