import type { Command } from 'commander';
import { WardenError } from '../core/errors.js';
import { DEFAULT_HTTP_OPTIONS } from '../market/http/defaults.js';
import type { MarketLocation } from '../market/open.js';
import { action, emit, note } from './output.js';

// The server, store drivers and pipeline load only when a market verb runs, so that every
// other `warden` verb starts without them.
const load = {
  open: () => import('../market/open.js'),
  app: () => import('../market/http/app.js'),
  auditVerify: () => import('../market/audit-verify.js'),
  auth: () => import('../market/auth.js'),
  gc: () => import('../market/gc.js'),
};

/** Opens the store for an offline verb (no naming engine or scanner needed). */
async function openOffline(loc: MarketLocation) {
  const [{ openMarket }, { NamingStep }, { ScanStep }] = await Promise.all([load.open(), import('../market/pipeline/naming-step.js'), import('../market/pipeline/scan-step.js')]);
  return openMarket({ ...loc, naming: NamingStep.disabled('offline'), scanner: ScanStep.disabled('offline') });
}

interface StoreOpts {
  data: string;
  db?: string;
  dbSchema?: string;
}

function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'market data folder (SQLite file, blobs, market key)', '.warden-data')
    .option('--db <url>', 'use PostgreSQL (postgres://user@host:5432/db) instead of SQLite in the data folder')
    .option('--db-schema <name>', 'PostgreSQL schema to use (default public)');
}

function location(o: StoreOpts) {
  return { dataDir: o.data, dbUrl: o.db, pgSchema: o.dbSchema };
}

function intOption(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new WardenError('WARDEN_E_USAGE', `${name} must be an integer from ${min} to ${max}.`, { where: name });
  return n;
}

export function registerMarketServerCommands(market: Command): void {
  addStoreOptions(
    market
      .command('init')
      .description('Create a market: data folder, signing key, database schema and the first admin token.')
      .option('--admin-expires-days <n>', 'days until the admin token expires (0 = never)', '365'),
  )
    .addHelpText(
      'after',
      `
The admin token is printed once and stored only as a sha256 hash: keep it in a secret store.
The market's Ed25519 key (market.key.pem, mode 0600) signs every accepted release; back it up.

Examples:
  $ warden market init --data /srv/warden
  $ warden --json market init --data /srv/warden | jq -r .adminToken
  $ warden market init --data /srv/warden --db postgres://warden@127.0.0.1:5432/warden`,
    )
    .action(
      action(async (o: StoreOpts & { adminExpiresDays: string }, cmd: Command) => {
        const { initMarket } = await load.open();
        const res = await initMarket(location(o), { adminExpiresInDays: intOption(o.adminExpiresDays, '--admin-expires-days', 0, 3650) });
        emit(cmd.optsWithGlobals(), { ok: true, ...res }, () =>
          [`market  ${res.dataDir}`, `store   ${res.store}`, `keyid   ${res.keyid}`, `admin token (shown once, keep it secret):`, `  ${res.adminToken}`].join('\n'),
        );
      }),
    );

  addStoreOptions(
    market
      .command('serve')
      .description('Run the market HTTP server (official registry read API + Warden publish/admin API).')
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option('--port <port>', 'port (0 = any free port)', '8080')
      .option('--max-artifact-bytes <n>', 'largest artifact publish accepts', String(DEFAULT_HTTP_OPTIONS.maxArtifactBytes))
      .option('--rate-limit <read,write>', 'requests per second per client address for reads and writes (0 = off)', `${DEFAULT_HTTP_OPTIONS.rateLimit.readPerSecond},${DEFAULT_HTTP_OPTIONS.rateLimit.writePerSecond}`)
      .option('--log-level <level>', 'server log level on stderr (fatal, error, warn, info, debug)', 'warn'),
  )
    .addHelpText(
      'after',
      `
Prints "market listening on URL" on stdout once ready. Stops cleanly on SIGINT/SIGTERM.
Run several instances against one PostgreSQL database behind a load balancer; give each a copy of
the data folder's market.key.pem and a shared blobs/ folder (see docs/market.md).

Examples:
  $ warden market serve --data /srv/warden --port 8080
  $ warden market serve --data /srv/warden --db postgres://warden@db:5432/warden --host 0.0.0.0`,
    )
    .action(
      action(async (o: StoreOpts & { host: string; port: string; maxArtifactBytes: string; rateLimit: string; logLevel: string }, cmd: Command) => {
        const port = intOption(o.port, '--port', 0, 65535);
        const maxArtifactBytes = intOption(o.maxArtifactBytes, '--max-artifact-bytes', 1024, 512 * 1024 * 1024);
        const [r, w] = o.rateLimit.split(',');
        const rateLimit = { readPerSecond: intOption(r ?? '', '--rate-limit', 0, 10_000_000), writePerSecond: intOption(w ?? r ?? '', '--rate-limit', 0, 10_000_000) };
        if (!['fatal', 'error', 'warn', 'info', 'debug'].includes(o.logLevel)) throw new WardenError('WARDEN_E_USAGE', '--log-level must be fatal, error, warn, info or debug.', { where: '--log-level' });
        const [{ openMarket }, { buildMarketApp }] = await Promise.all([load.open(), load.app()]);
        const ctx = await openMarket(location(o));
        const app = await buildMarketApp(ctx, { maxArtifactBytes, rateLimit, logger: { level: o.logLevel, stream: process.stderr } });
        let address: string;
        try {
          address = await app.listen({ host: o.host, port });
        } catch (err) {
          await ctx.store.close();
          throw new WardenError('WARDEN_E_IO', `Cannot listen on ${o.host}:${port}: ${(err as Error).message}.`, { cause: err, where: '--port' });
        }
        if (!ctx.naming.available) note('warning: naming engine not available; publishes record name-policy as "not run"');
        if (!ctx.scanner.available) note('warning: scanner not available; publishes record scan as "not run"');
        emit(cmd.optsWithGlobals(), { ok: true, url: address, store: ctx.store.describe, marketKeyid: ctx.marketKey.keyid }, () => `market listening on ${address}\nstore ${ctx.store.describe}`);
        await new Promise<void>((resolveP) => {
          const stop = () => resolveP();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await app.close();
        await ctx.store.close();
      }),
    );

  const audit = market.command('audit').description('Check the market\'s hash-chained audit log.');
  addStoreOptions(audit.command('verify').description('Verify the audit chain, every release against its audit entry and countersignature, and the artifact blobs.'))
    .option('--no-blobs', 'skip re-hashing artifact blobs on disk')
    .addHelpText(
      'after',
      `
Reads the store directly (run it on the market host, or against the shared PostgreSQL). Checks:
each entry's hash and payload digest, the prev links from genesis, the head row, every release
row against the audit entry at its log index, every countersignature against the market key, and
(unless --no-blobs) every artifact blob's sha256. Exit 0 when all hold, 1 with
WARDEN_E_MARKET_AUDIT_BROKEN and the list of problems otherwise.

Example:
  $ warden market audit verify --data /srv/warden`,
    )
    .action(
      action(async (o: StoreOpts & { blobs: boolean }, cmd: Command) => {
        const { verifyAudit } = await load.auditVerify();
        const ctx = await openOffline(location(o));
        try {
          const report = await verifyAudit(ctx.store, { marketKey: ctx.marketKey.publicKey, ...(o.blobs ? { blobs: ctx.blobs } : {}) });
          if (!report.ok) {
            throw new WardenError('WARDEN_E_MARKET_AUDIT_BROKEN', `Audit verification failed with ${report.problems.length} problem(s): ${report.problems.slice(0, 5).map((p) => ('seq' in p ? `#${p.seq} ${p.problem}` : `${p.ref}: ${p.problem}`)).join('; ')}.`, { details: { ...report } });
          }
          emit(cmd.optsWithGlobals(), { ...report }, () => `audit ok: ${report.entries} entries, head #${report.head.seq} ${report.head.hash}\nreleases checked: ${report.releases}`);
        } finally {
          await ctx.store.close();
        }
      }),
    );

  addStoreOptions(market.command('gc').description('Remove orphan artifact blobs (written before a crash, never committed).'))
    .option('--min-age-minutes <n>', 'keep blobs younger than this (publishes in flight)', '60')
    .option('--dry-run', 'list what would be removed')
    .addHelpText('after', '\nOrphans are harmless (no row refers to them); this only reclaims space.\n\nExample:\n  $ warden market gc --data /srv/warden --dry-run')
    .action(
      action(async (o: StoreOpts & { minAgeMinutes: string; dryRun?: boolean }, cmd: Command) => {
        const { collectOrphanBlobs } = await load.gc();
        const ctx = await openOffline(location(o));
        try {
          const r = await collectOrphanBlobs(ctx, { minAgeMs: intOption(o.minAgeMinutes, '--min-age-minutes', 0, 525_600) * 60_000, dryRun: Boolean(o.dryRun) });
          emit(cmd.optsWithGlobals(), { ok: true, dryRun: Boolean(o.dryRun), ...r }, () => `${o.dryRun ? 'would remove' : 'removed'} ${r.removed.length} orphan blob(s), kept ${r.kept}`);
        } finally {
          await ctx.store.close();
        }
      }),
    );

  addStoreOptions(market.command('admin-token').description('Mint a new admin token directly in the store (recovery when no admin token is left).'))
    .option('--expires-days <n>', 'days until expiry (0 = never)', '30')
    .addHelpText('after', '\nNeeds file access to the data folder (and --db); the action is recorded in the audit log as "system".\n\nExample:\n  $ warden market admin-token --data /srv/warden --expires-days 7')
    .action(
      action(async (o: StoreOpts & { expiresDays: string }, cmd: Command) => {
        const { createToken } = await load.auth();
        const ctx = await openOffline(location(o));
        try {
          const t = await createToken(ctx, 'system', { role: 'admin', description: 'minted by market admin-token', expiresInDays: intOption(o.expiresDays, '--expires-days', 0, 3650) });
          emit(cmd.optsWithGlobals(), { ok: true, id: t.id, adminToken: t.token, expiresAt: t.expiresAt }, () => `admin token ${t.id} (shown once):\n  ${t.token}`);
        } finally {
          await ctx.store.close();
        }
      }),
    );
}
