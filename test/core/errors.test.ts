import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { errorCodes, WardenError } from '../../src/core/errors.js';

describe('error codes', () => {
  it('docs/errors.md lists exactly the codes in src/core/codes', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const documented = new Set([...doc.matchAll(/^\|\s*`(WARDEN_E_[A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]));
    const inCode = new Set(Object.keys(errorCodes));
    expect([...inCode].filter((c) => !documented.has(c))).toEqual([]);
    expect([...documented].filter((c) => !inCode.has(c as string))).toEqual([]);
  });

  it('every code has the WARDEN_E_ prefix, a kind and a one-line summary', () => {
    for (const [code, info] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^WARDEN_E_[A-Z0-9_]+$/);
      expect(['rejected', 'input', 'internal']).toContain(info.kind);
      expect(info.summary.length).toBeGreaterThan(10);
      expect(info.summary).not.toContain('\n');
    }
  });

  it('maps kinds to the CLI exit contract and keeps the cause', () => {
    const cause = new Error('inner');
    const rejected = new WardenError('WARDEN_E_SIG_MISMATCH', 'bad', { cause });
    expect(rejected.exitCode).toBe(1);
    expect(rejected.cause).toBe(cause);
    expect(new WardenError('WARDEN_E_REF_SYNTAX', 'bad').exitCode).toBe(2);
  });
});
