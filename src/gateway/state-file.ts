import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { WardenError } from '../core/errors.js';

const MAX_STATE_BYTES = 16 * 1024 * 1024;

/**
 * A small JSON document in the gateway state folder (API keys, revocations, tool pins), written
 * atomically with mode 0600 by the CLI and re-read by running gateways when its mtime changes
 * (checked at most every `recheckMs`), so a revocation or approval reaches every instance that
 * shares the folder within about a second.
 */
export class JsonStateFile<T> {
  readonly #file: string;
  readonly #empty: () => T;
  readonly #recheckMs: number;
  #value: T | undefined;
  #mtimeMs = -1;
  #checkedAt = 0;

  constructor(file: string, empty: () => T, recheckMs = 1000) {
    this.#file = file;
    this.#empty = empty;
    this.#recheckMs = recheckMs;
  }

  get file(): string {
    return this.#file;
  }

  /** The current document (cached; re-read when the file changed). */
  get(now = Date.now()): T {
    if (this.#value !== undefined && now - this.#checkedAt < this.#recheckMs) return this.#value;
    this.#checkedAt = now;
    let mtime: number;
    try {
      mtime = statSync(this.#file).mtimeMs;
    } catch {
      this.#value = this.#empty();
      this.#mtimeMs = -1;
      return this.#value;
    }
    if (this.#value === undefined || mtime !== this.#mtimeMs) {
      this.#value = this.#read();
      this.#mtimeMs = mtime;
    }
    return this.#value;
  }

  #read(): T {
    const text = readFileSync(this.#file, 'utf8');
    if (text.length > MAX_STATE_BYTES) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `State file ${this.#file} exceeds 16 MiB.`, { where: this.#file });
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new WardenError('WARDEN_E_GW_CONFIG', `State file ${this.#file} is not JSON; restore it from backup.`, { where: this.#file, cause });
    }
  }

  /** Read-modify-write (callers are the CLI; one writer at a time is assumed). */
  update(fn: (doc: T) => void): T {
    this.#checkedAt = 0;
    const doc = structuredClone(this.get(Date.now() + this.#recheckMs + 1));
    fn(doc);
    mkdirSync(dirname(this.#file), { recursive: true, mode: 0o700 });
    const tmp = `${this.#file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.#file);
    this.#value = doc;
    this.#mtimeMs = statSync(this.#file).mtimeMs;
    return doc;
  }
}
