import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { WardenError } from '../core/errors.js';

/**
 * The gateway configuration (YAML), validated strictly with zod: unknown keys are errors so a
 * typo never silently turns a defence off. docs/gateway.md is the reference for every field.
 */

const name = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lowercase letters, digits, . _ - (1-64 chars)');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/);
const glob = z.string().min(1).max(200);

const stdioServer = z.strictObject({
  transport: z.literal('stdio'),
  command: z.string().min(1),
  args: z.array(z.string()).max(256).default([]),
  cwd: z.string().optional(),
  /** Fixed environment for the server (values may reference `${env:NAME}` of the gateway). */
  env: z.record(envName, z.string()).default({}),
  /** Names of gateway environment variables passed through unchanged. Nothing else is. */
  envPassthrough: z.array(envName).max(128).default([]),
  /**
   * Run the server in the bubblewrap sandbox (docs/sandbox.md): `cwd` is then the only folder it
   * may write, and the profile decides its network. Omit to spawn it directly.
   */
  sandbox: z.strictObject({ profile: z.enum(['no-network', 'loopback', 'registry-only']) }).optional(),
});

const httpServer = z.strictObject({
  transport: z.literal('streamable-http'),
  url: z.url(),
  /** Upstream credentials (never the client's token); values may reference `${env:NAME}`. */
  headers: z.record(z.string(), z.string()).default({}),
});

const server = z.discriminatedUnion('transport', [stdioServer, httpServer]);

const hours = z.strictObject({
  /** IANA time zone, e.g. `Asia/Shanghai`. */
  timezone: z.string().min(1),
  /** Windows like `mon-fri 09:00-18:00`, `sat 10:00-12:00`, `daily 00:00-24:00`. */
  allow: z.array(z.string().min(3)).min(1).max(64),
});

const rule = z.strictObject({
  id: z.string().min(1).max(100),
  description: z.string().max(1000).optional(),
  principals: z.array(glob).optional(),
  groups: z.array(glob).optional(),
  tenants: z.array(glob).optional(),
  servers: z.array(glob).min(1),
  allowTools: z.array(glob).default([]),
  denyTools: z.array(glob).default([]),
  /** JSON Schema per tool name, applied to the call's `arguments`. */
  arguments: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  hours: hours.optional(),
});

const limit = z.strictObject({ points: z.number().int().positive(), durationSec: z.number().positive() });

const action = z.enum(['log', 'alert', 'throttle', 'block']);

export const gatewayConfigSchema = z.strictObject({
  listen: z.strictObject({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(8443) }).default({ host: '127.0.0.1', port: 8443 }),
  /** The gateway's canonical URL (scheme://host[:port], no path): tokens must name it as audience. */
  publicUrl: z.url(),
  tls: z.strictObject({ cert: z.string(), key: z.string(), ca: z.string().optional() }).optional(),
  /** Browser origins allowed to call; requests without Origin (non-browser clients) are allowed. */
  allowedOrigins: z.array(z.string()).default([]),
  stateDir: z.string().default('./warden-gateway'),
  limits: z
    .strictObject({
      maxBodyBytes: z.number().int().positive().max(64 * 1024 * 1024).default(4 * 1024 * 1024),
      maxSessions: z.number().int().positive().default(1000),
      sessionIdleSec: z.number().positive().default(1800),
      upstreamTimeoutSec: z.number().positive().default(120),
    })
    .default({ maxBodyBytes: 4 * 1024 * 1024, maxSessions: 1000, sessionIdleSec: 1800, upstreamTimeoutSec: 120 }),
  auth: z.strictObject({
    jwt: z
      .strictObject({
        issuer: z.string().min(1),
        jwksUrl: z.url().optional(),
        /** Static verification keys: PEM (SPKI) file paths or inline JWKs. */
        keys: z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).default([]),
        /** Extra accepted audiences besides publicUrl and the server's resource URL. */
        audiences: z.array(z.string()).default([]),
        algorithms: z.array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'])).min(1).default(['RS256', 'ES256', 'EdDSA']),
        clockToleranceSec: z.number().min(0).max(300).default(30),
        maxTokenAgeSec: z.number().positive().optional(),
        requiredScopes: z.array(z.string()).default([]),
        principalClaim: z.string().default('sub'),
        groupsClaim: z.string().default('groups'),
        tenantClaim: z.string().default('tenant'),
      })
      .optional(),
    apiKeys: z.boolean().default(true),
    authorizationServers: z.array(z.url()).default([]),
  }),
  servers: z.record(name, server).refine((s) => Object.keys(s).length > 0, 'configure at least one server'),
  policy: z.strictObject({ rules: z.array(rule).max(10_000).default([]) }).default({ rules: [] }),
  rateLimits: z
    .strictObject({
      perKey: limit.optional(),
      perKeyTool: limit.optional(),
      perTenant: limit.optional(),
    })
    .default({}),
  redis: z.strictObject({ url: z.string().default('redis://127.0.0.1:6379'), keyPrefix: z.string().default('warden:gw:') }).optional(),
  anomaly: z
    .strictObject({
      blockSec: z.number().positive().default(600),
      throttle: limit.default({ points: 1, durationSec: 5 }),
      throttleSec: z.number().positive().default(300),
      rateSpike: z
        .strictObject({
          intervalSec: z.number().positive().default(10),
          alpha: z.number().gt(0).lt(1).default(0.3),
          z: z.number().positive().default(4),
          minCount: z.number().int().positive().default(20),
          warmupIntervals: z.number().int().min(1).default(6),
          action,
        })
        .optional(),
      deniedBurst: z.strictObject({ count: z.number().int().positive(), windowSec: z.number().positive(), action }).optional(),
      offHours: z
        .strictObject({ timezone: z.string(), minHistory: z.number().int().positive().default(200), action })
        .optional(),
      newTool: z.strictObject({ warmupCalls: z.number().int().positive().default(50), action }).optional(),
    })
    .default({ blockSec: 600, throttle: { points: 1, durationSec: 5 }, throttleSec: 300 }),
  redaction: z
    .strictObject({
      disable: z.array(z.string()).default([]),
      /** Also mask secrets and PII in tool results returned to clients. */
      maskResults: z.boolean().default(false),
    })
    .default({ disable: [], maskResults: false }),
  pinning: z.strictObject({ mode: z.enum(['tofu', 'strict', 'off']).default('tofu') }).default({ mode: 'tofu' }),
  audit: z
    .strictObject({
      file: z.string().optional(),
      /** Key ring file (JSON {active, keys}); or set WARDEN_AUDIT_KEYS. */
      keysFile: z.string().optional(),
      includePayloads: z.boolean().default(false),
      payloadMaxChars: z.number().int().positive().default(2000),
    })
    .default({ includePayloads: false, payloadMaxChars: 2000 }),
  log: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), file: z.string().optional() })
    .default({ level: 'info' }),
  metrics: z.strictObject({ enabled: z.boolean().default(true), token: z.string().optional() }).default({ enabled: true }),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type ServerConfig = z.infer<typeof server>;
export type StdioServerConfig = z.infer<typeof stdioServer>;
export type HttpServerConfig = z.infer<typeof httpServer>;
export type PolicyRule = z.infer<typeof rule>;
export type HoursConfig = z.infer<typeof hours>;
export type LimitConfig = z.infer<typeof limit>;
export type AnomalyConfig = GatewayConfig['anomaly'];
export type AnomalyAction = z.infer<typeof action>;

const MAX_CONFIG_BYTES = 1024 * 1024;

/** Validates an already-parsed config value; relative paths resolve against `baseDir`. */
export function parseGatewayConfig(value: unknown, baseDir = process.cwd(), where = 'config'): GatewayConfig {
  const r = gatewayConfigSchema.safeParse(value);
  if (!r.success) {
    const first = r.error.issues[0]!;
    const path = first.path.join('.');
    throw new WardenError('WARDEN_E_GW_CONFIG', `Invalid gateway config at \`${path || '(root)'}\`: ${first.message}.`, { where: `${where}:${path}` });
  }
  const cfg = r.data;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  cfg.stateDir = abs(cfg.stateDir);
  if (cfg.tls) cfg.tls = { ...cfg.tls, cert: abs(cfg.tls.cert), key: abs(cfg.tls.key), ...(cfg.tls.ca ? { ca: abs(cfg.tls.ca) } : {}) };
  if (cfg.audit.file) cfg.audit.file = abs(cfg.audit.file);
  if (cfg.audit.keysFile) cfg.audit.keysFile = abs(cfg.audit.keysFile);
  if (cfg.log.file) cfg.log.file = abs(cfg.log.file);
  if (cfg.auth.jwt) cfg.auth.jwt.keys = cfg.auth.jwt.keys.map((k) => (typeof k === 'string' ? abs(k) : k));
  for (const s of Object.values(cfg.servers)) if (s.transport === 'stdio' && s.cwd) s.cwd = abs(s.cwd);
  const u = new URL(cfg.publicUrl);
  if (u.pathname !== '/' || u.search || u.hash) {
    throw new WardenError('WARDEN_E_GW_CONFIG', 'publicUrl must be scheme://host[:port] without a path; endpoints are served at /mcp/<server>.', { where: `${where}:publicUrl` });
  }
  cfg.publicUrl = u.origin;
  if (!cfg.auth.jwt && !cfg.auth.apiKeys) {
    throw new WardenError('WARDEN_E_GW_CONFIG', 'Enable at least one authentication method (auth.jwt or auth.apiKeys).', { where: `${where}:auth` });
  }
  return cfg;
}

export function loadGatewayConfig(file: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new WardenError('WARDEN_E_GW_CONFIG', `Cannot read the gateway config ${file}: ${(cause as NodeJS.ErrnoException).code ?? cause}.`, { where: file, cause });
  }
  if (text.length > MAX_CONFIG_BYTES) throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The config ${file} exceeds 1 MiB.`, { where: file });
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 100 });
  } catch (cause) {
    throw new WardenError('WARDEN_E_GW_CONFIG', `The config ${file} is not valid YAML: ${(cause as Error).message}`, { where: file, cause });
  }
  return parseGatewayConfig(value, dirname(resolve(file)), file);
}

/** Expands `${env:NAME}` references from the given environment; unknown names are config errors. */
export function expandEnvRefs(value: string, env: NodeJS.ProcessEnv, where: string): string {
  return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, n: string) => {
    const v = env[n];
    if (v === undefined) throw new WardenError('WARDEN_E_GW_CONFIG', `Environment variable ${n} referenced by ${where} is not set.`, { where });
    return v;
  });
}
