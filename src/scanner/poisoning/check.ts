import { WardenError } from '../../core/errors.js';
import { LIMITS } from './limits.js';
import { loadPoisonRules } from './load-rules.js';
import type { MatchContext } from './matchers/context.js';
import { compileCapability, matchCapability, type CompiledCapability } from './matchers/capability.js';
import { matchEncoded } from './matchers/encoded.js';
import { matchExfilParameter, type CompiledExfil } from './matchers/exfil-parameter.js';
import { matchNameCollision } from './matchers/name-collision.js';
import { matchSignals } from './matchers/signals.js';
import { matchInvisible } from './matchers/unicode.js';
import { matchHiddenLayout } from './matchers/layout.js';
import { matchClassifier } from './matchers/classifier.js';
import { statedSafeguards } from './safeguards.js';
import { toolTexts } from './tool-text.js';
import type { CheckOptions, MatchHit, PoisonFinding, PoisonRule, SignalSpec, ToolDefinition, ToolText } from './types.js';

/** Regular expressions of a rule, compiled once per rule object. */
const compiledSignals = new WeakMap<PoisonRule, Map<SignalSpec, RegExp>>();
const compiledExfil = new WeakMap<PoisonRule, CompiledExfil>();
const compiledCapability = new WeakMap<PoisonRule, CompiledCapability>();

function capabilityOf(rule: PoisonRule): CompiledCapability | null {
  if (rule.matcher.type !== 'capability') return null;
  let c = compiledCapability.get(rule);
  if (!c) {
    c = compileCapability(rule.matcher);
    compiledCapability.set(rule, c);
  }
  return c;
}

function signalsOf(rule: PoisonRule): Map<SignalSpec, RegExp> {
  let map = compiledSignals.get(rule);
  if (!map) {
    map = new Map();
    if (rule.matcher.type === 'signals') for (const s of rule.matcher.signals) if (s.pattern) map.set(s, new RegExp(s.pattern, 'iu'));
    compiledSignals.set(rule, map);
  }
  return map;
}

function exfilOf(rule: PoisonRule): CompiledExfil {
  let c = compiledExfil.get(rule);
  if (!c && rule.matcher.type === 'exfil-parameter') {
    const m = rule.matcher;
    c = {
      channelNames: new RegExp(m.channelNames, 'iu'),
      secretSources: new RegExp(m.secretSources, 'iu'),
      conversationSources: new RegExp(m.conversationSources, 'iu'),
      fillVerbs: new RegExp(m.fillVerbs, 'iu'),
      secretSourcesAll: new RegExp(m.secretSources, 'giu'),
      conversationSourcesAll: new RegExp(m.conversationSources, 'giu'),
      fillVerbsAll: new RegExp(m.fillVerbs, 'giu'),
    };
    compiledExfil.set(rule, c);
  }
  return c!;
}

function runRule(rule: PoisonRule, tool: ToolDefinition, texts: ToolText[], ctx: MatchContext): MatchHit | null {
  const m = rule.matcher;
  switch (m.type) {
    case 'signals':
      return matchSignals(m, signalsOf(rule), texts, ctx);
    case 'invisible-unicode':
      return matchInvisible(m, texts);
    case 'encoded-payload':
      return matchEncoded(m, texts);
    case 'exfil-parameter':
      return matchExfilParameter(exfilOf(rule), tool);
    case 'name-collision':
      return matchNameCollision(tool, ctx);
    case 'capability':
      return matchCapability(m, capabilityOf(rule)!, texts);
    case 'hidden-layout':
      return matchHiddenLayout(m, texts);
    case 'classifier':
      return matchClassifier(rule, texts);
  }
}

function toFinding(rule: PoisonRule, tool: ToolDefinition, hit: MatchHit, safeguards: readonly string[]): PoisonFinding {
  let message = rule.message
    .replaceAll('{tool}', JSON.stringify(tool.name.slice(0, 128)))
    .replaceAll('{field}', hit.field)
    .replaceAll('{detail}', hit.detail);
  const demoted = rule.safeguards === 'demote' && safeguards.length > 0;
  if (demoted) message += ` Lowered to low: the tool states safeguards (${safeguards.join(', ')}); check that its code keeps them.`;
  return {
    ...(demoted ? { safeguards: [...safeguards] } : {}),
    ruleId: rule.id,
    severity: demoted ? 'low' : rule.severity,
    confidence: rule.confidence,
    message,
    evidence: hit.evidence,
    field: hit.field,
    fixHint: rule.fixHint,
  };
}

function assertTool(tool: unknown, where: string): asserts tool is ToolDefinition {
  const t = tool as ToolDefinition | null;
  if (typeof t !== 'object' || t === null || typeof t.name !== 'string' || (t.description !== undefined && typeof t.description !== 'string')) {
    throw new WardenError('WARDEN_E_USAGE', `${where} is not a tool definition: it needs a string "name" and, if present, a string "description".`, { where });
  }
}

function checkOne(tool: ToolDefinition, rules: PoisonRule[], ctx: MatchContext): PoisonFinding[] {
  const texts = toolTexts(tool);
  const findings: PoisonFinding[] = [];
  let safeguards: string[] | undefined; // read only when a demotable rule fires
  for (const rule of rules) {
    const hit = runRule(rule, tool, texts, ctx);
    if (!hit) continue;
    if (rule.safeguards === 'demote') safeguards ??= statedSafeguards(texts);
    findings.push(toFinding(rule, tool, hit, rule.safeguards === 'demote' ? safeguards! : []));
  }
  return findings;
}

/** Checks one tool on its own (plus `knownToolNames` for shadowing and look-alike names). At most one finding per rule. */
export function checkToolDefinition(tool: ToolDefinition, opts: CheckOptions = {}): PoisonFinding[] {
  assertTool(tool, 'tool');
  const rules = opts.rules ?? loadPoisonRules();
  return checkOne(tool, rules, { others: opts.knownToolNames ?? [] });
}

/**
 * Checks the tools of one server together: each tool also sees the names of its siblings (and
 * `knownToolNames`), so a description steering another tool and duplicate or look-alike names
 * are found. Findings are in tool order, then rule order.
 */
export function checkToolDefinitions(tools: ToolDefinition[], opts: CheckOptions = {}): PoisonFinding[] {
  if (tools.length > LIMITS.tools) {
    throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `${tools.length} tool definitions given; the limit is ${LIMITS.tools}.`);
  }
  tools.forEach((t, i) => assertTool(t, `tools[${i}]`));
  const rules = opts.rules ?? loadPoisonRules();
  const known = (opts.knownToolNames ?? []).slice(0, 50_000);
  const names = tools.map((t) => t.name);
  return tools.flatMap((tool, i) => {
    const others = [...names.filter((_, j) => j !== i), ...known];
    return checkOne(tool, rules, { others });
  });
}
