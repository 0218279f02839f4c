import type { Command } from 'commander';
import { Option } from 'commander';
import { resolve } from 'node:path';
import { rm } from 'node:fs/promises';
import { WardenError } from '../core/errors.js';
import { parseRef, formatModuleId } from '../core/ref.js';
import { readPublicKeyFile } from '../core/key-files.js';
import { DEFAULT_WARDEN_DIR } from '../installer/paths.js';
import { addServerToClient, clientEnvFromProcess, parseClientId, removeServerFromClient, CLIENTS, type ClientId, type ClientScope } from '../installer/clients.js';

// The installer, sandbox, MCP SDK and scanner load only when a verb runs: `warden --help` and
// the other verbs stay fast.
const installer = () => import('../installer/install.js');

/**
 * Runs `work` with a signal that Ctrl-C or SIGTERM aborts instead of killing the process, so
 * what runs in a sandbox is killed and every cleanup (staging, proxy, cgroup) still runs.
 */
async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => stop.abort(sig);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
const runner = () => import('../installer/run.js');
const lockFile = () => import('../installer/lock.js');
import { action, emit, note } from './output.js';

const PROFILES = ['no-network', 'loopback', 'registry-only'];

function marketUrl(opt: string | undefined): string {
  const url = opt ?? process.env.WARDEN_MARKET;
  if (!url) throw new WardenError('WARDEN_E_USAGE', 'No market given: pass --market URL or set WARDEN_MARKET.', { where: '--market' });
  return url;
}

/** How clients launch an installed module: through `warden run`, with this Warden folder. */
function launcherFor(id: string, dir: string): { command: string; args: string[] } {
  const cli = resolve(new URL('./index.js', import.meta.url).pathname);
  return { command: process.execPath, args: [cli, 'run', id, '--dir', dir] };
}

function serverKey(id: string): string {
  return id.replace('/', '-');
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerInstallCommands(program: Command): void {
  program
    .command('install')
    .description('Install a module from a market: verify, extract safely, install in a sandbox, pin, wire clients.')
    .argument('<ref>', 'org/name@version (an exact version)')
    .option('--market <url>', 'market base URL (default: $WARDEN_MARKET)')
    .option('--dir <dir>', 'Warden folder holding warden.lock and the modules', DEFAULT_WARDEN_DIR)
    .option('--market-key <file>', 'the market public key you trust (otherwise pinned on first use)')
    .option('--client <name>', `add the server to an MCP client (${Object.keys(CLIENTS).join(', ')}); repeatable`, collect)
    .addOption(new Option('--scope <scope>', 'client configuration scope').choices(['user', 'project']).default('user'))
    .option('--project <dir>', 'project folder for --scope project', process.cwd())
    .option('--allow-scripts', 'run the module\'s own install scripts (inside the sandbox only)')
    .option('--allow-downgrade', 'allow a version older than one installed or seen as latest')
    .addOption(new Option('--profile <profile>', 'network the server gets when it runs').choices(PROFILES).default('no-network'))
    .option('--allow-unsandboxed', 'degraded mode where bubblewrap is missing (no confinement, scripts refused)')
    .addOption(
      new Option('--deps-network <net>', 'network the sandboxed dependency install gets: none (vendored or cached dependencies only) or registry (the npm registry and nothing else); the operator allows the registry')
        .choices(['none', 'registry'])
        .env('WARDEN_DEPS_NETWORK')
        .default('none'),
    )
    .addHelpText(
      'after',
      `
Before a byte is extracted: the market's countersignature (market key pinned on first use or
given with --market-key), the publisher's signature by a key the org registered and has not
revoked, both statements naming exactly this ref, both digests matching the downloaded bytes,
the release not yanked or taken down, and no rollback below a version seen before. Then the
archive is extracted with limits (no traversal, links, devices or bombs), dependencies are
installed in a bubblewrap sandbox (no network unless you allow the npm registry with
--deps-network registry or WARDEN_DEPS_NETWORK=registry; scripts off unless --allow-scripts),
the server is started once in the sandbox to pin its tools, and warden.lock records it all.

Examples:
  $ warden install acme/weather@1.2.0 --market https://market.example.org
  $ warden install acme/weather@1.2.0 --deps-network registry --client claude-desktop --client vscode`,
    )
    .action(
      action(async (refText: string, opts: { market?: string; dir: string; marketKey?: string; client?: string[]; scope: ClientScope; project: string; allowScripts?: boolean; allowDowngrade?: boolean; profile: string; allowUnsandboxed?: boolean; depsNetwork: 'registry' | 'none' }, cmd: Command) => {
        const ref = parseRef(refText, '<ref>');
        const clients = (opts.client ?? []).map(parseClientId);
        const dir = resolve(opts.dir);
        const { installModule } = await installer();
        const marketKey = opts.marketKey ? await readPublicKeyFile(opts.marketKey) : undefined;
        const res = await untilInterrupted((signal) =>
          installModule({
            signal,
            ref,
            market: marketUrl(opts.market),
            dir,
            marketKey,
            allowScripts: opts.allowScripts,
            allowDowngrade: opts.allowDowngrade,
            runProfile: opts.profile as 'no-network',
            allowUnsandboxed: opts.allowUnsandboxed,
            depsNetwork: opts.depsNetwork,
            progress: cmd.optsWithGlobals().json ? undefined : (m) => note(`… ${m}`),
          }),
        );
        const wired: Array<{ client: ClientId; file: string; backup?: string }> = [];
        for (const client of clients) {
          const r = await addServerToClient(client, opts.scope, clientEnvFromProcess(resolve(opts.project)), serverKey(formatModuleId(ref)), launcherFor(formatModuleId(ref), dir));
          wired.push({ client, file: r.file, backup: r.backup });
        }
        const json = { ok: true, ref: res.ref, path: res.path, digests: res.entry.digests, publisherKeyid: res.entry.publisherKeyid, marketKeyid: res.entry.marketKeyid, marketKey: res.marketKeyPinned, tools: res.entry.tools, sandbox: res.entry.sandbox, clients: wired };
        emit(cmd.optsWithGlobals(), json, () =>
          [
            `installed ${res.ref} → ${res.path}`,
            `verified  market ${res.entry.marketKeyid.slice(0, 16)}… (${res.marketKeyPinned === 'first-use' ? 'pinned now, on first use' : res.marketKeyPinned}), publisher ${res.entry.publisherKeyid.slice(0, 16)}…`,
            `pinned    ${res.entry.tools.length} tool(s): ${res.entry.tools.map((t) => t.name).join(', ')}`,
            ...wired.map((w) => `wired     ${w.client}: ${w.file}${w.backup ? ` (backup ${w.backup})` : ''}`),
          ].join('\n'),
        );
      }),
    );

  program
    .command('run')
    .description('Run an installed module over stdio in its sandbox, refusing it if files or tools drifted.')
    .argument('<module>', 'org/name of an installed module')
    .option('--dir <dir>', 'Warden folder', DEFAULT_WARDEN_DIR)
    .option('--no-preflight', 'skip the tool check before serving (tools/list answers are still checked)')
    .option('--allow-unsandboxed', 'degraded mode where bubblewrap is missing')
    .addHelpText(
      'after',
      `
This is what MCP clients launch. It re-hashes the installed files against warden.lock, starts
the server once to compare its tool definitions with the pinned hashes, and then serves the
client, checking every tools/list answer too. Any drift stops it with exit 1; \`warden approve\`
shows the change and records it.

Example (in an MCP client's config):
  "command": "warden", "args": ["run", "acme/weather"]`,
    )
    .action(
      action(async (id: string, opts: { dir: string; preflight: boolean; allowUnsandboxed?: boolean }) => {
        const { runInstalled } = await runner();
        // MCP clients stop a stdio server with SIGTERM: the sandbox goes down with its cleanup.
        try {
          return await untilInterrupted((signal) =>
            runInstalled({ dir: resolve(opts.dir), module: id, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, preflight: opts.preflight, allowUnsandboxed: opts.allowUnsandboxed, signal }),
          );
        } finally {
          // The client's end of stdin may still be open (it sent the signal instead of closing it):
          // let go of it so the process can exit.
          process.stdin.destroy();
        }
      }),
    );

  program
    .command('approve')
    .description('Show how an installed module\'s tools (and with --files, its files) changed, and record the change.')
    .argument('<module>', 'org/name of an installed module')
    .option('--dir <dir>', 'Warden folder', DEFAULT_WARDEN_DIR)
    .option('--files', 'also accept changed files on disk')
    .option('--allow-unsandboxed', 'degraded mode where bubblewrap is missing')
    .addHelpText('after', '\nExample:\n  $ warden approve acme/weather')
    .action(
      action(async (id: string, opts: { dir: string; files?: boolean; allowUnsandboxed?: boolean }, cmd: Command) => {
        const { approveInstalled } = await runner();
        const r = await approveInstalled({ dir: resolve(opts.dir), module: id, files: opts.files, allowUnsandboxed: opts.allowUnsandboxed });
        emit(cmd.optsWithGlobals(), { ok: true, ref: r.ref, changed: r.changed, tools: r.tools, files: r.files }, () => {
          if (!r.changed) return `${r.ref}: nothing changed`;
          const lines = [`${r.ref}: approved`];
          for (const name of r.tools.changed) {
            const t = r.toolsNow.find((x) => x.name === name);
            lines.push(`  ~ ${name}: now "${String(t?.description ?? '').slice(0, 300)}"`);
          }
          for (const name of r.tools.added) lines.push(`  + ${name}`);
          for (const name of r.tools.removed) lines.push(`  - ${name}`);
          if (r.files) lines.push(`  files: ${r.files.changed.length} changed, ${r.files.added.length} added, ${r.files.removed.length} removed`);
          return lines.join('\n');
        });
      }),
    );

  program
    .command('uninstall')
    .description('Remove an installed module, its lock entry and its client wiring.')
    .argument('<module>', 'org/name')
    .option('--dir <dir>', 'Warden folder', DEFAULT_WARDEN_DIR)
    .option('--client <name>', 'also remove it from this MCP client; repeatable', collect)
    .addOption(new Option('--scope <scope>', 'client configuration scope').choices(['user', 'project']).default('user'))
    .option('--project <dir>', 'project folder for --scope project', process.cwd())
    .action(
      action(async (id: string, opts: { dir: string; client?: string[]; scope: ClientScope; project: string }, cmd: Command) => {
        const dir = resolve(opts.dir);
        const { findInstalled } = await runner();
        const { readLock, writeLock } = await lockFile();
        const m = await findInstalled(dir, id);
        const lock = await readLock(dir);
        delete lock.modules[m.id];
        await writeLock(dir, lock);
        await rm(m.dir, { recursive: true, force: true });
        for (const client of (opts.client ?? []).map(parseClientId) as ClientId[]) {
          await removeServerFromClient(client, opts.scope, clientEnvFromProcess(resolve(opts.project)), serverKey(m.id));
        }
        emit(cmd.optsWithGlobals(), { ok: true, removed: m.entry.ref }, () => `removed ${m.entry.ref}`);
      }),
    );

  program
    .command('audit')
    .description('Audit every MCP client configuration on this machine.')
    .option('--project <dir>', 'also read project-scope configs of this folder', process.cwd())
    .option('--no-probe', 'do not start Warden-installed servers to compare their tool definitions')
    .option('--no-scan', 'do not scan installed modules and local server scripts statically')
    .option('--allow-unsandboxed', 'degraded mode where bubblewrap is missing')
    .addHelpText(
      'after',
      `
Finds the configs of Claude Desktop, Claude Code, Cursor and VS Code (user and project scope),
lists each server and flags: servers not installed through Warden, npx/uvx/docker specs without
an exact version, literal secrets in env/headers, plain-HTTP remotes, and, for Warden-installed
servers, drifted files or tool definitions. Exit 1 when any finding is high or critical.

Example:
  $ warden audit --json | jq '.servers[] | select(.findings | length > 0)'`,
    )
    .action(
      action(async (opts: { project: string; probe: boolean; scan: boolean; allowUnsandboxed?: boolean }, cmd: Command) => {
        const { auditMachine } = await import('../installer/audit.js');
        const { scanIsolated, severityRank } = await import('../scanner/index.js');
        const scanFolder = async (dir: string) => {
          let r;
          try {
            r = await scanIsolated(dir, { timeoutMs: 10 * 60_000 });
          } catch (e) {
            // One server that cannot be scanned must not cost the audit of the others.
            return [{ severity: 'critical' as const, message: `scan failed: ${(e as Error).message}` }];
          }
          return r.findings
            .filter((f) => severityRank(f.severity) >= severityRank('high'))
            .map((f) => ({ severity: f.severity, message: `${f.ruleId} ${f.file}:${f.line}: ${f.message}` }));
        };
        const report = await auditMachine({ env: clientEnvFromProcess(resolve(opts.project)), probe: opts.probe, allowUnsandboxed: opts.allowUnsandboxed, scanFolder: opts.scan ? scanFolder : undefined, defaultDir: DEFAULT_WARDEN_DIR });
        emit(cmd.optsWithGlobals(), { ok: report.counts.high + report.counts.critical === 0, ...report }, () => {
          if (report.servers.length === 0) return `No MCP servers configured (looked at ${report.files.length} file(s)).`;
          const rows = report.servers.map((s) => {
            const worst = s.findings.map((f) => f.severity).sort((a, b) => SEV.indexOf(b) - SEV.indexOf(a))[0] ?? 'ok';
            return [`${s.client}/${s.scope}`, s.name, worst.toUpperCase(), s.wardenModule ? `warden run ${s.wardenModule}` : s.launcher.slice(0, 60)];
          });
          const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 6));
          const table = rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  '));
          const details = report.servers.flatMap((s) => s.findings.map((f) => `  [${f.severity}] ${s.name}: ${f.message}`));
          return [...table, '', ...details, '', `${report.counts.critical} critical, ${report.counts.high} high, ${report.counts.medium} medium, ${report.counts.low} low`].join('\n');
        });
        return report.counts.high + report.counts.critical > 0 ? 1 : 0;
      }),
    );
}

const SEV = ['info', 'low', 'medium', 'high', 'critical'];
