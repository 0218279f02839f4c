import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNamesList } from '../../src/naming/index.js';
import { readNamesListFile } from '../../src/naming/names-file.js';

describe('names-list format', () => {
  it('reads names, optional TAB weights, comments, blank lines and CRLF', () => {
    const text = '# popular names\nlodash\t9000000\r\n\n  express  \n@types/node\t12.5 # trailing comment\nio.github.alice/weather\n#only comment\n';
    expect(parseNamesList(text)).toEqual([
      { name: 'lodash', weight: 9_000_000 },
      { name: 'express' },
      { name: '@types/node', weight: 12.5 },
      { name: 'io.github.alice/weather' },
    ]);
    expect(parseNamesList('')).toEqual([]);
  });

  it('reports the line of a malformed entry', () => {
    for (const [text, line] of [
      ['ok\nbad\tnot-a-number\n', 2],
      ['ok\nok2\ta\tb\n', 2],
      ['two words\n', 1],
      ['x\t-5\n', 1],
      [`${'n'.repeat(300)}\n`, 1],
    ] as const) {
      expect(() => parseNamesList(text, 'list.txt')).toThrow(expect.objectContaining({ code: 'WARDEN_E_NAME_LIST_SYNTAX', where: `list.txt:${line}` }));
    }
  });

  it('reads a file through the I/O edge and reports a missing file as WARDEN_E_IO', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-names-'));
    const file = join(dir, 'names.txt');
    writeFileSync(file, 'react\t100\nvue\n');
    expect(await readNamesListFile(file)).toEqual([{ name: 'react', weight: 100 }, { name: 'vue' }]);
    await expect(readNamesListFile(join(dir, 'missing.txt'))).rejects.toMatchObject({ code: 'WARDEN_E_IO' });
    await expect(readNamesListFile(dir)).rejects.toMatchObject({ code: 'WARDEN_E_IO' });
  });
});
