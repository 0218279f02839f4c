import { describe, expect, it } from 'vitest';
import { codeOf } from '../helpers/codes.js';
import type { WardenError } from '../../src/core/errors.js';
import { formatRef, parseModuleId, parseRef } from '../../src/core/ref.js';


describe('module references', () => {
  it.each([
    ['acme/weather@1.0.0', { org: 'acme', name: 'weather', version: '1.0.0' }],
    ['io.github.alice/server-files@0.3.1-beta.2+build.7', { org: 'io.github.alice', name: 'server-files', version: '0.3.1-beta.2+build.7' }],
    ['a1/x@10.20.30', { org: 'a1', name: 'x', version: '10.20.30' }],
    ['my-org/snake_case.name@2.0.0', { org: 'my-org', name: 'snake_case.name', version: '2.0.0' }],
  ])('parses %s and formats it back', (input, expected) => {
    const ref = parseRef(input);
    expect(ref).toEqual(expected);
    expect(formatRef(ref)).toBe(input);
  });

  it.each([
    ['Acme/weather@1.0.0', 'WARDEN_E_REF_ORG'],
    ['acme/Weather@1.0.0', 'WARDEN_E_REF_NAME'],
    ['аcme/weather@1.0.0', 'WARDEN_E_REF_ORG'], // Cyrillic а
    ['acme/wеather@1.0.0', 'WARDEN_E_REF_NAME'], // Cyrillic е
    ['acme/weath\u200Ber@1.0.0', 'WARDEN_E_REF_NAME'], // zero-width space
    ['ac..me/weather@1.0.0', 'WARDEN_E_REF_ORG'],
    ['acme/../weather@1.0.0', 'WARDEN_E_REF_SYNTAX'],
    ['acme/..@1.0.0', 'WARDEN_E_REF_NAME'],
    ['/weather@1.0.0', 'WARDEN_E_REF_ORG'],
    ['acme/@1.0.0', 'WARDEN_E_REF_NAME'],
    ['acme/weather@', 'WARDEN_E_REF_VERSION'],
    ['acme/weather', 'WARDEN_E_REF_SYNTAX'],
    ['acme weather@1.0.0', 'WARDEN_E_REF_SYNTAX'],
    ['a/weather@1.0.0', 'WARDEN_E_REF_ORG'], // org needs 2 chars
    ['acme/weather@latest', 'WARDEN_E_REF_VERSION'],
    ['acme/weather@^1.0.0', 'WARDEN_E_REF_VERSION'],
    ['acme/weather@~1.2', 'WARDEN_E_REF_VERSION'],
    ['acme/weather@1.x', 'WARDEN_E_REF_VERSION'],
    ['acme/weather@>=1.0.0', 'WARDEN_E_REF_VERSION'],
    ['acme/weather@v1.0.0', 'WARDEN_E_REF_VERSION'],
    ['acme/weather@01.0.0', 'WARDEN_E_REF_VERSION'],
    ['acme/we ather@1.0.0', 'WARDEN_E_REF_NAME'],
    ['acme/weather-@1.0.0', 'WARDEN_E_REF_NAME'],
    ['acme-/weather@1.0.0', 'WARDEN_E_REF_ORG'],
    ['acme_x/weather@1.0.0', 'WARDEN_E_REF_ORG'], // '_' allowed in names only
    ['', 'WARDEN_E_REF_SYNTAX'],
    [`acme/${'a'.repeat(65)}@1.0.0`, 'WARDEN_E_REF_NAME'],
  ])('rejects %j with %s', (input, code) => {
    expect(codeOf(() => parseRef(input))).toBe(code);
  });

  it('names the offending character of a look-alike', () => {
    try {
      parseRef('acme/wеather@1.0.0');
      expect.unreachable();
    } catch (err) {
      expect((err as WardenError).message).toContain('U+0435');
    }
  });

  it('suggests the lower-case spelling', () => {
    expect(() => parseModuleId('Acme/x')).toThrow(/use "acme"/);
  });
});
