import { isWardenError, type WardenErrorCode } from '../../core/errors.js';
import { parsePublicKey } from '../../core/keys.js';
import { verifyArtifactEnvelope, type VerifiedArtifact } from '../../core/verify-release.js';
import { constantTimeEqual } from '../../core/secure-compare.js';
import { formatRef } from '../../core/ref.js';
import { sha256Hex } from '../../core/digest.js';
import type { PublishFacts, PublishPolicy, StepName, StepResult } from './types.js';

const pass = (step: StepName, message: string, details?: Record<string, unknown>): StepResult => ({ step, outcome: 'pass', code: 'WARDEN_OK', message, ...(details ? { details } : {}) });
const fail = (step: StepName, outcome: 'reject' | 'review', code: WardenErrorCode, message: string, details?: Record<string, unknown>): StepResult => ({ step, outcome, code, message, ...(details ? { details } : {}) });
const skipped = (step: StepName, message: string): StepResult => ({ step, outcome: 'skipped', code: 'WARDEN_OK', message });

/** 1. The token may publish to the org the artifact declares. */
export function checkTokenOrg(f: PublishFacts): StepResult {
  const step = 'token-org';
  if (!f.manifest.ok) return skipped(step, 'no readable server.json, so no org to check');
  const org = f.manifest.ref.org;
  if (f.principal.role !== 'publisher') return fail(step, 'reject', 'WARDEN_E_MARKET_FORBIDDEN', `A ${f.principal.role} token cannot publish; use a publisher token of org "${org}".`);
  if (f.principal.org !== org) return fail(step, 'reject', 'WARDEN_E_MARKET_FORBIDDEN', `This token publishes for org "${f.principal.org}", not "${org}".`);
  if (!f.orgExists) return fail(step, 'reject', 'WARDEN_E_MARKET_ORG_UNKNOWN', `Org "${org}" is not registered in this market.`);
  return pass(step, `token may publish to ${org}`);
}

/** 2. server.json is valid and names a valid org/name@version. */
export function checkManifest(f: PublishFacts): StepResult {
  const step = 'manifest';
  if (!f.manifest.ok) {
    const e = f.manifest.error;
    return fail(step, 'reject', e.code, e.message, e.where ? { where: e.where } : undefined);
  }
  return pass(step, `server.json declares ${formatRef(f.manifest.ref)}`);
}

/** 3. Versions are immutable: the same bytes again are idempotent, different bytes are refused. */
export function checkVersionImmutable(f: PublishFacts): StepResult {
  const step = 'version-immutable';
  if (!f.manifest.ok) return skipped(step, 'no ref to look up');
  if (!f.existing) return pass(step, 'new version');
  if (f.existing.status === 'rejected' || f.existing.status === 'taken-down') {
    return fail(step, 'reject', 'WARDEN_E_MARKET_VERSION_EXISTS', `${formatRef(f.manifest.ref)} was ${f.existing.status === 'rejected' ? 'rejected in review' : 'taken down'}; that version can never be published again. Publish a new version.`);
  }
  if (constantTimeEqual(f.existing.sha256, f.digests.sha256)) return pass(step, `same bytes as the stored release (${f.existing.status}): idempotent`, { idempotent: true });
  return fail(step, 'reject', 'WARDEN_E_MARKET_VERSION_EXISTS', `${formatRef(f.manifest.ref)} is already published with different bytes (sha256 ${f.existing.sha256.slice(0, 12)}…); versions are immutable, publish a new version.`);
}

/** 4. The naming engine's verdict on org/name against other orgs' names. */
export function checkNamePolicy(f: PublishFacts, policy: PublishPolicy): StepResult {
  const step = 'name-policy';
  if (!f.manifest.ok) return skipped(step, 'no name to check');
  if (f.naming.status === 'not-run') {
    if (policy.holdWhenNotRun.includes('name-policy')) return fail(step, 'review', 'WARDEN_E_MARKET_STEP_UNAVAILABLE', `naming engine not run (${f.naming.reason}); policy holds the release`);
    return { step, outcome: 'not-run', code: 'WARDEN_E_MARKET_STEP_UNAVAILABLE', message: `naming engine not run: ${f.naming.reason}` };
  }
  const details = { verdict: f.naming.verdict, matches: f.naming.matches.slice(0, 5) };
  if (f.naming.verdict === 'block') return fail(step, 'reject', 'WARDEN_E_MARKET_NAME_BLOCKED', `"${f.manifest.manifest.name}" is a look-alike of another org's name: ${f.naming.explanation}`, details);
  if (f.naming.verdict === 'review') return fail(step, 'review', 'WARDEN_E_MARKET_NAME_REVIEW', `"${f.manifest.manifest.name}" resembles another org's name: ${f.naming.explanation}`, details);
  return pass(step, 'name is distinct from other orgs\' names', details);
}

/**
 * 5+6. Signature by a non-revoked key of the org over a statement naming exactly this ref, and
 * the digests in it recomputed from the bytes. One verification (core's fixed order); the
 * digest comparison is its last check, so a digest mismatch means the signature itself held.
 */
export function verifySignature(f: PublishFacts): { verified?: VerifiedArtifact; error?: unknown } {
  if (!f.manifest.ok || !f.envelope.ok) return {};
  const active = f.orgKeys.filter((k) => !k.revoked).map((k) => parsePublicKey(k.pem, `key ${k.keyid}`));
  try {
    return { verified: verifyArtifactEnvelope(f.envelope.envelope, f.digests, { trustedKeys: active, expectedRef: f.manifest.ref }, 'envelope') };
  } catch (error) {
    return { error };
  }
}

export function checkSignature(f: PublishFacts, sig: ReturnType<typeof verifySignature>): StepResult {
  const step = 'signature';
  if (!f.envelope.ok) return fail(step, 'reject', f.envelope.error.code, f.envelope.error.message);
  if (!f.manifest.ok) return skipped(step, 'no ref to verify against');
  if (sig.verified) return pass(step, `signed by org key ${sig.verified.keyid.slice(0, 16)}…`, { keyid: sig.verified.keyid });
  const err = sig.error;
  if (!isWardenError(err)) return fail(step, 'reject', 'WARDEN_E_INTERNAL', `signature check failed unexpectedly: ${(err as Error)?.message}`);
  if (err.code === 'WARDEN_E_DIGEST_MISMATCH') return pass(step, 'signature verified (digests checked next)');
  if (err.code === 'WARDEN_E_KEY_UNKNOWN') {
    const named = new Set(f.envelope.envelope.signatures.map((s) => s.keyid));
    const revoked = f.orgKeys.find((k) => k.revoked && named.has(k.keyid));
    if (revoked) return fail(step, 'reject', 'WARDEN_E_MARKET_KEY_REVOKED', `The envelope is signed by key ${revoked.keyid.slice(0, 16)}…, which org "${f.manifest.ref.org}" revoked.`, { keyid: revoked.keyid });
    return fail(step, 'reject', 'WARDEN_E_MARKET_KEY_UNREGISTERED', `No signature is by a key registered to org "${f.manifest.ref.org}" (envelope keyids: ${[...named].map((k) => k.slice(0, 16)).join(', ')}).`, { keyids: [...named] });
  }
  return fail(step, 'reject', err.code, err.message);
}

export function checkDigests(f: PublishFacts, sig: ReturnType<typeof verifySignature>): StepResult {
  const step = 'digests';
  if (isWardenError(sig.error, 'WARDEN_E_DIGEST_MISMATCH')) return fail(step, 'reject', 'WARDEN_E_DIGEST_MISMATCH', sig.error.message, sig.error.details);
  if (!sig.verified || !f.manifest.ok) return skipped(step, 'signature did not verify; digests not compared');
  const pred = sig.verified.statement.predicate as { manifest?: { digest?: { sha256?: unknown } } };
  const signedManifest = pred.manifest?.digest?.sha256;
  if (typeof signedManifest === 'string' && !constantTimeEqual(signedManifest, sha256Hex(f.manifest.bytes))) {
    return fail(step, 'reject', 'WARDEN_E_DIGEST_MISMATCH', 'The server.json in the artifact differs from the one whose digest was signed.');
  }
  return pass(step, `sha256 ${f.digests.sha256.slice(0, 12)}… and sha512 equal the signed digests`);
}

/** 7. The static scan ran (or the step records why not). */
export function checkScan(f: PublishFacts, policy: PublishPolicy): StepResult {
  const step = 'scan';
  const s = f.scan;
  if (s.status === 'skipped') return skipped(step, s.reason);
  if (s.status === 'not-run') {
    if (policy.holdWhenNotRun.includes('scan')) return fail(step, 'review', 'WARDEN_E_MARKET_STEP_UNAVAILABLE', `scanner not run (${s.reason}); policy holds the release`);
    return { step, outcome: 'not-run', code: 'WARDEN_E_MARKET_STEP_UNAVAILABLE', message: `scanner not run: ${s.reason}` };
  }
  if (s.status === 'failed') return fail(step, 'review', 'WARDEN_E_MARKET_SCAN_FAILED', `the scanner failed on this artifact: ${s.reason}`);
  return pass(step, `${s.report.findings} finding(s), score ${s.report.score}`, { summary: s.report.summary });
}

/** 8. Risk rating and high-risk capabilities against the policy. */
export function checkRating(f: PublishFacts, policy: PublishPolicy): StepResult {
  const step = 'rating';
  if (f.scan.status !== 'ran') return skipped(step, 'no scan report to rate');
  const r = f.scan.report;
  const details = { rating: r.rating, score: r.score, capabilities: r.capabilities, topFindings: r.topFindings };
  if (policy.rejectRatings.includes(r.rating)) return fail(step, 'reject', 'WARDEN_E_MARKET_SCAN_REJECTED', `rating ${r.rating} (score ${r.score}) is below what this market accepts`, details);
  const risky = r.capabilities.filter((c) => policy.reviewCapabilities.includes(c));
  if (policy.reviewRatings.includes(r.rating) || risky.length > 0) {
    const why = [policy.reviewRatings.includes(r.rating) ? `rating ${r.rating}` : '', risky.length ? `capabilities ${risky.join(', ')}` : ''].filter(Boolean).join(' and ');
    return fail(step, 'review', 'WARDEN_E_MARKET_SCAN_REVIEW', `${why} need a reviewer`, details);
  }
  return pass(step, `rating ${r.rating}`, details);
}
