/** Resource limits applied with prlimit(1) to the sandboxed command (and everything it starts). */
export interface SandboxLimits {
  /** RLIMIT_CPU: CPU seconds (the kernel sends SIGXCPU, then SIGKILL). */
  cpuSeconds: number;
  /** RLIMIT_FSIZE: largest file the command may write, in bytes (SIGXFSZ / EFBIG beyond). */
  fileSizeBytes: number;
  /** RLIMIT_NOFILE: open file descriptors. */
  openFiles: number;
  /** RLIMIT_NPROC: processes/threads of the sandbox user. Not enforced when Warden runs as root. */
  processes: number;
  /**
   * RLIMIT_AS: virtual address space in bytes; 0 leaves it unlimited. Node reserves ~10 GiB of
   * address space for any WebAssembly memory, so caps below ~12 GiB break WebAssembly; plain
   * `node -e 0` starts at 1 GiB. The default (16 GiB) is safe for Node and stops runaway growth.
   */
  addressSpaceBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  cpuSeconds: 600,
  fileSizeBytes: 512 * 1024 * 1024,
  openFiles: 1024,
  processes: 512,
  addressSpaceBytes: 16 * 1024 ** 3,
});

/** prlimit(1) arguments, each limit set soft = hard so the command cannot raise it back. */
export function prlimitArgs(limits: SandboxLimits): string[] {
  const args = [
    `--cpu=${limits.cpuSeconds}`,
    `--fsize=${limits.fileSizeBytes}`,
    `--nofile=${limits.openFiles}`,
    `--nproc=${limits.processes}`,
  ];
  if (limits.addressSpaceBytes > 0) args.push(`--as=${limits.addressSpaceBytes}`);
  return args;
}

export function checkLimits(limits: SandboxLimits): string | undefined {
  for (const [k, v] of Object.entries(limits)) {
    const min = k === 'addressSpaceBytes' ? 0 : 1;
    if (!Number.isSafeInteger(v) || v < min) return `limits.${k} must be an integer >= ${min} (got ${String(v)})`;
  }
  return undefined;
}
