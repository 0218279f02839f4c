import { readFile, stat } from 'node:fs/promises';
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
