import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { WardenError } from '../core/errors.js';
import { digestFile } from '../core/digest.js';
import { signEnvelope, verifyEnvelope, type DsseEnvelope } from '../core/dsse.js';
import type { PrivateKeyInfo, PublicKeyInfo } from '../core/keys.js';

/**
 * A signed list of Warden's own installed files, written by the release build, so that a tampered
 * installer (a changed verifier, an injected module) is detected by `warden self-verify`.
 */
export const RELEASE_MANIFEST_TYPE = 'application/vnd.warden.release-manifest+json';
export const RELEASE_MANIFEST_FILE = 'release-manifest.dsse.json';
/** What a release covers: the code that runs and the data that steers it. */
export const RELEASE_ROOTS = ['dist', 'package.json'];

export interface ReleaseManifest {
  name: string;
  version: string;
  files: Array<{ path: string; sha256: string; size: number }>;
}

async function listFiles(root: string, rel: string): Promise<string[]> {
  const abs = join(root, rel);
  const st = await stat(abs).catch(() => undefined);
  if (!st) return [];
  if (st.isFile()) return [rel];
  const entries = await readdir(abs, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

export async function buildReleaseManifest(root: string): Promise<ReleaseManifest> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const paths = (await Promise.all(RELEASE_ROOTS.map((r) => listFiles(root, r)))).flat().sort();
  const files = [];
  for (const path of paths) {
    const d = await digestFile(join(root, path));
    files.push({ path, sha256: d.sha256, size: d.size });
  }
  return { name: pkg.name, version: pkg.version, files };
}

export function signReleaseManifest(manifest: ReleaseManifest, key: PrivateKeyInfo): DsseEnvelope {
  return signEnvelope(RELEASE_MANIFEST_TYPE, Buffer.from(JSON.stringify(manifest)), [key]);
}

export interface SelfVerifyReport {
  ok: boolean;
  version: string;
  keyid: string;
  checked: number;
  changed: string[];
  missing: string[];
  unexpected: string[];
}

/**
 * Verifies the release envelope with the trusted release keys, then recomputes every listed file's
 * digest and looks for files the release did not ship (an injected module is a tampering too).
 */
export async function verifyInstallation(root: string, envelope: DsseEnvelope, trusted: PublicKeyInfo[]): Promise<SelfVerifyReport> {
  const { payload, keyid } = verifyEnvelope(envelope, trusted, { payloadType: RELEASE_MANIFEST_TYPE, where: RELEASE_MANIFEST_FILE });
  let manifest: ReleaseManifest;
  try {
    manifest = JSON.parse(payload.toString('utf8')) as ReleaseManifest;
    if (!Array.isArray(manifest.files)) throw new Error('files missing');
  } catch (cause) {
    throw new WardenError('WARDEN_E_STATEMENT_INVALID', 'The release manifest payload is not a Warden release manifest.', { where: RELEASE_MANIFEST_FILE, cause });
  }
  const listed = new Map(manifest.files.map((f) => [f.path, f] as const));
  const present = new Set((await Promise.all(RELEASE_ROOTS.map((r) => listFiles(root, r)))).flat());
  const changed: string[] = [];
  const missing: string[] = [];
  for (const [path, expected] of listed) {
    if (!present.has(path)) {
      missing.push(path);
      continue;
    }
    const actual = await digestFile(join(root, path));
    if (actual.sha256 !== expected.sha256) changed.push(path);
  }
  const unexpected = [...present].filter((p) => !listed.has(p)).sort();
  return { ok: changed.length + missing.length + unexpected.length === 0, version: manifest.version, keyid, checked: listed.size, changed, missing, unexpected };
}
