/**
 * Scan targets → files in memory: a folder, a `.tgz` (read in memory with limits, never written
 * out), or `npm:<name>@<version>` (`npm pack`; with deps, `npm install --ignore-scripts` into a
 * temp folder). Nothing from the package is ever executed.
 */
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { Parser as TarParser } from 'tar';
import { WardenError, ioError } from '../core/errors.js';

export const TARGET_LIMITS = {
  maxFiles: 200_000,
  /** Files larger than this are counted as skipped (bundles over it are rare; source maps are skipped anyway). */
  maxFileBytes: 8 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxArchiveEntries: 100_000,
  maxArchiveBytes: 512 * 1024 * 1024,
  maxDepth: 64,
  npmTimeoutMs: 300_000,
};

/** Files we never read: binary media, archives, source maps. Native libraries are listed but not read. */
const SKIP_EXT = /\.(png|jpe?g|gif|ico|webp|bmp|svgz|woff2?|ttf|otf|eot|mp[34]|wav|ogg|webm|mov|avi|zip|gz|tgz|bz2|xz|7z|rar|jar|wasm|map|pdf|node|so|dylib|dll|pyd|pyc|exe|bin|dat|db|sqlite)$/i;
const SKIP_DIRS = new Set(['.git', '.hg', '.svn', '__pycache__', '.venv', '.tox']);

export interface TargetFile {
  path: string;
  size: number;
  /** Undefined when the file is only listed (binary or too large). */
  read?: () => Promise<Buffer>;
}

export interface ResolvedTarget {
  label: string;
  files: TargetFile[];
  cleanup: () => Promise<void>;
}

export interface TargetOptions {
  deps?: boolean;
  /** Runs npm; injectable for tests that must not reach the registry. */
  npmCommand?: string;
}

async function walkFolder(root: string, includeDeps: boolean): Promise<TargetFile[]> {
  const out: TargetFile[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (depth > TARGET_LIMITS.maxDepth) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw ioError('read the folder', dir, err);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isSymbolicLink()) continue; // never follow links out of the target
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || (!includeDeps && e.name === 'node_modules')) continue;
        await visit(full, depth + 1);
      } else if (e.isFile()) {
        if (out.length >= TARGET_LIMITS.maxFiles) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The target has more than ${TARGET_LIMITS.maxFiles} files; scan a smaller folder.`, { where: root });
        const rel = relative(root, full).split(sep).join('/');
        const size = (await lstat(full)).size;
        const listed = SKIP_EXT.test(e.name) || size > TARGET_LIMITS.maxFileBytes;
        out.push({ path: rel, size, ...(listed ? {} : { read: () => readFile(full) }) });
      }
    }
  };
  await visit(root, 0);
  return out;
}

/** Reads a .tgz fully in memory with entry, size and path checks. Links and devices are dropped. */
export async function readTgz(file: string, bytes?: Buffer): Promise<TargetFile[]> {
  let data: Buffer;
  try {
    data = bytes ?? (await readFile(file));
  } catch (err) {
    throw ioError('read the archive', file, err);
  }
  const out: TargetFile[] = [];
  let total = 0;
  let count = 0;
  await new Promise<void>((resolveP, reject) => {
    const fail = (msg: string) => reject(new WardenError('WARDEN_E_SCAN_ARCHIVE', `${file}: ${msg}`, { where: file }));
    const parser = new TarParser({
      strict: true,
      onwarn: (_code: string, message: string) => fail(message),
      onReadEntry: (entry) => {
        count++;
        if (count > TARGET_LIMITS.maxArchiveEntries) {
          entry.resume();
          return fail(`more than ${TARGET_LIMITS.maxArchiveEntries} entries.`);
        }
        const raw = entry.path.replace(/\\/g, '/');
        const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
        if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw) || parts.includes('..')) {
          entry.resume();
          return fail(`entry "${raw}" escapes the archive (absolute path or "..").`);
        }
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          entry.resume();
          return;
        }
        const rel = (parts.length > 1 ? parts.slice(1) : parts).join('/');
        const chunks: Buffer[] = [];
        let size = 0;
        entry.on('data', (c: Buffer) => {
          size += c.length;
          total += c.length;
          if (total > TARGET_LIMITS.maxArchiveBytes) {
            fail(`unpacks to more than ${TARGET_LIMITS.maxArchiveBytes} bytes (archive bomb?).`);
            return;
          }
          if (size <= TARGET_LIMITS.maxFileBytes) chunks.push(c);
        });
        entry.on('end', () => {
          const listed = SKIP_EXT.test(rel) || size > TARGET_LIMITS.maxFileBytes;
          const buf = Buffer.concat(chunks);
          out.push({ path: rel, size, ...(listed ? {} : { read: async () => buf }) });
        });
      },
    });
    parser.on('error', (err: Error) => reject(new WardenError('WARDEN_E_SCAN_ARCHIVE', `${file}: not a readable .tgz (${err.message}).`, { where: file, cause: err })));
    parser.on('end', () => resolveP());
    parser.end(data);
  });
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

const NPM_SPEC = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*@[\w.+-]+$/i;

async function runNpm(cmd: string, args: string[], cwd: string): Promise<string> {
  try {
    const r = await promisify(execFile)(cmd, args, { cwd, timeout: TARGET_LIMITS.npmTimeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_ignore_scripts: 'true', npm_config_audit: 'false', npm_config_fund: 'false' } });
    return r.stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const tail = (e.stderr ?? e.message).trim().split('\n').slice(-3).join(' ');
    throw new WardenError('WARDEN_E_SCAN_FETCH', `npm ${args[0]} failed: ${tail}`, { cause: err, where: args[1] });
  }
}

export async function resolveTarget(target: string, opts: TargetOptions = {}): Promise<ResolvedTarget> {
  const noop = async () => {};
  if (target.startsWith('npm:')) {
    const spec = target.slice(4);
    if (!NPM_SPEC.test(spec)) throw new WardenError('WARDEN_E_SCAN_TARGET', `"${target}" is not npm:<name>@<version> (for example npm:@modelcontextprotocol/server-memory@2025.4.25).`, { where: target });
    const npm = opts.npmCommand ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm');
    const dir = await mkdtemp(join(tmpdir(), 'warden-scan-'));
    const cleanup = () => rm(dir, { recursive: true, force: true });
    try {
      if (opts.deps) {
        await runNpm(npm, ['install', spec, '--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev', '--no-package-lock', '--prefix', dir], dir);
        const files = await walkFolder(join(dir, 'node_modules'), true);
        return { label: target, files: files.map((f) => ({ ...f, path: `node_modules/${f.path}` })), cleanup };
      }
      const out = await runNpm(npm, ['pack', spec, '--json', '--ignore-scripts', '--pack-destination', dir], dir);
      const name = (JSON.parse(out) as { filename: string }[])[0]?.filename;
      if (!name) throw new WardenError('WARDEN_E_SCAN_FETCH', `npm pack ${spec} wrote no archive.`, { where: spec });
      const files = await readTgz(join(dir, name.replace(/^@[^/]+\//, '').replace(/\//g, '-')));
      return { label: target, files, cleanup };
    } catch (err) {
      await cleanup();
      throw err;
    }
  }
  const full = resolve(target);
  let st;
  try {
    st = await lstat(full);
  } catch (err) {
    throw new WardenError('WARDEN_E_SCAN_TARGET', `Cannot scan ${target}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}. Give a folder, a .tgz or npm:<name>@<version>.`, { where: target, cause: err });
  }
  if (st.isDirectory()) return { label: target, files: await walkFolder(full, Boolean(opts.deps)), cleanup: noop };
  if (st.isFile() && /\.(tgz|tar\.gz)$/i.test(full)) return { label: target, files: await readTgz(full), cleanup: noop };
  throw new WardenError('WARDEN_E_SCAN_TARGET', `Cannot scan ${target}: not a folder, a .tgz file or npm:<name>@<version>.`, { where: target });
}
