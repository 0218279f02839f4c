import type { ChildProcess } from 'node:child_process';
import { serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { WardenError } from '../../core/errors.js';
import type { StdioLauncher, StdioLaunchSpec } from './launcher.js';

/**
 * MCP client transport over a child's stdin/stdout (newline-delimited JSON-RPC), started through
 * a StdioLauncher. Same framing as the SDK's StdioClientTransport, but the process is created by
 * the launcher so environment and sandboxing stay under the gateway's control.
 */
const MAX_LINE = 64 * 1024 * 1024;

export class LaunchedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #spec: StdioLaunchSpec;
  readonly #launcher: StdioLauncher;
  readonly #onStderr: (line: string) => void;
  #pendingText = '';
  #child: ChildProcess | undefined;
  #closed = false;

  constructor(spec: StdioLaunchSpec, launcher: StdioLauncher, onStderr: (line: string) => void) {
    this.#spec = spec;
    this.#launcher = launcher;
    this.#onStderr = onStderr;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async start(): Promise<void> {
    let child: ChildProcess;
    try {
      child = await this.#launcher.launch(this.#spec);
    } catch (cause) {
      throw new WardenError('WARDEN_E_GW_UPSTREAM', `Cannot start upstream ${this.#spec.server}: ${(cause as Error).message}`, { cause });
    }
    return new Promise((resolve, reject) => {
      this.#child = child;
      child.once('error', (err) => {
        const e = new WardenError('WARDEN_E_GW_UPSTREAM', `Upstream ${this.#spec.server} failed: ${err.message}`, { cause: err });
        reject(e);
        this.onerror?.(e);
        this.#finish();
      });
      // A launcher may hand over a child that has already spawned (the sandbox waits for it).
      if (child.pid !== undefined) resolve();
      else child.once('spawn', () => resolve());
      child.once('exit', () => this.#finish());
      child.stdin!.on('error', (err) => this.onerror?.(err));
      // Newline-delimited JSON-RPC. Parsed with JSON.parse and a shape check (the relay validates
      // what it acts on); lines beyond 64 MiB without a newline are dropped as a protocol fault.
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        let text = this.#pendingText + chunk;
        let nl: number;
        while ((nl = text.indexOf('\n')) >= 0) {
          const line = text.slice(0, nl).replace(/\r$/, '');
          text = text.slice(nl + 1);
          if (line.length > 0) this.#deliver(line);
        }
        if (text.length > MAX_LINE) {
          this.onerror?.(new WardenError('WARDEN_E_GW_UPSTREAM', `Upstream ${this.#spec.server} sent a line over 64 MiB.`));
          text = '';
        }
        this.#pendingText = text;
      });
      let errTail = '';
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (s: string) => {
        const lines = (errTail + s).split('\n');
        errTail = lines.pop()!.slice(-4096);
        for (const l of lines) if (l.length > 0) this.#onStderr(l.slice(0, 4096));
      });
    });
  }

  #deliver(line: string): void {
    let m: unknown;
    try {
      m = JSON.parse(line);
    } catch (cause) {
      this.onerror?.(new WardenError('WARDEN_E_GW_UPSTREAM', `Upstream ${this.#spec.server} wrote a line that is not JSON on stdout.`, { cause }));
      return;
    }
    if (m !== null && typeof m === 'object' && !Array.isArray(m) && (m as { jsonrpc?: unknown }).jsonrpc === '2.0') this.onmessage?.(m as JSONRPCMessage);
    else this.onerror?.(new WardenError('WARDEN_E_GW_UPSTREAM', `Upstream ${this.#spec.server} wrote something that is not a JSON-RPC 2.0 message.`));
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pendingText = '';
    this.onclose?.();
  }

  /**
   * Messages sent in the same tick are written with one syscall: under concurrency this wakes the
   * child once per batch instead of once per message.
   */
  #batch: string[] = [];
  #batchWaiters: Array<() => void> = [];

  send(message: JSONRPCMessage): Promise<void> {
    const child = this.#child;
    if (!child?.stdin || this.#closed) return Promise.reject(new WardenError('WARDEN_E_GW_UPSTREAM', `Upstream ${this.#spec.server} is not running.`));
    if (this.#batch.length === 0) setImmediate(() => this.#flush());
    this.#batch.push(serializeMessage(message));
    return new Promise((resolve) => this.#batchWaiters.push(resolve));
  }

  #flush(): void {
    const text = this.#batch.join('');
    const waiters = this.#batchWaiters;
    this.#batch = [];
    this.#batchWaiters = [];
    const stdin = this.#child?.stdin;
    if (!stdin || this.#closed || stdin.destroyed) {
      for (const w of waiters) w();
      return;
    }
    const done = () => waiters.forEach((w) => w());
    if (stdin.write(text)) done();
    else stdin.once('drain', done);
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (!child || this.#closed) return;
    child.stdin?.end();
    let t3: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((r) => {
      if (child.exitCode !== null || child.signalCode !== null) return r();
      child.once('exit', () => r());
      t3 = setTimeout(r, 3500);
    });
    const t1 = setTimeout(() => child.kill('SIGTERM'), 200);
    const t2 = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t1);
    clearTimeout(t2);
    clearTimeout(t3);
    this.#finish();
  }
}
