import type { CodeInfo } from './types.js';

/** Codes of the naming area. */
export const namingCodes = {
} as const satisfies Record<string, CodeInfo>;
