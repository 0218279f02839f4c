import type { Redactor } from '../redact/redactor.js';
import { AuditWriter } from './audit-file.js';
import type { AuditKeyRing } from './keyring.js';

/** One audit event per call (and per refused request). */
export interface AuditEvent {
  ts: string;
  principal: string | undefined;
  key: string | undefined;
  tenant: string | undefined;
  server: string;
  method: string;
  tool?: string;
  decision: 'allow' | 'deny' | 'error' | 'cancelled';
  reason?: string;
  code?: string;
  latencyMs?: number;
  requestBytes?: number;
  responseBytes?: number;
  session?: string;
  ip?: string;
  arguments?: unknown;
  result?: unknown;
}

/** Redacts each event, then seals it into the encrypted, hash-chained file. */
export class AuditLog {
  readonly #writer: AuditWriter;
  readonly #redactor: Redactor;
  readonly #payloads: boolean;
  readonly #maxChars: number;

  constructor(file: string, ring: AuditKeyRing, redactor: Redactor, opts: { includePayloads: boolean; payloadMaxChars: number }) {
    this.#writer = AuditWriter.open(file, ring);
    this.#redactor = redactor;
    this.#payloads = opts.includePayloads;
    this.#maxChars = opts.payloadMaxChars;
  }

  get includePayloads(): boolean {
    return this.#payloads;
  }

  /** Payloads are redacted first and only then cut, so a cut never exposes half a secret. */
  #payload(v: unknown): unknown {
    if (v === undefined) return undefined;
    const text = JSON.stringify(this.#redactor.redactValue(v));
    return text.length > this.#maxChars ? text.slice(0, this.#maxChars) + '…[truncated]' : text;
  }

  record(e: AuditEvent): void {
    const { arguments: args, result, ...meta } = e;
    const event: Record<string, unknown> = this.#redactor.redactValue(meta);
    if (this.#payloads) {
      if (args !== undefined) event.arguments = this.#payload(args);
      if (result !== undefined) event.result = this.#payload(result);
    }
    this.#writer.append(event);
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}
