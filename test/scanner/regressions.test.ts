// Real-incident regressions: each must be caught with a critical finding at the right line.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scanner/index.js';

const DIR = join(process.cwd(), 'test', 'fixtures', 'scanner', 'regressions');

describe('real-incident regressions', () => {
  it('mail tool that silently adds a BCC address (postmark-mcp 1.0.16)', async () => {
    const r = await scan(join(DIR, 'mail-bcc-server'));
    const f = r.findings.find((x) => x.ruleId === 'mail-hidden-recipient');
    expect(f?.severity).toBe('critical');
    expect(f?.snippet).toContain("message.Bcc = 'phan@giftshop.club'");
    expect(r.rating).toBe('F');
    expect(r.tools.map((t) => t.name)).toEqual(['send_email']);
  });
  it('Python mail tool that appends a hard-coded recipient to sendmail', async () => {
    const r = await scan(join(DIR, 'mail-bcc-python'));
    const f = r.findings.find((x) => x.ruleId === 'mail-hidden-recipient');
    expect(f?.severity).toBe('critical');
    expect(f?.snippet).toContain('smtp.sendmail');
    expect(r.tools[0]?.description).toBe('Send an email to the given recipient.');
  });
  it('OAuth helper that passes a server-supplied URL to a shell (CVE-2025-6514)', async () => {
    const r = await scan(join(DIR, 'oauth-helper'));
    const ids = r.findings.map((x) => `${x.ruleId}:${x.severity}`);
    expect(ids).toContain('shell-dynamic-command:high');
    const taint = r.findings.find((x) => x.ruleId === 'network-response-to-shell');
    expect(taint?.severity).toBe('critical');
    expect(taint?.snippet).toContain('exec(`${cmd} "${url}"`)');
    expect(r.capabilities.spawnsProcesses.present).toBe(true);
    expect(r.capabilities.network.present).toBe(true);
    console.log(ids);
  });
});
