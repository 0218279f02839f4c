import type { ConfiguredServer } from './clients.js';

/**
 * The end user's view of their MCP clients: what each configured server runs and what is risky
 * about how it is configured. Pure: the caller discovers the configs and the lock.
 */
export type AuditSeverity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export interface AuditFinding {
  id: 'not-warden' | 'unpinned-package' | 'plaintext-secret' | 'remote-plain-http' | 'drift' | 'scan';
  severity: AuditSeverity;
  message: string;
}

export interface AuditedServer {
  client: string;
  scope: string;
  file: string;
  name: string;
  launcher: string;
  /** `org/name` when the server is launched through `warden run`. */
  wardenModule?: string;
  /** The package spec the client would fetch at start, when it uses a package runner. */
  packageSpec?: string;
  findings: AuditFinding[];
}

const NPM_RUNNERS: Record<string, number> = { npx: 0, 'npx.cmd': 0, bunx: 0 };
const NPM_SUBCOMMAND_RUNNERS: Record<string, string> = { pnpm: 'dlx', yarn: 'dlx', npm: 'exec' };
const PY_RUNNERS = new Set(['uvx', 'pipx']);
const EXACT_SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function commandName(command: string): string {
  return command.split(/[\\/]/).pop() ?? command;
}

/** First positional argument after skipping runner flags (and the values of flags that take one). */
function firstPositional(args: string[], flagsWithValue: Set<string>): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return args[i + 1];
    if (a.startsWith('-')) {
      if (flagsWithValue.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

/** `name@1.2.3` or `@scope/name@1.2.3` is pinned; a tag, a range or no version is not. */
export function isPinnedNpmSpec(spec: string): boolean {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return false;
  return EXACT_SEMVER.test(spec.slice(at + 1));
}

/** `name==1.2.3` (pip) or `name@1.2.3` (uv) is pinned. */
export function isPinnedPythonSpec(spec: string): boolean {
  const m = /^[A-Za-z0-9._\-\[\],]+(?:==|@)(.+)$/.exec(spec);
  return Boolean(m && /^\d+(?:\.\d+)*(?:[abrc.]+\d+)?$/.test(m[1]!));
}

export function packageSpecOf(command: string, args: string[]): { spec: string; pinned: boolean; ecosystem: 'npm' | 'pypi' | 'oci' } | undefined {
  const cmd = commandName(command);
  if (cmd in NPM_RUNNERS || (NPM_SUBCOMMAND_RUNNERS[cmd] !== undefined && args[0] === NPM_SUBCOMMAND_RUNNERS[cmd])) {
    const rest = cmd in NPM_RUNNERS ? args : args.slice(1);
    const pkgFlag = rest.findIndex((a) => a === '--package' || a === '-p');
    const spec = pkgFlag >= 0 ? rest[pkgFlag + 1] : firstPositional(rest, new Set(['--package', '-p', '--registry', '--cache']));
    return spec ? { spec, pinned: isPinnedNpmSpec(spec), ecosystem: 'npm' } : undefined;
  }
  if (PY_RUNNERS.has(cmd) || (cmd === 'uv' && args[0] === 'tool' && args[1] === 'run')) {
    const rest = cmd === 'uv' ? args.slice(2) : cmd === 'pipx' ? args.slice(args[0] === 'run' ? 1 : 0) : args;
    const from = rest.findIndex((a) => a === '--from' || a === '--spec');
    const spec = from >= 0 ? rest[from + 1] : firstPositional(rest, new Set(['--from', '--spec', '--python', '--with', '--index-url', '-p']));
    return spec ? { spec, pinned: isPinnedPythonSpec(spec), ecosystem: 'pypi' } : undefined;
  }
  if (cmd === 'docker' || cmd === 'podman') {
    if (args[0] !== 'run') return undefined;
    const image = firstPositional(args.slice(1), new Set(['-e', '--env', '-v', '--volume', '--name', '-p', '--publish', '--network', '--env-file', '-w', '--user', '-u', '--entrypoint', '--mount']));
    return image ? { spec: image, pinned: /@sha256:[0-9a-f]{64}$/.test(image), ecosystem: 'oci' } : undefined;
  }
  return undefined;
}

const SECRET_NAME = /(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|PASS|API_?KEY|KEY|PAT|CREDENTIALS?|AUTH|PRIVATE)(?:_|$)/i;
const REFERENCE = /^\$\{[^}]+\}$|^\$[A-Z_][A-Z0-9_]*$|^<[^>]+>$|^(?:your|my|xxx+|changeme|placeholder)/i;

function shannonBitsPerChar(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * A literal secret in a client's `env` block is readable by every process of the user and ends up
 * in backups and dotfile repositories. References (`${input:…}`, `${env:…}`) are fine.
 */
export function looksLikePlaintextSecret(name: string, value: string): boolean {
  if (value.length < 8 || REFERENCE.test(value)) return false;
  if (SECRET_NAME.test(name)) return true;
  // A high-entropy token-shaped value under any name (e.g. CONFIG=ghp_…).
  return value.length >= 20 && /^[A-Za-z0-9_\-+/=.]+$/.test(value) && shannonBitsPerChar(value) >= 4.0;
}

/** `node /…/warden/dist/cli/index.js run …`: how `warden install --client` wires a server. */
function isWardenCli(command: string, args: string[]): boolean {
  return /^node(?:\.exe)?$/.test(commandName(command)) && typeof args[0] === 'string' && /(?:^|[\\/])dist[\\/]cli[\\/]index\.js$/.test(args[0]);
}

export function auditConfiguredServer(server: ConfiguredServer): AuditedServer {
  const entry = server.entry;
  const findings: AuditFinding[] = [];
  const command = typeof entry.command === 'string' ? entry.command : '';
  const args = Array.isArray(entry.args) ? entry.args.filter((a): a is string => typeof a === 'string') : [];
  const url = typeof entry.url === 'string' ? entry.url : typeof entry.serverUrl === 'string' ? entry.serverUrl : undefined;
  const base: AuditedServer = { client: server.client, scope: server.scope, file: server.file, name: server.name, launcher: url ?? [command, ...args].join(' ').trim(), findings };

  const wardenArgs = commandName(command) === 'warden' ? args : isWardenCli(command, args) ? args.slice(1) : undefined;
  if (wardenArgs && wardenArgs[0] === 'run' && wardenArgs[1]) {
    base.wardenModule = wardenArgs[1];
  } else if (url) {
    if (/^http:\/\//i.test(url) && !/^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::|\/|$)/i.test(url)) {
      findings.push({ id: 'remote-plain-http', severity: 'high', message: `remote server over plain HTTP (${url}): tokens and data travel unencrypted` });
    }
    findings.push({ id: 'not-warden', severity: 'low', message: 'remote server not behind a Warden gateway: no pinning of its tool definitions' });
  } else if (command) {
    findings.push({ id: 'not-warden', severity: 'medium', message: 'not installed through Warden: no signature, digest or tool-definition pinning' });
    const pkg = packageSpecOf(command, args);
    if (pkg) {
      base.packageSpec = pkg.spec;
      if (!pkg.pinned) {
        findings.push({ id: 'unpinned-package', severity: 'high', message: `runs ${pkg.ecosystem} package "${pkg.spec}" without an exact version${pkg.ecosystem === 'oci' ? ' digest' : ''}: every start may fetch different code` });
      }
    }
  }
  const env = typeof entry.env === 'object' && entry.env !== null ? (entry.env as Record<string, unknown>) : {};
  const headers = typeof entry.headers === 'object' && entry.headers !== null ? (entry.headers as Record<string, unknown>) : {};
  for (const [k, v] of [...Object.entries(env), ...Object.entries(headers)]) {
    if (typeof v === 'string' && (looksLikePlaintextSecret(k, v) || /^Bearer\s+\S{8,}$/i.test(v))) {
      findings.push({ id: 'plaintext-secret', severity: 'high', message: `${k} holds a literal secret in ${server.file}; use an input or environment reference` });
    }
  }
  return base;
}
