import type { WardenError, WardenErrorCode } from '../../core/errors.js';
import type { DsseEnvelope } from '../../core/dsse.js';
import type { DigestResult } from '../../core/digest.js';
import type { ServerManifest } from '../../core/manifest.js';
import type { ModuleRef } from '../../core/ref.js';
import type { Role } from '../trust/tokens.js';

export type StepOutcome = 'pass' | 'review' | 'reject' | 'not-run' | 'skipped';

/** What one named check said, with the code a client can switch on. */
export interface StepResult {
  step: StepName;
  outcome: StepOutcome;
  /** `WARDEN_OK` when the check passed; otherwise the reason code. */
  code: WardenErrorCode | 'WARDEN_OK';
  message: string;
  details?: Record<string, unknown>;
}

export type StepName = 'token-org' | 'manifest' | 'version-immutable' | 'name-policy' | 'signature' | 'digests' | 'scan' | 'rating';

export interface Principal {
  tokenId: string;
  role: Role;
  org: string | null;
}

export type NamingFacts =
  | { status: 'ran'; verdict: 'allow' | 'review' | 'block'; explanation: string; matches: unknown[] }
  | { status: 'not-run'; reason: string };

export interface ScanSummary {
  rating: string;
  score: number;
  summary: Record<string, number>;
  findings: number;
  /** Names of capabilities the scanner saw (spawnsProcesses, network, ...). */
  capabilities: string[];
  topFindings: Array<{ ruleId: string; severity: string; file: string; line: number; message: string }>;
}

export type ScanFacts =
  | { status: 'ran'; report: ScanSummary }
  | { status: 'not-run'; reason: string }
  | { status: 'failed'; reason: string }
  | { status: 'skipped'; reason: string };

/** Everything the checks look at, gathered up front so that each check is a pure function. */
export interface PublishFacts {
  principal: Principal;
  digests: DigestResult;
  manifest: { ok: true; manifest: ServerManifest; ref: ModuleRef; bytes: Buffer } | { ok: false; error: WardenError };
  envelope: { ok: true; envelope: DsseEnvelope } | { ok: false; error: WardenError };
  orgExists: boolean;
  /** The release already stored under the same ref, if any. */
  existing: { sha256: string; status: string } | undefined;
  orgKeys: Array<{ keyid: string; pem: string; revoked: boolean }>;
  naming: NamingFacts;
  scan: ScanFacts;
}

/** The market's publish policy: data handed to the pipeline, never a global. */
export interface PublishPolicy {
  /** Ratings that reject a release outright. */
  rejectRatings: string[];
  /** Ratings that hold a release for review. */
  reviewRatings: string[];
  /** Scanner capabilities that hold a release for review. */
  reviewCapabilities: string[];
  /** Steps whose absence (naming engine or scanner not installed) holds the release instead of recording "not run". */
  holdWhenNotRun: Array<'name-policy' | 'scan'>;
}

export const DEFAULT_POLICY: PublishPolicy = {
  rejectRatings: ['F'],
  reviewRatings: ['D', 'E'],
  // ARCHITECTURE "Distribute": process spawn, network, filesystem writes, install scripts go to review.
  reviewCapabilities: ['spawnsProcesses', 'network', 'fsWrites', 'installScripts'],
  holdWhenNotRun: [],
};

export type Decision = 'accepted' | 'held' | 'rejected' | 'idempotent';
