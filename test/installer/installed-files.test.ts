import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffFiles, hashTree } from '../../src/installer/installed-files.js';
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

