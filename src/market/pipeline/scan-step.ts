import { availableParallelism } from 'node:os';
import { posix } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import type { ScanFacts, ScanSummary } from './types.js';

/** The slice of the scanner's report (src/scanner ScanReport) the market keeps. */
interface ScanReportLike {
  findings: Array<{ ruleId: string; severity: string; file: string; line: number; message: string }>;
  capabilities: Record<string, { present: boolean }>;
  score: number;
  rating: string;
  summary: Record<string, number>;
}
/** The scanner's in-memory target: the market never writes untrusted archive contents to disk. */
interface InMemoryTarget {
  files: Array<{ path: string; text: string }>;
  label?: string;
}
export type ScanFn = (target: InMemoryTarget, options?: Record<string, unknown>) => Promise<ScanReportLike>;

export const UNPACK_LIMITS = { maxEntries: 5000, maxBytes: 64 * 1024 * 1024 } as const;
/** Budget of one artifact's scan (scanIsolated): wall clock, and heap of the scanning process. */
export const SCAN_LIMITS = { timeoutMs: 10 * 60_000, maxOldSpaceMb: 4096 } as const;

/**
 * Reads the (already signature-verified) artifact's regular files under `package/` into memory —
 * links, devices, absolute or `..` paths are dropped — within entry-count and size limits.
 */
export async function readArtifactFiles(bytes: Uint8Array): Promise<Array<{ path: string; data: Buffer }>> {
  const files: Array<{ path: string; data: Buffer }> = [];
  let total = 0;
  let count = 0;
  let problem: string | undefined;
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      count++;
      const rel = entry.path.startsWith('package/') ? posix.normalize(entry.path.slice('package/'.length)) : '';
      const unsafe = rel === '' || rel === '.' || rel.startsWith('../') || rel === '..' || rel.startsWith('/');
      if (count > UNPACK_LIMITS.maxEntries) problem ??= `more than ${UNPACK_LIMITS.maxEntries} entries`;
      total += entry.type === 'File' ? (entry.size ?? 0) : 0;
      if (total > UNPACK_LIMITS.maxBytes) problem ??= `more than ${UNPACK_LIMITS.maxBytes} bytes unpacked`;
      if (entry.type !== 'File' || unsafe || problem) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => files.push({ path: rel, data: Buffer.concat(chunks) }));
    },
  });
  await new Promise<void>((resolveP, rejectP) => {
    parser.on('end', () => resolveP());
    parser.on('error', rejectP);
    parser.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
  if (problem) throw new Error(`artifact too large to scan: ${problem}`);
  return files;
}

export function summarize(report: ScanReportLike): ScanSummary {
  const rank = ['critical', 'high', 'medium', 'low', 'info'];
  const sorted = [...report.findings].sort((a, b) => rank.indexOf(a.severity) - rank.indexOf(b.severity));
  return {
    rating: report.rating,
    score: report.score,
    summary: { ...report.summary },
    findings: report.findings.length,
    capabilities: Object.entries(report.capabilities ?? {}).filter(([, v]) => v?.present).map(([k]) => k),
    topFindings: sorted.slice(0, 10).map((x) => ({ ruleId: x.ruleId, severity: x.severity, file: x.file, line: x.line, message: String(x.message).slice(0, 300) })),
  };
}

/**
 * The market's one door to the scanner. When src/scanner is not built (or has no `scan`), every
 * scan answers `not-run` with the reason, and the pipeline records that in the release.
 */
export class ScanStep {
  #scan: ScanFn | undefined;
  #unavailable: string | undefined;
  /**
   * Scans running now, and publishes waiting for a slot: each scan is a process, and fifty
   * concurrent publishes must not start fifty scanners on a two-core machine.
   */
  #running = 0;
  #waiting: Array<() => void> = [];
  readonly #maxConcurrent = Math.max(1, availableParallelism());

  private constructor(scan: ScanFn | undefined, unavailable: string | undefined) {
    this.#scan = scan;
    this.#unavailable = unavailable;
  }

  static async load(): Promise<ScanStep> {
    try {
      // Loaded lazily (it is heavy); a build without it still publishes, with the step recorded as not run.
      // scanIsolated runs the scan in a child process: an artifact built to crash the parser
      // (oxc-parser segfaults on very deep nesting) fails its scan instead of killing the market.
      const mod = (await import('../../scanner/index.js')) as { scanIsolated?: unknown };
      if (typeof mod.scanIsolated !== 'function') return new ScanStep(undefined, 'src/scanner does not export scanIsolated');
      return new ScanStep(mod.scanIsolated as ScanFn, undefined);
    } catch (err) {
      return new ScanStep(undefined, `scanner not installed (${String((err as Error)?.message ?? err).slice(0, 120)})`);
    }
  }

  /** A step around another scan function (library users with their own scanner, tests). */
  static using(scan: ScanFn): ScanStep {
    return new ScanStep(scan, undefined);
  }

  static disabled(reason: string): ScanStep {
    return new ScanStep(undefined, reason);
  }

  get available(): boolean {
    return this.#scan !== undefined;
  }

  async run(bytes: Uint8Array, label = 'artifact'): Promise<ScanFacts> {
    if (!this.#scan) return { status: 'not-run', reason: this.#unavailable ?? 'unavailable' };
    // A finishing scan hands its slot straight to the next waiting one.
    if (this.#running >= this.#maxConcurrent) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await this.#runOne(this.#scan, bytes, label);
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }

  async #runOne(scanFn: ScanFn, bytes: Uint8Array, label: string): Promise<ScanFacts> {
    try {
      const files = (await readArtifactFiles(bytes))
        // Binary files are passed too: the scanner skips them itself, and reports code files it
        // skips (a .js with a NUL byte still runs under Node).
        .map((f) => ({ path: f.path, text: f.data.toString('utf8') }));
      // In a child process with a heap and time budget: a hostile artifact ends only its own scan.
      const report = await scanFn({ files, label }, { timeoutMs: SCAN_LIMITS.timeoutMs, maxOldSpaceMb: SCAN_LIMITS.maxOldSpaceMb });
      return { status: 'ran', report: summarize(report) };
    } catch (err) {
      return { status: 'failed', reason: String((err as Error)?.message ?? err).slice(0, 300) };
    }
  }
}
