import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { WardenError, ioError } from '../core/errors.js';
import type { DsseEnvelope } from '../core/dsse.js';

/**
 * `warden.lock`: what was verified and pinned at install, per module. `warden run` and
 * `warden audit` compare the disk and the running server against it.
 */
export const LOCK_FILE = 'warden.lock';
export const LOCK_VERSION = 1;

const digests = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), sha512: z.string().regex(/^[0-9a-f]{128}$/) });
const envelope = z.object({ payloadType: z.string(), payload: z.string(), signatures: z.array(z.object({ keyid: z.string(), sig: z.string() })) });

export const lockEntrySchema = z.object({
  ref: z.string(),
  version: z.string(),
  market: z.string(),
  digests,
  publisherKeyid: z.string(),
  marketKeyid: z.string(),
  marketSignature: envelope,
  logIndex: z.number().int().nullable(),
  /** Path of the module folder, relative to the lock file. */
  path: z.string(),
  /** Every installed file (module and its dependencies) with its sha256, sorted by path. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  tools: z.array(z.object({ name: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  /** How the server starts; `env` lists the variables it declared (the only ones passed in). */
  launch: z.object({ command: z.string(), args: z.array(z.string()), env: z.array(z.string()), transport: z.literal('stdio') }),
  /** `deps`: how dependencies arrived: none needed, vendored in the artifact, offline cache, or the registry. */
  sandbox: z.object({ profile: z.string(), installScripts: z.boolean(), deps: z.enum(['none', 'vendored', 'offline', 'registry']).optional() }),
  installedAt: z.string(),
  approvedAt: z.string().optional(),
});

export const lockSchema = z.object({
  lockVersion: z.literal(LOCK_VERSION),
  modules: z.record(z.string(), lockEntrySchema),
  /** Pinned market keys (trust on first use, or set by the operator), by market URL. */
  markets: z.record(z.string(), z.object({ keyid: z.string(), pem: z.string(), pinnedAt: z.string() })),
  /** Highest version of each module installed or seen as latest: the floor for rollback checks. */
  highestSeen: z.record(z.string(), z.string()),
});

export type LockFile = z.infer<typeof lockSchema>;
export type LockEntry = z.infer<typeof lockEntrySchema>;
export type { DsseEnvelope };

export function emptyLock(): LockFile {
  return { lockVersion: LOCK_VERSION, modules: {}, markets: {}, highestSeen: {} };
}

const MAX_LOCK_BYTES = 64 * 1024 * 1024;

export async function readLock(dir: string): Promise<LockFile> {
  const path = join(dir, LOCK_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyLock();
    throw ioError('read', path, err);
  }
  if (text.length > MAX_LOCK_BYTES) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `${path} is larger than ${MAX_LOCK_BYTES} bytes.`, { where: path });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new WardenError('WARDEN_E_LOCK_INVALID', `${path} is not valid JSON; restore it from version control or reinstall.`, { where: path, cause });
  }
  const parsed = lockSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WardenError('WARDEN_E_LOCK_INVALID', `${path} does not match the lock format: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}.`, { where: path });
  }
  return parsed.data;
}

/** Writes the lock atomically: a crash leaves the old lock or the new one, never half of one. */
export async function writeLock(dir: string, lock: LockFile): Promise<void> {
  const path = join(dir, LOCK_FILE);
  await mkdir(dirname(path), { recursive: true });
  const sorted: LockFile = { ...lock, modules: Object.fromEntries(Object.entries(lock.modules).sort(([a], [b]) => (a < b ? -1 : 1))) };
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(sorted, null, 2) + '\n', { flag: 'wx', mode: 0o644 });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw ioError('write', path, err);
  }
}
