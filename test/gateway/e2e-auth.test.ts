import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import { baseConfig, connectClient, EVERYTHING, startEverythingHttp, startGateway, tempDir } from './helpers.js';
import type { GatewayServer } from '../../src/gateway/http/server.js';

const ISSUER = 'https://issuer.test';
const PUBLIC_URL = 'https://gw.test';

describe('gateway e2e: authentication (JWT via local JWKS, API keys)', () => {
  const t = tempDir();
  let jwks: Server;
  let capture: Server;
  let captured: IncomingHttpHeaders | undefined;
  let upstreamHttp: Awaited<ReturnType<typeof startEverythingHttp>>;
  let gw: GatewayServer;
  let priv: CryptoKey;
  let publicPem: string;

  const token = (claims: Record<string, unknown> = {}, opts: { exp?: string | number; aud?: string; iss?: string } = {}) =>
    new SignJWT({ groups: ['dev'], ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('alice')
      .setIssuer(opts.iss ?? ISSUER)
      .setAudience(opts.aud ?? PUBLIC_URL)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m')
      .sign(priv);

  beforeAll(async () => {
    const kp = await generateKeyPair('ES256', { extractable: true });
    priv = kp.privateKey;
    publicPem = await exportSPKI(kp.publicKey);
    const jwk = { ...(await exportJWK(kp.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    // An "upstream" that records the headers it receives, to prove client tokens are not forwarded.
    capture = createServer((req, res) => {
      captured = req.headers;
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
    upstreamHttp = await startEverythingHttp();
    const cfg = baseConfig(t.dir, {
      publicUrl: PUBLIC_URL,
      auth: { apiKeys: true, jwt: { issuer: ISSUER, jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`, algorithms: ['ES256'] }, authorizationServers: [ISSUER] },
      servers: {
        everything: { transport: 'stdio', command: 'node', args: [EVERYTHING, 'stdio'], env: { UPSTREAM_ONLY: 'visible' } },
        remote: { transport: 'streamable-http', url: upstreamHttp.url },
        capture: { transport: 'streamable-http', url: `http://127.0.0.1:${(capture.address() as AddressInfo).port}/mcp`, headers: { Authorization: 'Bearer ${env:UPSTREAM_CRED}' } },
      },
      policy: { rules: [{ id: 'dev', groups: ['dev'], servers: ['*'], allowTools: ['echo', 'get-env'] }, { id: 'keys', principals: ['svc-*'], servers: ['*'], allowTools: ['echo'] }] },
    });
    gw = await startGateway(cfg, { env: { PATH: process.env.PATH, GATEWAY_SECRET: 'do-not-leak-me', UPSTREAM_CRED: 'upstream-credential' } });
  });

  afterAll(async () => {
    await gw?.close();
    await upstreamHttp?.stop();
    jwks?.close();
    capture?.close();
    t.cleanup();
  });

  const initialize = (server: string, headers: Record<string, string>, path = `/mcp/${server}`) =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });

  it('a valid JWT passes to both a stdio and a Streamable HTTP upstream through a real SDK client', async () => {
    const jwt = await token();
    for (const server of ['everything', 'remote']) {
      const c = await connectClient(`${gw.url}/mcp/${server}`, jwt);
      const r = await c.callTool({ name: 'echo', arguments: { message: `via ${server}` } });
      expect(r.content).toEqual([{ type: 'text', text: `Echo: via ${server}` }]);
      await c.close();
    }
  });

  it('serves RFC 9728 protected-resource metadata for each server', async () => {
    const r = await fetch(`${gw.url}/.well-known/oauth-protected-resource/mcp/everything`);
    expect(await r.json()).toMatchObject({ resource: `${PUBLIC_URL}/mcp/everything`, authorization_servers: [ISSUER], bearer_methods_supported: ['header'] });
  });

  it('missing token: 401 with a challenge naming the metadata, without an error code', async () => {
    const r = await initialize('everything', {});
    expect(r.status).toBe(401);
    const h = r.headers.get('www-authenticate')!;
    expect(h).toContain(`resource_metadata="${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp/everything"`);
    expect(h).not.toContain('error=');
  });

  const refused: Array<[string, () => Promise<string>, RegExp]> = [
    ['expired', () => token({}, { exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ['wrong audience', () => token({}, { aud: 'https://other.example' }), /audience/],
    ['wrong issuer', () => token({}, { iss: 'https://evil.example' }), /issuer/],
    ['alg none', async () => new UnsecuredJWT({ groups: ['dev'] }).setSubject('alice').setIssuer(ISSUER).setAudience(PUBLIC_URL).setExpirationTime('5m').encode(), /algorithm|malformed/],
    [
      'HS256 signed with the public key',
      () =>
        new SignJWT({ groups: ['dev'] })
          .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
          .setSubject('alice')
          .setIssuer(ISSUER)
          .setAudience(PUBLIC_URL)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(publicPem)),
      /algorithm/,
    ],
    [
      'signed by an unknown key',
      async () => {
        const other = await generateKeyPair('ES256');
        return new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('alice').setIssuer(ISSUER).setAudience(PUBLIC_URL).setExpirationTime('5m').sign(other.privateKey);
      },
      /signature/,
    ],
  ];

  it.each(refused)('refuses a token that is %s with 401 invalid_token', async (_name, make, reason) => {
    const r = await initialize('everything', { authorization: `Bearer ${await make()}` });
    expect(r.status).toBe(401);
    const h = r.headers.get('www-authenticate')!;
    expect(h).toContain('error="invalid_token"');
    expect(h).toMatch(reason);
    expect(((await r.json()) as { code: string }).code).toBe('WARDEN_E_GW_TOKEN_INVALID');
  });

  it('a revoked token (jti) is refused while a sibling token still works', async () => {
    const jti = randomUUID();
    const revoked = await token({ jti });
    const ok = await token({ jti: randomUUID() });
    expect((await initialize('remote', { authorization: `Bearer ${revoked}` })).status).toBe(200);
    gw.gateway.auth.revocations.revoke(jti);
    await new Promise((r) => setTimeout(r, 1100)); // state files are re-read at most once a second
    const r = await initialize('remote', { authorization: `Bearer ${revoked}` });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('token revoked');
    expect((await initialize('remote', { authorization: `Bearer ${ok}` })).status).toBe(200);
  });

  it('API keys: issued, accepted, refused after revocation; unknown keys refused', async () => {
    const store = gw.gateway.auth.apiKeys!;
    const { key, record } = store.create({ principal: 'svc-report' });
    const c = await connectClient(`${gw.url}/mcp/everything`, key);
    expect((await c.callTool({ name: 'echo', arguments: { message: 'k' } })).content).toEqual([{ type: 'text', text: 'Echo: k' }]);
    await c.close();
    store.revoke(record.id);
    await new Promise((r) => setTimeout(r, 1100));
    const r = await initialize('everything', { authorization: `Bearer ${key}` });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('API key revoked');
    const forged = key.slice(0, -4) + 'AAAA';
    expect((await initialize('everything', { authorization: `Bearer ${forged}` })).status).toBe(401);
  });

  it('refuses tokens in the query string', async () => {
    const r = await initialize('everything', {}, `/mcp/everything?access_token=${await token()}`);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('invalid_request');
  });

  it('never forwards the client token upstream; sends the configured upstream credential instead', async () => {
    const jwt = await token();
    const r = await initialize('capture', { authorization: `Bearer ${jwt}` });
    // The relay answers inside the MCP session: a JSON-RPC error for the failed upstream.
    expect(await r.text()).toContain('-32603');
    expect(captured).toBeDefined();
    expect(JSON.stringify(captured)).not.toContain(jwt);
    expect(captured!.authorization).toBe('Bearer upstream-credential');
  });

  it('stdio upstreams get only the allow-listed environment', async () => {
    const c = await connectClient(`${gw.url}/mcp/everything`, await token());
    const r = (await c.callTool({ name: 'get-env', arguments: {} })) as { content: Array<{ text: string }> };
    const env = JSON.parse(r.content[0]!.text) as Record<string, string>;
    expect(env.UPSTREAM_ONLY).toBe('visible');
    expect(env.GATEWAY_SECRET).toBeUndefined();
    expect(env.UPSTREAM_CRED).toBeUndefined();
    expect(Object.keys(env).sort()).toEqual(['PATH', 'UPSTREAM_ONLY']);
    await c.close();
  });

  it('a foreign Origin is refused (DNS rebinding protection)', async () => {
    const r = await initialize('everything', { authorization: `Bearer ${await token()}`, origin: 'http://evil.example' });
    expect(r.status).toBe(403);
  });
});
