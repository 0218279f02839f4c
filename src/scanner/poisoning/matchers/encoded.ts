import { excerpt } from '../evidence.js';
import type { EncodedMatcher, MatchHit, ToolText } from '../types.js';

const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const HEX_RUN = /(?:0x)?[0-9a-fA-F]{16,}/g;

/** Share of printable ASCII (and whitespace) in decoded bytes. */
function printableShare(buf: Buffer): number {
  if (buf.length === 0) return 0;
  let ok = 0;
  for (const b of buf) if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) ok++;
  return ok / buf.length;
}

function looksBase64(run: string): boolean {
  // Real encodings mix cases and digits; long words, paths and snake_case names do not.
  const body = run.replace(/=+$/, '');
  return /[a-z]/.test(body) && /[A-Z]/.test(body) && /[0-9]/.test(body) && (body.match(/[/_-]/g)?.length ?? 0) < body.length / 8;
}

function decodedPreview(buf: Buffer): string {
  return buf.toString('latin1').replace(/[^\x20-\x7e]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
}

export function matchEncoded(m: EncodedMatcher, texts: ToolText[]): MatchHit | null {
  for (const t of texts) {
    if (!m.fields.includes(t.kind)) continue;
    const text = t.raw.normalize('NFKC');
    for (const found of text.matchAll(BASE64_RUN)) {
      const run = found[0];
      if (!looksBase64(run)) continue;
      const buf = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      const isText = printableShare(buf) >= 0.9;
      if ((isText && run.length >= m.minTextRun) || run.length >= m.minBase64Any) {
        return {
          field: t.field,
          evidence: excerpt(text, found.index, found.index + run.length),
          detail: isText ? `a ${run.length}-character base64 string that decodes to text: "${decodedPreview(buf)}"` : `a ${run.length}-character base64 string`,
        };
      }
    }
    for (const found of text.matchAll(HEX_RUN)) {
      const run = found[0].replace(/^0x/, '');
      const buf = Buffer.from(run.length % 2 ? run.slice(1) : run, 'hex');
      const isText = printableShare(buf) >= 0.9;
      if ((isText && run.length >= m.minTextRun) || run.length >= m.minHex) {
        return {
          field: t.field,
          evidence: excerpt(text, found.index, found.index + found[0].length),
          detail: isText ? `a ${run.length}-character hex string that decodes to text: "${decodedPreview(buf)}"` : `a ${run.length}-character hex string`,
        };
      }
    }
  }
  return null;
}
