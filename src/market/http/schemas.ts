/** Shared JSON-schema fragments: every string has a length bound. */
export const S = {
  serverName: { type: 'string', minLength: 3, maxLength: 130 },
  org: { type: 'string', minLength: 2, maxLength: 64 },
  name: { type: 'string', minLength: 1, maxLength: 64 },
  version: { type: 'string', minLength: 1, maxLength: 128 },
  keyid: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  tokenId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
  reason: { type: 'string', minLength: 1, maxLength: 500 },
} as const;

export const looseObject = { type: 'object', additionalProperties: true } as const;
