import type { CodeInfo } from './types.js';

/** Codes of the installer's verification of a release before anything is extracted or run. */
export const installVerifyCodes = {
  WARDEN_E_MARKET_KEY_CHANGED: { kind: 'rejected', http: 403, summary: 'The market signs with a key other than the one pinned on first use. If the operator rotated it, pin the new key with --market-key; otherwise someone is impersonating the market.' },
  WARDEN_E_PUBLISHER_KEY_REVOKED: { kind: 'rejected', http: 403, summary: 'The release is signed by a publisher key that its org has revoked. Do not install it; ask the publisher for a release signed with a current key.' },
  WARDEN_E_RELEASE_STATE: { kind: 'rejected', http: 502, summary: 'The market\'s signed release state (status, latest version, revoked keys) is missing, not signed by the market key, for another release, or too old (a replayed answer). Do not install; check the path to the market, or this machine\'s clock.' },
  WARDEN_E_RELEASE_UNAVAILABLE: { kind: 'rejected', http: 410, summary: 'The release was yanked or taken down by the market. Install another version.' },
  WARDEN_E_ROLLBACK: { kind: 'rejected', http: 409, summary: 'The version is older than one this machine already installed or saw as latest (possible rollback attack). Pass --allow-downgrade only if you mean it.' },
  WARDEN_E_MARKET_UNREACHABLE: { kind: 'input', http: 502, summary: 'The market did not answer or answered with an error. Check --market and your network.' },
  WARDEN_E_MARKET_RESPONSE: { kind: 'rejected', http: 502, summary: 'The market answered with data that is malformed or too large. Do not trust it; report it to the market operator.' },
  WARDEN_E_NOT_INSTALLED: { kind: 'input', http: 404, summary: 'The module is not installed in this Warden folder. Install it with `warden install`.' },
  WARDEN_E_DRIFT_FILES: { kind: 'rejected', http: 409, summary: 'Installed files differ from what was verified and pinned at install. Reinstall, or inspect the change.' },
  WARDEN_E_DRIFT_TOOLS: { kind: 'rejected', http: 409, summary: 'The server\'s tool definitions changed since they were pinned (possible rug pull). Review the diff and run `warden approve` to accept it.' },
  WARDEN_E_LOCK_INVALID: { kind: 'input', http: 500, summary: 'warden.lock is damaged or not in the expected format. Restore it from version control or reinstall the modules.' },
  WARDEN_E_SERVER_START: { kind: 'rejected', http: 502, summary: 'The MCP server did not start or did not answer `initialize`/`tools/list` in time. Run it by hand to see its error output.' },
  WARDEN_E_NOT_FOUND: { kind: 'input', http: 404, summary: 'The market has no such module or version. Check the reference (org/name@version).' },
  WARDEN_E_INSTALL_DEPS: { kind: 'rejected', http: 500, summary: 'Installing the module\'s dependencies failed inside the sandbox. Read the npm output quoted in the message.' },
} as const satisfies Record<string, CodeInfo>;
