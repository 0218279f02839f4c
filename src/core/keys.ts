import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { WardenError } from './errors.js';
import { sha256Hex } from './digest.js';

/** An Ed25519 public key with its Warden keyid (hex sha256 of the SPKI DER). */
export interface PublicKeyInfo {
  keyid: string;
  key: KeyObject;
  pem: string;
}

export interface PrivateKeyInfo {
  keyid: string;
  key: KeyObject;
  publicKey: PublicKeyInfo;
}

export interface GeneratedKeyPair {
  keyid: string;
  privatePem: string;
  publicPem: string;
}

const MAX_PEM_BYTES = 16 * 1024;

export function keyidOf(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));
}

export function generateEd25519(): GeneratedKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    keyid: keyidOf(publicKey),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

function checkPemText(pem: string, where: string): void {
  if (pem.length === 0) throw new WardenError('WARDEN_E_INPUT_EMPTY', 'The key file is empty; give an Ed25519 PEM key.', { where });
  if (pem.length > MAX_PEM_BYTES) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The key file is larger than ${MAX_PEM_BYTES} bytes; it is not a key.`, { where });
}

function requireEd25519(key: KeyObject, where: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new WardenError('WARDEN_E_KEY_INVALID', `The key is ${key.asymmetricKeyType ?? 'not asymmetric'}, but Warden keys are Ed25519. Create one with \`warden keygen\`.`, { where });
  }
}

/** Parses an SPKI PEM public key. A private key here is refused: it must never be passed around as if public. */
export function parsePublicKey(pem: string, where = 'public key'): PublicKeyInfo {
  checkPemText(pem, where);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    throw new WardenError('WARDEN_E_KEY_NOT_PUBLIC', 'This is a private key, but a public key is expected. Give the .pub.pem file (and keep the private key secret).', { where });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new WardenError('WARDEN_E_KEY_INVALID', 'The file is not a PEM public key (SPKI). Give the .pub.pem file written by `warden keygen`.', { where, cause });
  }
  requireEd25519(key, where);
  return { keyid: keyidOf(key), key, pem: key.export({ type: 'spki', format: 'pem' }) as string };
}

/** Parses a PKCS#8 PEM private key. */
export function parsePrivateKey(pem: string, where = 'private key'): PrivateKeyInfo {
  checkPemText(pem, where);
  if (/-----BEGIN PUBLIC KEY-----/.test(pem)) {
    throw new WardenError('WARDEN_E_KEY_NOT_PRIVATE', 'This is a public key, but signing needs the private key (.key.pem).', { where });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (cause) {
    const encrypted = /ENCRYPTED/.test(pem);
    const msg = encrypted
      ? 'The private key is encrypted; Warden reads unencrypted PKCS#8 keys (protect the file with mode 0600 or a secret store).'
      : 'The file is not a PEM private key (PKCS#8). Give the .key.pem file written by `warden keygen`.';
    throw new WardenError('WARDEN_E_KEY_INVALID', msg, { where, cause });
  }
  requireEd25519(key, where);
  const pub = createPublicKey(key);
  const publicKey: PublicKeyInfo = { keyid: keyidOf(pub), key: pub, pem: pub.export({ type: 'spki', format: 'pem' }) as string };
  return { keyid: publicKey.keyid, key, publicKey };
}
