import { describe, expect, it } from 'vitest';
import { NameIndex, REASON_CODES, type NameVerdict, type ReasonCode } from '../../src/naming/index.js';

// A small world: popular names (weight >= 1000), an established one, an unpopular one, and
// namespaced modules. Every test checks a squat AND the legitimate neighbour that must pass.
function world(): NameIndex {
  const idx = new NameIndex();
  for (const [name, weight] of [
    ['express', 5_000_000], ['lodash', 9_000_000], ['cross-env', 2_000_000], ['mocha', 1_000_000],
    ['chalk', 8_000_000], ['server-filesystem', 400_000], ['github-mcp-server', 300_000],
    ['react-dom', 1_000_000], ['pug', 200_000], ['debug', 10_000_000], ['cron', 200_000],
    ['moment', 3_000_000], ['tiny-tool', 120], ['rare-widget', 3],
    ['modelcontextprotocol/server-github', 250_000], ['io.github.alice/weather-forecast', 20_000],
    ['acme/mcp-server', 10], ['beta/mcp-server', 10], ['gamma/mcp-server', 10], ['io.github.redis/mcp-redis', 50_000],
  ] as const) idx.add({ name, weight });
  return idx;
}

function matchFor(v: NameVerdict, existing: string) {
  return v.matches.find((m) => m.existing === existing);
}

function expectCaught(idx: NameIndex, candidate: string, existing: string, reason: ReasonCode, verdict: 'block' | 'review') {
  const v = idx.check(candidate);
  const m = matchFor(v, existing);
  expect(m, `${candidate} should match ${existing}: ${v.explanation}`).toBeDefined();
  expect(m!.reasons).toContain(reason);
  expect(v.verdict).toBe(verdict);
  expect(v.reasons).toContain(reason);
  expect(m!.explanation).toContain(`\`${existing}\``);
  return m!;
}

describe('operators: each reason code catches its squat', () => {
  const idx = world();

  it('NAME_EXACT: the same name (case and NFKC ignored) is blocked', () => {
    expectCaught(idx, 'Express', 'express', 'NAME_EXACT', 'block');
    expectCaught(idx, 'ｌodash', 'lodash', 'NAME_EXACT', 'block'); // full-width l folds by NFKC
  });

  it('NAME_SEPARATOR: npm-style separator and case changes', () => {
    expectCaught(idx, 'crossenv', 'cross-env', 'NAME_SEPARATOR', 'block');
    expectCaught(idx, 'cross_env', 'cross-env', 'NAME_SEPARATOR', 'block');
    expectCaught(idx, 'Cross.Env', 'cross-env', 'NAME_SEPARATOR', 'block');
  });

  it('NAME_SKELETON: Unicode and ASCII homoglyphs', () => {
    expectCaught(idx, 'l0dash', 'lodash', 'NAME_SKELETON', 'block');
    expectCaught(idx, 'lоdash', 'lodash', 'NAME_SKELETON', 'block'); // Cyrillic о
    expectCaught(idx, 'еxpress', 'express', 'NAME_SKELETON', 'block'); // Cyrillic е
    expectCaught(idx, 'rnocha', 'mocha', 'NAME_SKELETON', 'block');
    expectCaught(idx, 'Iodash', 'lodash', 'NAME_SKELETON', 'block'); // upper-case I for l
    const m = expectCaught(idx, 'cha1k', 'chalk', 'NAME_SKELETON', 'block');
    expect(m.distance).toBe(0);
    // A look-alike swap is deliberate: on the first character too (a typo there is only review).
    expect(expectCaught(idx, '3xpress', 'express', 'NAME_SKELETON', 'block').distance).toBe(1);
    expectCaught(idx, 'wxpress', 'express', 'NAME_KEYBOARD', 'review');
  });

  it('NAME_OMISSION, NAME_REPETITION, NAME_TRANSPOSITION, NAME_KEYBOARD at distance 1', () => {
    expect(expectCaught(idx, 'server-filesytem', 'server-filesystem', 'NAME_OMISSION', 'block').explanation).toMatch(/one omitted 's'/);
    expectCaught(idx, 'expresss', 'express', 'NAME_REPETITION', 'block');
    expectCaught(idx, 'lodsah', 'lodash', 'NAME_TRANSPOSITION', 'block');
    expectCaught(idx, 'exprwss', 'express', 'NAME_KEYBOARD', 'block');
    expectCaught(idx, 'expreass', 'express', 'NAME_KEYBOARD', 'block'); // 'a' inserted next to 's'
    expect(idx.check('lodsah').matches[0]!.distance).toBe(1);
  });

  it('NAME_EDIT_DISTANCE: a generic edit, and two edits on long names, go to review', () => {
    expectCaught(idx, 'expross', 'express', 'NAME_EDIT_DISTANCE', 'review');
    const m = expectCaught(idx, 'server-filesistemm', 'server-filesystem', 'NAME_EDIT_DISTANCE', 'review');
    expect(m.distance).toBe(2);
  });

  it('NAME_WORD_REORDER: same words, other order', () => {
    expectCaught(idx, 'filesystem-server', 'server-filesystem', 'NAME_WORD_REORDER', 'review');
  });

  it('NAME_COMBOSQUAT: claims block, ecosystem affixes review, versions review', () => {
    expectCaught(idx, 'github-mcp-server-pro', 'github-mcp-server', 'NAME_COMBOSQUAT', 'block');
    expectCaught(idx, 'lodash-official', 'lodash', 'NAME_COMBOSQUAT', 'block');
    expectCaught(idx, 'lodash-js', 'lodash', 'NAME_COMBOSQUAT', 'review');
    expectCaught(idx, 'lodashjs', 'lodash', 'NAME_COMBOSQUAT', 'review');
    expectCaught(idx, 'node-lodash', 'lodash', 'NAME_COMBOSQUAT', 'review');
    expectCaught(idx, 'lodash-v2', 'lodash', 'NAME_COMBOSQUAT', 'review');
    expectCaught(idx, 'mcp-server-filesystem', 'server-filesystem', 'NAME_COMBOSQUAT', 'review');
  });

  it('NAME_ORG_LOOKALIKE: the module name under a look-alike org', () => {
    expectCaught(idx, 'modelcontextprotoco1/server-github', 'modelcontextprotocol/server-github', 'NAME_ORG_LOOKALIKE', 'block');
    expectCaught(idx, 'model-context-protocol/server-github', 'modelcontextprotocol/server-github', 'NAME_ORG_LOOKALIKE', 'block');
    expectCaught(idx, 'modelcontextprotocol-official/server-github', 'modelcontextprotocol/server-github', 'NAME_ORG_LOOKALIKE', 'block');
    expectCaught(idx, 'io.github.a1ice/weather-forecast', 'io.github.alice/weather-forecast', 'NAME_ORG_LOOKALIKE', 'block');
  });

  it('NAME_CROSS_ORG: a popular namespaced module name under an unrelated org goes to review', () => {
    expectCaught(idx, 'evil/server-github', 'modelcontextprotocol/server-github', 'NAME_CROSS_ORG', 'review');
    expectCaught(idx, 'server-github', 'modelcontextprotocol/server-github', 'NAME_CROSS_ORG', 'review');
    // A typo'd copy under another org has no fork excuse: blocked.
    const v = idx.check('evil/server-gihtub');
    expect(v.verdict).toBe('block');
    expect(v.reasons).toEqual(expect.arrayContaining(['NAME_TRANSPOSITION', 'NAME_CROSS_ORG']));
  });

  it('NAME_DISTINCTIVE_REUSE: a name carrying its owner\'s brand, re-used under an unrelated org, is blocked', () => {
    const m = expectCaught(idx, 'io.github.mallory/mcp-redis', 'io.github.redis/mcp-redis', 'NAME_DISTINCTIVE_REUSE', 'block');
    expect(m.reasons).toEqual(['NAME_CROSS_ORG', 'NAME_DISTINCTIVE_REUSE']);
    expect(m.explanation).toMatch(/brand `redis`/);
    // The legitimate neighbours: an org of the same family, and a name without the brand.
    expectCaught(idx, 'io.github.redis-samples/mcp-redis', 'io.github.redis/mcp-redis', 'NAME_CROSS_ORG', 'review');
    expect(idx.check('io.github.redis-samples/mcp-redis').reasons).not.toContain('NAME_DISTINCTIVE_REUSE');
    expect(idx.check('evil/server-github').reasons).not.toContain('NAME_DISTINCTIVE_REUSE');
  });

  it('covers every reason code in these tests', () => {
    const seen = new Set<ReasonCode>();
    for (const c of ['Express', 'crossenv', 'l0dash', 'server-filesytem', 'expresss', 'lodsah', 'exprwss', 'expross', 'filesystem-server',
      'github-mcp-server-pro', 'modelcontextprotoco1/server-github', 'evil/server-github', 'io.github.mallory/mcp-redis']) {
      for (const r of idx.check(c).reasons) seen.add(r);
    }
    expect([...seen].sort()).toEqual([...REASON_CODES].sort());
  });
});

describe('operators: legitimate neighbours get the verdict the policy intends', () => {
  const idx = world();

  it('react-dnd vs react-dom: two substitutions on an 8-letter name are beyond distance 1 → allow', () => {
    const v = idx.check('react-dnd');
    expect(v.verdict).toBe('allow');
    expect(matchFor(v, 'react-dom')).toBeUndefined();
  });

  it('pg vs pug: 1-3 letter names match only identical-looking names → allow', () => {
    expect(idx.check('pg').verdict).toBe('allow');
    expect(idx.check('p-ug').verdict).toBe('block'); // but a separator copy is still the same name
  });

  it('chalk-template vs chalk: a descriptive word added → allow', () => {
    expect(idx.check('chalk-template').verdict).toBe('allow');
    expect(idx.check('chalk-utils').verdict).toBe('allow');
  });

  it('node-cron vs cron: ecosystem affix → review (a person decides)', () => {
    expect(idx.check('node-cron').verdict).toBe('review');
  });

  it('whole words added or dropped are not typos', () => {
    expect(idx.check('debug-x').verdict).toBe('allow');
    expect(idx.check('x-debug').verdict).toBe('allow');
  });

  it('first-letter edits and plural s are capped at review; a transposition at the start is not', () => {
    expect(idx.check('xmoment').verdict).toBe('review');
    expect(idx.check('oment').verdict).toBe('review');
    expect(idx.check('noment').verdict).toBe('review');
    expect(idx.check('moments').verdict).toBe('review');
    const v = idx.check('omment');
    expect(v.verdict, v.explanation).toBe('block');
    expect(v.reasons).toEqual(['NAME_TRANSPOSITION']);
  });

  it('short names: changed or dropped letters are capped at review, doubled or swapped letters are not', () => {
    const i2 = world();
    i2.add({ name: 'yaml', weight: 5_000_000 });
    expect(i2.check('yaal').verdict).toBe('review'); // keyboard slip: could be another short name
    expect(i2.check('yam').verdict).toBe('allow'); // 3 letters: only look-identical names match
    expect(i2.check('yamm').verdict).toBe('review'); // keyboard slip (m for l)
    for (const [candidate, reason] of [['yaaml', 'NAME_REPETITION'], ['ymal', 'NAME_TRANSPOSITION'], ['ayml', 'NAME_TRANSPOSITION']] as const) {
      const v = i2.check(candidate);
      expect(v.verdict, `${candidate}: ${v.explanation}`).toBe('block');
      expect(v.reasons).toContain(reason);
    }
  });

  it('a typo that makes a word other names use is capped at review', () => {
    const i2 = world();
    i2.add({ name: 'fast-momentum', weight: 5 });
    i2.add({ name: 'momentum', weight: 5 });
    // "momenta" is not a known word → block; "momentum" is distance 2 and known.
    expect(i2.check('momentt').verdict).toBe('block');
    i2.add({ name: 'mement-utils', weight: 1 });
    const v = i2.check('mement');
    expect(v.verdict).toBe('review');
    expect(v.explanation).toContain('used by other names');
  });

  it('generic module names used by many orgs are not cross-org impersonation', () => {
    expect(idx.check('delta/mcp-server').verdict).toBe('allow');
  });

  it('a scoped copy of an unscoped name is npm convention → allow', () => {
    expect(idx.check('@types/express').verdict).toBe('allow');
    expect(idx.check('@someone/lodash').verdict).toBe('allow');
  });
});

describe('policy by weight and owner', () => {
  const idx = world();

  it('typos of unpopular names are allowed, of established names reviewed, of popular names blocked', () => {
    expect(idx.check('rare-widgett').verdict).toBe('allow');
    expect(idx.check('tiny-tooll').verdict).toBe('review');
    expect(idx.check('expresss').verdict).toBe('block');
  });

  it('names that read the same are blocked whatever the weight', () => {
    expect(idx.check('rare_widget').verdict).toBe('block');
    expect(idx.check('rare-w1dget').verdict).toBe('allow'); // one look-alike swap is judged like a typo
    expect(idx.check('tiny-t0ol').verdict).toBe('block'); // 0 folds to o: the same skeleton
    expect(idx.check('tiny-tooi').verdict).toBe('review'); // i for l: a look-alike swap on an established name
    expect(idx.check('rare-wodget').verdict).toBe('allow'); // an ordinary typo of an unpopular name
  });

  it('the same owner may publish near its own names', () => {
    expect(idx.check('io.github.alice/weather-forecasts').verdict).toBe('allow');
    expect(idx.check('io.github.mallory/weather-forcast').verdict).toBe('block');
    expect(idx.check('io.github.mallory/weather-forecast').verdict).toBe('review');
    const own = new NameIndex();
    own.add({ name: 'lodash', owner: 'jdalton', weight: 9_000_000 });
    expect(own.check('lodash-official', { owner: 'jdalton' }).verdict).toBe('allow');
    expect(own.check('lodash-official', { owner: 'someone' }).verdict).toBe('block');
    expect(own.check('lodash-official').matches[0]!.owner).toBe('jdalton');
  });

  it('org names can be checked in their own index (org creation)', () => {
    const orgs = new NameIndex();
    for (const o of ['openai', 'anthropic', 'modelcontextprotocol', 'github']) orgs.add({ name: o, weight: 100_000 });
    expect(orgs.check('0penai').verdict).toBe('block');
    expect(orgs.check('anthrop1c').verdict).toBe('block');
    expect(orgs.check('gihtub').verdict).toBe('block');
    expect(orgs.check('opentelemetry').verdict).toBe('allow');
    expect(orgs.check('acme').verdict).toBe('allow');
  });
});
