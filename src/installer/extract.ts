import { constants as fsConstants, createReadStream, createWriteStream, mkdirSync, openSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { WardenError, ioError, isWardenError } from '../core/errors.js';
import { entryRelativePath } from './extract-path.js';

export { PACKAGE_PREFIX, entryRelativePath } from './extract-path.js';

/** Limits enforced while the archive streams; none of them needs the whole archive in memory or on disk. */
export interface ExtractLimits {
  /** Compressed artifact size. */
  maxArchiveBytes: number;
  /** Entries of any type (files and folders). */
  maxEntries: number;
  /** Declared size of one file. */
  maxFileBytes: number;
  /** Declared sizes of all files together. */
  maxTotalBytes: number;
  /** Decompressed tar stream (headers, padding and data): the absolute bomb cap. */
  maxExpandedBytes: number;
  /** Decompressed bytes per compressed byte read so far, checked once `ratioFloorBytes` expanded. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_EXTRACT_LIMITS: Readonly<ExtractLimits> = Object.freeze({
  maxArchiveBytes: 64 * 1024 * 1024,
  maxEntries: 20_000,
  maxFileBytes: 64 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxExpandedBytes: 600 * 1024 * 1024,
  // Source code, minified bundles and lock files stay far below 30:1; runs of zeros reach ~1000:1.
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
});

export interface ExtractOptions {
  limits?: Partial<ExtractLimits>;
}

export interface ExtractResult {
  /** The destination, now holding the contents of `package/`. */
  dir: string;
  files: number;
  directories: number;
  /** Sum of file sizes. */
  totalBytes: number;
  compressedBytes: number;
  expandedBytes: number;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const LINK_TYPES = new Set(['SymbolicLink', 'Link']);

/** Counts bytes through a stream and lets a check veto them before they go further. */
function meter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        onBytes(chunk.length);
      } catch (err) {
        cb(err as Error);
        return;
      }
      cb(null, chunk);
    },
  });
}

/** Adapts tar's Parser (an EventEmitter with write/end) to a Writable that honours its back-pressure. */
function parserSink(parser: Parser, failed: () => WardenError | undefined): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (parser.write(chunk)) cb();
      else parser.once('drain', () => cb());
    },
    final(cb) {
      parser.once('end', () => cb(failed()));
      parser.end();
    },
  });
}

/**
 * Extracts a Warden artifact (`.tgz` with everything under `package/`) into `dest`, which must not
 * exist. Files go to a fresh temp folder beside `dest`, which is renamed into place only when the
 * whole archive passed; on any failure the temp folder is removed and `dest` is untouched.
 * Refused: absolute paths, `..`, entries outside `package/`, links, devices/FIFOs, duplicates,
 * and archives over the entry, size, expansion or ratio limits (checked while streaming).
 */
export async function extractArtifact(source: string | Uint8Array, dest: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const limits: ExtractLimits = { ...DEFAULT_EXTRACT_LIMITS, ...options.limits };
  const target = resolve(dest);
  await assertAbsent(target);
  const parent = dirname(target);
  try {
    await mkdir(parent, { recursive: true });
  } catch (err) {
    throw ioError('create folder', parent, err);
  }
  let temp: string;
  try {
    temp = await mkdtemp(join(parent, `.${basename(target)}.extract-`));
  } catch (err) {
    throw ioError('create a temp folder in', parent, err);
  }

  const stats = { files: 0, directories: 0, entries: 0, totalBytes: 0, compressedBytes: 0, expandedBytes: 0 };
  const seen = new Map<string, 'file' | 'dir'>([['', 'dir']]);
  const writes: Promise<void>[] = [];
  const outs: Writable[] = [];
  let failure: WardenError | undefined;
  const abort = new AbortController();
  const fail = (err: unknown): void => {
    if (failure) return;
    failure = isWardenError(err)
      ? err
      : new WardenError('WARDEN_E_ARCHIVE_CORRUPT', `The artifact is not a readable gzip-compressed tar: ${(err as Error)?.message ?? String(err)}.`, { cause: err });
    abort.abort(failure);
  };

  const onEntry = (entry: ReadEntry): void => {
    try {
      if (failure) throw failure;
      acceptEntry(entry);
    } catch (err) {
      fail(err);
      entry.resume();
    }
  };

  const acceptEntry = (entry: ReadEntry): void => {
    const where = JSON.stringify(entry.path).slice(0, 300);
    stats.entries += 1;
    if (stats.entries > limits.maxEntries) {
      throw new WardenError('WARDEN_E_ARCHIVE_TOO_MANY_FILES', `The archive holds more than ${limits.maxEntries} entries; refusing it.`, { details: { limit: limits.maxEntries } });
    }
    const type = entry.type;
    if (LINK_TYPES.has(type)) {
      throw new WardenError('WARDEN_E_ARCHIVE_LINK', `Archive entry ${where} is a ${type === 'Link' ? 'hard' : 'symbolic'} link (to ${JSON.stringify(entry.linkpath ?? '').slice(0, 200)}); refusing the archive.`, { where, details: { type } });
    }
    const isDir = type === 'Directory';
    if (!isDir && !FILE_TYPES.has(type)) {
      throw new WardenError('WARDEN_E_ARCHIVE_SPECIAL', `Archive entry ${where} is a ${type} entry; only files and folders are allowed.`, { where, details: { type } });
    }
    const rel = entryRelativePath(entry.path, isDir);
    const parts = rel === '' ? [] : rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const ancestor = parts.slice(0, i).join('/');
      if (seen.get(ancestor) === 'file') {
        throw new WardenError('WARDEN_E_ARCHIVE_DUPLICATE', `Archive entry ${where} uses the file "${ancestor}" as a folder; refusing the archive.`, { where });
      }
    }
    const before = seen.get(rel);
    if (before === 'file' || (before === 'dir' && !isDir)) {
      throw new WardenError('WARDEN_E_ARCHIVE_DUPLICATE', `Archive entry ${where} repeats a path already in the archive; refusing the archive.`, { where });
    }
    for (let i = 1; i < parts.length; i++) seen.set(parts.slice(0, i).join('/'), 'dir');
    seen.set(rel, isDir ? 'dir' : 'file');
    const abs = join(temp, rel);
    if (isDir) {
      stats.directories += 1;
      mkdirSync(abs, { recursive: true, mode: 0o755 });
      entry.resume();
      return;
    }
    const size = entry.size ?? 0;
    if (size > limits.maxFileBytes) {
      throw new WardenError('WARDEN_E_ARCHIVE_FILE_TOO_LARGE', `Archive entry ${where} declares ${size} bytes, over the per-file limit of ${limits.maxFileBytes}; refusing the archive.`, { where, details: { size, limit: limits.maxFileBytes } });
    }
    if (stats.totalBytes + size > limits.maxTotalBytes) {
      throw new WardenError('WARDEN_E_ARCHIVE_TOO_LARGE', `The archive's files add up to more than ${limits.maxTotalBytes} bytes; refusing it.`, { where, details: { limit: limits.maxTotalBytes } });
    }
    stats.totalBytes += size;
    stats.files += 1;
    mkdirSync(dirname(abs), { recursive: true, mode: 0o755 });
    const mode = (entry.mode ?? 0o644) & 0o111 ? 0o755 : 0o644;
    // O_EXCL + O_NOFOLLOW: never write through anything that already exists at the path.
    const fd = openSync(abs, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, mode);
    const out = createWriteStream('', { fd });
    outs.push(out);
    writes.push(
      new Promise<void>((done) => {
        out.on('close', () => done());
        out.on('error', (err) => {
          fail(ioError('write', abs, err));
          done();
        });
        entry.on('error', (err: unknown) => fail(err));
        entry.pipe(out);
      }),
    );
  };

  const parser = new Parser({ strict: true, onReadEntry: onEntry });
  parser.on('error', (err: unknown) => fail(err));
  parser.on('warn', (_code: string, message: unknown) => fail(message instanceof Error ? message : new Error(String(message))));

  const input = typeof source === 'string' ? createReadStream(source) : Readable.from(chunksOf(source));
  const gunzip = createGunzip();
  try {
    await pipeline(
      input,
      meter((n) => {
        stats.compressedBytes += n;
        if (stats.compressedBytes > limits.maxArchiveBytes) {
          throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The artifact is larger than ${limits.maxArchiveBytes} bytes; refusing it.`, { details: { limit: limits.maxArchiveBytes } });
        }
      }),
      gunzip,
      meter((n) => {
        stats.expandedBytes += n;
        // The ratio is taken over compressed bytes the inflater has consumed, not merely read.
        checkExpansion(stats.expandedBytes, gunzip.bytesWritten, limits);
      }),
      parserSink(parser, () => failure),
      { signal: abort.signal },
    );
    await Promise.all(writes);
    if (failure) throw failure;
    if (stats.files === 0) {
      throw new WardenError('WARDEN_E_ARCHIVE_CORRUPT', 'The archive holds no files under "package/"; refusing it.');
    }
    await chmod(temp, 0o755);
    await assertAbsent(target);
    await rename(temp, target);
  } catch (err) {
    fail(typeof source === 'string' && (err as NodeJS.ErrnoException)?.code === 'ENOENT' && !failure ? ioError('read', source, err) : err);
    closeQuietly(parser);
    for (const out of outs) out.destroy();
    await Promise.allSettled(writes);
    await rm(temp, { recursive: true, force: true });
    throw failure ?? err;
  }
  return { dir: target, ...pick(stats) };
}

function pick(s: { files: number; directories: number; totalBytes: number; compressedBytes: number; expandedBytes: number }) {
  return { files: s.files, directories: s.directories, totalBytes: s.totalBytes, compressedBytes: s.compressedBytes, expandedBytes: s.expandedBytes };
}

function* chunksOf(bytes: Uint8Array, size = 64 * 1024): Generator<Buffer> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

function checkExpansion(expandedBytes: number, consumedBytes: number, limits: ExtractLimits): void {
  const details = { expandedBytes, compressedBytes: consumedBytes };
  if (expandedBytes > limits.maxExpandedBytes) {
    throw new WardenError('WARDEN_E_ARCHIVE_BOMB', `The archive expands past ${limits.maxExpandedBytes} bytes; stopped reading and refused it.`, { details: { ...details, limit: limits.maxExpandedBytes } });
  }
  if (expandedBytes > limits.ratioFloorBytes && expandedBytes > limits.maxRatio * consumedBytes) {
    const ratio = Math.round(expandedBytes / Math.max(1, consumedBytes));
    throw new WardenError('WARDEN_E_ARCHIVE_BOMB', `The archive expands ${ratio}:1, over the ${limits.maxRatio}:1 limit (a compression bomb); stopped reading and refused it.`, { details: { ...details, ratio, limit: limits.maxRatio } });
  }
}

async function assertAbsent(target: string): Promise<void> {
  try {
    await lstat(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw ioError('inspect', target, err);
  }
  throw new WardenError('WARDEN_E_ARCHIVE_DEST_EXISTS', `The destination ${target} already exists; Warden does not merge into or overwrite it. Remove it or choose another folder.`, { where: target });
}

function closeQuietly(parser: Parser): void {
  try {
    parser.abort(new Error('extraction stopped'));
  } catch {
    // abort() always reports through warn/error; the failure is already recorded.
  }
}
