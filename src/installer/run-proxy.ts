import type { Readable, Writable } from 'node:stream';
import { diffToolPins, hasDrift, pinTools, type ToolDrift, type ToolPin } from '../core/tool-pin.js';

/** MCP over stdio: one JSON-RPC message per line. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Splits a byte stream into lines without decoding partial UTF-8 sequences. */
export function onLines(stream: Readable, handle: (line: string) => void, onOverflow: () => void): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  stream.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, start)) {
      pending.push(chunk.subarray(start, i));
      const line = Buffer.concat(pending).toString('utf8');
      pending = [];
      pendingBytes = 0;
      start = i + 1;
      if (line.trim() !== '') handle(line);
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_LINE_BYTES) {
        pending = [];
        pendingBytes = 0;
        onOverflow();
      }
    }
  });
}

export interface PinningProxyOptions {
  clientIn: Readable;
  clientOut: Writable;
  serverIn: Writable;
  serverOut: Readable;
  pinned: ToolPin[];
  /** Called once when the server lists tools that differ from the pins; the proxy stops forwarding. */
  onDrift: (drift: ToolDrift) => void;
  onProtocolError?: (message: string) => void;
}

/** JSON-RPC error code Warden uses for a blocked response (implementation-defined server error range). */
export const BLOCKED_ERROR_CODE = -32001;

/**
 * Forwards MCP messages between a client and a server unchanged, except that every `tools/list`
 * result is checked against the pinned tool hashes: a changed, added or removed tool turns the
 * response into an error and stops the session (a rug pull mid-session is refused too).
 */
export function startPinningProxy(opts: PinningProxyOptions): { stop: () => void } {
  /** Pending tools/list requests by id; true when the request asked for a later page. */
  const toolListIds = new Map<string, boolean>();
  let blocked = false;
  const stop = () => {
    blocked = true;
  };

  onLines(
    opts.clientIn,
    (line) => {
      if (blocked) return;
      try {
        const msg = JSON.parse(line) as { id?: unknown; method?: unknown; params?: { cursor?: unknown } };
        if (msg.method === 'tools/list' && msg.id !== undefined) toolListIds.set(JSON.stringify(msg.id), msg.params?.cursor !== undefined);
      } catch {
        // Not ours to judge: the server answers malformed input with a parse error.
      }
      opts.serverIn.write(line + '\n');
    },
    () => opts.onProtocolError?.('client message larger than the line limit'),
  );

  onLines(
    opts.serverOut,
    (line) => {
      if (blocked) return;
      let msg: { id?: unknown; result?: { tools?: unknown } } | undefined;
      try {
        msg = JSON.parse(line);
      } catch {
        msg = undefined;
      }
      const key = msg && msg.id !== undefined ? JSON.stringify(msg.id) : undefined;
      const laterPage = key !== undefined ? toolListIds.get(key) : undefined;
      if (msg && key !== undefined && laterPage !== undefined && msg.result && Array.isArray(msg.result.tools)) {
        toolListIds.delete(key);
        const current = pinTools(msg.result.tools as Array<Record<string, unknown>>);
        // One page of a paginated list holds a subset: compare the tools it has (changed or new);
        // a complete list must match the pins exactly.
        const paginated = laterPage || (msg.result as { nextCursor?: unknown }).nextCursor !== undefined;
        const drift = diffToolPins(paginated ? opts.pinned.filter((p) => current.some((c) => c.name === p.name)) : opts.pinned, current);
        if (hasDrift(drift)) {
          blocked = true;
          opts.clientOut.write(
            JSON.stringify({
              jsonrpc: '2.0',
              id: msg.id,
              error: { code: BLOCKED_ERROR_CODE, message: 'Warden blocked this server: its tool definitions changed since they were pinned. Run `warden approve` after reviewing the change.', data: drift },
            }) + '\n',
          );
          opts.onDrift(drift);
          return;
        }
      }
      opts.clientOut.write(line + '\n');
    },
    () => opts.onProtocolError?.('server message larger than the line limit'),
  );
  return { stop };
}
