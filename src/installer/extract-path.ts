import { WardenError } from '../core/errors.js';

/** Every Warden artifact keeps its files under this prefix (see ARCHITECTURE.md "Artifact"). */
export const PACKAGE_PREFIX = 'package/';

/**
 * Checks one raw tar entry path and returns it relative to `package/` ('' for the prefix folder
 * itself). Pure: decides from the string alone, before anything touches the disk.
 */
export function entryRelativePath(raw: string, isDirectory: boolean): string {
  const where = JSON.stringify(raw).slice(0, 300);
  // Control characters (NUL included) and backslashes would mean different things to other tools.
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) {
    throw new WardenError('WARDEN_E_ARCHIVE_TRAVERSAL', `Archive entry ${where} holds a control character or a backslash; refusing the archive.`, { where });
  }
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) {
    throw new WardenError('WARDEN_E_ARCHIVE_ABSOLUTE_PATH', `Archive entry ${where} has an absolute path; refusing the archive.`, { where });
  }
  const trimmed = isDirectory && raw.endsWith('/') ? raw.slice(0, -1) : raw;
  const segments = trimmed.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) {
    throw new WardenError('WARDEN_E_ARCHIVE_TRAVERSAL', `Archive entry ${where} has a "..", "." or empty path segment; refusing the archive.`, { where });
  }
  if (segments[0] !== PACKAGE_PREFIX.slice(0, -1)) {
    throw new WardenError('WARDEN_E_ARCHIVE_OUTSIDE_PACKAGE', `Archive entry ${where} is not under "${PACKAGE_PREFIX}"; refusing the archive.`, { where });
  }
  if (segments.length === 1 && !isDirectory) {
    throw new WardenError('WARDEN_E_ARCHIVE_OUTSIDE_PACKAGE', `Archive entry ${where} is a file named like the "${PACKAGE_PREFIX}" folder; refusing the archive.`, { where });
  }
  return segments.slice(1).join('/');
}
