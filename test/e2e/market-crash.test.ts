import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { makeModule } from '../helpers/module.js';
import { warden } from '../helpers/cli.js';
import { BACKENDS, makeBackend, type Backend } from '../market/backends.js';
import { startServer, type ServerProcess } from '../market/server-process.js';
import { generateEd25519, parsePrivateKey, parsePublicKey } from '../../src/core/keys.js';
import { packModule } from '../../src/core/pack.js';
import { signArtifact } from '../../src/core/sign-artifact.js';
import { digestBytes } from '../../src/core/digest.js';
import { parseEnvelope } from '../../src/core/dsse.js';
import { verifyCountersignature } from '../../src/core/countersignature.js';

const N = 50;

describe.each(BACKENDS)(`crash safety on $name: SIGKILL during ${N} concurrent publishes`, ({ name, skip }) => {
  if (skip) {
    it.skip(`skipped: ${skip}`, () => undefined);
    return;
  }
  const root = tempDir(`warden-crash-${name}-`);
  const data = join(root, 'data');
  let backend: Backend | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await backend?.cleanup();
  });

  it('every version is wholly present or absent after restart, and the audit log verifies', { timeout: 180_000 }, async () => {
    backend = makeBackend(name);
    const loc = backend.location();
    const storeArgs = loc.dbUrl ? ['--db', loc.dbUrl, '--db-schema', loc.pgSchema!] : [];
    const init = warden(['--json', 'market', 'init', '--data', data, ...storeArgs]);
    expect(init.status, init.stderr).toBe(0);
    const admin = init.json.adminToken as string;
    const serveArgs = ['--data', data, ...storeArgs, '--rate-limit', '0,0'];
    server = await startServer(serveArgs);
    const post = (url: string, path: string, token: string, body: unknown) =>
      fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const key = generateEd25519();
    expect((await post(server.url, '/warden/v1/orgs', admin, { name: 'acme' })).status).toBe(201);
    expect((await post(server.url, '/warden/v1/orgs/acme/keys', admin, { publicKeyPem: key.publicPem })).status).toBe(201);
    const token = (await (await post(server.url, '/warden/v1/tokens', admin, { role: 'publisher', org: 'acme' })).json()).token as string;

    // 50 distinct versions, packed and signed up front so the kill lands among the publishes.
    const releases: Array<{ version: string; body: { artifact: string; envelope: unknown }; sha256: string }> = [];
    for (let i = 0; i < N; i++) {
      const version = `1.0.${i}`;
      const dir = join(root, `m${i}`);
      mkdirSync(dir);
      makeModule(dir, { name: 'acme/crash', version });
      const packed = await packModule(dir, { out: `${dir}.tgz` });
      const signed = await signArtifact(packed.file, parsePrivateKey(key.privatePem));
      const bytes = readFileSync(packed.file);
      releases.push({ version, body: { artifact: bytes.toString('base64'), envelope: signed.envelope }, sha256: signed.digests.sha256 });
    }

    const acked = new Set<string>();
    let failed = 0;
    const url = server.url;
    const inflight = releases.map((r) =>
      post(url, '/warden/v1/publish', token, r.body).then(
        (res) => {
          if (res.status === 201) acked.add(r.version);
        },
        () => void failed++,
      ),
    );
    // Kill as soon as a few publishes have been acknowledged: the rest are mid-flight.
    const t0 = Date.now();
    while (acked.size < 3 && Date.now() - t0 < 60_000) await new Promise((res) => setTimeout(res, 5));
    server.child.kill('SIGKILL');
    await Promise.all(inflight);
    await server.stop('SIGKILL');
    console.log(`[crash ${name}] acknowledged before SIGKILL: ${acked.size}, requests cut off: ${failed}`);
    expect(failed, 'the kill must land while publishes are in flight').toBeGreaterThan(0);

    server = await startServer(serveArgs);
    const marketKey = parsePublicKey((await (await fetch(`${server.url}/warden/v1/market-key`)).json()).publicKeyPem);
    const audit: any[] = (await (await fetch(`${server.url}/warden/v1/audit?limit=1000`)).json()).entries;
    const auditedRefs = new Map(audit.filter((e) => e.action === 'release.publish').map((e) => [e.payload.ref, e]));
    let present = 0;
    for (const r of releases) {
      const ref = `acme/crash@${r.version}`;
      const res = await fetch(`${server.url}/v0.1/servers/${encodeURIComponent('acme/crash')}/versions/${r.version}`);
      if (res.status === 404) {
        expect(acked.has(r.version), `${ref} was acknowledged but is gone`).toBe(false);
        expect(auditedRefs.has(ref), `${ref} is absent but has an audit entry`).toBe(false);
        continue;
      }
      expect(res.status).toBe(200);
      present++;
      const meta = (await res.json())._meta['dev.warden/release'];
      // Row present → blob, audit entry and countersignature present and consistent.
      const blob = Buffer.from(await (await fetch(server.url + meta.artifact)).arrayBuffer());
      expect(digestBytes(blob).sha256).toBe(r.sha256);
      expect(auditedRefs.get(ref)?.seq).toBe(meta.logIndex);
      const cs = parseEnvelope(await (await fetch(server.url + meta.countersignature)).text());
      const v = verifyCountersignature(cs, digestBytes(blob), { marketKey, expectedRef: { org: 'acme', name: 'crash', version: r.version }, publisherKeyid: key.keyid });
      expect(v.predicate.logIndex).toBe(meta.logIndex);
    }
    console.log(`[crash ${name}] present after restart: ${present}/${N}`);
    expect(present).toBeGreaterThanOrEqual(acked.size);
    await server.stop();
    const a = warden(['--json', 'market', 'audit', 'verify', '--data', data, ...storeArgs]);
    expect(a.status, a.stdout + a.stderr).toBe(0);
    expect(a.json.releases).toBe(present);
  });
});
