/** Shared types of the static scanner: findings, the report, and the per-file facts rules match. */

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type Confidence = 'low' | 'medium' | 'high';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  confidence: Confidence;
  category: string;
  /** Path relative to the scan root, `/`-separated. */
  file: string;
  line: number;
  column: number;
  snippet: string;
  message: string;
  fixHint: string;
  /** Stable across line moves: sha256 of rule, file, normalized snippet and occurrence. */
  fingerprint: string;
}

export interface SuppressedFinding {
  ruleId: string;
  file: string;
  line: number;
  reason: string;
}

export interface CapabilityEvidence {
  present: boolean;
  /** Up to a few `file:line what` strings that show where the capability comes from. */
  evidence: string[];
}

export type CapabilityName = 'spawnsProcesses' | 'network' | 'fsWrites' | 'envAccess' | 'installScripts' | 'nativeCode' | 'dynamicCode';
export type Capabilities = Record<CapabilityName, CapabilityEvidence>;

export interface ExtractedTool {
  name: string;
  description?: string;
  inputSchema?: unknown;
  annotations?: Record<string, unknown>;
  file: string;
  line: number;
  /** How it was found: `server.tool`, `registerTool`, `addTool` (FastMCP), `ListTools`, `python-decorator`, `python-Tool`. */
  via: string;
  /** Capabilities seen in the tool's handler code (own body plus same-file functions it calls). */
  handlerCapabilities: CapabilityName[];
}

export interface ScanReport {
  schemaVersion: 1;
  target: string;
  tool: { name: 'warden'; version: string };
  files: { scanned: number; skipped: number; bytes: number; parseErrors: { file: string; message: string }[] };
  durationMs: number;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  baselined: number;
  tools: ExtractedTool[];
  capabilities: Capabilities;
  score: number;
  rating: 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
  /** Counts per severity after suppressions and baseline. */
  summary: Record<Severity, number>;
  /** Rules that ran (ids) — SARIF lists them. */
  rulesRun: { id: string; description: string; severity: Severity; fixHint: string }[];
}

// ---------------------------------------------------------------------------------------------
// Facts: a language-neutral digest of one source file, built in one AST walk. Rules match facts.

export interface Loc {
  line: number; // 1-based
  column: number; // 1-based
  start: number; // offset in the text
  end: number;
}

/** A bounded summary of an expression: what it references, without entering nested functions. */
export interface ExprSummary {
  /** Identifiers referenced as values (local names). */
  refs: string[];
  /** Resolved member chains used as values, e.g. `process.env`, `process.env.HOME`, `os.environ`. */
  members: string[];
  /** Resolved callees of calls inside the expression. */
  calls: string[];
  /** String literal values (and template quasis) inside. */
  strings: string[];
  /** Numbers inside. */
  numbers: number[];
  /** The expression is a literal string with no interpolation. */
  constant: boolean;
  /** Outermost kind: string | number | template | concat | ident | call | object | array | function | member | other */
  kind: string;
  /** Top-level comparison operators with a literal on one side (for guards). */
  comparesLiteral: boolean;
  /** Contains a subtraction (for timing checks). */
  subtracts: boolean;
}

export interface CallFact extends Loc {
  /** Resolved dotted callee: `child_process.exec`, `subprocess.run`, `eval`, `server.tool`, `fetch().json`. */
  callee: string;
  isNew: boolean;
  args: ExprSummary[];
  /** Keyword arguments (Python) and properties of a trailing object-literal argument (JS options). */
  kwargs: Record<string, ExprSummary>;
  /** Condition summaries of enclosing if/ternary/&& guards, innermost last. */
  guards: ExprSummary[];
  inLoop: boolean;
  /** True when `guards` is not empty (without building the summaries). */
  readonly guarded: boolean;
  /** Whether a keyword argument / option is present (without building summaries). */
  hasKwarg(name: string): boolean;
  /** Index into FileFacts.functions of the innermost enclosing function, -1 at top level. */
  fn: number;
}

export interface AssignFact extends Loc {
  /** Root variable assigned (for `a.b = x`, `a`). */
  name: string;
  value: ExprSummary;
}

/** A value given to a named field: object property, member/subscript assignment, keyword argument. */
export interface FieldFact extends Loc {
  field: string;
  value: ExprSummary;
}

export interface StringFact extends Loc {
  value: string;
  /** Name the string is bound to, if any (variable, property, keyword), for keyword pre-filters. */
  context?: string;
}

export interface ImportFact extends Loc {
  module: string;
}

export interface MarkerFact extends Loc {
  /** `debugger`, `counter-update` */
  type: string;
  inLoop: boolean;
  name?: string;
}

export interface FunctionFact {
  name?: string;
  /** Parameter names in order (destructured ones flattened), for taint through local calls. */
  params: string[];
  start: number;
  end: number;
}

export interface RawTool {
  name: string;
  description?: string;
  inputSchema?: unknown;
  annotations?: Record<string, unknown>;
  loc: Loc;
  via: string;
  /** Source range of the handler, if known. */
  handler?: { start: number; end: number };
}

export interface FileFacts {
  language: 'js' | 'python';
  calls: CallFact[];
  assigns: AssignFact[];
  fields: FieldFact[];
  strings: StringFact[];
  imports: ImportFact[];
  markers: MarkerFact[];
  functions: FunctionFact[];
  /** Identifiers matching `_0x…` and the total identifier count. */
  hexIdents: number;
  identCount: number;
  /** Names updated with ++ / += (counters for logic-bomb guards). */
  counters: string[];
  tools: RawTool[];
  /**
   * Objects and classes shaped like tool definitions (a static `name` and `description` beside an
   * input schema, annotations or an execute/handler function), wherever they sit: lists built in
   * a handler's locals, returned by functions or kept in registries. The scan adds them when the
   * package uses MCP and no registration already named the tool (JS only).
   */
  toolDefinitions?: RawTool[];
  /** Why part of the file could not be analysed (a work budget ran out); reported as unanalysed-code. */
  incomplete?: string;
  /** Whether the file calls a tool registration API: `.tool(`, `registerTool`, `addTool` or any `setRequestHandler`. */
  registersTools?: boolean;
  /** Relative imports (`module\0name`) that this file's tool registrations read (JS only). */
  importedToolRefs?: string[];
  /** The static value a JS file exports under a name (tool definitions, arrays, strings), if any. */
  exportValue?: (name: string) => unknown;
  /** `case 'name':` ranges inside switch statements (CallTool dispatch). */
  cases: { value: string; start: number; end: number }[];
  parseError?: string;
  /** Frees parser resources (tree-sitter trees); call after the file's rules ran. */
  dispose?: () => void;
}

/** One file handed to the engine. */
export interface SourceFile {
  /** Relative, `/`-separated. */
  path: string;
  text: string;
  bytes: number;
}
