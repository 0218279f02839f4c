import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { WardenError } from '../../core/errors.js';
import type { MarketDB } from './schema.js';
import { migrateToLatest } from './migrations.js';

export type Dialect = 'sqlite' | 'postgres';

export interface StoreHandle {
  db: Kysely<MarketDB>;
  dialect: Dialect;
  /** Where the rows live, for messages (never includes a password). */
  describe: string;
  /**
   * Hot read path for the public read API: one prepared statement (`$1`-style parameters), run
   * directly on better-sqlite3 or the pg pool, skipping the query builder (kysely costs ~0.2 ms
   * per query, which dominated GET latency). Read-only SQL only; writes go through kysely.
   */
  readOne<T>(sqlText: string, params: unknown[]): Promise<T | undefined>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Data folder: the SQLite file `market.db` lives here unless `dbUrl` is given. */
  dataDir: string;
  /** `postgres://...`: use PostgreSQL instead of SQLite. */
  dbUrl?: string;
  /** PostgreSQL schema to use (created if missing); tests use one per run. Default `public`. */
  pgSchema?: string;
  /** Run migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export function redactDbUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

/** int8 columns (sizes, sequence numbers) come back from pg as strings unless told otherwise. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v);
    return (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format);
  },
};

export async function openStore(opts: OpenStoreOptions): Promise<StoreHandle> {
  let handle: StoreHandle;
  if (opts.dbUrl) {
    if (!/^postgres(ql)?:\/\//.test(opts.dbUrl)) throw new WardenError('WARDEN_E_USAGE', '--db must be a postgres:// URL (SQLite is the default and needs no --db).', { where: '--db' });
    const schema = opts.pgSchema ?? 'public';
    if (!SCHEMA_RE.test(schema)) throw new WardenError('WARDEN_E_USAGE', `PostgreSQL schema "${schema}" must be lowercase letters, digits and _.`, { where: 'pgSchema' });
    const base = { connectionString: opts.dbUrl, types: pgTypes, connectionTimeoutMillis: 5000 };
    if (schema !== 'public') {
      const client = new pg.Client(base);
      try {
        await client.connect();
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      } catch (cause) {
        throw new WardenError('WARDEN_E_MARKET_STORE', `Cannot reach PostgreSQL at ${redactDbUrl(opts.dbUrl)}: ${(cause as Error).message}.`, { cause, where: '--db' });
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    const pool = new pg.Pool({ ...base, max: opts.poolSize ?? 10, options: `-c search_path="${schema}"` } as pg.PoolConfig);
    const db = new Kysely<MarketDB>({ dialect: new PostgresDialect({ pool }) });
    const readOne = async <T>(text: string, values: unknown[]) => (await pool.query({ text, values })).rows[0] as T | undefined;
    handle = { db, dialect: 'postgres', describe: `${redactDbUrl(opts.dbUrl)} (schema ${schema})`, readOne, close: () => db.destroy() };
  } else {
    const file = join(opts.dataDir, 'market.db');
    let database: Database.Database;
    try {
      database = new Database(file);
      database.pragma('journal_mode = WAL');
      // FULL: a publish the client saw accepted survives power loss, not only a process crash.
      database.pragma('synchronous = FULL');
      database.pragma('foreign_keys = ON');
      database.pragma('busy_timeout = 5000');
    } catch (cause) {
      throw new WardenError('WARDEN_E_MARKET_STORE', `Cannot open the SQLite store ${file}: ${(cause as Error).message}.`, { cause, where: file });
    }
    const db = new Kysely<MarketDB>({ dialect: new SqliteDialect({ database }) });
    // A second, read-only connection: it sees committed rows only (WAL snapshot), never the
    // half-done transaction a publish may have open on the writer connection.
    let reader: Database.Database | undefined;
    const statements = new Map<string, Database.Statement>();
    const readOne = async <T>(text: string, values: unknown[]) => {
      reader ??= new Database(file, { readonly: true, fileMustExist: true });
      let st = statements.get(text);
      if (!st) {
        st = reader.prepare(text.replace(/\$\d+/g, '?'));
        statements.set(text, st);
      }
      return st.get(...values) as T | undefined;
    };
    const close = async () => {
      reader?.close();
      await db.destroy();
    };
    handle = { db, dialect: 'sqlite', describe: file, readOne, close };
  }
  try {
    if (opts.migrate !== false) await migrateToLatest(handle.db, handle.dialect, opts.pgSchema);
    else await sql`select 1`.execute(handle.db);
  } catch (err) {
    await handle.close().catch(() => undefined);
    if (err instanceof WardenError) throw err;
    throw new WardenError('WARDEN_E_MARKET_STORE', `Cannot use the store ${handle.describe}: ${(err as Error).message}.`, { cause: err });
  }
  return handle;
}

/** Drops a PostgreSQL schema and everything in it (tests clean up their per-run schema). */
export async function dropPgSchema(dbUrl: string, schema: string): Promise<void> {
  if (!SCHEMA_RE.test(schema) || schema === 'public') throw new Error(`refusing to drop schema ${schema}`);
  const client = new pg.Client({ connectionString: dbUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
