import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { NameIndex, osaDistance, plainForm, isReasonCode, MAX_NAME_LENGTH } from '../../src/naming/index.js';
import { isWardenError } from '../../src/core/errors.js';

const NPM = new URL('../../../shared/data/npm-popular-names.txt', import.meta.url);

describe('NameIndex bookkeeping', () => {
  it('adds incrementally, updates on re-add, removes, and reports size and memory', () => {
    const idx = new NameIndex();
    expect(idx.size).toBe(0);
    const empty = idx.memoryBytes();
    expect(idx.check('expresss').verdict).toBe('allow');
    idx.add({ name: 'express', weight: 5_000_000 });
    expect(idx.size).toBe(1);
    expect(idx.has('Express')).toBe(true);
    expect(idx.check('expresss').verdict).toBe('block');
    // Re-adding updates the weight in place: unpopular now, so a typo is allowed.
    idx.add({ name: 'express', weight: 1 });
    expect(idx.size).toBe(1);
    expect(idx.check('expresss').verdict).toBe('allow');
    expect(idx.remove('express')).toBe(true);
    expect(idx.remove('express')).toBe(false);
    expect(idx.size).toBe(0);
    expect(idx.check('express').verdict).toBe('allow');
    for (let i = 0; i < 2000; i++) idx.add({ name: `pkg-${i}-name`, weight: i });
    expect(idx.memoryBytes()).toBeGreaterThan(empty);
    expect(idx.size).toBe(2000);
  });

  it('keeps finding names after removals reuse freed slots', () => {
    const idx = new NameIndex();
    for (let i = 0; i < 500; i++) idx.add({ name: `tool-${i}-alpha`, weight: 10_000 });
    for (let i = 0; i < 500; i += 2) idx.remove(`tool-${i}-alpha`);
    for (let i = 0; i < 500; i += 2) idx.add({ name: `util-${i}-beta`, weight: 10_000 });
    expect(idx.check('tool-1-alphaa').verdict).toBe('block');
    expect(idx.check('tool-2-alphaa').matches.some((m) => m.existing === 'tool-2-alpha')).toBe(false);
    expect(idx.check('tool-1-alphaa').matches[0]!.existing).toBe('tool-1-alpha');
    expect(idx.check('util-2-betta').verdict).toBe('block');
  });

  it('tracks the standing of owners (total weight they hold)', () => {
    const idx = new NameIndex();
    idx.add({ name: 'acme/a', weight: 10 });
    idx.add({ name: 'acme/b', weight: 5 });
    idx.add({ name: 'solo', owner: 'someone', weight: 7 });
    expect(idx.ownerStanding('acme')).toBe(15);
    expect(idx.ownerStanding('someone')).toBe(7);
    idx.remove('acme/a');
    expect(idx.ownerStanding('acme')).toBe(5);
  });

  it('rejects bad names and weights with WARDEN_E_NAME_INVALID', () => {
    const idx = new NameIndex();
    for (const bad of ['', '   ', 'a/b/c', '@scope', '@/x', 'ab\u200bc', 'ab\u202ecd', 'x'.repeat(MAX_NAME_LENGTH + 1), 'two words']) {
      expect(() => idx.check(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'WARDEN_E_NAME_INVALID' }));
    }
    try {
      idx.add({ name: 'ok', weight: -1 });
      expect.unreachable();
    } catch (err) {
      expect(isWardenError(err, 'WARDEN_E_NAME_INVALID')).toBe(true);
    }
  });

  it('returns at most maxMatches matches, strongest first, with stable reason codes', () => {
    const idx = new NameIndex();
    const base = 'weather-station';
    // 26 neighbours at distance 1 (one letter replaced), plus the popular original.
    for (const ch of 'abcdefghijklmnopqrstuvwxyz') idx.add({ name: base.slice(0, 3) + ch + base.slice(4), weight: 50_000 });
    idx.add({ name: base, weight: 9_000_000 });
    const v = idx.check('weather_station');
    expect(v.matches.length).toBe(idx.policy.limits.maxMatches);
    expect(v.verdict).toBe('block');
    expect(v.matches.length).toBeLessThanOrEqual(idx.policy.limits.maxMatches);
    expect(v.matches[0]!.existing).toBe('weather-station');
    for (const m of v.matches) for (const r of m.reasons) expect(isReasonCode(r)).toBe(true);
    expect(v.explanation).toMatch(/more match/);
  });
});

// The deletion index must find what a brute-force scan finds: every indexed name within
// distance 1 of a candidate (the range every length >= 4 allows).
describe('symmetric-deletion index agrees with a linear scan', () => {
  it('finds every distance-1 neighbour among 3,000 real names', () => {
    let names: string[];
    try {
      names = readFileSync(NPM, 'utf8').split('\n').filter((n) => n && !n.startsWith('@')).slice(0, 3000);
    } catch {
      console.log('skipped: ../shared/data/npm-popular-names.txt is not present');
      return;
    }
    const idx = new NameIndex();
    for (const n of names) idx.add({ name: n, weight: 100_000 });
    const plains = names.map(plainForm);
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let compared = 0;
    for (let k = 0; k < 300; k++) {
      const base = names[Math.floor(rnd() * names.length)]!;
      const i = Math.floor(rnd() * base.length);
      const op = Math.floor(rnd() * 3);
      const letter = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rnd() * 26)]!;
      const cand = op === 0 ? base.slice(0, i) + base.slice(i + 1) : op === 1 ? base.slice(0, i) + letter + base.slice(i) : base.slice(0, i) + letter + base.slice(i + 1);
      if (!/^[a-z0-9]/.test(cand) || names.includes(cand) || plainForm(cand).length < 4) continue;
      const cp = plainForm(cand);
      const expected = new Set(names.filter((_, j) => Math.min(cp.length, plains[j]!.length) >= 4 && osaDistance(cp, plains[j]!, 1) === 1));
      // Whole-word additions are deliberately not typos; leave those pairs out of the comparison.
      const found = new Set(idx.check(cand).matches.map((m) => m.existing));
      for (const e of expected) {
        const wholeWord = e.split(/[-_.]/).length !== cand.split(/[-_.]/).length;
        if (!wholeWord && idx.policy.limits.maxMatches > found.size) {
          expect(found.has(e), `${cand} should find ${e}`).toBe(true);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
