import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { NameIndex, parseNamesList } from '../../src/naming/index.js';
import { loadCommonWords } from '../../src/naming/names-file.js';

// Detection quality on labelled data: hand-written squats (mostly real incidents), legitimately
// near pairs, the generated squat set and the npm false-block measure. bench/naming.mjs prints
// the same figures in detail; these tests keep them from regressing.
const DATA = new URL('../../../shared/data/', import.meta.url);
const FIX = new URL('../fixtures/naming/', import.meta.url);
const haveData = existsSync(new URL('npm-popular-names.txt', DATA)) && existsSync(new URL('mcp-registry-names.txt', DATA));
if (!haveData) console.log('skipped naming fixture tests: ../shared/data/{npm-popular-names,mcp-registry-names}.txt not present');

const lines = (u: URL) => readFileSync(u, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const tsv = (name: string) => lines(new URL(name, FIX)).map((l) => l.split('\t'));
/** Weekly downloads are not in the list; rank r gets 1e9 / r (Zipf-like; all >= 66,000). */
const rankWeight = (rank: number) => Math.round(1e9 / rank);

function indexOf(npmCount: number): NameIndex {
  // As the product builds it (CLI, market, scanner): with the common-words list.
  const idx = new NameIndex(undefined, { commonWords: loadCommonWords() });
  lines(new URL('npm-popular-names.txt', DATA)).slice(0, npmCount).forEach((name, i) => idx.add({ name, weight: rankWeight(i + 1) }));
  for (const name of lines(new URL('mcp-registry-names.txt', DATA))) idx.add({ name, weight: 10_000 });
  for (const e of parseNamesList(readFileSync(new URL('extra-existing.txt', FIX), 'utf8'))) idx.add(e);
  return idx;
}

describe.skipIf(!haveData)('naming fixtures', () => {
  it('hand-written squats get the intended verdict and name the imitated name', () => {
    const idx = indexOf(Infinity);
    const rows = tsv('squats-handwritten.tsv');
    expect(rows.length).toBeGreaterThan(40);
    for (const [candidate, target, expected] of rows) {
      const v = idx.check(candidate!);
      expect(v.verdict, `${candidate}: ${v.explanation}`).toBe(expected);
      expect(v.matches.map((m) => m.existing), candidate).toContain(target);
    }
  });

  it('legitimately near pairs get the verdict the policy intends', () => {
    const idx = indexOf(Infinity);
    for (const [candidate, existing, expected, owner] of tsv('legit-near.tsv')) {
      // The candidate is a new publish: take it out of the index while it is checked.
      const had = idx.has(candidate!);
      if (had) idx.remove(candidate!);
      const v = idx.check(candidate!, owner && owner !== '-' ? { owner } : {});
      const m = v.matches.find((x) => x.existing === existing);
      expect(m?.verdict ?? 'allow', `${candidate} vs ${existing}: ${m?.explanation ?? 'no match'}`).toBe(expected);
      if (had) idx.add({ name: candidate! });
    }
  });

  it('the generated squat set is caught (>= 97%) and the non-namespace operators mostly blocked', () => {
    const idx = indexOf(5000);
    const rows = tsv('squats-generated.tsv');
    let caught = 0;
    let blocked = 0;
    let typoRows = 0;
    let typoBlocked = 0;
    for (const [candidate, , op] of rows) {
      const v = idx.check(candidate!);
      if (v.verdict !== 'allow') caught++;
      if (v.verdict === 'block') blocked++;
      if (/^(omission|repetition|transposition|keyboard|keyboard-insert|homoglyph-ascii|homoglyph-unicode|separator|org-lookalike)/.test(op!)) {
        typoRows++;
        if (v.verdict === 'block') typoBlocked++;
      }
    }
    expect(caught / rows.length).toBeGreaterThanOrEqual(0.97);
    expect(blocked / rows.length).toBeGreaterThanOrEqual(0.67);
    expect(typoBlocked / typoRows).toBeGreaterThanOrEqual(0.85);
  });

  it('blocks at most 0.3% of npm names ranked 5,001-15,113 published next to the top 5,000', () => {
    const idx = indexOf(5000);
    const fresh = lines(new URL('npm-popular-names.txt', DATA)).slice(5000);
    let blocked = 0;
    for (const name of fresh) if (idx.check(name).verdict === 'block') blocked++;
    expect(blocked / fresh.length).toBeLessThanOrEqual(0.003);
  });

  it('blocks at most 0.5% of the real MCP registry names, each published next to all the others', () => {
    const idx = indexOf(5000);
    const mcp = lines(new URL('mcp-registry-names.txt', DATA));
    const blocked: string[] = [];
    for (const name of mcp) {
      idx.remove(name);
      if (idx.check(name).verdict === 'block') blocked.push(name);
      idx.add({ name, weight: 10_000 });
    }
    expect(blocked.length / mcp.length, blocked.join(', ')).toBeLessThanOrEqual(0.005);
  });
});
