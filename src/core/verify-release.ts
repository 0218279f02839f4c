import { WardenError } from './errors.js';
import { verifyEnvelope, type DsseEnvelope } from './dsse.js';
import { parseStatement, WARDEN_PUBLISH_PREDICATE, type Statement } from './statement.js';
import { constantTimeEqual } from './secure-compare.js';
import type { Digests } from './digest.js';
import type { PublicKeyInfo } from './keys.js';
import { formatRef, type ModuleRef } from './ref.js';

/** What the verifier is told to trust and expect: a typed value, never a global. */
export interface ArtifactPolicy {
  /** Keys allowed to vouch for the artifact (a publisher's registered keys, or the market key). */
  trustedKeys: PublicKeyInfo[];
  /**
   * The module the caller is about to use; the statement must name exactly this. Only a caller
   * that learns the ref from the verified artifact itself (after this returns) may leave it out.
   */
  expectedRef: ModuleRef | undefined;
  /** The predicate type the caller expects (publish by default; the market's release countersignature). */
  predicateType?: string;
}

export interface VerifiedArtifact {
  keyid: string;
  statement: Statement;
}

/**
 * Verifies an artifact's envelope against its digests, in a fixed order where each step assumes
 * the ones before it passed: payload type → trusted key → signature → statement shape →
 * subject names the expected ref → digests equal the bytes' digests.
 * The payload is only parsed after its signature verified.
 */
export function verifyArtifactEnvelope(envelope: DsseEnvelope, actual: Digests, policy: ArtifactPolicy, where = 'envelope'): VerifiedArtifact {
  const { payload, keyid } = verifyEnvelope(envelope, policy.trustedKeys, { where });
  const statement = parseStatement(payload, policy.predicateType ?? WARDEN_PUBLISH_PREDICATE, where);
  const subject = statement.subject[0]!;
  const pred = statement.predicate as { ref?: unknown };
  if (pred.ref !== undefined && pred.ref !== subject.name) {
    throw new WardenError('WARDEN_E_STATEMENT_INVALID', `The signed predicate names "${String(pred.ref).slice(0, 200)}" but the subject is "${subject.name.slice(0, 200)}".`, { where });
  }
  if (policy.expectedRef) assertSubjectIs(statement, policy.expectedRef, where);
  assertDigestsMatch(statement, actual, where);
  return { keyid, statement };
}

/** Both signed digests must equal the digests of the bytes at hand. */
export function assertDigestsMatch(statement: Statement, actual: Digests, where = 'envelope'): void {
  const signed = statement.subject[0]!.digest;
  // Digests are public values, but comparing in constant time costs nothing and removes a question.
  const sha256Ok = constantTimeEqual(signed.sha256, actual.sha256);
  const sha512Ok = constantTimeEqual(signed.sha512, actual.sha512);
  if (!sha256Ok || !sha512Ok) {
    throw new WardenError('WARDEN_E_DIGEST_MISMATCH', `The artifact's ${!sha256Ok ? 'sha256' : 'sha512'} digest differs from the signed one: the file was changed after signing. Do not use it.`, { where, details: { signed, actual: { sha256: actual.sha256, sha512: actual.sha512 } } });
  }
}

/** The statement must name exactly `expected` (no prefix or version-range semantics). */
export function assertSubjectIs(statement: Statement, expected: ModuleRef, where = 'envelope'): void {
  const signed = statement.subject[0]?.name ?? '';
  const want = formatRef(expected);
  if (signed !== want) {
    throw new WardenError('WARDEN_E_SUBJECT_MISMATCH', `The signature is for "${signed.slice(0, 200)}", not for "${want}". It belongs to another module or version.`, { where, details: { signed, expected: want } });
  }
}
