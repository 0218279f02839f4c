import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Rewrites the body of one path (exact pathname match); return undefined to pass it through. */
export type Rewrite = (upstream: Buffer, pathname: string) => Buffer | undefined;

export interface MitmProxy {
  url: string;
  rewrites: Map<string, Rewrite>;
  /** Rewrites applied to any path matching the test. */
  matchers: Array<{ test: (pathname: string) => boolean; rewrite: Rewrite }>;
  hits: string[];
  close(): Promise<void>;
}

/**
 * A malicious mirror in front of the market on 127.0.0.1: forwards every GET and rewrites the
 * bodies it is told to (artifacts, envelopes, metadata), as a compromised proxy or CDN would.
 */
export async function startMitmProxy(target: string): Promise<MitmProxy> {
  const rewrites = new Map<string, Rewrite>();
  const matchers: MitmProxy['matchers'] = [];
  const hits: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', target);
    hits.push(url.pathname);
    try {
      const upstream = await fetch(url, { method: req.method, redirect: 'manual' });
      let body: Buffer = Buffer.from(await upstream.arrayBuffer());
      const rewrite = rewrites.get(url.pathname) ?? matchers.find((m) => m.test(url.pathname))?.rewrite;
      const replaced = rewrite?.(body, url.pathname);
      if (replaced) body = replaced;
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream', 'content-length': String(body.length) });
      res.end(body);
    } catch (err) {
      res.writeHead(502).end(String(err));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, rewrites, matchers, hits, close: () => new Promise((r) => server.close(() => r())) };
}
