/** The one place the scan engine meets the tool-poisoning checks (src/scanner/poisoning/). */
import { checkToolDefinitions, claimsReadOnly, loadPoisonRules, type PoisonFinding, type PoisonRule, type ToolDefinition } from './poisoning/index.js';

export type { PoisonFinding, ToolDefinition };

let rules: PoisonRule[] | undefined;

export function poisonRules(): PoisonRule[] {
  rules ??= loadPoisonRules();
  return rules;
}

/**
 * Checks one extracted tool. Sibling tools of the same package are not passed as "known" names:
 * a tool pointing at its own server's tools is normal; shadowing is about other servers' tools.
 * A definition the checker refuses (over its size limits) is reported as `undefined`.
 */
export function checkTool(tool: ToolDefinition): PoisonFinding[] | undefined {
  try {
    return checkToolDefinitions([tool], { rules: poisonRules() });
  } catch {
    return undefined;
  }
}

export function toolClaimsReadOnly(tool: ToolDefinition): boolean {
  return claimsReadOnly(tool);
}

/** id, description, severity and fix hint of each poisoning rule, for SARIF's rule list and docs. */
export function poisonRuleInfo(): { id: string; description: string; severity: PoisonRule['severity']; fixHint: string }[] {
  return poisonRules().map((r) => ({ id: r.id, description: r.description, severity: r.severity, fixHint: r.fixHint }));
}
