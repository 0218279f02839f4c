import { readFile, stat } from 'node:fs/promises';
import { WardenError, ioError } from './errors.js';

/**
 * Checks a file given as input (artifact, envelope, key): it exists, is a regular file, is not
 * empty and (when a limit is given) not larger than it. Returns its size.
 */
export async function checkInputFile(path: string, what: string, maxBytes?: number): Promise<number> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    throw ioError(`read the ${what}`, path, err);
  }
  if (!st.isFile()) throw new WardenError('WARDEN_E_IO', `${path} is not a file; give the ${what}.`, { where: path });
  if (st.size === 0) throw new WardenError('WARDEN_E_INPUT_EMPTY', `The ${what} ${path} is empty (0 bytes); give the file written by Warden.`, { where: path });
  if (maxBytes !== undefined && st.size > maxBytes) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The ${what} ${path} is over ${maxBytes} bytes.`, { where: path });
  return st.size;
}

/** checkInputFile, then the bytes. */
export async function readInputFile(path: string, what: string, maxBytes: number): Promise<Buffer> {
  await checkInputFile(path, what, maxBytes);
  try {
    return await readFile(path);
  } catch (err) {
    throw ioError(`read the ${what}`, path, err);
  }
}
