import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEFAULT_NAME_POLICY, loadNamePolicy, NameIndex, tierFor } from '../../src/naming/index.js';

const YAML_PATH = new URL('../../src/naming/data/default-policy.yaml', import.meta.url);

describe('name policy', () => {
  it('the documented YAML and the built-in constant are the same policy', () => {
    const fromYaml = loadNamePolicy(readFileSync(YAML_PATH, 'utf8'));
    expect(fromYaml).toEqual(DEFAULT_NAME_POLICY);
  });

  it('picks the tier by weight, highest first', () => {
    expect(tierFor(DEFAULT_NAME_POLICY, 5_000_000).id).toBe('popular');
    expect(tierFor(DEFAULT_NAME_POLICY, 50).id).toBe('established');
    expect(tierFor(DEFAULT_NAME_POLICY, 0).id).toBe('any');
  });

  it('rejects malformed policies with WARDEN_E_NAME_POLICY_INVALID and the field path', () => {
    const bad: Array<[unknown, RegExp]> = [
      ['tiers: [', /not valid YAML/],
      ['- a list', /mapping/],
      [{ version: 2 }, /version/],
      [{ unknownField: 1 }, /unknownField|Unrecognized/i],
      [{ tiers: [{ id: 'x', minWeight: 0, actions: { NAME_EXACT: 'maybe' } }] }, /tiers\.0\.actions\.NAME_EXACT/],
      [{ tiers: [{ id: 'x', minWeight: 0, actions: { NAME_NOPE: 'block' } }] }, /tiers\.0\.actions/],
      [{ tiers: [{ id: 'x', minWeight: 10, actions: {} }] }, /minWeight 0/],
      [{ affixes: { impersonating: ['Bad Word'], ecosystem: [], attachable: [], minStem: 3 } }, /affixes\.impersonating/],
    ];
    for (const [input, message] of bad) {
      expect(() => loadNamePolicy(input), JSON.stringify(input)).toThrow(expect.objectContaining({ code: 'WARDEN_E_NAME_POLICY_INVALID', message: expect.stringMatching(message) }));
    }
  });

  it('an operator can override one field and the verdicts follow', () => {
    const strict = loadNamePolicy(`
tiers:
  - id: everything
    minWeight: 0
    actions: { NAME_EXACT: block, NAME_SEPARATOR: block, NAME_SKELETON: block, NAME_OMISSION: block, NAME_WORD_REORDER: block }
`);
    expect(strict.caps).toEqual(DEFAULT_NAME_POLICY.caps); // untouched fields keep the defaults
    const lax = new NameIndex();
    const tight = new NameIndex(strict);
    for (const i of [lax, tight]) {
      i.add({ name: 'rare-widget', weight: 1 });
      i.add({ name: 'server-filesystem', weight: 1 });
    }
    expect(lax.check('rare-widgt').verdict).toBe('allow');
    expect(tight.check('rare-widgt').verdict).toBe('block');
    expect(lax.check('filesystem-server').verdict).toBe('allow');
    expect(tight.check('filesystem-server').verdict).toBe('block');
  });

  it('tier caps override the global caps', () => {
    const p = structuredClone(DEFAULT_NAME_POLICY);
    p.tiers[0]!.caps = { ecosystemAffix: 'block' };
    const idx = new NameIndex(loadNamePolicy(p));
    idx.add({ name: 'lodash', weight: 9_000_000 });
    expect(idx.check('lodash-js').verdict).toBe('block');
    expect(new NameIndex().check('lodash-js').verdict).toBe('allow');
  });

  it('sameOwner: block makes an owner unable to publish near its own names', () => {
    const idx = new NameIndex(loadNamePolicy({ sameOwner: 'block' }));
    idx.add({ name: 'acme/weather-station', weight: 100_000 });
    expect(idx.check('acme/weather-statio').verdict).toBe('block');
    expect(new NameIndex().check('acme/weather-statio').verdict).toBe('allow');
  });
});
