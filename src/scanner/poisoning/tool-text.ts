import { LIMITS } from './limits.js';
import { normalizeText } from './normalize.js';
import type { FieldKind, ToolDefinition, ToolText } from './types.js';

/** Schema keywords whose values are sub-schemas (one, an array, or a map of them). */
const SUB_ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
const SUB_MANY = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUB_MAP = ['$defs', 'definitions', 'patternProperties'];

/**
 * Identifiers read as words: `dumpLsassMemory`, `dump_lsass-memory` and `DUMP.LSASS` all read
 * `dump lsass memory`, so the vocabulary of description rules also applies to tool and property
 * names (a tool's name is often all a reviewer sees).
 */
export function identifierWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_\-.:/]+/g, ' ');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Every piece of text a model reads from a tool: its name, description, annotation title, and in
 * the input schema each property name, description, title, default, enum and example string.
 * Bounded by LIMITS (depth, nodes, characters).
 */
export function toolTexts(tool: ToolDefinition): ToolText[] {
  const out: ToolText[] = [];
  let budget = LIMITS.toolChars;
  const add = (field: string, kind: FieldKind, value: unknown) => {
    if (typeof value !== 'string' || value.length === 0 || budget <= 0) return;
    const raw = value.slice(0, Math.min(LIMITS.fieldChars, budget));
    budget -= raw.length;
    const words = kind === 'name' || kind === 'property-name' ? identifierWords(raw) : raw;
    out.push({ field, kind, raw, norm: normalizeText(words) });
  };
  add('name', 'name', tool.name);
  add('description', 'description', tool.description);
  if (isObject(tool.annotations)) add('annotations.title', 'description', tool.annotations['title']);

  let nodes = 0;
  const walk = (node: unknown, path: string, depth: number) => {
    if (!isObject(node) || depth > LIMITS.schemaDepth || ++nodes > LIMITS.schemaNodes) return;
    add(`${path}.description`, 'schema', node['description']);
    add(`${path}.title`, 'schema', node['title']);
    add(`${path}.default`, 'schema', node['default']);
    for (const key of ['enum', 'examples'] as const) {
      const list = node[key];
      if (Array.isArray(list)) list.slice(0, 100).forEach((v, i) => add(`${path}.${key}[${i}]`, 'schema', v));
    }
    const props = node['properties'];
    if (isObject(props)) {
      for (const [name, sub] of Object.entries(props)) {
        const p = `${path}.properties.${name}`;
        add(p, 'property-name', name);
        walk(sub, p, depth + 1);
      }
    }
    for (const k of SUB_ONE) walk(node[k], `${path}.${k}`, depth + 1);
    for (const k of SUB_MANY) {
      const list = node[k];
      if (Array.isArray(list)) list.forEach((sub, i) => walk(sub, `${path}.${k}[${i}]`, depth + 1));
    }
    for (const k of SUB_MAP) {
      const map = node[k];
      if (isObject(map)) for (const [name, sub] of Object.entries(map)) walk(sub, `${path}.${k}.${name}`, depth + 1);
    }
  };
  walk(tool.inputSchema, 'inputSchema', 0);
  return out;
}

/** Top-level and nested property names of the input schema, with their description text. */
export function schemaProperties(tool: ToolDefinition): Array<{ name: string; path: string; description: string; type?: string }> {
  const out: Array<{ name: string; path: string; description: string; type?: string }> = [];
  let nodes = 0;
  const walk = (node: unknown, path: string, depth: number) => {
    if (!isObject(node) || depth > LIMITS.schemaDepth || ++nodes > LIMITS.schemaNodes) return;
    const props = node['properties'];
    if (isObject(props)) {
      for (const [name, sub] of Object.entries(props)) {
        const p = `${path}.properties.${name}`;
        const d = isObject(sub) && typeof sub['description'] === 'string' ? sub['description'].slice(0, LIMITS.fieldChars) : '';
        const type = isObject(sub) && typeof sub['type'] === 'string' ? sub['type'] : undefined;
        out.push({ name, path: p, description: d, ...(type ? { type } : {}) });
        walk(sub, p, depth + 1);
      }
    }
    if (isObject(node['items'])) walk(node['items'], `${path}.items`, depth + 1);
  };
  walk(tool.inputSchema, 'inputSchema', 0);
  return out;
}
