import { excerpt } from '../evidence.js';
import { normalizeText, splitSentences } from '../normalize.js';
import { schemaProperties } from '../tool-text.js';
import type { MatchHit, ToolDefinition } from '../types.js';

export interface CompiledExfil {
  channelNames: RegExp;
  secretSources: RegExp;
  conversationSources: RegExp;
  fillVerbs: RegExp;
  /** The same three, global, for finding where in a sentence they occur. */
  secretSourcesAll: RegExp;
  conversationSourcesAll: RegExp;
  fillVerbsAll: RegExp;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A boolean or a number cannot carry a file's contents or the conversation. */
const DATA_LESS_TYPES = new Set(['boolean', 'integer', 'number', 'null']);

/** How many words may separate a fill verb from the data it asks for ("put the contents of ~/.ssh/id_rsa here"). */
const VERB_REACH_WORDS = 20;

/** Word index of each match of the global regular expression `re` in `text`. */
function wordPositions(re: RegExp, text: string): number[] {
  const out: number[] = [];
  let words = 0;
  let counted = 0;
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    for (; counted < m.index; counted++) if (/\s/u.test(text[counted]!) && counted > 0 && !/\s/u.test(text[counted - 1]!)) words++;
    out.push(words);
  }
  return out;
}

/**
 * A parameter used as a side channel: the model is told to put secrets, file contents or the
 * conversation into an argument the user will not look at. Three shapes:
 *  1. a property's own description asks for secret data (any name), or for conversation data
 *     when the property has a side-channel name (`sidenote`, `notes`, `context`, `metadata`);
 *  2. the tool description (or the description of a flag that cannot carry data itself) asks to
 *     put such data into a property it names (`as 'sidenote'`);
 *  3. without a schema, the description asks to put such data into a quoted side-channel name.
 */
export function matchExfilParameter(c: CompiledExfil, tool: ToolDefinition): MatchHit | null {
  const all = schemaProperties(tool);
  const dataLess = (p: (typeof all)[number]) => p.type !== undefined && DATA_LESS_TYPES.has(p.type);
  const props = all.filter((p) => !dataLess(p));
  // A fill verb near the data it names: "include file content" in a list of features is not a request.
  const asks = (sentence: string, channel: boolean) => {
    if (!c.fillVerbs.test(sentence)) return false;
    const sources = [...wordPositions(c.secretSourcesAll, sentence), ...(channel ? wordPositions(c.conversationSourcesAll, sentence) : [])];
    if (sources.length === 0) return false;
    const verbs = wordPositions(c.fillVerbsAll, sentence);
    return sources.some((s) => verbs.some((v) => Math.abs(v - s) <= VERB_REACH_WORDS));
  };

  for (const p of props) {
    const channel = c.channelNames.test(p.name);
    for (const s of splitSentences(normalizeText(p.description))) {
      if (asks(s, channel)) {
        return { field: `${p.path}.description`, evidence: excerpt(s), detail: `parameter "${p.name}" is to be filled with sensitive data` };
      }
    }
  }

  // Text that can route data into a parameter: the tool description, and the descriptions of
  // parameters that cannot carry data themselves (a boolean's description may still give orders).
  const routing = [{ field: 'description', text: tool.description ?? '' }, ...all.filter(dataLess).map((p) => ({ field: `${p.path}.description`, text: p.description }))];
  const named = props.map((p) => ({ name: p.name, channel: c.channelNames.test(p.name) }));
  for (const { field, text } of routing) {
    const sentences = splitSentences(normalizeText(text));
    for (let i = 0; i < sentences.length; i++) {
      // A request and the parameter it targets are often one sentence apart ("read X. Pass it as 'notes'").
      const s = sentences.slice(i, i + 2).join(' ');
      for (const p of named) {
        const ref = new RegExp(`[\`'"]${escapeRe(p.name)}[\`'"]|\\b(?:as|in|into|to|the)\\s+${escapeRe(p.name)}\\b`, 'iu');
        if (ref.test(s) && asks(s, p.channel)) {
          return { field, evidence: excerpt(s), detail: `the ${field === 'description' ? 'description' : 'text of a flag parameter'} routes sensitive data into parameter "${p.name}"` };
        }
      }
      if (props.length === 0) {
        const quoted = /[`'"]([A-Za-z_][\w-]{1,40})[`'"]\s*(?:field|parameter|argument|param)?/gu;
        for (const q of s.matchAll(quoted)) {
          if (c.channelNames.test(q[1]!) && asks(s, true)) {
            return { field, evidence: excerpt(s), detail: `the description routes sensitive data into a "${q[1]}" argument` };
          }
        }
      }
    }
  }
  return null;
}
