import type { CodeInfo } from './types.js';

/** Codes of the scanner area. */
export const scannerCodes = {
} as const satisfies Record<string, CodeInfo>;
