import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { digestFile, sha256Hex } from '../core/digest.js';

/**
 * Hashes every entry of an installed module folder (its own files and the dependencies installed
 * for it). Links are recorded by their target, never followed, so a link swapped to point at
 * another file is a change too.
 */
export async function hashTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  const paths = entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name));
  paths.sort();
  for (const abs of paths) {
    const rel = relative(root, abs).split(sep).join('/');
    const st = await lstat(abs);
    if (st.isSymbolicLink()) out[rel] = sha256Hex(`symlink:${await readlink(abs)}`);
    else if (st.isFile()) out[rel] = (await digestFile(abs)).sha256;
    else out[rel] = sha256Hex(`special:${st.mode}`);
  }
  return out;
}

export interface FileDrift {
  added: string[];
  removed: string[];
  changed: string[];
}

export function diffFiles(pinned: Record<string, string>, current: Record<string, string>): FileDrift {
  return {
    added: Object.keys(current).filter((p) => !(p in pinned)).sort(),
    removed: Object.keys(pinned).filter((p) => !(p in current)).sort(),
    changed: Object.keys(current).filter((p) => p in pinned && pinned[p] !== current[p]).sort(),
  };
}
