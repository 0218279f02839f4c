import type { CodeInfo } from './types.js';

/** Codes of MCP client configuration handling (wiring, audit). */
export const clientCodes = {
  WARDEN_E_CLIENT_CONFIG_INVALID: { kind: 'input', http: 400, summary: 'An MCP client configuration file is not valid JSON; Warden will not edit it. Fix the file by hand first.' },
} as const satisfies Record<string, CodeInfo>;
