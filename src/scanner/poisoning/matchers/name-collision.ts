import unhomoglyph from 'unhomoglyph';
import { escapeHidden } from '../evidence.js';
import type { MatchHit, ToolDefinition } from '../types.js';
import type { MatchContext } from './context.js';

/** What a name looks like to a reader: confusables folded, case and separators ignored. */
export function nameSkeleton(name: string): string {
  return unhomoglyph(name.normalize('NFKC').replace(/[\p{Cf}]/gu, ''))
    .toLowerCase()
    .replace(/[\s_.\-]+/g, '');
}

/**
 * The tool's name equals another visible tool's name, or differs from it only by look-alike
 * characters, case or separators — so the model (or the user approving a call) may confuse them.
 */
export function matchNameCollision(tool: ToolDefinition, ctx: MatchContext): MatchHit | null {
  const own = nameSkeleton(tool.name);
  if (own.length < 2) return null;
  for (const other of ctx.others) {
    if (other === tool.name) {
      return { field: 'name', evidence: escapeHidden(tool.name), detail: `another tool has the same name "${other}"` };
    }
  }
  for (const other of ctx.others) {
    if (nameSkeleton(other) === own) {
      return { field: 'name', evidence: escapeHidden(tool.name), detail: `its name looks like "${other}" but is spelled differently` };
    }
  }
  return null;
}
