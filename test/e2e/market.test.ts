import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { c as tarCreate } from 'tar';
import { tempDir } from '../helpers/tmp.js';
import { makeModule } from '../helpers/module.js';
import { warden, type CliResult } from '../helpers/cli.js';
import { BACKENDS, makeBackend, type Backend } from '../market/backends.js';
import { startServer, type ServerProcess } from '../market/server-process.js';
import { serverListProblems, serverResponseProblems } from '../market/registry-schema.js';
import { signEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../../src/core/dsse.js';
import { buildStatement, WARDEN_PUBLISH_PREDICATE } from '../../src/core/statement.js';
import { digestFile } from '../../src/core/digest.js';
import { parsePrivateKey, parsePublicKey } from '../../src/core/keys.js';
import { writeNewKeyPair } from '../../src/core/key-files.js';
import { packModule } from '../../src/core/pack.js';
import { signArtifact } from '../../src/core/sign-artifact.js';

const BAD_MANIFEST = new URL('../fixtures/market/bad-manifest/', import.meta.url).pathname;

function expectRefused(r: CliResult, code: string) {
  expect(r.json?.ok, r.stdout + r.stderr).toBe(false);
  expect(r.json?.error?.code, r.stderr).toBe(code);
  expect([1, 2]).toContain(r.status);
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: .{20,}`));
}

describe.each(BACKENDS)('market e2e with the built CLI on $name', ({ name, skip }) => {
  if (skip) {
    it.skip(`skipped: ${skip}`, () => undefined);
    return;
  }
  const root = tempDir(`warden-e2e-market-${name}-`);
  const data = join(root, 'data');
  let backend: Backend;
  let server: ServerProcess;
  let env: Record<string, string>;
  let adminEnv: Record<string, string>;
  const storeArgs: string[] = [];
  const w = (args: string[], extraEnv: Record<string, string> = {}) => warden(['--json', ...args], { env: { ...env, ...extraEnv }, cwd: root });
  const get = async (path: string) => fetch(server.url + path);
  const auditHead = async () => (await (await get('/warden/v1/audit/head')).json()) as { seq: number; hash: string };
  const blobs = () => readdirSync(join(data, 'blobs', 'sha256'), { recursive: true }).filter((f) => String(f).length > 3).length;

  beforeAll(async () => {
    backend = makeBackend(name);
    const loc = backend.location();
    if (loc.dbUrl) storeArgs.push('--db', loc.dbUrl, '--db-schema', loc.pgSchema!);
    const init = warden(['--json', 'market', 'init', '--data', data, ...storeArgs]);
    expect(init.status, init.stderr).toBe(0);
    expect(init.json.adminToken).toMatch(/^wdn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    // The store never holds the token itself.
    if (name === 'sqlite') expect(readFileSync(join(data, 'market.db')).includes(Buffer.from(init.json.adminToken.slice(21)))).toBe(false);
    server = await startServer(['--data', data, ...storeArgs, '--rate-limit', '0,0', '--max-artifact-bytes', String(64 * 1024)]);
    env = { WARDEN_MARKET: server.url };
    adminEnv = { WARDEN_TOKEN: init.json.adminToken };
  });
  afterAll(async () => {
    await server?.stop();
    await backend?.cleanup();
  });

  const keys = (n: string) => ({ key: join(root, 'keys', `${n}.key.pem`), pub: join(root, 'keys', `${n}.pub.pem`) });
  const tokens: Record<string, string> = {};
  const mod = (n: string, version: string, extra?: [string, string | Buffer]) => {
    const dir = join(root, 'mods', `${n.replace('/', '-')}-${version}-${randomBytes(3).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    makeModule(dir, { name: n, version });
    if (extra) writeFileSync(join(dir, extra[0]), extra[1]);
    return dir;
  };
  // Artifacts for the refusal cases are packed and signed in-process (the CLI verbs for that have
  // their own e2e test); each refusal itself goes through the built `warden publish`.
  const pack = async (dir: string) => (await packModule(dir, { out: `${dir}.tgz` })).file;
  const sign = async (tgz: string, who: string) => {
    const s = await signArtifact(tgz, parsePrivateKey(readFileSync(keys(who).key, 'utf8')));
    writeFileSync(`${tgz}.dsse.json`, JSON.stringify(s.envelope));
    return `${tgz}.dsse.json`;
  };

  it('init → serve → org → key → token → publish → read → fetch → verify with both keys', { timeout: 120_000 }, async () => {
    expect(warden(['keygen', '--out', join(root, 'keys'), '--name', 'acme']).status).toBe(0);
    for (const k of ['acme2', 'evil', 'stranger']) await writeNewKeyPair(join(root, 'keys'), k);
    expect(w(['org', 'create', 'acme'], adminEnv).status).toBe(0);
    expect(w(['org', 'key', 'add', 'acme', '--pub', keys('acme').pub], adminEnv).status).toBe(0);
    const t = w(['token', 'create', '--role', 'publisher', '--org', 'acme'], adminEnv);
    expect(t.status, t.stderr).toBe(0);
    tokens.acme = t.json.token;
    // The second org is set up through the HTTP API directly (same routes the CLI uses).
    const api = (path: string, body: unknown) => fetch(server.url + path, { method: 'POST', headers: { authorization: `Bearer ${adminEnv.WARDEN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await api('/warden/v1/orgs', { name: 'evil' })).status).toBe(201);
    expect((await api('/warden/v1/orgs/evil/keys', { publicKeyPem: readFileSync(keys('evil').pub, 'utf8') })).status).toBe(201);
    tokens.evil = (await (await api('/warden/v1/tokens', { role: 'publisher', org: 'evil' })).json()).token;
    // A publisher cannot mint tokens.
    expectRefused(w(['token', 'create', '--role', 'admin'], { WARDEN_TOKEN: tokens.acme! }), 'WARDEN_E_MARKET_FORBIDDEN');

    const p = w(['publish', mod('acme/hello', '1.0.0'), '--key', keys('acme').key], { WARDEN_TOKEN: tokens.acme! });
    expect(p.status, p.stderr + p.stdout).toBe(0);
    expect(p.json.decision).toBe('accepted');
    const w2 = w(['publish', mod('acme/weather-server', '2.0.0'), '--key', keys('acme').key], { WARDEN_TOKEN: tokens.acme! });
    expect(w2.json?.decision, w2.stdout).toBe('accepted');

    const latest = await get(`/v0.1/servers/${encodeURIComponent('acme/hello')}/versions/latest`);
    expect(latest.status).toBe(200);
    const doc = await latest.json();
    expect(serverResponseProblems(doc)).toEqual([]);
    expect(doc.server).toMatchObject({ name: 'acme/hello', version: '1.0.0' });
    expect(doc._meta['io.modelcontextprotocol.registry/official']).toMatchObject({ status: 'active', isLatest: true });
    const list = await (await get('/v0.1/servers?search=hello')).json();
    expect(serverListProblems(list)).toEqual([]);
    expect(list.servers.map((s: any) => s.server.name)).toEqual(['acme/hello']);

    const f = w(['market', 'fetch', 'acme/hello@latest', '--out', join(root, 'dl')]);
    expect(f.status, f.stderr).toBe(0);
    const art = f.json.files.artifact;
    const v = w(['verify', art, '--sig', f.json.files.envelope, '--pub', keys('acme').pub, '--ref', 'acme/hello@1.0.0']);
    expect(v.status, v.stderr).toBe(0);
    // `warden verify` with the publisher key AND the market's countersignature.
    const both = w(['verify', art, '--sig', f.json.files.envelope, '--pub', keys('acme').pub, '--countersig', f.json.files.countersignature, '--market-pub', f.json.files.marketKey]);
    expect(both.status, both.stderr).toBe(0);
    expect(both.json.market).toMatchObject({ logIndex: expect.any(Number) });
    expectRefused(w(['verify', art, '--sig', f.json.files.envelope, '--pub', keys('acme').pub, '--countersig', f.json.files.countersignature, '--market-pub', keys('acme').pub]), 'WARDEN_E_MARKET_COUNTERSIG');
    expectRefused(w(['verify', art, '--sig', f.json.files.envelope, '--pub', keys('acme').pub, '--countersig', f.json.files.countersignature]), 'WARDEN_E_USAGE');
    const vr = w(['market', 'verify-release', art, '--pub', keys('acme').pub, '--market-pub', f.json.files.marketKey]);
    expect(vr.status, vr.stderr).toBe(0);
    expect(vr.json).toMatchObject({ ok: true, ref: 'acme/hello@1.0.0', logIndex: expect.any(Number) });
    // The market countersignature alone does not stand in for the publisher: the wrong publisher key fails.
    expectRefused(w(['market', 'verify-release', art, '--pub', keys('evil').pub, '--market-pub', f.json.files.marketKey]), 'WARDEN_E_KEY_UNKNOWN');
    // ...and a countersignature by another key (the publisher's own) is not the market's.
    expectRefused(w(['market', 'verify-release', art, '--pub', keys('acme').pub, '--market-pub', keys('acme').pub]), 'WARDEN_E_MARKET_COUNTERSIG');
  });

  describe('refusals: each with its code, nothing stored', () => {
    let before: { seq: number; hash: string };
    let blobCount: number;
    beforeAll(async () => {
      before = await auditHead();
      blobCount = blobs();
    });
    const acme = () => ({ WARDEN_TOKEN: tokens.acme! });

    it('wrong org\'s token', async () => {
      const tgz = await pack(mod('acme/hello', '1.1.0'));
      expectRefused(w(['publish', tgz, '--sig', await sign(tgz, 'acme')], { WARDEN_TOKEN: tokens.evil! }), 'WARDEN_E_MARKET_FORBIDDEN');
    });
    it('unregistered key', async () => {
      const tgz = await pack(mod('acme/hello', '1.1.0'));
      expectRefused(w(['publish', tgz, '--sig', await sign(tgz, 'stranger')], acme()), 'WARDEN_E_MARKET_KEY_UNREGISTERED');
    });
    it('revoked key (and the revocation is audited)', async () => {
      expect(w(['org', 'key', 'add', 'acme', '--pub', keys('acme2').pub], adminEnv).status).toBe(0);
      const keyid = parsePublicKey(readFileSync(keys('acme2').pub, 'utf8')).keyid;
      expect(w(['org', 'key', 'list', 'acme']).json.keys.map((k: any) => k.keyid)).toContain(keyid);
      expect(w(['org', 'key', 'revoke', 'acme', keyid], acme()).status).toBe(0);
      before = await auditHead(); // key add + revoke are state changes
      const tgz = await pack(mod('acme/hello', '1.1.0'));
      expectRefused(w(['publish', tgz, '--sig', await sign(tgz, 'acme2')], acme()), 'WARDEN_E_MARKET_KEY_REVOKED');
    });
    it('tampered artifact', async () => {
      const signedTgz = await pack(mod('acme/hello', '1.2.0'));
      const sig = await sign(signedTgz, 'acme');
      const other = await pack(mod('acme/hello', '1.2.0', ['server.mjs', 'process.exit(1)\n']));
      expectRefused(w(['publish', other, '--sig', sig], acme()), 'WARDEN_E_DIGEST_MISMATCH');
    });
    it('envelope for another module', async () => {
      const otherTgz = await pack(mod('acme/other', '1.3.0'));
      const sig = await sign(otherTgz, 'acme');
      const tgz = await pack(mod('acme/hello', '1.3.0'));
      expectRefused(w(['publish', tgz, '--sig', sig], acme()), 'WARDEN_E_SUBJECT_MISMATCH');
    });
    it('look-alike of another org\'s module name', async () => {
      const tgz = await pack(mod('evil/weather-srever', '1.0.0'));
      const r = w(['publish', tgz, '--sig', await sign(tgz, 'evil')], { WARDEN_TOKEN: tokens.evil! });
      expectRefused(r, 'WARDEN_E_MARKET_NAME_BLOCKED');
      expect(r.json.error.details.reasons.map((x: any) => x.step)).toContain('name-policy');
    });
    it('duplicate version with different bytes', async () => {
      const tgz = await pack(mod('acme/hello', '1.0.0', ['extra.txt', 'changed\n']));
      expectRefused(w(['publish', tgz, '--sig', await sign(tgz, 'acme')], acme()), 'WARDEN_E_MARKET_VERSION_EXISTS');
    });
    it('malformed server.json', async () => {
      const dir = join(root, 'bad');
      cpSync(BAD_MANIFEST, join(dir, 'package'), { recursive: true });
      const tgz = join(root, 'bad.tgz');
      await tarCreate({ gzip: true, file: tgz, cwd: dir, portable: true }, ['package']);
      const statement = buildStatement('acme/hello@1.4.0', await digestFile(tgz), WARDEN_PUBLISH_PREDICATE, { ref: 'acme/hello@1.4.0' });
      const env = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), [parsePrivateKey(readFileSync(keys('acme').key, 'utf8'))]);
      writeFileSync(`${tgz}.dsse.json`, JSON.stringify(env));
      expectRefused(w(['publish', tgz, '--sig', `${tgz}.dsse.json`], acme()), 'WARDEN_E_MANIFEST_INVALID');
    });
    it('oversized upload', async () => {
      const tgz = await pack(mod('acme/hello', '1.5.0', ['blob.bin', randomBytes(200 * 1024)]));
      const r = w(['publish', tgz, '--sig', await sign(tgz, 'acme')], acme());
      expectRefused(r, 'WARDEN_E_INPUT_TOO_LARGE');
    });
    it('…and none of them left a row, a blob or an audit entry', async () => {
      expect(await auditHead()).toEqual(before);
      expect(blobs()).toBe(blobCount);
      const versions = await (await get(`/v0.1/servers/${encodeURIComponent('acme/hello')}/versions?include_deleted=true`)).json();
      expect(versions.servers.map((s: any) => s.server.version)).toEqual(['1.0.0']);
      expect((await get(`/v0.1/servers/${encodeURIComponent('evil/weather-srever')}/versions`)).status).toBe(404);
    });
  });

  it('status change and review are honoured by the read API, and the audit log verifies', { timeout: 120_000 }, async () => {
    const y = w(['status', 'set', 'acme/hello@1.0.0', 'yanked', '--reason', 'broken'], adminEnv);
    expect(y.status, y.stderr).toBe(0);
    expect((await get(`/v0.1/servers/${encodeURIComponent('acme/hello')}/versions/latest`)).status).toBe(404);
    const withDeleted = await (await get(`/v0.1/servers/${encodeURIComponent('acme/hello')}/versions/1.0.0?include_deleted=true`)).json();
    expect(withDeleted._meta['io.modelcontextprotocol.registry/official'].status).toBe('deleted');
    expect(withDeleted._meta['dev.warden/release'].status).toBe('yanked');
    expectRefused(w(['status', 'set', 'acme/hello@1.0.0', 'active', '--reason', 'x'], { WARDEN_TOKEN: tokens.acme! }), 'WARDEN_E_MARKET_FORBIDDEN');
    // A name resembling another org's module is held (exit 1, WARDEN_E_MARKET_HELD) until a reviewer decides.
    const tgz = await pack(mod('evil/hello', '1.0.0'));
    const held = w(['publish', tgz, '--sig', await sign(tgz, 'evil')], { WARDEN_TOKEN: tokens.evil! });
    expect(held.status, held.stdout + held.stderr).toBe(1);
    expect(held.json).toMatchObject({ ok: false, decision: 'held', error: { code: 'WARDEN_E_MARKET_HELD' } });
    expect((await get(`/v0.1/servers/${encodeURIComponent('evil/hello')}/versions/1.0.0`)).status).toBe(404);
    const ok = w(['review', 'approve', 'evil/hello@1.0.0', '--reason', 'distinct project'], adminEnv);
    expect(ok.json?.status, ok.stderr).toBe('active');
    expect((await get(`/v0.1/servers/${encodeURIComponent('evil/hello')}/versions/1.0.0`)).status).toBe(200);
    const a = warden(['--json', 'market', 'audit', 'verify', '--data', data, ...storeArgs]);
    expect(a.status, a.stderr + a.stdout).toBe(0);
    expect(a.json).toMatchObject({ ok: true, releases: 3 });
    expect(a.json.entries).toBeGreaterThanOrEqual(10);
  });
});
