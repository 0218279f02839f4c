import { createHash } from 'node:crypto';
import type { ToolDefinition } from './types.js';

/**
 * Helpers for the labelled tool-description sets (../shared/data/tool-descriptions.jsonl and
 * test/fixtures/scanner/tool-descriptions-fresh.jsonl), shared by bench/scanner-quality and
 * scripts/train-tool-classifier so that both split and read rows the same way.
 */
export interface LabelledRow {
  id: string;
  text: string;
  label: string;
  tool_name?: string;
}

/** Development half or held-out half, fixed by the row id (not by content or label). */
export function corpusHalf(id: string): 'dev' | 'holdout' {
  return createHash('sha256').update(String(id)).digest()[0]! & 1 ? 'holdout' : 'dev';
}

/**
 * A row's text is either a bare description or a JSON tool definition (`{"name", "inputSchema", ...}`).
 * Bare descriptions are checked under the neutral name `tool` unless `withName` is set: then under
 * the row's `tool_name`, as the scanner sees a real tool.
 */
export function toolFromRow(row: LabelledRow, withName = false): ToolDefinition {
  const t = row.text.trim();
  if (t.startsWith('{')) {
    try {
      const obj = JSON.parse(t) as unknown;
      if (obj !== null && typeof obj === 'object' && typeof (obj as { name?: unknown }).name === 'string') return obj as ToolDefinition;
    } catch {
      // not JSON: a description that starts with a brace
    }
  }
  return { name: withName && typeof row.tool_name === 'string' ? row.tool_name : 'tool', description: row.text };
}

/**
 * A tool of a real, published MCP server (test/fixtures/scanner/real-server-tools.jsonl): benign
 * by provenance, extracted statically from the npm package.
 */
export interface RealToolRow {
  id: string;
  package: string;
  version: string;
  name: string;
  description: string;
  inputSchema?: Record<string, unknown>;
}

/**
 * The reference servers that test/scanner/poisoning/real-servers.test.ts runs live: never trained
 * on, so that test stays a check on servers the model has not seen.
 */
export const REAL_SERVER_TEST_PACKAGES: readonly string[] = ['@modelcontextprotocol/server-everything', '@modelcontextprotocol/server-filesystem', '@modelcontextprotocol/server-memory'];

/** Real servers split by package (all tools of a package on one side), like corpusHalf. */
export function realToolHalf(row: Pick<RealToolRow, 'package'>): 'dev' | 'holdout' {
  return REAL_SERVER_TEST_PACKAGES.includes(row.package) ? 'holdout' : corpusHalf(row.package);
}

export function toolFromRealRow(row: RealToolRow): ToolDefinition {
  return { name: row.name, description: row.description, ...(row.inputSchema ? { inputSchema: row.inputSchema } : {}) };
}
