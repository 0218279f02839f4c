import { pino, type Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Redactor } from './redact/redactor.js';

/**
 * Structured logs (pino) with redaction applied before a line is written: structured fields are
 * redacted as values, then the whole serialized line passes the redactor again (this also covers
 * `msg` and anything a serializer added). Logs go to a file or to stderr.
 */
export function createLogger(redactor: Redactor, level: string, file?: string): Logger {
  const dest = file ? pino.destination({ dest: file, mkdir: true, sync: false }) : pino.destination(2);
  // A log file that cannot be opened or written (removed folder, full disk, permissions) must not
  // take the gateway down with an unhandled 'error' event: say so on stderr and go on serving.
  const state = { dest, failed: false };
  dest.on('error', (err: Error) => {
    state.failed = true;
    process.stderr.write(`warden gateway: cannot write the log${file ? ` file ${file}` : ''}: ${err.message}\n`);
  });
  const logger = pino(
    {
      level,
      base: { svc: 'warden-gateway' },
      formatters: { log: (obj) => redactor.redactValue(obj) },
      hooks: { streamWrite: (s) => redactor.redactString(s) },
    },
    dest,
  );
  if (file) fileDestinations.set(logger, state);
  return logger;
}

const fileDestinations = new WeakMap<Logger, { dest: ReturnType<typeof pino.destination>; failed: boolean }>();
/** How long closing waits for a log file to finish (a hung disk must not hang shutdown). */
const CLOSE_TIMEOUT_MS = 5000;

/**
 * Flushes a logger made by createLogger and closes its log file, waiting for the file to be open
 * first (it opens asynchronously), so nothing touches the file once this resolves.
 */
export async function closeLogger(logger: Logger): Promise<void> {
  const state = fileDestinations.get(logger);
  if (!state) {
    await new Promise<void>((r) => logger.flush(() => r()));
    return;
  }
  fileDestinations.delete(logger);
  // Later calls (a straggling upstream stderr line) become no-ops instead of writing to a closed file.
  logger.level = 'silent';
  if (state.failed) return; // never opened: nothing to flush or close
  const { dest } = state;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    dest.once('close', done);
    dest.once('error', done);
    try {
      dest.end();
    } catch {
      done();
    }
  });
}

/** Prometheus metrics of one gateway instance (own registry, so several can run in one process). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly calls: Counter<'server' | 'tool' | 'decision'>;
  readonly requests: Counter<'method' | 'status'>;
  readonly latency: Histogram<'server' | 'tool'>;
  readonly sessions: Gauge;
  readonly rateLimited: Counter<'scope'>;
  readonly anomalies: Counter<'kind' | 'action'>;
  readonly authFailures: Counter<'reason'>;
  readonly redactions: Counter<'format'>;

  constructor(withDefaults = false) {
    const registers = [this.registry];
    this.calls = new Counter({ name: 'warden_gateway_tool_calls_total', help: 'Tool calls by server, tool and decision', labelNames: ['server', 'tool', 'decision'], registers });
    this.requests = new Counter({ name: 'warden_gateway_http_requests_total', help: 'HTTP requests by method and status', labelNames: ['method', 'status'], registers });
    this.latency = new Histogram({
      name: 'warden_gateway_tool_call_seconds',
      help: 'Tool call latency through the gateway (upstream included)',
      labelNames: ['server', 'tool'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.sessions = new Gauge({ name: 'warden_gateway_sessions', help: 'Open MCP sessions', registers });
    this.rateLimited = new Counter({ name: 'warden_gateway_rate_limited_total', help: 'Requests refused by a rate limit', labelNames: ['scope'], registers });
    this.anomalies = new Counter({ name: 'warden_gateway_anomalies_total', help: 'Anomalies detected, by kind and action', labelNames: ['kind', 'action'], registers });
    this.authFailures = new Counter({ name: 'warden_gateway_auth_failures_total', help: 'Refused credentials by reason', labelNames: ['reason'], registers });
    this.redactions = new Counter({ name: 'warden_gateway_redactions_total', help: 'Values redacted in tool results returned to clients', labelNames: ['format'], registers });
    if (withDefaults) collectDefaultMetrics({ register: this.registry });
  }
}
