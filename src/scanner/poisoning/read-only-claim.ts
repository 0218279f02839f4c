import { normalizeText } from './normalize.js';
import type { ToolDefinition } from './types.js';

const READ_ONLY_PHRASES =
  /\bread[- ]only\b|\b(?:does|will) not (?:modify|change|write|alter|delete)\b|\bno side[- ]effects\b|\bwithout (?:modifying|changing|side effects)\b|\bnon[- ]destructive\b|\bsafe to call\b/iu;

/**
 * Whether the tool presents itself as read-only: the MCP annotation `readOnlyHint: true`, or its
 * description says so ("read-only", "does not modify", "no side effects"). For the engine's check
 * of claims against code (a read-only tool that spawns processes or writes files).
 */
export function claimsReadOnly(tool: ToolDefinition): boolean {
  if (tool.annotations?.['readOnlyHint'] === true) return true;
  const text = normalizeText((tool.description ?? '').slice(0, 64 * 1024));
  if (/\bnot read[- ]only\b/iu.test(text)) return false;
  return READ_ONLY_PHRASES.test(text);
}
