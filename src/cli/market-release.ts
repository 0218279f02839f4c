import type { Command } from 'commander';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { WardenError, ioError } from '../core/errors.js';
import { digestBytes, digestFile } from '../core/digest.js';
import { parseEnvelope, ENVELOPE_LIMITS } from '../core/dsse.js';
import { readPublicKeyFile } from '../core/key-files.js';
import { parsePublicKey } from '../core/keys.js';
import { readArtifactManifest } from '../core/artifact-manifest.js';
import { manifestRef } from '../core/manifest.js';
import { formatModuleId, formatRef, parseModuleId, parseRef, validateVersion } from '../core/ref.js';
import { writeFileAtomic } from '../core/sign-artifact.js';
import { verifyArtifactEnvelope } from '../core/verify-release.js';
import { verifyCountersignature } from '../core/countersignature.js';
import { addMarketOptions, marketClient, type MarketClientOptions } from './market-client.js';
import { action, emit } from './output.js';

async function readEnvelope(path: string) {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    throw ioError('read the envelope', path, err);
  }
  if (st.size > ENVELOPE_LIMITS.maxBytes) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `${path} is over ${ENVELOPE_LIMITS.maxBytes} bytes.`, { where: path });
  return parseEnvelope(await readFile(path), path);
}

export function registerReleaseCommands(market: Command): void {
  addMarketOptions(market.command('fetch').description('Download a release: artifact, publisher envelope, market countersignature and market key.').argument('<ref>', 'org/name@version (or org/name@latest)'), false)
    .option('--out <dir>', 'folder to write into', '.')
    .addHelpText(
      'after',
      `
Writes <org>-<name>-<version>.tgz, .tgz.dsse.json, .tgz.countersig.json and market.pub.pem, after
checking the bytes against the digests the market lists. Then verify both signatures offline:

Example:
  $ warden market fetch acme/weather@1.0.0 --market http://127.0.0.1:8080 --out dl
  $ warden market verify-release dl/acme-weather-1.0.0.tgz --pub acme.pub.pem --market-pub dl/market.pub.pem`,
    )
    .action(
      action(async (refText: string, o: MarketClientOptions & { out: string }, cmd: Command) => {
        const at = refText.lastIndexOf('@');
        const version = at > 0 ? refText.slice(at + 1) : '';
        const id = formatModuleId(parseModuleId(refText.slice(0, at > 0 ? at : undefined), 'ref'));
        if (version !== 'latest') validateVersion(version, 'ref');
        const client = marketClient(o, false);
        const meta = (await client.request('GET', `/v0.1/servers/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`)).body;
        const w = meta?._meta?.['dev.warden/release'];
        if (!w?.digests?.sha256 || !w.artifact) throw new WardenError('WARDEN_E_MARKET_UNREACHABLE', 'The market response has no Warden release metadata; is this a Warden market?');
        const artifact = (await client.request('GET', w.artifact, undefined, { raw: true })).bytes!;
        const d = digestBytes(artifact);
        if (d.sha256 !== w.digests.sha256 || d.sha512 !== w.digests.sha512) throw new WardenError('WARDEN_E_DIGEST_MISMATCH', 'The downloaded artifact does not match the digests the market lists; nothing was written.');
        const envelope = (await client.request('GET', w.envelope, undefined, { raw: true })).bytes!;
        const countersig = (await client.request('GET', w.countersignature, undefined, { raw: true })).bytes!;
        const key = (await client.request('GET', '/warden/v1/market-key')).body as { keyid: string; publicKeyPem: string };
        parsePublicKey(key.publicKeyPem, 'market key');
        const outDir = resolve(o.out);
        await mkdir(outDir, { recursive: true });
        const base = join(outDir, `${id.replace('/', '-')}-${meta.server.version}.tgz`);
        const files = { artifact: base, envelope: `${base}.dsse.json`, countersignature: `${base}.countersig.json`, marketKey: join(outDir, 'market.pub.pem') };
        await writeFileAtomic(files.artifact, artifact, { overwrite: true });
        await writeFileAtomic(files.envelope, envelope, { overwrite: true });
        await writeFileAtomic(files.countersignature, countersig, { overwrite: true });
        await writeFileAtomic(files.marketKey, key.publicKeyPem, { overwrite: true });
        emit(cmd.optsWithGlobals(), { ok: true, ref: `${id}@${meta.server.version}`, status: w.status, marketKeyid: key.keyid, sha256: d.sha256, files }, () => `fetched ${id}@${meta.server.version} (${w.status})\n${Object.values(files).join('\n')}`);
      }),
    );

  market
    .command('verify-release')
    .description('Verify an artifact with BOTH its publisher signature and the market\'s countersignature.')
    .argument('<artifact>', 'the .tgz')
    .requiredOption('--pub <file>', 'the publisher\'s public key you trust for this module')
    .requiredOption('--market-pub <file>', 'the market\'s public key you trust')
    .option('--sig <file>', 'publisher envelope (default <artifact>.dsse.json)')
    .option('--countersig <file>', 'market countersignature (default <artifact>.countersig.json)')
    .option('--ref <org/name@version>', 'the module you expect (default: the artifact\'s server.json)')
    .addHelpText(
      'after',
      `
Passes only when the publisher's key signed this ref and these digests, AND the market's key
countersigned the same ref and digests naming that publisher key (with its scan summary, rating
and audit log index). Exit 1 with WARDEN_E_MARKET_COUNTERSIG, WARDEN_E_DIGEST_MISMATCH, ... otherwise.

Example:
  $ warden market verify-release acme-weather-1.0.0.tgz --pub acme.pub.pem --market-pub market.pub.pem`,
    )
    .action(
      action(async (artifact: string, o: { pub: string; marketPub: string; sig?: string; countersig?: string; ref?: string }, cmd: Command) => {
        const digests = await digestFile(artifact);
        const expectedRef = o.ref ? parseRef(o.ref, '--ref') : manifestRef((await readArtifactManifest(artifact)).manifest);
        const publisherKey = await readPublicKeyFile(o.pub);
        const marketKey = await readPublicKeyFile(o.marketPub);
        const sigPath = o.sig ?? `${artifact}.dsse.json`;
        const csPath = o.countersig ?? `${artifact}.countersig.json`;
        const pub = verifyArtifactEnvelope(await readEnvelope(sigPath), digests, { trustedKeys: [publisherKey], expectedRef }, sigPath);
        const rel = verifyCountersignature(await readEnvelope(csPath), digests, { marketKey, expectedRef, publisherKeyid: pub.keyid }, csPath);
        const p = rel.predicate;
        const json = { ok: true, ref: formatRef(expectedRef), publisherKeyid: pub.keyid, marketKeyid: rel.marketKeyid, sha256: digests.sha256, rating: p.rating, scan: p.scan, naming: p.naming, logIndex: p.logIndex, countersignedAt: p.time };
        emit(cmd.optsWithGlobals(), json, () =>
          [`verified ${json.ref}`, `publisher ${json.publisherKeyid}`, `market    ${json.marketKeyid} (log index ${json.logIndex}, ${json.countersignedAt})`, `scan      ${p.scan.status}${p.rating ? `, rating ${p.rating}` : ''}`, `naming    ${p.naming.status}${p.naming.verdict ? ` (${p.naming.verdict})` : ''}`].join('\n'),
        );
      }),
    );
}
