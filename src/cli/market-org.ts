import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { ioError } from '../core/errors.js';
import { parsePublicKey } from '../core/keys.js';
import { validateOrg } from '../core/ref.js';
import { addMarketOptions, marketClient, MARKET_ENV_HELP, type MarketClientOptions } from './market-client.js';
import { action, emit } from './output.js';

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('Manage market orgs (namespaces) and their publishing keys.');

  addMarketOptions(org.command('create').description('Create an org (admin). The naming engine checks the name against existing ones.').argument('<org>', 'org name, e.g. acme or io.github.alice'))
    .option('--allow-similar', 'create it even though it resembles an existing name (the naming engine said "review")')
    .addHelpText('after', `${MARKET_ENV_HELP}\n\nExample:\n  $ warden org create acme --market http://127.0.0.1:8080 --token $ADMIN_TOKEN`)
    .action(
      action(async (name: string, o: MarketClientOptions & { allowSimilar?: boolean }, cmd: Command) => {
        validateOrg(name, 'org');
        const r = await marketClient(o).request('POST', '/warden/v1/orgs', { name, ...(o.allowSimilar ? { allowSimilar: true } : {}) });
        emit(cmd.optsWithGlobals(), r.body, () => `created org ${name}`);
      }),
    );

  const key = org.command('key').description('Register, revoke and list an org\'s Ed25519 publishing keys.');
  addMarketOptions(key.command('add').description('Register a public key for the org (admin).').argument('<org>', 'org name'))
    .requiredOption('--pub <file>', 'the public key (.pub.pem written by `warden keygen`)')
    .addHelpText('after', `${MARKET_ENV_HELP}\n\nRotate a key: add the new one, publish with it, then revoke the old one.\n\nExample:\n  $ warden org key add acme --pub ~/.warden/keys/warden.pub.pem`)
    .action(
      action(async (name: string, o: MarketClientOptions & { pub: string }, cmd: Command) => {
        let pem: string;
        try {
          pem = await readFile(o.pub, 'utf8');
        } catch (err) {
          throw ioError('read the public key', o.pub, err);
        }
        const local = parsePublicKey(pem, o.pub); // refuse private keys before they leave the machine
        const r = await marketClient(o).request('POST', `/warden/v1/orgs/${encodeURIComponent(name)}/keys`, { publicKeyPem: local.pem });
        emit(cmd.optsWithGlobals(), r.body, () => `registered key ${r.body.keyid} for ${name}`);
      }),
    );

  addMarketOptions(key.command('revoke').description('Revoke a key (admin or the org\'s publisher); it stops verifying new publishes.').argument('<org>', 'org name').argument('<keyid>', 'hex keyid'))
    .addHelpText('after', `${MARKET_ENV_HELP}\n\nExample:\n  $ warden org key revoke acme 3f2a…(64 hex)`)
    .action(
      action(async (name: string, keyid: string, o: MarketClientOptions, cmd: Command) => {
        const r = await marketClient(o).request('POST', `/warden/v1/orgs/${encodeURIComponent(name)}/keys/${encodeURIComponent(keyid)}/revoke`);
        emit(cmd.optsWithGlobals(), r.body, () => `revoked key ${keyid} of ${name}`);
      }),
    );

  addMarketOptions(key.command('list').description('List an org\'s keys (public).').argument('<org>', 'org name'), false)
    .addHelpText('after', '\nExample:\n  $ warden org key list acme --market http://127.0.0.1:8080')
    .action(
      action(async (name: string, o: MarketClientOptions, cmd: Command) => {
        const r = await marketClient(o, false).request('GET', `/warden/v1/orgs/${encodeURIComponent(name)}/keys`);
        emit(cmd.optsWithGlobals(), r.body, () => (r.body.keys as Array<{ keyid: string; revokedAt: string | null }>).map((k) => `${k.keyid}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}`).join('\n'));
      }),
    );
}

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('Create and revoke market tokens (admin).');
  addMarketOptions(token.command('create').description('Create a token; it is printed once.'))
    .requiredOption('--role <role>', 'admin | reviewer | publisher')
    .option('--org <org>', 'the org a publisher token publishes for (required for publisher)')
    .option('--expires-days <n>', 'days until expiry (0 = never)', '90')
    .option('--description <text>', 'what the token is for (shown in the audit log)')
    .addHelpText('after', `${MARKET_ENV_HELP}\n\nTokens are 256-bit random secrets stored only as sha256 hashes; revoke with \`warden token revoke ID\`.\n\nExamples:\n  $ warden token create --role publisher --org acme\n  $ warden --json token create --role reviewer --expires-days 30 | jq -r .token`)
    .action(
      action(async (o: MarketClientOptions & { role: string; org?: string; expiresDays: string; description?: string }, cmd: Command) => {
        const body = { role: o.role, ...(o.org ? { org: o.org } : {}), expiresInDays: Number(o.expiresDays), ...(o.description ? { description: o.description } : {}) };
        const r = await marketClient(o).request('POST', '/warden/v1/tokens', body);
        emit(cmd.optsWithGlobals(), r.body, () => `token ${r.body.id} (${r.body.role}${r.body.org ? ` of ${r.body.org}` : ''}, expires ${r.body.expiresAt ?? 'never'}), shown once:\n  ${r.body.token}`);
      }),
    );
  addMarketOptions(token.command('revoke').description('Revoke a token by its id.').argument('<id>', 'the token id (16 hex, the part after wdn_)'))
    .addHelpText('after', `${MARKET_ENV_HELP}\n\nExample:\n  $ warden token revoke 9f86d081884c7d65`)
    .action(
      action(async (id: string, o: MarketClientOptions, cmd: Command) => {
        const r = await marketClient(o).request('POST', `/warden/v1/tokens/${encodeURIComponent(id)}/revoke`);
        emit(cmd.optsWithGlobals(), r.body, () => `revoked token ${id}`);
      }),
    );
}
