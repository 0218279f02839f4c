import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { digestFile, sha256Hex } from '../core/digest.js';
import type { ToolDrift } from '../core/tool-pin.js';

/** Files up to this size are hashed from one read; larger ones are streamed. */
const WHOLE_READ_LIMIT = 4 * 1024 * 1024;
/** Dependency trees hold thousands of small files: hash several at once. */
const CONCURRENCY = 32;

async function hashEntry(abs: string, isLink: boolean, isFile: boolean): Promise<string> {
  if (isLink) return sha256Hex(`symlink:${await readlink(abs)}`);
  if (!isFile) return sha256Hex(`special:${(await lstat(abs)).mode}`);
  const st = await lstat(abs);
  if (st.size <= WHOLE_READ_LIMIT) return sha256Hex(await readFile(abs));
  return (await digestFile(abs)).sha256;
}

/**
 * Hashes every entry of an installed module folder (its own files and the dependencies installed
 * for it). Links are recorded by their target, never followed, so a link swapped to point at
 * another file is a change too.
 */
export async function hashTree(root: string): Promise<Record<string, string>> {
  const entries = (await readdir(root, { withFileTypes: true, recursive: true }))
    .filter((e) => !e.isDirectory())
    .map((e) => ({ abs: join(e.parentPath, e.name), link: e.isSymbolicLink(), file: e.isFile() }))
    .sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
  const hashes = new Array<string>(entries.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < entries.length; i = next++) hashes[i] = await hashEntry(entries[i]!.abs, entries[i]!.link, entries[i]!.file);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, entries.length) }, worker));
  const out: Record<string, string> = {};
  entries.forEach((e, i) => {
    out[relative(root, e.abs).split(sep).join('/')] = hashes[i]!;
  });
  return out;
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
