import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MarketContext } from './context.js';

/**
 * Removes orphan blobs: files under blobs/sha256 that no release row refers to (left by a crash
 * between the blob write and the database commit). Rows of any status keep their blob. Blobs
 * younger than `minAgeMs` are kept, so a publish in flight (blob written, transaction not yet
 * committed) is never collected.
 */
export async function collectOrphanBlobs(ctx: Pick<MarketContext, 'store' | 'blobs'>, opts: { minAgeMs?: number; dryRun?: boolean; now?: number } = {}): Promise<{ removed: string[]; kept: number }> {
  const minAge = opts.minAgeMs ?? 3_600_000;
  const now = opts.now ?? Date.now();
  const removed: string[] = [];
  let kept = 0;
  let prefixes: string[];
  try {
    prefixes = await readdir(ctx.blobs.root);
  } catch {
    return { removed, kept };
  }
  for (const prefix of prefixes.filter((p) => /^[0-9a-f]{2}$/.test(p))) {
    for (const rest of await readdir(join(ctx.blobs.root, prefix))) {
      const path = join(ctx.blobs.root, prefix, rest);
      const sha = prefix + rest;
      const st = await stat(path);
      const referenced = /^[0-9a-f]{64}$/.test(sha) && (await ctx.store.db.selectFrom('releases').select('id').where('sha256', '=', sha).limit(1).executeTakeFirst());
      if (referenced || now - st.mtimeMs < minAge) {
        kept++;
        continue;
      }
      if (!opts.dryRun) await rm(path, { force: true });
      removed.push(sha.startsWith('.tmp') ? path : sha);
    }
  }
  return { removed, kept };
}
