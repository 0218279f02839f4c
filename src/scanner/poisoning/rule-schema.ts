import { z } from 'zod';
import type { ToolClassifierModel } from './classifier.js';

const fieldKind = z.enum(['name', 'description', 'schema', 'property-name']);
const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
const confidence = z.enum(['low', 'medium', 'high']);
const pattern = z.string().min(1).max(4_000);

const signal = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    weight: z.number().int().min(-100).max(100).refine((w) => w !== 0, "a weight of 0 has no effect"),
    group: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).optional(),
    pattern: pattern.optional(),
    builtin: z.literal('mentions-other-tool').optional(),
  })
  .refine((s) => (s.pattern === undefined) !== (s.builtin === undefined), { message: 'a signal has exactly one of `pattern` or `builtin`' });

const signals = z.strictObject({
  type: z.literal('signals'),
  fields: z.array(fieldKind).min(1).default(['description', 'schema']),
  window: z.enum(['sentence', 'field', 'tool']).default('field'),
  span: z.number().int().min(1).max(5).default(1),
  threshold: z.number().int().min(1),
  require: z.array(z.string()).default([]),
  signals: z.array(signal).min(1).max(500),
});

const invisible = z.strictObject({
  type: z.literal('invisible-unicode'),
  fields: z.array(fieldKind).min(1).default(['name', 'description', 'schema', 'property-name']),
  classes: z.array(z.enum(['bidi', 'zero-width', 'tag', 'variation-selector', 'private-use'])).min(1),
  minCount: z.number().int().min(1).default(1),
});

const encoded = z.strictObject({
  type: z.literal('encoded-payload'),
  fields: z.array(fieldKind).min(1).default(['description', 'schema']),
  minTextRun: z.number().int().min(16),
  minBase64Any: z.number().int().min(16),
  minHex: z.number().int().min(16),
});

const exfil = z.strictObject({
  type: z.literal('exfil-parameter'),
  channelNames: pattern,
  secretSources: pattern,
  conversationSources: pattern,
  fillVerbs: pattern,
});

const collision = z.strictObject({ type: z.literal('name-collision') });

const classifier = z.strictObject({
  type: z.literal('classifier'),
  /** The model file, in the folder named after the rule (`<id>/model.json`). */
  model: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}\.json$/, 'a file name like model.json'),
});

/** A learned model's file (src/scanner/poisoning/classifier.ts). */
export const classifierModelSchema = z.strictObject({
  version: z.literal(1),
  bias: z.number().finite(),
  threshold: z.number().gt(0).lt(1),
  weights: z.record(z.string().max(200), z.number().finite()).refine((w) => Object.keys(w).length <= 100_000, 'at most 100,000 weights'),
  trainedOn: z.record(z.string(), z.unknown()).optional(),
}) satisfies z.ZodType<ToolClassifierModel>;

const layout = z.strictObject({
  type: z.literal('hidden-layout'),
  fields: z.array(fieldKind).min(1).default(['description', 'schema']),
  minSpaces: z.number().int().min(8).max(10_000).default(60),
  minLineBreaks: z.number().int().min(3).max(10_000).default(10),
  minHiddenChars: z.number().int().min(1).max(10_000).default(20),
});

const capabilitySpec = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    verbs: pattern.optional(),
    objects: pattern.optional(),
    phrases: pattern.optional(),
  })
  .refine((c) => (c.verbs === undefined) === (c.objects === undefined), { message: 'a capability has both `verbs` and `objects` or neither' })
  .refine((c) => c.verbs !== undefined || c.phrases !== undefined, { message: 'a capability needs `verbs` + `objects`, `phrases`, or both' });

const capability = z.strictObject({
  type: z.literal('capability'),
  fields: z.array(fieldKind).min(1).default(['name', 'description']),
  gap: z.number().int().min(0).max(8).default(3),
  negation: pattern,
  negationReach: z.number().int().min(0).max(6).default(3),
  safeContext: pattern.optional(),
  capabilities: z.array(capabilitySpec).min(1).max(200),
});

/** The shape of one rule file (`rules/<id>.yaml`). */
export const ruleFileSchema = z.strictObject({
  id: z.string().regex(/^mcp-tool-[a-z0-9]+(?:-[a-z0-9]+)*$/, 'ids are kebab-case and start with `mcp-tool-`'),
  description: z.string().min(10).max(2_000),
  severity,
  confidence,
  category: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  message: z.string().min(5).max(500),
  fixHint: z.string().min(5).max(1_000),
  /** `demote`: a finding is lowered to `low` when the tool states a safeguard (safeguards/safeguards.yaml). */
  safeguards: z.enum(['demote', 'ignore']).default('ignore'),
  matcher: z.discriminatedUnion('type', [signals, invisible, encoded, exfil, collision, capability, layout, classifier]),
});
