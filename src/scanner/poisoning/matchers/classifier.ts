import { WardenError } from '../../../core/errors.js';
import { probability, readableByModel, textsFeatures, topFeatures } from '../classifier.js';
import type { MatchHit, PoisonRule, ToolText } from '../types.js';

const shown = (feature: string) => `"${feature.slice(2)}"`;

/** Flags a tool whose learned score reaches the model's threshold; names the words that weighed most. */
export function matchClassifier(rule: PoisonRule, texts: ToolText[]): MatchHit | null {
  const model = rule.classifierModel;
  if (!model) throw new WardenError('WARDEN_E_SCAN_RULE_INVALID', `Poisoning rule ${rule.id} has a classifier matcher but no model was loaded.`, { where: rule.file });
  if (!readableByModel(texts)) return null;
  const features = textsFeatures(texts);
  const p = probability(model, features);
  if (p < model.threshold) return null;
  const top = topFeatures(model, features);
  return {
    field: 'definition',
    evidence: top.map((t) => shown(t.feature)).join(', '),
    detail: `score ${p.toFixed(2)} >= ${model.threshold}; strongest words ${top.slice(0, 3).map((t) => shown(t.feature)).join(', ')}`,
  };
}
