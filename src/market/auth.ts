import { WardenError } from '../core/errors.js';
import { validateOrg } from '../core/ref.js';
import type { MarketContext } from './context.js';
import type { Principal } from './pipeline/types.js';
import { mintToken, secretMatches, splitToken, ROLES, type Role } from './trust/tokens.js';
import { appendAudit } from './store/repo.js';

export const MAX_TOKEN_DAYS = 3650;

/** Resolves a bearer token to its principal: unknown, revoked and expired tokens look the same. */
export async function authenticate(ctx: MarketContext, token: string | undefined): Promise<Principal> {
  if (!token) throw new WardenError('WARDEN_E_MARKET_UNAUTHENTICATED', 'This request needs a market token: send "Authorization: Bearer <token>".');
  const parts = splitToken(token);
  const invalid = () => new WardenError('WARDEN_E_MARKET_TOKEN_INVALID', 'The token is unknown, revoked or expired; ask an admin for a new one.');
  if (!parts) throw invalid();
  const row = await ctx.store.db.selectFrom('tokens').selectAll().where('id', '=', parts.id).executeTakeFirst();
  // Compare even when no row exists, so a missing id costs the same as a wrong secret.
  const ok = secretMatches(parts.secret, row?.secret_hash ?? '0'.repeat(64));
  if (!row || !ok || row.revoked_at !== null) throw invalid();
  if (row.expires_at !== null && row.expires_at <= ctx.now().toISOString()) throw invalid();
  return { tokenId: row.id, role: row.role as Role, org: row.org };
}

export function requireRole(p: Principal, roles: Role[], what: string): void {
  if (!roles.includes(p.role)) throw new WardenError('WARDEN_E_MARKET_FORBIDDEN', `A ${p.role} token cannot ${what}; it needs role ${roles.join(' or ')}.`);
}

export function actorOf(p: Principal | 'system'): string {
  return p === 'system' ? 'system' : `token:${p.tokenId}(${p.role}${p.org ? `:${p.org}` : ''})`;
}

export interface CreateTokenInput {
  role: Role;
  org?: string | undefined;
  description?: string | undefined;
  /** Days until expiry; 0 = never. */
  expiresInDays: number;
}

/** Creates a token and returns its text once; only sha256(secret) is kept. */
export async function createToken(ctx: MarketContext, by: Principal | 'system', input: CreateTokenInput): Promise<{ id: string; token: string; role: Role; org: string | null; expiresAt: string | null }> {
  if (by !== 'system') requireRole(by, ['admin'], 'create tokens');
  if (!ROLES.includes(input.role)) throw new WardenError('WARDEN_E_USAGE', `role must be one of ${ROLES.join(', ')}.`, { where: 'role' });
  if (input.role === 'publisher') {
    if (!input.org) throw new WardenError('WARDEN_E_USAGE', 'A publisher token belongs to one org: give --org.', { where: 'org' });
    validateOrg(input.org);
  } else if (input.org) throw new WardenError('WARDEN_E_USAGE', `A ${input.role} token is not tied to an org; leave out --org.`, { where: 'org' });
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 0 || input.expiresInDays > MAX_TOKEN_DAYS) throw new WardenError('WARDEN_E_USAGE', `expiry must be 0 (never) to ${MAX_TOKEN_DAYS} days.`, { where: 'expiresInDays' });
  const now = ctx.now();
  const t = mintToken();
  const expiresAt = input.expiresInDays > 0 ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString() : null;
  const org = input.org ?? null;
  await ctx.store.db.transaction().execute(async (trx) => {
    if (org) {
      const exists = await trx.selectFrom('orgs').select('name').where('name', '=', org).executeTakeFirst();
      if (!exists) throw new WardenError('WARDEN_E_MARKET_NOT_FOUND', `Org "${org}" does not exist; create it first (warden org create).`, { where: 'org' });
    }
    await trx.insertInto('tokens').values({ id: t.id, secret_hash: t.secretHash, role: input.role, org, description: (input.description ?? '').slice(0, 200), created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null }).execute();
    await appendAudit(trx, ctx.store.dialect, { time: now.toISOString(), actor: actorOf(by), action: 'token.create', payload: { id: t.id, role: input.role, org, expiresAt } });
  });
  return { id: t.id, token: t.token, role: input.role, org, expiresAt };
}

export async function revokeToken(ctx: MarketContext, by: Principal, id: string): Promise<void> {
  requireRole(by, ['admin'], 'revoke tokens');
  const now = ctx.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('tokens').select(['id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new WardenError('WARDEN_E_MARKET_NOT_FOUND', `No token with id ${id}.`, { where: 'id' });
    if (row.revoked_at) return;
    await trx.updateTable('tokens').set({ revoked_at: now }).where('id', '=', id).execute();
    await appendAudit(trx, ctx.store.dialect, { time: now, actor: actorOf(by), action: 'token.revoke', payload: { id } });
  });
}
