import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WardenError, ioError } from './errors.js';
import { readInputFile } from './input-file.js';
import { generateEd25519, parsePrivateKey, parsePublicKey, type PrivateKeyInfo, type PublicKeyInfo } from './keys.js';

const MAX_KEY_FILE = 16 * 1024;

export async function readPublicKeyFile(path: string): Promise<PublicKeyInfo> {
  return parsePublicKey((await readInputFile(path, 'public key', MAX_KEY_FILE)).toString('utf8'), path);
}

export async function readPrivateKeyFile(path: string): Promise<PrivateKeyInfo> {
  return parsePrivateKey((await readInputFile(path, 'private key', MAX_KEY_FILE)).toString('utf8'), path);
}

export interface KeygenResult {
  keyid: string;
  privateKeyFile: string;
  publicKeyFile: string;
}

/**
 * Writes a new Ed25519 key pair into `dir` as `<name>.key.pem` (0600) and `<name>.pub.pem`.
 * Never overwrites; if the second file cannot be written the first is removed again.
 */
export async function writeNewKeyPair(dir: string, name = 'warden'): Promise<KeygenResult> {
  const pair = generateEd25519();
  const privateKeyFile = join(dir, `${name}.key.pem`);
  const publicKeyFile = join(dir, `${name}.pub.pem`);
  for (const f of [privateKeyFile, publicKeyFile]) {
    try {
      await stat(f);
      throw new WardenError('WARDEN_E_KEY_EXISTS', `${f} already exists; keygen never overwrites keys. Choose another --out folder or --name.`, { where: f });
    } catch (err) {
      if (err instanceof WardenError) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('check', f, err);
    }
  }
  const written: string[] = [];
  try {
    for (const [file, data, mode] of [[privateKeyFile, pair.privatePem, 0o600], [publicKeyFile, pair.publicPem, 0o644]] as const) {
      // 'wx' fails if the file appeared meanwhile; the mode applies at creation, before any byte is written.
      const fh = await open(file, 'wx', mode);
      written.push(file);
      try {
        await fh.writeFile(data);
        await fh.chmod(mode);
      } finally {
        await fh.close();
      }
    }
  } catch (err) {
    await Promise.all(written.map((f) => rm(f, { force: true })));
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new WardenError('WARDEN_E_KEY_EXISTS', `A key file appeared in ${dir} while writing; nothing was kept.`, { where: dir, cause: err });
    throw ioError('write keys into', dir, err);
  }
  return { keyid: pair.keyid, privateKeyFile, publicKeyFile };
}
