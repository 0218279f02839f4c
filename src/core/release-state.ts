/**
 * The market's signed word on a release's mutable state: its status (published, yanked, taken
 * down), the module's latest version, and the publisher keys its org has revoked. Signed on every
 * request with the market key and dated, so a mirror or proxy in front of the market can neither
 * flip a taken-down release back to published, hide a key revocation, nor replay an old answer
 * for longer than `maxAgeMs` (the same freeze-attack defence as TUF's timestamp role, at a
 * smaller scale). Pure: signing and verifying only.
 */
import { signEnvelope, verifyEnvelope, type DsseEnvelope } from './dsse.js';
import { WardenError, isWardenError } from './errors.js';
import { formatRef, type ModuleRef } from './ref.js';
import type { PrivateKeyInfo, PublicKeyInfo } from './keys.js';

export const RELEASE_STATE_PAYLOAD_TYPE = 'application/vnd.warden.release-state+json';

export interface ReleaseState {
  /** `org/name@version`. */
  ref: string;
  status: string;
  latestVersion: string | null;
  /** Keyids of the org's publisher keys that are revoked. */
  revokedKeyids: string[];
  /** When the market signed this (ISO 8601). */
  issuedAt: string;
}

export interface ReleaseStateCheck {
  marketKeys: PublicKeyInfo[];
  expectedRef: ModuleRef;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: number;
  /** Oldest answer accepted (default 10 minutes: covers clock skew and slow links). */
  maxAgeMs?: number;
}

const DEFAULT_MAX_AGE_MS = 10 * 60_000;

export function signReleaseState(state: ReleaseState, key: PrivateKeyInfo): DsseEnvelope {
  return signEnvelope(RELEASE_STATE_PAYLOAD_TYPE, Buffer.from(JSON.stringify(state), 'utf8'), [key]);
}

function stateError(message: string, where: string, cause?: unknown, details?: Record<string, unknown>): WardenError {
  return new WardenError('WARDEN_E_RELEASE_STATE', message, { where, ...(cause ? { cause } : {}), ...(details ? { details } : {}) });
}

/**
 * Verifies a signed release state: market key, this exact ref, well-formed, issued within
 * `maxAgeMs` of now (and not from the future by more than that). A signature by a key not
 * trusted is WARDEN_E_KEY_UNKNOWN, like any market signature; every other failure is
 * WARDEN_E_RELEASE_STATE.
 */
export function verifyReleaseState(envelope: DsseEnvelope, check: ReleaseStateCheck, where = 'release state'): { state: ReleaseState; marketKeyid: string } {
  let verified;
  try {
    verified = verifyEnvelope(envelope, check.marketKeys, { payloadType: RELEASE_STATE_PAYLOAD_TYPE, where });
  } catch (err) {
    // Signed by a key this machine does not trust: the same answer as for any market signature.
    if (isWardenError(err) && err.code === 'WARDEN_E_KEY_UNKNOWN') throw err;
    if (isWardenError(err)) throw stateError(`The market's signed release state does not verify: ${err.message}`, where, err, { check: err.code });
    throw err;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(verified.payload.toString('utf8'));
  } catch (err) {
    throw stateError('The signed release state is not JSON.', where, err);
  }
  const s = doc as Partial<ReleaseState> | null;
  const ok =
    s !== null && typeof s === 'object' && typeof s.ref === 'string' && typeof s.status === 'string' && s.status.length <= 64 &&
    (s.latestVersion === null || typeof s.latestVersion === 'string') && typeof s.issuedAt === 'string' &&
    Array.isArray(s.revokedKeyids) && s.revokedKeyids.length <= 256 && s.revokedKeyids.every((k) => typeof k === 'string');
  if (!ok) throw stateError('The signed release state is malformed.', where);
  const state = s as ReleaseState;
  const expected = formatRef(check.expectedRef);
  if (state.ref !== expected) throw stateError(`The signed release state is for ${state.ref.slice(0, 200)}, not ${expected}.`, where);
  const issued = Date.parse(state.issuedAt);
  const now = check.now ?? Date.now();
  const maxAge = check.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  if (!Number.isFinite(issued) || now - issued > maxAge || issued - now > maxAge) {
    throw stateError(
      `The signed release state was issued at ${state.issuedAt.slice(0, 40)}, not within ${Math.round(maxAge / 60_000)} minutes of this machine's clock: a replayed (frozen) answer, or a clock that is off.`,
      where,
      undefined,
      { issuedAt: state.issuedAt },
    );
  }
  return { state, marketKeyid: verified.keyid };
}
