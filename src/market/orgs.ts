import { WardenError } from '../core/errors.js';
import { parsePublicKey } from '../core/keys.js';
import { validateOrg } from '../core/ref.js';
import type { MarketContext } from './context.js';
import type { NamingFacts, Principal } from './pipeline/types.js';
import { actorOf, requireRole } from './auth.js';
import { appendAudit } from './store/repo.js';
import type { NameEntry } from './pipeline/naming-step.js';

/** Names the naming engine compares against: every org, and every module as `org/name`. */
export async function nameCorpus(ctx: MarketContext): Promise<{ entries: NameEntry[]; generation: string }> {
  const [orgs, servers] = await Promise.all([
    ctx.store.db.selectFrom('orgs').select('name').execute(),
    ctx.store.db.selectFrom('servers').select(['name', 'org']).execute(),
  ]);
  const entries = [...orgs.map((o) => ({ name: o.name, owner: o.name })), ...servers.map((s) => ({ name: s.name, owner: s.org }))];
  return { entries, generation: `${orgs.length}:${servers.length}` };
}

export async function checkName(ctx: MarketContext, name: string, owner: string): Promise<NamingFacts> {
  const corpus = await nameCorpus(ctx);
  return ctx.naming.check(name, owner, () => corpus.entries, corpus.generation);
}

export async function createOrg(ctx: MarketContext, by: Principal, name: string, opts: { allowSimilar?: boolean } = {}): Promise<{ name: string; naming: NamingFacts }> {
  requireRole(by, ['admin'], 'create orgs');
  validateOrg(name, 'name');
  const naming = await checkName(ctx, name, name);
  if (naming.status === 'ran' && naming.verdict === 'block') {
    throw new WardenError('WARDEN_E_MARKET_NAME_BLOCKED', `Org name "${name}" is a look-alike of an existing name: ${naming.explanation}`, { where: 'name', details: { matches: naming.matches.slice(0, 5) } });
  }
  if (naming.status === 'ran' && naming.verdict === 'review' && !opts.allowSimilar) {
    throw new WardenError('WARDEN_E_MARKET_NAME_REVIEW', `Org name "${name}" resembles an existing name: ${naming.explanation}. Confirm with allowSimilar (CLI --allow-similar) if it is legitimate.`, { where: 'name', details: { matches: naming.matches.slice(0, 5) } });
  }
  const now = ctx.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('orgs').select('name').where('name', '=', name).executeTakeFirst();
    if (exists) throw new WardenError('WARDEN_E_MARKET_ORG_EXISTS', `Org "${name}" already exists.`, { where: 'name' });
    await trx.insertInto('orgs').values({ name, created_at: now, created_by: actorOf(by) }).execute();
    await appendAudit(trx, ctx.store.dialect, { time: now, actor: actorOf(by), action: 'org.create', payload: { org: name, naming: naming.status === 'ran' ? naming.verdict : 'not-run' } });
  });
  return { name, naming };
}

async function requireOrg(ctx: MarketContext, org: string): Promise<void> {
  validateOrg(org, 'org');
  const row = await ctx.store.db.selectFrom('orgs').select('name').where('name', '=', org).executeTakeFirst();
  if (!row) throw new WardenError('WARDEN_E_MARKET_NOT_FOUND', `Org "${org}" does not exist.`, { where: 'org' });
}

/** Registers an Ed25519 public key for an org (admin only: a key decides who can publish). */
export async function addOrgKey(ctx: MarketContext, by: Principal, org: string, pem: string): Promise<{ keyid: string }> {
  requireRole(by, ['admin'], 'register org keys');
  await requireOrg(ctx, org);
  const key = parsePublicKey(pem, 'publicKeyPem');
  const now = ctx.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('org_keys').select(['org']).where('keyid', '=', key.keyid).executeTakeFirst();
    if (exists) throw new WardenError('WARDEN_E_MARKET_KEY_EXISTS', `Key ${key.keyid.slice(0, 16)}… is already registered${exists.org === org ? '' : ' to another org'}.`, { where: 'publicKeyPem' });
    await trx.insertInto('org_keys').values({ keyid: key.keyid, org, public_key_pem: key.pem, created_at: now, revoked_at: null }).execute();
    await appendAudit(trx, ctx.store.dialect, { time: now, actor: actorOf(by), action: 'key.add', payload: { org, keyid: key.keyid } });
  });
  return { keyid: key.keyid };
}

/** Revokes a key (admin, or a publisher of that org: revoking only ever removes trust). */
export async function revokeOrgKey(ctx: MarketContext, by: Principal, org: string, keyid: string): Promise<void> {
  if (!(by.role === 'admin' || (by.role === 'publisher' && by.org === org))) throw new WardenError('WARDEN_E_MARKET_FORBIDDEN', `Only an admin or a publisher of "${org}" can revoke its keys.`);
  await requireOrg(ctx, org);
  const now = ctx.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('org_keys').select(['revoked_at']).where('keyid', '=', keyid).where('org', '=', org).executeTakeFirst();
    if (!row) throw new WardenError('WARDEN_E_MARKET_NOT_FOUND', `Org "${org}" has no key ${keyid.slice(0, 16)}….`, { where: 'keyid' });
    if (row.revoked_at) return;
    await trx.updateTable('org_keys').set({ revoked_at: now }).where('keyid', '=', keyid).execute();
    await appendAudit(trx, ctx.store.dialect, { time: now, actor: actorOf(by), action: 'key.revoke', payload: { org, keyid } });
  });
}

export async function listOrgKeys(ctx: MarketContext, org: string) {
  await requireOrg(ctx, org);
  const rows = await ctx.store.db.selectFrom('org_keys').selectAll().where('org', '=', org).orderBy('created_at').execute();
  return rows.map((r) => ({ keyid: r.keyid, publicKeyPem: r.public_key_pem, createdAt: r.created_at, revokedAt: r.revoked_at }));
}
