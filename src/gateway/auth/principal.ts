/** Who is calling, as established by the authenticator. */
export interface Principal {
  /** Stable id: JWT `sub` (or the configured claim) or `key:<id>` for API keys. */
  id: string;
  /** The rate-limit and anomaly key (one per credential holder). */
  key: string;
  groups: string[];
  tenant: string | undefined;
  method: 'jwt' | 'api-key';
  /** API keys may be restricted to some servers (per-module keys). */
  servers?: string[];
  scopes: string[];
}
