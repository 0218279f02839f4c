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
  return pino(
    {
      level,
      base: { svc: 'warden-gateway' },
      formatters: { log: (obj) => redactor.redactValue(obj) },
      hooks: { streamWrite: (s) => redactor.redactString(s) },
    },
    dest,
  );
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
