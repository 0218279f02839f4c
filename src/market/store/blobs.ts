import { open, mkdir, rename, rm, readFile, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { ioError } from '../../core/errors.js';

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Content-addressed artifact storage: `blobs/sha256/ab/cdef…`. A blob is written to a temp file,
 * fsynced, renamed into place and the folder fsynced, all before the database row that refers to
 * it commits. A crash in between leaves an orphan blob (harmless, removable by `gc`), never a row
 * without its bytes.
 */
export class BlobStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'blobs', 'sha256');
  }

  pathOf(sha256: string): string {
    if (!HEX64.test(sha256)) throw new TypeError('blob id must be lowercase hex sha256');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  /** Writes the bytes durably under their sha256 (the caller computed it from these bytes). */
  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const final = this.pathOf(sha256);
    if (await this.has(sha256)) return; // same address, same bytes
    const dir = dirname(final);
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw ioError('create', dir, err);
    }
    const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      const fh = await open(tmp, 'wx', 0o644);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, final);
      const dh = await open(dir, 'r');
      try {
        await dh.sync();
      } finally {
        await dh.close();
      }
    } catch (err) {
      await rm(tmp, { force: true });
      throw ioError('write the blob', final, err);
    }
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw ioError('read the blob', this.pathOf(sha256), err);
    }
  }
}
