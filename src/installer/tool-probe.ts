import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ProcessStdioTransport } from './process-transport.js';
import { WardenError } from '../core/errors.js';
import { WARDEN_VERSION } from '../core/version.js';

/** A fully resolved process launch (already wrapped in the sandbox when one is used). */
export interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/** A started server process: the sandbox launcher's handle, or a plain child in tests. */
export interface ServerProcess {
  stdin: Writable;
  stdout: Readable;
  stderr?: Readable | null;
  kill(): void;
  /** Resolves when the process ends (the sandbox launcher's handle provides it). */
  exited?: Promise<{ code: number | null }>;
}

export type StartServer = () => Promise<ServerProcess>;

/** Starts a launch spec as a plain child process (no sandbox): for tests and the degraded mode. */
export function plainStarter(launch: LaunchSpec): StartServer {
  return async () => {
    const child = spawn(launch.command, launch.args, { cwd: launch.cwd, env: launch.env, stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return { stdin: child.stdin!, stdout: child.stdout!, stderr: child.stderr, kill: () => child.kill('SIGKILL') };
  };
}

const MAX_TOOLS = 1000;
const MAX_PAGES = 50;

/**
 * Starts a stdio server once, lists its tools over MCP with a real SDK client, and stops it.
 * Used at install (to pin), by `warden run` before serving (to refuse a rug pull), and by audit.
 */
export async function probeTools(start: StartServer, opts: { timeoutMs?: number; label?: string } = {}): Promise<Array<Record<string, unknown>>> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  let proc: ServerProcess;
  try {
    proc = await start();
  } catch (err) {
    if (err instanceof WardenError) throw err;
    throw new WardenError('WARDEN_E_SERVER_START', `The server could not be started: ${(err as Error).message}.`, { where: opts.label, cause: err });
  }
  const transport = new ProcessStdioTransport(proc.stdout, proc.stdin, () => proc.kill());
  let stderr = '';
  proc.stderr?.on('data', (c: Buffer) => {
    if (stderr.length < 4096) stderr += c.toString('utf8');
  });
  const client = new Client({ name: 'warden-probe', version: WARDEN_VERSION });
  const tools: Array<Record<string, unknown>> = [];
  try {
    await client.connect(transport, { timeout: timeoutMs });
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await client.listTools(cursor ? { cursor } : {}, { timeout: timeoutMs });
      tools.push(...(res.tools as Array<Record<string, unknown>>));
      if (tools.length > MAX_TOOLS) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The server lists more than ${MAX_TOOLS} tools.`, { where: 'tools/list' });
      cursor = res.nextCursor;
      if (!cursor) break;
    }
  } catch (err) {
    if (err instanceof WardenError) throw err;
    const tail = stderr.trim().split('\n').slice(-3).join(' | ');
    throw new WardenError('WARDEN_E_SERVER_START', `The server did not answer tools/list: ${(err as Error).message}${tail ? ` (stderr: ${tail.slice(0, 400)})` : ''}.`, { where: opts.label, cause: err });
  } finally {
    await client.close().catch(() => undefined);
  }
  return tools;
}
