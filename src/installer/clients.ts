import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { applyEdits, modify, parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { WardenError, ioError } from '../core/errors.js';

/**
 * MCP clients whose configuration Warden can read and change, with their real file locations and
 * JSON shapes. Files are JSON with comments in some clients (VS Code): edits go through
 * jsonc-parser so comments, formatting and unknown fields survive.
 */
export type ClientId = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode';
export type ClientScope = 'user' | 'project';

export interface ClientEnv {
  home: string;
  platform: NodeJS.Platform;
  /** %APPDATA% on Windows; defaults under home elsewhere. */
  appData?: string;
  /** $XDG_CONFIG_HOME on Linux. */
  xdgConfigHome?: string;
  projectDir?: string;
}

export interface ClientSpec {
  id: ClientId;
  displayName: string;
  /** Key path of the server map inside the file. */
  serversKey: string[];
  /** Whether entries carry `"type": "stdio"`. */
  typedEntries: boolean;
  configPath(scope: ClientScope, env: ClientEnv): string | undefined;
}

function userConfigDir(env: ClientEnv): string {
  if (env.platform === 'darwin') return join(env.home, 'Library', 'Application Support');
  if (env.platform === 'win32') return env.appData ?? join(env.home, 'AppData', 'Roaming');
  return env.xdgConfigHome ?? join(env.home, '.config');
}

export const CLIENTS: Record<ClientId, ClientSpec> = {
  'claude-desktop': {
    id: 'claude-desktop',
    displayName: 'Claude Desktop',
    serversKey: ['mcpServers'],
    typedEntries: false,
    configPath: (scope, env) => (scope === 'user' ? join(userConfigDir(env), 'Claude', 'claude_desktop_config.json') : undefined),
  },
  'claude-code': {
    id: 'claude-code',
    displayName: 'Claude Code',
    serversKey: ['mcpServers'],
    typedEntries: true,
    configPath: (scope, env) => (scope === 'user' ? join(env.home, '.claude.json') : env.projectDir ? join(env.projectDir, '.mcp.json') : undefined),
  },
  cursor: {
    id: 'cursor',
    displayName: 'Cursor',
    serversKey: ['mcpServers'],
    typedEntries: false,
    configPath: (scope, env) => (scope === 'user' ? join(env.home, '.cursor', 'mcp.json') : env.projectDir ? join(env.projectDir, '.cursor', 'mcp.json') : undefined),
  },
  vscode: {
    id: 'vscode',
    displayName: 'VS Code',
    serversKey: ['servers'],
    typedEntries: true,
    configPath: (scope, env) => (scope === 'user' ? join(userConfigDir(env), 'Code', 'User', 'mcp.json') : env.projectDir ? join(env.projectDir, '.vscode', 'mcp.json') : undefined),
  },
};

export function clientEnvFromProcess(projectDir?: string): ClientEnv {
  return {
    home: process.env.HOME ?? process.env.USERPROFILE ?? '/',
    platform: process.platform,
    appData: process.env.APPDATA,
    xdgConfigHome: process.env.XDG_CONFIG_HOME,
    projectDir,
  };
}

export function parseClientId(value: string): ClientId {
  if (value in CLIENTS) return value as ClientId;
  throw new WardenError('WARDEN_E_USAGE', `Unknown MCP client "${value}"; use one of ${Object.keys(CLIENTS).join(', ')}.`, { where: '--client' });
}

/** A stdio launch as clients store it. */
export interface StdioServerEntry {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  [key: string]: unknown;
}

export interface ConfiguredServer {
  client: ClientId;
  scope: ClientScope;
  file: string;
  name: string;
  entry: Record<string, unknown>;
}

const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
const FORMAT = { insertSpaces: true, tabSize: 2, eol: '\n' } as const;

async function readConfigText(file: string): Promise<string | undefined> {
  let st;
  try {
    st = await stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError('read', file, err);
  }
  if (st.size > MAX_CONFIG_BYTES) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `${file} is larger than ${MAX_CONFIG_BYTES} bytes; not touching it.`, { where: file });
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw ioError('read', file, err);
  }
}

function parseConfig(text: string, file: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const doc = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || (text.trim() !== '' && (typeof doc !== 'object' || doc === null || Array.isArray(doc)))) {
    throw new WardenError('WARDEN_E_CLIENT_CONFIG_INVALID', `${file} is not valid JSON (offset ${errors[0]?.offset ?? 0}); fix it by hand before Warden edits it.`, { where: file });
  }
  return (doc ?? {}) as Record<string, unknown>;
}

function serversOf(doc: Record<string, unknown>, key: string[]): Record<string, unknown> {
  let node: unknown = doc;
  for (const k of key) node = (node as Record<string, unknown> | undefined)?.[k];
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>) : {};
}

/** Reads the servers configured in one client file (empty when the file does not exist). */
export async function readClientServers(client: ClientId, scope: ClientScope, env: ClientEnv): Promise<ConfiguredServer[]> {
  const spec = CLIENTS[client];
  const file = spec.configPath(scope, env);
  if (!file) return [];
  const text = await readConfigText(file);
  if (text === undefined) return [];
  const servers = serversOf(parseConfig(text, file), spec.serversKey);
  return Object.entries(servers)
    .filter(([, entry]) => typeof entry === 'object' && entry !== null)
    .map(([name, entry]) => ({ client, scope, file, name, entry: entry as Record<string, unknown> }));
}

/** Every client config that exists on this machine (user scope, plus project scope when given). */
export async function discoverConfiguredServers(env: ClientEnv): Promise<{ servers: ConfiguredServer[]; files: string[] }> {
  const servers: ConfiguredServer[] = [];
  const files: string[] = [];
  for (const client of Object.keys(CLIENTS) as ClientId[]) {
    for (const scope of ['user', 'project'] as const) {
      const file = CLIENTS[client].configPath(scope, env);
      if (!file || (await readConfigText(file)) === undefined) continue;
      files.push(file);
      servers.push(...(await readClientServers(client, scope, env)));
    }
  }
  return { servers, files };
}

export interface ConfigEditResult {
  file: string;
  backup?: string;
  changed: boolean;
}

async function writeConfig(file: string, before: string | undefined, after: string): Promise<string | undefined> {
  await mkdir(dirname(file), { recursive: true });
  let backup: string | undefined;
  if (before !== undefined) {
    backup = `${file}.warden-backup-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await copyFile(file, backup);
  }
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // Client configs can hold tokens in `env`: keep them private to the user.
    await writeFile(tmp, after, { flag: 'wx', mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw ioError('write', file, err);
  }
  return backup;
}

async function editServers(client: ClientId, scope: ClientScope, env: ClientEnv, name: string, value: Record<string, unknown> | undefined): Promise<ConfigEditResult> {
  const spec = CLIENTS[client];
  const file = spec.configPath(scope, env);
  if (!file) throw new WardenError('WARDEN_E_USAGE', `${spec.displayName} has no ${scope}-scope configuration${scope === 'project' ? ' (give --project DIR)' : ''}.`, { where: '--scope' });
  const before = await readConfigText(file);
  const base = before ?? '{}\n';
  const doc = parseConfig(base, file);
  const existing = serversOf(doc, spec.serversKey)[name];
  if (value === undefined && existing === undefined) return { file, changed: false };
  if (value !== undefined && JSON.stringify(existing) === JSON.stringify(value)) return { file, changed: false };
  const edits = modify(base, [...spec.serversKey, name], value, { formattingOptions: FORMAT });
  const after = applyEdits(base, edits);
  const backup = await writeConfig(file, before, after.endsWith('\n') ? after : after + '\n');
  return { file, backup, changed: true };
}

/** The entry a client needs to launch `command args` over stdio, in that client's shape. */
export function stdioEntry(client: ClientId, launch: StdioServerEntry): Record<string, unknown> {
  return CLIENTS[client].typedEntries ? { type: 'stdio', ...launch } : { ...launch };
}

export function addServerToClient(client: ClientId, scope: ClientScope, env: ClientEnv, name: string, launch: StdioServerEntry): Promise<ConfigEditResult> {
  return editServers(client, scope, env, name, stdioEntry(client, launch));
}

export function removeServerFromClient(client: ClientId, scope: ClientScope, env: ClientEnv, name: string): Promise<ConfigEditResult> {
  return editServers(client, scope, env, name, undefined);
}
