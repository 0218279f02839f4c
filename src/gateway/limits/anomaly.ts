import type { AnomalyAction, AnomalyConfig } from '../config.js';
import { hourOfWeek } from '../policy/hours.js';

/**
 * Per-key behaviour baselines and the anomalies they reveal. Pure: the clock is injected and the
 * detector only returns findings; the gateway applies each finding's action (log, alert,
 * throttle, block) and shares blocks through the limit store.
 *
 * - rate-spike: EWMA mean and variance of calls per interval; a count more than `z` standard
 *   deviations above the mean (and at least `minCount`) after `warmupIntervals` intervals.
 * - denied-burst: `count` refused requests (policy, pins, rate limits) within `windowSec`.
 * - off-hours: a call at an hour the key's hour-of-week profile has never seen, once it has
 *   `minHistory` calls: no history within ±1 hour of this hour-of-day on any day of the same
 *   class (weekdays Mon-Fri, weekend Sat-Sun). Weekday office use thus learns Wednesday 10:00
 *   from Monday 10:00, while Sunday 03:00 stands out.
 * - new-tool: a tool the key never called before, after `warmupCalls` calls.
 */
export type AnomalyKind = 'rate-spike' | 'denied-burst' | 'off-hours' | 'new-tool';

export interface Finding {
  kind: AnomalyKind;
  action: AnomalyAction;
  key: string;
  detail: string;
}

interface KeyState {
  intervalStart: number;
  count: number;
  intervals: number;
  mean: number;
  variance: number;
  spikeReported: boolean;
  denied: number[];
  hours: Uint32Array;
  total: number;
  tools: Set<string>;
}

const MAX_KEYS = 100_000;

/** Has the profile any history at this hour-of-day (±1 h) on a day of the same class? */
function usualHour(hours: Uint32Array, hourOfWeek: number): boolean {
  const day = Math.floor(hourOfWeek / 24);
  const hod = hourOfWeek % 24;
  const days = day < 5 ? [0, 1, 2, 3, 4] : [5, 6];
  for (const d of days) for (const dh of [-1, 0, 1]) if (hours[(d * 24 + hod + dh + 168) % 168]! > 0) return true;
  return false;
}
const MAX_TOOLS_PER_KEY = 1000;

export class AnomalyDetector {
  readonly #cfg: AnomalyConfig;
  readonly #now: () => number;
  readonly #keys = new Map<string, KeyState>();

  constructor(cfg: AnomalyConfig, now: () => number = Date.now) {
    this.#cfg = cfg;
    this.#now = now;
  }

  #state(key: string, now: number): KeyState {
    let s = this.#keys.get(key);
    if (!s) {
      if (this.#keys.size >= MAX_KEYS) this.#keys.delete(this.#keys.keys().next().value!);
      s = { intervalStart: now, count: 0, intervals: 0, mean: 0, variance: 0, spikeReported: false, denied: [], hours: new Uint32Array(168), total: 0, tools: new Set() };
      this.#keys.set(key, s);
    }
    return s;
  }

  #roll(s: KeyState, now: number): void {
    const rs = this.#cfg.rateSpike;
    if (!rs) return;
    const ms = rs.intervalSec * 1000;
    if (now - s.intervalStart < ms) return;
    const steps = Math.min(Math.floor((now - s.intervalStart) / ms), 1000);
    for (let i = 0; i < steps; i++) {
      const x = i === 0 ? s.count : 0;
      const diff = x - s.mean;
      s.mean += rs.alpha * diff;
      s.variance = (1 - rs.alpha) * (s.variance + rs.alpha * diff * diff);
      s.intervals++;
    }
    s.intervalStart += steps * ms;
    if (now - s.intervalStart >= ms) s.intervalStart = now;
    s.count = 0;
    s.spikeReported = false;
  }

  /** Records one accepted request (tool is set for tools/call) and returns what it reveals. */
  observeCall(key: string, tool: string | undefined): Finding[] {
    const now = this.#now();
    const s = this.#state(key, now);
    const out: Finding[] = [];
    const rs = this.#cfg.rateSpike;
    if (rs) {
      this.#roll(s, now);
      s.count++;
      if (!s.spikeReported && s.intervals >= rs.warmupIntervals && s.count >= rs.minCount) {
        const sd = Math.sqrt(s.variance);
        const zScore = (s.count - s.mean) / Math.max(sd, 1);
        if (zScore > rs.z) {
          s.spikeReported = true;
          out.push({ kind: 'rate-spike', action: rs.action, key, detail: `${s.count} calls this interval vs mean ${s.mean.toFixed(1)} (z=${zScore.toFixed(1)})` });
        }
      }
    }
    const oh = this.#cfg.offHours;
    if (oh) {
      const h = hourOfWeek(now, oh.timezone);
      if (s.total >= oh.minHistory && !usualHour(s.hours, h)) {
        out.push({ kind: 'off-hours', action: oh.action, key, detail: `first use in hour-of-week ${h} after ${s.total} calls` });
      }
      s.hours[h]!++;
    }
    s.total++;
    const nt = this.#cfg.newTool;
    if (nt && tool !== undefined) {
      if (!s.tools.has(tool)) {
        if (s.total > nt.warmupCalls) out.push({ kind: 'new-tool', action: nt.action, key, detail: `first call of tool ${tool} after ${s.total - 1} calls` });
        if (s.tools.size < MAX_TOOLS_PER_KEY) s.tools.add(tool);
      }
    }
    return out;
  }

  /** Records one refused request (policy, pin, rate limit) and returns what it reveals. */
  observeDenied(key: string): Finding[] {
    const db = this.#cfg.deniedBurst;
    if (!db) return [];
    const now = this.#now();
    const s = this.#state(key, now);
    const from = now - db.windowSec * 1000;
    while (s.denied.length > 0 && s.denied[0]! < from) s.denied.shift();
    s.denied.push(now);
    if (s.denied.length > db.count) s.denied.shift();
    if (s.denied.length >= db.count) {
      s.denied.length = 0;
      return [{ kind: 'denied-burst', action: db.action, key, detail: `${db.count} refused requests within ${db.windowSec}s` }];
    }
    return [];
  }
}
