import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Logger } from 'pino';
import { WardenError } from '../core/errors.js';
import { AuditLog, type AuditEvent } from './audit/audit-log.js';
import { loadKeyRing, type AuditKeyRing } from './audit/keyring.js';
import { Authenticator } from './auth/authenticate.js';
import type { Principal } from './auth/principal.js';
import { expandEnvRefs, type GatewayConfig } from './config.js';
import { AnomalyDetector, type Finding } from './limits/anomaly.js';
import { Limits } from './limits/limiters.js';
import { closeLogger, createLogger, GatewayMetrics } from './observability.js';
import { PinStore } from './pins/pin-store.js';
import { Policy, type Decision } from './policy/authorize.js';
import { Redactor, type RedactStats } from './redact/redactor.js';
import { Session, type PendingCall, type SessionHost } from './session.js';
import { defaultLauncher, launchSpec, type StdioLauncher } from './upstream/launcher.js';
import { UpstreamHttpTransport } from './upstream/http-transport.js';
import { LaunchedStdioTransport } from './upstream/stdio-transport.js';

export interface GatewayOptions {
  /** Clock for policy hours and anomaly baselines (tests inject a fixed one). */
  now?: () => number;
  /** How stdio upstreams are started; the sandbox launcher plugs in here. */
  launcher?: StdioLauncher;
  /** Environment for `${env:NAME}` references and pass-through (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  keyRing?: AuditKeyRing;
  logger?: Logger;
}

type Msg = Record<string, unknown> & { id?: string | number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: unknown };

/** A refusal decided by the gateway, carried to the HTTP layer. */
export interface Refusal {
  code: 'WARDEN_E_GW_FORBIDDEN' | 'WARDEN_E_GW_OFF_HOURS' | 'WARDEN_E_GW_TOOL_UNPINNED' | 'WARDEN_E_GW_RATE_LIMITED';
  reason: string;
}

/** JSON-RPC error codes the gateway uses in refusals sent inside the MCP session. */
export const RPC_FORBIDDEN = -32001;

/**
 * The gateway core: owns the defences (authentication, policy, limits, anomaly detection, pins,
 * redaction, audit, metrics) and the sessions. HTTP is in http/server.ts; relaying in session.ts.
 */
export class Gateway implements SessionHost {
  readonly cfg: GatewayConfig;
  readonly now: () => number;
  readonly redactor: Redactor;
  readonly log: Logger;
  readonly metrics = new GatewayMetrics();
  readonly auth: Authenticator;
  readonly policy: Policy;
  readonly limits: Limits;
  readonly anomaly: AnomalyDetector;
  readonly pins: PinStore;
  readonly audit: AuditLog;
  readonly sessions = new Map<string, Session>();
  readonly upstreamTimeoutMs: number;
  readonly #launcher: StdioLauncher;
  readonly #env: NodeJS.ProcessEnv;
  readonly #sweeper: NodeJS.Timeout;
  #opening = 0;
  /** Set by close(): late output of upstream processes is no longer logged. */
  #closed = false;
  readonly #ownsLogger: boolean;

  constructor(cfg: GatewayConfig, opts: GatewayOptions = {}) {
    this.cfg = cfg;
    this.now = opts.now ?? Date.now;
    this.#launcher = opts.launcher ?? defaultLauncher;
    this.#env = opts.env ?? process.env;
    this.upstreamTimeoutMs = cfg.limits.upstreamTimeoutSec * 1000;
    mkdirSync(cfg.stateDir, { recursive: true, mode: 0o700 });
    this.redactor = new Redactor({ disable: cfg.redaction.disable });
    this.log = opts.logger ?? createLogger(this.redactor, cfg.log.level, cfg.log.file);
    this.#ownsLogger = opts.logger === undefined;
    this.auth = new Authenticator(cfg);
    this.policy = new Policy(cfg.policy.rules);
    this.limits = new Limits(cfg, cfg.redis ? Limits.connectRedis(cfg.redis.url) : undefined);
    this.anomaly = new AnomalyDetector(cfg.anomaly, this.now);
    this.pins = new PinStore(cfg.stateDir, cfg.pinning.mode);
    const ring = opts.keyRing ?? loadKeyRing(cfg.audit.keysFile, this.#env);
    this.audit = new AuditLog(cfg.audit.file ?? join(cfg.stateDir, 'audit.log'), ring, this.redactor, cfg.audit);
    this.#sweeper = setInterval(() => this.#sweep(), 30_000);
    this.#sweeper.unref();
  }

  #sweep(): void {
    const idle = Date.now() - this.cfg.limits.sessionIdleSec * 1000;
    for (const s of this.sessions.values()) if (s.lastActive < idle && s.inFlight === 0) void s.close();
  }

  // ---- sessions -------------------------------------------------------------------------------

  #upstream(server: string): Transport {
    const sc = this.cfg.servers[server]!;
    if (sc.transport === 'stdio') {
      return new LaunchedStdioTransport(launchSpec(sc, server, this.#env), this.#launcher, (line) => {
        if (!this.#closed) this.log.info({ server, upstreamStderr: line }, 'upstream stderr');
      });
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(sc.headers)) headers[k] = expandEnvRefs(v, this.#env, `servers.${server}.headers.${k}`);
    return new UpstreamHttpTransport(new URL(sc.url), headers);
  }

  /** Starts an upstream connection for a new client session (called for `initialize`). */
  async openSession(server: string, principal: Principal): Promise<Session> {
    if (this.sessions.size + this.#opening >= this.cfg.limits.maxSessions) {
      throw new WardenError('WARDEN_E_GW_SESSION', `The gateway holds its maximum of ${this.cfg.limits.maxSessions} sessions; retry later.`);
    }
    this.#opening++;
    try {
      const upstream = this.#upstream(server);
      const session = new Session(this, server, principal, upstream, (s, id) => {
        this.sessions.set(id, s);
        this.metrics.sessions.set(this.sessions.size);
      });
      try {
        await upstream.start();
      } catch (cause) {
        throw cause instanceof WardenError ? cause : new WardenError('WARDEN_E_GW_UPSTREAM', `Cannot connect to upstream ${server}: ${(cause as Error).message}`, { cause });
      }
      return session;
    } finally {
      this.#opening--;
    }
  }

  sessionClosed(s: Session): void {
    if (s.id) this.sessions.delete(s.id);
    this.metrics.sessions.set(this.sessions.size);
  }

  upstreamLog(s: Session, line: string): void {
    this.log.warn({ server: s.server, session: s.id }, line);
  }

  // ---- decisions ------------------------------------------------------------------------------

  /** Decides one client request inside a session (tools/call: policy, then pin). */
  async decide(s: Session, msg: Msg): Promise<Refusal | undefined> {
    const now = this.now();
    const p = s.principal;
    let d: Decision;
    if (msg.method === 'tools/call') {
      const tool = msg.params?.name;
      if (typeof tool !== 'string') return { code: 'WARDEN_E_GW_FORBIDDEN', reason: 'tools/call without a tool name' };
      d = this.policy.tool(p, s.server, tool, msg.params?.arguments, now);
      if (d.allow && this.cfg.pinning.mode !== 'off') {
        const listed = (await s.listTools()).get(tool);
        if (listed && this.pins.check(s.server, listed.definition, listed.hash) !== 'approved') {
          return { code: 'WARDEN_E_GW_TOOL_UNPINNED', reason: `the definition of ${s.server}/${tool} changed since approval (run warden gateway approve)` };
        }
      }
    } else d = this.policy.server(p, s.server, now);
    return d.allow ? undefined : { code: d.code, reason: d.reason };
  }

  filterTools(s: Session, tools: Record<string, unknown>[]): Record<string, unknown>[] {
    return tools.filter((t) => {
      const name = t.name;
      if (typeof name !== 'string' || !this.policy.visible(s.principal, s.server, name)) return false;
      return this.pins.check(s.server, t) === 'approved';
    });
  }

  /** Feeds the anomaly detector and applies the actions its findings ask for. */
  async observe(p: Principal, outcome: 'allowed' | 'denied', tool?: string): Promise<void> {
    const findings = outcome === 'allowed' ? this.anomaly.observeCall(p.key, tool) : this.anomaly.observeDenied(p.key);
    for (const f of findings) await this.#act(p, f);
  }

  async #act(p: Principal, f: Finding): Promise<void> {
    this.metrics.anomalies.inc({ kind: f.kind, action: f.action });
    const entry = { anomaly: f.kind, action: f.action, principal: p.id, key: p.key, detail: f.detail };
    if (f.action === 'log') this.log.info(entry, 'anomaly');
    else this.log.warn(entry, f.action === 'alert' ? 'anomaly alert' : `anomaly: ${f.action}`);
    if (f.action === 'block') await this.limits.block(p.key, 'block', this.cfg.anomaly.blockSec);
    else if (f.action === 'throttle') await this.limits.block(p.key, 'throttle', this.cfg.anomaly.throttleSec);
  }

  // ---- records --------------------------------------------------------------------------------

  record(e: Omit<AuditEvent, 'ts'>): void {
    try {
      this.audit.record({ ts: new Date(this.now()).toISOString(), ...e });
    } catch (err) {
      this.log.error({ err }, 'audit write failed');
    }
  }

  callDone(s: Session, call: PendingCall, response: Msg): Msg {
    const latencyMs = Date.now() - call.start;
    let out = response;
    if (this.cfg.redaction.maskResults && response.result) {
      const stats: RedactStats = { hits: {} };
      out = { ...response, result: this.redactor.redactValue(response.result, stats) };
      for (const [format, n] of Object.entries(stats.hits)) this.metrics.redactions.inc({ format }, n);
    }
    const isError = response.error !== undefined;
    const tool = call.tool ?? '';
    this.metrics.calls.inc({ server: s.server, tool, decision: isError ? 'error' : 'allow' });
    this.metrics.latency.observe({ server: s.server, tool }, latencyMs / 1000);
    const responseBytes = JSON.stringify(response).length;
    this.record({
      principal: s.principal.id,
      key: s.principal.key,
      tenant: s.principal.tenant,
      server: s.server,
      method: 'tools/call',
      tool,
      decision: isError ? 'error' : 'allow',
      ...(isError ? { reason: String((response.error as { message?: unknown }).message ?? 'upstream error') } : {}),
      latencyMs,
      requestBytes: call.requestBytes,
      responseBytes,
      ...(s.id ? { session: s.id } : {}),
      ...(this.audit.includePayloads ? { arguments: call.args, result: response.result ?? response.error } : {}),
    });
    if (this.log.isLevelEnabled('debug')) {
      this.log.debug({ server: s.server, tool, principal: s.principal.id, latencyMs, arguments: call.args, result: response.result }, 'tool call');
    }
    return out;
  }

  callCancelled(s: Session, call: PendingCall, reason: string): void {
    this.record({
      principal: s.principal.id,
      key: s.principal.key,
      tenant: s.principal.tenant,
      server: s.server,
      method: call.method,
      ...(call.tool ? { tool: call.tool } : {}),
      decision: 'cancelled',
      reason,
      latencyMs: Date.now() - call.start,
      requestBytes: call.requestBytes,
      ...(s.id ? { session: s.id } : {}),
    });
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    await Promise.allSettled([...this.sessions.values()].map((s) => s.close()));
    await this.audit.close();
    await this.limits.close();
    this.#closed = true;
    if (this.#ownsLogger) await closeLogger(this.log);
    else await new Promise<void>((r) => this.log.flush(() => r()));
  }
}
