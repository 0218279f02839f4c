// `warden scan` end to end through the built binary: formats, exit codes 0/1/2, baselines, --json.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warden } from '../helpers/cli.js';

const REG = join(process.cwd(), 'test', 'fixtures', 'scanner', 'regressions');
const BENIGN = join(process.cwd(), 'src', 'scanner', 'rules', 'shell-dynamic-command', 'benign');

describe('warden scan (CLI)', () => {
  it('exit 1 with findings at or above --fail-on, text report on stdout', () => {
    const r = warden(['scan', join(REG, 'oauth-helper')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('network-response-to-shell');
    expect(r.stdout).toMatch(/rating F/);
  });
  it('exit 0 when nothing reaches the threshold; --fail-on none never fails', () => {
    expect(warden(['scan', BENIGN, '--fail-on', 'high']).status).toBe(0);
    expect(warden(['scan', join(REG, 'oauth-helper'), '--fail-on', 'none']).status).toBe(0);
  });
  it('--json and --format sarif print one machine-readable document', () => {
    const j = warden(['--json', 'scan', join(REG, 'mail-bcc-server')]);
    expect(j.status).toBe(1);
    expect(j.json.passed).toBe(false);
    expect(j.json.findings.some((f: { ruleId: string }) => f.ruleId === 'mail-hidden-recipient')).toBe(true);
    const s = warden(['scan', join(REG, 'mail-bcc-server'), '--format', 'sarif', '--fail-on', 'none']);
    expect(s.json.version).toBe('2.1.0');
    expect(s.json.runs[0].results.length).toBeGreaterThan(0);
  });
  it('a written baseline makes the next scan pass', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-cli-bl-'));
    const bl = join(dir, 'baseline.json');
    expect(warden(['scan', join(REG, 'oauth-helper'), '--write-baseline', bl]).status).toBe(1);
    expect(JSON.parse(readFileSync(bl, 'utf8')).fingerprints.length).toBeGreaterThan(0);
    const again = warden(['--json', 'scan', join(REG, 'oauth-helper'), '--baseline', bl]);
    expect(again.status).toBe(0);
    expect(again.json.findings).toEqual([]);
    expect(again.json.baselined).toBeGreaterThan(0);
  });
  it('exit 2 on bad input, with the error code', () => {
    const missing = warden(['--json', 'scan', '/no/such/dir']);
    expect(missing.status).toBe(2);
    expect(missing.json.error.code).toBe('WARDEN_E_SCAN_TARGET');
    expect(warden(['scan', BENIGN, '--format', 'xml']).status).toBe(2);
    expect(warden(['scan', BENIGN, '--disable', 'no-such-rule']).status).toBe(2);
    expect(warden(['scan']).status).toBe(2);
  });
  it('--list-rules and --help teach', () => {
    expect(warden(['scan', '--list-rules']).stdout).toContain('mail-hidden-recipient');
    const h = warden(['scan', '--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('warden-ignore <rule-id>: <reason>');
  });
});
