import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { sha256Hex } from '../../src/core/digest.js';
import { parseEnvelope } from '../../src/core/dsse.js';
import { generateEd25519 } from '../../src/core/keys.js';
import { verifyCountersignature } from '../../src/core/countersignature.js';
import { verifyAudit } from '../../src/market/audit-verify.js';
import { splitToken } from '../../src/market/trust/tokens.js';
import { buildMarketApp } from '../../src/market/http/app.js';
import { BACKENDS } from './backends.js';
import { auth, buildRelease, publishBody, setupOrg, startTestMarket, type Publisher, type TestMarket } from './harness.js';
import { serverListProblems, serverResponseProblems } from './registry-schema.js';

const enc = encodeURIComponent;

describe.each(BACKENDS)('market HTTP API on $name', ({ name, skip }) => {
  if (skip) {
    it.skip(`skipped: ${skip}`, () => undefined);
    return;
  }
  let m: TestMarket;
  let acme: Publisher;
  let clock = Date.now();
  const work = tmpdir();
  const pub = async (p: Publisher, n: string, version: string, extra?: { extraFile?: [string, string] }) => {
    const rel = await buildRelease(work, n, version, p.key.privatePem, extra);
    return { rel, res: await m.app.inject({ method: 'POST', url: '/warden/v1/publish', headers: auth(p.token), payload: publishBody(rel) }) };
  };
  const head = async () => (await m.app.inject('/warden/v1/audit/head')).json();

  beforeAll(async () => {
    m = await startTestMarket(name, { now: () => new Date(clock) });
    acme = await setupOrg(m, 'acme');
  });
  afterAll(async () => m?.close());

  describe('tokens and roles', () => {
    it('refuses missing, malformed, unknown and forged tokens with 401', async () => {
      const noToken = await m.app.inject({ method: 'POST', url: '/warden/v1/orgs', payload: { name: 'zeta' } });
      expect(noToken.statusCode).toBe(401);
      expect(noToken.headers['content-type']).toContain('application/problem+json');
      expect(noToken.json()).toMatchObject({ status: 401, code: 'WARDEN_E_MARKET_UNAUTHENTICATED' });
      for (const t of ['nonsense', acme.token.slice(0, -1) + (acme.token.endsWith('A') ? 'B' : 'A'), `wdn_0000000000000000_${'a'.repeat(43)}`]) {
        const r = await m.app.inject({ method: 'POST', url: '/warden/v1/orgs', headers: auth(t), payload: { name: 'zeta' } });
        expect(r.json().code).toBe('WARDEN_E_MARKET_TOKEN_INVALID');
      }
    });
    it('stores only a sha256 of the secret', async () => {
      const rows = await m.ctx.store.db.selectFrom('tokens').selectAll().execute();
      const secret = splitToken(acme.token)!.secret;
      const row = rows.find((r) => acme.token.includes(r.id))!;
      expect(row.secret_hash).toBe(sha256Hex(secret));
      expect(JSON.stringify(rows)).not.toContain(secret);
    });
    it('expires tokens and honours revocation', async () => {
      const short = (await m.app.inject({ method: 'POST', url: '/warden/v1/tokens', headers: auth(m.adminToken), payload: { role: 'reviewer', expiresInDays: 1 } })).json();
      const ok = await m.app.inject({ url: '/warden/v1/review', headers: auth(short.token) });
      expect(ok.statusCode).toBe(200);
      clock += 2 * 86_400_000;
      expect((await m.app.inject({ url: '/warden/v1/review', headers: auth(short.token) })).json().code).toBe('WARDEN_E_MARKET_TOKEN_INVALID');
      const other = (await m.app.inject({ method: 'POST', url: '/warden/v1/tokens', headers: auth(m.adminToken), payload: { role: 'reviewer' } })).json();
      expect((await m.app.inject({ method: 'POST', url: `/warden/v1/tokens/${other.id}/revoke`, headers: auth(m.adminToken) })).statusCode).toBe(200);
      expect((await m.app.inject({ url: '/warden/v1/review', headers: auth(other.token) })).statusCode).toBe(401);
    });
    it('enforces roles: publishers cannot create orgs or register keys; other orgs cannot revoke keys', async () => {
      const k = generateEd25519();
      expect((await m.app.inject({ method: 'POST', url: '/warden/v1/orgs', headers: auth(acme.token), payload: { name: 'zeta' } })).json().code).toBe('WARDEN_E_MARKET_FORBIDDEN');
      expect((await m.app.inject({ method: 'POST', url: '/warden/v1/orgs/acme/keys', headers: auth(acme.token), payload: { publicKeyPem: k.publicPem } })).statusCode).toBe(403);
      const beta = await setupOrg(m, 'beta');
      const r = await m.app.inject({ method: 'POST', url: `/warden/v1/orgs/acme/keys/${acme.key.keyid}/revoke`, headers: auth(beta.token) });
      expect(r.json().code).toBe('WARDEN_E_MARKET_FORBIDDEN');
    });
    it('refuses a private key where a public key is registered, and duplicate keys', async () => {
      const k = generateEd25519();
      expect((await m.app.inject({ method: 'POST', url: '/warden/v1/orgs/acme/keys', headers: auth(m.adminToken), payload: { publicKeyPem: k.privatePem } })).json().code).toBe('WARDEN_E_KEY_NOT_PUBLIC');
      expect((await m.app.inject({ method: 'POST', url: '/warden/v1/orgs/acme/keys', headers: auth(m.adminToken), payload: { publicKeyPem: acme.key.publicPem } })).json().code).toBe('WARDEN_E_MARKET_KEY_EXISTS');
    });
    it('runs the naming engine on org names (look-alike blocked, distinct name allowed)', async () => {
      const r = await m.app.inject({ method: 'POST', url: '/warden/v1/orgs', headers: auth(m.adminToken), payload: { name: 'acrne' } });
      if (!m.ctx.naming.available) return console.warn('[market tests] naming engine not available: org look-alike check not exercised');
      expect(r.json().code).toBe('WARDEN_E_MARKET_NAME_BLOCKED');
      expect((await m.app.inject({ method: 'POST', url: '/warden/v1/orgs', headers: auth(m.adminToken), payload: { name: 'quokka-labs' } })).statusCode).toBe(201);
    });
  });

  describe('publish and the official read API', () => {
    it('accepts a signed release, countersigns it, and serves registry-shaped JSON', async () => {
      const { rel, res } = await pub(acme, 'acme/hello', '1.0.0');
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.decision).toBe('accepted');
      expect(body.steps.map((s: any) => s.step)).toEqual(['token-org', 'manifest', 'version-immutable', 'name-policy', 'signature', 'digests', 'scan', 'rating']);
      expect(serverResponseProblems(body.release)).toEqual([]);
      const meta = body.release._meta['dev.warden/release'];
      const cs = parseEnvelope((await m.app.inject(meta.countersignature)).body);
      const v = verifyCountersignature(cs, rel.digests, { marketKey: m.ctx.marketKey.publicKey, expectedRef: { org: 'acme', name: 'hello', version: '1.0.0' }, publisherKeyid: acme.key.keyid });
      expect(v.predicate.logIndex).toBe(meta.logIndex);
      const art = await m.app.inject(meta.artifact);
      expect(art.rawPayload.equals(rel.bytes)).toBe(true);
      expect(parseEnvelope((await m.app.inject(meta.envelope)).body)).toEqual(rel.envelope);
    });
    it('re-publishing the same bytes is idempotent and appends nothing', async () => {
      const before = await head();
      const rel = await buildRelease(work, 'acme/hello', '1.0.0', acme.key.privatePem);
      const res = await m.app.inject({ method: 'POST', url: '/warden/v1/publish', headers: auth(acme.token), payload: publishBody(rel) });
      expect(res.statusCode).toBe(200);
      expect(res.json().decision).toBe('idempotent');
      expect(await head()).toEqual(before);
    });
    it('lists with cursor, limit, search, version=latest and updated_since, all schema-valid', async () => {
      clock += 1000;
      const mid = new Date(clock).toISOString();
      for (const v of ['1.1.0', '2.0.0-rc.1']) expect((await pub(acme, 'acme/hello', v)).res.statusCode).toBe(201);
      expect((await pub(acme, 'acme/tools', '0.1.0')).res.statusCode).toBe(201);
      const seen: string[] = [];
      let cursor = '';
      for (let i = 0; i < 10; i++) {
        const r = (await m.app.inject(`/v0.1/servers?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
        expect(serverListProblems(r)).toEqual([]);
        seen.push(...r.servers.map((s: any) => `${s.server.name}@${s.server.version}`));
        if (!r.metadata.nextCursor) break;
        cursor = r.metadata.nextCursor;
      }
      expect(seen.sort()).toEqual(['acme/hello@1.0.0', 'acme/hello@1.1.0', 'acme/hello@2.0.0-rc.1', 'acme/tools@0.1.0']);
      const latest = (await m.app.inject('/v0.1/servers?version=latest')).json();
      expect(latest.servers.map((s: any) => `${s.server.name}@${s.server.version}`).sort()).toEqual(['acme/hello@1.1.0', 'acme/tools@0.1.0']);
      expect((await m.app.inject('/v0.1/servers?search=TOOL')).json().servers.map((s: any) => s.server.name)).toEqual(['acme/tools']);
      expect((await m.app.inject('/v0.1/servers?search=%25')).json().servers).toEqual([]);
      expect((await m.app.inject(`/v0.1/servers?updated_since=${enc(mid)}`)).json().servers).toHaveLength(3);
      const versions = (await m.app.inject(`/v0.1/servers/${enc('acme/hello')}/versions`)).json();
      expect(serverListProblems(versions)).toEqual([]);
      expect(versions.servers.filter((s: any) => s._meta['io.modelcontextprotocol.registry/official'].isLatest).map((s: any) => s.server.version)).toEqual(['1.1.0']);
      // The unencoded form answers the same.
      expect((await m.app.inject('/v0.1/servers/acme/hello/versions/latest')).json().server.version).toBe('1.1.0');
      expect((await m.app.inject('/v0.1/servers?cursor=bogus')).statusCode).toBe(400);
      expect((await m.app.inject(`/v0.1/servers/${enc('acme/nope')}/versions`)).json()).toMatchObject({ status: 404, code: 'WARDEN_E_MARKET_NOT_FOUND', error: expect.any(String) });
    });
    it('collects every reason of a rejection and stores nothing', async () => {
      const stranger = generateEd25519();
      const rel = await buildRelease(work, 'acme/hello', '3.0.0', stranger.privatePem);
      const beta = (await m.app.inject({ method: 'POST', url: '/warden/v1/tokens', headers: auth(m.adminToken), payload: { role: 'publisher', org: 'beta' } })).json();
      const before = await head();
      const r = await m.app.inject({ method: 'POST', url: '/warden/v1/publish', headers: auth(beta.token), payload: publishBody(rel) });
      expect(r.statusCode).toBe(403);
      const body = r.json();
      expect(body.code).toBe('WARDEN_E_MARKET_FORBIDDEN');
      expect(body.reasons.map((x: any) => x.code)).toEqual(['WARDEN_E_MARKET_FORBIDDEN', 'WARDEN_E_MARKET_KEY_UNREGISTERED']);
      expect(body.steps.find((s: any) => s.step === 'scan').outcome).toBe('skipped');
      expect(await head()).toEqual(before);
      expect((await m.app.inject(`/v0.1/servers/${enc('acme/hello')}/versions/3.0.0`)).statusCode).toBe(404);
    });
    it('holds a look-alike of another org\'s name for review; approval countersigns it', async () => {
      if (!m.ctx.naming.available) return console.warn('[market tests] naming engine not available: review hold not exercised');
      const beta = (await m.app.inject({ method: 'POST', url: '/warden/v1/tokens', headers: auth(m.adminToken), payload: { role: 'publisher', org: 'beta' } })).json();
      const bkey = generateEd25519();
      await m.app.inject({ method: 'POST', url: '/warden/v1/orgs/beta/keys', headers: auth(m.adminToken), payload: { publicKeyPem: bkey.publicPem } });
      const { res } = await pub({ org: 'beta', token: beta.token, key: bkey }, 'beta/hello', '1.0.0');
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json().reasons.map((x: any) => x.code)).toContain('WARDEN_E_MARKET_NAME_REVIEW');
      expect((await m.app.inject(`/v0.1/servers/${enc('beta/hello')}/versions/1.0.0`)).statusCode).toBe(404);
      const reviewer = (await m.app.inject({ method: 'POST', url: '/warden/v1/tokens', headers: auth(m.adminToken), payload: { role: 'reviewer' } })).json();
      const held = (await m.app.inject({ url: '/warden/v1/review', headers: auth(reviewer.token) })).json().held;
      expect(held.map((h: any) => h.ref)).toEqual(['beta/hello@1.0.0']);
      expect((await m.app.inject({ method: 'POST', url: `/warden/v1/review/${enc('beta/hello')}/1.0.0`, headers: auth(beta.token), payload: { decision: 'approve', reason: 'mine' } })).statusCode).toBe(403);
      const ok = await m.app.inject({ method: 'POST', url: `/warden/v1/review/${enc('beta/hello')}/1.0.0`, headers: auth(reviewer.token), payload: { decision: 'approve', reason: 'distinct project, checked' } });
      expect(ok.json()).toMatchObject({ status: 'active' });
      const doc = (await m.app.inject(`/v0.1/servers/${enc('beta/hello')}/versions/latest`)).json();
      expect(serverResponseProblems(doc)).toEqual([]);
      expect((await m.app.inject(doc._meta['dev.warden/release'].countersignature)).statusCode).toBe(200);
    });
    it('status: deprecate keeps it listed, taken-down stops serving bytes and is final', async () => {
      const r = await m.app.inject({ method: 'POST', url: `/warden/v1/servers/${enc('acme/tools')}/versions/0.1.0/status`, headers: auth(m.adminToken), payload: { status: 'deprecated', reason: 'use acme/hello' } });
      expect(r.statusCode).toBe(200);
      expect(serverResponseProblems(r.json())).toEqual([]);
      expect(r.json()._meta['io.modelcontextprotocol.registry/official']).toMatchObject({ status: 'deprecated', statusMessage: 'use acme/hello', isLatest: true });
      const down = await m.app.inject({ method: 'POST', url: `/warden/v1/servers/${enc('acme/hello')}/versions/1.1.0/status`, headers: auth(m.adminToken), payload: { status: 'taken-down', reason: 'malware' } });
      const sha = down.json()._meta['dev.warden/release'].digests.sha256;
      expect((await m.app.inject(`/warden/v1/artifacts/sha256/${sha}`)).json().code).toBe('WARDEN_E_MARKET_TAKEN_DOWN');
      expect((await m.app.inject(`/v0.1/servers/${enc('acme/hello')}/versions/latest`)).json().server.version).toBe('1.0.0');
      const again = await m.app.inject({ method: 'POST', url: `/warden/v1/servers/${enc('acme/hello')}/versions/1.1.0/status`, headers: auth(m.adminToken), payload: { status: 'active', reason: 'oops' } });
      expect(again.json().code).toBe('WARDEN_E_MARKET_STATUS');
      // The taken-down version can never be re-published, not even with the same bytes.
      const rel = await buildRelease(work, 'acme/hello', '1.1.0', acme.key.privatePem);
      const rp = await m.app.inject({ method: 'POST', url: '/warden/v1/publish', headers: auth(acme.token), payload: publishBody(rel) });
      expect(rp.json().code).toBe('WARDEN_E_MARKET_VERSION_EXISTS');
    });
  });

  describe('limits', () => {
    it('refuses an oversized body and over-long fields with 413, small valid requests pass', async () => {
      const small = await buildMarketApp(m.ctx, { maxArtifactBytes: 4096, rateLimit: { readPerSecond: 0, writePerSecond: 0 } });
      const big = await small.inject({ method: 'POST', url: '/warden/v1/publish', headers: auth(acme.token), payload: { artifact: 'A'.repeat(2_000_000), envelope: {} } });
      expect(big.statusCode).toBe(413);
      expect(big.json().code).toBe('WARDEN_E_INPUT_TOO_LARGE');
      const long = await small.inject({ method: 'POST', url: '/warden/v1/orgs', headers: auth(m.adminToken), payload: { name: 'a'.repeat(65) } });
      expect(long.json().code).toBe('WARDEN_E_INPUT_TOO_LARGE');
      expect((await small.inject({ method: 'POST', url: '/warden/v1/orgs', headers: auth(m.adminToken), payload: { name: 'gamma' } })).statusCode).toBe(201);
      await small.close();
    });
    it('rate-limits per address with Retry-After, and other addresses keep going', async () => {
      const limited = await buildMarketApp(m.ctx, { rateLimit: { readPerSecond: 5, writePerSecond: 1 } });
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await limited.inject({ url: '/healthz', remoteAddress: '10.0.0.1' })).statusCode);
      expect(codes.filter((c) => c === 200)).toHaveLength(5);
      const last = await limited.inject({ url: '/healthz', remoteAddress: '10.0.0.1' });
      expect(last.statusCode).toBe(429);
      expect(last.json().code).toBe('WARDEN_E_MARKET_RATE_LIMITED');
      expect(Number(last.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await limited.inject({ url: '/healthz', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
      await limited.close();
    });
  });

  describe('audit log', () => {
    it('verifies, then detects an edited payload, an edited release and a removed tail entry', async () => {
      const ok = await verifyAudit(m.ctx.store, { marketKey: m.ctx.marketKey.publicKey, blobs: m.ctx.blobs });
      expect(ok.problems).toEqual([]);
      expect(ok.ok).toBe(true);
      const db = m.ctx.store.db;
      const victim = await db.selectFrom('audit_log').selectAll().where('action', '=', 'key.add').orderBy('seq').executeTakeFirstOrThrow();
      await db.updateTable('audit_log').set({ payload_json: victim.payload_json.replace('acme', 'evil') }).where('seq', '=', victim.seq).execute();
      let bad = await verifyAudit(m.ctx.store, { marketKey: m.ctx.marketKey.publicKey });
      expect(bad.problems).toContainEqual({ seq: Number(victim.seq), problem: 'payload does not match its digest' });
      await db.updateTable('audit_log').set({ payload_json: victim.payload_json }).where('seq', '=', victim.seq).execute();

      const rel = await db.selectFrom('releases').selectAll().where('status', '=', 'active').orderBy('id').executeTakeFirstOrThrow();
      await db.updateTable('releases').set({ publisher_keyid: 'f'.repeat(64) }).where('id', '=', rel.id).execute();
      bad = await verifyAudit(m.ctx.store, { marketKey: m.ctx.marketKey.publicKey });
      expect(bad.problems.map((p) => p.problem)).toContain(`field publisherKeyid differs from the audit entry at ${rel.log_index}`);
      await db.updateTable('releases').set({ publisher_keyid: rel.publisher_keyid }).where('id', '=', rel.id).execute();

      const last = await db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
      await db.deleteFrom('audit_log').where('seq', '=', last.seq).execute();
      bad = await verifyAudit(m.ctx.store, { marketKey: m.ctx.marketKey.publicKey });
      expect(bad.ok).toBe(false);
      expect(bad.problems[0]!.problem).toMatch(/head row/);
      await db.insertInto('audit_log').values(last).execute();
      expect((await verifyAudit(m.ctx.store, { marketKey: m.ctx.marketKey.publicKey })).ok).toBe(true);
    });
  });
});

describe('orphan blob collection', () => {
  it('removes an old unreferenced blob, keeps referenced and young ones', async () => {
    const { startTestMarket: start } = await import('./harness.js');
    const { collectOrphanBlobs } = await import('../../src/market/gc.js');
    const m = await start('sqlite');
    try {
      const p = await setupOrg(m, 'acme');
      const rel = await buildRelease(tmpdir(), 'acme/hello', '1.0.0', p.key.privatePem);
      expect((await m.app.inject({ method: 'POST', url: '/warden/v1/publish', headers: auth(p.token), payload: publishBody(rel) })).statusCode).toBe(201);
      const orphan = Buffer.from('left behind by a crash');
      await m.ctx.blobs.put(sha256Hex(orphan), orphan);
      const young = await collectOrphanBlobs(m.ctx, { minAgeMs: 3_600_000 });
      expect(young.removed).toEqual([]);
      const r = await collectOrphanBlobs(m.ctx, { minAgeMs: 0 });
      expect(r.removed).toEqual([sha256Hex(orphan)]);
      expect(await m.ctx.blobs.has(rel.digests.sha256)).toBe(true);
      expect(await m.ctx.blobs.has(sha256Hex(orphan))).toBe(false);
    } finally {
      await m.close();
    }
  });
});
