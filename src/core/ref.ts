import { WardenError } from './errors.js';

/** A module reference `org/name@version`, already validated. */
export interface ModuleRef {
  readonly org: string;
  readonly name: string;
  readonly version: string;
}

/** `org/name` without the version. */
export interface ModuleId {
  readonly org: string;
  readonly name: string;
}

const ORG_RE = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const NAME_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// semver.org 2.0.0, strict: no leading zeros, no `v` prefix, no ranges.
const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const MAX_REF_LENGTH = 64 + 1 + 64 + 1 + 128;

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `'${ch}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Returns the first character that is not printable ASCII, for messages about look-alikes. */
function firstNonAscii(s: string): string | undefined {
  for (const ch of s) if ((ch.codePointAt(0) ?? 0) > 0x7e || (ch.codePointAt(0) ?? 0) < 0x20) return ch;
  return undefined;
}

function partProblem(part: string, kind: 'org' | 'name'): string | undefined {
  const label = kind === 'org' ? 'org' : 'name';
  const [min, max] = kind === 'org' ? [2, 64] : [1, 64];
  if (part.length === 0) return `the ${label} is empty`;
  const odd = firstNonAscii(part);
  if (odd !== undefined) return `the ${label} contains the non-ASCII character ${describeChar(odd)}; only lowercase a-z, 0-9 and separators are allowed (look-alike letters are refused)`;
  if (/[A-Z]/.test(part)) return `the ${label} "${part}" has upper-case letters; use "${part.toLowerCase()}"`;
  if (/\s/.test(part)) return `the ${label} contains white space`;
  if (part.includes('..') || part.startsWith('.') || part.endsWith('.')) return `the ${label} "${part}" has an empty word (leading, trailing or doubled '.')`;
  if (part.length < min || part.length > max) return `the ${label} "${part}" is ${part.length} characters long; it must be ${min}–${max}`;
  const re = kind === 'org' ? ORG_RE : NAME_RE;
  if (!re.test(part)) {
    const allowed = kind === 'org' ? "'.' or '-'" : "'.', '_' or '-'";
    return `the ${label} "${part}" must be lowercase [a-z0-9] words joined by single ${allowed}`;
  }
  return undefined;
}

export function validateOrg(org: string, where = 'org'): void {
  const problem = partProblem(org, 'org');
  if (problem) throw new WardenError('WARDEN_E_REF_ORG', `Invalid module reference: ${problem}.`, { where });
}

export function validateName(name: string, where = 'name'): void {
  const problem = partProblem(name, 'name');
  if (problem) throw new WardenError('WARDEN_E_REF_NAME', `Invalid module reference: ${problem}.`, { where });
}

export function isStrictSemver(version: string): boolean {
  return version.length <= 128 && SEMVER_RE.test(version);
}

export function validateVersion(version: string, where = 'version'): void {
  if (version === 'latest') {
    throw new WardenError('WARDEN_E_REF_VERSION', 'Invalid version "latest": publish and sign an exact version such as 1.2.0.', { where });
  }
  if (!isStrictSemver(version)) {
    const hint = /^[v=]/.test(version)
      ? `drop the prefix ("${version.slice(1)}")`
      : /[\^~<>*x| ]/.test(version) ? 'ranges are not allowed; give one exact version such as 1.2.0' : 'use MAJOR.MINOR.PATCH such as 1.2.0';
    throw new WardenError('WARDEN_E_REF_VERSION', `Invalid version "${version}": not strict semver; ${hint}.`, { where });
  }
}

/** Parses `org/name` (no version). */
export function parseModuleId(input: string, where = 'reference'): ModuleId {
  if (input.length > MAX_REF_LENGTH) throw new WardenError('WARDEN_E_REF_SYNTAX', `Invalid module id: longer than ${MAX_REF_LENGTH} characters.`, { where });
  const slash = input.indexOf('/');
  if (slash < 0 || input.indexOf('/', slash + 1) >= 0) {
    throw new WardenError('WARDEN_E_REF_SYNTAX', `Invalid module id "${input}": expected exactly one '/' as in org/name.`, { where });
  }
  const org = input.slice(0, slash);
  const name = input.slice(slash + 1);
  validateOrg(org, where);
  validateName(name, where);
  return { org, name };
}

/** Parses and validates `org/name@version`. Throws WardenError with a code per broken rule. */
export function parseRef(input: string, where = 'reference'): ModuleRef {
  if (typeof input !== 'string' || input.length === 0) {
    throw new WardenError('WARDEN_E_REF_SYNTAX', 'Invalid module reference: it is empty; expected org/name@version.', { where });
  }
  if (input.length > MAX_REF_LENGTH) throw new WardenError('WARDEN_E_REF_SYNTAX', `Invalid module reference: longer than ${MAX_REF_LENGTH} characters.`, { where });
  const at = input.lastIndexOf('@');
  if (at <= 0) {
    throw new WardenError('WARDEN_E_REF_SYNTAX', `Invalid module reference "${input}": missing "@version"; expected org/name@version such as acme/weather@1.0.0.`, { where });
  }
  const { org, name } = parseModuleId(input.slice(0, at), where);
  const version = input.slice(at + 1);
  if (version.length === 0) throw new WardenError('WARDEN_E_REF_VERSION', `Invalid module reference "${input}": the version after '@' is empty.`, { where });
  validateVersion(version, where);
  return { org, name, version };
}

export function formatRef(ref: ModuleRef): string {
  return `${ref.org}/${ref.name}@${ref.version}`;
}

export function formatModuleId(id: ModuleId): string {
  return `${id.org}/${id.name}`;
}

export function sameRef(a: ModuleRef, b: ModuleRef): boolean {
  return a.org === b.org && a.name === b.name && a.version === b.version;
}
