import type { CodeInfo } from './types.js';

/** Codes of the installer area: the sandbox launcher and safe archive extraction. */
export const installerCodes = {
  WARDEN_E_SANDBOX_UNAVAILABLE: { kind: 'input', http: 500, summary: 'The sandbox cannot run here: bubblewrap (`bwrap`) or `prlimit` is missing, or user namespaces are disabled. Install bubblewrap (`apt-get install bubblewrap`) or, knowingly, use the degraded mode (`allowUnsandboxed`) which runs no install scripts.' },
  WARDEN_E_SANDBOX_OPTIONS: { kind: 'input', http: 400, summary: 'The sandbox was asked for something it cannot grant safely (relative or missing folder, writable path outside the module, unknown profile, bad environment name). Fix the option named in the message.' },
  WARDEN_E_SANDBOX_SCRIPTS_REFUSED: { kind: 'rejected', http: 403, summary: 'Install scripts were requested while running without bubblewrap (degraded mode); Warden never runs them unsandboxed. Install bubblewrap or install with scripts disabled.' },
  WARDEN_E_INTERRUPTED: { kind: 'input', http: 499, summary: 'The command was stopped (Ctrl-C or SIGTERM) before it finished. What it had started was removed; run it again.' },
  WARDEN_E_SANDBOX_TIMEOUT: { kind: 'rejected', http: 504, summary: 'The sandboxed command ran longer than its time limit and was killed. Raise the timeout only if the work is known to be slow.' },
  WARDEN_E_SANDBOX_OUTPUT: { kind: 'rejected', http: 413, summary: 'The sandboxed command wrote more output than the collection limit and was killed. Raise `maxOutputBytes` or stream the output with `launchSandboxed`.' },
  WARDEN_E_SANDBOX_START: { kind: 'internal', http: 500, summary: 'bubblewrap failed to set up the sandbox (a bind source vanished, namespaces refused). The message carries bwrap\'s own error; check the paths it names.' },
  WARDEN_E_ARCHIVE_CORRUPT: { kind: 'rejected', http: 400, summary: 'The artifact is not a well-formed gzip-compressed tar (bad checksum, truncated, not gzip). Nothing was extracted; fetch the artifact again.' },
  WARDEN_E_ARCHIVE_ABSOLUTE_PATH: { kind: 'rejected', http: 400, summary: 'An archive entry has an absolute path (`/…`, `C:…`, `\\\\…`). Warden refuses the whole archive; nothing was extracted.' },
  WARDEN_E_ARCHIVE_TRAVERSAL: { kind: 'rejected', http: 400, summary: 'An archive entry path contains `..`, an empty or `.` segment, a backslash or a control character: it could escape the destination. Nothing was extracted.' },
  WARDEN_E_ARCHIVE_OUTSIDE_PACKAGE: { kind: 'rejected', http: 400, summary: 'An archive entry is not under the `package/` prefix every Warden artifact uses. Nothing was extracted.' },
  WARDEN_E_ARCHIVE_LINK: { kind: 'rejected', http: 400, summary: 'The archive holds a symbolic or hard link; Warden artifacts never contain links. Nothing was extracted.' },
  WARDEN_E_ARCHIVE_SPECIAL: { kind: 'rejected', http: 400, summary: 'The archive holds a device, FIFO or other special entry. Nothing was extracted.' },
  WARDEN_E_ARCHIVE_DUPLICATE: { kind: 'rejected', http: 400, summary: 'The archive names the same path twice, or uses a file as a folder. Nothing was extracted.' },
  WARDEN_E_ARCHIVE_TOO_MANY_FILES: { kind: 'rejected', http: 413, summary: 'The archive holds more entries than the extraction limit. Nothing was extracted; raise `maxEntries` only for a module you trust.' },
  WARDEN_E_ARCHIVE_FILE_TOO_LARGE: { kind: 'rejected', http: 413, summary: 'One archive entry is larger than the per-file limit. Nothing was extracted; raise `maxFileBytes` only for a module you trust.' },
  WARDEN_E_ARCHIVE_TOO_LARGE: { kind: 'rejected', http: 413, summary: 'The files in the archive add up to more than the total size limit. Nothing was extracted; raise `maxTotalBytes` only for a module you trust.' },
  WARDEN_E_ARCHIVE_BOMB: { kind: 'rejected', http: 413, summary: 'The archive expands far more than real code does (decompression ratio or absolute expanded size over the limit): a compression bomb. Reading stopped early; nothing was extracted.' },
  WARDEN_E_ARCHIVE_DEST_EXISTS: { kind: 'input', http: 409, summary: 'The extraction destination already exists; Warden never merges into or overwrites a folder. Remove it or choose another.' },
} as const satisfies Record<string, CodeInfo>;
