import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ioError } from './errors.js';

/** The digests Warden records for every artifact: lowercase hex. */
export interface Digests {
  sha256: string;
  sha512: string;
}

export interface DigestResult extends Digests {
  size: number;
}

/** Hashes a stream of chunks with sha256 and sha512 in one pass (each chunk read once). */
export class DualHasher {
  readonly #sha256: Hash = createHash('sha256');
  readonly #sha512: Hash = createHash('sha512');
  #size = 0;

  update(chunk: Uint8Array): void {
    this.#sha256.update(chunk);
    this.#sha512.update(chunk);
    this.#size += chunk.length;
  }

  digest(): DigestResult {
    return { sha256: this.#sha256.digest('hex'), sha512: this.#sha512.digest('hex'), size: this.#size };
  }
}

// 1 MiB reads: large enough that per-chunk overhead vanishes next to hashing cost.
const READ_CHUNK = 1 << 20;

export async function digestFile(path: string): Promise<DigestResult> {
  const hasher = new DualHasher();
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) hasher.update(chunk as Buffer);
  } catch (err) {
    throw ioError('read', path, err);
  }
  return hasher.digest();
}

export function digestBytes(bytes: Uint8Array): DigestResult {
  const hasher = new DualHasher();
  hasher.update(bytes);
  return hasher.digest();
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

export function isDigests(value: unknown): value is Digests {
  const d = value as Partial<Digests> | null;
  return typeof d === 'object' && d !== null && typeof d.sha256 === 'string' && HEX64.test(d.sha256) && typeof d.sha512 === 'string' && HEX128.test(d.sha512);
}
