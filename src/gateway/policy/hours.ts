import { WardenError } from '../../core/errors.js';
import type { HoursConfig } from '../config.js';

/**
 * Hour-of-week arithmetic in an IANA time zone. A week is 0..10079 minutes starting Monday 00:00
 * local time. Windows are written `mon-fri 09:00-18:00`, `sat,sun 10:00-12:00` or `daily 00:00-24:00`;
 * an end before the start wraps past midnight (`mon-fri 22:00-06:00`).
 */
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch (cause) {
      throw new WardenError('WARDEN_E_GW_CONFIG', `Unknown time zone "${timezone}"; use an IANA name such as Asia/Shanghai.`, { where: 'timezone', cause });
    }
    formatters.set(timezone, f);
  }
  return f;
}

const lastMinute = new Map<string, { minute: number; value: number }>();

/** Minute of the week (Monday 00:00 = 0) at `epochMs` in `timezone` (memoized per clock minute). */
export function minuteOfWeek(epochMs: number, timezone: string): number {
  const minute = Math.floor(epochMs / 60_000);
  const hit = lastMinute.get(timezone);
  if (hit && hit.minute === minute) return hit.value;
  const value = computeMinuteOfWeek(epochMs, timezone);
  lastMinute.set(timezone, { minute, value });
  return value;
}

function computeMinuteOfWeek(epochMs: number, timezone: string): number {
  let wd = '';
  let h = 0;
  let m = 0;
  for (const p of formatter(timezone).formatToParts(epochMs)) {
    if (p.type === 'weekday') wd = p.value.toLowerCase();
    else if (p.type === 'hour') h = Number(p.value);
    else if (p.type === 'minute') m = Number(p.value);
  }
  const d = DAYS.indexOf(wd as (typeof DAYS)[number]);
  return d * 1440 + h * 60 + m;
}

export function hourOfWeek(epochMs: number, timezone: string): number {
  return Math.floor(minuteOfWeek(epochMs, timezone) / 60);
}

function parseDays(spec: string, where: string): number[] {
  if (spec === 'daily') return [0, 1, 2, 3, 4, 5, 6];
  const out = new Set<number>();
  for (const part of spec.split(',')) {
    const [a, b] = part.split('-');
    const ia = DAYS.indexOf(a as (typeof DAYS)[number]);
    const ib = b === undefined ? ia : DAYS.indexOf(b as (typeof DAYS)[number]);
    if (ia < 0 || ib < 0) throw new WardenError('WARDEN_E_GW_CONFIG', `Bad day "${part}" in hours window; use mon..sun, ranges (mon-fri), lists or daily.`, { where });
    for (let i = ia; ; i = (i + 1) % 7) {
      out.add(i);
      if (i === ib) break;
    }
  }
  return [...out];
}

function parseTime(t: string, where: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(t);
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59 || (Number(m[1]) === 24 && m[2] !== '00')) {
    throw new WardenError('WARDEN_E_GW_CONFIG', `Bad time "${t}" in hours window; use HH:MM (00:00-24:00).`, { where });
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Compiles windows into a 10080-entry bitmap: true where use is allowed. */
export function compileHours(cfg: HoursConfig, where = 'hours'): (epochMs: number) => boolean {
  formatter(cfg.timezone);
  const allowed = new Uint8Array(7 * 1440);
  for (const w of cfg.allow) {
    const m = /^\s*([a-z,-]+)\s+(\d{2}:\d{2})-(\d{2}:\d{2})\s*$/.exec(w.toLowerCase());
    if (!m) throw new WardenError('WARDEN_E_GW_CONFIG', `Bad hours window "${w}"; write e.g. "mon-fri 09:00-18:00".`, { where });
    const days = parseDays(m[1]!, where);
    const start = parseTime(m[2]!, where);
    const end = parseTime(m[3]!, where);
    const span = end > start ? end - start : 1440 - start + end;
    for (const d of days) for (let i = 0; i < span; i++) allowed[(d * 1440 + start + i) % allowed.length] = 1;
  }
  return (epochMs) => allowed[minuteOfWeek(epochMs, cfg.timezone)] === 1;
}
