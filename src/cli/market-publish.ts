import type { Command } from 'commander';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WardenError, ioError } from '../core/errors.js';
import { readPrivateKeyFile } from '../core/key-files.js';
import { packModule } from '../core/pack.js';
import { signArtifact } from '../core/sign-artifact.js';
import { parseEnvelope } from '../core/dsse.js';
import { formatModuleId, parseRef } from '../core/ref.js';
import { addMarketOptions, marketClient, MARKET_ENV_HELP, type MarketClientOptions } from './market-client.js';
import { action, emit, warn } from './output.js';

interface Step {
  step: string;
  outcome: string;
  code: string;
  message: string;
}

function describeSteps(steps: Step[]): string {
  return steps.map((s) => `  ${s.outcome.padEnd(8)} ${s.step.padEnd(18)} ${s.code === 'WARDEN_OK' ? '' : `${s.code} `}${s.message}`).join('\n');
}

export function registerPublishCommands(program: Command): void {
  addMarketOptions(program.command('publish').description('Pack (if a folder), sign and publish a module to a market.').argument('<module>', 'module folder (packed for you) or a .tgz written by `warden pack`'))
    .option('--key <file>', 'your private key (.key.pem); the market checks it is registered to the org')
    .option('--sig <file>', 'an existing DSSE envelope for the .tgz (instead of --key)')
    .addHelpText(
      'after',
      `${MARKET_ENV_HELP}

The market runs its checks in order (token may publish to the org → server.json valid → version
not already published → name policy → signature by an active org key → digests → scan → rating)
and answers accepted (exit 0), held for review (exit 1, WARDEN_E_MARKET_HELD) or rejected (exit
1 or 2 with the first reason's code; --json lists every reason).

Examples:
  $ warden publish ./weather-server --key ~/.warden/keys/warden.key.pem
  $ warden publish weather.tgz --sig weather.tgz.dsse.json --market https://market.example --token $TOKEN`,
    )
    .action(
      action(async (target: string, o: MarketClientOptions & { key?: string; sig?: string }, cmd: Command) => {
        if (!o.key && !o.sig) throw new WardenError('WARDEN_E_USAGE', 'Give --key (to sign now) or --sig (an envelope you made with `warden sign`).', { where: '--key' });
        const client = marketClient(o);
        let st;
        try {
          st = await stat(target);
        } catch (err) {
          throw ioError('read', target, err);
        }
        const work = await mkdtemp(join(tmpdir(), 'warden-publish-'));
        try {
          let file = target;
          if (st.isDirectory()) {
            const packed = await packModule(target, { out: join(work, 'module.tgz') });
            for (const f of packed.secretsSkipped) warn(`left out ${f}: it looks like a secret (key or .env file)`);
            file = packed.file;
          }
          let envelope;
          if (o.key) envelope = (await signArtifact(file, await readPrivateKeyFile(o.key))).envelope;
          else envelope = parseEnvelope(await readFile(o.sig!), o.sig);
          const artifact = await readFile(file);
          const r = await client.request('POST', '/warden/v1/publish', { artifact: artifact.toString('base64'), envelope });
          const body = r.body as { decision: string; ref: string; reasons: Step[]; steps: Step[] };
          if (body.decision === 'held') {
            const json = { ...body, ok: false, error: { code: 'WARDEN_E_MARKET_HELD', message: `${body.ref} is held for review: ${body.reasons.map((x) => x.code).join(', ')}` } };
            emit(cmd.optsWithGlobals(), json, () => `held    ${body.ref} (not visible until a reviewer approves it)\n${describeSteps(body.steps)}`);
            return 1;
          }
          emit(cmd.optsWithGlobals(), { ...body }, () => `${body.decision === 'idempotent' ? 'already published (same bytes)' : 'published'} ${body.ref}\n${describeSteps(body.steps)}`);
        } finally {
          await rm(work, { recursive: true, force: true });
        }
      }),
    );

  const status = program.command('status').description('Change a release\'s status in the market (admin or reviewer).');
  addMarketOptions(status.command('set').description('Set a release to active, deprecated, yanked or taken-down.').argument('<ref>', 'org/name@version').argument('<status>', 'active | deprecated | yanked | taken-down'))
    .requiredOption('--reason <text>', 'why (shown to users and recorded in the audit log)')
    .addHelpText(
      'after',
      `${MARKET_ENV_HELP}

deprecated: still listed and installable, flagged. yanked: hidden from lists and "latest", still
downloadable for pinned installs. taken-down: final; the artifact is no longer served.

Example:
  $ warden status set acme/weather@1.0.0 yanked --reason "broken release, use 1.0.1"`,
    )
    .action(
      action(async (refText: string, to: string, o: MarketClientOptions & { reason: string }, cmd: Command) => {
        const ref = parseRef(refText, 'ref');
        const path = `/warden/v1/servers/${encodeURIComponent(formatModuleId(ref))}/versions/${encodeURIComponent(ref.version)}/status`;
        const r = await marketClient(o).request('POST', path, { status: to, reason: o.reason });
        emit(cmd.optsWithGlobals(), r.body, () => `${refText} is now ${to}`);
      }),
    );

  const review = program.command('review').description('Decide releases held for review (admin or reviewer).');
  addMarketOptions(review.command('list').description('List held releases with the reasons they were held.'))
    .addHelpText('after', `${MARKET_ENV_HELP}\n\nExample:\n  $ warden review list`)
    .action(
      action(async (o: MarketClientOptions, cmd: Command) => {
        const r = await marketClient(o).request('GET', '/warden/v1/review');
        emit(cmd.optsWithGlobals(), r.body, () => (r.body.held as Array<{ ref: string; reasons: string }>).map((h) => `${h.ref}  ${h.reasons}`).join('\n') || 'nothing held');
      }),
    );
  for (const decision of ['approve', 'reject'] as const) {
    addMarketOptions(review.command(decision).description(decision === 'approve' ? 'Approve a held release: the market countersigns and lists it.' : 'Reject a held release: it stays hidden and its version is burnt.').argument('<ref>', 'org/name@version'))
      .requiredOption('--reason <text>', 'why (recorded in the audit log)')
      .addHelpText('after', `${MARKET_ENV_HELP}\n\nExample:\n  $ warden review ${decision} acme/weather@1.0.0 --reason "network use is documented"`)
      .action(
        action(async (refText: string, o: MarketClientOptions & { reason: string }, cmd: Command) => {
          const ref = parseRef(refText, 'ref');
          const r = await marketClient(o).request('POST', `/warden/v1/review/${encodeURIComponent(formatModuleId(ref))}/${encodeURIComponent(ref.version)}`, { decision, reason: o.reason });
          emit(cmd.optsWithGlobals(), r.body, () => `${refText} is now ${r.body.status}`);
        }),
      );
  }
}
