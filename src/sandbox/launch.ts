import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { WardenError, isWardenError } from '../core/errors.js';
import { ETC_ALLOW, PROXY_SOCKET_IN_SANDBOX, bwrapArgs, identityFiles } from './bwrap-args.js';
import { SANDBOX_HOME, buildSandboxEnv } from './env.js';
import { detectSandboxTools, findPrlimit, systemDirs } from './host.js';
import { DEFAULT_SANDBOX_LIMITS, checkLimits, prlimitArgs, type SandboxLimits } from './limits.js';
import { createPidsCgroup, joinCgroupArgv } from './pids-cgroup.js';
import { SANDBOX_PROFILES, isProfileName, type SandboxProfileName } from './profiles.js';
import { BRIDGE_PORT, BRIDGE_SOURCE, startRegistryProxy, type AllowedEndpoint, type RegistryProxy } from './registry-proxy.js';

export interface SandboxOptions {
  /** Program to run: an absolute path or a name looked up on the sandbox PATH (/usr/local/bin:/usr/bin:/bin). */
  command: string;
  args?: readonly string[];
  profile: SandboxProfileName;
  /** The only host folder the command may write (bound at the same path). Must exist. */
  moduleDir: string;
  /** Working directory, inside moduleDir (default: moduleDir). */
  cwd?: string;
  /** Explicit variables for the command. */
  env?: Record<string, string>;
  /** Names copied from this process's environment when set: an explicit allow-list. */
  passEnv?: readonly string[];
  /** Extra host paths made visible read-only (a runtime installed outside /usr, a shared cache). */
  readOnlyPaths?: readonly string[];
  /** Host folder bound as the command's HOME (a cache that should persist); default: private tmpfs. */
  homeDir?: string;
  limits?: Partial<SandboxLimits>;
  /** Wall-clock limit; the whole sandbox is killed (SIGKILL) when it passes. Default 10 minutes. */
  timeoutMs?: number;
  /** registry-only: the registry endpoint(s) the proxy lets through. */
  registry?: AllowedEndpoint | readonly AllowedEndpoint[];
  /** This launch runs package install scripts (policy allowed them). Refused when unsandboxed. */
  runsInstallScripts?: boolean;
  /**
   * Degraded mode where bubblewrap is unavailable: run with a cleared environment, a private
   * HOME and resource limits, but no file-system or network confinement; install scripts refused.
   */
  allowUnsandboxed?: boolean;
  /** Use this bwrap binary instead of the system one (tests simulate a missing bwrap with it). */
  bwrapPath?: string;
  /**
   * Aborting it (the user pressed Ctrl-C) kills the sandbox at once; its own cleanup (proxy,
   * cgroup, private HOME) still runs. An already aborted signal refuses the launch.
   */
  signal?: AbortSignal;
}

export interface SandboxExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
}

export interface SandboxHandle {
  /** The spawned process with stdin/stdout/stderr pipes (bwrap, or the command in degraded mode). */
  child: ChildProcess;
  /** false in degraded mode. */
  sandboxed: boolean;
  profile: SandboxProfileName;
  /** What the sandbox could not enforce on this host (e.g. process limit as root). */
  warnings: string[];
  /** Resolves once the command runs inside the sandbox; rejects with WARDEN_E_SANDBOX_START if bwrap failed. */
  started: Promise<void>;
  exited: Promise<SandboxExit>;
  kill(signal?: NodeJS.Signals): void;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const MAX_TIMEOUT_MS = 24 * 3600_000;
const STATUS_FD = 3;

function optionError(message: string, where: string): WardenError {
  return new WardenError('WARDEN_E_SANDBOX_OPTIONS', message, { where });
}

function existingDir(path: string | undefined, where: string): string {
  if (typeof path !== 'string' || !isAbsolute(path)) throw optionError(`${where} must be an absolute path (got ${JSON.stringify(path)}).`, where);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw optionError(`${where} ${path} does not exist.`, where);
  }
  if (!statSync(real).isDirectory()) throw optionError(`${where} ${path} is not a folder.`, where);
  return real;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

const SENSITIVE_RO = ['/', '/etc', '/root', '/home', '/proc', '/sys', '/dev', '/run', '/var'];

interface Validated {
  command: string;
  args: string[];
  moduleDir: string;
  cwd: string;
  homeDir: string | undefined;
  readOnlyPaths: string[];
  limits: SandboxLimits;
  timeoutMs: number;
  registry: AllowedEndpoint[];
}

function validate(o: SandboxOptions): Validated {
  if (!isProfileName(o.profile)) throw optionError(`Unknown sandbox profile ${JSON.stringify(o.profile)}; use one of ${Object.keys(SANDBOX_PROFILES).join(', ')}.`, 'profile');
  if (typeof o.command !== 'string' || o.command === '' || o.command.includes('\0')) throw optionError('command must be a non-empty string.', 'command');
  const args = [...(o.args ?? [])];
  if (args.some((a) => typeof a !== 'string' || a.includes('\0'))) throw optionError('args must be strings without NUL bytes.', 'args');
  const moduleDir = existingDir(o.moduleDir, 'moduleDir');
  if (SENSITIVE_RO.includes(moduleDir) || moduleDir === realpathSync(tmpdir())) throw optionError(`moduleDir ${moduleDir} is a system folder; give the module's own folder.`, 'moduleDir');
  const cwd = o.cwd === undefined ? moduleDir : existingDir(o.cwd, 'cwd');
  if (!isInside(cwd, moduleDir)) throw optionError(`cwd ${cwd} is outside moduleDir ${moduleDir}.`, 'cwd');
  const homeDir = o.homeDir === undefined ? undefined : existingDir(o.homeDir, 'homeDir');
  const readOnlyPaths = (o.readOnlyPaths ?? []).map((p, i) => {
    if (!isAbsolute(p) || !existsSync(p)) throw optionError(`readOnlyPaths[${i}] ${p} must be an existing absolute path.`, `readOnlyPaths[${i}]`);
    const real = realpathSync(p);
    if (SENSITIVE_RO.includes(real)) throw optionError(`readOnlyPaths[${i}] ${real} would expose a whole system folder; bind only what the command needs.`, `readOnlyPaths[${i}]`);
    return real;
  });
  const limits = { ...DEFAULT_SANDBOX_LIMITS, ...o.limits };
  const bad = checkLimits(limits);
  if (bad) throw optionError(bad, 'limits');
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) throw optionError(`timeoutMs must be between 1 and ${MAX_TIMEOUT_MS}.`, 'timeoutMs');
  const registry = o.registry === undefined ? [] : Array.isArray(o.registry) ? [...(o.registry as AllowedEndpoint[])] : [o.registry as AllowedEndpoint];
  for (const r of registry) {
    if (typeof r.host !== 'string' || !/^[A-Za-z0-9.:-]{1,253}$/.test(r.host) || !Number.isInteger(r.port) || r.port < 1 || r.port > 65535) {
      throw optionError(`registry ${JSON.stringify(r)} must be {host, port} with a plain host name or address.`, 'registry');
    }
  }
  if (o.profile === 'registry-only' && registry.length === 0) throw optionError('The registry-only profile needs `registry: {host, port}`.', 'registry');
  return { command: o.command, args, moduleDir, cwd, homeDir, readOnlyPaths, limits, timeoutMs, registry };
}

/** Where this Node binary lives, when that is outside /usr (nvm, /opt/node): bound read-only. */
function runtimeLocation(): { prefix: string; bin: string } | undefined {
  const exe = realpathSync(process.execPath);
  if (exe.startsWith(`/usr${sep}`)) return undefined;
  const bin = dirname(exe);
  return { prefix: dirname(bin), bin };
}

let identityDir: string | undefined;
function identityFolder(): string {
  if (identityDir && existsSync(identityDir)) return identityDir;
  const dir = mkdtempSync(join(tmpdir(), 'warden-sandbox-id-'));
  const files = identityFiles();
  writeFileSync(join(dir, 'passwd'), files.passwd, { mode: 0o644 });
  writeFileSync(join(dir, 'group'), files.group, { mode: 0o644 });
  // One per process, reused by every launch; removed when the process ends (they used to pile up
  // in /tmp, one per CLI run).
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  identityDir = dir;
  return dir;
}

/**
 * Starts `command` with least privilege and returns at once with its pipes. The one launcher the
 * installer, `warden run` and the gateway use. See docs/sandbox.md for what each profile grants.
 */
export async function launchSandboxed(options: SandboxOptions): Promise<SandboxHandle> {
  throwIfInterrupted(options.signal);
  const h = await launchUnwatched(options);
  const signal = options.signal;
  if (signal) {
    const onAbort = () => h.kill('SIGKILL');
    if (signal.aborted) onAbort();
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      void h.exited.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => undefined);
    }
  }
  return h;
}

/** WARDEN_E_INTERRUPTED when the signal was aborted. */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const why = typeof signal.reason === 'string' ? signal.reason : 'an interrupt';
    throw new WardenError('WARDEN_E_INTERRUPTED', `Stopped by ${why}; what was started was cleaned up.`);
  }
}

async function launchUnwatched(options: SandboxOptions): Promise<SandboxHandle> {
  const v = validate(options);
  let tools: ReturnType<typeof detectSandboxTools> | undefined;
  try {
    tools = detectSandboxTools(options.bwrapPath);
  } catch (err) {
    if (!(isWardenError(err, 'WARDEN_E_SANDBOX_UNAVAILABLE') && options.allowUnsandboxed)) throw err;
  }
  if (!tools) return launchDegraded(options, v);

  const runtime = runtimeLocation();
  const isRegistryOnly = options.profile === 'registry-only';
  // Everything that can refuse the options runs before anything is created on the host.
  const env = buildSandboxEnv({
    env: options.env,
    passEnv: options.passEnv,
    from: process.env,
    runtimeBin: runtime?.bin,
    home: SANDBOX_HOME,
    scriptsAllowed: options.runsInstallScripts === true,
    proxyUrl: isRegistryOnly ? `http://127.0.0.1:${BRIDGE_PORT}` : undefined,
  });
  const proxy: RegistryProxy | undefined = isRegistryOnly ? await startRegistryProxy(v.registry) : undefined;
  const cgroup = createPidsCgroup(v.limits.processes);
  const warnings: string[] = [];
  if (process.getuid?.() === 0 && !cgroup) warnings.push('limits.processes is not enforced: the kernel exempts root from RLIMIT_NPROC and no pids cgroup is writable');
  let child: ChildProcess;
  try {
    const argv = [
      ...bwrapArgs({
        moduleDir: v.moduleDir,
        cwd: v.cwd,
        homeDir: v.homeDir,
        readOnlyPaths: runtime ? [runtime.prefix, ...v.readOnlyPaths] : v.readOnlyPaths,
        systemDirs: systemDirs(),
        etcPaths: ETC_ALLOW.filter((p) => existsSync(p)),
        identityDir: identityFolder(),
        proxySocket: proxy?.socketPath,
        statusFd: STATUS_FD,
      }),
      '--',
      ...(proxy ? [realpathSync(process.execPath), '-e', BRIDGE_SOURCE, '--', PROXY_SOCKET_IN_SANDBOX, String(BRIDGE_PORT)] : []),
      tools.prlimit,
      ...prlimitArgs(v.limits),
      '--',
      v.command,
      ...v.args,
    ];
    const [file, fileArgs] = cgroup ? joinCgroupArgv(cgroup, tools.bwrap, argv) : [tools.bwrap, argv];
    child = spawn(file, fileArgs, { env, cwd: '/', stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  } catch (err) {
    await proxy?.close();
    await cgroup?.remove();
    throw err;
  }
  let resolveStarted!: () => void;
  let rejectStarted!: (e: unknown) => void;
  const started = new Promise<void>((res, rej) => {
    resolveStarted = res;
    rejectStarted = rej;
  });
  started.catch(() => undefined);
  let isStarted = false;
  const status = child.stdio[STATUS_FD] as NodeJS.ReadableStream | null;
  let statusText = '';
  status?.on('data', (chunk: Buffer) => {
    statusText += chunk.toString('utf8');
    if (!isStarted && statusText.includes('"child-pid"')) {
      isStarted = true;
      resolveStarted();
    }
  });
  status?.on('error', () => undefined);
  const exited = supervise(child, v.timeoutMs, async () => {
    if (!isStarted) rejectStarted(new WardenError('WARDEN_E_SANDBOX_START', 'bubblewrap exited before starting the command; its message is on the sandbox stderr.'));
    await proxy?.close();
    await cgroup?.remove();
  });
  return { child, sandboxed: true, profile: options.profile, warnings, started, exited, kill: (s = 'SIGKILL') => void child.kill(s) };
}

/** Waits for exit, enforces the wall-clock limit, runs cleanup once. */
function supervise(child: ChildProcess, timeoutMs: number, cleanup: () => Promise<void>): Promise<SandboxExit> {
  const t0 = performance.now();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  timer.unref();
  return new Promise<SandboxExit>((res, rej) => {
    let spawnError: unknown;
    child.once('error', (err) => {
      spawnError = err;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      void cleanup().finally(() => {
        if (spawnError && code === null && signal === null) rej(new WardenError('WARDEN_E_SANDBOX_START', `Could not start the sandbox: ${(spawnError as Error).message}.`, { cause: spawnError }));
        else res({ code, signal, timedOut, durationMs: performance.now() - t0 });
      });
    });
  });
}

async function launchDegraded(options: SandboxOptions, v: Validated): Promise<SandboxHandle> {
  if (options.runsInstallScripts) {
    throw new WardenError('WARDEN_E_SANDBOX_SCRIPTS_REFUSED', 'bubblewrap is unavailable, and Warden never runs install scripts unsandboxed. Install bubblewrap, or install with scripts disabled.');
  }
  const home = await mkdtemp(join(tmpdir(), 'warden-unsandboxed-home-'));
  const prlimit = findPrlimit();
  const warnings = [
    'running WITHOUT a sandbox: no file-system or network confinement (bubblewrap unavailable, allowUnsandboxed set)',
    ...(prlimit ? [] : ['prlimit is missing: no resource limits']),
  ];
  let child: ChildProcess;
  try {
    const env = buildSandboxEnv({ env: options.env, passEnv: options.passEnv, from: process.env, runtimeBin: dirname(realpathSync(process.execPath)), home, scriptsAllowed: false });
    const [file, argv] = prlimit ? [prlimit, [...prlimitArgs(v.limits), '--', v.command, ...v.args]] : [v.command, v.args];
    child = spawn(file, argv, { env, cwd: v.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    await rm(home, { recursive: true, force: true });
    throw err;
  }
  const started = new Promise<void>((res, rej) => {
    child.once('spawn', () => res());
    child.once('error', (err) => rej(new WardenError('WARDEN_E_SANDBOX_START', `Could not start ${v.command}: ${err.message}.`, { cause: err })));
  });
  started.catch(() => undefined);
  const exited = supervise(child, v.timeoutMs, () => rm(home, { recursive: true, force: true }));
  return { child, sandboxed: false, profile: options.profile, warnings, started, exited, kill: (s = 'SIGKILL') => void child.kill(s) };
}

export interface RunOptions extends SandboxOptions {
  /** Written to the command's stdin, which is then closed. */
  input?: string | Uint8Array;
  /** Cap on collected stdout + stderr; the sandbox is killed beyond it. Default 16 MiB. */
  maxOutputBytes?: number;
}

export interface RunResult extends SandboxExit {
  stdout: string;
  stderr: string;
  sandboxed: boolean;
  warnings: string[];
}

/** Runs a command in the sandbox to completion and collects its output. */
export async function runSandboxed(options: RunOptions): Promise<RunResult> {
  const max = options.maxOutputBytes ?? 16 * 1024 * 1024;
  const h = await launchSandboxed(options);
  const out: Buffer[] = [];
  const errOut: Buffer[] = [];
  let total = 0;
  let overflow = false;
  const collect = (sink: Buffer[]) => (chunk: Buffer) => {
    total += chunk.length;
    if (total > max) {
      if (!overflow) h.kill();
      overflow = true;
      return;
    }
    sink.push(chunk);
  };
  h.child.stdout?.on('data', collect(out));
  h.child.stderr?.on('data', collect(errOut));
  h.child.stdin?.on('error', () => undefined);
  h.child.stdin?.end(options.input === undefined ? undefined : Buffer.from(options.input));
  const exit = await h.exited;
  throwIfInterrupted(options.signal);
  const stdout = Buffer.concat(out).toString('utf8');
  const stderr = Buffer.concat(errOut).toString('utf8');
  if (exit.timedOut) throw new WardenError('WARDEN_E_SANDBOX_TIMEOUT', `${options.command} ran longer than ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms in the sandbox and was killed.`, { details: { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS } });
  if (overflow) throw new WardenError('WARDEN_E_SANDBOX_OUTPUT', `${options.command} wrote more than ${max} bytes of output and was killed.`, { details: { maxOutputBytes: max } });
  try {
    await h.started;
  } catch (err) {
    throw new WardenError('WARDEN_E_SANDBOX_START', `bubblewrap could not set up the sandbox: ${stderr.trim().slice(0, 500) || 'no message'}.`, { cause: err });
  }
  return { ...exit, stdout, stderr, sandboxed: h.sandboxed, warnings: h.warnings };
}

