import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WardenError, ioError } from '../core/errors.js';
import { openStore } from './store/db.js';
import { BlobStore } from './store/blobs.js';
import { auditHead } from './store/repo.js';
import { createMarketKey, loadMarketKey, marketKeyPath } from './trust/market-key.js';
import { NamingStep } from './pipeline/naming-step.js';
import { ScanStep } from './pipeline/scan-step.js';
import { DEFAULT_POLICY, type PublishPolicy } from './pipeline/types.js';
import { createToken } from './auth.js';
import type { MarketContext } from './context.js';

export interface MarketLocation {
  dataDir: string;
  dbUrl?: string | undefined;
  pgSchema?: string | undefined;
}

export interface OpenMarketOptions extends MarketLocation {
  policy?: PublishPolicy;
  naming?: NamingStep;
  scanner?: ScanStep;
  now?: () => Date;
  poolSize?: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * `warden market init`: creates the data folder, the market signing key, the schema, and one
 * admin token, which is returned once and stored only as a hash. Refuses an initialised folder
 * or a store that already has history (a second instance shares the key file instead).
 */
export async function initMarket(loc: MarketLocation, opts: { adminExpiresInDays?: number; now?: () => Date } = {}): Promise<{ adminToken: string; adminTokenId: string; keyid: string; dataDir: string; store: string }> {
  const dataDir = resolve(loc.dataDir);
  if (await exists(marketKeyPath(dataDir))) {
    throw new WardenError('WARDEN_E_MARKET_DATA_DIR', `${dataDir} is already initialised (it has ${marketKeyPath(dataDir)}). Serve it, or choose an empty folder.`, { where: dataDir });
  }
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw ioError('create', dataDir, err);
  }
  const store = await openStore({ dataDir, dbUrl: loc.dbUrl, pgSchema: loc.pgSchema });
  try {
    const head = await auditHead(store.db);
    if (head.seq > 0) throw new WardenError('WARDEN_E_MARKET_DATA_DIR', `The store ${store.describe} already holds a market (audit log has ${head.seq} entries). Copy that market's key file into the data folder instead of running init.`, { where: store.describe });
    const { keyid } = await createMarketKey(dataDir);
    const ctx = await contextFor(store, dataDir, { now: opts.now, naming: NamingStep.disabled('init'), scanner: ScanStep.disabled('init') });
    const t = await createToken(ctx, 'system', { role: 'admin', description: 'created by market init', expiresInDays: opts.adminExpiresInDays ?? 365 });
    return { adminToken: t.token, adminTokenId: t.id, keyid, dataDir, store: store.describe };
  } finally {
    await store.close();
  }
}

async function contextFor(store: MarketContext['store'], dataDir: string, opts: Omit<OpenMarketOptions, keyof MarketLocation>): Promise<MarketContext> {
  return {
    store,
    blobs: new BlobStore(dataDir),
    marketKey: await loadMarketKey(dataDir),
    naming: opts.naming ?? (await NamingStep.load()),
    scanner: opts.scanner ?? (await ScanStep.load()),
    policy: opts.policy ?? DEFAULT_POLICY,
    now: opts.now ?? (() => new Date()),
  };
}

/** Opens an initialised market for serving or offline operations (audit verify, admin token). */
export async function openMarket(opts: OpenMarketOptions): Promise<MarketContext> {
  const dataDir = resolve(opts.dataDir);
  if (!(await exists(marketKeyPath(dataDir)))) {
    throw new WardenError('WARDEN_E_MARKET_DATA_DIR', `${dataDir} is not an initialised market (no ${marketKeyPath(dataDir)}). Run \`warden market init --data ${opts.dataDir}\` first.`, { where: dataDir });
  }
  const store = await openStore({ dataDir, dbUrl: opts.dbUrl, pgSchema: opts.pgSchema, ...(opts.poolSize ? { poolSize: opts.poolSize } : {}) });
  try {
    return await contextFor(store, dataDir, opts);
  } catch (err) {
    await store.close();
    throw err;
  }
}
