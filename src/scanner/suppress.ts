/**
 * Accepting findings without forking rules: inline `warden-ignore <rule-id>: <reason>` comments
 * (a reason is mandatory; without one the comment is ignored and reported) and baseline files of
 * fingerprints that survive unrelated edits (line numbers are not part of a fingerprint).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { WardenError, ioError } from '../core/errors.js';
import type { Finding } from './types.js';
import type { LineIndex } from './lines.js';

const IGNORE_RE = /warden-ignore[ \t]+([a-z0-9-]+(?:[ \t]*,[ \t]*[a-z0-9-]+)*)[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*(?:\*\/|-->)?[ \t]*$/;

/** The suppression on a finding's line or the line above, if it names the rule and gives a reason. */
export function inlineSuppression(lines: LineIndex, line: number, ruleId: string): string | undefined {
  for (const l of [line, line - 1]) {
    if (l < 1) continue;
    const text = lines.lineText(l);
    if (!text.includes('warden-ignore')) continue;
    const m = IGNORE_RE.exec(text);
    if (!m) continue;
    const ids = m[1]!.split(',').map((s) => s.trim());
    if (ids.includes(ruleId) || ids.includes('all')) return m[2]!.slice(0, 300);
  }
  return undefined;
}

export function fingerprint(ruleId: string, file: string, lineText: string, occurrence: number): string {
  const norm = lineText.replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`${ruleId}\0${file}\0${norm}\0${occurrence}`).digest('hex').slice(0, 32);
}

export interface BaselineFile {
  version: 1;
  fingerprints: string[];
}

export const MAX_BASELINE_BYTES = 16 * 1024 * 1024;

export async function readBaseline(path: string): Promise<Set<string>> {
  let text: string;
  try {
    if ((await stat(path)).size > MAX_BASELINE_BYTES) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The baseline ${path} is over ${MAX_BASELINE_BYTES} bytes.`, { where: path });
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof WardenError) throw err;
    throw ioError('read the baseline', path, err);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new WardenError('WARDEN_E_SCAN_BASELINE', `${path} is not JSON: ${(err as Error).message}.`, { where: path, cause: err });
  }
  const d = doc as Partial<BaselineFile>;
  if (d?.version !== 1 || !Array.isArray(d.fingerprints) || !d.fingerprints.every((f) => typeof f === 'string' && /^[0-9a-f]{32}$/.test(f))) {
    throw new WardenError('WARDEN_E_SCAN_BASELINE', `${path} is not a Warden baseline ({"version": 1, "fingerprints": ["<32 hex>", ...]}).`, { where: path });
  }
  return new Set(d.fingerprints);
}

export function baselineOf(findings: Finding[]): BaselineFile {
  return { version: 1, fingerprints: [...new Set(findings.map((f) => f.fingerprint))].sort() };
}
