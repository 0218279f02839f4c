import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { WardenError } from '../../core/errors.js';
import type { Dialect } from './db.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Migrations live in code (one entry per schema change, never edited once released). */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_init': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('orgs')
          .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('org_keys')
          .addColumn('keyid', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('org', 'varchar(64)', (c) => c.notNull().references('orgs.name'))
          .addColumn('public_key_pem', 'text', (c) => c.notNull())
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('revoked_at', 'varchar(32)')
          .execute();
        await db.schema.createIndex('org_keys_org').on('org_keys').column('org').execute();
        await db.schema
          .createTable('tokens')
          .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
          .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('role', 'varchar(16)', (c) => c.notNull())
          .addColumn('org', 'varchar(64)', (c) => c.references('orgs.name'))
          .addColumn('description', 'varchar(200)', (c) => c.notNull())
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('expires_at', 'varchar(32)')
          .addColumn('revoked_at', 'varchar(32)')
          .execute();
        await db.schema
          .createTable('servers')
          .addColumn('name', 'varchar(130)', (c) => c.primaryKey())
          .addColumn('org', 'varchar(64)', (c) => c.notNull().references('orgs.name'))
          .addColumn('latest_version', 'varchar(128)')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('releases')
          .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('server_name', 'varchar(130)', (c) => c.notNull().references('servers.name'))
          .addColumn('version', 'varchar(128)', (c) => c.notNull())
          .addColumn('org', 'varchar(64)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('status_reason', 'varchar(500)')
          .addColumn('status_changed_at', 'varchar(32)')
          .addColumn('published_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
          .addColumn('sha512', 'varchar(128)', (c) => c.notNull())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('publisher_keyid', 'varchar(64)', (c) => c.notNull())
          .addColumn('manifest_json', 'text', (c) => c.notNull())
          .addColumn('envelope_json', 'text', (c) => c.notNull())
          .addColumn('countersig_json', 'text')
          .addColumn('pipeline_json', 'text', (c) => c.notNull())
          .addColumn('rating', 'varchar(2)')
          .addColumn('score', 'integer')
          .addColumn('log_index', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('releases_name_version', ['server_name', 'version'])
          .execute();
        await db.schema.createIndex('releases_updated').on('releases').column('updated_at').execute();
        await db.schema.createIndex('releases_sha256').on('releases').column('sha256').execute();
        await db.schema
          .createTable('audit_log')
          .addColumn('seq', 'bigint', (c) => c.primaryKey())
          .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
          .addColumn('time', 'varchar(32)', (c) => c.notNull())
          .addColumn('actor', 'varchar(80)', (c) => c.notNull())
          .addColumn('action', 'varchar(40)', (c) => c.notNull())
          .addColumn('payload_json', 'text', (c) => c.notNull())
          .addColumn('payload_digest', 'varchar(64)', (c) => c.notNull())
          .addColumn('hash', 'varchar(64)', (c) => c.notNull())
          .execute();
        // One row that every appender locks (FOR UPDATE on PostgreSQL), so the chain stays linear.
        await db.schema
          .createTable('audit_head')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('hash', 'varchar(64)', (c) => c.notNull())
          .execute();
        await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: GENESIS_HASH }).execute();
      },
    },
  };
}

/**
 * `pgSchema` must be given on PostgreSQL: kysely looks for its bookkeeping tables across all
 * schemas, so without it a second market (or test run) in another schema of the same database
 * would make it skip creating them here.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect, pgSchema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'warden_migrations',
    migrationLockTableName: 'warden_migrations_lock',
    ...(dialect === 'postgres' ? { migrationTableSchema: pgSchema ?? 'public' } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new WardenError('WARDEN_E_MARKET_STORE', `Database migration ${failed} failed: ${(error as Error).message}. Check the database URL and permissions.`, { cause: error });
  }
}
