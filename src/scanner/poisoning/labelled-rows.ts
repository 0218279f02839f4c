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
