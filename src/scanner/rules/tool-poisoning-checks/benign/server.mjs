import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
const server = new McpServer({ name: 'calc', version: '1.0.0' });
server.tool('add', 'Adds two numbers and returns the sum.', { a: z.number().describe('first number'), b: z.number().describe('second number') }, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
