import { WardenError } from '../../../core/errors.js';
import { scoreFeatures, toolFeatures } from '../classifier.js';
import type { MatchHit, PoisonRule, ToolDefinition } from '../types.js';

const shown = (feature: string) => `"${feature.slice(2)}"`;

/** Flags a tool whose learned score reaches the model's threshold; names the words that weighed most. */
export function matchClassifier(rule: PoisonRule, tool: ToolDefinition): MatchHit | null {
  const model = rule.classifierModel;
  if (!model) throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `Poisoning rule ${rule.id} has a classifier matcher but no model was loaded.`, { where: rule.file });
  const score = scoreFeatures(model, toolFeatures(tool));
  if (score.probability < model.threshold) return null;
  return {
    field: 'definition',
    evidence: score.top.map((t) => shown(t.feature)).join(', '),
    detail: `score ${score.probability.toFixed(2)} >= ${model.threshold}; strongest words ${score.top.slice(0, 3).map((t) => shown(t.feature)).join(', ')}`,
  };
}
