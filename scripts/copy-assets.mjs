// Copies non-TypeScript assets that the runtime reads (rule YAML, schemas) next to the build.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const assets = [
  ['src/core/schemas', 'dist/core/schemas'],
  ['src/scanner/rules', 'dist/scanner/rules'],
  ['src/scanner/poisoning/rules', 'dist/scanner/poisoning/rules'],
  ['src/scanner/poisoning/safeguards', 'dist/scanner/poisoning/safeguards'],
  ['src/naming/data', 'dist/naming/data'],
  ['web', 'dist/web'],
];
for (const [from, to] of assets) {
  const src = join(root, from);
  if (!existsSync(src)) continue;
  mkdirSync(dirname(join(root, to)), { recursive: true });
  // A fresh copy: a rule renamed or removed in src must not live on in dist and still be loaded.
  rmSync(join(root, to), { recursive: true, force: true });
  cpSync(src, join(root, to), { recursive: true, filter: (p) => !p.endsWith('.ts') });
}
