import type { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WardenError, ioError } from '../core/errors.js';
import { readPrivateKeyFile, readPublicKeyFile, writeNewKeyPair } from '../core/key-files.js';
import { packModule } from '../core/pack.js';
import { signArtifact, writeFileAtomic } from '../core/sign-artifact.js';
import { parseEnvelope, ENVELOPE_LIMITS } from '../core/dsse.js';
import { digestFile } from '../core/digest.js';
import { checkInputFile, readInputFile } from '../core/input-file.js';
import { assertSubjectIs, verifyArtifactEnvelope } from '../core/verify-release.js';
import { verifyCountersignature } from '../core/countersignature.js';
import { readArtifactManifest } from '../core/artifact-manifest.js';
import { manifestRef } from '../core/manifest.js';
import { formatRef, parseRef } from '../core/ref.js';
import { action, emit, warn } from './output.js';

async function readEnvelopeFile(path: string) {
  return parseEnvelope(await readInputFile(path, 'signature envelope', ENVELOPE_LIMITS.maxBytes), path);
}

export function registerDevelopCommands(program: Command): void {
  program
    .command('keygen')
    .description('Create an Ed25519 signing key pair for publishing modules.')
    .requiredOption('--out <dir>', 'folder to write <name>.key.pem (mode 0600) and <name>.pub.pem into (created if missing)')
    .option('--name <name>', 'file name prefix', 'warden')
    .addHelpText(
      'after',
      `
The private key (PKCS#8 PEM) never leaves your machine: keep it out of repositories. Register the
public key (SPKI PEM) with your market org. The keyid printed is the hex sha256 of the public key's
DER bytes; envelopes name it. keygen never overwrites an existing key.

Example:
  $ warden keygen --out ~/.warden/keys
  $ warden org key add acme --pub ~/.warden/keys/warden.pub.pem`,
    )
    .action(
      action(async (opts: { out: string; name: string }, cmd: Command) => {
        if (!/^[A-Za-z0-9._-]{1,64}$/.test(opts.name)) throw new WardenError('WARDEN_E_USAGE', '--name must be 1-64 letters, digits, ".", "_" or "-".', { where: '--name' });
        const dir = resolve(opts.out);
        try {
          await mkdir(dir, { recursive: true, mode: 0o700 });
        } catch (err) {
          throw ioError('create', dir, err);
        }
        const res = await writeNewKeyPair(dir, opts.name);
        emit(cmd.optsWithGlobals(), { ok: true, ...res }, () => `keyid   ${res.keyid}\nprivate ${res.privateKeyFile} (0600, keep secret)\npublic  ${res.publicKeyFile}`);
      }),
    );

  program
    .command('pack')
    .description('Pack a module folder into a deterministic .tgz artifact and print its digests.')
    .argument('<dir>', 'module folder with server.json at its root')
    .option('--out <file>', 'artifact path (default: <org>-<name>-<version>.tgz in the current folder)')
    .option('--include-deps', 'also pack node_modules/ (excluded by default)')
    .addHelpText(
      'after',
      `
The same files always give the same bytes: entries are sorted, prefixed "package/", with a fixed
mtime, uid/gid 0 and modes 0644/0755. Symbolic links, devices and FIFOs are refused. Excluded:
.git, node_modules (unless --include-deps), anything matched by .wardenignore (gitignore syntax),
and secret-looking files (*.pem, *.key, .env*), which are reported as warnings.

Example:
  $ warden pack ./weather-server --out weather.tgz
  $ warden --json pack ./weather-server | jq -r .sha256`,
    )
    .action(
      action(async (dir: string, opts: { out?: string; includeDeps?: boolean }, cmd: Command) => {
        const res = await packModule(dir, { out: opts.out, includeDeps: opts.includeDeps });
        for (const f of res.secretsSkipped) warn(`left out ${f}: it looks like a secret (key or .env file)`);
        const json = { ok: true, ref: formatRef(res.ref), file: res.file, size: res.size, files: res.files, sha256: res.digests.sha256, sha512: res.digests.sha512, skipped: res.secretsSkipped };
        emit(cmd.optsWithGlobals(), json, () =>
          [`ref     ${json.ref}`, `file    ${json.file}`, `size    ${json.size} bytes (${json.files} files)`, `sha256  ${json.sha256}`, `sha512  ${json.sha512}`].join('\n'),
        );
      }),
    );

  program
    .command('sign')
    .description('Sign an artifact: writes a DSSE envelope with an in-toto statement naming its ref and digests.')
    .argument('<artifact>', 'the .tgz written by `warden pack`')
    .requiredOption('--key <file>', 'your private key (.key.pem)')
    .option('--ref <org/name@version>', 'the reference to sign (default and must-match: the artifact\'s server.json)')
    .option('--out <file>', 'envelope path (default: <artifact>.dsse.json)')
    .option('--force', 'replace an existing envelope file')
    .addHelpText(
      'after',
      `
The envelope's payload is an in-toto Statement v1 with one subject (org/name@version and the
artifact's sha256 + sha512) and a Warden publish predicate binding the server.json digest.

Example:
  $ warden sign weather.tgz --key ~/.warden/keys/warden.key.pem
  $ warden verify weather.tgz --sig weather.tgz.dsse.json --pub warden.pub.pem`,
    )
    .action(
      action(async (artifact: string, opts: { key: string; ref?: string; out?: string; force?: boolean }, cmd: Command) => {
        await checkInputFile(artifact, 'artifact');
        const key = await readPrivateKeyFile(opts.key);
        const res = await signArtifact(artifact, key, opts.ref);
        const out = opts.out ?? `${artifact}.dsse.json`;
        await writeFileAtomic(out, JSON.stringify(res.envelope, null, 2) + '\n', { overwrite: Boolean(opts.force) });
        const json = { ok: true, ref: formatRef(res.ref), envelope: out, keyid: res.keyid, sha256: res.digests.sha256, sha512: res.digests.sha512 };
        emit(cmd.optsWithGlobals(), json, () => `signed  ${json.ref}\nkeyid   ${json.keyid}\nwrote   ${out}`);
      }),
    );

  program
    .command('verify')
    .description('Verify an artifact against its DSSE envelope and the signer\'s public key.')
    .argument('<artifact>', 'the .tgz to check')
    .requiredOption('--sig <file>', 'the DSSE envelope (.dsse.json)')
    .requiredOption('--pub <file>', 'the public key you trust for this module (.pub.pem)')
    .option('--ref <org/name@version>', 'the module you expect; the signature must name exactly this')
    .option('--countersig <file>', 'also require the market\'s countersignature (from `warden market fetch`)')
    .option('--market-pub <file>', 'the market public key you trust (with --countersig)')
    .addHelpText(
      'after',
      `
Checks, in order: envelope shape → payload type → signed by the given key → signature valid →
statement names --ref → the artifact's sha256 and sha512 equal the signed digests → (without
--ref) the artifact's server.json names the signed ref. Exit 0 only when all pass; exit 1 with
the failing check's code (WARDEN_E_SIG_MISMATCH, WARDEN_E_DIGEST_MISMATCH, ...) otherwise.
With --countersig and --market-pub it also requires the market's countersignature over the same
ref and digests, naming the publisher key that verified (WARDEN_E_MARKET_COUNTERSIG otherwise).

Examples:
  $ warden verify weather.tgz --sig weather.tgz.dsse.json --pub acme.pub.pem --ref acme/weather@1.0.0
  $ warden verify weather.tgz --sig weather.tgz.dsse.json --pub acme.pub.pem \\
      --countersig weather.tgz.countersig.json --market-pub market.pub.pem`,
    )
    .action(
      action(async (artifact: string, opts: { sig: string; pub: string; ref?: string; countersig?: string; marketPub?: string }, cmd: Command) => {
        if (Boolean(opts.countersig) !== Boolean(opts.marketPub)) {
          throw new WardenError('WARDEN_E_USAGE', '--countersig and --market-pub go together: the countersignature is checked with the market key you trust.', { where: opts.countersig ? '--market-pub' : '--countersig' });
        }
        const expectedRef = opts.ref ? parseRef(opts.ref, '--ref') : undefined;
        await checkInputFile(artifact, 'artifact');
        const envelope = await readEnvelopeFile(opts.sig);
        const key = await readPublicKeyFile(opts.pub);
        const digests = await digestFile(artifact);
        const verified = verifyArtifactEnvelope(envelope, digests, { trustedKeys: [key], expectedRef }, opts.sig);
        if (!expectedRef) {
          // The bytes are the signed ones; now the module they declare must be the one signed.
          const { manifest } = await readArtifactManifest(artifact);
          assertSubjectIs(verified.statement, manifestRef(manifest), artifact);
        }
        const subject = verified.statement.subject[0]!;
        let market: { keyid: string; logIndex: number; rating: string | null } | undefined;
        if (opts.countersig && opts.marketPub) {
          const marketKey = await readPublicKeyFile(opts.marketPub);
          const counter = await readEnvelopeFile(opts.countersig);
          const rel = verifyCountersignature(counter, digests, { marketKey, expectedRef: parseRef(subject.name), publisherKeyid: verified.keyid }, opts.countersig);
          market = { keyid: rel.marketKeyid, logIndex: rel.predicate.logIndex, rating: rel.predicate.rating };
        }
        const json = { ok: true, ref: subject.name, keyid: verified.keyid, sha256: digests.sha256, sha512: digests.sha512, ...(market ? { market } : {}) };
        emit(cmd.optsWithGlobals(), json, () => `verified ${json.ref}\nkeyid    ${json.keyid}\nsha256   ${json.sha256}${market ? `\nmarket   ${market.keyid} (log index ${market.logIndex})` : ''}`);
      }),
    );
}
