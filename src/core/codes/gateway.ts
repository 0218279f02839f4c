import type { CodeInfo } from './types.js';

/** Codes of the gateway area. */
export const gatewayCodes = {
} as const satisfies Record<string, CodeInfo>;
