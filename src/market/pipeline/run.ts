import type { VerifiedArtifact } from '../../core/verify-release.js';
import { checkDigests, checkManifest, checkNamePolicy, checkRating, checkScan, checkSignature, checkTokenOrg, checkVersionImmutable, verifySignature } from './steps.js';
import type { Decision, PublishFacts, PublishPolicy, ScanFacts, StepResult } from './types.js';

export interface PipelineResult {
  decision: Decision;
  steps: StepResult[];
  /** Reasons that decided the outcome (rejects, or holds), in step order. */
  reasons: StepResult[];
  verified: VerifiedArtifact | undefined;
  scan: ScanFacts;
}

/** Rejects beat holds; a re-publish of the same bytes that passes every check is idempotent. */
export function decide(steps: StepResult[]): { decision: Decision; reasons: StepResult[] } {
  const rejects = steps.filter((s) => s.outcome === 'reject');
  if (rejects.length > 0) return { decision: 'rejected', reasons: rejects };
  if (steps.some((s) => s.step === 'version-immutable' && s.details?.idempotent === true)) return { decision: 'idempotent', reasons: [] };
  const holds = steps.filter((s) => s.outcome === 'review');
  if (holds.length > 0) return { decision: 'held', reasons: holds };
  return { decision: 'accepted', reasons: [] };
}

/**
 * Runs the publish checks in their fixed order and collects every reason. The scanner (the one
 * costly, I/O-bound step) only runs on bytes whose signature and digests verified and that no
 * earlier check rejected; otherwise it is recorded as skipped.
 */
export async function runPublishPipeline(facts: Omit<PublishFacts, 'scan'>, policy: PublishPolicy, runScan: () => Promise<ScanFacts>): Promise<PipelineResult> {
  const sig = verifySignature({ ...facts, scan: { status: 'skipped', reason: '' } });
  const first: StepResult[] = [];
  const f0: PublishFacts = { ...facts, scan: { status: 'skipped', reason: 'an earlier check rejected the release' } };
  first.push(checkTokenOrg(f0), checkManifest(f0), checkVersionImmutable(f0), checkNamePolicy(f0, policy), checkSignature(f0, sig), checkDigests(f0, sig));
  const idempotent = first.some((s) => s.details?.idempotent === true);
  const rejected = first.some((s) => s.outcome === 'reject');
  let scan: ScanFacts = f0.scan;
  if (!rejected && idempotent) scan = { status: 'skipped', reason: 'same bytes as the stored release' };
  else if (!rejected) scan = await runScan();
  const f: PublishFacts = { ...facts, scan };
  const steps = [...first, checkScan(f, policy), checkRating(f, policy)];
  const { decision, reasons } = decide(steps);
  return { decision, steps, reasons, verified: sig.verified, scan };
}
