import { describe, expect, it } from 'vitest';
import { asyncCodeOf } from '../helpers/codes.js';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { list, type ReadEntry } from 'tar';
import { packModule } from '../../src/core/pack.js';
import { parseManifest } from '../../src/core/manifest.js';
import { WardenError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { makeModule } from '../helpers/module.js';


async function entries(file: string): Promise<Array<{ path: string; mode: number; uid: number; gid: number; mtime: number; type: string }>> {
  const out: Array<{ path: string; mode: number; uid: number; gid: number; mtime: number; type: string }> = [];
  await list({ file, onReadEntry: (e: ReadEntry) => out.push({ path: e.path, mode: e.mode ?? -1, uid: e.uid ?? -1, gid: e.gid ?? -1, mtime: e.mtime?.getTime() ?? -1, type: e.type }) });
  return out;
}

const root = tempDir();

describe('deterministic pack', () => {
  it('gives byte-identical archives twice and after touching every file', async () => {
    const dir = makeModule(join(root, 'det'));
    mkdirSync(join(dir, 'lib', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'lib', 'deep', 'x.js'), 'export const x = 1;\n');
    writeFileSync(join(dir, 'lib', 'a-b.js'), '// sorts before lib/deep in byte order\n');
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\necho hi\n');
    chmodSync(join(dir, 'run.sh'), 0o700);
    writeFileSync(join(dir, 'empty.txt'), '');
    const a = await packModule(dir, { out: join(root, 'a.tgz') });
    const b = await packModule(dir, { out: join(root, 'b.tgz') });
    const future = new Date(Date.now() + 3600_000);
    for (const f of ['server.json', 'server.mjs', 'lib/deep/x.js', 'run.sh', 'empty.txt']) utimesSync(join(dir, f), future, future);
    chmodSync(join(dir, 'server.mjs'), 0o600); // permission noise other than the exec bit is normalized
    const c = await packModule(dir, { out: join(root, 'c.tgz') });
    expect(readFileSync(a.file).equals(readFileSync(b.file))).toBe(true);
    expect(readFileSync(a.file).equals(readFileSync(c.file))).toBe(true);
    expect(a.digests).toEqual(c.digests);
    expect(a.files).toBe(7);

    const list = await entries(a.file);
    expect(list.map((e) => e.path)).toEqual([
      'package/README.md',
      'package/empty.txt',
      'package/lib/a-b.js',
      'package/lib/deep/x.js',
      'package/run.sh',
      'package/server.json',
      'package/server.mjs',
    ]);
    for (const e of list) {
      expect(e.type).toBe('File');
      expect([e.uid, e.gid]).toEqual([0, 0]);
      expect(e.mode).toBe(e.path.endsWith('run.sh') ? 0o755 : 0o644);
      expect(e.mtime).toBe(list[0]!.mtime);
    }
    // The archive is a standard tar.gz that system tar reads.
    expect(execFileSync('tar', ['-tzf', a.file], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(7);
  });

  it('changes the digest when one byte of content changes', async () => {
    const dir = makeModule(join(root, 'onebyte'));
    const a = await packModule(dir, { out: join(root, 'ob1.tgz') });
    writeFileSync(join(dir, 'README.md'), readFileSync(join(dir, 'README.md'), 'utf8').replace('n', 'N'));
    const b = await packModule(dir, { out: join(root, 'ob2.tgz') });
    expect(a.digests.sha256).not.toBe(b.digests.sha256);
  });

  it('applies .wardenignore and the always-excluded set, and warns about secrets', async () => {
    const dir = makeModule(join(root, 'ign'));
    mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'dep', 'index.js'), '');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    mkdirSync(join(dir, 'coverage'));
    writeFileSync(join(dir, 'coverage', 'lcov.info'), '');
    writeFileSync(join(dir, 'debug.log'), '');
    writeFileSync(join(dir, '.wardenignore'), 'coverage/\n*.log\n');
    writeFileSync(join(dir, '.env'), 'API_KEY=abc\n');
    writeFileSync(join(dir, '.env.example'), 'API_KEY=\n');
    writeFileSync(join(dir, 'signing.pem'), 'x');
    const res = await packModule(dir, { out: join(root, 'ign.tgz') });
    const paths = (await entries(res.file)).map((e) => e.path);
    expect(paths).toContain('package/.env.example');
    expect(paths).toContain('package/.wardenignore');
    for (const gone of ['node_modules', '.git', 'coverage', 'debug.log', 'package/.env', 'signing.pem']) {
      expect(paths.some((p) => p === gone || p.startsWith(`package/${gone}`) || p === gone)).toBe(false);
    }
    expect(res.secretsSkipped.sort()).toEqual(['.env', 'signing.pem']);

    const withDeps = await packModule(dir, { out: join(root, 'ign-deps.tgz'), includeDeps: true });
    expect((await entries(withDeps.file)).map((e) => e.path)).toContain('package/node_modules/dep/index.js');
  });
});

describe('pack refuses bad modules and writes nothing', () => {
  it('a symlink pointing outside the module', async () => {
    const dir = makeModule(join(root, 'link'));
    symlinkSync('/etc/passwd', join(dir, 'passwd'));
    const out = join(root, 'link.tgz');
    expect(await asyncCodeOf(packModule(dir, { out }))).toBe('WARDEN_E_PACK_LINK');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('link.tgz'))).toEqual([]); // no temp file left
  });

  it('a FIFO', async () => {
    const dir = makeModule(join(root, 'fifo'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(await asyncCodeOf(packModule(dir, { out: join(root, 'fifo.tgz') }))).toBe('WARDEN_E_PACK_SPECIAL');
    expect(existsSync(join(root, 'fifo.tgz'))).toBe(false);
  });

  it('a missing server.json', async () => {
    const dir = join(root, 'nomanifest');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.js'), '');
    expect(await asyncCodeOf(packModule(dir, { out: join(root, 'nm.tgz') }))).toBe('WARDEN_E_MANIFEST_MISSING');
    expect(existsSync(join(root, 'nm.tgz'))).toBe(false);
  });

  it('an invalid server.json name', async () => {
    const dir = makeModule(join(root, 'badname'), { name: 'Acme/Hello' });
    expect(await asyncCodeOf(packModule(dir, { out: join(root, 'bn.tgz') }))).toBe('WARDEN_E_MANIFEST_INVALID');
  });

  it('too many files', async () => {
    const dir = makeModule(join(root, 'many'));
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `f${i}.txt`), '');
    expect(await asyncCodeOf(packModule(dir, { out: join(root, 'many.tgz'), limits: { maxFiles: 4 } }))).toBe('WARDEN_E_INPUT_TOO_LARGE');
    expect(existsSync(join(root, 'many.tgz'))).toBe(false);
  });
});

describe('server.json validation', () => {
  const good = JSON.parse(readFileSync(new URL('../fixtures/modules/hello/server.json', import.meta.url), 'utf8'));

  it('accepts the fixture', () => {
    expect(parseManifest(JSON.stringify(good)).name).toBe('acme/hello');
  });

  it.each([
    ['not JSON', '{"name": '],
    ['empty', ''],
    ['missing description', JSON.stringify({ ...good, description: undefined })],
    ['wrong type', JSON.stringify({ ...good, version: 3 })],
    ['upper-case name', JSON.stringify({ ...good, name: 'Acme/hello' })],
    ['range version', JSON.stringify({ ...good, version: '^1.0.0' })],
    ['latest', JSON.stringify({ ...good, version: 'latest' })],
    ['warden package naming another module', JSON.stringify({ ...good, packages: [{ ...good.packages[0], identifier: 'acme/other' }] })],
  ])('rejects %s', (_label, text) => {
    try {
      parseManifest(text);
      expect.unreachable();
    } catch (err) {
      expect((err as WardenError).code).toBe('WARDEN_E_MANIFEST_INVALID');
    }
  });
});
