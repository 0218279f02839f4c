// Golden files for every report format, and SARIF validated against the OASIS 2.1.0 schema.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatText, scan, toSarif, type ScanReport } from '../../src/scanner/index.js';

const FIX = join(process.cwd(), 'test', 'fixtures', 'scanner');
const PROJECT = join(FIX, 'golden', 'project');
const UPDATE = process.env.WARDEN_UPDATE_GOLDEN === '1';

/** Drops what changes between runs (time, Warden version). */
function stable(r: ScanReport): ScanReport {
  return { ...r, durationMs: 0, target: 'golden/project', tool: { name: 'warden', version: '0.0.0' } };
}

function golden(name: string, actual: string): void {
  const file = join(FIX, 'golden', name);
  if (UPDATE || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

let report: ScanReport;
beforeAll(async () => {
  // The poisoning checks have their own goldens (test/scanner/poisoning); leaving them out keeps
  // these files stable when those rules change.
  report = stable(await scan(PROJECT, { disable: ['tool-poisoning-checks'] }));
});

describe('report formats', () => {
  it('finds what the golden project holds, honours the inline suppression', () => {
    const ids = report.findings.map((f) => f.ruleId);
    expect(ids).toEqual(expect.arrayContaining(['env-exfiltration', 'shell-dynamic-command', 'install-script', 'tool-readonly-mismatch']));
    expect(report.suppressed).toEqual([{ ruleId: 'process-spawn', file: 'src/server.js', line: 21, reason: 'the golden fixture documents an accepted spawn' }]);
    expect(report.rating).toBe('F');
  });
  it('JSON golden', () => golden('report.json', JSON.stringify(report, null, 2) + '\n'));
  it('text golden', () => golden('report.txt', formatText(report)));
  it('SARIF golden, valid against the SARIF 2.1.0 schema', () => {
    const sarif = toSarif(report);
    const schema = JSON.parse(readFileSync(join(FIX, 'sarif-schema-2.1.0.json'), 'utf8'));
    // The schema writes one pattern with the inline flag `(?i)`, which JavaScript lacks: map it to the `i` flag.
    const regExp = Object.assign((pattern: string, flags: string) => (pattern.includes('(?i)') ? new RegExp(pattern.replace('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags)), { code: 'new RegExp' });
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, code: { regExp } });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator itself must reject a broken document, or the check above proves nothing.
    expect(validate({ ...sarif, version: '2.0.0' })).toBe(false);
    golden('report.sarif.json', JSON.stringify(sarif, null, 2) + '\n');
  });
});
