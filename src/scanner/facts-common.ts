/** Helpers shared by the JS and Python fact extractors. */
import type { AssignFact, CallFact, ExprSummary, FieldFact, FileFacts, StringFact } from './types.js';

export function newFacts(language: 'js' | 'python'): FileFacts {
  return { language, calls: [], assigns: [], fields: [], strings: [], imports: [], markers: [], functions: [], hexIdents: 0, identCount: 0, counters: [], tools: [], cases: [] };
}

const PROMISE_SUBMODULES = /^(fs|dns|timers|stream|readline)\/promises$/;

/** `node:fs/promises` → `fs`; module names otherwise unchanged. */
export function normalizeModule(m: string): string {
  let s = m.startsWith('node:') ? m.slice(5) : m;
  if (PROMISE_SUBMODULES.test(s)) s = s.slice(0, s.indexOf('/'));
  return s;
}

/** `fs.promises.writeFile` → `fs.writeFile`; strips `default` from default-import interop. */
export function normalizeCallee(c: string): string {
  if (!(c.startsWith('fs.') || c.startsWith('dns.') || c.includes('.default.'))) return c;
  return c.replace(/^(fs|dns)\.promises\./, '$1.').replace(/^([\w$@/.-]+)\.default\./, '$1.');
}

/** Best-effort JSON schema of a zod chain: `z.string().describe("x")` → `{type: 'string', description: 'x'}`. */
export function staticSchemaFromZod(z: { methods: { name: string; arg?: unknown }[] }): unknown {
  if (z.methods.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  const first = z.methods[0]!;
  const typeNames = ['string', 'number', 'boolean', 'array', 'object', 'enum', 'literal', 'union', 'any', 'unknown', 'record'];
  if (typeNames.includes(first.name)) out.type = first.name === 'enum' || first.name === 'literal' ? 'string' : first.name;
  if (first.name === 'object' && first.arg && typeof first.arg === 'object') out.properties = first.arg;
  for (const m of z.methods) if (m.name === 'describe' && typeof m.arg === 'string') out.description = m.arg;
  return Object.keys(out).length > 0 ? out : undefined;
}

// ---- lazy facts ---------------------------------------------------------------------------------
// Summaries are built only when a rule asks (most calls are never sinks): this keeps the walk close
// to parse speed. The AST (or tree-sitter tree) must stay alive until the file's rules have run.

export type Summarizer<N> = (n: N | null | undefined) => ExprSummary;

/** An enclosing condition; its summary is built once and shared by every call it guards. */
export class GuardRef<N> {
  private s: ExprSummary | undefined;
  constructor(
    private readonly node: N | null | undefined,
    private readonly sum: Summarizer<N>,
  ) {}
  get summary(): ExprSummary {
    return (this.s ??= this.sum(this.node));
  }
}

export class LazyCall<N> implements CallFact {
  private a: ExprSummary[] | undefined;
  private k: Record<string, ExprSummary> | undefined;
  private g: ExprSummary[] | undefined;
  constructor(
    readonly callee: string,
    readonly isNew: boolean,
    private readonly argNodes: readonly (N | null | undefined)[],
    private readonly kwNodes: readonly (readonly [string, N | null | undefined])[],
    private readonly guardRefs: readonly GuardRef<N>[],
    readonly inLoop: boolean,
    readonly fn: number,
    readonly line: number,
    readonly column: number,
    readonly start: number,
    readonly end: number,
    private readonly sum: Summarizer<N>,
  ) {}
  get args(): ExprSummary[] {
    return (this.a ??= this.argNodes.map((n) => this.sum(n)));
  }
  get kwargs(): Record<string, ExprSummary> {
    if (!this.k) {
      this.k = {};
      for (const [name, n] of this.kwNodes) this.k[name] = this.sum(n);
    }
    return this.k;
  }
  get guards(): ExprSummary[] {
    return (this.g ??= this.guardRefs.map((r) => r.summary));
  }
  /** Keyword names without building summaries. */
  hasKwarg(name: string): boolean {
    return this.kwNodes.some(([k]) => k === name);
  }
  get guarded(): boolean {
    return this.guardRefs.length > 0;
  }
}

/** Position of an offset, computed on demand (most facts never reach a report). */
export type PositionOf = (offset: number) => { line: number; column: number };

/** An assignment (`name = value`) or a field (`{field: value}`) whose summary is built on first use. */
class LazyBinding<N> {
  private v: ExprSummary | undefined;
  private p: { line: number; column: number } | undefined;
  constructor(
    private readonly node: N | null | undefined,
    private readonly sum: Summarizer<N>,
    private readonly pos: PositionOf,
    readonly start: number,
    readonly end: number,
  ) {}
  get value(): ExprSummary {
    return (this.v ??= this.sum(this.node));
  }
  get line(): number {
    return (this.p ??= this.pos(this.start)).line;
  }
  get column(): number {
    return (this.p ??= this.pos(this.start)).column;
  }
}

class LazyAssign<N> extends LazyBinding<N> implements AssignFact {
  constructor(
    readonly name: string,
    node: N | null | undefined,
    sum: Summarizer<N>,
    pos: PositionOf,
    start: number,
    end: number,
  ) {
    super(node, sum, pos, start, end);
  }
}

class LazyField<N> extends LazyBinding<N> implements FieldFact {
  constructor(
    readonly field: string,
    node: N | null | undefined,
    sum: Summarizer<N>,
    pos: PositionOf,
    start: number,
    end: number,
  ) {
    super(node, sum, pos, start, end);
  }
}

export function lazyAssign<N>(name: string, node: N | null | undefined, sum: Summarizer<N>, pos: PositionOf, start: number, end: number): AssignFact {
  return new LazyAssign(name, node, sum, pos, start, end);
}

export function lazyField<N>(field: string, node: N | null | undefined, sum: Summarizer<N>, pos: PositionOf, start: number, end: number): FieldFact {
  return new LazyField(field, node, sum, pos, start, end);
}

class LazyString implements StringFact {
  private p: { line: number; column: number } | undefined;
  constructor(
    readonly value: string,
    readonly context: string | undefined,
    private readonly pos: PositionOf,
    readonly start: number,
    readonly end: number,
  ) {}
  get line(): number {
    return (this.p ??= this.pos(this.start)).line;
  }
  get column(): number {
    return (this.p ??= this.pos(this.start)).column;
  }
}

export function lazyString(value: string, context: string | undefined, pos: PositionOf, start: number, end: number): StringFact {
  return new LazyString(value, context, pos, start, end);
}
