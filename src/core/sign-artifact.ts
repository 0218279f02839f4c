import { readFile, writeFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { WardenError, ioError } from './errors.js';
import { digestFile, sha256Hex, type DigestResult } from './digest.js';
import { signEnvelope, IN_TOTO_PAYLOAD_TYPE, type DsseEnvelope } from './dsse.js';
import { buildStatement, WARDEN_PUBLISH_PREDICATE, type PublishPredicate } from './statement.js';
import { readArtifactManifest } from './artifact-manifest.js';
import { manifestRef } from './manifest.js';
import { formatRef, parseRef, sameRef, type ModuleRef } from './ref.js';
import type { PrivateKeyInfo } from './keys.js';
import { WARDEN_VERSION } from './version.js';

export const WARDEN_TOOL = { tool: 'warden', version: WARDEN_VERSION } as const;

export interface SignResult {
  ref: ModuleRef;
  envelope: DsseEnvelope;
  digests: DigestResult;
  keyid: string;
}

/** Builds and signs the publish statement for an artifact file. */
export async function signArtifact(file: string, key: PrivateKeyInfo, refOverride?: string, now: Date = new Date()): Promise<SignResult> {
  const { manifest, bytes } = await readArtifactManifest(file);
  const packed = manifestRef(manifest);
  const ref = refOverride ? parseRef(refOverride, '--ref') : packed;
  if (!sameRef(ref, packed)) {
    throw new WardenError('WARDEN_E_SUBJECT_MISMATCH', `--ref ${formatRef(ref)} differs from the artifact's server.json (${formatRef(packed)}). Sign the ref the artifact declares.`, { where: '--ref' });
  }
  const digests = await digestFile(file);
  const predicate: PublishPredicate = {
    ref: formatRef(ref),
    manifest: { path: 'server.json', digest: { sha256: sha256Hex(bytes) } },
    artifact: { size: digests.size, mediaType: 'application/gzip' },
    signedAt: now.toISOString(),
    signer: { ...WARDEN_TOOL },
  };
  const statement = buildStatement(formatRef(ref), digests, WARDEN_PUBLISH_PREDICATE, predicate);
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement), 'utf8'), [key]);
  return { ref, envelope, digests, keyid: key.keyid };
}

/** Writes a file atomically (temp + rename); refuses to replace an existing file unless `overwrite`. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: { overwrite?: boolean; mode?: number } = {}): Promise<void> {
  if (!opts.overwrite) {
    try {
      await readFile(path);
      throw new WardenError('WARDEN_E_OUTPUT_EXISTS', `${path} already exists; remove it or pass --force.`, { where: path });
    } catch (err) {
      if (err instanceof WardenError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('check', path, err);
    }
  }
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data, { flag: 'wx', mode: opts.mode ?? 0o644 });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw ioError('write', path, err);
  }
}
