import { join } from 'node:path';
import type { Command } from 'commander';
import { WardenError } from '../core/errors.js';
import { readAuditFile, verifyAuditFile } from '../gateway/audit/audit-file.js';
import { loadKeyRing, rotateKeyRingFile } from '../gateway/audit/keyring.js';
import { ApiKeyStore } from '../gateway/auth/api-keys.js';
import { TokenRevocations } from '../gateway/auth/revocations.js';
import { loadGatewayConfig, type GatewayConfig } from '../gateway/config.js';
import { PinStore } from '../gateway/pins/pin-store.js';
import { action, emit, note, type GlobalOutputOptions } from './output.js';

// The server stack (fastify, MCP SDK, jose, pino, prom-client, ioredis) is imported only when
// serving, so other verbs start fast.

type Opts = GlobalOutputOptions & { config?: string };

function config(opts: Opts): GatewayConfig {
  if (!opts.config) throw new WardenError('WARDEN_E_USAGE', 'Give the gateway config with --config gateway.yaml.');
  return loadGatewayConfig(opts.config);
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerGatewayCommands(program: Command): void {
  const gw = program
    .command('gateway')
    .description('Run the MCP gateway (auth, policy, limits, anomaly blocking, redaction, audit, pinning) and manage its state')
    .option('-c, --config <file>', 'gateway configuration (YAML, see docs/gateway.md)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  warden gateway --config gateway.yaml                  serve /mcp/<server> for every configured server\n' +
        '  warden gateway keys create --config gateway.yaml --principal ci-bot --group ci --server github\n' +
        '  warden gateway approve --config gateway.yaml --list   show changed tool definitions awaiting review\n' +
        '  warden gateway audit verify --config gateway.yaml     check the audit file\'s hash chain and encryption\n' +
        '\nDocs: docs/gateway.md',
    )
    .action(
      action(async (opts: Opts, cmd: Command) => {
        const o = { ...cmd.optsWithGlobals(), ...opts } as Opts;
        const cfg = config(o);
        const [{ Gateway }, { startGatewayServer }] = await Promise.all([import('../gateway/gateway.js'), import('../gateway/http/server.js')]);
        const server = await startGatewayServer(new Gateway(cfg));
        note(`warden gateway listening on ${server.url} (public ${cfg.publicUrl}); servers: ${Object.keys(cfg.servers).map((s) => `/mcp/${s}`).join(', ')}`);
        await new Promise<void>((resolve) => {
          const stop = () => {
            note('warden gateway: shutting down');
            void server.close().then(resolve);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }),
    );

  const globals = (cmd: Command): Opts => cmd.optsWithGlobals() as Opts;

  const keys = gw.command('keys').description('Issue, list and revoke gateway API keys (stored hashed in the state folder)');
  keys
    .command('create')
    .description('Issue an API key; it is printed once and only its sha256 is stored')
    .requiredOption('--principal <id>', 'who the key acts as (policy `principals`)')
    .option('--group <name>', 'group for policy `groups` (repeatable)', collect)
    .option('--tenant <name>', 'tenant for per-tenant limits and policy')
    .option('--server <name>', 'restrict the key to this server (repeatable; per-module keys)', collect)
    .option('--description <text>', 'note for operators')
    .addHelpText('after', '\nExample:\n  warden gateway keys create -c gateway.yaml --principal ci-bot --group ci --server github')
    .action(
      action((o: { principal: string; group?: string[]; tenant?: string; server?: string[]; description?: string }, cmd: Command) => {
        const g = globals(cmd);
        const store = new ApiKeyStore(config(g).stateDir);
        const { key, record } = store.create({ principal: o.principal, groups: o.group ?? [], ...(o.tenant ? { tenant: o.tenant } : {}), servers: o.server ?? [], ...(o.description ? { description: o.description } : {}) });
        const { sha256: _h, ...shown } = record;
        emit(g, { ok: true, key, record: shown }, () => `API key for ${record.principal} (id ${record.id}); store it now, it is not shown again:\n${key}`);
      }),
    );
  keys
    .command('list')
    .description('List API keys (ids, principals, status; never the keys)')
    .action(
      action((_o: unknown, cmd: Command) => {
        const g = globals(cmd);
        const list = new ApiKeyStore(config(g).stateDir).list().map(({ sha256: _h, ...r }) => r);
        emit(g, { ok: true, keys: list }, () => list.map((k) => `${k.id}  ${k.principal}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  groups=${k.groups.join(',')}${k.servers ? ` servers=${k.servers.join(',')}` : ''}`).join('\n') || 'no keys');
      }),
    );
  keys
    .command('revoke <id>')
    .description('Revoke an API key; running gateways refuse it within about a second')
    .action(
      action((id: string, _o: unknown, cmd: Command) => {
        const g = globals(cmd);
        const r = new ApiKeyStore(config(g).stateDir).revoke(id);
        emit(g, { ok: true, id: r.id, revokedAt: r.revokedAt }, () => `revoked ${r.id} (${r.principal})`);
      }),
    );

  gw.command('token')
    .description('Manage JWT revocations')
    .command('revoke <jti>')
    .description('Revoke a JWT by its `jti` claim')
    .option('--until <iso-date>', 'forget the entry after this time (the token\'s expiry)')
    .option('--reason <text>', 'why')
    .action(
      action((jti: string, o: { until?: string; reason?: string }, cmd: Command) => {
        const g = globals(cmd);
        const until = o.until ? new Date(o.until) : undefined;
        if (until && Number.isNaN(until.getTime())) throw new WardenError('WARDEN_E_USAGE', '--until must be an ISO date.');
        new TokenRevocations(config(g).stateDir).revoke(jti, { ...(until ? { until } : {}), ...(o.reason ? { reason: o.reason } : {}) });
        emit(g, { ok: true, jti }, () => `revoked token ${jti}`);
      }),
    );

  gw.command('approve')
    .description('Approve changed or new tool definitions (pins); `--list` shows what waits')
    .option('--server <name>', 'server whose pending definitions to approve')
    .option('--tool <name>', 'only this tool')
    .option('--sha256 <hex>', 'only if the pending definition has this hash (what you reviewed)')
    .option('--list', 'list pending definitions with their text; approve nothing')
    .addHelpText('after', '\nExamples:\n  warden gateway approve -c gateway.yaml --list\n  warden gateway approve -c gateway.yaml --server github --tool create_issue --sha256 <hex>')
    .action(
      action((o: { server?: string; tool?: string; sha256?: string; list?: boolean }, cmd: Command) => {
        const g = globals(cmd);
        const cfg = config(g);
        const pins = new PinStore(cfg.stateDir, cfg.pinning.mode);
        if (o.list || !o.server) {
          const p = pins.pending();
          emit(g, { ok: true, pending: p }, () =>
            p.length === 0 ? 'no pending tool definitions' : p.map((x) => `${x.server}/${x.tool} sha256=${x.pending.sha256} seen ${x.pending.seenAt}\n  ${JSON.stringify(x.pending.definition)}`).join('\n'),
          );
          return p.length === 0 ? 0 : 1;
        }
        const done = pins.approve(o.server, o.tool, o.sha256);
        emit(g, { ok: true, approved: done }, () => done.map((d) => `approved ${o.server}/${d.tool} sha256=${d.sha256}`).join('\n'));
      }),
    );

  const audit = gw.command('audit').description('Read, verify and re-key the encrypted, hash-chained audit file');
  const auditOpts = (c: Command) =>
    c.option('--file <path>', 'audit file (default: from the config)').option('--keys <file>', 'key ring JSON (default: from the config or WARDEN_AUDIT_KEYS)');
  const auditFile = (g: Opts, o: { file?: string }): string => o.file ?? (() => { const c = config(g); return c.audit.file ?? join(c.stateDir, 'audit.log'); })();
  const ringFile = (g: Opts, o: { keys?: string }): string | undefined => o.keys ?? (g.config ? config(g).audit.keysFile : undefined);
  auditOpts(audit.command('read').description('Decrypt and print records (JSON lines); stops at the first bad record'))
    .option('--tail <n>', 'only the last n records', (v) => Number(v))
    .action(
      action(async (o: { file?: string; keys?: string; tail?: number }, cmd: Command) => {
        const g = globals(cmd);
        const ring = loadKeyRing(ringFile(g, o));
        const out: unknown[] = [];
        for await (const r of readAuditFile(auditFile(g, o), ring)) {
          out.push({ seq: r.seq, kid: r.kid, ...(r.event as object) });
          if (o.tail && out.length > o.tail) out.shift();
        }
        emit(g, { ok: true, records: out }, () => out.map((r) => JSON.stringify(r)).join('\n'));
      }),
    );
  auditOpts(audit.command('verify').description('Check sequence and hash chain (and, with a key, every record\'s encryption tag); exit 1 if tampered'))
    .option('--no-decrypt', 'check the chain only (no key needed)')
    .action(
      action(async (o: { file?: string; keys?: string; decrypt: boolean }, cmd: Command) => {
        const g = globals(cmd);
        const ring = o.decrypt ? loadKeyRing(ringFile(g, o)) : undefined;
        const report = await verifyAuditFile(auditFile(g, o), ring);
        emit(g, report, () => (report.ok ? `ok: ${report.records} records, head ${report.head}, keys ${report.keyIds.join(',')}` : `TAMPERED at line ${report.error!.line}: ${report.error!.message}`));
        return report.ok ? 0 : 1;
      }),
    );
  audit
    .command('rotate-key')
    .description('Add a new random key to the ring file and make it active (old keys stay for reading); restart gateways to use it')
    .requiredOption('--keys <file>', 'key ring JSON (created when absent, mode 0600)')
    .option('--kid <id>', 'id for the new key')
    .action(
      action((o: { keys: string; kid?: string }, cmd: Command) => {
        const g = globals(cmd);
        const r = rotateKeyRingFile(o.keys, o.kid);
        emit(g, { ok: true, ...r }, () => `active audit key ${r.active} (${r.count} keys in ${o.keys})`);
      }),
    );
}
