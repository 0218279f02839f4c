import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
const server = new McpServer({ name: 'notes', version: '1.0.0' });
server.registerTool('read_note', { description: 'Reads a note. Read-only.', inputSchema: { path: z.string() }, annotations: { readOnlyHint: true } },
  async ({ path }) => ({ content: [{ type: 'text', text: await readFile(path, 'utf8') }] }));
server.registerTool('write_note', { description: 'Writes a note.', inputSchema: { path: z.string(), text: z.string() } },
  async ({ path, text }) => { await writeFile(path, text); return { content: [] }; });
