/**
 * JavaScript / TypeScript → FileFacts, in one walk over the oxc-parser AST.
 *
 * Callees are resolved through import and require bindings (`const cp = require('node:child_process')`
 * makes `cp.exec` → `child_process.exec`). Expression summaries are bounded and never enter nested
 * functions, so minified bundles stay linear.
 */
import { parseSync, visitorKeys } from 'oxc-parser';
import type { ExprSummary, FileFacts, Loc, RawTool } from './types.js';
import { LineIndex } from './lines.js';
import { GuardRef, LazyCall, lazyAssign, lazyField, lazyString, newFacts, normalizeCallee, normalizeModule, staticSchemaFromZod } from './facts-common.js';

type Node = { type: string; start: number; end: number; [k: string]: any };

/** Child keys to walk: oxc's visitor keys without TypeScript type positions (no code runs there). */
const TYPE_KEYS = new Set(['typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'superTypeArguments', 'implements']);
const TYPE_ONLY = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction']);
const WALK_KEYS: Record<string, readonly string[]> = Object.fromEntries(
  Object.entries(visitorKeys as Record<string, string[]>).map(([t, keys]) => [t, TYPE_ONLY.has(t) ? [] : keys.filter((k) => !TYPE_KEYS.has(k))]),
);

/** Calls `visit` on each code-bearing child of an oxc node (arrays flattened, nulls skipped). */
function forEachChild(n: Node, visit: (child: Node) => void): void {
  const keys = WALK_KEYS[n.type];
  if (!keys) return;
  for (const k of keys) {
    const v = n[k];
    if (Array.isArray(v)) {
      for (const x of v) if (x) visit(x);
    } else if (v && typeof v === 'object') visit(v);
  }
}

const SUMMARY_NODE_CAP = 400;
const STRING_FACT_MIN = 8;
const COMPARE_OPS = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=']);
const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
/** Keys that hold a tool definition's input schema (MCP, FastMCP and other frameworks, Anthropic-style JSON). */
const TOOL_SCHEMA_KEYS = ['inputSchema', 'input_schema', 'parameters', 'paramsSchema', 'argsSchema', 'schema'];
/** Functions a tool definition runs when called. */
const TOOL_HANDLER_KEYS = ['execute', 'handler', 'run', 'call', 'invoke', 'callback'];
/** Besides a schema, what makes `{ name, description, … }` a tool definition. */
const TOOL_EXTRA_KEYS = ['annotations', 'outputSchema', ...TOOL_HANDLER_KEYS];
/**
 * Keys of things shaped like tools that are not tools: OpenAPI parameters (`in`), CLI commands,
 * MCP resources (`uri`, `uriTemplate`, `mimeType`) and prompts (`arguments`).
 */
const NOT_TOOL_KEYS = ['in', 'command', 'uri', 'uriTemplate', 'mimeType', 'arguments'];
/** MCP tool names: 1-128 characters of letters, digits, `_`, `-`, `.` (and `/` or `:` in namespaced names). */
const TOOL_NAME = /^[A-Za-z0-9_][\w.\-/:]{0,127}$/;
/** Tool-shaped definitions read per file, and objects looked at as candidates (bounded work on generated code). */
const MAX_TOOL_DEFINITIONS = 300;
const MAX_DEFINITION_CANDIDATES = 2_000;
/** Nodes staticValue may visit per file: static values are small; generated code is not. */
const STATIC_VALUE_BUDGET = 1_000_000;
const WRAPPERS = new Set(['ParenthesizedExpression', 'TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'TSTypeAssertion', 'AwaitExpression', 'ChainExpression']);

export function langOf(path: string): 'js' | 'jsx' | 'ts' | 'tsx' {
  if (/\.tsx$/i.test(path)) return 'tsx';
  if (/\.(ts|mts|cts)$/i.test(path)) return 'ts';
  if (/\.jsx$/i.test(path)) return 'jsx';
  return 'js';
}

/** Parse only (the baseline the speed benchmark compares against). */
export function parseJs(path: string, text: string) {
  return parseSync(path, text, { lang: langOf(path), sourceType: 'unambiguous' });
}

function unwrap(n: Node | null | undefined): Node | null | undefined {
  while (n && WRAPPERS.has(n.type)) n = n.type === 'AwaitExpression' ? n.argument : n.expression;
  return n;
}

function isStringLit(n: Node | null | undefined): n is Node {
  return !!n && n.type === 'Literal' && typeof n.value === 'string';
}

function staticKey(prop: Node): string | undefined {
  if (!prop.computed && prop.key?.type === 'Identifier') return prop.key.name;
  if (isStringLit(prop.key)) return prop.key.value;
  return undefined;
}

/** How a file's extraction reaches values defined in other files of the same scan. */
export interface JsFactsOptions {
  /**
   * The static value (tool definitions, names, arrays) that a relative import stands for:
   * `module` is the specifier as written (`./tools.js`), `name` the imported name (`default` for
   * a default import). Undefined when the file or value is not known.
   */
  importedValue?: (module: string, name: string) => unknown;
}

export function extractJsFacts(path: string, text: string, lines = new LineIndex(text), options: JsFactsOptions = {}): FileFacts {
  const facts = newFacts('js');
  let result;
  try {
    result = parseJs(path, text);
  } catch (err) {
    facts.parseError = (err as Error).message;
    return facts;
  }
  if (result.errors.length > 0 && result.program.body.length === 0) {
    facts.parseError = result.errors[0]?.message ?? 'parse error';
    return facts;
  }
  const bindings = new Map<string, string>();
  /** Top-level-ish `const X = [...]` / `{...}` inits, to resolve tool lists by name. */
  const constNodes = new Map<string, Node>();
  const contextFor = new Map<number, string>();
  /** Names of function expressions bound to variables or properties (`const run = async () => …`). */
  const fnNames = new Map<number, string>();
  const listToolsHandlers: { node: Node; loc: Loc }[] = [];
  /** Names bound by relative imports (`import { TOOLS } from './tools.js'`), for tool lists defined in another file. */
  const relativeImports = new Map<string, { module: string; name: string }>();
  /** What the file exports by name (`export const X = …`, `export { X as Y }`, `export default …`). */
  const exportNodes = new Map<string, Node>();
  const starExports: string[] = [];
  /** Relative imports a tool registration or tool list read (`module\0name`). */
  const importedToolRefs = new Set<string>();
  let toolSites = 0;
  /** Nodes staticValue may visit in this file (STATIC_VALUE_BUDGET). */
  let valueBudget = STATIC_VALUE_BUDGET;

  const pos = (o: number) => lines.position(o);
  const loc = (n: { start: number; end: number }): Loc => {
    const p = lines.position(n.start);
    return { line: p.line, column: p.column, start: n.start, end: n.end };
  };

  // ---- callee chains -------------------------------------------------------------------------
  const chain = (n0: Node | null | undefined, depth = 0): string => {
    const n = unwrap(n0);
    if (!n || depth > 12) return '?';
    switch (n.type) {
      case 'Identifier':
        return bindings.get(n.name) ?? n.name;
      case 'ThisExpression':
        return 'this';
      case 'Super':
        return 'super';
      case 'MemberExpression': {
        const obj = chain(n.object, depth + 1);
        if (!n.computed && n.property?.type === 'Identifier') return `${obj}.${n.property.name}`;
        if (!n.computed && n.property?.type === 'PrivateIdentifier') return `${obj}.#${n.property.name}`;
        if (isStringLit(n.property)) return `${obj}.${n.property.value}`;
        return `${obj}[]`;
      }
      case 'CallExpression': {
        const req = requireOf(n);
        if (req) return req;
        return `${chain(n.callee, depth + 1)}()`;
      }
      case 'NewExpression':
        return `${chain(n.callee, depth + 1)}()`;
      default:
        return '?';
    }
  };
  const resolved = (n: Node | null | undefined): string => normalizeCallee(chain(n));

  function requireOf(n: Node): string | undefined {
    if (n.type !== 'CallExpression') return undefined;
    const c = unwrap(n.callee);
    if (c?.type === 'Identifier' && c.name === 'require' && isStringLit(n.arguments?.[0])) return normalizeModule(n.arguments[0].value);
    return undefined;
  }

  function rootIdent(n0: Node | null | undefined): string | undefined {
    let n = unwrap(n0);
    while (n && (n.type === 'MemberExpression' || n.type === 'CallExpression')) n = unwrap(n.type === 'MemberExpression' ? n.object : n.callee);
    return n?.type === 'Identifier' ? n.name : undefined;
  }

  // ---- bounded expression summaries ------------------------------------------------------------
  function summarize(node: Node | null | undefined): ExprSummary {
    const s: ExprSummary = { refs: [], members: [], calls: [], strings: [], numbers: [], constant: false, kind: 'other', comparesLiteral: false, subtracts: false };
    const top = unwrap(node);
    if (!top) return s;
    let budget = SUMMARY_NODE_CAP;
    const isChain = (x: Node | null | undefined): boolean => {
      const u = unwrap(x);
      return !!u && (u.type === 'Identifier' || u.type === 'ThisExpression' || (u.type === 'MemberExpression' && (!u.computed || isStringLit(u.property)) && isChain(u.object)));
    };
    const visit = (n0: Node | null | undefined): void => {
      const n = unwrap(n0);
      if (!n || budget-- <= 0) return;
      switch (n.type) {
        case 'Identifier':
          s.refs.push(n.name);
          if (bindings.has(n.name)) s.members.push(bindings.get(n.name)!);
          return;
        case 'Literal':
          if (typeof n.value === 'string') s.strings.push(n.value);
          else if (typeof n.value === 'number') s.numbers.push(n.value);
          return;
        case 'TemplateLiteral':
          for (const q of n.quasis) if (q.value?.cooked) s.strings.push(q.value.cooked);
          for (const e of n.expressions) visit(e);
          return;
        case 'MemberExpression': {
          if (isChain(n)) {
            s.members.push(resolved(n));
            const r = rootIdent(n);
            if (r) s.refs.push(r);
            return;
          }
          s.members.push(resolved(n));
          visit(n.object);
          if (n.computed) visit(n.property);
          return;
        }
        case 'CallExpression':
        case 'NewExpression': {
          s.calls.push(resolved(n.callee));
          const c = unwrap(n.callee);
          if (c?.type === 'MemberExpression') {
            if (isChain(c.object)) {
              const r = rootIdent(c.object);
              if (r) s.refs.push(r);
            } else visit(c.object);
          }
          for (const a of n.arguments) visit(a);
          return;
        }
        case 'BinaryExpression':
          if (COMPARE_OPS.has(n.operator)) {
            const l = unwrap(n.left);
            const r = unwrap(n.right);
            if (l?.type === 'Literal' || r?.type === 'Literal' || (l?.type === 'TemplateLiteral' && l.expressions.length === 0) || (r?.type === 'TemplateLiteral' && r.expressions.length === 0)) s.comparesLiteral = true;
          }
          if (n.operator === '-') s.subtracts = true;
          visit(n.left);
          visit(n.right);
          return;
        case 'FunctionExpression':
        case 'ArrowFunctionExpression':
        case 'ClassExpression':
          return;
        case 'Property':
          if (n.computed) visit(n.key);
          visit(n.value);
          return;
        default: {
          forEachChild(n, visit);
        }
      }
    };
    visit(top);
    switch (top.type) {
      case 'Literal':
        s.kind = typeof top.value === 'string' ? 'string' : typeof top.value === 'number' ? 'number' : typeof top.value === 'boolean' ? 'bool' : 'other';
        if (typeof top.value === 'boolean') s.strings.push(String(top.value));
        s.constant = true;
        break;
      case 'TemplateLiteral':
        s.kind = top.expressions.length === 0 ? 'string' : 'template';
        s.constant = top.expressions.length === 0;
        break;
      case 'BinaryExpression':
        s.kind = top.operator === '+' ? 'concat' : 'other';
        s.constant = s.refs.length === 0 && s.calls.length === 0 && s.members.length === 0;
        break;
      case 'Identifier':
        s.kind = 'ident';
        break;
      case 'CallExpression':
      case 'NewExpression':
        s.kind = 'call';
        break;
      case 'ObjectExpression':
        s.kind = 'object';
        break;
      case 'ArrayExpression':
        s.kind = 'array';
        break;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        s.kind = 'function';
        break;
      case 'MemberExpression':
        s.kind = 'member';
        break;
    }
    return s;
  }

  /**
   * Tools registered in a loop over a same-file array (`for (const t of TOOLS) server.tool(t.name,
   * t.description, ...)`, `TOOLS.forEach((t) => ...)`): the loop variable and the array's elements,
   * and, while a registration call is read once per element, the element it stands for.
   */
  const loopArrays = new Map<string, unknown[]>();
  const loopItem = new Map<string, unknown>();
  /** The node a member chain starts at (`t` of `t.schema.name`), at most 8 links down. */
  const memberRoot = (n: Node | null | undefined): Node | null | undefined => {
    let o = unwrap(n);
    for (let i = 0; o && o.type === 'MemberExpression' && i < 8; i++) o = unwrap(o.object);
    return o;
  };
  /** Whether a member chain starts at a loop variable (`t.schema.name`). */
  const loopRoot = (n: Node): boolean => {
    const o = memberRoot(n);
    return o?.type === 'Identifier' && loopItem.has(o.name);
  };
  /** Elements of a static array of objects (at most 500), or undefined. */
  const staticObjects = (n: Node | null | undefined): unknown[] | undefined => {
    // A table longer than any tool list is not expanded at all (bundles loop over big tables).
    const u = unwrap(n);
    const literal = u?.type === 'Identifier' ? unwrap(constNodes.get(u.name)) : u;
    if (literal?.type === 'ArrayExpression' && literal.elements.length > 500) return undefined;
    const v = staticValue(n);
    return Array.isArray(v) && v.length > 0 && v.length <= 500 && v.every((e) => e && typeof e === 'object') ? v : undefined;
  };
  /** Runs `fn` with `name` bound to the elements of `items` for tool registrations inside it. */
  const withLoopArray = (name: string | undefined, items: unknown[] | undefined, fn: () => void): void => {
    if (!name || !items || loopArrays.has(name)) return fn();
    loopArrays.set(name, items);
    try {
      fn();
    } finally {
      loopArrays.delete(name);
    }
  };

  /** A literal value when the node is static JSON-like data (tool definitions), else undefined. */
  function staticValue(n0: Node | null | undefined, depth = 0): unknown {
    const n = unwrap(n0);
    if (!n || depth > 20) return undefined;
    // Constants are re-expanded where they are used: the budget bounds a file of constants that
    // reference each other tenfold at every level. Literals are free, so a literal tool name is
    // always read; a file that runs out is reported as not fully analysed (FileFacts.incomplete).
    if (n.type !== 'Literal' && valueBudget-- <= 0) {
      facts.incomplete ??= `static values expanded more than ${STATIC_VALUE_BUDGET} times`;
      return undefined;
    }
    switch (n.type) {
      case 'Literal':
        return n.value;
      case 'TemplateLiteral':
        return n.expressions.length === 0 ? n.quasis.map((q: Node) => q.value?.cooked ?? '').join('') : n.quasis.map((q: Node) => q.value?.cooked ?? '').join('…');
      case 'BinaryExpression': {
        if (n.operator !== '+') return undefined;
        const l = staticValue(n.left, depth + 1);
        const r = staticValue(n.right, depth + 1);
        return typeof l === 'string' || typeof r === 'string' ? `${l ?? ''}${r ?? ''}` : undefined;
      }
      case 'ArrayExpression':
        return n.elements.flatMap((e: Node | null) => {
          if (e?.type === 'SpreadElement') {
            const v = staticValue(e.argument, depth + 1);
            return Array.isArray(v) ? v : [];
          }
          return [staticValue(e, depth + 1)];
        });
      case 'ObjectExpression': {
        const o: Record<string, unknown> = {};
        for (const p of n.properties) {
          if (p.type === 'SpreadElement') {
            const v = staticValue(p.argument, depth + 1);
            if (v && typeof v === 'object') Object.assign(o, v);
            continue;
          }
          const k = staticKey(p);
          if (k !== undefined) o[k] = staticValue(p.value, depth + 1);
        }
        return o;
      }
      case 'Identifier': {
        if (loopItem.has(n.name)) return loopItem.get(n.name);
        const c = constNodes.get(n.name);
        if (c && c !== n) return staticValue(c, depth + 1);
        const imp = relativeImports.get(n.name);
        if (!imp) return undefined;
        importedToolRefs.add(`${imp.module}\0${imp.name}`);
        return options.importedValue?.(imp.module, imp.name);
      }
      case 'MemberExpression': {
        // Only inside a tool-registration loop: `tool.description` of the element being registered.
        if (n.computed || n.property?.type !== 'Identifier' || !loopRoot(n)) return undefined;
        const o = staticValue(n.object, depth + 1);
        return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[n.property.name] : undefined;
      }
      case 'CallExpression': {
        // `TOOLS.filter(...)` / `.slice(...)` of a static array: every element is a tool the server can list.
        const callee = unwrap(n.callee);
        if (callee?.type === 'MemberExpression' && !callee.computed && callee.property?.type === 'Identifier' && ['filter', 'slice', 'concat'].includes(callee.property.name)) {
          const base = staticValue(callee.object, depth + 1);
          if (Array.isArray(base)) {
            if (callee.property.name !== 'concat') return base;
            return base.concat(...n.arguments.map((a: Node) => staticValue(a, depth + 1)).filter(Array.isArray));
          }
        }
        return staticSchemaFromZod(zodChain(n, depth + 1));
      }
      case 'UnaryExpression':
        if (n.operator !== '-') return undefined;
        const v = staticValue(n.argument, depth + 1);
        return typeof v === 'number' ? -v : undefined;
      case 'ConditionalExpression': {
        // `readOnly ? readonlyTools : allTools`: a tool list is the union of both branches.
        const a = staticValue(n.consequent, depth + 1);
        const b = staticValue(n.alternate, depth + 1);
        return Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * Flattens `z.string().min(1).describe("x")` into methods with literal first args. `depth` is
   * staticValue's: arguments are read one level deeper, so nested calls in a bundle stay bounded.
   */
  function zodChain(n0: Node, depth = 0): { methods: { name: string; arg?: unknown }[] } {
    const methods: { name: string; arg?: unknown }[] = [];
    let n: Node | null | undefined = unwrap(n0);
    let guard = 0;
    while (n && n.type === 'CallExpression' && guard++ < 30) {
      const c = unwrap(n.callee);
      if (c?.type !== 'MemberExpression' || c.property?.type !== 'Identifier') break;
      const a0 = n.arguments[0];
      methods.unshift({ name: c.property.name, arg: a0 && a0.type === 'ObjectExpression' ? objectOfSchemas(a0, depth + 1) : staticValue(a0, depth + 1) });
      n = unwrap(c.object);
    }
    return { methods };
  }

  function objectOfSchemas(n: Node, depth = 0): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const p of n.properties) {
      const k = p.type === 'Property' ? staticKey(p) : undefined;
      if (k !== undefined) o[k] = staticValue(p.value, depth + 1);
    }
    return o;
  }

  /** A zod raw shape `{a: z.string()}` or JSON schema literal → JSON-schema-like value. */
  function schemaValue(n0: Node | null | undefined): unknown {
    const n = unwrap(n0);
    if (!n) return undefined;
    if (n.type === 'ObjectExpression') {
      const shape = objectOfSchemas(n);
      const looksJsonSchema = 'type' in shape || 'properties' in shape;
      return looksJsonSchema ? shape : { type: 'object', properties: shape };
    }
    // A zod raw shape reached through a name (`tool.schema`, `SHAPE`) is wrapped like a literal one.
    return wrapRawShape(staticValue(n));
  }

  /**
   * Reads a tool definition object (a literal or a same-file constant): `name`, `description`,
   * the schema under `schemaKey` (`inputSchema` for registerTool, `parameters` for FastMCP,
   * `input_schema` for Anthropic-style definitions),
   * `annotations`, and an `execute` (or `handler`, `run`, …) function as the handler. Fields
   * already set are overwritten.
   */
  function readToolObject(n0: Node | undefined, tool: Partial<RawTool>, schemaKey: string): void {
    let def = unwrap(n0);
    if (def?.type === 'Identifier' && !constNodes.has(def.name)) {
      // A definition object from another file (`import { searchTool } from './tools/search.js'`).
      const v = staticValue(def);
      if (!v || typeof v !== 'object' || Array.isArray(v)) return;
      const o = v as Record<string, unknown>;
      if (typeof o.name === 'string') tool.name = o.name;
      if (typeof o.description === 'string') tool.description = o.description;
      if (o[schemaKey] !== undefined) tool.inputSchema = wrapRawShape(o[schemaKey]);
      if (o.annotations && typeof o.annotations === 'object') tool.annotations = o.annotations as Record<string, unknown>;
      return;
    }
    if (def?.type === 'Identifier') def = unwrap(constNodes.get(def.name));
    if (def?.type !== 'ObjectExpression') return;
    for (const p of def.properties) {
      const k = p.type === 'Property' ? staticKey(p) : undefined;
      if (k === 'name' || k === 'description') {
        const v = staticValue(p.value);
        if (typeof v === 'string') tool[k] = v;
      } else if (k === schemaKey) tool.inputSchema = schemaValue(p.value);
      else if (k === 'annotations') {
        const a = staticValue(p.value);
        if (a && typeof a === 'object') tool.annotations = a as Record<string, unknown>;
      } else if (k !== undefined && TOOL_HANDLER_KEYS.includes(k)) {
        const fn = unwrap(p.value);
        if (fn && FUNCTIONS.has(fn.type)) tool.handler = { start: fn.start, end: fn.end };
      }
    }
  }

  // ---- MCP tool extraction ------------------------------------------------------------------------
  function toolFromCall(n: Node, callee: string, l: Loc): void {
    if (/(?:^|\.)(?:tool|registerTool|addTool|setRequestHandler)$/.test(callee)) toolSites++;
    // A registration whose name comes from a loop variable is read once per array element.
    const first = unwrap(n.arguments[0]);
    const root = memberRoot(first);
    const items = root?.type === 'Identifier' && root !== first ? loopArrays.get(root.name) : undefined;
    if (items && !loopItem.has(root!.name)) {
      for (const item of items) {
        loopItem.set(root!.name, item);
        try {
          toolFromCallOnce(n, callee, l);
        } finally {
          loopItem.delete(root!.name);
        }
      }
      return;
    }
    toolFromCallOnce(n, callee, l);
  }

  function toolFromCallOnce(n: Node, callee: string, l: Loc): void {
    const method = callee.slice(callee.lastIndexOf('.') + 1);
    const args: Node[] = n.arguments;
    if ((method === 'tool' || method === 'registerTool') && args.length >= 2 && args.length <= 6) {
      const name = staticValue(args[0]);
      if (typeof name !== 'string' || name.length === 0 || name.length > 200) return;
      const last = unwrap(args[args.length - 1]);
      const handler = last && FUNCTIONS.has(last.type) ? { start: last.start, end: last.end } : undefined;
      const tool: RawTool = { name, loc: l, via: method === 'tool' ? 'server.tool' : 'registerTool', ...(handler ? { handler } : {}) };
      if (method === 'registerTool') {
        // The config is often a same-file constant (`const config = {...}; server.registerTool(name, config, ...)`).
        readToolObject(args[1], tool, 'inputSchema');
        tool.name = name; // the first argument names the tool, whatever the config says
      } else {
        let objects = 0;
        for (const a0 of args.slice(1, handler ? -1 : undefined)) {
          const a = unwrap(a0);
          if (!a) continue;
          const v = staticValue(a);
          if (typeof v === 'string' && tool.description === undefined && objects === 0) tool.description = v;
          else if (a.type === 'ObjectExpression' || a.type === 'Identifier' || a.type === 'CallExpression' || (a.type === 'MemberExpression' && loopRoot(a))) {
            if (objects === 0) tool.inputSchema = schemaValue(a);
            else if (v && typeof v === 'object') tool.annotations = v as Record<string, unknown>;
            objects++;
          }
        }
      }
      facts.tools.push(tool);
      return;
    }
    // FastMCP: `server.addTool({ name, description, parameters: z.object(...), annotations, execute })`.
    if (method === 'addTool' && args.length === 1) {
      const tool: Partial<RawTool> = { loc: l, via: 'addTool' };
      readToolObject(args[0], tool, 'parameters');
      if (typeof tool.name === 'string' && tool.name.length > 0 && tool.name.length <= 200) facts.tools.push(tool as RawTool);
      return;
    }
    if (method === 'setRequestHandler' && args.length >= 2 && /ListToolsRequestSchema$/.test(resolved(args[0]))) {
      listToolsHandlers.push({ node: args[1]!, loc: l });
    }
  }

  function collectListTools(fn: Node, l: Loc): void {
    // The handler's own `const` declarations (`const tools = base.filter(...)`), visible while
    // its `tools: <array|ident>` properties are read; names it shadows are restored afterwards.
    let budget = 5000;
    const locals = new Map<string, Node>();
    const collectLocals = (n: Node | null | undefined): void => {
      if (!n || budget-- <= 0) return;
      if (n.type === 'VariableDeclarator' && n.id?.type === 'Identifier' && n.init) locals.set(n.id.name, n.init);
      forEachChild(n, collectLocals);
    };
    collectLocals(fn);
    const shadowed = new Map([...locals.keys()].map((k) => [k, constNodes.get(k)]));
    for (const [k, v] of locals) constNodes.set(k, v);
    budget = 5000;
    const found: unknown[] = [];
    const visit = (n: Node | null | undefined): void => {
      if (!n || budget-- <= 0) return;
      if (n.type === 'Property' && staticKey(n) === 'tools') {
        const v = staticValue(n.value);
        if (Array.isArray(v)) found.push(...v);
        return;
      }
      forEachChild(n, visit);
    };
    try {
      visit(fn);
    } finally {
      for (const [k, v] of shadowed) {
        if (v === undefined) constNodes.delete(k);
        else constNodes.set(k, v);
      }
    }
    const seen = new Set<string>();
    for (const t of found) {
      if (!t || typeof t !== 'object') continue;
      const o = t as Record<string, unknown>;
      if (typeof o.name !== 'string' || seen.has(o.name)) continue;
      seen.add(o.name);
      facts.tools.push({
        name: o.name,
        ...(typeof o.description === 'string' ? { description: o.description } : {}),
        ...(o.inputSchema !== undefined ? { inputSchema: o.inputSchema } : {}),
        ...(o.annotations && typeof o.annotations === 'object' ? { annotations: o.annotations as Record<string, unknown> } : {}),
        loc: l,
        via: 'ListTools',
      });
    }
  }

  // ---- tool-shaped definitions -------------------------------------------------------------------
  const definitions: RawTool[] = [];

  /**
   * Whether something with these keys is shaped like a tool definition, and under which key its
   * input schema sits: a `name` and a `description`, none of the keys of things that are not tools,
   * and a schema (an object or a builder, never a list: `parameters: [...]` documents a callback or
   * a CLI command) or, failing that or beside a bare `schema` (form fields, columns have one too),
   * annotations or a handler. An object with a name and a description alone is too common to count.
   */
  const definitionShape = (has: (key: string) => boolean, valueOf: (key: string) => Node | undefined, hasExtra: boolean): { schemaKey?: string } | undefined => {
    if (!has('name') || !has('description') || NOT_TOOL_KEYS.some(has)) return undefined;
    let schemaKey = TOOL_SCHEMA_KEYS.find(has);
    if (schemaKey && unwrap(valueOf(schemaKey))?.type === 'ArrayExpression') schemaKey = undefined;
    if ((!schemaKey || schemaKey === 'schema') && !hasExtra) return undefined;
    return schemaKey ? { schemaKey } : {};
  };
  let definitionCandidates = 0;
  /** The cheap part first: a tool name and a description, before any schema is read. */
  const nameAndDescription = (nameNode: Node | undefined, descriptionNode: Node | undefined): { name: string; description: string } | undefined => {
    if (definitions.length >= MAX_TOOL_DEFINITIONS || definitionCandidates++ >= MAX_DEFINITION_CANDIDATES) return undefined;
    const name = staticValue(nameNode);
    const description = staticValue(descriptionNode);
    return typeof name === 'string' && TOOL_NAME.test(name) && typeof description === 'string' && description.trim().length > 0 ? { name, description } : undefined;
  };
  /** The value of a key as JavaScript sees it: the last of duplicate keys wins. */
  const propertyValue = (n: Node, key: string): Node | undefined => {
    for (let i = n.properties.length - 1; i >= 0; i--) {
      const p = n.properties[i];
      if (p.type === 'Property' && staticKey(p) === key) return p.value;
    }
    return undefined;
  };

  function definitionFromObject(n: Node): void {
    const keys = new Set<string>();
    for (const p of n.properties) {
      const k = p.type === 'Property' ? staticKey(p) : undefined;
      if (k !== undefined) keys.add(k);
    }
    const has = (k: string) => keys.has(k);
    const shape = definitionShape(has, (k) => propertyValue(n, k), TOOL_EXTRA_KEYS.some(has));
    const named = shape && nameAndDescription(propertyValue(n, 'name'), propertyValue(n, 'description'));
    if (!named) return;
    const tool: Partial<RawTool> = {};
    readToolObject(n, tool, shape.schemaKey ?? 'inputSchema');
    definitions.push({ ...tool, ...named, loc: loc(n), via: 'definition' });
  }

  /** `class SearchTool { name = 'search'; description = '…'; inputSchema = {…}; async execute() {…} }` */
  function definitionFromClass(n: Node): void {
    const fields = new Map<string, Node>();
    const methods = new Map<string, Node>();
    for (const m of n.body?.body ?? []) {
      const k = m.key && !m.computed ? (m.key.type === 'Identifier' ? m.key.name : isStringLit(m.key) ? m.key.value : undefined) : undefined;
      if (k === undefined) continue;
      if (m.type === 'PropertyDefinition' && m.value) fields.set(k, m.value);
      else if (m.type === 'MethodDefinition' && m.kind === 'method' && m.value) methods.set(k, m.value);
    }
    const handlerName = TOOL_HANDLER_KEYS.find((k) => methods.has(k));
    const shape = definitionShape((k) => fields.has(k), (k) => fields.get(k), handlerName !== undefined || TOOL_EXTRA_KEYS.some((k) => fields.has(k)));
    const named = shape && nameAndDescription(fields.get('name'), fields.get('description'));
    if (!named) return;
    const tool: RawTool = { ...named, loc: loc(n), via: 'tool class' };
    if (shape.schemaKey) tool.inputSchema = schemaValue(fields.get(shape.schemaKey));
    const annotations = fields.has('annotations') ? staticValue(fields.get('annotations')) : undefined;
    if (annotations && typeof annotations === 'object') tool.annotations = annotations as Record<string, unknown>;
    if (handlerName) {
      const fn = methods.get(handlerName)!;
      tool.handler = { start: fn.start, end: fn.end };
    }
    definitions.push(tool);
  }

  // ---- the walk --------------------------------------------------------------------------------
  const guards: GuardRef<Node>[] = [];
  let snapshot: GuardRef<Node>[] | undefined = [];
  /** The current guard stack, shared by every call until the stack changes. */
  const guardSnapshot = (): GuardRef<Node>[] => (snapshot ??= guards.slice());
  let loopDepth = 0;
  let fnIndex = -1;

  const bindPattern = (id: Node, module: string): void => {
    if (id.type === 'Identifier') bindings.set(id.name, module);
    else if (id.type === 'ObjectPattern') {
      for (const p of id.properties) {
        if (p.type !== 'Property') continue;
        const k = staticKey(p);
        const v = p.value?.type === 'AssignmentPattern' ? p.value.left : p.value;
        if (k && v?.type === 'Identifier') bindings.set(v.name, normalizeCallee(`${module}.${k}`));
      }
    }
  };

  const visitChildren = (n: Node): void => {
    forEachChild(n, visit);
  };

  const withGuard = (g: GuardRef<Node>, fn: () => void): void => {
    guards.push(g);
    snapshot = undefined;
    try {
      fn();
    } finally {
      guards.pop();
      snapshot = undefined;
    }
  };

  function visit(n: Node): void {
    switch (n.type) {
      case 'Identifier':
        facts.identCount++;
        if (n.name.charCodeAt(0) === 95 && n.name.startsWith('_0x')) facts.hexIdents++;
        return;
      case 'Literal':
        if (typeof n.value === 'string' && n.value.length >= STRING_FACT_MIN) {
          const ctx = contextFor.get(n.start);
          facts.strings.push(lazyString(n.value, ctx, pos, n.start, n.end));
        }
        return;
      case 'TemplateElement':
        if (n.value?.cooked && n.value.cooked.length >= STRING_FACT_MIN) facts.strings.push(lazyString(n.value.cooked, undefined, pos, n.start, n.end));
        return;
      case 'ImportDeclaration':
        // Its bindings were recorded before the walk (imports are top-level only).
        facts.imports.push({ module: normalizeModule(n.source.value), ...loc(n) });
        return;
      case 'ImportExpression':
        if (isStringLit(n.source)) facts.imports.push({ module: normalizeModule(n.source.value), ...loc(n) });
        visitChildren(n);
        return;
      case 'VariableDeclarator': {
        const init = unwrap(n.init);
        if (init) {
          const req = requireOf(init);
          if (req) {
            facts.imports.push({ module: req, ...loc(init) });
            bindPattern(n.id, req);
          } else if (n.id.type === 'ObjectPattern' && (init.type === 'Identifier' || init.type === 'MemberExpression')) {
            // `const { env } = process` binds env → process.env
            const base = resolved(init);
            if (/^[a-z_$][\w$.]*$/i.test(base) && base !== init.name) bindPattern(n.id, base);
            else if (base === 'process' || base === 'os') bindPattern(n.id, base);
          }
          if (n.id.type === 'Identifier') {
            if (FUNCTIONS.has(init.type)) fnNames.set(init.start, n.id.name);
            // A zod schema kept in a constant (`const EchoSchema = z.object({...})`) is a tool's input schema by name.
            const zodConst = init.type === 'CallExpression' && /^(?:z|zod)\./.test(chain(init.callee));
            if (zodConst || init.type === 'ArrayExpression' || init.type === 'ObjectExpression' || init.type === 'TemplateLiteral' || init.type === 'BinaryExpression' || isStringLit(init)) constNodes.set(n.id.name, init);
            if (isStringLit(init)) contextFor.set(init.start, n.id.name);
            facts.assigns.push(lazyAssign(n.id.name, init, summarize, pos, n.start, n.end));
          } else if (n.id.type === 'ObjectPattern' || n.id.type === 'ArrayPattern') {
            const l = n;
            for (const name of patternNames(n.id)) facts.assigns.push(lazyAssign(name, init, summarize, pos, l.start, l.end));
          }
        }
        visitChildren(n);
        return;
      }
      case 'AssignmentExpression': {
        const left = unwrap(n.left);
        const right = unwrap(n.right);
        const l = n;
        const numericStep = (n.operator === '+=' || n.operator === '-=') && right?.type === 'Literal' && typeof right.value === 'number';
        if (left?.type === 'Identifier') {
          facts.assigns.push(lazyAssign(left.name, right, summarize, pos, l.start, l.end));
          if (isStringLit(right)) contextFor.set(right.start, left.name);
          if (numericStep) facts.counters.push(left.name);
        } else if (left?.type === 'MemberExpression') {
          const root = rootIdent(left);
          if (root) facts.assigns.push(lazyAssign(root, right, summarize, pos, l.start, l.end));
          const field = !left.computed && left.property?.type === 'Identifier' ? left.property.name : isStringLit(left.property) ? left.property.value : undefined;
          if (field !== undefined) {
            facts.fields.push(lazyField(field, right, summarize, pos, l.start, l.end));
            if (isStringLit(right)) contextFor.set(right.start, field);
            if (numericStep) facts.counters.push(field);
          }
        } else if (left?.type === 'ObjectPattern' || left?.type === 'ArrayPattern') {
          for (const name of patternNames(left)) facts.assigns.push(lazyAssign(name, right, summarize, pos, l.start, l.end));
        }
        visitChildren(n);
        return;
      }
      case 'UpdateExpression': {
        const a = unwrap(n.argument);
        if (a?.type === 'Identifier') facts.counters.push(a.name);
        else if (a?.type === 'MemberExpression' && !a.computed && a.property?.type === 'Identifier') facts.counters.push(a.property.name);
        visitChildren(n);
        return;
      }
      case 'Property': {
        const k = staticKey(n);
        const v = unwrap(n.value);
        if (k !== undefined && v && FUNCTIONS.has(v.type)) fnNames.set(v.start, k);
        else if (k !== undefined && v) {
          facts.fields.push(lazyField(k, v, summarize, pos, n.start, n.end));
          if (isStringLit(v)) contextFor.set(v.start, k);
        }
        visitChildren(n);
        return;
      }
      case 'CallExpression':
      case 'NewExpression': {
        const callee = resolved(n.callee);
        const l = loc(n);
        const req = n.type === 'CallExpression' ? requireOf(n) : undefined;
        if (req) facts.imports.push({ module: req, ...l });
        const kwNodes: [string, Node][] = [];
        const lastArg = unwrap(n.arguments[n.arguments.length - 1]);
        if (lastArg?.type === 'ObjectExpression') {
          for (const p of lastArg.properties) {
            const k = p.type === 'Property' ? staticKey(p) : undefined;
            if (k !== undefined) kwNodes.push([k, p.value]);
          }
        }
        const argNodes = n.arguments.map((a: Node) => (a.type === 'SpreadElement' ? a.argument : a));
        facts.calls.push(new LazyCall<Node>(callee, n.type === 'NewExpression', argNodes, kwNodes, guardSnapshot(), loopDepth > 0, fnIndex, l.line, l.column, l.start, l.end, summarize));
        toolFromCall(n, callee, l);
        const iterFn = unwrap(n.arguments[0]);
        if (n.type === 'CallExpression' && /\.(?:forEach|map)$/.test(callee) && n.callee?.type === 'MemberExpression' && iterFn && FUNCTIONS.has(iterFn.type) && iterFn.params?.[0]?.type === 'Identifier') {
          withLoopArray(iterFn.params[0].name, staticObjects(n.callee.object), () => visitChildren(n));
          return;
        }
        if (callee === 'setInterval') {
          loopDepth++;
          try {
            visitChildren(n);
          } finally {
            loopDepth--;
          }
          return;
        }
        visitChildren(n);
        return;
      }
      case 'IfStatement': {
        visit(n.test);
        withGuard(new GuardRef(n.test, summarize), () => {
          visit(n.consequent);
          if (n.alternate) visit(n.alternate);
        });
        return;
      }
      case 'ConditionalExpression': {
        visit(n.test);
        withGuard(new GuardRef(n.test, summarize), () => {
          visit(n.consequent);
          visit(n.alternate);
        });
        return;
      }
      case 'LogicalExpression': {
        visit(n.left);
        if (n.operator === '&&') withGuard(new GuardRef(n.left, summarize), () => visit(n.right));
        else visit(n.right);
        return;
      }
      case 'SwitchCase':
        if (isStringLit(n.test)) facts.cases.push({ value: n.test.value, start: n.start, end: n.end });
        visitChildren(n);
        return;
      case 'ReturnStatement': {
        const fname = fnIndex >= 0 ? facts.functions[fnIndex]!.name : undefined;
        if (fname && n.argument) facts.assigns.push(lazyAssign(`${fname}()`, n.argument, summarize, pos, n.start, n.end));
        visitChildren(n);
        return;
      }
      case 'ArrowFunctionExpression':
        if (n.expression && n.body && fnNames.has(n.start)) facts.assigns.push(lazyAssign(`${fnNames.get(n.start)}()`, n.body, summarize, pos, n.start, n.end));
        break;
      case 'MemberExpression':
        if (!n.computed && n.property?.name === 'env' && n.object?.type === 'Identifier' && n.object.name === 'process' && facts.markers.length < 50) facts.markers.push({ type: 'env', inLoop: false, ...loc(n) });
        break;
      case 'ObjectExpression':
        definitionFromObject(n);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        definitionFromClass(n);
        break;
      case 'DebuggerStatement':
        facts.markers.push({ type: 'debugger', inLoop: loopDepth > 0, ...loc(n) });
        return;
      default:
        break;
    }
    if (LOOPS.has(n.type)) {
      if (n.type === 'WhileStatement' || n.type === 'DoWhileStatement') visit(n.test);
      loopDepth++;
      try {
        if (n.type === 'WhileStatement' || n.type === 'DoWhileStatement') visit(n.body);
        else if (n.type === 'ForOfStatement' && n.left?.type === 'VariableDeclaration' && n.left.declarations?.length === 1 && n.left.declarations[0].id?.type === 'Identifier') {
          withLoopArray(n.left.declarations[0].id.name, staticObjects(n.right), () => visitChildren(n));
        } else visitChildren(n);
      } finally {
        loopDepth--;
      }
      return;
    }
    if (FUNCTIONS.has(n.type)) {
      const saved = fnIndex;
      fnIndex = facts.functions.length;
      const name: string | undefined = n.id?.name ?? fnNames.get(n.start);
      facts.functions.push({ ...(name ? { name } : {}), params: (n.params ?? []).flatMap((p: Node) => patternNames(p.type === 'TSParameterProperty' ? p.parameter : p)), start: n.start, end: n.end });
      try {
        visitChildren(n);
      } finally {
        fnIndex = saved;
      }
      return;
    }
    visitChildren(n);
  }

  // Imports and top-level requires first so that uses above a late binding still resolve.
  for (const st of result.program.body as Node[]) {
    if (st.type === 'ImportDeclaration') {
      const m = normalizeModule(st.source.value);
      const relative = typeof st.source.value === 'string' && st.source.value.startsWith('.');
      for (const s of st.specifiers ?? []) {
        const imported: string | undefined = s.type === 'ImportSpecifier' ? (s.imported?.type === 'Identifier' ? s.imported.name : s.imported?.value) : s.type === 'ImportDefaultSpecifier' ? 'default' : undefined;
        if (s.type === 'ImportSpecifier') bindings.set(s.local.name, normalizeCallee(`${m}.${imported}`));
        else bindings.set(s.local.name, m);
        if (relative && imported) relativeImports.set(s.local.name, { module: st.source.value, name: imported });
      }
    }
    collectExports(st);
  }
  for (const st of result.program.body as Node[]) visit(st);
  for (const h of listToolsHandlers) collectListTools(h.node, h.loc);
  // Only files that register tools ask for other files' values: a scan re-reads them with
  // `importedValue` (src/scanner/scan.ts), and other files' imports cost nothing.
  if (toolSites > 0 && importedToolRefs.size > 0) facts.importedToolRefs = [...importedToolRefs];
  if (toolSites > 0) facts.registersTools = true;
  if (definitions.length > 0) facts.toolDefinitions = definitions;
  facts.exportValue = (name: string): unknown => {
    const node = exportNodes.get(name);
    if (node) return staticValue(node);
    for (const module of starExports) {
      const v = options.importedValue?.(module, name);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  return facts;

  /** Records what a top-level statement exports, as nodes evaluated only when asked for. */
  function collectExports(st: Node): void {
    if (st.type === 'ExportNamedDeclaration') {
      if (st.declaration?.type === 'VariableDeclaration') {
        for (const d of st.declaration.declarations ?? []) if (d.id?.type === 'Identifier' && d.init) exportNodes.set(d.id.name, d.init);
      }
      for (const s of st.specifiers ?? []) {
        const local = s.local?.type === 'Identifier' ? s.local.name : s.local?.value;
        const exported = s.exported?.type === 'Identifier' ? s.exported.name : s.exported?.value;
        if (typeof local !== 'string' || typeof exported !== 'string') continue;
        if (typeof st.source?.value === 'string') {
          // `export { x as y } from './z.js'`: the value lives in the other file.
          if (st.source.value.startsWith('.')) relativeImports.set(`\0re:${exported}`, { module: st.source.value, name: local });
          exportNodes.set(exported, { type: 'Identifier', name: `\0re:${exported}`, start: st.start, end: st.end } as Node);
        } else exportNodes.set(exported, { type: 'Identifier', name: local, start: st.start, end: st.end } as Node);
      }
    } else if (st.type === 'ExportDefaultDeclaration' && st.declaration && !FUNCTIONS.has(st.declaration.type) && st.declaration.type !== 'ClassDeclaration') {
      exportNodes.set('default', st.declaration);
    } else if (st.type === 'ExportAllDeclaration' && !st.exported && typeof st.source?.value === 'string' && st.source.value.startsWith('.')) {
      starExports.push(st.source.value);
    }
  }
}

/** A zod raw shape (`{ q: z.string() }` read as `{ q: {type: 'string'} }`) wrapped as an object schema; other values unchanged. */
function wrapRawShape(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && !('type' in v) && !('properties' in v) && Object.values(v).every((x) => x && typeof x === 'object')) {
    return { type: 'object', properties: v };
  }
  return v;
}

function patternNames(p: Node): string[] {
  const out: string[] = [];
  const visit = (n: Node | null | undefined): void => {
    if (!n) return;
    if (n.type === 'Identifier') out.push(n.name);
    else if (n.type === 'ObjectPattern') for (const q of n.properties) visit(q.type === 'RestElement' ? q.argument : q.value);
    else if (n.type === 'ArrayPattern') for (const q of n.elements) visit(q);
    else if (n.type === 'AssignmentPattern') visit(n.left);
    else if (n.type === 'RestElement') visit(n.argument);
  };
  visit(p);
  return out;
}
