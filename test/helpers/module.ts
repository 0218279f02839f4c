import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HELLO_MODULE = new URL('../fixtures/modules/hello/', import.meta.url).pathname;

export const FIXTURE_MODULES = new URL('../fixtures/modules/', import.meta.url).pathname;

/** Copies a fixture module (default: hello) into `dir`, optionally renaming it (org/name/version). */
export function makeModule(dir: string, opts: { name?: string; version?: string; fixture?: string } = {}): string {
  cpSync(opts.fixture ? `${FIXTURE_MODULES}${opts.fixture}/` : HELLO_MODULE, dir, { recursive: true });
  if (opts.name || opts.version) {
    const path = join(dir, 'server.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    const name = opts.name ?? manifest.name;
    const version = opts.version ?? manifest.version;
    manifest.name = name;
    manifest.version = version;
    for (const p of manifest.packages ?? []) if (p.registryType === 'warden') Object.assign(p, { identifier: name, version });
    writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
  }
  return dir;
}

