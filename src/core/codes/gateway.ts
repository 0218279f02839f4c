import type { CodeInfo } from './types.js';

/** Codes of the gateway area. */
export const gatewayCodes = {
  WARDEN_E_GW_CONFIG: { kind: 'input', http: 500, summary: 'The gateway configuration file is missing, not YAML, or breaks the schema. Fix the field named in the message (see docs/gateway.md).' },
  WARDEN_E_GW_UNAUTHENTICATED: { kind: 'rejected', http: 401, summary: 'No usable credential: send `Authorization: Bearer <JWT or API key>` (tokens are accepted in that header only).' },
  WARDEN_E_GW_TOKEN_INVALID: { kind: 'rejected', http: 401, summary: 'The bearer token was refused (bad signature, algorithm not allowed, expired, wrong issuer or audience, revoked). Get a new token for this gateway\'s canonical URL.' },
  WARDEN_E_GW_FORBIDDEN: { kind: 'rejected', http: 403, summary: 'The principal may not use this server, tool or argument under the gateway policy. Ask the operator to change the policy.' },
  WARDEN_E_GW_OFF_HOURS: { kind: 'rejected', http: 403, summary: 'The policy allows this principal to use the tool only in configured hours (hour-of-week in the policy time zone). Retry inside those hours.' },
  WARDEN_E_GW_RATE_LIMITED: { kind: 'rejected', http: 429, summary: 'Too many requests for this key, key+tool or tenant. Wait for `Retry-After` seconds.' },
  WARDEN_E_GW_BLOCKED: { kind: 'rejected', http: 403, summary: 'The key is blocked for a period after anomalous use (flood, denied bursts, spikes). Wait for `Retry-After` or ask the operator to unblock.' },
  WARDEN_E_GW_ORIGIN: { kind: 'rejected', http: 403, summary: 'The request\'s Origin header is not in `allowedOrigins` (DNS-rebinding protection). Add the origin to the config if it is legitimate.' },
  WARDEN_E_GW_TOOL_UNPINNED: { kind: 'rejected', http: 403, summary: 'The upstream tool definition changed since it was approved (or was never approved); it is hidden and refused. Review it and run `warden gateway approve`.' },
  WARDEN_E_GW_UNKNOWN_SERVER: { kind: 'input', http: 404, summary: 'No upstream server of that name is configured. Use a name from `servers:` in the config.' },
  WARDEN_E_GW_UPSTREAM: { kind: 'internal', http: 502, summary: 'The upstream MCP server failed to start, closed, or answered with something that is not MCP. Check its command/URL and its stderr.' },
  WARDEN_E_GW_BAD_MESSAGE: { kind: 'input', http: 400, summary: 'The request body is not a JSON-RPC 2.0 message the gateway accepts (batches, oversize, bad shape). Send one message per POST.' },
  WARDEN_E_GW_SESSION: { kind: 'input', http: 404, summary: 'The `Mcp-Session-Id` is unknown or expired, or the session limit is reached. Start a new session with `initialize`.' },
  WARDEN_E_GW_KEY_UNKNOWN: { kind: 'input', http: 404, summary: 'No API key with that id exists in the gateway state folder. List keys with `warden gateway keys list`.' },
  WARDEN_E_GW_PIN_UNKNOWN: { kind: 'input', http: 404, summary: 'No pending tool definition matches the server/tool to approve. List pending ones with `warden gateway approve --list`.' },
  WARDEN_E_AUDIT_KEY: { kind: 'input', http: 500, summary: 'The audit key ring is missing, malformed, or lacks the key id a record names. Give `--keys FILE` or WARDEN_AUDIT_KEYS with 32-byte base64 keys.' },
  WARDEN_E_AUDIT_TAMPERED: { kind: 'rejected', http: 500, summary: 'The audit file failed verification: a record does not decrypt or authenticate, or the hash chain is broken. Treat the file as tampered.' },
} as const satisfies Record<string, CodeInfo>;
