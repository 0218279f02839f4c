import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WardenError } from '../core/errors.js';

/** A host:port the sandbox may reach through the proxy (the package registry). */
export interface AllowedEndpoint {
  host: string;
  port: number;
}

export interface RegistryProxy {
  /** Host path of the Unix socket the proxy listens on. */
  socketPath: string;
  readonly allowed: number;
  readonly refused: number;
  close(): Promise<void>;
}

const MAX_HEAD = 8 * 1024;

/** Parses `CONNECT host:port` or an absolute-form `GET http://host[:port]/path` request line. */
export function parseProxyTarget(line: string): { host: string; port: number; connect: boolean; originForm?: string } | undefined {
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(line);
  if (!m) return undefined;
  const [, method, target] = m as unknown as [string, string, string];
  if (method === 'CONNECT') {
    const hp = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(target);
    if (!hp) return undefined;
    return { host: hp[1]!.replace(/^\[|\]$/g, '').toLowerCase(), port: Number(hp[2]), connect: true };
  }
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || url.username || url.password) return undefined;
  return {
    host: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(),
    port: url.port ? Number(url.port) : 80,
    connect: false,
    originForm: `${method} ${url.pathname}${url.search} HTTP/1.1`,
  };
}

/**
 * bubblewrap cannot filter the network by host, so the `registry-only` profile gives the sandbox
 * no network of its own and this proxy instead: it listens on a Unix socket (bound into the
 * sandbox), and forwards only to the allow-listed host:port pairs. HTTPS goes through CONNECT
 * (the proxy never sees plaintext); plain HTTP in absolute form is forwarded to the checked origin.
 */
export async function startRegistryProxy(allow: readonly AllowedEndpoint[]): Promise<RegistryProxy> {
  if (allow.length === 0) throw new WardenError('WARDEN_E_SANDBOX_OPTIONS', 'The registry-only profile needs `registry: {host, port}` to allow.', { where: 'registry' });
  const allowSet = new Set(allow.map((e) => `${e.host.toLowerCase()}:${e.port}`));
  const dir = await mkdtemp(join(tmpdir(), 'warden-proxy-'));
  const socketPath = join(dir, 'registry.sock');
  const counts = { allowed: 0, refused: 0 };
  const sockets = new Set<Socket>();

  const refuse = (client: Socket, status: string): void => {
    counts.refused += 1;
    client.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_HEAD) refuse(client, '431 Request Header Fields Too Large');
        return;
      }
      client.off('data', onData);
      client.pause();
      const lineEnd = head.indexOf('\r\n');
      const target = parseProxyTarget(head.subarray(0, lineEnd).toString('latin1'));
      if (!target) return refuse(client, '400 Bad Request');
      if (!allowSet.has(`${target.host}:${target.port}`)) return refuse(client, '403 Forbidden');
      counts.allowed += 1;
      // noDelay on every TCP hop (here and in the bridge), as Node's own HTTP client does: with
      // Nagle's algorithm a relayed TLS record can wait for a delayed ACK (~40 ms), and an npm
      // install makes hundreds of requests over these tunnels.
      const upstream = createConnection({ host: target.host, port: target.port, noDelay: true });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => {
        if (!client.destroyed) client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        upstream.destroy();
      });
      upstream.on('connect', () => {
        if (target.connect) {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.write(head.subarray(end + 4));
        } else {
          upstream.write(Buffer.concat([Buffer.from(target.originForm!, 'latin1'), head.subarray(lineEnd)]));
        }
        // The TCP destination is fixed now; later requests on this connection reach the same origin.
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolveListen());
  });
  return {
    socketPath,
    get allowed() {
      return counts.allowed;
    },
    get refused() {
      return counts.refused;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs inside the sandbox (as `node -e BRIDGE -- socket port command...`): listens on the
 * sandbox's own 127.0.0.1:port, forwards each connection to the proxy's Unix socket, runs the
 * command, and exits with its status. CommonJS so it needs no file on disk.
 */
export const BRIDGE_SOURCE = `
const net = require('node:net'), { spawn } = require('node:child_process'), os = require('node:os');
const [sock, port, cmd, ...args] = process.argv.slice(1);
let child;
const server = net.createServer({ noDelay: true }, (c) => {
  const u = net.connect(sock);
  c.on('error', () => u.destroy()); u.on('error', () => c.destroy());
  c.pipe(u); u.pipe(c);
});
server.listen(Number(port), '127.0.0.1', () => {
  child = spawn(cmd, args, { stdio: 'inherit' });
  child.on('error', (e) => { process.stderr.write('warden sandbox: ' + e.message + '\\n'); process.exit(127); });
  child.on('exit', (code, sig) => process.exit(code ?? 128 + (os.constants.signals[sig] || 0)));
});
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => child && child.kill(s));
`;

export const BRIDGE_PORT = 3128;
