import type { Command } from 'commander';
import { registerMarketServerCommands } from './market-server.js';
import { registerReleaseCommands } from './market-release.js';
import { registerOrgCommands, registerTokenCommands } from './market-org.js';
import { registerPublishCommands } from './market-publish.js';

/**
 * The market's verbs: `warden market init|serve|audit verify|admin-token|fetch|verify-release`
 * for operators and users, and `org`, `token`, `publish`, `status`, `review` for the API.
 */
export function registerMarketCommands(program: Command): void {
  const market = program
    .command('market')
    .description('Run a verifying module market, verify its audit log, fetch and verify releases.')
    .addHelpText(
      'after',
      `
Quick start:
  $ warden market init --data ./.warden-data          # prints the admin token once
  $ warden market serve --data ./.warden-data --port 8080
  $ export WARDEN_MARKET=http://127.0.0.1:8080 WARDEN_TOKEN=<admin token>
  $ warden org create acme && warden org key add acme --pub warden.pub.pem
  $ WARDEN_TOKEN=$(warden --json token create --role publisher --org acme | jq -r .token) \\
      warden publish ./my-module --key warden.key.pem
See docs/market.md.`,
    );
  registerMarketServerCommands(market);
  registerReleaseCommands(market);
  registerOrgCommands(program);
  registerTokenCommands(program);
  registerPublishCommands(program);
}
