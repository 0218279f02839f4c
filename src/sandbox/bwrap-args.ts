import type { SystemDir } from './host.js';
import { SANDBOX_GID, SANDBOX_HOME, SANDBOX_UID } from './env.js';

/**
 * The parts of /etc that Node, Python and package managers read. Never the whole /etc: when the
 * caller is root, files bound into the sandbox appear owned by the sandbox user, so secrets such
 * as /etc/shadow or /etc/ssh must simply not be there.
 */
export const ETC_ALLOW = [
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/ca-certificates.conf',
  '/etc/pki',
  '/etc/crypto-policies',
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/localtime',
  '/etc/nsswitch.conf',
  '/etc/hosts',
  '/etc/host.conf',
  '/etc/os-release',
  '/etc/mime.types',
  '/etc/python3',
] as const;

/** Inside the sandbox: where the registry proxy's Unix socket appears. */
export const PROXY_SOCKET_IN_SANDBOX = '/run/warden/registry.sock';

export interface BwrapPlan {
  moduleDir: string;
  cwd: string;
  /** Host folder bound as HOME; undefined = private tmpfs. */
  homeDir?: string | undefined;
  readOnlyPaths: readonly string[];
  systemDirs: readonly SystemDir[];
  /** /etc entries that exist on this host (a subset of ETC_ALLOW). */
  etcPaths: readonly string[];
  /** Folder holding the synthetic passwd and group files. */
  identityDir: string;
  /** Host path of the registry proxy's socket (registry-only profile). */
  proxySocket?: string | undefined;
  /** File descriptor bwrap reports its JSON status on (child pid, exit code). */
  statusFd: number;
}

/** bwrap's arguments up to (not including) `--` and the command. Pure: same plan, same list. */
export function bwrapArgs(plan: BwrapPlan): string[] {
  const a: string[] = [
    // Every namespace; a fresh network namespace has only its own loopback.
    '--unshare-all',
    '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_GID),
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--new-session',
    '--hostname', 'sandbox',
    '--json-status-fd', String(plan.statusFd),
    '--ro-bind', '/usr', '/usr',
  ];
  for (const d of plan.systemDirs) {
    if ('symlink' in d) a.push('--symlink', d.symlink, d.path);
    else a.push('--ro-bind', d.path, d.path);
  }
  for (const p of plan.etcPaths) a.push('--ro-bind', p, p);
  a.push('--ro-bind', `${plan.identityDir}/passwd`, '/etc/passwd');
  a.push('--ro-bind', `${plan.identityDir}/group`, '/etc/group');
  a.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  if (plan.homeDir) a.push('--bind', plan.homeDir, SANDBOX_HOME);
  else a.push('--tmpfs', SANDBOX_HOME);
  for (const p of plan.readOnlyPaths) a.push('--ro-bind', p, p);
  if (plan.proxySocket) a.push('--ro-bind', plan.proxySocket, PROXY_SOCKET_IN_SANDBOX);
  a.push('--bind', plan.moduleDir, plan.moduleDir);
  // Last: the synthetic root itself read-only, so only /tmp, HOME and the module folder take writes.
  a.push('--remount-ro', '/');
  a.push('--chdir', plan.cwd);
  return a;
}

export function identityFiles(): { passwd: string; group: string } {
  return {
    passwd: `sandbox:x:${SANDBOX_UID}:${SANDBOX_GID}:Warden sandbox:${SANDBOX_HOME}:/usr/sbin/nologin\n`,
    group: `sandbox:x:${SANDBOX_GID}:\n`,
  };
}
