import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffFiles, hashTree, hashTreeTracked } from '../../src/installer/installed-files.js';
import { isWardenError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir('warden-installed-files-');
let n = 0;
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

function tree(): string {
  const dir = join(root, `t${n++}`);
  mkdirSync(join(dir, 'node_modules', 'dep', 'lib'), { recursive: true });
  writeFileSync(join(dir, 'server.mjs'), 'console.log(1)\n');
  writeFileSync(join(dir, 'node_modules', 'dep', 'package.json'), '{"name":"dep"}');
  writeFileSync(join(dir, 'node_modules', 'dep', 'lib', 'empty.js'), '');
  return dir;
}

describe('hashTree', () => {
  it('records every file by its sha256, with /-separated paths relative to the root, folders not listed', async () => {
    const dir = tree();
    // Larger than one read chunk (1 MiB) and not a multiple of it: read across chunks.
    const big = randomBytes((3 << 20) + 12345);
    writeFileSync(join(dir, 'node_modules', 'dep', 'big.bin'), big);
    const files = await hashTree(dir);
    expect(files).toEqual({
      'node_modules/dep/big.bin': sha(big),
      'node_modules/dep/lib/empty.js': sha(''),
      'node_modules/dep/package.json': sha('{"name":"dep"}'),
      'server.mjs': sha('console.log(1)\n'),
    });
    // Sorted by path, so the lock is stable.
    expect(Object.keys(files)).toEqual([...Object.keys(files)].sort());
  });

  it('records links by their target without following them (also links to folders)', async () => {
    const dir = tree();
    symlinkSync('/etc/passwd', join(dir, 'to-passwd'));
    symlinkSync('node_modules/dep', join(dir, 'to-dep'));
    const files = await hashTree(dir);
    expect(files['to-passwd']).toBe(sha('symlink:/etc/passwd'));
    expect(files['to-dep']).toBe(sha('symlink:node_modules/dep'));
    expect(Object.keys(files).filter((p) => p.startsWith('to-dep/'))).toEqual([]);
  });

  it('records a FIFO as a special entry without blocking on it', async () => {
    const dir = tree();
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const files = await hashTree(dir);
    expect(files.pipe).toMatch(/^[0-9a-f]{64}$/);
    expect(files.pipe).not.toBe(sha(''));
  });

  it('sees a changed, an added and a removed file (what warden run checks against the lock)', async () => {
    const dir = tree();
    const before = await hashTree(dir);
    writeFileSync(join(dir, 'server.mjs'), 'console.log(2)\n');
    writeFileSync(join(dir, 'node_modules', 'dep', 'new.js'), 'x');
    rmSync(join(dir, 'node_modules', 'dep', 'lib', 'empty.js'));
    expect(diffFiles(before, await hashTree(dir))).toEqual({ added: ['node_modules/dep/new.js'], removed: ['node_modules/dep/lib/empty.js'], changed: ['server.mjs'] });
  });

  it('fails with WARDEN_E_IO on a folder it cannot list', async () => {
    const err = await hashTree(join(root, 'does-not-exist')).catch((e: unknown) => e);
    expect(isWardenError(err, 'WARDEN_E_IO'), String(err)).toBe(true);
  });

  it('keeps the event loop turning while it hashes a large tree', async () => {
    const dir = tree();
    for (let i = 0; i < 80; i++) writeFileSync(join(dir, `chunk-${i}.bin`), randomBytes(1 << 20));
    // Another task on the same event loop: it advances only when the hashing yields.
    let turns = 0;
    let done = false;
    const other = (async () => {
      while (!done) {
        await new Promise((r) => setImmediate(r));
        turns++;
      }
    })();
    const t0 = performance.now();
    await hashTree(dir);
    const ms = performance.now() - t0;
    done = true;
    await other;
    // 80 MiB take ~50 ms or more to hash, i.e. several 8 ms time slices; a hash that never
    // yielded would leave the other task at 0 or 1 turn.
    expect(ms).toBeGreaterThan(24);
    expect(turns).toBeGreaterThanOrEqual(3);
  });
});

describe('hashTreeTracked (a pass during the server probe, checked again after it)', () => {
  const settle = () => new Promise((r) => setTimeout(r, 120)); // older than the racy margin

  it('keeps the first pass hash of an entry that did not change since, and re-reads what did', async () => {
    const dir = tree();
    await settle();
    const first = await hashTreeTracked(dir);
    // Prove reuse: a hash planted in the first pass survives for an untouched, settled file...
    const planted = { ...first, files: { ...first.files, 'server.mjs': 'f'.repeat(64) } };
    await settle();
    // ...while a file rewritten in place with the same size and its old mtime put back is read again.
    const pkg = join(dir, 'node_modules', 'dep', 'package.json');
    const { atime, mtime } = statSync(pkg);
    writeFileSync(pkg, '{"name":"evl"}');
    utimesSync(pkg, atime, mtime);
    writeFileSync(join(dir, 'added.js'), 'new');
    rmSync(join(dir, 'node_modules', 'dep', 'lib', 'empty.js'));
    const second = await hashTreeTracked(dir, planted);
    expect(second.files['server.mjs']).toBe('f'.repeat(64));
    expect(second.files['node_modules/dep/package.json']).toBe(sha('{"name":"evl"}'));
    expect(second.files['added.js']).toBe(sha('new'));
    expect(second.files).not.toHaveProperty('node_modules/dep/lib/empty.js');
  });

  it('re-reads entries changed close to the first pass even when every stamp field looks the same', async () => {
    const dir = tree(); // written just now: racily clean for a pass that starts now
    const first = await hashTreeTracked(dir);
    const planted = { ...first, files: { ...first.files, 'server.mjs': 'f'.repeat(64) } };
    const second = await hashTreeTracked(dir, planted);
    expect(second.files['server.mjs']).toBe(sha('console.log(1)\n'));
  });

  it('ends equal to a full pass when the tree is written to while the first pass runs', async () => {
    const dir = tree();
    for (let i = 0; i < 300; i++) writeFileSync(join(dir, 'node_modules', 'dep', `f${i}.js`), `v1 ${i}`);
    await settle();
    const first = hashTreeTracked(dir);
    // What a starting server does: rewrite some files, add a cache folder, replace a file by a link.
    for (let i = 0; i < 300; i += 7) writeFileSync(join(dir, 'node_modules', 'dep', `f${i}.js`), `v2 ${i}`);
    mkdirSync(join(dir, '__pycache__'));
    writeFileSync(join(dir, '__pycache__', 'server.pyc'), 'bytecode');
    rmSync(join(dir, 'node_modules', 'dep', 'f5.js'));
    symlinkSync('/etc/hostname', join(dir, 'node_modules', 'dep', 'f5.js'));
    const second = await hashTreeTracked(dir, await first);
    expect(second.files).toEqual(await hashTree(dir));
    expect(second.files['node_modules/dep/f7.js']).toBe(sha('v2 7'));
    expect(second.files['__pycache__/server.pyc']).toBe(sha('bytecode'));
  });
});
