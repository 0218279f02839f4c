import { WardenError } from './errors.js';
import { isDigests, type Digests } from './digest.js';

/** in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md). */
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The publisher's claim: "I published these bytes as org/name@version, built from this manifest". */
export const WARDEN_PUBLISH_PREDICATE = 'https://warden.dev/attestation/publish/v1';
/** The market's countersignature over an accepted release (used by the market and installer). */
export const WARDEN_RELEASE_PREDICATE = 'https://warden.dev/attestation/release/v1';

export interface StatementSubject {
  name: string;
  digest: Digests & Record<string, string>;
}

export interface Statement<P = Record<string, unknown>> {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: StatementSubject[];
  predicateType: string;
  predicate: P;
}

export interface PublishPredicate {
  /** The module reference this artifact is published as. */
  ref: string;
  /** Digest of the `server.json` inside the artifact, so the manifest is bound to the signature. */
  manifest: { path: 'server.json'; digest: { sha256: string } };
  artifact: { size: number; mediaType: 'application/gzip' };
  signedAt: string;
  signer: { tool: string; version: string };
}

export function buildStatement<P>(ref: string, digests: Digests, predicateType: string, predicate: P): Statement<P> {
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: ref, digest: { sha256: digests.sha256, sha512: digests.sha512 } }],
    predicateType,
    predicate,
  };
}

function invalid(detail: string, where: string): WardenError {
  return new WardenError('WARDEN_E_STATEMENT_INVALID', `The signed payload is not a valid in-toto Statement v1: ${detail}.`, { where });
}

/**
 * Parses a verified payload into a statement with exactly one subject carrying sha256 and sha512.
 * `predicateType` must match the kind of attestation the caller expects.
 */
export function parseStatement(payload: Uint8Array, expectedPredicateType: string, where = 'statement'): Statement {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw invalid('payload is not JSON', where);
  }
  const st = doc as Partial<Statement> | null;
  if (typeof st !== 'object' || st === null || Array.isArray(st)) throw invalid('payload is not an object', where);
  if (st._type !== IN_TOTO_STATEMENT_TYPE) throw invalid(`_type is not ${IN_TOTO_STATEMENT_TYPE}`, where);
  if (st.predicateType !== expectedPredicateType) throw invalid(`predicateType is "${String(st.predicateType).slice(0, 100)}", expected ${expectedPredicateType}`, where);
  if (!Array.isArray(st.subject) || st.subject.length !== 1) throw invalid('it must have exactly one subject', where);
  const subject = st.subject[0] as Partial<StatementSubject>;
  if (typeof subject?.name !== 'string') throw invalid('subject.name is missing', where);
  if (!isDigests(subject.digest)) throw invalid('subject.digest must hold lowercase hex sha256 and sha512', where);
  if (typeof st.predicate !== 'object' || st.predicate === null) throw invalid('predicate is missing', where);
  return st as Statement;
}
