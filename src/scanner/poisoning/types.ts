/** Public types of the tool-definition poisoning analysis (the contract the scan engine codes against). */
import type { ToolClassifierModel } from './classifier.js';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type Confidence = 'low' | 'medium' | 'high';

/** An MCP tool as a server advertises it (`tools/list`), or as the engine extracted it from code. */
export interface ToolDefinition {
  name: string;
  description?: string;
  inputSchema?: unknown;
  annotations?: Record<string, unknown>;
}

export interface PoisonFinding {
  /** Stable kebab-case rule id, prefix `mcp-tool-`. */
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  /** For people; names the tool. */
  message: string;
  /** The offending excerpt (<= 200 chars, invisible characters shown as `\u{..}`). */
  evidence: string;
  /** Where in the tool: `name`, `description`, `inputSchema.properties.<p>.description`, ... */
  field: string;
  fixHint: string;
  /** Safeguards the tool states, for which this finding was lowered to `low` (rules with `safeguards: demote`). */
  safeguards?: string[];
}

/** Kinds of text a tool carries; a rule says which kinds it reads. */
export type FieldKind = 'name' | 'description' | 'schema' | 'property-name';

/** One piece of text of a tool, with where it came from. */
export interface ToolText {
  field: string;
  kind: FieldKind;
  /** The text as the server sent it (capped to the size limit). */
  raw: string;
  /** NFKC, invisible characters removed, homoglyphs folded to ASCII, whitespace collapsed. */
  norm: string;
}

export interface SignalSpec {
  id: string;
  weight: number;
  /** Signals sharing a group satisfy that group in `require`. */
  group?: string;
  /** Regular expression over normalized text (compiled case-insensitive, Unicode). */
  pattern?: string;
  /** A computed signal instead of a pattern. */
  builtin?: 'mentions-other-tool';
}

export interface SignalsMatcher {
  type: 'signals';
  fields: FieldKind[];
  /** Unit whose signal weights add up: a sentence (with `span` neighbours), a field, or the whole tool. */
  window: 'sentence' | 'field' | 'tool';
  span: number;
  threshold: number;
  require: string[];
  signals: SignalSpec[];
}

export interface UnicodeMatcher {
  type: 'invisible-unicode';
  fields: FieldKind[];
  classes: Array<'bidi' | 'zero-width' | 'tag' | 'variation-selector' | 'private-use'>;
  minCount: number;
}

/**
 * Text a person does not see but the model reads: terminal escape sequences (ANSI "conceal",
 * cursor moves, colours that hide text) and other control characters, or visible text pushed out
 * of view by a long run of spaces or line breaks.
 */
export interface LayoutMatcher {
  type: 'hidden-layout';
  fields: FieldKind[];
  /** Spaces/tabs in one run that count as padding. */
  minSpaces: number;
  /** Consecutive line breaks that count as padding. */
  minLineBreaks: number;
  /** Visible characters that must follow the padding. */
  minHiddenChars: number;
}

/** A learned model (src/scanner/poisoning/classifier.ts) read from `<rule id>/<model>`. */
export interface ClassifierMatcher {
  type: 'classifier';
  model: string;
}

export interface EncodedMatcher {
  type: 'encoded-payload';
  fields: FieldKind[];
  /** Minimum length of a base64 or hex run whose decoding is mostly printable text. */
  minTextRun: number;
  /** Minimum length of any base64 run (decoded or not). */
  minBase64Any: number;
  /** Minimum length of a hex run. */
  minHex: number;
}

export interface ExfilParameterMatcher {
  type: 'exfil-parameter';
  /** Parameter names that are typical side channels (`sidenote`, `notes`, `context`, ...). */
  channelNames: string;
  /** Data the model should never volunteer (files, keys, configs, env). */
  secretSources: string;
  /** Conversation data: counts only for a side-channel parameter. */
  conversationSources: string;
  /** Verbs of putting data into a parameter (`pass`, `include`, `fill`, ...). */
  fillVerbs: string;
}

export interface NameCollisionMatcher {
  type: 'name-collision';
}

/** One capability: verb and object patterns that must meet in a sentence, and/or phrases that name the act alone. */
export interface CapabilitySpec {
  id: string;
  verbs?: string;
  objects?: string;
  phrases?: string;
}

/** What a tool offers to do, as verb + object combinations (see matchers/capability.ts). */
export interface CapabilityMatcher {
  type: 'capability';
  fields: FieldKind[];
  /** Most words allowed between a verb and its object. */
  gap: number;
  /** Wording before a match that negates it ("does not", "never", "without"). */
  negation: string;
  /** How many words may sit between the negation and the match. */
  negationReach: number;
  /** Wording anywhere in the field that scopes the tool safely ("read-only", "allowed directories"); cancels the field. */
  safeContext?: string;
  capabilities: CapabilitySpec[];
}

export type Matcher = SignalsMatcher | UnicodeMatcher | EncodedMatcher | ExfilParameterMatcher | NameCollisionMatcher | CapabilityMatcher | LayoutMatcher | ClassifierMatcher;

export interface PoisonRule {
  id: string;
  description: string;
  severity: Severity;
  confidence: Confidence;
  category: string;
  /** Message template: `{tool}`, `{field}` and `{detail}` are filled in. */
  message: string;
  fixHint: string;
  /** `demote`: lowered to `low` when the tool states a safeguard ("read-only", "values are never returned"). */
  safeguards: 'demote' | 'ignore';
  matcher: Matcher;
  /** The YAML file the rule came from (for errors and docs). */
  file: string;
  /** For a `classifier` matcher: its model, loaded with the rule. */
  classifierModel?: ToolClassifierModel;
}

export interface CheckOptions {
  /** Rules to run; default: the built-in rules (loaded once). */
  rules?: PoisonRule[];
  /** Names of other tools the model can see (other servers' tools); used by shadowing and collision checks. */
  knownToolNames?: string[];
}

/** What a matcher reports before the rule turns it into a finding. */
export interface MatchHit {
  field: string;
  evidence: string;
  detail: string;
}
