import { spawn, type ChildProcess } from 'node:child_process';
import type { StdioServerConfig } from '../config.js';
import { launchSandboxed, type SandboxProfileName } from '../../sandbox/index.js';
import { expandEnvRefs } from '../config.js';

/**
 * How a stdio upstream process is started. The gateway depends only on this interface so the
 * default launcher can be swapped for the sandbox launcher (src/sandbox) without touching the
 * relay. The default builds the child's environment from an explicit allow-list: PATH (so the
 * runtime can be found), the server's `env` (with `${env:NAME}` references expanded) and the
 * names in `envPassthrough` — never the gateway's whole environment, which holds its own secrets.
 */
export interface StdioLaunchSpec {
  server: string;
  command: string;
  args: string[];
  cwd: string | undefined;
  env: Record<string, string>;
  sandbox?: { profile: SandboxProfileName } | undefined;
}

export interface StdioLauncher {
  readonly name: string;
  launch(spec: StdioLaunchSpec): ChildProcess | Promise<ChildProcess>;
}

/** The minimal environment every child gets besides its configured variables. */
const BASE_ENV = ['PATH', 'LANG', 'TZ'] as const;

export function buildChildEnv(cfg: StdioServerConfig, server: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of [...BASE_ENV, ...cfg.envPassthrough]) {
    const v = env[n];
    if (v !== undefined) out[n] = v;
  }
  for (const [k, v] of Object.entries(cfg.env)) out[k] = expandEnvRefs(v, env, `servers.${server}.env.${k}`);
  return out;
}

export function launchSpec(cfg: StdioServerConfig, server: string, env: NodeJS.ProcessEnv = process.env): StdioLaunchSpec {
  return {
    server,
    // `node` means the runtime running the gateway, so PATH lookups cannot swap it.
    command: cfg.command === 'node' ? process.execPath : cfg.command,
    args: cfg.args,
    cwd: cfg.cwd,
    env: buildChildEnv(cfg, server, env),
    sandbox: cfg.sandbox,
  };
}

/**
 * Runs servers configured with `sandbox` through the sandbox launcher (bubblewrap: only `cwd`
 * writable, the profile's network, the same explicit environment; PATH is the sandbox's own),
 * and the others directly.
 */
export const defaultLauncher: StdioLauncher = {
  name: 'default',
  async launch(spec) {
    if (!spec.sandbox) return directLauncher.launch(spec);
    if (!spec.cwd) throw new Error(`servers.${spec.server}: a sandboxed server needs "cwd", the folder it may write`);
    const { PATH: _path, ...env } = spec.env;
    const handle = await launchSandboxed({ command: spec.command, args: spec.args, profile: spec.sandbox.profile, moduleDir: spec.cwd, env, timeoutMs: 24 * 3600_000 });
    return handle.child;
  },
};

/** Spawns directly (no sandbox) with the allow-listed environment; stderr is piped to the gateway log. */
export const directLauncher: StdioLauncher = {
  name: 'direct',
  launch(spec) {
    return spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
  },
};
