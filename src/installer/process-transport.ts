import type { Readable, Writable } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * An MCP client transport over the stdio pipes of a process someone else spawned (the sandbox
 * launcher), since the SDK's StdioClientTransport insists on spawning the process itself.
 */
export class ProcessStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #buffer = new ReadBuffer();
  #closed = false;

  constructor(
    private readonly stdout: Readable,
    private readonly stdin: Writable,
    private readonly kill: () => void,
  ) {}

  async start(): Promise<void> {
    this.stdout.on('data', (chunk: Buffer) => {
      this.#buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.#buffer.readMessage();
        } catch (err) {
          this.onerror?.(err as Error);
          continue;
        }
        if (!message) break;
        this.onmessage?.(message);
      }
    });
    this.stdout.on('error', (err: Error) => this.onerror?.(err));
    this.stdout.on('close', () => void this.close());
    this.stdin.on('error', (err: Error) => this.onerror?.(err));
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new Error('transport closed'));
      this.stdin.write(serializeMessage(message), (err) => (err ? reject(err) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#buffer.clear();
    this.stdin.end();
    this.kill();
    this.onclose?.();
  }
}
