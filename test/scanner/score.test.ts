// The risk score lives outside the rules: these properties must hold whatever rules exist.
import { describe, expect, it } from 'vitest';
import { riskScore } from '../../src/scanner/index.js';
import { emptyCapabilities, addCapability } from '../../src/scanner/capabilities.js';
import type { Finding } from '../../src/scanner/index.js';

const f = (ruleId: string, severity: Finding['severity'], confidence: Finding['confidence'] = 'high'): Finding => ({ ruleId, severity, confidence, category: 'x', file: 'a.js', line: 1, column: 1, snippet: '', message: '', fixHint: '', fingerprint: '0'.repeat(32) });

describe('risk score', () => {
  it('is 0 / A for nothing, and capabilities alone raise it a little', () => {
    expect(riskScore([], emptyCapabilities())).toEqual({ score: 0, rating: 'A' });
    const caps = emptyCapabilities();
    addCapability(caps, 'spawnsProcesses', 'a.js:1 child_process.spawn');
    const r = riskScore([], caps);
    expect(r.score).toBeGreaterThan(0);
    expect(r.rating).toMatch(/[AB]/);
  });
  it('a confident critical finding means F; a low-confidence one does not', () => {
    expect(riskScore([f('x', 'critical', 'medium')], emptyCapabilities()).rating).toBe('F');
    expect(riskScore([f('x', 'critical', 'low')], emptyCapabilities()).score).toBeLessThan(85);
  });
  it('repeats of one rule weigh less than the same number of different rules', () => {
    const same = riskScore([f('a', 'medium'), f('a', 'medium'), f('a', 'medium'), f('a', 'medium')], emptyCapabilities()).score;
    const diff = riskScore([f('a', 'medium'), f('b', 'medium'), f('c', 'medium'), f('d', 'medium')], emptyCapabilities()).score;
    expect(same).toBeLessThan(diff);
  });
  it('is monotonic in severity and confidence', () => {
    const order = (['info', 'low', 'medium', 'high'] as const).map((s) => riskScore([f('a', s)], emptyCapabilities()).score);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(riskScore([f('a', 'high', 'low')], emptyCapabilities()).score).toBeLessThan(riskScore([f('a', 'high', 'high')], emptyCapabilities()).score);
  });
});
