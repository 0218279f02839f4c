import { closeSync, createReadStream, existsSync, fstatSync, mkdirSync, openSync, readSync, createWriteStream, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { WardenError } from '../../core/errors.js';
import type { AuditKeyRing } from './keyring.js';
import { GENESIS, lineHash, openRecord, parseLine, sealRecord, type AuditLine } from './record.js';

const TAIL_BYTES = 64 * 1024;

/** Reads the last complete line of a file (the chain head), or undefined for an empty file. */
function lastLine(file: string): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return undefined;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const text = buf.toString('utf8');
    if (!text.endsWith('\n')) {
      throw new WardenError('WARDEN_E_AUDIT_TAMPERED', `The audit file ${file} ends with a partial line (crash or truncation). Verify it, move it aside and start a new file.`, { where: file });
    }
    const lines = text.slice(0, -1).split('\n');
    return lines[lines.length - 1];
  } finally {
    closeSync(fd);
  }
}

/** Appends sealed, chained records. Writes are ordered; `close()` flushes. */
export class AuditWriter {
  #seq: number;
  #prev: string;
  readonly #out: WriteStream;
  readonly #ring: AuditKeyRing;
  #failed: Error | undefined;

  private constructor(file: string, ring: AuditKeyRing, seq: number, prev: string) {
    this.#ring = ring;
    this.#seq = seq;
    this.#prev = prev;
    this.#out = createWriteStream(file, { flags: 'a', mode: 0o600 });
    this.#out.on('error', (e) => (this.#failed = e));
  }

  static open(file: string, ring: AuditKeyRing): AuditWriter {
    mkdirSync(dirname(file), { recursive: true });
    let seq = 0;
    let prev = GENESIS;
    if (existsSync(file)) {
      const last = lastLine(file);
      if (last !== undefined) {
        const l = parseLine(last, `${file}:last`);
        if (lineHash(l) !== l.hash) throw new WardenError('WARDEN_E_AUDIT_TAMPERED', `The last record of ${file} does not match its hash.`, { where: file });
        seq = l.seq + 1;
        prev = l.hash;
      }
    }
    return new AuditWriter(file, ring, seq, prev);
  }

  append(event: unknown): void {
    if (this.#failed) throw new WardenError('WARDEN_E_IO', `Cannot write the audit file: ${this.#failed.message}.`, { cause: this.#failed });
    const line = sealRecord(event, this.#seq, this.#prev, this.#ring);
    this.#seq++;
    this.#prev = line.hash;
    // Lines of one tick go out in one write (ordered; the chain state above is already advanced).
    if (this.#queue.length === 0) setImmediate(() => this.#flush());
    this.#queue.push(JSON.stringify(line) + '\n');
  }

  #queue: string[] = [];

  #flush(): void {
    if (this.#queue.length === 0) return;
    const text = this.#queue.join('');
    this.#queue = [];
    this.#out.write(text);
  }

  get head(): { seq: number; hash: string } {
    return { seq: this.#seq, hash: this.#prev };
  }

  close(): Promise<void> {
    this.#flush();
    return new Promise((resolve) => this.#out.end(resolve));
  }
}

export interface VerifyReport {
  ok: boolean;
  records: number;
  head: string;
  keyIds: string[];
  /** First problem found (1-based line number), when not ok. */
  error?: { line: number; code: string; message: string };
}

async function* lines(file: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const l of rl) yield l;
}

/**
 * Walks the file, checking sequence numbers and the hash chain; with a key ring also decrypts and
 * authenticates every record. Stops at the first problem and says where.
 */
export async function verifyAuditFile(file: string, ring?: AuditKeyRing): Promise<VerifyReport> {
  let prev = GENESIS;
  let n = 0;
  const kids = new Set<string>();
  try {
    for await (const text of lines(file)) {
      const where = `${file}:${n + 1}`;
      const l = parseLine(text, where);
      if (l.seq !== n) throw new WardenError('WARDEN_E_AUDIT_TAMPERED', `Record ${n + 1} has seq ${l.seq}, expected ${n}: records were removed or reordered.`, { where });
      if (l.prev !== prev) throw new WardenError('WARDEN_E_AUDIT_TAMPERED', `Record ${n + 1} does not chain to the previous record.`, { where });
      if (lineHash(l) !== l.hash) throw new WardenError('WARDEN_E_AUDIT_TAMPERED', `Record ${n + 1} does not match its hash: it was altered.`, { where });
      if (ring) openRecord(l, ring, where);
      kids.add(l.kid);
      prev = l.hash;
      n++;
    }
  } catch (err) {
    if (err instanceof WardenError) return { ok: false, records: n, head: prev, keyIds: [...kids], error: { line: n + 1, code: err.code, message: err.message } };
    throw err;
  }
  return { ok: true, records: n, head: prev, keyIds: [...kids] };
}

/** Decrypts every record in order (verifying as it goes); throws at the first bad record. */
export async function* readAuditFile(file: string, ring: AuditKeyRing): AsyncGenerator<{ seq: number; kid: string; event: unknown }> {
  let prev = GENESIS;
  let n = 0;
  for await (const text of lines(file)) {
    const where = `${file}:${n + 1}`;
    const l: AuditLine = parseLine(text, where);
    if (l.seq !== n || l.prev !== prev || lineHash(l) !== l.hash) {
      throw new WardenError('WARDEN_E_AUDIT_TAMPERED', `Record ${n + 1} breaks the hash chain.`, { where });
    }
    yield { seq: l.seq, kid: l.kid, event: openRecord(l, ring, where) };
    prev = l.hash;
    n++;
  }
}
