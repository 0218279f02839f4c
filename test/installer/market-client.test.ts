import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketClient } from '../../src/installer/market-client.js';
import { WardenError } from '../../src/core/errors.js';

// A market on 127.0.0.1 that stalls: /stall never answers, /trickle sends headers and part of a
// body, then nothing. Ctrl-C during `warden install` must stop either at once.
let server: Server;
let base: string;
const open: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    open.push(res);
    if (req.url?.startsWith('/trickle')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"keyid":');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function stoppedBy(path: string, abortAfterMs: number): Promise<{ err: WardenError; ms: number }> {
  const ctl = new AbortController();
  const client = new MarketClient(base, { timeoutMs: 20_000 }, ctl.signal);
  const t0 = Date.now();
  setTimeout(() => ctl.abort(), abortAfterMs);
  const err = await client.getJson(path).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WardenError);
  return { err: err as WardenError, ms: Date.now() - t0 };
}

describe('MarketClient: an interrupted install stops waiting for the market', () => {
  it('while waiting for the answer', async () => {
    const { err, ms } = await stoppedBy('/stall', 100);
    expect(err.code).toBe('WARDEN_E_INTERRUPTED');
    expect(ms).toBeLessThan(5000);
  });

  it('while the body streams', async () => {
    const { err, ms } = await stoppedBy('/trickle', 100);
    expect(err.code).toBe('WARDEN_E_INTERRUPTED');
    expect(ms).toBeLessThan(5000);
  });

  it('does not start a request once interrupted', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const before = open.length;
    const err = await new MarketClient(base, {}, ctl.signal).getJson('/stall').then(() => undefined, (e: unknown) => e);
    expect((err as WardenError).code).toBe('WARDEN_E_INTERRUPTED');
    expect(open.length).toBe(before);
  });

  it('a stalled market without an interrupt still ends with the timeout, as unreachable', async () => {
    const err = await new MarketClient(base, { timeoutMs: 200 }).getJson('/stall').then(() => undefined, (e: unknown) => e);
    expect((err as WardenError).code).toBe('WARDEN_E_MARKET_UNREACHABLE');
  });
});
