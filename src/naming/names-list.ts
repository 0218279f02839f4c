import { WardenError } from '../core/errors.js';
import { MAX_NAME_LENGTH } from './parse-name.js';
import type { NameEntry } from './name-index.js';

/** Limits of the names-list format. */
export const NAMES_LIST_LIMITS = { maxBytes: 256 * 1024 * 1024, maxEntries: 5_000_000 } as const;

/**
 * Parses the names-list format: one name per line, optionally `name<TAB>weight`; `#` starts a
 * comment (whole line or after the name); blank lines are skipped. Pure: the caller reads the file.
 */
export function parseNamesList(text: string, where = 'names list'): NameEntry[] {
  if (text.length > NAMES_LIST_LIMITS.maxBytes) {
    throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The names list is over ${NAMES_LIST_LIMITS.maxBytes} bytes; split it.`, { where });
  }
  const out: NameEntry[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    const hash = line.indexOf('#');
    if (hash >= 0) line = line.slice(0, hash);
    line = line.replace(/\r$/, '').trim();
    if (line.length === 0) continue;
    const fields = line.split('\t').map((f) => f.trim()).filter((f) => f.length > 0);
    if (fields.length > 2 || (fields.length === 1 && /\s/.test(fields[0]!))) {
      throw new WardenError('WARDEN_E_NAME_LIST_SYNTAX', `Line ${lineNo} is not "name" or "name<TAB>weight".`, { where: `${where}:${lineNo}` });
    }
    const name = fields[0]!;
    if (name.length > MAX_NAME_LENGTH) {
      throw new WardenError('WARDEN_E_NAME_LIST_SYNTAX', `Line ${lineNo}: the name is longer than ${MAX_NAME_LENGTH} characters.`, { where: `${where}:${lineNo}` });
    }
    const entry: NameEntry = { name };
    if (fields.length === 2) {
      const w = fields[1]!;
      if (!/^\d+(\.\d+)?$/.test(w) || !Number.isFinite(Number(w))) {
        throw new WardenError('WARDEN_E_NAME_LIST_SYNTAX', `Line ${lineNo}: the weight "${w.slice(0, 40)}" is not a non-negative number.`, { where: `${where}:${lineNo}` });
      }
      entry.weight = Number(w);
    }
    out.push(entry);
    if (out.length > NAMES_LIST_LIMITS.maxEntries) {
      throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The names list has more than ${NAMES_LIST_LIMITS.maxEntries} names; split it.`, { where });
    }
    if (end === text.length) break;
  }
  return out;
}
