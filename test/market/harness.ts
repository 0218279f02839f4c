import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { initMarket, openMarket, type OpenMarketOptions } from '../../src/market/open.js';
import { buildMarketApp, type MarketHttpOptions } from '../../src/market/http/app.js';
import type { MarketContext } from '../../src/market/context.js';
import { makeBackend, type Backend } from './backends.js';
import { generateEd25519, parsePrivateKey } from '../../src/core/keys.js';
import { packModule } from '../../src/core/pack.js';
import { signArtifact } from '../../src/core/sign-artifact.js';
import { makeModule } from '../helpers/module.js';
import { readFileSync } from 'node:fs';

export interface TestMarket {
  dir: string;
  ctx: MarketContext;
  app: FastifyInstance;
  adminToken: string;
  backend: Backend;
  close(): Promise<void>;
}

export async function startTestMarket(backendName: 'sqlite' | 'postgres', opts: Omit<OpenMarketOptions, 'dataDir'> & { http?: MarketHttpOptions } = {}): Promise<TestMarket> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-market-'));
  const backend = makeBackend(backendName);
  const init = await initMarket({ dataDir: dir, ...backend.location() });
  const ctx = await openMarket({ dataDir: dir, ...backend.location(), ...opts });
  const app = await buildMarketApp(ctx, { rateLimit: { readPerSecond: 0, writePerSecond: 0 }, ...opts.http });
  return {
    dir,
    ctx,
    app,
    adminToken: init.adminToken,
    backend,
    async close() {
      await app.close();
      await ctx.store.close();
      await backend.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

export interface Publisher {
  org: string;
  token: string;
  key: ReturnType<typeof generateEd25519>;
}

/** Admin creates `org`, registers a fresh key, and mints a publisher token for it. */
export async function setupOrg(m: TestMarket, org: string): Promise<Publisher> {
  const key = generateEd25519();
  let r = await m.app.inject({ method: 'POST', url: '/warden/v1/orgs', headers: auth(m.adminToken), payload: { name: org } });
  if (r.statusCode !== 201) throw new Error(`org create ${r.statusCode} ${r.body}`);
  r = await m.app.inject({ method: 'POST', url: `/warden/v1/orgs/${org}/keys`, headers: auth(m.adminToken), payload: { publicKeyPem: key.publicPem } });
  if (r.statusCode !== 201) throw new Error(`key add ${r.statusCode} ${r.body}`);
  r = await m.app.inject({ method: 'POST', url: '/warden/v1/tokens', headers: auth(m.adminToken), payload: { role: 'publisher', org } });
  if (r.statusCode !== 201) throw new Error(`token create ${r.statusCode} ${r.body}`);
  return { org, token: r.json().token, key };
}

/** Packs the hello fixture as `name@version` and signs it with `privatePem`. */
export async function buildRelease(workDir: string, name: string, version: string, privatePem: string, opts: { extraFile?: [string, string | Buffer] } = {}) {
  const dir = mkdtempSync(join(workDir, 'mod-'));
  makeModule(dir, { name, version });
  if (opts.extraFile) (await import('node:fs')).writeFileSync(join(dir, opts.extraFile[0]), opts.extraFile[1]);
  const out = join(workDir, `${name.replace('/', '-')}-${version}-${Math.random().toString(36).slice(2)}.tgz`);
  await packModule(dir, { out });
  const signed = await signArtifact(out, parsePrivateKey(privatePem));
  return { file: out, bytes: readFileSync(out), envelope: signed.envelope, digests: signed.digests };
}

export function publishBody(rel: { bytes: Buffer; envelope: unknown }) {
  return { artifact: rel.bytes.toString('base64'), envelope: rel.envelope };
}
