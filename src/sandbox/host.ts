import { accessSync, constants, lstatSync, readlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { WardenError } from '../core/errors.js';

/** Fixed places first: the caller's PATH is not trusted to pick the sandbox binary. */
const BWRAP_CANDIDATES = ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap'];
const PRLIMIT_CANDIDATES = ['/usr/bin/prlimit', '/bin/prlimit'];

export interface HostTools {
  bwrap: string;
  prlimit: string;
}

function firstExecutable(candidates: readonly string[]): string | undefined {
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next candidate
    }
  }
  return undefined;
}

export function findPrlimit(): string | undefined {
  return firstExecutable(PRLIMIT_CANDIDATES);
}

/** Top-level directories that merged-/usr systems make symlinks (`/lib -> usr/lib`). */
export const SYSTEM_DIRS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'] as const;

export type SystemDir = { path: string; symlink: string } | { path: string; bind: true };

export function systemDirs(): SystemDir[] {
  const out: SystemDir[] = [];
  for (const path of SYSTEM_DIRS) {
    try {
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out.push({ path, symlink: readlinkSync(path) });
      else if (st.isDirectory()) out.push({ path, bind: true });
    } catch {
      // absent on this system
    }
  }
  return out;
}

const probed = new Map<string, string | null>();

/**
 * Finds bubblewrap and prlimit and proves that bwrap can create the namespaces Warden uses
 * (user, pid, net, ipc, uts, mount) by running `true` in one. Cached per bwrap path.
 */
export function detectSandboxTools(bwrapOverride?: string): HostTools {
  const bwrap = bwrapOverride ?? firstExecutable(BWRAP_CANDIDATES);
  const prlimit = findPrlimit();
  if (!bwrap || (bwrapOverride && !firstExecutable([bwrapOverride]))) {
    throw new WardenError('WARDEN_E_SANDBOX_UNAVAILABLE', `bubblewrap (bwrap) is not installed${bwrapOverride ? ` at ${bwrapOverride}` : ''}. Install it (Debian/Ubuntu: \`apt-get install bubblewrap\`; Fedora: \`dnf install bubblewrap\`) or run knowingly unsandboxed with allowUnsandboxed (no install scripts).`);
  }
  if (!prlimit) {
    throw new WardenError('WARDEN_E_SANDBOX_UNAVAILABLE', 'prlimit (util-linux) is not installed; the sandbox cannot apply resource limits. Install util-linux.');
  }
  let failure = probed.get(bwrap);
  if (failure === undefined) {
    const args = ['--unshare-all', '--uid', '65534', '--gid', '65534', '--cap-drop', 'ALL', '--die-with-parent', '--ro-bind', '/usr', '/usr'];
    for (const d of systemDirs()) args.push(...('symlink' in d ? ['--symlink', d.symlink, d.path] : ['--ro-bind', d.path, d.path]));
    const r = spawnSync(bwrap, [...args, '--', '/usr/bin/true'], { encoding: 'utf8', env: {}, timeout: 10_000 });
    failure = r.status === 0 ? null : (r.stderr || r.error?.message || `exit ${String(r.status)}`).trim();
    probed.set(bwrap, failure);
  }
  if (failure !== null) {
    throw new WardenError('WARDEN_E_SANDBOX_UNAVAILABLE', `bubblewrap cannot create a sandbox here: ${failure.slice(0, 300)}. Enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0) or run where they are allowed.`);
  }
  return { bwrap, prlimit };
}
