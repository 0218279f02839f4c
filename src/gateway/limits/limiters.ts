import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { GatewayConfig, LimitConfig } from '../config.js';

/**
 * Rate limits and blocks on `rate-limiter-flexible`: in memory by default; in Redis when
 * configured, so several gateway instances share counters and blocks. Every Redis limiter has an
 * in-memory insurance limiter that takes over while Redis is unreachable (fail safe, not open).
 */
export type LimitOutcome = { ok: true } | { ok: false; retryAfterMs: number; scope: string };

export interface BlockState {
  kind: 'block' | 'throttle';
  msLeft: number;
}

export class Limits {
  readonly #perKey: RateLimiterAbstract | undefined;
  readonly #perKeyTool: RateLimiterAbstract | undefined;
  readonly #perTenant: RateLimiterAbstract | undefined;
  readonly #throttled: RateLimiterAbstract;
  /** Blocks and throttle flags: a point store where a blocked key has consumed more than allowed. */
  readonly #blocks: RateLimiterAbstract;
  readonly #throttleFlags: RateLimiterAbstract;
  readonly redis: Redis | undefined;

  constructor(cfg: GatewayConfig, redis?: Redis) {
    this.redis = redis;
    const prefix = cfg.redis?.keyPrefix ?? 'warden:gw:';
    const make = (name: string, l: LimitConfig): RateLimiterAbstract => {
      const opts = { keyPrefix: `${prefix}${name}`, points: l.points, duration: l.durationSec };
      if (!redis) return new RateLimiterMemory(opts);
      return new RateLimiterRedis({ ...opts, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(opts) });
    };
    this.#perKey = cfg.rateLimits.perKey && make('key', cfg.rateLimits.perKey);
    this.#perKeyTool = cfg.rateLimits.perKeyTool && make('keytool', cfg.rateLimits.perKeyTool);
    this.#perTenant = cfg.rateLimits.perTenant && make('tenant', cfg.rateLimits.perTenant);
    this.#throttled = make('throttled', cfg.anomaly.throttle);
    this.#blocks = make('block', { points: 1, durationSec: 1 });
    this.#throttleFlags = make('throttle-flag', { points: 1, durationSec: 1 });
  }

  static connectRedis(url: string): Redis {
    const r = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false });
    // Errors surface through the insurance limiters; keep the client from crashing the process.
    r.on('error', () => {});
    return r;
  }

  async #consume(l: RateLimiterAbstract | undefined, key: string, scope: string): Promise<LimitOutcome> {
    if (!l) return { ok: true };
    try {
      await l.consume(key, 1);
      return { ok: true };
    } catch (res) {
      if (res instanceof RateLimiterRes) return { ok: false, retryAfterMs: Math.max(1, res.msBeforeNext), scope };
      throw res;
    }
  }

  /** Charges one request to the key and its tenant; tool calls also to key+tool. */
  async consume(key: string, tenant: string | undefined, tool: string | undefined, throttled: boolean): Promise<LimitOutcome> {
    const checks: Promise<LimitOutcome>[] = [this.#consume(this.#perKey, key, 'key')];
    if (tenant) checks.push(this.#consume(this.#perTenant, tenant, 'tenant'));
    if (tool) checks.push(this.#consume(this.#perKeyTool, `${key}|${tool}`, 'key+tool'));
    if (throttled) checks.push(this.#consume(this.#throttled, key, 'throttle'));
    const out = await Promise.all(checks);
    return out.find((o) => !o.ok) ?? { ok: true };
  }

  async block(key: string, kind: 'block' | 'throttle', seconds: number): Promise<void> {
    await (kind === 'block' ? this.#blocks : this.#throttleFlags).block(key, seconds);
  }

  async unblock(key: string): Promise<void> {
    await Promise.all([this.#blocks.delete(key), this.#throttleFlags.delete(key)]);
  }

  /** The block or throttle on a key, if any (a block wins). */
  async state(key: string): Promise<BlockState | undefined> {
    const [b, t] = await Promise.all([this.#blocks.get(key), this.#throttleFlags.get(key)]);
    if (b && b.consumedPoints > 1) return { kind: 'block', msLeft: b.msBeforeNext };
    if (t && t.consumedPoints > 1) return { kind: 'throttle', msLeft: t.msBeforeNext };
    return undefined;
  }

  async close(): Promise<void> {
    if (this.redis) this.redis.disconnect();
  }
}
