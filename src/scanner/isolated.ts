import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WardenError, type WardenErrorCode } from '../core/errors.js';
import type { InMemoryTarget, ScanOptions, ScanProgress } from './scan.js';
import type { ScanReport } from './types.js';

export interface IsolatedScanOptions extends Omit<ScanOptions, 'onParse'> {
  /** Wall-clock limit of the whole scan, retries included; none by default. */
  timeoutMs?: number;
  /** Heap limit of the child in MB; by default Node's (or NODE_OPTIONS'). */
  maxOldSpaceMb?: number;
}

/** What the child writes to stderr before it parses a file (scan-worker.ts). */
export const PARSE_MARKER = '\u0000warden-parse:';
/** Signals of a native crash (a stack overflow in the parser is a SIGSEGV). */
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE']);
/** How many files that crash the parser one scan skips before it gives up. */
const MAX_CRASHED_FILES = 5;

type Reply = { type: 'progress'; progress: ScanProgress } | { type: 'report'; report: ScanReport } | { type: 'error'; error: { code: string; message: string; where?: string; details?: Record<string, unknown> } };

/**
 * The built worker beside this module; from the TypeScript sources (the test runner) the one in
 * dist/, which `npm test` builds first.
 */
function workerPath(): string {
  const sibling = fileURLToPath(new URL('./scan-worker.js', import.meta.url));
  if (existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL('../../dist/scanner/scan-worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new WardenError('WARDEN_E_INTERNAL', `The scanner worker is missing (${sibling}): run \`npm run build\`.`);
}

/**
 * Runs scan() in a child process. The scanner reads hostile code, and oxc-parser dies with a
 * segmentation fault (no JavaScript exception: oxc#24375) on expressions nested a few thousand deep
 * in shapes a cheap pre-check cannot see (`a=a=…`, `typeof typeof …`). Such a crash ends only the
 * child; the file it was parsing is then skipped and reported as unanalysed-code, and the scan runs
 * again (at most MAX_CRASHED_FILES times), so one hostile file can neither stop the scan nor hide.
 * The market's publish pipeline, `warden scan` and `warden audit --scan` scan through here.
 */
export async function scanIsolated(target: string | InMemoryTarget, options: IsolatedScanOptions = {}): Promise<ScanReport> {
  const { timeoutMs, ...rest } = options;
  const label = typeof target === 'string' ? target : (target.label ?? 'in-memory files');
  const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  const unanalysed = [...(options.unanalysed ?? [])];
  for (;;) {
    const attempt = await runChild(target, { ...rest, unanalysed }, label, deadline, timeoutMs);
    if ('report' in attempt) return attempt.report;
    const crashed = attempt.parsing;
    if (crashed === undefined || unanalysed.includes(crashed) || unanalysed.length >= MAX_CRASHED_FILES) throw attempt.error;
    unanalysed.push(crashed);
  }
}

function runChild(
  target: string | InMemoryTarget,
  options: Omit<IsolatedScanOptions, 'timeoutMs'>,
  label: string,
  deadline: number | undefined,
  timeoutMs: number | undefined,
): Promise<{ report: ScanReport } | { error: WardenError; parsing: string | undefined }> {
  const { onProgress, maxOldSpaceMb, ...rest } = options;
  const worker = workerPath();
  return new Promise((resolve, reject) => {
    // The child's temporary folders (an unpacked `.tgz`, an `npm:` download) go under one folder
    // of ours, removed when the child ends however it ends: a crash skips the child's own cleanup.
    const scratch = mkdtempSync(join(tmpdir(), 'warden-iso-'));
    const child = fork(worker, [], {
      serialization: 'advanced',
      execArgv: maxOldSpaceMb ? [`--max-old-space-size=${maxOldSpaceMb}`] : [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, TMPDIR: scratch, TMP: scratch, TEMP: scratch },
    });
    let settled = false;
    let stderr = '';
    let parsing: string | undefined;
    /** What the child answered; the promise settles only once it has exited and its folder is gone. */
    let outcome: { report: ScanReport } | WardenError | undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      fn();
    };
    const timer =
      deadline === undefined
        ? undefined
        : setTimeout(() => {
            // Settled on 'close', once the child is gone and its folder removed (or soon after, if
            // 'close' never comes).
            outcome = new WardenError('WARDEN_E_SCAN_TIMEOUT', `The scan of ${label} took longer than ${Math.round((timeoutMs ?? 0) / 1000)} s and was stopped.`, { where: label });
            child.kill('SIGKILL');
            setTimeout(() => settle(() => reject(outcome)), 5_000).unref();
          }, Math.max(0, deadline - Date.now()));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-64 * 1024);
      const at = stderr.lastIndexOf(PARSE_MARKER);
      if (at >= 0) {
        const end = stderr.indexOf('\n', at);
        // The path is JSON (a file name may hold a newline); an empty marker means the parser
        // finished that file, so a crash now is not a parser crash.
        if (end > at) {
          const raw = stderr.slice(at + PARSE_MARKER.length, end);
          try {
            parsing = raw ? (JSON.parse(raw) as string) : undefined;
          } catch {
            parsing = undefined;
          }
        }
      }
    });
    child.on('message', (msg: Reply) => {
      if (msg.type === 'progress') {
        if (settled) return;
        try {
          onProgress?.(msg.progress);
        } catch {
          /* a failing progress callback must not end the scan */
        }
      } else if (msg.type === 'report') outcome = { report: msg.report };
      else outcome = new WardenError(msg.error.code as WardenErrorCode, msg.error.message, { ...(msg.error.where === undefined ? {} : { where: msg.error.where }), ...(msg.error.details ? { details: msg.error.details } : {}) });
    });
    child.on('error', (err) => settle(() => reject(new WardenError('WARDEN_E_SCAN_CRASHED', `The scanner process could not run: ${err.message}`, { where: label, cause: err }))));
    // 'close' comes after the child exited and the IPC channel and stderr are drained: its answer
    // and the last file marker are in.
    child.on('close', (code, signal) => {
      try {
        rmSync(scratch, { recursive: true, force: true });
      } catch {
        /* left for the system's temp cleaning; the scan's answer matters more */
      }
      if (outcome instanceof WardenError) return settle(() => reject(outcome));
      if (outcome) return settle(() => resolve(outcome as { report: ScanReport }));
      const last = stderr.split('\n').filter((l) => l && !l.startsWith(PARSE_MARKER)).slice(-3).join(' | ').slice(0, 300);
      const where = parsing ? `${label}: ${parsing}` : label;
      const error = new WardenError(
        'WARDEN_E_SCAN_CRASHED',
        `The scanner process died (${signal ?? `exit code ${code}`}) while analysing ${where}${last ? ` (${last})` : ''}. Nothing was reported for it; treat the package as unreviewed.`,
        { where, details: { signal, code, ...(parsing ? { file: parsing } : {}) } },
      );
      // Only a crash blames the file being parsed: an out-of-memory kill or a signal from outside
      // says nothing about it.
      const parserCrash = signal !== null && (CRASH_SIGNALS.has(signal) || (signal === 'SIGABRT' && !/heap out of memory/i.test(stderr)));
      settle(() => resolve({ error, parsing: parserCrash ? parsing : undefined }));
    });
    child.send({ target, options: rest, progress: onProgress !== undefined });
  });
}
