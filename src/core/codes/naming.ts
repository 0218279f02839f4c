import type { CodeInfo } from './types.js';

/** Codes of the naming area. */
export const namingCodes = {
  WARDEN_E_NAME_INVALID: { kind: 'input', http: 400, summary: 'The name to check (or an indexed name or weight) is empty, too long, has control or zero-width characters, or has a bad shape. Give name, @scope/name or org/name.' },
  WARDEN_E_NAME_LIST_SYNTAX: { kind: 'input', http: 400, summary: 'A names list line is not `name` or `name<TAB>weight` (weight a non-negative number). Fix the line shown.' },
  WARDEN_E_NAME_POLICY_INVALID: { kind: 'input', http: 400, summary: 'The name policy YAML is malformed or breaks its schema (unknown field, bad verdict, no minWeight 0 tier). See docs/naming.md.' },
  WARDEN_E_NAME_BLOCKED: { kind: 'rejected', http: 409, summary: 'The name is blocked as a look-alike of an existing name by the name policy. Choose a distinct name or ask the market to review.' },
  WARDEN_E_NAME_MARKET: { kind: 'input', http: 502, summary: 'The market\'s name-check endpoint could not be reached or answered with something other than a name verdict. Check --market URL.' },
} as const satisfies Record<string, CodeInfo>;
