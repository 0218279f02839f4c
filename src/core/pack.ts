import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createGzip, constants as zlibConstants } from 'node:zlib';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Header, Pax } from 'tar';
import { WardenError, ioError } from './errors.js';
import { DualHasher, type DigestResult } from './digest.js';
import { MANIFEST_FILE, manifestRef, parseManifest, type ServerManifest } from './manifest.js';
import { formatRef, type ModuleRef } from './ref.js';
import { walkModule, type PackEntry, type PackLimits } from './pack-walk.js';

/** Fixed metadata that makes archives byte-identical for identical trees. */
export const ARTIFACT_MTIME = new Date(Date.UTC(1985, 9, 26, 8, 15, 0));
export const ARTIFACT_PREFIX = 'package/';

export interface PackOptions {
  out?: string;
  includeDeps?: boolean;
  limits?: Partial<PackLimits>;
}

export interface PackResult {
  ref: ModuleRef;
  file: string;
  size: number;
  digests: DigestResult;
  files: number;
  manifest: ServerManifest;
  secretsSkipped: string[];
}

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);

function headerFor(path: string, size: number, mode: number): Buffer[] {
  const data = { path, mode, size, uid: 0, gid: 0, uname: '', gname: '', mtime: ARTIFACT_MTIME, type: 'File' as const };
  const header = new Header(data);
  const block = Buffer.alloc(BLOCK);
  header.encode(block, 0);
  if (!header.needPax) return [block];
  // Long or non-ASCII paths go in a PAX extended header (deterministic: same fields, same mtime).
  const pax = new Pax({ path, mtime: ARTIFACT_MTIME, uid: 0, gid: 0, size, mode }).encode();
  return [pax, block];
}

async function* tarStream(entries: PackEntry[]): AsyncGenerator<Buffer> {
  for (const e of entries) {
    yield* headerFor(ARTIFACT_PREFIX + e.path, e.size, e.executable ? 0o755 : 0o644);
    let written = 0;
    for await (const chunk of createReadStream(e.absPath, { highWaterMark: 1 << 20 })) {
      const buf = chunk as Buffer;
      written += buf.length;
      if (written > e.size) break;
      yield buf;
    }
    // A file that changed size while packing would corrupt the archive: refuse instead.
    if (written !== e.size) throw new WardenError('WARDEN_E_IO', `"${e.path}" changed while it was being packed; pack again.`, { where: e.absPath });
    const pad = (BLOCK - (e.size % BLOCK)) % BLOCK;
    if (pad) yield ZERO_BLOCK.subarray(0, pad);
  }
  yield ZERO_BLOCK;
  yield ZERO_BLOCK;
}

export async function readModuleManifest(dir: string): Promise<ServerManifest> {
  const path = join(dir, MANIFEST_FILE);
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new WardenError('WARDEN_E_MANIFEST_MISSING', `No server.json in ${dir}. Every module needs one at its root (see docs/formats.md).`, { where: path });
    }
    throw ioError('read', path, err);
  }
  return parseManifest(text, path);
}

/**
 * Packs a module folder into a deterministic .tgz: entries in byte order under `package/`,
 * fixed mtime, uid/gid 0, modes 0644/0755, no links or devices. The file is written to a
 * temporary name and renamed into place, so a failure leaves nothing behind.
 */
export async function packModule(dir: string, opts: PackOptions = {}): Promise<PackResult> {
  const root = resolve(dir);
  let st;
  try {
    st = await stat(root);
  } catch (err) {
    throw ioError('open module folder', root, err);
  }
  if (!st.isDirectory()) throw new WardenError('WARDEN_E_USAGE', `${root} is not a folder; pack takes the module folder.`, { where: root });
  const manifest = await readModuleManifest(root);
  const ref = manifestRef(manifest);
  const out = resolve(opts.out ?? `${ref.org}-${ref.name}-${ref.version}.tgz`);
  const walk = await walkModule(root, { includeDeps: opts.includeDeps, exclude: [out], limits: opts.limits });

  const tmp = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.tmp`);
  const hasher = new DualHasher();
  const hashTap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hasher.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.from(tarStream(walk.entries)),
      createGzip({ level: zlibConstants.Z_BEST_COMPRESSION }),
      hashTap,
      createWriteStream(tmp, { flags: 'wx', mode: 0o644 }),
    );
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof WardenError) throw err;
    throw ioError('write', out, err);
  }
  const digests = hasher.digest();
  return { ref, file: out, size: digests.size, digests, files: walk.entries.length, manifest, secretsSkipped: walk.secretsSkipped };
}

export { formatRef };
