import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { WardenError, ioError } from './errors.js';

export interface PackEntry {
  /** POSIX path relative to the module root. */
  path: string;
  absPath: string;
  size: number;
  executable: boolean;
}

export interface WalkOptions {
  includeDeps?: boolean;
  /** Absolute paths never packed (e.g. the output archive when it sits inside the folder). */
  exclude?: string[];
  limits?: Partial<PackLimits>;
}

export interface PackLimits {
  maxFiles: number;
  maxTotalBytes: number;
  maxDepth: number;
  maxPathBytes: number;
}

export const DEFAULT_PACK_LIMITS: PackLimits = {
  maxFiles: 20_000,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxDepth: 64,
  maxPathBytes: 1024,
};

export interface WalkResult {
  entries: PackEntry[];
  /** Files left out because they look like secrets (keys, .env): reported as warnings. */
  secretsSkipped: string[];
  ignored: number;
}

/** Always excluded, whatever .wardenignore says. */
const ALWAYS_EXCLUDED = ['.git/', '.hg/', '.svn/', '.DS_Store'];
/** Excluded and warned about: they are usually secrets that must never be published. */
const SECRET_PATTERNS = ['*.pem', '*.key', '.env', '.env.*', '!.env.example', '!.env.sample', 'id_rsa', 'id_ed25519', '.npmrc'];

// Control characters and backslashes make archive paths ambiguous across platforms.
const BAD_PATH_CHARS = /[\u0000-\u001f\u007f\\]/;

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Lists the files of a module folder in a deterministic order (byte order of their POSIX paths),
 * applying the ignore rules. Links and special files are refused, never followed.
 */
export async function walkModule(root: string, opts: WalkOptions = {}): Promise<WalkResult> {
  const limits = { ...DEFAULT_PACK_LIMITS, ...opts.limits };
  const userIgnore: Ignore = ignore();
  try {
    userIgnore.add(await readFile(join(root, '.wardenignore'), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('read', join(root, '.wardenignore'), err);
  }
  const always = ignore().add(ALWAYS_EXCLUDED);
  if (!opts.includeDeps) always.add('node_modules/');
  const secrets = ignore().add(SECRET_PATTERNS);
  const excluded = new Set(opts.exclude ?? []);

  const entries: PackEntry[] = [];
  const secretsSkipped: string[] = [];
  let ignored = 0;
  let total = 0;

  async function visit(dir: string, depth: number): Promise<void> {
    if (depth > limits.maxDepth) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The module folder is nested deeper than ${limits.maxDepth} levels.`, { where: dir });
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      throw ioError('list', dir, err);
    }
    names.sort(compareBytes);
    for (const name of names) {
      const abs = join(dir, name);
      const rel = relative(root, abs).split(sep).join('/');
      let st;
      try {
        st = await lstat(abs);
      } catch (err) {
        throw ioError('read', abs, err);
      }
      const relForMatch = st.isDirectory() ? `${rel}/` : rel;
      if (always.ignores(relForMatch) || excluded.has(abs)) {
        ignored++;
        continue;
      }
      if (st.isSymbolicLink()) {
        throw new WardenError('WARDEN_E_PACK_LINK', `"${rel}" is a symbolic link; artifacts hold no links. Replace it with a copy of the file it points to, or list it in .wardenignore.`, { where: abs });
      }
      if (userIgnore.ignores(relForMatch)) {
        ignored++;
        continue;
      }
      if (!st.isDirectory() && secrets.ignores(rel)) {
        secretsSkipped.push(rel);
        continue;
      }
      if (BAD_PATH_CHARS.test(rel)) throw new WardenError('WARDEN_E_PACK_PATH', `The file name ${JSON.stringify(rel)} has control characters or a backslash; rename it.`, { where: abs });
      if (Buffer.byteLength(rel) > limits.maxPathBytes) throw new WardenError('WARDEN_E_PACK_PATH', `The path "${rel.slice(0, 60)}…" is longer than ${limits.maxPathBytes} bytes.`, { where: abs });
      if (st.isDirectory()) {
        await visit(abs, depth + 1);
      } else if (st.isFile()) {
        if (entries.length >= limits.maxFiles) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The module has more than ${limits.maxFiles} files; exclude build output or dependencies with .wardenignore.`, { where: root });
        total += st.size;
        if (total > limits.maxTotalBytes) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The module is larger than ${limits.maxTotalBytes} bytes.`, { where: root });
        entries.push({ path: rel, absPath: abs, size: st.size, executable: (st.mode & 0o111) !== 0 });
      } else {
        throw new WardenError('WARDEN_E_PACK_SPECIAL', `"${rel}" is a device, socket or FIFO; artifacts hold regular files only. Remove it.`, { where: abs });
      }
    }
  }

  await visit(root, 0);
  // The recursive walk visits "a/" before "a-b" while byte order puts "a-b" first: sort globally.
  entries.sort((a, b) => compareBytes(a.path, b.path));
  return { entries, secretsSkipped, ignored };
}
