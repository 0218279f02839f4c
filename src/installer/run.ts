import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { WardenError } from '../core/errors.js';
import { describeDrift, diffToolPins, hasDrift, pinTools, type ToolDrift } from '../core/tool-pin.js';
import { parseModuleId, formatModuleId } from '../core/ref.js';
import { isProfileName, throwIfInterrupted } from '../sandbox/index.js';
import { readLock, writeLock, type LockEntry, type LockFile } from './lock.js';
import { hashTree, diffFiles, type FileDrift } from './installed-files.js';
import { probeTools, type StartServer } from './tool-probe.js';
import { sandboxStarter } from './sandbox-starter.js';
import { startPinningProxy } from './run-proxy.js';

export interface InstalledModule {
  id: string;
  entry: LockEntry;
  dir: string;
  lock: LockFile;
}

export async function findInstalled(dir: string, idText: string): Promise<InstalledModule> {
  const id = formatModuleId(parseModuleId(idText.replace(/@[^/]*$/, ''), 'module'));
  const lock = await readLock(dir);
  const entry = lock.modules[id];
  if (!entry) throw new WardenError('WARDEN_E_NOT_INSTALLED', `${id} is not installed in ${dir}. Install it with \`warden install ${id}@VERSION\`.`, { where: dir });
  return { id, entry, dir: join(dir, entry.path), lock };
}

export function starterFor(m: InstalledModule, opts: { allowUnsandboxed?: boolean; timeoutMs?: number; signal?: AbortSignal } = {}): StartServer {
  const profile = isProfileName(m.entry.sandbox.profile) ? m.entry.sandbox.profile : 'no-network';
  return sandboxStarter({ command: m.entry.launch.command, args: m.entry.launch.args, moduleDir: m.dir, profile, passEnv: m.entry.launch.env, allowUnsandboxed: opts.allowUnsandboxed, timeoutMs: opts.timeoutMs, signal: opts.signal });
}

export async function checkFiles(m: InstalledModule): Promise<FileDrift> {
  return diffFiles(m.entry.files, await hashTree(m.dir));
}

export async function checkTools(m: InstalledModule, start: StartServer): Promise<{ drift: ToolDrift; current: ReturnType<typeof pinTools>; tools: Array<Record<string, unknown>> }> {
  const tools = await probeTools(start, { label: m.entry.ref });
  const current = pinTools(tools);
  return { drift: diffToolPins(m.entry.tools, current), current, tools };
}

function fileDriftError(m: InstalledModule, d: FileDrift): WardenError {
  return new WardenError('WARDEN_E_DRIFT_FILES', `${m.entry.ref}: installed files differ from the lock (${describeDrift(d)}). Reinstall it, or review and run \`warden approve ${m.id} --files\`.`, { where: m.dir, details: { ...d } });
}

export function toolDriftError(m: InstalledModule, d: ToolDrift): WardenError {
  return new WardenError('WARDEN_E_DRIFT_TOOLS', `${m.entry.ref}: tool definitions changed since they were pinned (${describeDrift(d)}). Review with \`warden approve ${m.id}\`.`, { where: m.id, details: { ...d } });
}

export interface RunOptions {
  dir: string;
  module: string;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Probe the tools before serving (a rug pull is refused before the client sees anything). */
  preflight?: boolean;
  allowUnsandboxed?: boolean;
  /**
   * Aborted when the MCP client stops the server (SIGTERM) or the user presses Ctrl-C: the
   * sandbox is killed, its cleanup runs, and the run ends with status 0.
   */
  signal?: AbortSignal;
}

/**
 * `warden run`: re-checks the installed files against the lock, probes the tool definitions,
 * then serves the client over stdio through the pinning proxy. Resolves with the exit status.
 */
export async function runInstalled(opts: RunOptions): Promise<number> {
  const m = await findInstalled(opts.dir, opts.module);
  const files = await checkFiles(m);
  if (hasDrift(files)) throw fileDriftError(m, files);
  const start = starterFor(m, { allowUnsandboxed: opts.allowUnsandboxed, signal: opts.signal });
  if (opts.preflight !== false) {
    const { drift } = await checkTools(m, starterFor(m, { allowUnsandboxed: opts.allowUnsandboxed, timeoutMs: 60_000, signal: opts.signal })).catch((err: unknown) => {
      throwIfInterrupted(opts.signal); // stopped during the check: say so, not "the probe failed"
      throw err;
    });
    if (hasDrift(drift)) throw toolDriftError(m, drift);
  }
  const proc = await start();
  proc.stderr?.pipe(opts.stderr, { end: false });
  let blocked = false;
  startPinningProxy({
    clientIn: opts.stdin,
    clientOut: opts.stdout,
    serverIn: proc.stdin,
    serverOut: proc.stdout,
    pinned: m.entry.tools,
    onDrift: (d) => {
      blocked = true;
      opts.stderr.write(`error WARDEN_E_DRIFT_TOOLS: ${toolDriftError(m, d).message}\n`);
      proc.kill();
    },
    onProtocolError: (msg) => opts.stderr.write(`warden run: ${msg}\n`),
  });
  opts.stdin.on('end', () => proc.stdin.end());
  const exit = proc.exited ? await proc.exited : { code: 0 };
  if (blocked) return 1;
  return opts.signal?.aborted ? 0 : (exit.code ?? 1);
}

export interface ApproveResult {
  ref: string;
  tools: ToolDrift;
  files?: FileDrift;
  changed: boolean;
}

/** Records the server's current tool definitions (and, with `files`, the files on disk) as approved. */
export async function approveInstalled(opts: { dir: string; module: string; files?: boolean; allowUnsandboxed?: boolean }): Promise<ApproveResult & { toolsNow: Array<Record<string, unknown>> }> {
  const m = await findInstalled(opts.dir, opts.module);
  const fileDrift = await checkFiles(m);
  const filesChanged = hasDrift(fileDrift);
  if (filesChanged && !opts.files) throw fileDriftError(m, fileDrift);
  const { drift, current, tools } = await checkTools(m, starterFor(m, { allowUnsandboxed: opts.allowUnsandboxed, timeoutMs: 60_000 }));
  const changed = hasDrift(drift) || filesChanged;
  if (changed) {
    m.entry.tools = current;
    if (filesChanged) m.entry.files = await hashTree(m.dir);
    m.entry.approvedAt = new Date().toISOString();
    m.lock.modules[m.id] = m.entry;
    await writeLock(opts.dir, m.lock);
  }
  return { ref: m.entry.ref, tools: drift, files: filesChanged ? fileDrift : undefined, changed, toolsNow: tools };
}
