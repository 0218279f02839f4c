// bench/market: the market's read and publish throughput, on SQLite and PostgreSQL, next to a bare
// fastify route measured in the same run.
//   npm run bench -- market [--duration 5] [--runs 3] [--publishes 100] [--connections 10] [--no-pg]
// Every server runs in its own process (the CLI's `market serve`, rate limits raised so they do
// not cap the figures); autocannon drives it from this process. Reads: GET
// /v0.1/servers/{name}/versions/latest. Publishes: distinct signed versions of a small module,
// each going through the whole pipeline (token, manifest, naming, signature, digests, scan,
// rating, countersignature, blob fsync, transaction + audit entry).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { generateEd25519, parsePrivateKey } from '../dist/core/keys.js';
import { packModule } from '../dist/core/pack.js';
import { signArtifact } from '../dist/core/sign-artifact.js';
import { median } from './lib/common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'dist', 'cli', 'index.js');
const HELLO = join(here, '..', 'test', 'fixtures', 'modules', 'hello');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const DURATION = opt('duration', 5);
const RUNS = opt('runs', 3);
const PUBLISHES = opt('publishes', 100);
const CONNECTIONS = opt('connections', 10);
const PG_URL = process.env.WARDEN_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const out = join(here, '.out', 'market');

if (args[0] === '--child-bare') {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  app.get('/hello', async () => ({ ok: true, name: 'acme/hello', version: '1.0.0' }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(`market listening on ${url}`);
  await new Promise(() => {});
}

function startProcess(argv) {
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    let buf = '';
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
    child.stdout.on('data', (c) => {
      buf += c;
      const m = /market listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve({ url: m[1], stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) });
    });
  });
}

function cannon(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))));
}

async function readBench(url) {
  const rps = [];
  const p50 = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await cannon({ url, connections: CONNECTIONS, duration: DURATION });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    rps.push(r.requests.average);
    p50.push(r.latency.p50);
  }
  return { rps: median(rps), p50: median(p50) };
}

async function post(url, path, token, body) {
  const res = await fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

/** Distinct signed versions of the hello module, as publish request bodies. */
async function makeBodies(key, prefix, n) {
  const bodies = [];
  const dir = join(out, `mods-${prefix}`);
  for (let i = 0; i < n; i++) {
    const mdir = join(dir, String(i));
    mkdirSync(mdir, { recursive: true });
    for (const f of ['server.mjs', 'README.md']) writeFileSync(join(mdir, f), readFileSync(join(HELLO, f)));
    const manifest = JSON.parse(readFileSync(join(HELLO, 'server.json'), 'utf8'));
    manifest.version = `${prefix}.0.${i}`;
    manifest.packages[0].version = manifest.version;
    writeFileSync(join(mdir, 'server.json'), JSON.stringify(manifest));
    const packed = await packModule(mdir, { out: `${mdir}.tgz` });
    const signed = await signArtifact(packed.file, parsePrivateKey(key.privatePem));
    bodies.push(JSON.stringify({ artifact: readFileSync(packed.file).toString('base64'), envelope: signed.envelope }));
  }
  return bodies;
}

async function publishBench(url, token, key, runIndex) {
  const bodies = await makeBodies(key, String(runIndex + 2), PUBLISHES);
  let i = 0;
  const r = await cannon({
    url: `${url}/warden/v1/publish`,
    connections: 4,
    amount: PUBLISHES,
    timeout: 60,
    requests: [{ method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`publish: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: (r.requests.sent / r.duration), p50: r.latency.p50 };
}

async function marketBench(store) {
  const data = join(out, `data-${store}`);
  rmSync(data, { recursive: true, force: true });
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const storeArgs = store === 'postgres' ? ['--db', PG_URL, '--db-schema', schema] : [];
  const init = spawnSync(process.execPath, [CLI, '--json', 'market', 'init', '--data', data, ...storeArgs], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(init.stderr);
  const admin = JSON.parse(init.stdout).adminToken;
  const server = await startProcess([CLI, 'market', 'serve', '--data', data, ...storeArgs, '--port', '0', '--rate-limit', '10000000,10000000', '--log-level', 'error']);
  try {
    const key = generateEd25519();
    await post(server.url, '/warden/v1/orgs', admin, { name: 'acme' });
    await post(server.url, '/warden/v1/orgs/acme/keys', admin, { publicKeyPem: key.publicPem });
    const token = (await post(server.url, '/warden/v1/tokens', admin, { role: 'publisher', org: 'acme' })).token;
    const [first] = await makeBodies(key, '1', 1);
    await post(server.url, '/warden/v1/publish', token, JSON.parse(first));
    const read = await readBench(`${server.url}/v0.1/servers/acme%2Fhello/versions/latest`);
    const pubs = [];
    for (let r = 0; r < RUNS; r++) pubs.push(await publishBench(server.url, token, key, r));
    return { read, publish: { rps: median(pubs.map((p) => p.rps)), p50: median(pubs.map((p) => p.p50)) } };
  } finally {
    await server.stop();
    if (store === 'postgres') {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  }
}

async function pgAnswers() {
  if (args.includes('--no-pg')) return false;
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch (e) {
    console.log(`PostgreSQL at ${PG_URL} does not answer (${e.message}): PostgreSQL rows skipped`);
    return false;
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
console.log(`bench/market: ${RUNS} runs × ${DURATION} s reads (${CONNECTIONS} connections), ${RUNS} × ${PUBLISHES} publishes (4 connections); medians`);
const bare = await startProcess([fileURLToPath(import.meta.url), '--child-bare']);
const bareRead = await readBench(`${bare.url}/hello`);
await bare.stop();
const rows = [['bare fastify GET', bareRead.rps, bareRead.p50, 1]];
for (const store of ['sqlite', ...((await pgAnswers()) ? ['postgres'] : [])]) {
  const r = await marketBench(store);
  rows.push([`${store}: GET versions/latest`, r.read.rps, r.read.p50, r.read.rps / bareRead.rps]);
  rows.push([`${store}: publish (full pipeline)`, r.publish.rps, r.publish.p50, r.publish.rps / bareRead.rps]);
}
console.log('\n| what | req/s (median) | p50 latency ms | ratio to bare fastify |\n|---|---:|---:|---:|');
for (const [what, rps, p50, ratio] of rows) console.log(`| ${what} | ${rps.toFixed(1)} | ${p50} | ${ratio.toFixed(3)} |`);
rmSync(out, { recursive: true, force: true });
