import { describe, expect, it } from 'vitest';
import { NameIndex } from '../../src/naming/index.js';
import { distinctiveWord, orgBrandWords, orgsShareBrand } from '../../src/naming/distinctive.js';
import { loadCommonWords } from '../../src/naming/names-file.js';
import { expandTokens, type AffixSets } from '../../src/naming/normalize.js';
import { DEFAULT_NAME_POLICY } from '../../src/naming/policy.js';

const words = loadCommonWords();
const suffixes = new Set(DEFAULT_NAME_POLICY.distinctive.orgSuffixes);
const affixes: AffixSets = {
  impersonating: new Set(DEFAULT_NAME_POLICY.affixes.impersonating),
  ecosystem: new Set(DEFAULT_NAME_POLICY.affixes.ecosystem),
  attachable: DEFAULT_NAME_POLICY.affixes.attachable,
  minStem: DEFAULT_NAME_POLICY.affixes.minStem,
};

// Existing names of an MCP market: brand-bearing, coined and descriptive ones.
function market(): NameIndex {
  const idx = new NameIndex(undefined, { commonWords: words });
  for (const name of [
    'io.github.fibery-inc/fibery-mcp-server', 'io.github.bob/telegram-mcp', 'io.github.carol/mcp-google-sheets',
    'io.github.tavily-ai/tavily-mcp', 'io.github.dave/weather-forecast', '@radix-ui/react-tabs', '@faker-js/faker',
  ]) idx.add({ name, weight: 50_000 });
  return idx;
}

describe('common words', () => {
  it('holds everyday English and no package coinages', () => {
    expect(words.size).toBeGreaterThan(50_000);
    for (const w of ['sheets', 'weather', 'telegram', 'tabs', 'forecast']) expect(words.has(w), w).toBe(true);
    for (const w of ['lodash', 'fibery', 'tavily', 'clickhouse', 'mysqljs']) expect(words.has(w), w).toBe(false);
  });

  it('keeps common words whole when splitting glued affixes', () => {
    expect(expandTokens(['sheets'], affixes)).toEqual(['shee', 'ts']);
    expect(expandTokens(['sheets'], { ...affixes, words })).toEqual(['sheets']);
    expect(expandTokens(['mysqljs'], { ...affixes, words })).toEqual(['mysql', 'js']);
  });
});

describe('distinctive names', () => {
  it('finds the brand of the owning org, suffixes and short handles aside', () => {
    expect(orgBrandWords('io.github.tavily-ai', suffixes)).toContain('tavily');
    expect(orgBrandWords('io.github.honeycombio', suffixes)).toContain('honeycomb');
    expect(orgBrandWords('io.github.nx', suffixes)).toEqual([]);
    expect(orgsShareBrand('oxc-parser', 'oxc-resolver', suffixes)).toBe(true);
    expect(orgsShareBrand('io.github.mallory', 'io.github.tavily-ai', suffixes)).toBe(false);
  });

  it('a coined word counts only when it is rare, long enough and not a common word', () => {
    const uses = (n: number) => () => n;
    const p = DEFAULT_NAME_POLICY.distinctive;
    expect(distinctiveWord(['fibery', 'mcp', 'server'], 'io.github.x', p, affixes, uses(1), words, suffixes)).toEqual({ kind: 'coined', word: 'fibery' });
    expect(distinctiveWord(['fibery', 'mcp', 'server'], 'io.github.x', p, affixes, uses(2), words, suffixes)).toBeUndefined();
    expect(distinctiveWord(['telegram', 'mcp'], 'io.github.x', p, affixes, uses(1), words, suffixes)).toBeUndefined();
    expect(distinctiveWord(['fibery'], 'io.github.x', p, affixes, uses(1), words, suffixes)).toBeUndefined(); // one word
    expect(distinctiveWord(['fibery', 'mcp'], 'io.github.x', p, affixes, uses(1), undefined, suffixes)).toBeUndefined(); // no dictionary
  });

  it('blocks the re-use of a coined or brand-bearing name under an unrelated org', () => {
    const idx = market();
    for (const [candidate, word] of [['io.github.mallory/fibery-mcp-server', 'fibery'], ['io.github.mallory/tavily-mcp', 'tavily'], ['io.github.mallory/fibery_mcp_server', 'fibery']] as const) {
      const v = idx.check(candidate);
      expect(v.verdict, v.explanation).toBe('block');
      expect(v.reasons).toEqual(['NAME_CROSS_ORG', 'NAME_DISTINCTIVE_REUSE']);
      expect(v.explanation).toContain(`\`${word}\``);
    }
  });

  it('blocks a brand-bearing name taken without any org (scope confusion), not a scoped copy of an unscoped name', () => {
    const idx = market();
    const v = idx.check('tavily-mcp');
    expect(v.verdict, v.explanation).toBe('block');
    expect(v.reasons).toEqual(['NAME_CROSS_ORG', 'NAME_DISTINCTIVE_REUSE']);
    // A descriptive name taken without an org stays at review.
    expect(idx.check('telegram-mcp').verdict).toBe('review');
    // The other direction: a project that moves under its own scope is never matched against its old name.
    idx.add({ name: 'xmldom-parser', weight: 50_000 });
    expect(idx.check('@xmldom/xmldom-parser').verdict).toBe('allow');
  });

  it('leaves descriptive names, family orgs and mirrors to the usual policy', () => {
    const idx = market();
    for (const candidate of ['io.github.mallory/telegram-mcp', 'io.github.mallory/mcp-google-sheets', 'io.github.mallory/weather-forecast', '@chakra-ui/react-tabs']) {
      const v = idx.check(candidate);
      expect(v.verdict, `${candidate}: ${v.explanation}`).toBe('review');
      expect(v.reasons).toEqual(['NAME_CROSS_ORG']);
    }
    expect(idx.check('io.github.tavily-labs/tavily-mcp').reasons).not.toContain('NAME_DISTINCTIVE_REUSE'); // same family
    expect(idx.check('@types/faker').verdict).toBe('allow'); // @types mirrors every package by design
    // The owner may publish its own name anywhere it likes.
    expect(idx.check('io.github.fibery-inc/fibery-mcp-server-v2', { owner: 'io.github.fibery-inc' }).verdict).toBe('allow');
  });
});
