import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseConfig, startGateway, tempDir } from './helpers.js';
import type { GatewayServer } from '../../src/gateway/http/server.js';

function handshake(port: number, version: 'TLSv1.2' | 'TLSv1.3', ca: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, servername: 'localhost', ca, minVersion: version, maxVersion: version }, () => {
      const v = s.getProtocol() ?? 'unknown';
      s.end();
      resolve(v);
    });
    s.once('error', (e) => resolve(`error: ${e.message}`));
  });
}

describe('TLS front', () => {
  const t = tempDir();
  let gw: GatewayServer;
  let cert: Buffer;
  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(t.dir, 'key.pem'), '-out', join(t.dir, 'cert.pem')], { stdio: 'ignore' });
    cert = readFileSync(join(t.dir, 'cert.pem'));
    gw = await startGateway(baseConfig(t.dir, { tls: { cert: join(t.dir, 'cert.pem'), key: join(t.dir, 'key.pem') } }));
  });
  afterAll(async () => {
    await gw?.close();
    t.cleanup();
  });

  it('speaks TLS 1.3 only: a 1.3 client connects, a 1.2-only client is refused', async () => {
    const port = Number(new URL(gw.url).port);
    expect(gw.url.startsWith('https://')).toBe(true);
    expect(await handshake(port, 'TLSv1.3', cert)).toBe('TLSv1.3');
    expect(await handshake(port, 'TLSv1.2', cert)).toMatch(/^error/);
    const r = await fetch(`${gw.url}/healthz`).catch((e: Error) => e);
    // fetch rejects the self-signed certificate: proves the endpoint is TLS, not plain HTTP.
    expect(r).toBeInstanceOf(Error);
  });
});
