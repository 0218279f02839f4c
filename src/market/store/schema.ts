import type { Generated } from 'kysely';

/**
 * The market's tables, identical on SQLite and PostgreSQL. Times are ISO-8601 UTC strings
 * (`Date#toISOString`), so they sort and compare the same way on both engines.
 */
export interface OrgsTable {
  name: string;
  created_at: string;
  created_by: string;
}

export interface OrgKeysTable {
  keyid: string;
  org: string;
  public_key_pem: string;
  created_at: string;
  revoked_at: string | null;
}

export interface TokensTable {
  id: string;
  /** sha256 hex of the secret part; the secret itself is never stored. */
  secret_hash: string;
  role: string;
  org: string | null;
  description: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface ServersTable {
  name: string;
  org: string;
  latest_version: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReleasesTable {
  id: Generated<number>;
  server_name: string;
  version: string;
  org: string;
  status: string;
  status_reason: string | null;
  status_changed_at: string | null;
  published_at: string;
  updated_at: string;
  sha256: string;
  sha512: string;
  size: number;
  publisher_keyid: string;
  manifest_json: string;
  envelope_json: string;
  countersig_json: string | null;
  pipeline_json: string;
  rating: string | null;
  score: number | null;
  log_index: number;
}

export interface AuditLogTable {
  seq: number;
  prev_hash: string;
  time: string;
  actor: string;
  action: string;
  payload_json: string;
  payload_digest: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface MarketDB {
  orgs: OrgsTable;
  org_keys: OrgKeysTable;
  tokens: TokensTable;
  servers: ServersTable;
  releases: ReleasesTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
}
