import semver from 'semver';
import { WardenError } from '../core/errors.js';
import { verifyEnvelope, type DsseEnvelope } from '../core/dsse.js';
import { parseStatement, WARDEN_PUBLISH_PREDICATE, WARDEN_RELEASE_PREDICATE, type Statement } from '../core/statement.js';
import { assertDigestsMatch, assertSubjectIs } from '../core/verify-release.js';
import { parsePublicKey, type PublicKeyInfo } from '../core/keys.js';
import { formatRef, type ModuleRef } from '../core/ref.js';
import type { Digests } from '../core/digest.js';
import type { ReleasePredicate } from '../core/countersignature.js';
import { verifyReleaseState } from '../core/release-state.js';

/** Everything fetched from the market for one release; nothing here is trusted yet. */
export interface ReleaseBundle {
  ref: ModuleRef;
  publisherEnvelope: DsseEnvelope;
  marketEnvelope: DsseEnvelope;
  /** The org's keys as the market serves them (revoked ones included, flagged). */
  orgKeys: Array<{ keyid: string; pem: string; revoked: boolean }>;
  /** The market's signed, dated release state: status, latest version, revoked keys. */
  stateEnvelope: DsseEnvelope;
}

/** What this machine trusts and remembers: a value handed in, never a global. */
export interface InstallPolicy {
  /** The market's key(s): pinned on first use or given by the operator. */
  marketKeys: PublicKeyInfo[];
  /** Highest version of this module installed or seen as latest here; older ones are rollbacks. */
  highestSeen?: string;
  allowDowngrade?: boolean;
  /** Now, in ms since the epoch (the signed state's freshness is judged against it); for tests. */
  now?: number;
}

export interface VerifiedBundle {
  marketKeyid: string;
  publisherKeyid: string;
  release: ReleasePredicate;
  publishStatement: Statement;
  /** The latest version of the module, as the market signed it just now. */
  latestVersion: string | null;
}

const BLOCKED_STATUSES = new Set(['yanked', 'taken-down', 'takendown', 'removed', 'deleted']);

/**
 * Verifies a release before a byte of it is extracted, in this order (each step assumes the
 * previous passed): the market's signed, fresh release state for exactly this ref → its status
 * (not yanked or taken down) → market countersignature → publisher signature by a registered
 * org key that neither the served key list nor the signed state calls revoked → both statements
 * name exactly this ref → both statements' digests equal the artifact's → the market vouches for
 * that publisher key → no rollback. Status and revocations come from the signed state, so a
 * mirror that rewrites the unsigned metadata cannot un-take-down a release or hide a revocation.
 */
export function verifyReleaseBundle(bundle: ReleaseBundle, actual: Digests, policy: InstallPolicy): VerifiedBundle {
  const { state } = verifyReleaseState(bundle.stateEnvelope, { marketKeys: policy.marketKeys, expectedRef: bundle.ref, ...(policy.now !== undefined ? { now: policy.now } : {}) });
  if (BLOCKED_STATUSES.has(state.status)) {
    throw new WardenError('WARDEN_E_RELEASE_UNAVAILABLE', `${formatRef(bundle.ref)} is ${state.status} on the market; it cannot be installed.`, { where: 'release status' });
  }
  const market = verifyEnvelope(bundle.marketEnvelope, policy.marketKeys, { where: 'market countersignature' });
  const release = parseStatement(market.payload, WARDEN_RELEASE_PREDICATE, 'market countersignature');

  const revokedBySignedState = new Set(state.revokedKeyids);
  const keys = bundle.orgKeys.map((k) => ({ ...k, revoked: k.revoked || revokedBySignedState.has(k.keyid), info: parsePublicKey(k.pem, `org key ${k.keyid.slice(0, 16)}`) }));
  for (const k of keys) {
    if (k.info.keyid !== k.keyid) throw new WardenError('WARDEN_E_MARKET_RESPONSE', `The market listed key ${k.keyid.slice(0, 16)}… with a PEM whose keyid is ${k.info.keyid.slice(0, 16)}….`, { where: 'org keys' });
  }
  const active = keys.filter((k) => !k.revoked).map((k) => k.info);
  let publisher;
  try {
    publisher = verifyEnvelope(bundle.publisherEnvelope, active, { where: 'publisher signature' });
  } catch (err) {
    const signedBy = new Set(bundle.publisherEnvelope.signatures.map((s) => s.keyid));
    const revoked = keys.find((k) => k.revoked && signedBy.has(k.keyid));
    if (err instanceof WardenError && err.code === 'WARDEN_E_KEY_UNKNOWN' && revoked) {
      throw new WardenError('WARDEN_E_PUBLISHER_KEY_REVOKED', `The release is signed by key ${revoked.keyid.slice(0, 16)}…, which ${bundle.ref.org} has revoked.`, { where: 'publisher signature', cause: err });
    }
    throw err;
  }
  const publish = parseStatement(publisher.payload, WARDEN_PUBLISH_PREDICATE, 'publisher signature');

  assertSubjectIs(release, bundle.ref, 'market countersignature');
  assertSubjectIs(publish, bundle.ref, 'publisher signature');
  assertDigestsMatch(release, actual, 'market countersignature');
  assertDigestsMatch(publish, actual, 'publisher signature');

  const predicate = release.predicate as unknown as ReleasePredicate;
  if (predicate.publisherKeyid !== publisher.keyid) {
    throw new WardenError('WARDEN_E_MARKET_COUNTERSIG', `The market vouched for publisher key ${String(predicate.publisherKeyid).slice(0, 16)}…, but the release is signed by ${publisher.keyid.slice(0, 16)}….`, { where: 'market countersignature' });
  }
  if (policy.highestSeen && !policy.allowDowngrade && semver.lt(bundle.ref.version, policy.highestSeen)) {
    throw new WardenError('WARDEN_E_ROLLBACK', `${formatRef(bundle.ref)} is older than ${policy.highestSeen}, which this machine already installed or saw as latest.`, { where: 'version', details: { highestSeen: policy.highestSeen } });
  }
  return { marketKeyid: market.keyid, publisherKeyid: publisher.keyid, release: predicate, publishStatement: publish, latestVersion: state.latestVersion };
}
