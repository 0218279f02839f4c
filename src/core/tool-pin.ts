import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * Tool-definition pins shared by the installer (`warden.lock`, `warden run`) and the gateway: a
 * changed name, title, description, schema or annotation is a changed tool and needs approval
 * (a "rug pull" rewrites descriptions after a server was trusted).
 */
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

export interface ToolPin {
  name: string;
  sha256: string;
}

export function pinTools(tools: Array<Record<string, unknown>>): ToolPin[] {
  return tools.map((t) => ({ name: String(t.name), sha256: toolHash(t) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface ToolDrift {
  added: string[];
  removed: string[];
  changed: string[];
}

export function diffToolPins(pinned: ToolPin[], current: ToolPin[]): ToolDrift {
  const before = new Map(pinned.map((p) => [p.name, p.sha256] as const));
  const after = new Map(current.map((p) => [p.name, p.sha256] as const));
  return {
    added: [...after.keys()].filter((n) => !before.has(n)).sort(),
    removed: [...before.keys()].filter((n) => !after.has(n)).sort(),
    changed: [...after.entries()].filter(([n, h]) => before.has(n) && before.get(n) !== h).map(([n]) => n).sort(),
  };
}

export function hasDrift(d: ToolDrift): boolean {
  return d.added.length + d.removed.length + d.changed.length > 0;
}

/** "changed a, b; added c" — at most `max` names per kind, for messages. */
export function describeDrift(d: ToolDrift, max = 5): string {
  const list = (xs: string[]) => xs.slice(0, max).join(', ') + (xs.length > max ? ` (+${xs.length - max})` : '');
  return [d.changed.length ? `changed ${list(d.changed)}` : '', d.added.length ? `added ${list(d.added)}` : '', d.removed.length ? `removed ${list(d.removed)}` : ''].filter(Boolean).join('; ');
}
