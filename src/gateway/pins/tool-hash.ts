import { createHash } from 'node:crypto';

/** Canonical JSON: object keys sorted, no whitespace; the basis of tool-definition hashes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + canonicalJson(v)).join(',') + '}';
}

/** The parts of a tool definition a model or client acts on; a change to any of them needs approval. */
export function pinnedPart(tool: Record<string, unknown>): Record<string, unknown> {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
  };
}

export function toolHash(tool: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(pinnedPart(tool))).digest('hex');
}
