/**
 * MCP tool-definition poisoning analysis: pure functions over tool definitions (name, description,
 * input schema, annotations), driven by rules kept as data in ./rules/<id>.yaml.
 */
export type {
  CheckOptions,
  Confidence,
  FieldKind,
  Matcher,
  PoisonFinding,
  PoisonRule,
  Severity,
  ToolDefinition,
} from './types.js';
export { checkToolDefinition, checkToolDefinitions } from './check.js';
export { loadPoisonRules, parseRuleFile, BUILTIN_RULES_DIR } from './load-rules.js';
export { claimsReadOnly } from './read-only-claim.js';
export { LIMITS as POISONING_LIMITS } from './limits.js';
