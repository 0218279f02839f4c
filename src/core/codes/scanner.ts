import type { CodeInfo } from './types.js';

/** Codes of the scanner area. */
export const scannerCodes = {
  WARDEN_E_SCAN_TARGET: { kind: 'input', http: 400, summary: 'The scan target is not a folder, a `.tgz` file or `npm:<name>@<version>`, or it does not exist. Check the path or spec.' },
  WARDEN_E_SCAN_ARCHIVE: { kind: 'input', http: 400, summary: 'The `.tgz` to scan is corrupt or unsafe (path traversal, links, too many or too large entries). Re-pack it or scan the folder.' },
  WARDEN_E_SCAN_FETCH: { kind: 'input', http: 502, summary: '`npm pack` or `npm install --ignore-scripts` failed for an `npm:` target. Check the name, the version and npm\'s registry access.' },
  WARDEN_E_SCAN_RULE_INVALID: { kind: 'input', http: 400, summary: 'A scanner rule YAML file is malformed (unknown matcher kind, bad regex, missing field). Fix the file named in `where`.' },
  WARDEN_E_SCAN_RULE_UNKNOWN: { kind: 'input', http: 400, summary: '`--disable` names a rule id that does not exist. Run `warden scan --list-rules` for the ids.' },
  WARDEN_E_SCAN_BASELINE: { kind: 'input', http: 400, summary: 'The baseline file is not valid Warden baseline JSON (`{"version": 1, "fingerprints": [...]}`). Regenerate it with `--write-baseline`.' },
  WARDEN_E_SCAN_CRASHED: { kind: 'input', http: 422, summary: 'The scanner process died while analysing the target (a signal such as SIGSEGV, or out of memory): some file is built to crash parsers, for example expressions nested tens of thousands deep. Nothing was reported; treat the package as unreviewed.' },
  WARDEN_E_SCAN_TIMEOUT: { kind: 'input', http: 422, summary: 'The scan took longer than its time limit and was stopped. Scan a smaller target, or raise the limit where the caller allows it.' },
} as const satisfies Record<string, CodeInfo>;
