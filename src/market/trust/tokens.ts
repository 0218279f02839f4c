import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../core/digest.js';
import { constantTimeEqual } from '../../core/secure-compare.js';

export type Role = 'admin' | 'reviewer' | 'publisher';
export const ROLES: readonly Role[] = ['admin', 'reviewer', 'publisher'];

/**
 * Token text: `wdn_<id>_<secret>`. The id (64 bit, public, used to look the row up and to revoke)
 * and the secret (256 bit) are random; only sha256(secret) is stored.
 */
const TOKEN_RE = /^wdn_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewToken {
  id: string;
  token: string;
  secretHash: string;
}

export function mintToken(): NewToken {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `wdn_${id}_${secret}`, secretHash: sha256Hex(secret) };
}

export function splitToken(token: string): { id: string; secret: string } | undefined {
  const m = TOKEN_RE.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  return constantTimeEqual(sha256Hex(secret), storedHash);
}
