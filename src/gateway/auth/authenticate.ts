import type { GatewayConfig } from '../config.js';
import { ApiKeyStore, looksLikeApiKey } from './api-keys.js';
import { JwtVerifier } from './jwt.js';
import type { Principal } from './principal.js';
import { TokenRevocations } from './revocations.js';

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; status: 400 | 401 | 403; error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope'; reason: string };

const MAX_TOKEN_CHARS = 8192;
const CACHE_MAX = 10_000;
const CACHE_TTL_MS = 60_000;

/**
 * Turns the Authorization header into a principal: gateway API keys (`wk_…`) or JWTs. Tokens are
 * accepted only as `Authorization: Bearer`; verified JWTs are cached for at most a minute (never
 * past `exp`), and revocation is re-checked on every hit.
 */
export class Authenticator {
  readonly apiKeys: ApiKeyStore | undefined;
  readonly revocations: TokenRevocations;
  readonly #jwt: JwtVerifier | undefined;
  readonly #publicUrl: string;
  readonly #cache = new Map<string, { principal: Principal; until: number; jti: string | undefined }>();

  constructor(cfg: GatewayConfig) {
    this.#publicUrl = cfg.publicUrl;
    this.revocations = new TokenRevocations(cfg.stateDir);
    this.apiKeys = cfg.auth.apiKeys ? new ApiKeyStore(cfg.stateDir) : undefined;
    this.#jwt = cfg.auth.jwt ? new JwtVerifier(cfg.auth.jwt, this.revocations) : undefined;
  }

  resourceUrl(server: string): string {
    return `${this.#publicUrl}/mcp/${server}`;
  }

  async authenticate(header: string | undefined, server: string): Promise<AuthOutcome> {
    if (!header) return { ok: false, status: 401, reason: 'missing credentials' };
    const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
    if (!m || m[1]!.length > MAX_TOKEN_CHARS) return { ok: false, status: 400, error: 'invalid_request', reason: 'Authorization must be "Bearer <token>"' };
    const token = m[1]!;
    if (this.apiKeys && looksLikeApiKey(token)) {
      const r = this.apiKeys.verify(token);
      return 'principal' in r ? { ok: true, principal: r.principal } : { ok: false, status: 401, error: 'invalid_token', reason: r.reason };
    }
    if (!this.#jwt) return { ok: false, status: 401, error: 'invalid_token', reason: 'JWTs are not accepted by this gateway' };
    const now = Date.now(); // token times follow the real clock, as jose does
    const ck = `${server}\n${token}`;
    const hit = this.#cache.get(ck);
    if (hit && hit.until > now) {
      if (hit.jti !== undefined && this.revocations.isRevoked(hit.jti)) {
        this.#cache.delete(ck);
        return { ok: false, status: 401, error: 'invalid_token', reason: 'token revoked' };
      }
      return { ok: true, principal: hit.principal };
    }
    const r = await this.#jwt.verify(token, [this.#publicUrl, this.resourceUrl(server)]);
    if ('reason' in r) return { ok: false, status: r.status, error: r.error, reason: r.reason };
    if (this.#cache.size >= CACHE_MAX) this.#cache.clear();
    const jti = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { jti?: unknown }).jti;
    const until = Math.min(now + CACHE_TTL_MS, r.expiresAt !== undefined ? r.expiresAt * 1000 : now);
    this.#cache.set(ck, { principal: r.principal, until, jti: typeof jti === 'string' ? jti : undefined });
    return { ok: true, principal: r.principal };
  }
}
