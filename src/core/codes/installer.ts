import type { CodeInfo } from './types.js';

/** Codes of the installer area. */
export const installerCodes = {
} as const satisfies Record<string, CodeInfo>;
