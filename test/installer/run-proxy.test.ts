import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { startPinningProxy, BLOCKED_ERROR_CODE } from '../../src/installer/run-proxy.js';
import { pinTools, type ToolDrift, type ToolPin } from '../../src/core/tool-pin.js';
import { plainStarter, probeTools } from '../../src/installer/tool-probe.js';
import { HELLO_MODULE } from '../helpers/module.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const launch = { command: process.execPath, args: [join(HELLO_MODULE, 'server.mjs')], env: { PATH: process.env.PATH ?? '', NODE_PATH: join(ROOT, 'node_modules') }, cwd: ROOT };

async function session(pinned: ToolPin[]) {
  const server = spawn(launch.command, launch.args, { cwd: launch.cwd, env: launch.env, stdio: ['pipe', 'pipe', 'ignore'] });
  const clientIn = new PassThrough();
  const clientOut = new PassThrough();
  const drifts: ToolDrift[] = [];
  startPinningProxy({ clientIn, clientOut, serverIn: server.stdin!, serverOut: server.stdout!, pinned, onDrift: (d) => drifts.push(d) });
  const responses = new Map<number, any>();
  let buf = '';
  clientOut.on('data', (c: Buffer) => {
    buf += c.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const msg = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      if (msg.id !== undefined) responses.set(msg.id, msg);
    }
  });
  const send = (m: unknown) => clientIn.write(JSON.stringify(m) + '\n');
  const waitFor = async (id: number, ms = 5000) => {
    for (let t = 0; t < ms / 25 && !responses.has(id); t++) await new Promise((r) => setTimeout(r, 25));
    return responses.get(id);
  };
  send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  await waitFor(1);
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
  const list = await waitFor(2);
  send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'greet', arguments: { name: 'Ada' } } });
  // After a block nothing more is forwarded: a short wait proves the call got no answer.
  const call = await waitFor(3, list?.error ? 500 : 5000);
  server.kill();
  return { list, call, drifts };
}

describe('warden run: pinning proxy over stdio', () => {
  it('forwards a session whose tools match the pins', async () => {
    const pins = pinTools(await probeTools(plainStarter(launch)));
    expect(pins.map((p) => p.name)).toEqual(['greet']);
    const { list, call, drifts } = await session(pins);
    expect(list.result.tools[0].name).toBe('greet');
    expect(call.result.content[0].text).toBe('Hello, Ada!');
    expect(drifts).toEqual([]);
  });

  it('blocks a changed tool definition and stops forwarding', async () => {
    const pins = pinTools(await probeTools(plainStarter(launch))).map((p) => ({ ...p, sha256: '0'.repeat(64) }));
    const { list, call, drifts } = await session(pins);
    expect(list.error.code).toBe(BLOCKED_ERROR_CODE);
    expect(list.error.data.changed).toEqual(['greet']);
    expect(call).toBeUndefined();
    expect(drifts).toHaveLength(1);
  });

  it('blocks a tool that appeared and one that disappeared', async () => {
    const { list, drifts } = await session([{ name: 'other', sha256: '1'.repeat(64) }]);
    expect(list.error.data).toEqual({ added: ['greet'], removed: ['other'], changed: [] });
    expect(drifts).toHaveLength(1);
  });
});
