import { describe, expect, it } from 'vitest';
import { codeOf } from '../helpers/codes.js';
import { generateEd25519, parsePrivateKey, parsePublicKey } from '../../src/core/keys.js';
import { signEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../../src/core/dsse.js';
import { buildStatement, WARDEN_PUBLISH_PREDICATE } from '../../src/core/statement.js';
import { countersign, type ReleasePredicate } from '../../src/core/countersignature.js';
import { digestBytes } from '../../src/core/digest.js';
import { verifyReleaseBundle, type ReleaseBundle, type InstallPolicy } from '../../src/installer/verify-bundle.js';
import { signReleaseState, type ReleaseState } from '../../src/core/release-state.js';

const marketPair = generateEd25519();
const pubPair = generateEd25519();
const oldPair = generateEd25519();
const strangerPair = generateEd25519();
const market = parsePrivateKey(marketPair.privatePem);
const publisher = parsePrivateKey(pubPair.privatePem);
const oldKey = parsePrivateKey(oldPair.privatePem);
const stranger = parsePrivateKey(strangerPair.privatePem);

const artifact = Buffer.from('artifact bytes');
const digests = digestBytes(artifact);
const ref = { org: 'acme', name: 'hello', version: '1.2.0' };

function publishEnv(name = 'acme/hello@1.2.0', key = publisher, d = digests) {
  return signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(buildStatement(name, d, WARDEN_PUBLISH_PREDICATE, { ref: name }))), [key]);
}
function predicate(over: Partial<ReleasePredicate> = {}): ReleasePredicate {
  return { ref: 'acme/hello@1.2.0', publisherKeyid: publisher.keyid, scan: { status: 'ran' }, naming: { status: 'ran' }, rating: 'A', score: 95, status: 'accepted', logIndex: 7, time: new Date(0).toISOString(), ...over };
}
function stateEnv(over: Partial<ReleaseState> = {}, key = market) {
  return signReleaseState({ ref: 'acme/hello@1.2.0', status: 'published', latestVersion: '1.2.0', revokedKeyids: [oldKey.keyid], issuedAt: new Date().toISOString(), ...over }, key);
}
function bundle(over: Partial<ReleaseBundle> = {}): ReleaseBundle {
  return {
    ref,
    publisherEnvelope: publishEnv(),
    marketEnvelope: countersign('acme/hello@1.2.0', digests, predicate(), market),
    orgKeys: [
      { keyid: publisher.keyid, pem: pubPair.publicPem, revoked: false },
      { keyid: oldKey.keyid, pem: oldPair.publicPem, revoked: true },
    ],
    stateEnvelope: stateEnv(),
    ...over,
  };
}
const policy: InstallPolicy = { marketKeys: [parsePublicKey(marketPair.publicPem)] };


describe('verifying a release bundle before extraction', () => {
  it('accepts a release vouched for by the market and signed by a registered key', () => {
    const v = verifyReleaseBundle(bundle(), digests, policy);
    expect(v.publisherKeyid).toBe(publisher.keyid);
    expect(v.marketKeyid).toBe(market.keyid);
    expect(v.release.logIndex).toBe(7);
  });

  it('bytes swapped by a mirror or proxy', () => {
    expect(codeOf(() => verifyReleaseBundle(bundle(), digestBytes(Buffer.from('evil bytes')), policy))).toBe('WARDEN_E_DIGEST_MISMATCH');
  });

  it('market signature by an unknown key', () => {
    const b = bundle({ marketEnvelope: countersign('acme/hello@1.2.0', digests, predicate(), stranger) });
    expect(codeOf(() => verifyReleaseBundle(b, digests, policy))).toBe('WARDEN_E_KEY_UNKNOWN');
  });

  it('publisher key not registered to the org', () => {
    const b = bundle({ publisherEnvelope: publishEnv(undefined, stranger), marketEnvelope: countersign('acme/hello@1.2.0', digests, predicate({ publisherKeyid: stranger.keyid }), market) });
    expect(codeOf(() => verifyReleaseBundle(b, digests, policy))).toBe('WARDEN_E_KEY_UNKNOWN');
  });

  it('publisher key revoked', () => {
    const b = bundle({ publisherEnvelope: publishEnv(undefined, oldKey), marketEnvelope: countersign('acme/hello@1.2.0', digests, predicate({ publisherKeyid: oldKey.keyid }), market) });
    expect(codeOf(() => verifyReleaseBundle(b, digests, policy))).toBe('WARDEN_E_PUBLISHER_KEY_REVOKED');
  });

  it('statements for another module', () => {
    const otherPub = bundle({ publisherEnvelope: publishEnv('acme/other@1.2.0') });
    expect(codeOf(() => verifyReleaseBundle(otherPub, digests, policy))).toBe('WARDEN_E_SUBJECT_MISMATCH');
    const otherMarket = bundle({ marketEnvelope: countersign('acme/hello@1.1.0', digests, predicate({ ref: 'acme/hello@1.1.0' }), market) });
    expect(codeOf(() => verifyReleaseBundle(otherMarket, digests, policy))).toBe('WARDEN_E_SUBJECT_MISMATCH');
  });

  it('market countersignature naming another publisher key', () => {
    const b = bundle({ marketEnvelope: countersign('acme/hello@1.2.0', digests, predicate({ publisherKeyid: oldKey.keyid }), market) });
    expect(codeOf(() => verifyReleaseBundle(b, digests, policy))).toBe('WARDEN_E_MARKET_COUNTERSIG');
  });

  it('yanked and taken-down releases (by the signed state); deprecated still installs', () => {
    expect(codeOf(() => verifyReleaseBundle(bundle({ stateEnvelope: stateEnv({ status: 'taken-down' }) }), digests, policy))).toBe('WARDEN_E_RELEASE_UNAVAILABLE');
    expect(codeOf(() => verifyReleaseBundle(bundle({ stateEnvelope: stateEnv({ status: 'yanked' }) }), digests, policy))).toBe('WARDEN_E_RELEASE_UNAVAILABLE');
    expect(verifyReleaseBundle(bundle({ stateEnvelope: stateEnv({ status: 'deprecated' }) }), digests, policy).publisherKeyid).toBe(publisher.keyid);
  });

  it('the signed state: a revocation it lists counts even when the served key list hides it', () => {
    const hidden = bundle({
      publisherEnvelope: publishEnv(undefined, oldKey),
      marketEnvelope: countersign('acme/hello@1.2.0', digests, predicate({ publisherKeyid: oldKey.keyid }), market),
      orgKeys: [{ keyid: oldKey.keyid, pem: oldPair.publicPem, revoked: false }],
    });
    expect(codeOf(() => verifyReleaseBundle(hidden, digests, policy))).toBe('WARDEN_E_PUBLISHER_KEY_REVOKED');
    expect(verifyReleaseBundle(bundle(), digests, policy).latestVersion).toBe('1.2.0');
  });

  it('the signed state: forged, signed by an untrusted key, for another release, stale or from the future', () => {
    const forged = stateEnv({ status: 'taken-down' });
    forged.payload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(forged.payload, 'base64').toString()), status: 'published' })).toString('base64');
    expect(codeOf(() => verifyReleaseBundle(bundle({ stateEnvelope: forged }), digests, policy))).toBe('WARDEN_E_RELEASE_STATE');
    expect(codeOf(() => verifyReleaseBundle(bundle({ stateEnvelope: stateEnv({}, stranger) }), digests, policy))).toBe('WARDEN_E_KEY_UNKNOWN');
    expect(codeOf(() => verifyReleaseBundle(bundle({ stateEnvelope: stateEnv({ ref: 'acme/hello@1.1.0' }) }), digests, policy))).toBe('WARDEN_E_RELEASE_STATE');
    const issued = Date.parse('2026-01-01T00:00:00Z');
    const old = bundle({ stateEnvelope: stateEnv({ issuedAt: new Date(issued).toISOString() }) });
    expect(codeOf(() => verifyReleaseBundle(old, digests, { ...policy, now: issued + 9 * 60_000 }))).toBeUndefined();
    expect(codeOf(() => verifyReleaseBundle(old, digests, { ...policy, now: issued + 11 * 60_000 }))).toBe('WARDEN_E_RELEASE_STATE'); // replayed
    expect(codeOf(() => verifyReleaseBundle(old, digests, { ...policy, now: issued - 11 * 60_000 }))).toBe('WARDEN_E_RELEASE_STATE'); // from the future
  });

  it('rollback below the highest version seen, unless explicitly allowed', () => {
    expect(codeOf(() => verifyReleaseBundle(bundle(), digests, { ...policy, highestSeen: '1.3.0' }))).toBe('WARDEN_E_ROLLBACK');
    expect(codeOf(() => verifyReleaseBundle(bundle(), digests, { ...policy, highestSeen: '1.2.0' }))).toBeUndefined();
    expect(codeOf(() => verifyReleaseBundle(bundle(), digests, { ...policy, highestSeen: '1.3.0', allowDowngrade: true }))).toBeUndefined();
  });

  it('an org key whose PEM does not match its listed keyid', () => {
    const b = bundle({ orgKeys: [{ keyid: publisher.keyid, pem: strangerPair.publicPem, revoked: false }] });
    expect(codeOf(() => verifyReleaseBundle(b, digests, policy))).toBe('WARDEN_E_MARKET_RESPONSE');
  });
});
