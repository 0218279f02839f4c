import { launchSandboxed, type SandboxProfileName } from '../sandbox/index.js';
import type { StartServer } from './tool-probe.js';

export interface ServerSandbox {
  command: string;
  args: string[];
  moduleDir: string;
  profile: SandboxProfileName;
  /** Declared environment variables of the module, copied from the caller's environment. */
  passEnv: string[];
  allowUnsandboxed?: boolean;
  /** Long-running servers get no wall-clock limit beyond the launcher's maximum. */
  timeoutMs?: number;
  /** Aborting it kills the server (see SandboxOptions.signal). */
  signal?: AbortSignal;
}

/** Starts an installed module's server inside the sandbox (or the documented degraded mode). */
export function sandboxStarter(s: ServerSandbox): StartServer {
  return async () => {
    const h = await launchSandboxed({
      command: s.command,
      args: s.args,
      profile: s.profile,
      moduleDir: s.moduleDir,
      passEnv: s.passEnv,
      allowUnsandboxed: s.allowUnsandboxed,
      timeoutMs: s.timeoutMs ?? 24 * 3600_000,
      ...(s.signal ? { signal: s.signal } : {}),
    });
    return { stdin: h.child.stdin!, stdout: h.child.stdout!, stderr: h.child.stderr, kill: () => h.kill(), exited: h.exited };
  };
}
