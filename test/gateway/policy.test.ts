import { describe, expect, it } from 'vitest';
import { Policy } from '../../src/gateway/policy/authorize.js';
import { compileHours, hourOfWeek } from '../../src/gateway/policy/hours.js';
import { AnomalyDetector } from '../../src/gateway/limits/anomaly.js';
import type { Principal } from '../../src/gateway/auth/principal.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';

const alice: Principal = { id: 'alice', key: 'sub:alice', groups: ['dev'], tenant: 'acme', method: 'jwt', scopes: [] };
const mallory: Principal = { id: 'mallory', key: 'sub:mallory', groups: [], tenant: 'other', method: 'jwt', scopes: [] };
// 2025-06-02 is a Monday. 10:00 in Shanghai = 02:00 UTC.
const MON_10_SHANGHAI = Date.parse('2025-06-02T02:00:00Z');
const SUN_03_SHANGHAI = Date.parse('2025-06-07T19:00:00Z');

describe('hours', () => {
  it('computes hour-of-week in the configured zone', () => {
    expect(hourOfWeek(MON_10_SHANGHAI, 'Asia/Shanghai')).toBe(10);
    expect(hourOfWeek(MON_10_SHANGHAI, 'UTC')).toBe(2);
    expect(hourOfWeek(SUN_03_SHANGHAI, 'Asia/Shanghai')).toBe(6 * 24 + 3);
  });
  it('windows, wrap past midnight', () => {
    const biz = compileHours({ timezone: 'Asia/Shanghai', allow: ['mon-fri 09:00-18:00'] });
    expect(biz(MON_10_SHANGHAI)).toBe(true);
    expect(biz(SUN_03_SHANGHAI)).toBe(false);
    const night = compileHours({ timezone: 'Asia/Shanghai', allow: ['sat,sun 22:00-06:00'] });
    expect(night(SUN_03_SHANGHAI)).toBe(true);
    expect(() => compileHours({ timezone: 'Mars/Olympus', allow: ['daily 00:00-24:00'] })).toThrow(/time zone/);
    expect(() => compileHours({ timezone: 'UTC', allow: ['someday 9-5'] })).toThrow(/hours window/);
  });
});

describe('policy', () => {
  const policy = new Policy(
    parseGatewayConfig({
      publicUrl: 'https://gw.example',
      auth: { apiKeys: true },
      servers: { s: { transport: 'stdio', command: 'x' } },
      policy: {
        rules: [
          { id: 'dev', groups: ['dev'], servers: ['s'], allowTools: ['echo', 'get-*'], denyTools: ['get-env'], arguments: { echo: { type: 'object', properties: { message: { type: 'string', maxLength: 10 } } } }, hours: { timezone: 'Asia/Shanghai', allow: ['mon-fri 09:00-18:00'] } },
        ],
      },
    }).policy.rules,
  );

  it('allows listed tools in hours and hides denied ones', () => {
    expect(policy.tool(alice, 's', 'echo', { message: 'hi' }, MON_10_SHANGHAI)).toMatchObject({ allow: true, ruleId: 'dev' });
    expect(policy.tool(alice, 's', 'get-sum', {}, MON_10_SHANGHAI).allow).toBe(true);
    expect(policy.visible(alice, 's', 'get-env')).toBe(false);
    expect(policy.visible(alice, 's', 'echo')).toBe(true);
    expect(policy.tool(alice, 's', 'get-env', {}, MON_10_SHANGHAI)).toMatchObject({ allow: false, code: 'WARDEN_E_GW_FORBIDDEN' });
  });
  it('refuses off-hours, unknown principals and bad arguments', () => {
    expect(policy.tool(alice, 's', 'echo', { message: 'hi' }, SUN_03_SHANGHAI)).toMatchObject({ allow: false, code: 'WARDEN_E_GW_OFF_HOURS' });
    expect(policy.tool(mallory, 's', 'echo', { message: 'hi' }, MON_10_SHANGHAI)).toMatchObject({ allow: false, code: 'WARDEN_E_GW_FORBIDDEN' });
    expect(policy.server(mallory, 's', MON_10_SHANGHAI).allow).toBe(false);
    const d = policy.tool(alice, 's', 'echo', { message: 'this is far too long' }, MON_10_SHANGHAI);
    expect(d).toMatchObject({ allow: false });
    expect(!d.allow && d.reason).toMatch(/message/);
  });
  it('per-module API keys are limited to their servers', () => {
    expect(policy.server({ ...alice, servers: ['other'] }, 's', MON_10_SHANGHAI).allow).toBe(false);
  });
});

describe('anomaly detector (injected clock)', () => {
  const base = { blockSec: 60, throttle: { points: 1, durationSec: 5 }, throttleSec: 60 };

  it('flags a rate spike against the EWMA baseline, not steady traffic', () => {
    let now = MON_10_SHANGHAI;
    const d = new AnomalyDetector({ ...base, rateSpike: { intervalSec: 10, alpha: 0.3, z: 4, minCount: 20, warmupIntervals: 6, action: 'block' } }, () => now);
    const findings = [];
    for (let interval = 0; interval < 20; interval++) {
      for (let i = 0; i < 5; i++) findings.push(...d.observeCall('k', 'echo'));
      now += 10_000;
    }
    expect(findings).toEqual([]);
    for (let i = 0; i < 60; i++) findings.push(...d.observeCall('k', 'echo'));
    expect(findings.map((f) => f.kind)).toEqual(['rate-spike']);
    expect(findings[0]!.action).toBe('block');
  });

  it('flags a burst of denied requests', () => {
    let now = 0;
    const d = new AnomalyDetector({ ...base, deniedBurst: { count: 5, windowSec: 10, action: 'block' } }, () => now);
    for (let i = 0; i < 4; i++) {
      expect(d.observeDenied('k')).toEqual([]);
      now += 5000; // spread out: never 5 within 10 s
    }
    const burst = [];
    for (let i = 0; i < 5; i++) burst.push(...d.observeDenied('k'));
    expect(burst.map((f) => f.kind)).toEqual(['denied-burst']);
  });

  it('flags first use in a new hour-of-week after enough history, and new tools after warm-up', () => {
    let now = MON_10_SHANGHAI;
    const d = new AnomalyDetector({ ...base, offHours: { timezone: 'Asia/Shanghai', minHistory: 20, action: 'alert' }, newTool: { warmupCalls: 20, action: 'log' } }, () => now);
    for (let day = 0; day < 5; day++) {
      for (let i = 0; i < 10; i++) expect(d.observeCall('k', 'echo')).toEqual([]);
      now += 86_400_000;
    }
    now = SUN_03_SHANGHAI + 7 * 86_400_000;
    expect(d.observeCall('k', 'echo').map((f) => f.kind)).toEqual(['off-hours']);
    expect(d.observeCall('k', 'echo')).toEqual([]);
    expect(d.observeCall('k', 'get-env').map((f) => f.kind)).toEqual(['new-tool']);
  });
});
