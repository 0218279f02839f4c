import { signEnvelope, IN_TOTO_PAYLOAD_TYPE, type DsseEnvelope } from '../../core/dsse.js';
import { buildStatement, WARDEN_RELEASE_PREDICATE } from '../../core/statement.js';
import { verifyArtifactEnvelope } from '../../core/verify-release.js';
import { WardenError, isWardenError } from '../../core/errors.js';
import type { Digests } from '../../core/digest.js';
import type { PrivateKeyInfo, PublicKeyInfo } from '../../core/keys.js';
import type { ModuleRef } from '../../core/ref.js';

/** What the market vouches for when it countersigns an accepted release. */
export interface ReleasePredicate {
  ref: string;
  publisherKeyid: string;
  scan: { status: 'ran' | 'not-run'; summary?: Record<string, number>; findings?: number };
  naming: { status: 'ran' | 'not-run'; verdict?: string };
  rating: string | null;
  score: number | null;
  status: 'accepted';
  logIndex: number;
  time: string;
}

export function countersign(ref: string, digests: Digests, predicate: ReleasePredicate, key: PrivateKeyInfo): DsseEnvelope {
  const statement = buildStatement(ref, digests, WARDEN_RELEASE_PREDICATE, predicate);
  return signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement), 'utf8'), [key]);
}

export interface VerifiedRelease {
  marketKeyid: string;
  predicate: ReleasePredicate;
}

/**
 * Verifies a market countersignature: signed by the market key, over the expected ref and these
 * digests, and naming the publisher key that signed the publish envelope. Every failure is
 * reported as WARDEN_E_MARKET_COUNTERSIG with the underlying check as cause.
 */
export function verifyCountersignature(envelope: DsseEnvelope, digests: Digests, opts: { marketKey: PublicKeyInfo; expectedRef: ModuleRef; publisherKeyid: string }, where = 'countersignature'): VerifiedRelease {
  let verified;
  try {
    verified = verifyArtifactEnvelope(envelope, digests, { trustedKeys: [opts.marketKey], expectedRef: opts.expectedRef, predicateType: WARDEN_RELEASE_PREDICATE }, where);
  } catch (err) {
    if (isWardenError(err)) throw new WardenError('WARDEN_E_MARKET_COUNTERSIG', `The market countersignature does not verify: ${err.message}`, { where, cause: err, details: { check: err.code } });
    throw err;
  }
  const predicate = verified.statement.predicate as unknown as ReleasePredicate;
  if (predicate.publisherKeyid !== opts.publisherKeyid) {
    throw new WardenError('WARDEN_E_MARKET_COUNTERSIG', `The market vouched for publisher key ${String(predicate.publisherKeyid).slice(0, 16)}…, but the publish envelope verified with ${opts.publisherKeyid.slice(0, 16)}….`, { where });
  }
  if (predicate.status !== 'accepted' || !Number.isInteger(predicate.logIndex)) {
    throw new WardenError('WARDEN_E_MARKET_COUNTERSIG', 'The market countersignature does not record an accepted release with a log index.', { where });
  }
  return { marketKeyid: verified.keyid, predicate };
}
