import type { NameMatch, PairFacts } from './name-index.js';
import type { Verdict } from './policy.js';

function q(s: string): string {
  return `\`${s}\``;
}

function formatWeight(w: number): string {
  return Math.round(w).toLocaleString('en-US');
}

/** One sentence per match, e.g. "`server-filesytem` is one omitted 's' from popular `server-filesystem` ...". */
export function describeMatch(f: PairFacts): string {
  const c = q(f.candidate);
  const e = q(f.existing);
  const parts: string[] = [];
  for (const r of f.reasons) {
    switch (r) {
      case 'NAME_EXACT':
        parts.push(`${c} is the existing name ${e}`);
        break;
      case 'NAME_SEPARATOR':
        parts.push(`${c} differs from ${e} only in separators or case`);
        break;
      case 'NAME_SKELETON':
        parts.push(`${c} looks the same as ${e} (confusable characters)`);
        break;
      case 'NAME_EDIT_DISTANCE':
      case 'NAME_KEYBOARD':
      case 'NAME_OMISSION':
      case 'NAME_REPETITION':
      case 'NAME_TRANSPOSITION':
        parts.push(`${c} is ${f.editPhrase ?? 'a small edit'} away from ${e}`);
        break;
      case 'NAME_WORD_REORDER':
        parts.push(`${c} has the words of ${e} in another order`);
        break;
      case 'NAME_COMBOSQUAT':
        parts.push(`${c} is ${e} plus ${(f.extraWords ?? []).map(q).join(', ')}`);
        break;
      case 'NAME_ORG_LOOKALIKE':
        parts.push(`org ${q(f.orgs?.candidate ?? '')} looks like ${q(f.orgs?.existing ?? '')}`);
        break;
      case 'NAME_CROSS_ORG':
        parts.push(
          f.orgs?.candidate === undefined
            ? `${c} takes the name of ${e} without its org`
            : `${c} re-uses the module name of ${e} under another org`,
        );
        break;
      case 'NAME_DISTINCTIVE_REUSE':
        parts.push(
          f.distinctive?.kind === 'brand'
            ? `the name carries the brand ${q(f.distinctive.word)} of ${e}'s own org`
            : `the name has the coined word ${q(f.distinctive?.word ?? '')} that no other name uses`,
        );
        break;
    }
  }
  const notes: string[] = [];
  if (f.knownWord) notes.push('the changed word is used by other names, so it may be a different project');
  if (f.sameOwner) notes.push('same owner');
  const note = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `${parts.join('; ')}; ${e} is ${f.tierId} (weight ${formatWeight(f.weight)}) → ${f.verdict}${note}.`;
}

/** The verdict in one or two sentences. */
export function summarize(candidate: string, verdict: Verdict, matches: NameMatch[], total: number): string {
  if (matches.length === 0) return `${q(candidate)} is not near any indexed name → allow.`;
  const first = matches[0]!.explanation;
  const more = total > 1 ? ` ${total - 1} more match${total > 2 ? 'es' : ''}.` : '';
  if (verdict === 'allow') return `${q(candidate)} is allowed: ${first}${more}`;
  return `${first}${more}`;
}
