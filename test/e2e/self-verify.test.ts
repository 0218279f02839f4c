import { describe, expect, it } from 'vitest';
import { cpSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { warden } from '../helpers/cli.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const tmp = tempDir('warden-selfverify-');

describe('warden self-verify detects a tampered installation', () => {
  const install = join(tmp, 'install');
  cpSync(join(ROOT, 'dist'), join(install, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(install, 'package.json'));
  expect(warden(['keygen', '--out', join(tmp, 'release'), '--name', 'release']).status).toBe(0);
  expect(warden(['keygen', '--out', join(tmp, 'other'), '--name', 'other']).status).toBe(0);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'release-manifest.mjs'), '--key', join(tmp, 'release', 'release.key.pem'), '--root', install]);
  const pub = join(tmp, 'release', 'release.pub.pem');

  it('passes on the installation as released', () => {
    const r = warden(['--json', 'self-verify', '--pub', pub, '--root', install]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.ok).toBe(true);
    expect(r.json.checked).toBeGreaterThan(10);
  });

  it('fails on a changed verifier file', () => {
    const target = join(install, 'dist', 'core', 'verify-release.js');
    appendFileSync(target, '\n// backdoor\n');
    const r = warden(['--json', 'self-verify', '--pub', pub, '--root', install]);
    expect(r.status).toBe(1);
    expect(r.json.error.code).toBe('WARDEN_E_SELF_TAMPERED');
    expect(r.json.error.details.changed).toEqual(['dist/core/verify-release.js']);
    cpSync(join(ROOT, 'dist', 'core', 'verify-release.js'), target);
  });

  it('fails on an injected file and on a removed file', () => {
    writeFileSync(join(install, 'dist', 'core', 'evil.js'), 'export {}');
    let r = warden(['--json', 'self-verify', '--pub', pub, '--root', install]);
    expect(r.status).toBe(1);
    expect(r.json.error.details.unexpected).toEqual(['dist/core/evil.js']);
    rmSync(join(install, 'dist', 'core', 'evil.js'));
    rmSync(join(install, 'dist', 'core', 'digest.js'));
    r = warden(['--json', 'self-verify', '--pub', pub, '--root', install]);
    expect(r.status).toBe(1);
    expect(r.json.error.details.missing).toEqual(['dist/core/digest.js']);
    cpSync(join(ROOT, 'dist', 'core', 'digest.js'), join(install, 'dist', 'core', 'digest.js'));
    expect(warden(['self-verify', '--pub', pub, '--root', install]).status).toBe(0);
  });

  it('refuses a manifest signed by another key, and a missing manifest', () => {
    const r = warden(['--json', 'self-verify', '--pub', join(tmp, 'other', 'other.pub.pem'), '--root', install]);
    expect(r.status).toBe(1);
    expect(r.json.error.code).toBe('WARDEN_E_KEY_UNKNOWN');
    const bare = join(tmp, 'bare');
    cpSync(join(ROOT, 'package.json'), join(bare, 'package.json'));
    const m = warden(['--json', 'self-verify', '--pub', pub, '--root', bare]);
    expect(m.status).toBe(2);
    expect(m.json.error.code).toBe('WARDEN_E_SELF_NO_MANIFEST');
  });
});
