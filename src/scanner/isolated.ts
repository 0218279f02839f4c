import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WardenError, type WardenErrorCode } from '../core/errors.js';
import type { InMemoryTarget, ScanOptions, ScanProgress } from './scan.js';
import type { ScanReport } from './types.js';

export interface IsolatedScanOptions extends ScanOptions {
  /** Wall-clock limit; the child is killed when it is reached (default 10 minutes). */
  timeoutMs?: number;
  /** Heap limit of the child (default 4096 MB). */
  maxOldSpaceMb?: number;
}

/**
 * The built worker beside this module; from the TypeScript sources (the test runner) the one in
 * dist/, which `npm test` builds first.
 */
function workerPath(): string {
  const sibling = fileURLToPath(new URL('./scan-worker.js', import.meta.url));
  if (existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL('../../dist/scanner/scan-worker.js', import.meta.url));
  return existsSync(built) ? built : sibling;
}

type Reply = { type: 'progress'; progress: ScanProgress } | { type: 'report'; report: ScanReport } | { type: 'error'; error: { code: string; message: string; where?: string } };

/**
 * Runs scan() in a child process. The scanner reads hostile code: a file built to crash the native
 * parser (oxc-parser segfaults on expressions nested tens of thousands deep, oxc#24375) or to
 * exhaust memory kills only the child, and the caller gets WARDEN_E_SCAN_CRASHED instead of
 * dying with it. The market's publish pipeline and the CLI scan through here.
 */
export function scanIsolated(target: string | InMemoryTarget, options: IsolatedScanOptions = {}): Promise<ScanReport> {
  const { onProgress, timeoutMs = 10 * 60_000, maxOldSpaceMb = 4096, ...rest } = options;
  const label = typeof target === 'string' ? target : (target.label ?? 'in-memory files');
  return new Promise((resolve, reject) => {
    const child = fork(workerPath(), [], { serialization: 'advanced', execArgv: [`--max-old-space-size=${maxOldSpaceMb}`], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(new WardenError('WARDEN_E_SCAN_TIMEOUT', `The scan of ${label} took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`, { where: label })));
    }, timeoutMs);
    child.on('message', (msg: Reply) => {
      if (msg.type === 'progress') onProgress?.(msg.progress);
      else if (msg.type === 'report') settle(() => resolve(msg.report));
      else settle(() => reject(new WardenError(msg.error.code as WardenErrorCode, msg.error.message, msg.error.where === undefined ? {} : { where: msg.error.where })));
    });
    child.on('error', (err) => settle(() => reject(new WardenError('WARDEN_E_SCAN_CRASHED', `The scanner process could not run: ${err.message}`, { where: label, cause: err }))));
    // 'close' comes after the IPC channel is drained: a report sent just before exiting is already in.
    child.on('close', (code, signal) => {
      settle(() =>
        reject(
          new WardenError(
            'WARDEN_E_SCAN_CRASHED',
            `The scanner process died (${signal ?? `exit code ${code}`}) while analysing ${label}: a file in it may be built to crash parsers. Nothing was reported; treat the package as unreviewed.`,
            { where: label, details: { signal, code } },
          ),
        ),
      );
    });
    child.send({ target, options: rest, progress: onProgress !== undefined });
  });
}
