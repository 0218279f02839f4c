import { rmSync } from 'node:fs';
export function evict(entry, dir) {
  if (Date.now() - entry.createdAt > entry.ttlMs) rmSync(dir, { recursive: true, force: true });
}
