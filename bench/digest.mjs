// bench/digest: artifact hashing and Ed25519 verification speed.
//   npm run bench -- digest [--mib 256] [--runs 3]
// Compares, in the same run and on the same file: Warden's verify path (one pass computing
// sha256 + sha512) and the whole `warden verify` CLI against coreutils `sha256sum` + `sha512sum`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, openSync, writeSync, closeSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { digestFile } from '../dist/core/digest.js';
import { packModule } from '../dist/core/pack.js';
import { generateEd25519, parsePrivateKey, parsePublicKey } from '../dist/core/keys.js';
import { signArtifact } from '../dist/core/sign-artifact.js';
import { signEnvelope, verifyEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../dist/core/dsse.js';
import { verify as cryptoVerify } from 'node:crypto';
import { median } from './lib/common.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const MIB = opt('mib', 256);
const RUNS = opt('runs', 3);
const root = join(dirname(fileURLToPath(import.meta.url)), '.out', 'digest');
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'index.js');

async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

rmSync(root, { recursive: true, force: true });
mkdirSync(join(root, 'module'), { recursive: true });
process.stderr.write(`preparing a ${MIB} MiB module (random, incompressible) ...\n`);
const hello = fileURLToPath(new URL('../test/fixtures/modules/hello/', import.meta.url));
for (const f of ['server.json', 'server.mjs']) writeFileSync(join(root, 'module', f), readFileSync(join(hello, f)));
const fd = openSync(join(root, 'module', 'blob.bin'), 'w');
for (let i = 0; i < MIB; i++) writeSync(fd, randomBytes(1 << 20));
closeSync(fd);

const artifact = join(root, 'module.tgz');
const packMs = await time(() => packModule(join(root, 'module'), { out: artifact }));
const tarMs = await time(async () => run('tar', ['-czf', join(root, 'baseline.tgz'), '-C', join(root, 'module'), '.']));
const pair = generateEd25519();
const priv = parsePrivateKey(pair.privatePem);
writeFileSync(join(root, 'pub.pem'), pair.publicPem);
const signed = await signArtifact(artifact, priv);
writeFileSync(join(root, 'module.tgz.dsse.json'), JSON.stringify(signed.envelope));

const coreutils = [];
const digestOnly = [];
const cliVerify = [];
for (let r = 0; r < RUNS; r++) {
  process.stderr.write(`run ${r + 1}/${RUNS} ...\n`);
  coreutils.push(await time(async () => {
    run('sha256sum', [artifact]);
    run('sha512sum', [artifact]);
  }));
  digestOnly.push(await time(() => digestFile(artifact)));
  cliVerify.push(await time(async () => run(process.execPath, [CLI, 'verify', artifact, '--sig', join(root, 'module.tgz.dsse.json'), '--pub', join(root, 'pub.pem')])));
}

// Ed25519: envelope verification (PAE + keyid lookup + verify) vs bare crypto.verify.
const pub = parsePublicKey(pair.publicPem);
const env = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(signed.envelope).slice(0, 600)), [priv]);
const msg = Buffer.from('x'.repeat(600));
const sig = (await import('node:crypto')).sign(null, msg, priv.key);
function rate(fn, ms = 1500) {
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
  }
  return n / (ms / 1000);
}
const envRates = [];
const rawRates = [];
for (let r = 0; r < RUNS; r++) {
  envRates.push(rate(() => verifyEnvelope(env, [pub])));
  rawRates.push(rate(() => cryptoVerify(null, msg, pub.key, sig)));
}

const size = signed.digests.size;
const mbps = (ms) => (size / (1 << 20) / (ms / 1000)).toFixed(0);
const result = {
  artifactMiB: +(size / (1 << 20)).toFixed(1),
  runs: RUNS,
  medianMs: { sha256sumPlusSha512sum: median(coreutils), wardenDigest: median(digestOnly), wardenVerifyCli: median(cliVerify), wardenPack: packMs, tarCzf: tarMs },
  ratio: {
    digestVsCoreutils: +(median(digestOnly) / median(coreutils)).toFixed(2),
    verifyCliVsCoreutils: +(median(cliVerify) / median(coreutils)).toFixed(2),
    packVsTarCzf: +(packMs / tarMs).toFixed(2),
  },
  ed25519PerSecond: { envelopeVerify: Math.round(median(envRates)), rawCryptoVerify: Math.round(median(rawRates)) },
};
console.log(JSON.stringify(result, null, 2));
console.log(
  `\nverify ${result.artifactMiB} MiB: warden verify ${median(cliVerify).toFixed(0)} ms (${mbps(median(cliVerify))} MiB/s) vs sha256sum+sha512sum ${median(coreutils).toFixed(0)} ms → ratio ${result.ratio.verifyCliVsCoreutils} (target <= 1.5)` +
    `\nEd25519 envelope verifications: ${result.ed25519PerSecond.envelopeVerify}/s (target >= 5000; bare crypto.verify ${result.ed25519PerSecond.rawCryptoVerify}/s)`,
);
rmSync(root, { recursive: true, force: true });
