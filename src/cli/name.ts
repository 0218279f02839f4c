import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { WardenError, ioError } from '../core/errors.js';
import { REASON_CODES } from '../naming/reasons.js';
import type { NameVerdict } from '../naming/index.js';

// The naming engine loads only when a name verb runs.
const naming = () => import('../naming/index.js');
const namesFile = () => import('../naming/names-file.js');
import { action, emit } from './output.js';

/** The JSON a market answers on GET /warden/v1/names/check?name=...&owner=... (a NameVerdict). */
const verdictSchema = z.enum(['allow', 'review', 'block']);
const reasonSchema = z.enum(REASON_CODES);
const marketVerdictSchema = z.object({
  verdict: verdictSchema,
  reasons: z.array(reasonSchema).max(REASON_CODES.length),
  explanation: z.string().max(10_000),
  matches: z
    .array(
      z.object({
        existing: z.string().max(300),
        owner: z.string().max(300).optional(),
        weight: z.number().optional(),
        distance: z.number().int().min(0),
        reasons: z.array(reasonSchema).max(REASON_CODES.length),
        explanation: z.string().max(10_000),
        verdict: verdictSchema.optional(),
      }),
    )
    .max(1000),
});

const MARKET_TIMEOUT_MS = 10_000;
const MARKET_MAX_BYTES = 1024 * 1024;

async function checkAtMarket(base: string, name: string, owner: string | undefined): Promise<NameVerdict> {
  let url: URL;
  try {
    url = new URL('warden/v1/names/check', base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new WardenError('WARDEN_E_USAGE', `--market "${base}" is not a URL; give e.g. https://market.example.org.`, { where: '--market' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WardenError('WARDEN_E_USAGE', '--market must be an http(s) URL.', { where: '--market' });
  }
  url.searchParams.set('name', name);
  if (owner !== undefined) url.searchParams.set('owner', owner);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(MARKET_TIMEOUT_MS), redirect: 'error' });
  } catch (err) {
    throw new WardenError('WARDEN_E_NAME_MARKET', `Cannot reach the market at ${url.origin}: ${(err as Error).message}.`, { where: url.origin, cause: err });
  }
  const text = await res.text();
  if (text.length > MARKET_MAX_BYTES) throw new WardenError('WARDEN_E_NAME_MARKET', `The market's answer is over ${MARKET_MAX_BYTES} bytes.`, { where: url.origin });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new WardenError('WARDEN_E_NAME_MARKET', `The market answered HTTP ${res.status} with something that is not JSON.`, { where: url.origin, cause: err });
  }
  if (!res.ok) {
    const detail = (body as { detail?: unknown; title?: unknown } | null)?.detail ?? (body as { title?: unknown } | null)?.title;
    const code = res.status === 400 ? 'WARDEN_E_NAME_INVALID' : 'WARDEN_E_NAME_MARKET';
    throw new WardenError(code, `The market refused the name check (HTTP ${res.status})${typeof detail === 'string' ? `: ${detail}` : '.'}`, { where: url.origin });
  }
  const parsed = marketVerdictSchema.safeParse(body);
  if (!parsed.success) {
    throw new WardenError('WARDEN_E_NAME_MARKET', `The market's answer is not a name verdict (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message}).`, { where: url.origin });
  }
  return parsed.data as NameVerdict;
}

async function checkAgainstFile(file: string, name: string, owner: string | undefined, policyFile: string | undefined): Promise<NameVerdict> {
  const { DEFAULT_NAME_POLICY, loadNamePolicy, NameIndex } = await naming();
  const { loadCommonWords, readNamePolicyFile, readNamesListFile } = await namesFile();
  const policy = policyFile === undefined ? DEFAULT_NAME_POLICY : loadNamePolicy(await readNamePolicyFile(policyFile), policyFile);
  const index = new NameIndex(policy, { commonWords: loadCommonWords() });
  for (const entry of await readNamesListFile(file)) index.add(entry);
  return index.check(name, owner === undefined ? {} : { owner });
}

function formatHuman(name: string, v: NameVerdict): string {
  const out = [`${v.verdict.toUpperCase().padEnd(6)} ${name}`, `  ${v.explanation}`];
  if (v.matches.length > 0) {
    out.push('', '  verdict  existing (weight, distance)  reasons');
    for (const m of v.matches) {
      const w = m.weight === undefined ? '-' : Math.round(m.weight).toLocaleString('en-US');
      out.push(`  ${(m.verdict ?? '').padEnd(7)}  ${m.existing} (${w}, ${m.distance})  ${m.reasons.join(' ')}`);
    }
  }
  return out.join('\n');
}

export function registerNameCommands(program: Command): void {
  const name = program
    .command('name')
    .description('Look-alike name checks: catch typosquats, homoglyphs, combosquats and org look-alikes.');

  name
    .command('check')
    .description('Check a name against existing names (a names list or a market) and print the verdict.')
    .argument('<name>', 'the new name: org/name, @scope/name, an npm or a PyPI name')
    .option('--against <file>', 'names list to check against (one per line, optional name<TAB>weight, # comments)')
    .option('--market <url>', 'ask a Warden market instead (GET <url>/warden/v1/names/check)')
    .option('--owner <org>', 'who publishes: near names of the same owner are allowed')
    .option('--policy <file>', 'name policy YAML for --against (default: the built-in policy, see `warden name policy`)')
    .addHelpText(
      'after',
      `
Verdicts: allow (exit 0), review or block (exit 1); bad input exits 2. Each match carries stable
reason codes (NAME_SKELETON, NAME_OMISSION, NAME_COMBOSQUAT, NAME_ORG_LOOKALIKE, ...) and a
sentence saying why. Names in the list without a weight count as popular (policy defaultWeight).
docs/naming.md explains the operators, the policy and how to tune it.

Examples:
  $ warden name check server-filesytem --against popular.txt
  $ warden name check modelcontextprotoco1/server-github --against mcp-names.txt --json
  $ warden name check acme/weather-tools --owner acme --market https://market.example.org
  $ warden name policy > my-policy.yaml && warden name check x --against l.txt --policy my-policy.yaml`,
    )
    .action(
      action(async (candidate: string, opts: { against?: string; market?: string; owner?: string; policy?: string }, cmd: Command) => {
        if ((opts.against === undefined) === (opts.market === undefined)) {
          throw new WardenError('WARDEN_E_USAGE', 'Give exactly one of --against FILE or --market URL.', { where: 'name check' });
        }
        if (opts.policy !== undefined && opts.market !== undefined) {
          throw new WardenError('WARDEN_E_USAGE', '--policy applies to --against only; a market applies its own policy.', { where: '--policy' });
        }
        const verdict =
          opts.market !== undefined
            ? await checkAtMarket(opts.market, candidate, opts.owner)
            : await checkAgainstFile(opts.against!, candidate, opts.owner, opts.policy);
        const json = { ok: verdict.verdict === 'allow', name: candidate, ...verdict };
        emit(cmd.optsWithGlobals(), json, () => formatHuman(candidate, verdict));
        return verdict.verdict === 'allow' ? 0 : 1;
      }),
    );

  name
    .command('policy')
    .description('Print the built-in name policy (YAML) to copy and tune.')
    .addHelpText('after', '\nExample:\n  $ warden name policy > my-policy.yaml')
    .action(
      action(async (_opts: unknown, cmd: Command) => {
        const file = new URL('../naming/data/default-policy.yaml', import.meta.url);
        let text: string;
        try {
          text = await readFile(file, 'utf8');
        } catch (err) {
          throw ioError('read the built-in name policy', file.pathname, err);
        }
        const { DEFAULT_NAME_POLICY } = await naming();
        emit(cmd.optsWithGlobals(), { ok: true, policy: DEFAULT_NAME_POLICY }, () => text);
      }),
    );
}
