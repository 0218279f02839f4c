import { sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { WardenError } from './errors.js';
import type { PrivateKeyInfo, PublicKeyInfo } from './keys.js';

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse, protocol v1). */
export interface DsseEnvelope {
  payloadType: string;
  payload: string; // standard base64
  signatures: DsseSignature[];
}

export interface DsseSignature {
  keyid: string;
  sig: string; // standard base64
}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export const ENVELOPE_LIMITS = {
  maxBytes: 1024 * 1024,
  maxSignatures: 16,
} as const;

/** DSSE Pre-Authentication Encoding: the exact bytes that are signed. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const head = Buffer.from(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `, 'utf8');
  return Buffer.concat([head, payload]);
}

export function signEnvelope(payloadType: string, payload: Uint8Array, signers: PrivateKeyInfo[]): DsseEnvelope {
  const message = pae(payloadType, payload);
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: signers.map((s) => ({ keyid: s.keyid, sig: cryptoSign(null, message, s.key).toString('base64') })),
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function malformed(detail: string, where: string): WardenError {
  return new WardenError('WARDEN_E_ENVELOPE_MALFORMED', `The signature envelope is malformed: ${detail}. Re-create it with \`warden sign\`.`, { where });
}

function decodeBase64(value: unknown, field: string, where: string): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value)) throw malformed(`${field} is not standard base64`, where);
  return Buffer.from(value, 'base64');
}

/**
 * Parses untrusted envelope text strictly: size, JSON, shape, base64. It does not check
 * signatures; use verifyEnvelope for that.
 */
export function parseEnvelope(text: string | Uint8Array, where = 'envelope'): DsseEnvelope {
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (size === 0) throw new WardenError('WARDEN_E_INPUT_EMPTY', 'The signature file is empty; give the .dsse.json written by `warden sign`.', { where });
  if (size > ENVELOPE_LIMITS.maxBytes) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The signature file is over ${ENVELOPE_LIMITS.maxBytes} bytes.`, { where });
  let doc: unknown;
  try {
    doc = JSON.parse(typeof text === 'string' ? text : Buffer.from(text).toString('utf8'));
  } catch {
    throw malformed('it is not valid JSON (truncated or not an envelope)', where);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed('it is not a JSON object', where);
  const env = doc as Record<string, unknown>;
  if (typeof env.payloadType !== 'string' || env.payloadType.length === 0 || env.payloadType.length > 256) throw malformed('payloadType is missing', where);
  decodeBase64(env.payload, 'payload', where);
  if (!Array.isArray(env.signatures) || env.signatures.length === 0) throw malformed('it has no signatures', where);
  if (env.signatures.length > ENVELOPE_LIMITS.maxSignatures) throw malformed(`it has more than ${ENVELOPE_LIMITS.maxSignatures} signatures`, where);
  const signatures: DsseSignature[] = env.signatures.map((s, i) => {
    const sig = s as Record<string, unknown> | null;
    if (typeof sig !== 'object' || sig === null) throw malformed(`signatures[${i}] is not an object`, where);
    const keyid = sig.keyid ?? '';
    if (typeof keyid !== 'string' || keyid.length > 256) throw malformed(`signatures[${i}].keyid is not a string`, where);
    decodeBase64(sig.sig, `signatures[${i}].sig`, where);
    return { keyid, sig: sig.sig as string };
  });
  return { payloadType: env.payloadType, payload: env.payload as string, signatures };
}

export interface VerifiedEnvelope {
  payload: Buffer;
  /** keyid of the trusted key whose signature verified. */
  keyid: string;
}

/**
 * Verifies that at least one signature was made by one of the trusted keys over PAE(type, payload).
 * Order (fail closed, early): payload type → a signature whose keyid is trusted → signature bytes.
 */
export function verifyEnvelope(env: DsseEnvelope, trusted: PublicKeyInfo[], opts: { payloadType?: string; where?: string } = {}): VerifiedEnvelope {
  const where = opts.where ?? 'envelope';
  const expectedType = opts.payloadType ?? IN_TOTO_PAYLOAD_TYPE;
  if (env.payloadType !== expectedType) {
    throw new WardenError('WARDEN_E_PAYLOAD_TYPE', `The envelope's payloadType is "${env.payloadType.slice(0, 80)}", expected "${expectedType}".`, { where });
  }
  const payload = Buffer.from(env.payload, 'base64');
  const message = pae(env.payloadType, payload);
  const byId = new Map(trusted.map((k) => [k.keyid, k] as const));
  // keyid is an unauthenticated hint: an empty keyid is tried against every trusted key.
  const candidates = env.signatures.flatMap((s) =>
    s.keyid === '' ? trusted.map((k) => ({ s, k })) : byId.has(s.keyid) ? [{ s, k: byId.get(s.keyid)! }] : [],
  );
  if (candidates.length === 0) {
    const ids = env.signatures.map((s) => s.keyid.slice(0, 16) || '(none)').join(', ');
    throw new WardenError('WARDEN_E_KEY_UNKNOWN', `The envelope is signed by key ${ids}…, which is not a trusted key here. Check you have the publisher's public key.`, { where, details: { keyids: env.signatures.map((s) => s.keyid) } });
  }
  for (const { s, k } of candidates) {
    if (cryptoVerify(null, message, k.key, Buffer.from(s.sig, 'base64'))) return { payload, keyid: k.keyid };
  }
  throw new WardenError('WARDEN_E_SIG_MISMATCH', 'The signature does not verify with the trusted key: the envelope was altered after signing or signed by another key.', { where });
}
