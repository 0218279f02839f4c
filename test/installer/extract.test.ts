import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWardenError, type WardenErrorCode } from '../../src/core/errors.js';
import { extractArtifact } from '../../src/installer/extract.js';
import { tempDir } from '../helpers/tmp.js';
import { declaredHugeFile, legitimateEntries, tgzOf, zeroBomb, type RawEntry } from '../fixtures/installer/archives.js';

const root = tempDir('warden-extract-');
let n = 0;

/** A fresh destination in a fresh parent, so "nothing left on disk" is checkable. */
function destination(): { parent: string; dest: string } {
  const parent = join(root, `case-${n++}`);
  mkdirSync(parent);
  return { parent, dest: join(parent, 'module') };
}

async function expectRefused(archive: Buffer, code: WardenErrorCode, limits = {}): Promise<Record<string, unknown> | undefined> {
  const { parent, dest } = destination();
  const err = await extractArtifact(archive, dest, { limits }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWardenError(err), String(err)).toBe(true);
  expect((err as { code: string }).code).toBe(code);
  // Nothing left: no destination, no temp folder beside it.
  expect(readdirSync(parent)).toEqual([]);
  return (err as { details?: Record<string, unknown> }).details;
}

const withLegit = (...extra: RawEntry[]): Buffer => tgzOf([...legitimateEntries(), ...extra]);

describe('extractArtifact: the legitimate case', () => {
  it('extracts files under package/ into the destination with normalised modes', async () => {
    const { parent, dest } = destination();
    const r = await extractArtifact(tgzOf(legitimateEntries()), dest);
    expect(r.files).toBe(4);
    expect(readFileSync(join(dest, 'server.mjs'), 'utf8')).toBe('console.log("hello");\n');
    expect(readFileSync(join(dest, 'lib/util.js'), 'utf8')).toBe('export const x = 1;\n'.repeat(200));
    expect(statSync(join(dest, 'server.mjs')).mode & 0o777).toBe(0o755);
    expect(statSync(join(dest, 'README.md')).mode & 0o777).toBe(0o644);
    expect(readdirSync(parent)).toEqual(['module']);
  });

  it('reads a .tgz from a file path as well as from bytes', async () => {
    const { parent, dest } = destination();
    const file = join(parent, 'a.tgz');
    writeFileSync(file, tgzOf(legitimateEntries()));
    await extractArtifact(file, dest);
    expect(existsSync(join(dest, 'server.json'))).toBe(true);
  });

  it('refuses an existing destination and leaves it untouched', async () => {
    const { dest } = destination();
    mkdirSync(dest);
    writeFileSync(join(dest, 'keep.txt'), 'mine');
    await expect(extractArtifact(tgzOf(legitimateEntries()), dest)).rejects.toMatchObject({ code: 'WARDEN_E_ARCHIVE_DEST_EXISTS' });
    expect(readdirSync(dest)).toEqual(['keep.txt']);
  });
});

describe('extractArtifact: malicious archives are refused with nothing left on disk', () => {
  it('`../` traversal', async () => {
    await expectRefused(withLegit({ path: 'package/../../evil.sh', body: 'x' }), 'WARDEN_E_ARCHIVE_TRAVERSAL');
    expect(existsSync(join(root, 'evil.sh'))).toBe(false);
  });

  it('absolute paths', async () => {
    await expectRefused(withLegit({ path: '/tmp/warden-evil-abs', body: 'x' }), 'WARDEN_E_ARCHIVE_ABSOLUTE_PATH');
    expect(existsSync('/tmp/warden-evil-abs')).toBe(false);
  });

  it('entries outside package/', async () => {
    await expectRefused(withLegit({ path: 'other/file.js', body: 'x' }), 'WARDEN_E_ARCHIVE_OUTSIDE_PACKAGE');
  });

  it('a symlink to /etc', async () => {
    const details = await expectRefused(withLegit({ path: 'package/etc', type: 'SymbolicLink', linkpath: '/etc' }), 'WARDEN_E_ARCHIVE_LINK');
    expect(details).toMatchObject({ type: 'SymbolicLink' });
  });

  it('a symlink followed by a file written "through" it', async () => {
    await expectRefused(
      tgzOf([{ path: 'package/x', type: 'SymbolicLink', linkpath: '/tmp' }, { path: 'package/x/evil', body: 'x' }]),
      'WARDEN_E_ARCHIVE_LINK',
    );
  });

  it('a hardlink', async () => {
    const details = await expectRefused(withLegit({ path: 'package/passwd', type: 'Link', linkpath: '/etc/passwd' }), 'WARDEN_E_ARCHIVE_LINK');
    expect(details).toMatchObject({ type: 'Link' });
  });

  it('devices and FIFOs', async () => {
    await expectRefused(withLegit({ path: 'package/null', type: 'CharacterDevice' }), 'WARDEN_E_ARCHIVE_SPECIAL');
    await expectRefused(withLegit({ path: 'package/disk', type: 'BlockDevice' }), 'WARDEN_E_ARCHIVE_SPECIAL');
    await expectRefused(withLegit({ path: 'package/pipe', type: 'FIFO' }), 'WARDEN_E_ARCHIVE_SPECIAL');
  });

  it('the same path twice, and a file used as a folder', async () => {
    await expectRefused(withLegit({ path: 'package/server.mjs', body: 'evil()' }), 'WARDEN_E_ARCHIVE_DUPLICATE');
    await expectRefused(withLegit({ path: 'package/README.md/x', body: 'y' }), 'WARDEN_E_ARCHIVE_DUPLICATE');
  });

  it('more entries than the limit', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ path: `package/f${i}.js`, body: 'x' }));
    await expectRefused(tgzOf(many), 'WARDEN_E_ARCHIVE_TOO_MANY_FILES', { maxEntries: 20 });
    // The same archive is fine under the default limit.
    const { dest } = destination();
    expect((await extractArtifact(tgzOf(many), dest)).files).toBe(30);
  });

  it('one file over the per-file limit, and files over the total limit', async () => {
    await expectRefused(withLegit({ path: 'package/big.bin', body: Buffer.alloc(5000, 7) }), 'WARDEN_E_ARCHIVE_FILE_TOO_LARGE', { maxFileBytes: 4096 });
    const parts = Array.from({ length: 5 }, (_, i) => ({ path: `package/p${i}.bin`, body: Buffer.alloc(3000, i) }));
    await expectRefused(tgzOf(parts), 'WARDEN_E_ARCHIVE_TOO_LARGE', { maxTotalBytes: 10_000 });
  });

  it('a 1 GiB-when-expanded bomb of zeros is stopped after reading a few MB', async () => {
    const bomb = zeroBomb();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const started = Date.now();
    const details = await expectRefused(bomb, 'WARDEN_E_ARCHIVE_BOMB');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(details?.expandedBytes as number).toBeLessThan(16 * 1024 * 1024);
  });

  it('the absolute expansion cap holds even when the ratio looks normal', async () => {
    // Random bytes do not compress: ratio ~1, so only the absolute cap can stop it.
    const { randomBytes } = await import('node:crypto');
    const parts = Array.from({ length: 4 }, (_, i) => ({ path: `package/r${i}.bin`, body: randomBytes(300_000) }));
    const details = await expectRefused(tgzOf(parts), 'WARDEN_E_ARCHIVE_BOMB', { maxExpandedBytes: 700_000, maxTotalBytes: 10_000_000 });
    expect(details?.expandedBytes as number).toBeLessThan(1_000_000);
  });

  it('a header declaring a 1 GiB file is refused before its data is read', async () => {
    const details = await expectRefused(declaredHugeFile(1024 ** 3), 'WARDEN_E_ARCHIVE_FILE_TOO_LARGE');
    expect(details).toMatchObject({ size: 1024 ** 3 });
  });

  it('garbage, truncated and empty archives', async () => {
    await expectRefused(Buffer.from('not a gzip at all'), 'WARDEN_E_ARCHIVE_CORRUPT');
    const good = tgzOf(legitimateEntries());
    await expectRefused(good.subarray(0, Math.floor(good.length / 2)), 'WARDEN_E_ARCHIVE_CORRUPT');
    await expectRefused(tgzOf([{ path: 'package/', type: 'Directory' }]), 'WARDEN_E_ARCHIVE_CORRUPT');
  });
});
