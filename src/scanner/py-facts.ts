/**
 * Python → FileFacts with web-tree-sitter and the tree-sitter-python grammar shipped in
 * @vscode/tree-sitter-wasm. Compatibility: @vscode/tree-sitter-wasm 0.3.x builds its grammars with
 * tree-sitter-cli 0.25 (language ABI 15); web-tree-sitter 0.27 loads ABI 13–15. The test
 * test/scanner/python-facts.test.ts fails if an upgrade breaks that pairing.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser, type Node as TsNode } from 'web-tree-sitter';
import type { ExprSummary, FileFacts, Loc, RawTool } from './types.js';
import { LineIndex } from './lines.js';
import { GuardRef, LazyCall, lazyAssign, lazyField, lazyString, newFacts, normalizeCallee } from './facts-common.js';

let parserPromise: Promise<Parser> | undefined;

/** Loads the grammar once per process. */
export function pythonParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const wasmDir = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
    const lang = await Language.load(join(wasmDir, 'tree-sitter-python.wasm'));
    const p = new Parser();
    p.setLanguage(lang);
    return p;
  })();
  return parserPromise;
}

const SUMMARY_NODE_CAP = 400;
const STRING_FACT_MIN = 8;
const LOOPS = new Set(['for_statement', 'while_statement']);
const FUNCS = new Set(['function_definition', 'lambda']);
const COMPARE = /^(==|!=|<|<=|>|>=|in|not in|is|is not)$/;
const LITERALS = new Set(['string', 'integer', 'float', 'concatenated_string', 'true', 'false', 'none']);

/** The value of a non-f string literal node, or undefined when it interpolates. */
export function pyStringValue(n: TsNode): string | undefined {
  if (n.type === 'concatenated_string') {
    const parts = n.namedChildren.map((c) => (c ? pyStringValue(c) : undefined));
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (n.type !== 'string') return undefined;
  if (n.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  let out = '';
  for (const c of n.namedChildren) if (c && (c.type === 'string_content' || c.type === 'escape_sequence')) out += c.type === 'escape_sequence' ? unescapePy(c.text) : c.text;
  return out;
}

function unescapePy(e: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
  if (e.length === 2 && map[e[1]!] !== undefined) return map[e[1]!]!;
  if (/^\\x[0-9a-f]{2}$/i.test(e)) return String.fromCharCode(parseInt(e.slice(2), 16));
  if (/^\\u[0-9a-f]{4}$/i.test(e)) return String.fromCharCode(parseInt(e.slice(2), 16));
  return e;
}

export function extractPythonFacts(parser: Parser, text: string, lines = new LineIndex(text)): FileFacts {
  const facts = newFacts('python');
  const tree = parser.parse(text);
  if (!tree) {
    facts.parseError = 'tree-sitter returned no tree';
    return facts;
  }
  const bindings = new Map<string, string>();
  const contextFor = new Map<number, string>();
  const pos = (o: number) => lines.position(o);
  const loc = (n: TsNode): Loc => {
    const p = lines.position(n.startIndex);
    return { line: p.line, column: p.column, start: n.startIndex, end: n.endIndex };
  };

  const chain = (n: TsNode | null, depth = 0): string => {
    if (!n || depth > 12) return '?';
    switch (n.type) {
      case 'identifier':
        return bindings.get(n.text) ?? n.text;
      case 'attribute': {
        const obj = chain(n.childForFieldName('object'), depth + 1);
        return `${obj}.${n.childForFieldName('attribute')?.text ?? '?'}`;
      }
      case 'call':
        return `${chain(n.childForFieldName('function'), depth + 1)}()`;
      case 'subscript': {
        const base = chain(n.childForFieldName('value'), depth + 1);
        const key = n.childForFieldName('subscript');
        const v = key ? pyStringValue(key) : undefined;
        return v !== undefined && /^[\w-]+$/.test(v) ? `${base}.${v}` : `${base}[]`;
      }
      case 'parenthesized_expression':
      case 'await':
        return chain(n.namedChildren[0] ?? null, depth + 1);
      default:
        return '?';
    }
  };
  const resolved = (n: TsNode | null): string => normalizeCallee(chain(n));
  const rootIdent = (n0: TsNode | null): string | undefined => {
    let n = n0;
    while (n && (n.type === 'attribute' || n.type === 'call' || n.type === 'subscript')) n = n.type === 'attribute' ? n.childForFieldName('object') : n.type === 'call' ? n.childForFieldName('function') : n.childForFieldName('value');
    return n?.type === 'identifier' ? n.text : undefined;
  };
  const isChain = (n: TsNode | null): boolean => !!n && (n.type === 'identifier' || (n.type === 'attribute' && isChain(n.childForFieldName('object'))) || (n.type === 'subscript' && pyStringValue(n.childForFieldName('subscript')!) !== undefined && isChain(n.childForFieldName('value'))));

  function summarize(node: TsNode | null | undefined): ExprSummary {
    const s: ExprSummary = { refs: [], members: [], calls: [], strings: [], numbers: [], constant: false, kind: 'other', comparesLiteral: false, subtracts: false };
    if (!node) return s;
    let budget = SUMMARY_NODE_CAP;
    const visit = (n: TsNode | null): void => {
      if (!n || budget-- <= 0) return;
      switch (n.type) {
        case 'identifier':
          s.refs.push(n.text);
          if (bindings.has(n.text)) s.members.push(bindings.get(n.text)!);
          return;
        case 'string':
        case 'concatenated_string': {
          const v = pyStringValue(n);
          if (v !== undefined) s.strings.push(v);
          else
            for (const c of n.namedChildren) {
              if (!c) continue;
              if (c.type === 'string_content') s.strings.push(c.text);
              else if (c.type === 'interpolation' || c.type === 'string') visit(c);
            }
          return;
        }
        case 'interpolation':
          for (const c of n.namedChildren) if (c && c.type !== 'format_specifier' && c.type !== 'type_conversion') visit(c);
          return;
        case 'integer':
        case 'float':
          s.numbers.push(Number(n.text.replace(/_/g, '')));
          return;
        case 'attribute':
        case 'subscript':
          if (isChain(n)) {
            s.members.push(resolved(n));
            const r = rootIdent(n);
            if (r) s.refs.push(r);
            return;
          }
          s.members.push(resolved(n));
          for (const c of n.namedChildren) visit(c);
          return;
        case 'call': {
          const f = n.childForFieldName('function');
          s.calls.push(resolved(f));
          if (f?.type === 'attribute') {
            const o = f.childForFieldName('object');
            if (isChain(o)) {
              const r = rootIdent(o);
              if (r) s.refs.push(r);
            } else visit(o);
          }
          visit(n.childForFieldName('arguments'));
          return;
        }
        case 'keyword_argument':
          visit(n.childForFieldName('value'));
          return;
        case 'comparison_operator': {
          const ops = n.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
          if (ops.some((o) => COMPARE.test(o)) && n.namedChildren.some((c) => c && LITERALS.has(c.type))) s.comparesLiteral = true;
          for (const c of n.namedChildren) visit(c);
          return;
        }
        case 'binary_operator':
          if (n.childForFieldName('operator')?.text === '-') s.subtracts = true;
          for (const c of n.namedChildren) visit(c);
          return;
        case 'lambda':
        case 'function_definition':
          return;
        default:
          for (const c of n.namedChildren) visit(c);
      }
    };
    visit(node);
    switch (node.type) {
      case 'string':
      case 'concatenated_string': {
        const v = pyStringValue(node);
        s.kind = v !== undefined ? 'string' : 'template';
        s.constant = v !== undefined;
        break;
      }
      case 'integer':
      case 'float':
        s.kind = 'number';
        s.constant = true;
        break;
      case 'binary_operator':
        s.kind = 'concat';
        s.constant = s.refs.length === 0 && s.calls.length === 0;
        break;
      case 'identifier':
        s.kind = 'ident';
        break;
      case 'call':
        s.kind = 'call';
        break;
      case 'dictionary':
        s.kind = 'object';
        break;
      case 'list':
      case 'tuple':
        s.kind = 'array';
        break;
      case 'lambda':
        s.kind = 'function';
        break;
      case 'attribute':
      case 'subscript':
        s.kind = 'member';
        break;
      case 'true':
      case 'false':
        s.kind = 'bool';
        s.strings.push(node.type);
        s.constant = true;
        break;
    }
    return s;
  }

  const guards: GuardRef<TsNode>[] = [];
  let loopDepth = 0;
  let fnIndex = -1;

  const bindImport = (n: TsNode): void => {
    if (n.type === 'import_statement') {
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.type === 'dotted_name') {
          bindings.set(c.text.split('.')[0]!, c.text.split('.')[0]!);
          facts.imports.push({ module: c.text, ...loc(n) });
        } else if (c.type === 'aliased_import') {
          const name = c.childForFieldName('name')?.text ?? '?';
          const alias = c.childForFieldName('alias')?.text;
          if (alias) bindings.set(alias, name);
          facts.imports.push({ module: name, ...loc(n) });
        }
      }
    } else {
      const mod = n.childForFieldName('module_name')?.text ?? '?';
      facts.imports.push({ module: mod, ...loc(n) });
      for (const c of n.childrenForFieldName('name')) {
        if (!c) continue;
        if (c.type === 'dotted_name') bindings.set(c.text, `${mod}.${c.text}`);
        else if (c.type === 'aliased_import') {
          const name = c.childForFieldName('name')?.text ?? '?';
          bindings.set(c.childForFieldName('alias')?.text ?? name, `${mod}.${name}`);
        }
      }
    }
  };

  const withGuard = (g: GuardRef<TsNode>, fn: () => void): void => {
    guards.push(g);
    try {
      fn();
    } finally {
      guards.pop();
    }
  };

  const docstring = (fn: TsNode): string | undefined => {
    const body = fn.childForFieldName('body');
    const first = body?.namedChildren[0];
    if (first?.type !== 'expression_statement') return undefined;
    const s = first.namedChildren[0];
    return s && (s.type === 'string' || s.type === 'concatenated_string') ? pyStringValue(s) : undefined;
  };

  const toolFromDecorated = (n: TsNode): void => {
    const def = n.childForFieldName('definition');
    if (def?.type !== 'function_definition') return;
    for (const d of n.namedChildren) {
      if (d?.type !== 'decorator') continue;
      const expr = d.namedChildren[0];
      if (!expr) continue;
      const target = expr.type === 'call' ? expr.childForFieldName('function') : expr;
      const name = resolved(target);
      if (!/(^|\.)tool$/.test(name)) continue;
      let toolName = def.childForFieldName('name')?.text ?? '?';
      let description = docstring(def);
      let annotations: Record<string, unknown> | undefined;
      if (expr.type === 'call') {
        for (const a of expr.childForFieldName('arguments')?.namedChildren ?? []) {
          if (a?.type !== 'keyword_argument') continue;
          const k = a.childForFieldName('name')?.text;
          const v = a.childForFieldName('value');
          const sv = v ? pyStringValue(v) : undefined;
          if (k === 'name' && sv !== undefined) toolName = sv;
          if (k === 'description' && sv !== undefined) description = sv;
          if (k === 'annotations' && v?.type === 'dictionary') annotations = pyDict(v);
        }
        const a0 = expr.childForFieldName('arguments')?.namedChildren[0];
        const s0 = a0 ? pyStringValue(a0) : undefined;
        if (s0 !== undefined) toolName = s0;
      }
      const properties: Record<string, unknown> = {};
      for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
        if (!p) continue;
        const pname = p.type === 'identifier' ? p.text : p.childForFieldName('name')?.text ?? p.namedChildren[0]?.text;
        if (!pname || pname === 'self' || pname === 'ctx' || pname === 'cls') continue;
        const type = p.childForFieldName('type')?.text;
        properties[pname] = type ? { type } : {};
      }
      const body = def.childForFieldName('body');
      const tool: RawTool = { name: toolName, loc: loc(def), via: 'python-decorator', inputSchema: { type: 'object', properties }, ...(body ? { handler: { start: body.startIndex, end: body.endIndex } } : {}) };
      if (description !== undefined) tool.description = description;
      if (annotations) tool.annotations = annotations;
      facts.tools.push(tool);
      return;
    }
  };

  const pyDict = (d: TsNode): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const p of d.namedChildren) {
      if (p?.type !== 'pair') continue;
      const k = p.childForFieldName('key');
      const v = p.childForFieldName('value');
      const ks = k ? pyStringValue(k) : undefined;
      if (ks === undefined || !v) continue;
      o[ks] = pyStatic(v);
    }
    return o;
  };
  const pyStatic = (v: TsNode): unknown => {
    const sv = pyStringValue(v);
    if (sv !== undefined) return sv;
    if (v.type === 'true') return true;
    if (v.type === 'false') return false;
    if (v.type === 'integer' || v.type === 'float') return Number(v.text);
    if (v.type === 'dictionary') return pyDict(v);
    if (v.type === 'list') return v.namedChildren.map((c) => (c ? pyStatic(c) : undefined));
    return undefined;
  };

  /** `types.Tool(name="x", description="…", inputSchema={…})` inside list_tools handlers. */
  const toolFromToolCall = (n: TsNode, callee: string): void => {
    if (!/(^|\.)Tool$/.test(callee)) return;
    const kw: Record<string, TsNode> = {};
    for (const a of n.childForFieldName('arguments')?.namedChildren ?? []) {
      if (a?.type === 'keyword_argument') {
        const k = a.childForFieldName('name')?.text;
        const v = a.childForFieldName('value');
        if (k && v) kw[k] = v;
      }
    }
    const name = kw.name ? pyStringValue(kw.name) : undefined;
    if (!name) return;
    const description = kw.description ? pyStringValue(kw.description) : undefined;
    facts.tools.push({
      name,
      ...(description !== undefined ? { description } : {}),
      ...(kw.inputSchema ? { inputSchema: pyStatic(kw.inputSchema) } : {}),
      ...(kw.annotations?.type === 'dictionary' ? { annotations: pyDict(kw.annotations) } : {}),
      loc: loc(n),
      via: 'python-Tool',
    });
  };

  function visit(n: TsNode): void {
    switch (n.type) {
      case 'identifier':
        facts.identCount++;
        if (n.text.startsWith('_0x')) facts.hexIdents++;
        return;
      case 'string': {
        const v = pyStringValue(n);
        if (v !== undefined && v.length >= STRING_FACT_MIN) {
          const ctx = contextFor.get(n.startIndex);
          facts.strings.push(lazyString(v, ctx, pos, n.startIndex, n.endIndex));
          return;
        }
        break;
      }
      case 'import_statement':
      case 'import_from_statement':
        bindImport(n);
        return;
      case 'assignment':
      case 'augmented_assignment': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left && right) {
          const l = { start: n.startIndex, end: n.endIndex };
          if (right.type === 'string' && left.type === 'identifier') contextFor.set(right.startIndex, left.text);
          if (left.type === 'identifier') facts.assigns.push(lazyAssign(left.text, right, summarize, pos, l.start, l.end));
          else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
            for (const c of left.namedChildren) if (c?.type === 'identifier') facts.assigns.push(lazyAssign(c.text, right, summarize, pos, l.start, l.end));
          } else {
            const root = rootIdent(left);
            if (root) facts.assigns.push(lazyAssign(root, right, summarize, pos, l.start, l.end));
            const field = left.type === 'attribute' ? left.childForFieldName('attribute')?.text : left.type === 'subscript' ? pyStringValue(left.childForFieldName('subscript')!) : undefined;
            if (field !== undefined) {
              facts.fields.push(lazyField(field, right, summarize, pos, l.start, l.end));
              if (right.type === 'string') contextFor.set(right.startIndex, field);
            }
          }
          if (n.type === 'augmented_assignment' && (right.type === 'integer' || right.type === 'float')) {
            const name = left.type === 'identifier' ? left.text : left.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
            if (name) facts.counters.push(name);
          }
        }
        break;
      }
      case 'keyword_argument': {
        const k = n.childForFieldName('name')?.text;
        const v = n.childForFieldName('value');
        if (k && v) {
          facts.fields.push(lazyField(k, v, summarize, pos, n.startIndex, n.endIndex));
          if (v.type === 'string') contextFor.set(v.startIndex, k);
        }
        break;
      }
      case 'pair': {
        const k = n.childForFieldName('key');
        const v = n.childForFieldName('value');
        const ks = k ? pyStringValue(k) : undefined;
        if (ks !== undefined && v) {
          facts.fields.push(lazyField(ks, v, summarize, pos, n.startIndex, n.endIndex));
          if (v.type === 'string') contextFor.set(v.startIndex, ks);
        }
        break;
      }
      case 'call': {
        const f = n.childForFieldName('function');
        const callee = resolved(f);
        const args: (TsNode | null)[] = [];
        const kwargs: [string, TsNode | null][] = [];
        for (const a of n.childForFieldName('arguments')?.namedChildren ?? []) {
          if (!a || a.type === 'comment') continue;
          if (a.type === 'keyword_argument') {
            const k = a.childForFieldName('name')?.text;
            if (k) kwargs.push([k, a.childForFieldName('value')]);
          } else args.push(a.type === 'list_splat' || a.type === 'dictionary_splat' ? a.namedChildren[0] ?? null : a);
        }
        const l = loc(n);
        facts.calls.push(new LazyCall<TsNode>(callee, false, args, kwargs, guards.slice(), loopDepth > 0, fnIndex, l.line, l.column, l.start, l.end, summarize));
        toolFromToolCall(n, callee);
        break;
      }
      case 'if_statement': {
        const cond = n.childForFieldName('condition');
        if (cond) visit(cond);
        withGuard(new GuardRef(cond, summarize), () => {
          for (const c of n.namedChildren) if (c && c !== cond && c.id !== cond?.id) visit(c);
        });
        return;
      }
      case 'elif_clause': {
        const cond = n.childForFieldName('condition');
        if (cond) visit(cond);
        withGuard(new GuardRef(cond, summarize), () => {
          const body = n.childForFieldName('consequence');
          if (body) visit(body);
        });
        return;
      }
      case 'conditional_expression': {
        const [a, cond, b] = n.namedChildren;
        if (cond) visit(cond);
        withGuard(new GuardRef(cond ?? null, summarize), () => {
          if (a) visit(a);
          if (b) visit(b);
        });
        return;
      }
      case 'boolean_operator': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left) visit(left);
        if (n.childForFieldName('operator')?.text === 'and' && right) withGuard(new GuardRef(left, summarize), () => visit(right));
        else if (right) visit(right);
        return;
      }
      case 'return_statement': {
        const fname = fnIndex >= 0 ? facts.functions[fnIndex]!.name : undefined;
        const v = n.namedChildren[0];
        if (fname && v) facts.assigns.push(lazyAssign(`${fname}()`, v, summarize, pos, n.startIndex, n.endIndex));
        break;
      }
      case 'attribute':
        if (n.childForFieldName('attribute')?.text === 'environ' && facts.markers.length < 50) facts.markers.push({ type: 'env', inLoop: false, ...loc(n) });
        break;
      case 'decorated_definition':
        toolFromDecorated(n);
        break;
      default:
        break;
    }
    if (LOOPS.has(n.type)) {
      loopDepth++;
      try {
        for (const c of n.namedChildren) if (c) visit(c);
      } finally {
        loopDepth--;
      }
      return;
    }
    if (FUNCS.has(n.type)) {
      const saved = fnIndex;
      fnIndex = facts.functions.length;
      const name = n.type === 'function_definition' ? n.childForFieldName('name')?.text : undefined;
      const params: string[] = [];
      for (const q of n.childForFieldName('parameters')?.namedChildren ?? []) {
        if (!q) continue;
        const pn = q.type === 'identifier' ? q.text : q.childForFieldName('name')?.text ?? q.namedChildren.find((c) => c?.type === 'identifier')?.text;
        if (pn && pn !== 'self' && pn !== 'cls') params.push(pn);
      }
      facts.functions.push({ ...(name ? { name } : {}), params, start: n.startIndex, end: n.endIndex });
      try {
        for (const c of n.namedChildren) if (c) visit(c);
      } finally {
        fnIndex = saved;
      }
      return;
    }
    for (const c of n.namedChildren) if (c) visit(c);
  }

  // Summaries are built lazily from the tree: it stays alive until the caller disposes the facts.
  try {
    visit(tree.rootNode);
    if (tree.rootNode.hasError && facts.calls.length === 0 && facts.imports.length === 0) facts.parseError = 'Python syntax error';
  } catch (err) {
    tree.delete();
    throw err;
  }
  facts.dispose = () => tree.delete();
  return facts;
}
