import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { WardenError } from '../core/errors.js';
import { REASON_CODES, type ReasonCode } from './reasons.js';
import { DEFAULT_POLICY_OBJECT } from './default-policy.js';

export type Verdict = 'allow' | 'review' | 'block';

const VERDICT_RANK: Record<Verdict, number> = { allow: 0, review: 1, block: 2 };

export function strongerVerdict(a: Verdict, b: Verdict): Verdict {
  return VERDICT_RANK[a] >= VERDICT_RANK[b] ? a : b;
}

export function capVerdict(v: Verdict, cap: Verdict): Verdict {
  return VERDICT_RANK[v] <= VERDICT_RANK[cap] ? v : cap;
}

export function verdictRank(v: Verdict): number {
  return VERDICT_RANK[v];
}

const verdictSchema = z.enum(['allow', 'review', 'block']);
const token = z.string().regex(/^[a-z0-9]{1,32}$/, 'affixes are lower-case [a-z0-9] words of 1-32 characters');

const capsSchema = z.strictObject({
  distance2: verdictSchema,
  knownWord: verdictSchema,
  ecosystemAffix: verdictSchema,
  crossOrg: verdictSchema,
  edgeEdit: verdictSchema,
  shortName: verdictSchema,
});

const tierSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/),
  minWeight: z.number().finite().min(0),
  description: z.string().max(500).optional(),
  actions: z.partialRecord(z.enum(REASON_CODES), verdictSchema),
  /** Overrides of the policy's caps for names in this tier. */
  caps: capsSchema.partial().optional(),
});

const policySchema = z.strictObject({
  version: z.literal(1),
  defaultWeight: z.number().finite().min(0),
  tiers: z.array(tierSchema).min(1).max(32),
  sameOwner: verdictSchema,
  editDistance: z
    .array(z.strictObject({ minLength: z.number().int().min(1).max(214), maxDistance: z.number().int().min(0).max(2) }))
    .min(1)
    .max(16),
  caps: capsSchema,
  shortNameMaxLength: z.number().int().min(0).max(214),
  shortNameReasons: z.array(z.enum(REASON_CODES)).max(REASON_CODES.length),
  knownWord: z.strictObject({ minNames: z.number().int().min(1), minLength: z.number().int().min(1).max(64) }),
  crossOrgGenericAfter: z.number().int().min(2).max(1_000_000),
  crossOrgTypoMinLength: z.number().int().min(1).max(214),
  mirrorOrgs: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/)).max(1000),
  distinctive: z.strictObject({
    minWords: z.number().int().min(1).max(32),
    minLength: z.number().int().min(1).max(64),
    maxNames: z.number().int().min(1).max(1_000_000),
    orgSuffixes: z.array(token).max(500),
  }),
  affixes: z.strictObject({
    impersonating: z.array(token).max(500),
    ecosystem: z.array(token).max(500),
    attachable: z.array(token).max(100),
    minStem: z.number().int().min(2).max(16),
  }),
  limits: z.strictObject({
    maxMatches: z.number().int().min(1).max(1000),
    maxIdsPerKey: z.number().int().min(10).max(1_000_000),
  }),
});

/** The name policy: data that decides verdicts (see src/naming/data/default-policy.yaml). */
export type NamePolicy = z.infer<typeof policySchema>;
export type NamePolicyTier = z.infer<typeof tierSchema>;

const MAX_POLICY_BYTES = 256 * 1024;

/**
 * Validates a policy given as YAML text or as an object. Top-level fields left out take the
 * default policy's value, so an operator can override only `tiers` or only `affixes`. Tiers are
 * sorted by minWeight, highest first.
 */
export function loadNamePolicy(yamlOrObject: string | unknown, where = 'name policy'): NamePolicy {
  let raw: unknown = yamlOrObject;
  if (typeof yamlOrObject === 'string') {
    if (yamlOrObject.length > MAX_POLICY_BYTES) {
      throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The name policy is over ${MAX_POLICY_BYTES} bytes.`, { where });
    }
    try {
      raw = parseYaml(yamlOrObject, { maxAliasCount: 50 });
    } catch (err) {
      throw new WardenError('WARDEN_E_NAME_POLICY_INVALID', `The name policy is not valid YAML: ${(err as Error).message}`, { where, cause: err });
    }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new WardenError('WARDEN_E_NAME_POLICY_INVALID', 'The name policy must be a mapping of fields (see docs/naming.md).', { where });
  }
  const merged = { ...DEFAULT_POLICY_OBJECT, ...(raw as Record<string, unknown>) };
  const res = policySchema.safeParse(merged);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    const path = issue.path.join('.');
    throw new WardenError('WARDEN_E_NAME_POLICY_INVALID', `Invalid name policy at "${path || '(root)'}": ${issue.message}.`, {
      where: path ? `${where}:${path}` : where,
      cause: res.error,
    });
  }
  const policy = res.data;
  policy.tiers.sort((a, b) => b.minWeight - a.minWeight);
  policy.editDistance.sort((a, b) => a.minLength - b.minLength);
  if (policy.tiers[policy.tiers.length - 1]!.minWeight !== 0) {
    throw new WardenError('WARDEN_E_NAME_POLICY_INVALID', 'The name policy needs a tier with minWeight 0 so that every name has one.', { where: `${where}:tiers` });
  }
  return policy;
}

/** The default policy (src/naming/data/default-policy.yaml, kept in step by a test). */
export const DEFAULT_NAME_POLICY: NamePolicy = loadNamePolicy(DEFAULT_POLICY_OBJECT, 'default name policy');

/** The tier that applies to an existing name of this weight. */
export function tierFor(policy: NamePolicy, weight: number): NamePolicyTier {
  for (const t of policy.tiers) if (weight >= t.minWeight) return t;
  return policy.tiers[policy.tiers.length - 1]!;
}

export type NamePolicyCaps = z.infer<typeof capsSchema>;

/** The caps in force for an existing name of this tier (the tier's overrides over the policy's). */
export function capsFor(policy: NamePolicy, tier: NamePolicyTier): NamePolicyCaps {
  return tier.caps ? { ...policy.caps, ...tier.caps } : policy.caps;
}

export function actionFor(tier: NamePolicyTier, reason: ReasonCode): Verdict {
  return tier.actions[reason] ?? 'allow';
}

/** Largest edit distance that counts as near for names whose plain forms are at least this long. */
export function maxDistanceFor(policy: NamePolicy, length: number): number {
  return editStepFor(policy, length)?.maxDistance ?? 0;
}

/** The edit-distance step for this length (the one with the largest minLength <= length). */
export function editStepFor(policy: NamePolicy, length: number): NamePolicy['editDistance'][number] | undefined {
  let found: NamePolicy['editDistance'][number] | undefined;
  for (const step of policy.editDistance) if (length >= step.minLength) found = step;
  return found;
}
