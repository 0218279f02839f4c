import { createReadStream } from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import { WardenError, ioError } from './errors.js';
import { ARTIFACT_PREFIX } from './pack.js';
import { MANIFEST_FILE, MANIFEST_MAX_BYTES, parseManifest, type ServerManifest } from './manifest.js';

export interface ArtifactManifest {
  manifest: ServerManifest;
  /** The exact bytes of server.json, for the manifest digest in the statement. */
  bytes: Buffer;
}

/**
 * Reads `package/server.json` out of an artifact (a file path or its bytes) in memory, without
 * extracting anything. The archive is untrusted here: only that one entry is buffered, up to the
 * manifest size limit.
 */
export async function readArtifactManifest(source: string | Uint8Array, label = typeof source === 'string' ? source : 'artifact'): Promise<ArtifactManifest> {
  const file = label;
  const target = ARTIFACT_PREFIX + MANIFEST_FILE;
  let found: Buffer | undefined;
  let tooLarge = false;
  let parseError: Error | undefined;
  const parser = new Parser({
    strict: true,
    filter: (path) => path === target,
    onReadEntry: (entry: ReadEntry) => {
      if ((entry.size ?? 0) > MANIFEST_MAX_BYTES) {
        tooLarge = true;
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        found = Buffer.concat(chunks);
      });
    },
  });
  parser.on('error', (err: Error) => {
    parseError = err;
  });
  parser.on('warn', (_code: string, message: string | Error) => {
    parseError ??= message instanceof Error ? message : new Error(message);
  });
  try {
    await new Promise<void>((resolveP, rejectP) => {
      parser.on('end', () => resolveP());
      parser.on('error', rejectP);
      if (typeof source === 'string') {
        const src = createReadStream(source);
        src.on('error', rejectP);
        src.pipe(parser);
      } else {
        parser.end(Buffer.from(source.buffer, source.byteOffset, source.byteLength));
      }
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code?.startsWith('E') && (err as NodeJS.ErrnoException).syscall) throw ioError('read', file, err);
    throw new WardenError('WARDEN_E_MANIFEST_INVALID', `The artifact is not a readable .tgz: ${(err as Error).message}.`, { where: file, cause: err });
  }
  if (tooLarge) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `server.json in the artifact is larger than ${MANIFEST_MAX_BYTES} bytes.`, { where: `${file}#${target}` });
  if (!found) {
    const reason = parseError ? ` (the archive is damaged: ${parseError.message})` : '';
    throw new WardenError('WARDEN_E_MANIFEST_MISSING', `The artifact has no ${target}${reason}. Pack the module with \`warden pack\`.`, { where: file });
  }
  return { manifest: parseManifest(found, `${file}#${target}`), bytes: found };
}
