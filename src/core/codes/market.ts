import type { CodeInfo } from './types.js';

/** Codes of the market area. */
export const marketCodes = {
} as const satisfies Record<string, CodeInfo>;
