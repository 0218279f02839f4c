import { WardenError } from '../core/errors.js';
import { UPPERCASE_FOLDS } from './confusables.js';
import { lowerNfkc } from './normalize.js';

/** Longest name the engine accepts (npm's limit; Warden ids are shorter). */
export const MAX_NAME_LENGTH = 214;

/** A name split into its namespace (org or npm scope) and its module name, both lower case NFKC. */
export interface ParsedName {
  /** As given, trimmed: what explanations show. */
  readonly display: string;
  /** `org` of `org/name`, scope of `@scope/name`; undefined for plain npm/PyPI names. */
  readonly org: string | undefined;
  readonly name: string;
  /** The module name lower-cased after upper-case look-alikes were folded (`Iodash` → `lodash`): the skeleton's source. */
  readonly lookName: string;
  /** `org/name` or `name`: two names with the same key are the same name. */
  readonly key: string;
}

// Control characters, bidi overrides and zero-width characters never belong in a name.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

/**
 * Accepts Warden module ids (`org/name`, `io.github.alice/name`), npm names (`name`,
 * `@scope/name`) and PyPI names. Deliberately permissive about characters (a look-alike check
 * must see Unicode look-alikes to report them) but strict about shape and size.
 */
export function parseName(input: string, where = 'name'): ParsedName {
  if (typeof input !== 'string') throw new WardenError('WARDEN_E_NAME_INVALID', 'The name to check must be a string.', { where });
  const display = input.trim();
  if (display.length === 0) throw new WardenError('WARDEN_E_NAME_INVALID', 'The name to check is empty; give a name such as acme/weather or left-pad.', { where });
  if (display.length > MAX_NAME_LENGTH) {
    throw new WardenError('WARDEN_E_NAME_INVALID', `The name is ${display.length} characters long; names are at most ${MAX_NAME_LENGTH}.`, { where });
  }
  if (FORBIDDEN.test(display)) {
    throw new WardenError('WARDEN_E_NAME_INVALID', 'The name contains control, bidi-override or zero-width characters; remove them.', { where });
  }
  const lower = lowerNfkc(display);
  let org: string | undefined;
  let name: string;
  const body = lower.startsWith('@') ? lower.slice(1) : lower;
  const slash = body.indexOf('/');
  if (slash >= 0) {
    if (body.indexOf('/', slash + 1) >= 0) {
      throw new WardenError('WARDEN_E_NAME_INVALID', `"${display}" has more than one '/'; expected name, @scope/name or org/name.`, { where });
    }
    org = body.slice(0, slash);
    name = body.slice(slash + 1);
    if (org.length === 0 || name.length === 0) {
      throw new WardenError('WARDEN_E_NAME_INVALID', `"${display}" has an empty part around '/'; expected @scope/name or org/name.`, { where });
    }
  } else {
    if (lower.startsWith('@')) throw new WardenError('WARDEN_E_NAME_INVALID', `"${display}" starts with '@' but has no '/name'; expected @scope/name.`, { where });
    name = lower;
  }
  if (/\s/u.test(name) || (org !== undefined && /\s/u.test(org))) {
    throw new WardenError('WARDEN_E_NAME_INVALID', `"${display}" contains white space; names never do.`, { where });
  }
  const cased = display.normalize('NFKC');
  const casedName = cased.slice(cased.length - name.length);
  let lookName = '';
  for (const ch of casedName) lookName += UPPERCASE_FOLDS[ch] ?? ch;
  lookName = lookName.toLowerCase();
  if (lookName.length !== name.length) lookName = name;
  return { display, org, name, lookName, key: org === undefined ? name : `${org}/${name}` };
}
