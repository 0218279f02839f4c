/**
 * Risk score 0–100 (higher is riskier) and rating A–F, computed from findings and capabilities —
 * outside the rules, so a rule only says what it saw, never how much it matters overall.
 *
 * Each finding weighs severity × confidence; repeats of one rule count less and less (a bundle with
 * 40 `eval`s is not 40 times worse than one). Capabilities add a little: a server that spawns
 * processes is riskier than one that does not, even with no finding. Any critical finding of at
 * least medium confidence puts the score at 85 or more (rating F).
 */
import type { Capabilities, CapabilityName, Confidence, Finding, ScanReport, Severity } from './types.js';

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 40, high: 15, medium: 5, low: 1.5, info: 0 };
export const CONFIDENCE_FACTOR: Record<Confidence, number> = { high: 1, medium: 0.7, low: 0.4 };
export const CAPABILITY_WEIGHT: Record<CapabilityName, number> = { spawnsProcesses: 6, network: 3, fsWrites: 3, envAccess: 1, installScripts: 8, nativeCode: 5, dynamicCode: 5 };
/** Upper bounds of the rating bands. */
export const RATING_BANDS: [ScanReport['rating'], number][] = [['A', 10], ['B', 25], ['C', 45], ['D', 65], ['E', 84], ['F', 100]];

export function riskScore(findings: readonly Finding[], caps: Capabilities): { score: number; rating: ScanReport['rating'] } {
  const perRule = new Map<string, number[]>();
  for (const f of findings) {
    const w = SEVERITY_WEIGHT[f.severity] * CONFIDENCE_FACTOR[f.confidence];
    let list = perRule.get(f.ruleId);
    if (!list) perRule.set(f.ruleId, (list = []));
    list.push(w);
  }
  let total = 0;
  for (const list of perRule.values()) {
    list.sort((a, b) => b - a);
    list.forEach((w, i) => (total += w * 0.5 ** i));
  }
  for (const [name, c] of Object.entries(caps) as [CapabilityName, Capabilities[CapabilityName]][]) if (c.present) total += CAPABILITY_WEIGHT[name];
  let score = Math.round(100 * (1 - Math.exp(-total / 45)));
  if (findings.some((f) => f.severity === 'critical' && f.confidence !== 'low')) score = Math.max(score, 85);
  score = Math.min(100, Math.max(0, score));
  const rating = RATING_BANDS.find(([, max]) => score <= max)![0];
  return { score, rating };
}
