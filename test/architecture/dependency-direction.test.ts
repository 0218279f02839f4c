import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'oxc-parser';

/**
 * Dependencies point inward (docs: ARCHITECTURE "Layout"): the shells (cli, market, installer,
 * gateway) may use the inner parts, never the reverse; core imports nothing of ours outside core.
 */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const SHELLS = ['cli', 'market', 'installer', 'gateway'];
const INNER: Record<string, string[]> = {
  core: ['core'],
  naming: ['core', 'naming'],
  scanner: ['core', 'naming', 'scanner'],
  sandbox: ['core', 'sandbox'],
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const { module } = parseSync(file, text);
  const specs = [
    ...module.staticImports.map((i) => i.moduleRequest.value),
    ...module.staticExports.flatMap((e) => e.entries.map((x) => x.moduleRequest?.value).filter((v): v is string => Boolean(v))),
    ...module.dynamicImports.map((d) => text.slice(d.moduleRequest.start, d.moduleRequest.end).replace(/^['"`]|['"`]$/g, '')),
  ];
  return specs.filter((s) => s.startsWith('.'));
}

function areaOf(absPath: string): string {
  return relative(SRC, absPath).split('/')[0] ?? '';
}

function violations(area: string, file: string, text?: string): string[] {
  const allowed = INNER[area]!;
  return importsOf(file, text)
    .map((spec) => ({ spec, target: areaOf(resolve(dirname(file), spec)) }))
    .filter(({ target }) => !allowed.includes(target))
    .map(({ spec, target }) => `${relative(SRC, file)} imports ${spec} (${target})`);
}

describe('dependency direction', () => {
  for (const [area, allowed] of Object.entries(INNER)) {
    it(`src/${area} imports only from ${allowed.join(', ')}`, () => {
      let dir: string;
      try {
        dir = join(SRC, area);
        readdirSync(dir);
      } catch {
        return; // area not created yet
      }
      expect(tsFiles(dir).flatMap((file) => violations(area, file))).toEqual([]);
    });
  }

  it('the checker reports static, re-export and dynamic imports of a shell', () => {
    const fake = join(SRC, 'core', 'fake.ts');
    for (const shell of SHELLS) {
      expect(violations('core', fake, `import { x } from '../${shell}/a.js';`)).toHaveLength(1);
      expect(violations('core', fake, `export * from '../${shell}/a.js';`)).toHaveLength(1);
      expect(violations('core', fake, `const m = await import('../${shell}/a.js');`)).toHaveLength(1);
    }
    expect(violations('core', fake, `import { x } from './ref.js'; import { y } from 'node:fs';`)).toEqual([]);
    expect(violations('scanner', join(SRC, 'scanner', 'f.ts'), `import { n } from '../naming/index.js';`)).toEqual([]);
  });
});
