import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';
import { makeModule } from '../helpers/module.js';
import { warden } from '../helpers/cli.js';
import { signEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../../src/core/dsse.js';
import { parsePrivateKey } from '../../src/core/keys.js';

const root = tempDir('warden-e2e-dev-');
const keys = join(root, 'keys');
const other = join(root, 'other-keys');

function expectFailure(r: ReturnType<typeof warden>, code: string, status: number) {
  expect(r.status, r.stderr).toBe(status);
  expect(r.json?.ok).toBe(false);
  expect(r.json?.error?.code).toBe(code);
  // One line on stderr naming the code, and a message a person can act on.
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^error ${code}: .{20,}`));
}

describe('warden keygen → pack → sign → verify (built CLI)', () => {
  const mod = makeModule(join(root, 'hello'));
  const artifact = join(root, 'hello.tgz');
  const envelope = `${artifact}.dsse.json`;

  it('creates keys, refuses to overwrite them, private key 0600', () => {
    const r = warden(['--json', 'keygen', '--out', keys]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.keyid).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(keys, 'warden.key.pem')).mode & 0o777).toBe(0o600);
    const before = readFileSync(join(keys, 'warden.key.pem'));
    expectFailure(warden(['--json', 'keygen', '--out', keys]), 'WARDEN_E_KEY_EXISTS', 2);
    expect(readFileSync(join(keys, 'warden.key.pem')).equals(before)).toBe(true);
    expect(warden(['keygen', '--out', other]).status).toBe(0);
  });

  it('packs, signs and verifies', () => {
    const p = warden(['--json', 'pack', mod, '--out', artifact]);
    expect(p.status, p.stderr).toBe(0);
    expect(p.json).toMatchObject({ ok: true, ref: 'acme/hello@1.0.0', file: artifact });
    expect(p.json.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(p.json.sha512).toMatch(/^[0-9a-f]{128}$/);
    const s = warden(['--json', 'sign', artifact, '--key', join(keys, 'warden.key.pem')]);
    expect(s.status, s.stderr).toBe(0);
    expect(existsSync(envelope)).toBe(true);
    const v = warden(['--json', 'verify', artifact, '--sig', envelope, '--pub', join(keys, 'warden.pub.pem'), '--ref', 'acme/hello@1.0.0']);
    expect(v.status, v.stderr).toBe(0);
    expect(v.json).toMatchObject({ ok: true, ref: 'acme/hello@1.0.0', sha256: p.json.sha256 });
    // Without --ref the artifact's own server.json is the expectation.
    expect(warden(['verify', artifact, '--sig', envelope, '--pub', join(keys, 'warden.pub.pem')]).status).toBe(0);
    // Human output names what was verified.
    expect(warden(['verify', artifact, '--sig', envelope, '--pub', join(keys, 'warden.pub.pem')]).stdout).toContain('verified acme/hello@1.0.0');
  });

  describe('bad input fails with its code and writes nothing', () => {
    const pub = () => join(keys, 'warden.pub.pem');

    it('tampered artifact (one byte)', () => {
      const bad = join(root, 'tampered.tgz');
      const bytes = readFileSync(artifact);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      writeFileSync(bad, bytes);
      expectFailure(warden(['--json', 'verify', bad, '--sig', envelope, '--pub', pub()]), 'WARDEN_E_DIGEST_MISMATCH', 1);
    });

    it('signature swapped from another module', () => {
      const otherMod = makeModule(join(root, 'other-mod'), { name: 'acme/other' });
      const otherTgz = join(root, 'other.tgz');
      expect(warden(['pack', otherMod, '--out', otherTgz]).status).toBe(0);
      expect(warden(['sign', otherTgz, '--key', join(keys, 'warden.key.pem')]).status).toBe(0);
      expectFailure(warden(['--json', 'verify', artifact, '--sig', `${otherTgz}.dsse.json`, '--pub', pub(), '--ref', 'acme/hello@1.0.0']), 'WARDEN_E_SUBJECT_MISMATCH', 1);
      // Without --ref the bytes do not match the swapped statement's digests.
      expectFailure(warden(['--json', 'verify', artifact, '--sig', `${otherTgz}.dsse.json`, '--pub', pub()]), 'WARDEN_E_DIGEST_MISMATCH', 1);
    });

    it('envelope with a different payloadType', () => {
      const key = parsePrivateKey(readFileSync(join(keys, 'warden.key.pem'), 'utf8'));
      const env = JSON.parse(readFileSync(envelope, 'utf8'));
      const relabelled = signEnvelope('application/json', Buffer.from(env.payload, 'base64'), [key]);
      const file = join(root, 'type.dsse.json');
      writeFileSync(file, JSON.stringify(relabelled));
      expectFailure(warden(['--json', 'verify', artifact, '--sig', file, '--pub', pub()]), 'WARDEN_E_PAYLOAD_TYPE', 1);
      // Changing the type on a valid envelope breaks its signature.
      writeFileSync(file, JSON.stringify({ ...env, payloadType: 'application/json' }));
      expectFailure(warden(['--json', 'verify', artifact, '--sig', file, '--pub', pub()]), 'WARDEN_E_PAYLOAD_TYPE', 1);
      void IN_TOTO_PAYLOAD_TYPE;
    });

    it('truncated and garbage envelope JSON', () => {
      const text = readFileSync(envelope, 'utf8');
      const truncated = join(root, 'trunc.dsse.json');
      writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
      expectFailure(warden(['--json', 'verify', artifact, '--sig', truncated, '--pub', pub()]), 'WARDEN_E_ENVELOPE_MALFORMED', 1);
      const garbage = join(root, 'garbage.dsse.json');
      writeFileSync(garbage, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x7b]));
      expectFailure(warden(['--json', 'verify', artifact, '--sig', garbage, '--pub', pub()]), 'WARDEN_E_ENVELOPE_MALFORMED', 1);
    });

    it('wrong public key', () => {
      expectFailure(warden(['--json', 'verify', artifact, '--sig', envelope, '--pub', join(other, 'warden.pub.pem')]), 'WARDEN_E_KEY_UNKNOWN', 1);
    });

    it('private key given as public key', () => {
      expectFailure(warden(['--json', 'verify', artifact, '--sig', envelope, '--pub', join(keys, 'warden.key.pem')]), 'WARDEN_E_KEY_NOT_PUBLIC', 2);
    });

    it.each([
      ['upper case', 'Acme/hello@1.0.0', 'WARDEN_E_REF_ORG'],
      ['Unicode look-alike', 'acme/hellо@1.0.0', 'WARDEN_E_REF_NAME'],
      ['..', 'acme/../hello@1.0.0', 'WARDEN_E_REF_SYNTAX'],
      ['empty part', 'acme/@1.0.0', 'WARDEN_E_REF_NAME'],
      ['version range', 'acme/hello@^1.0.0', 'WARDEN_E_REF_VERSION'],
      ['latest', 'acme/hello@latest', 'WARDEN_E_REF_VERSION'],
    ])('bad reference: %s', (_label, ref, code) => {
      expectFailure(warden(['--json', 'verify', artifact, '--sig', envelope, '--pub', pub(), '--ref', ref]), code, 2);
      const out = join(root, `never-${code}.dsse.json`);
      expectFailure(warden(['--json', 'sign', artifact, '--key', join(keys, 'warden.key.pem'), '--ref', ref, '--out', out]), code, 2);
      expect(existsSync(out)).toBe(false);
    });

    it.each([
      ['upper case', 'Acme/hello'],
      ['Unicode look-alike', 'acme/hellо'],
      ['empty part', 'acme/'],
    ])('bad name in server.json: %s', (label, name) => {
      const dir = makeModule(join(root, `badname-${label.replace(/\W/g, '')}`), { name });
      const out = join(root, `badname-${label.replace(/\W/g, '')}.tgz`);
      expectFailure(warden(['--json', 'pack', dir, '--out', out]), 'WARDEN_E_MANIFEST_INVALID', 2);
      expect(existsSync(out)).toBe(false);
    });

    it('a module folder containing a symlink pointing outside it', () => {
      const dir = makeModule(join(root, 'symlinked'));
      symlinkSync('/etc/passwd', join(dir, 'passwd'));
      const out = join(root, 'symlinked.tgz');
      expectFailure(warden(['--json', 'pack', dir, '--out', out]), 'WARDEN_E_PACK_LINK', 2);
      expect(readdirSync(root).filter((f) => f.includes('symlinked.tgz'))).toEqual([]);
    });

    it('0-byte files given as artifact, envelope or key', () => {
      const empty = join(root, 'empty.bin');
      writeFileSync(empty, '');
      expectFailure(warden(['--json', 'verify', empty, '--sig', envelope, '--pub', pub()]), 'WARDEN_E_INPUT_EMPTY', 2);
      expectFailure(warden(['--json', 'verify', artifact, '--sig', empty, '--pub', pub()]), 'WARDEN_E_INPUT_EMPTY', 2);
      expectFailure(warden(['--json', 'verify', artifact, '--sig', envelope, '--pub', empty]), 'WARDEN_E_INPUT_EMPTY', 2);
      expectFailure(warden(['--json', 'sign', empty, '--key', join(keys, 'warden.key.pem')]), 'WARDEN_E_INPUT_EMPTY', 2);
      expect(existsSync(`${empty}.dsse.json`)).toBe(false);
    });

    it('a missing server.json', () => {
      const dir = join(root, 'no-manifest');
      mkdirSync(dir);
      copyFileSync(join(mod, 'server.mjs'), join(dir, 'server.mjs'));
      const out = join(root, 'no-manifest.tgz');
      expectFailure(warden(['--json', 'pack', dir, '--out', out]), 'WARDEN_E_MANIFEST_MISSING', 2);
      expect(existsSync(out)).toBe(false);
    });

    it('sign refuses to overwrite an existing envelope unless --force', () => {
      const before = readFileSync(envelope, 'utf8');
      expectFailure(warden(['--json', 'sign', artifact, '--key', join(keys, 'warden.key.pem')]), 'WARDEN_E_OUTPUT_EXISTS', 2);
      expect(readFileSync(envelope, 'utf8')).toBe(before);
      expect(warden(['sign', artifact, '--key', join(keys, 'warden.key.pem'), '--force']).status).toBe(0);
    });

    it('a public key given to sign', () => {
      const out = join(root, 'pubsign.dsse.json');
      expectFailure(warden(['--json', 'sign', artifact, '--key', pub(), '--out', out]), 'WARDEN_E_KEY_NOT_PRIVATE', 2);
      expect(existsSync(out)).toBe(false);
    });

    it('usage errors exit 2', () => {
      const r = warden(['verify', artifact]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/required option/);
    });
  });

  it('--help teaches with examples', () => {
    for (const verb of ['keygen', 'pack', 'sign', 'verify']) {
      const r = warden([verb, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Example');
    }
  });
});
