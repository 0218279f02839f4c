import { accessSync, constants, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** cgroup v1 pids hierarchy; the only one Warden uses (v2 needs delegation it cannot assume). */
const PIDS_V1 = '/sys/fs/cgroup/pids';
let serial = 0;

export interface PidsCgroup {
  /** Write a pid here to move that process (and its future children) into the group. */
  procsFile: string;
  remove(): Promise<void>;
}

/**
 * The kernel exempts root from RLIMIT_NPROC, so when Warden runs as root the process limit is
 * enforced with a pids cgroup instead, where one is writable. Returns undefined otherwise.
 */
export function createPidsCgroup(max: number): PidsCgroup | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    accessSync(join(PIDS_V1, 'cgroup.procs'), constants.W_OK);
  } catch {
    return undefined;
  }
  const dir = join(PIDS_V1, `warden-sandbox-${process.pid}-${serial++}`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'pids.max'), String(max));
  } catch {
    try {
      rmdirSync(dir);
    } catch {
      // never created
    }
    return undefined;
  }
  return {
    procsFile: join(dir, 'cgroup.procs'),
    async remove() {
      // The group empties a moment after the sandbox's pid 1 exits; anything still in it
      // belongs to the finished sandbox and is killed.
      for (let i = 0; i < 100; i++) {
        try {
          rmdirSync(dir);
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
          killMembers(join(dir, 'cgroup.procs'));
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    },
  };
}

function killMembers(procsFile: string): void {
  let pids: number[] = [];
  try {
    pids = readFileSync(procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Wraps a command so the shell joins the cgroup before exec'ing it (no window outside). */
export function joinCgroupArgv(cg: PidsCgroup, file: string, argv: readonly string[]): [string, string[]] {
  return ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', cg.procsFile, file, ...argv]];
}
