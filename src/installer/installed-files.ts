import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, readlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { sha256Hex } from '../core/digest.js';
import { ioError } from '../core/errors.js';
import type { ToolDrift } from '../core/tool-pin.js';

/** Files are read in chunks of this size into one reused buffer: memory stays flat. */
const CHUNK = 1 << 20;
/** The event loop gets a turn at least this often (the install's tool probe runs meanwhile). */
const SLICE_MS = 8;
/**
 * O_NOFOLLOW: a file swapped for a link after the listing is an error, never followed.
 * O_NONBLOCK: one swapped for a FIFO cannot block the open (and is recorded as special).
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

interface Slicer {
  buf: Buffer;
  since: number;
}

async function turn(s: Slicer): Promise<void> {
  if (performance.now() - s.since < SLICE_MS) return;
  await new Promise<void>((r) => setImmediate(r));
  s.since = performance.now();
}

/**
 * What identifies one version of an entry without reading it: inode, size, mode, and the
 * modification and change times in nanoseconds. ctime cannot be set back from user space
 * (utimes moves mtime, never ctime), so content rewritten in place shows up here.
 */
type Stamp = string;

function stampOf(st: { ino: bigint; size: bigint; mode: bigint; mtimeNs: bigint; ctimeNs: bigint }): Stamp {
  return `${st.ino}:${st.size}:${st.mode}:${st.mtimeNs}:${st.ctimeNs}`;
}

interface Hashed {
  sha256: string;
  stamp: Stamp;
  ctimeNs: bigint;
}

async function hashFile(abs: string, s: Slicer): Promise<Hashed> {
  const fd = openSync(abs, OPEN_FLAGS);
  try {
    // Stamped before the first byte is read: a change during or after the read moves ctime.
    const st = fstatSync(fd, { bigint: true });
    const stamp = stampOf(st);
    if (!st.isFile()) return { sha256: sha256Hex(`special:${st.mode}`), stamp, ctimeNs: st.ctimeNs };
    const h = createHash('sha256');
    for (;;) {
      const n = readSync(fd, s.buf, 0, CHUNK, null);
      if (n === 0) break;
      h.update(s.buf.subarray(0, n));
      if (n === CHUNK) await turn(s);
    }
    return { sha256: h.digest('hex'), stamp, ctimeNs: st.ctimeNs };
  } finally {
    closeSync(fd);
  }
}

async function hashEntry(abs: string, isLink: boolean, isFile: boolean, s: Slicer): Promise<Hashed> {
  try {
    if (isLink || !isFile) {
      const st = lstatSync(abs, { bigint: true });
      const sha256 = isLink ? sha256Hex(`symlink:${readlinkSync(abs)}`) : sha256Hex(`special:${st.mode}`);
      return { sha256, stamp: stampOf(st), ctimeNs: st.ctimeNs };
    }
    return await hashFile(abs, s);
  } catch (err) {
    throw ioError('hash', abs, err);
  }
}

/** Every entry under root (links to folders are entries, not descended into), sorted by path. */
async function listTree(root: string, slicer: Slicer): Promise<Array<{ abs: string; rel: string; link: boolean; file: boolean }>> {
  const entries: Array<{ abs: string; rel: string; link: boolean; file: boolean }> = [];
  for (const dirs = [root]; dirs.length > 0; await turn(slicer)) {
    const dir = dirs.pop()!;
    let listing;
    try {
      listing = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      throw ioError('list', dir, err);
    }
    for (const e of listing) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) dirs.push(abs);
      else entries.push({ abs, rel: relative(root, abs).split(sep).join('/'), link: e.isSymbolicLink(), file: e.isFile() });
    }
  }
  return entries.sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
}

/** Hashes of a tree, and what is needed to tell later which of them still hold. */
export interface TrackedHashes {
  files: Record<string, string>;
  stamps: Map<string, Stamp>;
  /** Wall clock (ns) when the pass began, less a margin for coarse file timestamps. */
  racyAfterNs: bigint;
}

/**
 * Linux stamps files with a coarse clock (one tick, up to 10 ms): a change in the same tick as
 * an earlier one can leave every stamp field equal. Entries changed this close to (or after)
 * the start of the pass that hashed them are "racily clean" (git's term) and are re-read.
 */
const RACY_MARGIN_NS = 50_000_000n;

/**
 * Hashes a tree. With `previous` (a pass over the same tree, e.g. one that ran while the module's
 * server was starting), an entry whose stamp is unchanged and was not racily clean keeps its
 * previous hash; anything new, changed, or touched near that pass is read again, and entries that
 * are gone are dropped. The result is what a full pass now would give.
 */
export async function hashTreeTracked(root: string, previous?: TrackedHashes): Promise<TrackedHashes> {
  const racyAfterNs = BigInt(Date.now()) * 1_000_000n - RACY_MARGIN_NS;
  const slicer: Slicer = { buf: Buffer.allocUnsafe(CHUNK), since: performance.now() };
  const files: Record<string, string> = {};
  const stamps = new Map<string, Stamp>();
  for (const e of await listTree(root, slicer)) {
    const before = previous?.stamps.get(e.rel);
    if (before !== undefined) {
      let st;
      try {
        st = lstatSync(e.abs, { bigint: true });
      } catch (err) {
        throw ioError('hash', e.abs, err);
      }
      if (stampOf(st) === before && st.ctimeNs < previous!.racyAfterNs) {
        files[e.rel] = previous!.files[e.rel]!;
        stamps.set(e.rel, before);
        continue;
      }
    }
    const h = await hashEntry(e.abs, e.link, e.file, slicer);
    files[e.rel] = h.sha256;
    stamps.set(e.rel, h.stamp);
    await turn(slicer);
  }
  return { files, stamps, racyAfterNs };
}

/**
 * Hashes every entry of an installed module folder (its own files and the dependencies installed
 * for it). Links are recorded by their target, never followed, so a link swapped to point at
 * another file is a change too.
 *
 * Reads are synchronous, in time slices: a dependency tree is thousands of small files that were
 * just written (in the page cache), and a thread-pool round trip per open/stat/read/close cost
 * 4-5x the reading itself (3,689 files: ~50 ms this way, 200-500 ms with fs/promises).
 */
export async function hashTree(root: string): Promise<Record<string, string>> {
  return (await hashTreeTracked(root)).files;
}

/** Same shape as a tool drift, so `hasDrift` from core/tool-pin serves both. */
export type FileDrift = ToolDrift;

export function diffFiles(pinned: Record<string, string>, current: Record<string, string>): FileDrift {
  return {
    added: Object.keys(current).filter((p) => !(p in pinned)).sort(),
    removed: Object.keys(pinned).filter((p) => !(p in current)).sort(),
    changed: Object.keys(current).filter((p) => p in pinned && pinned[p] !== current[p]).sort(),
  };
}
