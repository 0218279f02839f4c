import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { WardenError } from '../core/errors.js';
import { WARDEN_VERSION } from '../core/version.js';

/** A fully resolved process launch (already wrapped in the sandbox when one is used). */
export interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

const MAX_TOOLS = 1000;
const MAX_PAGES = 50;

/**
 * Starts a stdio server once, lists its tools over MCP with a real SDK client, and stops it.
 * Used at install (to pin), by `warden run` before serving (to refuse a rug pull), and by audit.
 */
export async function probeTools(launch: LaunchSpec, opts: { timeoutMs?: number } = {}): Promise<Array<Record<string, unknown>>> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const transport = new StdioClientTransport({ command: launch.command, args: launch.args, env: launch.env, cwd: launch.cwd, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (c: Buffer) => {
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
    throw new WardenError('WARDEN_E_SERVER_START', `The server did not answer tools/list: ${(err as Error).message}${tail ? ` (stderr: ${tail.slice(0, 400)})` : ''}.`, { where: `${launch.command} ${launch.args.join(' ')}`.slice(0, 300), cause: err });
  } finally {
    await client.close().catch(() => undefined);
  }
  return tools;
}
