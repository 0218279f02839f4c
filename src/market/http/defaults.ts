/** HTTP defaults, in a module of their own so the CLI can show them without loading the server. */
export const DEFAULT_HTTP_OPTIONS = {
  maxArtifactBytes: 10 * 1024 * 1024,
  rateLimit: { readPerSecond: 300, writePerSecond: 30 },
} as const;
