import { Ajv, type ValidateFunction } from 'ajv';
import { WardenError } from '../../core/errors.js';
import type { PolicyRule } from '../config.js';
import type { Principal } from '../auth/principal.js';
import { globMatcher } from './glob.js';
import { compileHours } from './hours.js';

/**
 * Authorization as data: rules grant a set of principals (by id, group or tenant) access to
 * servers and tools. Deny lists win over allow lists; a rule with `hours` grants only inside its
 * windows; argument constraints are JSON Schemas checked with ajv. Default: deny.
 */
export type Decision =
  | { allow: true; ruleId: string }
  | { allow: false; code: 'WARDEN_E_GW_FORBIDDEN' | 'WARDEN_E_GW_OFF_HOURS'; reason: string; ruleId?: string };

interface CompiledRule {
  id: string;
  principal: ((s: string) => boolean) | undefined;
  group: ((s: string) => boolean) | undefined;
  tenant: ((s: string) => boolean) | undefined;
  server: (s: string) => boolean;
  allowTool: ((s: string) => boolean) | undefined;
  denyTool: ((s: string) => boolean) | undefined;
  args: Map<string, ValidateFunction>;
  inHours: ((t: number) => boolean) | undefined;
}

const MAX_ARG_BYTES_CHECKED = 1024 * 1024;

export class Policy {
  readonly #rules: CompiledRule[];

  constructor(rules: readonly PolicyRule[]) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    this.#rules = rules.map((r) => {
      const args = new Map<string, ValidateFunction>();
      for (const [tool, schema] of Object.entries(r.arguments)) {
        try {
          args.set(tool, ajv.compile(schema));
        } catch (cause) {
          throw new WardenError('WARDEN_E_GW_CONFIG', `Rule ${r.id}: the argument schema for ${tool} is not a valid JSON Schema: ${(cause as Error).message}`, { where: `policy.rules.${r.id}.arguments.${tool}`, cause });
        }
      }
      return {
        id: r.id,
        principal: globMatcher(r.principals),
        group: globMatcher(r.groups),
        tenant: globMatcher(r.tenants),
        server: globMatcher(r.servers)!,
        allowTool: globMatcher(r.allowTools),
        denyTool: globMatcher(r.denyTools),
        args,
        inHours: r.hours ? compileHours(r.hours, `policy.rules.${r.id}.hours`) : undefined,
      };
    });
  }

  #matching(p: Principal, server: string): CompiledRule[] {
    if (p.servers && !p.servers.includes(server)) return [];
    return this.#rules.filter((r) => {
      if (!r.server(server)) return false;
      const who = r.principal || r.group || r.tenant;
      if (!who) return true;
      return (r.principal?.(p.id) ?? false) || (r.group !== undefined && p.groups.some((g) => r.group!(g))) || (r.tenant !== undefined && p.tenant !== undefined && r.tenant(p.tenant));
    });
  }

  /** May the principal talk to this server at all (initialize, list, resources, prompts)? */
  server(p: Principal, server: string, now: number): Decision {
    const rules = this.#matching(p, server);
    if (rules.length === 0) return { allow: false, code: 'WARDEN_E_GW_FORBIDDEN', reason: `no rule grants ${p.id} access to server ${server}` };
    const inHours = rules.find((r) => !r.inHours || r.inHours(now));
    if (!inHours) return { allow: false, code: 'WARDEN_E_GW_OFF_HOURS', reason: `server ${server} is allowed only in configured hours`, ruleId: rules[0]!.id };
    return { allow: true, ruleId: inHours.id };
  }

  /** Is the tool visible in tools/list for this principal (allowed by some rule, denied by none)? */
  visible(p: Principal, server: string, tool: string): boolean {
    const rules = this.#matching(p, server);
    if (rules.some((r) => r.denyTool?.(tool))) return false;
    return rules.some((r) => r.allowTool?.(tool));
  }

  /** The decision for one tools/call. */
  tool(p: Principal, server: string, tool: string, args: unknown, now: number): Decision {
    const rules = this.#matching(p, server);
    const denied = rules.find((r) => r.denyTool?.(tool));
    if (denied) return { allow: false, code: 'WARDEN_E_GW_FORBIDDEN', reason: `tool ${tool} is denied by rule ${denied.id}`, ruleId: denied.id };
    const granting = rules.filter((r) => r.allowTool?.(tool));
    if (granting.length === 0) return { allow: false, code: 'WARDEN_E_GW_FORBIDDEN', reason: `no rule allows ${p.id} to call ${server}/${tool}` };
    const current = granting.filter((r) => !r.inHours || r.inHours(now));
    if (current.length === 0) return { allow: false, code: 'WARDEN_E_GW_OFF_HOURS', reason: `${server}/${tool} is allowed for ${p.id} only in configured hours`, ruleId: granting[0]!.id };
    let argFailure: string | undefined;
    for (const r of current) {
      const check = r.args.get(tool);
      if (!check) return { allow: true, ruleId: r.id };
      if (JSON.stringify(args ?? {}).length > MAX_ARG_BYTES_CHECKED) {
        argFailure ??= 'arguments too large to check';
        continue;
      }
      if (check(args ?? {})) return { allow: true, ruleId: r.id };
      const e = check.errors?.[0];
      argFailure ??= `arguments rejected by rule ${r.id}: ${e ? `${e.instancePath || '/'} ${e.message}` : 'schema mismatch'}`;
    }
    return { allow: false, code: 'WARDEN_E_GW_FORBIDDEN', reason: argFailure ?? 'arguments rejected' };
  }
}
