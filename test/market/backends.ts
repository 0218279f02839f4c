import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropPgSchema } from '../../src/market/store/db.js';

export const PG_URL = process.env.WARDEN_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgAnswer: Promise<string | undefined> | undefined;

/** undefined when PostgreSQL answers; otherwise the reason it is skipped (printed once). */
export function pgUnavailable(): Promise<string | undefined> {
  pgAnswer ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (err) {
      const reason = `PostgreSQL at ${PG_URL} does not answer (${(err as Error).message}); skipping the PostgreSQL half`;
      console.warn(`[market tests] ${reason}`);
      return reason;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgAnswer;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** For openStore/openMarket: `{}` on SQLite, `{dbUrl, pgSchema}` on PostgreSQL. */
  location(): { dbUrl?: string; pgSchema?: string };
  cleanup(): Promise<void>;
}

/** A fresh backend: SQLite in the data folder, or a unique PostgreSQL schema dropped afterwards. */
export function makeBackend(name: 'sqlite' | 'postgres'): Backend {
  if (name === 'sqlite') return { name, location: () => ({}), cleanup: async () => undefined };
  const schema = `wt_${process.pid}_${randomBytes(4).toString('hex')}`;
  return { name, location: () => ({ dbUrl: PG_URL, pgSchema: schema }), cleanup: () => dropPgSchema(PG_URL, schema) };
}

/** Both backends, PostgreSQL first checked for an answer (vitest top-level await). */
export const BACKENDS: Array<{ name: 'sqlite' | 'postgres'; skip: string | undefined }> = [
  { name: 'sqlite', skip: undefined },
  { name: 'postgres', skip: await pgUnavailable() },
];
