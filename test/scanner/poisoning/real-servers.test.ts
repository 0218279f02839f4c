// The reference MCP servers (devDependencies) must pass the poisoning rules: their live tools/list
// output, checked together, raises no finding of medium severity or more.
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { checkToolDefinitions } from '../../../src/scanner/poisoning/index.js';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'warden-poison-servers-'));
const servers: Array<[string, string[]]> = [
  ['@modelcontextprotocol/server-everything', ['stdio']],
  ['@modelcontextprotocol/server-filesystem', [dir]],
  ['@modelcontextprotocol/server-memory', []],
];

describe('real benign servers', () => {
  for (const [pkg, args] of servers) {
    it(`${pkg}: no finding of medium or more`, async () => {
      const entry = join(require.resolve(`${pkg}/package.json`), '..', 'dist', 'index.js');
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [entry, ...args],
        env: { PATH: process.env['PATH'] ?? '', MEMORY_FILE_PATH: join(dir, 'memory.json') },
        stderr: 'ignore',
      });
      const client = new Client({ name: 'warden-test', version: '0' });
      await client.connect(transport);
      try {
        const { tools } = await client.listTools();
        expect(tools.length).toBeGreaterThan(5);
        const serious = checkToolDefinitions(tools).filter((f) => !['info', 'low'].includes(f.severity));
        expect(serious).toEqual([]);
      } finally {
        await client.close();
      }
    }, 30_000);
  }
});
