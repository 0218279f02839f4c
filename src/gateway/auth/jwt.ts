import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { WardenError } from '../../core/errors.js';
import type { GatewayConfig } from '../config.js';
import type { Principal } from './principal.js';
import type { TokenRevocations } from './revocations.js';

type JwtConfig = NonNullable<GatewayConfig['auth']['jwt']>;

/** Loads static keys (SPKI PEM files or inline public JWKs) into a local JWKS. */
function staticKeySet(keys: JwtConfig['keys']): JWTVerifyGetKey {
  const jwks: JWK[] = keys.map((k) => {
    if (typeof k !== 'string') {
      if ('d' in k || 'k' in k) throw new WardenError('WARDEN_E_GW_CONFIG', 'auth.jwt.keys must hold public keys only (no "d" or symmetric "k").', { where: 'auth.jwt.keys' });
      return k as JWK;
    }
    let pem: string;
    try {
      pem = readFileSync(k, 'utf8');
    } catch (cause) {
      throw new WardenError('WARDEN_E_GW_CONFIG', `Cannot read JWT key ${k}.`, { where: k, cause });
    }
    if (pem.includes('PRIVATE KEY')) throw new WardenError('WARDEN_E_GW_CONFIG', `JWT key ${k} is a private key; give the public key.`, { where: k });
    return createPublicKey(pem).export({ format: 'jwk' }) as JWK;
  });
  return createLocalJWKSet({ keys: jwks });
}

export type JwtResult = { principal: Principal; expiresAt: number | undefined } | { reason: string; status: 401 | 403; error: 'invalid_token' | 'insufficient_scope' };

/**
 * OAuth 2.1 resource-server token check with jose: signature against the JWKS (remote or static),
 * allowed asymmetric algorithms only (so `none` and HS256-signed-with-the-public-key are refused
 * before any key is used), issuer, audience, expiry (required), optional max age, `jti` revocation
 * and required scopes.
 */
export class JwtVerifier {
  readonly #cfg: JwtConfig;
  readonly #keys: JWTVerifyGetKey;
  readonly #revocations: TokenRevocations;

  constructor(cfg: JwtConfig, revocations: TokenRevocations) {
    this.#cfg = cfg;
    this.#revocations = revocations;
    if (cfg.jwksUrl) {
      const remote = createRemoteJWKSet(new URL(cfg.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
      if (cfg.keys.length > 0) {
        const local = staticKeySet(cfg.keys);
        this.#keys = async (h, t) => {
          try {
            return await local(h, t);
          } catch {
            return remote(h, t);
          }
        };
      } else this.#keys = remote;
    } else if (cfg.keys.length > 0) this.#keys = staticKeySet(cfg.keys);
    else throw new WardenError('WARDEN_E_GW_CONFIG', 'auth.jwt needs jwksUrl or keys.', { where: 'auth.jwt' });
  }

  async verify(token: string, audiences: string[]): Promise<JwtResult> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.#keys, {
        issuer: this.#cfg.issuer,
        audience: [...audiences, ...this.#cfg.audiences],
        algorithms: this.#cfg.algorithms,
        clockTolerance: this.#cfg.clockToleranceSec,
        requiredClaims: ['exp'],
        ...(this.#cfg.maxTokenAgeSec ? { maxTokenAge: this.#cfg.maxTokenAgeSec } : {}),
      }));
    } catch (err) {
      return { reason: describeJoseError(err), status: 401, error: 'invalid_token' };
    }
    if (typeof payload.jti === 'string' && this.#revocations.isRevoked(payload.jti)) return { reason: 'token revoked', status: 401, error: 'invalid_token' };
    const claim = payload[this.#cfg.principalClaim];
    if (typeof claim !== 'string' || claim.length === 0 || claim.length > 256) return { reason: `token lacks the ${this.#cfg.principalClaim} claim`, status: 401, error: 'invalid_token' };
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
    const missing = this.#cfg.requiredScopes.filter((s) => !scopes.includes(s));
    if (missing.length > 0) return { reason: `missing scope ${missing.join(' ')}`, status: 403, error: 'insufficient_scope' };
    const groupsRaw = payload[this.#cfg.groupsClaim];
    const groups = Array.isArray(groupsRaw) ? groupsRaw.filter((g): g is string => typeof g === 'string').slice(0, 256) : [];
    const tenantRaw = payload[this.#cfg.tenantClaim];
    return {
      principal: { id: claim, key: `sub:${claim}`, groups, tenant: typeof tenantRaw === 'string' ? tenantRaw : undefined, method: 'jwt', scopes },
      expiresAt: payload.exp,
    };
  }
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'token expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'token audience is not this gateway';
    if (err.claim === 'iss') return 'token issuer is not trusted';
    return `token claim ${err.claim} invalid`;
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'no key matches the token';
  if (err instanceof joseErrors.JWKSTimeout) return 'key set unavailable';
  if (err instanceof joseErrors.JOSEError) return 'token malformed';
  return 'token invalid';
}
