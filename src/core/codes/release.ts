import type { CodeInfo } from './types.js';

/** Codes of Warden's own release integrity (`warden self-verify`). */
export const releaseCodes = {
  WARDEN_E_SELF_TAMPERED: { kind: 'rejected', http: 500, summary: 'Warden\'s installed files differ from its signed release manifest (changed, missing or extra files). Reinstall Warden from a trusted source.' },
  WARDEN_E_SELF_NO_MANIFEST: { kind: 'input', http: 500, summary: 'This Warden installation has no signed release manifest (a development build?). Install a release, or give --manifest.' },
} as const satisfies Record<string, CodeInfo>;
