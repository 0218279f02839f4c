import { readFileSync } from 'node:fs';

/** Warden's own version, read once from package.json (two levels up from src/core and dist/core). */
export const WARDEN_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
