import { ASCII_CHAR_FOLDS, ASCII_SEQUENCE_FOLDS, foldUnicodeChar } from './confusables.js';

/** Characters that separate words in names across npm, PyPI and Warden module ids. */
const SEPARATOR = /[-_.\s]+/u;
const ASCII_ALNUM = /^[a-z0-9]$/;

/** Lower case after Unicode compatibility folding (NFKC), the first step for every form. */
export function lowerNfkc(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e) return false;
  return true;
}

/**
 * The form edit distances are measured on: lower case, separators removed, non-ASCII
 * characters read as their ASCII prototype when they have one. Digits stay digits.
 */
export function plainForm(lower: string): string {
  if (isAscii(lower)) return lower.replace(/[^a-z0-9]/g, '');
  let out = '';
  for (const ch of lower) {
    if (ch.charCodeAt(0) <= 0x7e && ch.length === 1) {
      if (ASCII_ALNUM.test(ch)) out += ch;
      continue;
    }
    for (const f of foldUnicodeChar(ch)) {
      if (f.charCodeAt(0) > 0x7e || ASCII_ALNUM.test(f)) out += f;
    }
  }
  return out;
}

/** Lower case with separators removed and nothing else folded: npm's uniqueness rule. */
export function separatorFold(lower: string): string {
  return lower.replace(/[-_.\s]/g, '');
}

/** The confusable skeleton: the plain form with ASCII look-alikes folded (0→o, 1/i→l, rn→m, vv→w). */
export function skeletonForm(plain: string): string {
  let s = '';
  for (const ch of plain) s += ASCII_CHAR_FOLDS[ch] ?? ch;
  for (const [from, to] of ASCII_SEQUENCE_FOLDS) if (s.includes(from)) s = s.split(from).join(to);
  return s;
}

/** Words of a name: split on separators, each word in plain form, empty words dropped. */
export function plainTokens(lower: string): string[] {
  const out: string[] = [];
  for (const t of lower.split(SEPARATOR)) {
    const p = plainForm(t);
    if (p.length > 0) out.push(p);
  }
  return out;
}

/** How affixes are recognised; derived from the policy's affix lists. */
export interface AffixSets {
  /** Affixes that only pretend to be the original (`official`, `pro`): a combosquat may be blocked. */
  readonly impersonating: ReadonlySet<string>;
  /** Ecosystem affixes that are also common in legitimate names (`mcp`, `js`, `node`): at most review. */
  readonly ecosystem: ReadonlySet<string>;
  /** Affixes also recognised when glued to a word (`mysqljs`, `nodemailer`). */
  readonly attachable: readonly string[];
  /** Minimum length of the word left when an attached affix is split off. */
  readonly minStem: number;
  /** Common words, never split (`sheets` is not `shee ts`, `options` is not `optio ns`). */
  readonly words?: ReadonlySet<string>;
  /**
   * Memo of expandToken results for these affixes (names share a bounded vocabulary, and one
   * check recomputes the forms of hundreds of indexed names). Cleared when it reaches
   * EXPAND_MEMO_MAX entries.
   */
  readonly expandMemo?: Map<string, readonly string[]>;
}

const EXPAND_MEMO_MAX = 200_000;

const VERSION_TOKEN = /^v?\d{1,4}$/;

export function isVersionToken(token: string): boolean {
  return VERSION_TOKEN.test(token);
}

export function isAffix(token: string, affixes: AffixSets): boolean {
  return affixes.impersonating.has(token) || affixes.ecosystem.has(token);
}

/**
 * Words with glued-on affixes split off (`mysqljs` → `mysql js`, `nodemailer` → `node mailer`,
 * `lodashv2` → `lodash v2`, `readline2` → `readline 2`), so `mysql.js`, `mysql-js` and `mysqljs` compare alike.
 */
export function expandTokens(tokens: readonly string[], affixes: AffixSets): string[] {
  const out: string[] = [];
  const memo = affixes.expandMemo;
  for (const t of tokens) {
    let words = memo?.get(t);
    if (words === undefined) {
      words = expandToken(t, affixes);
      if (memo !== undefined) {
        if (memo.size >= EXPAND_MEMO_MAX) memo.clear();
        memo.set(t, words);
      }
    }
    for (const w of words) out.push(w);
  }
  return out;
}

/** One word with its glued affixes and version split off (see expandTokens). */
function expandToken(t: string, affixes: AffixSets): readonly string[] {
  let stem = t;
  const tail: string[] = [];
  const version = /^(.*[a-z])(v\d{1,3}|\d)$/.exec(stem);
  if (version && version[1]!.length >= affixes.minStem) {
    stem = version[1]!;
    tail.unshift(version[2]!);
  }
  const isWord = affixes.words?.has(stem) === true;
  for (const a of isWord ? [] : affixes.attachable) {
    if (stem.length - a.length >= affixes.minStem && stem.endsWith(a)) {
      tail.unshift(a);
      stem = stem.slice(0, -a.length);
      break;
    }
  }
  const head: string[] = [];
  for (const a of isWord ? [] : affixes.attachable) {
    if (stem.length - a.length >= affixes.minStem + 1 && stem.startsWith(a)) {
      head.push(a);
      stem = stem.slice(a.length);
      break;
    }
  }
  return [...head, stem, ...tail];
}

/** The expanded words left once leading/trailing affixes and trailing version tokens are removed. */
export function coreTokens(expanded: readonly string[], affixes: AffixSets): string[] {
  let start = 0;
  let end = expanded.length;
  while (end > start && (isAffix(expanded[end - 1]!, affixes) || (end - 1 > start && isVersionToken(expanded[end - 1]!)))) end--;
  while (start < end && isAffix(expanded[start]!, affixes)) start++;
  return expanded.slice(start, end);
}
