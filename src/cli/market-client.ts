import type { Command } from 'commander';
import { WardenError, errorCodes, type WardenErrorCode } from '../core/errors.js';

/** Options every verb that talks to a market accepts. */
export interface MarketClientOptions {
  market?: string;
  token?: string;
}

export function addMarketOptions(cmd: Command, needsToken = true): Command {
  cmd.option('--market <url>', 'market base URL (default: $WARDEN_MARKET)');
  if (needsToken) cmd.option('--token <token>', 'market token (default: $WARDEN_TOKEN; prefer the variable: options show up in `ps`)');
  return cmd;
}

export const MARKET_ENV_HELP = `
Every market verb takes --market URL and --token TOKEN, or reads WARDEN_MARKET and WARDEN_TOKEN.`;

export interface MarketClient {
  base: string;
  request<T = any>(method: string, path: string, body?: unknown, opts?: { raw?: boolean; timeoutMs?: number }): Promise<{ status: number; body: T; bytes?: Buffer }>;
}

const CLIENT_TIMEOUT_MS = 120_000;

export function marketClient(opts: MarketClientOptions, requireToken = true): MarketClient {
  const url = opts.market ?? process.env.WARDEN_MARKET;
  if (!url) throw new WardenError('WARDEN_E_USAGE', 'No market given: pass --market URL or set WARDEN_MARKET.', { where: '--market' });
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new WardenError('WARDEN_E_USAGE', `--market "${url.slice(0, 200)}" is not a URL; give e.g. http://127.0.0.1:8080.`, { where: '--market' });
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new WardenError('WARDEN_E_USAGE', '--market must be an http:// or https:// URL.', { where: '--market' });
  const token = opts.token ?? process.env.WARDEN_TOKEN;
  if (requireToken && !token) throw new WardenError('WARDEN_E_USAGE', 'No token given: pass --token or set WARDEN_TOKEN (an admin creates tokens with `warden token create`).', { where: '--token' });
  const root = base.toString().replace(/\/+$/, '');
  return {
    base: root,
    async request(method, path, body, ropts = {}) {
      let res: Response;
      try {
        res = await fetch(root + path, {
          method,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), accept: 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(ropts.timeoutMs ?? CLIENT_TIMEOUT_MS),
        });
      } catch (cause) {
        throw new WardenError('WARDEN_E_MARKET_UNREACHABLE', `The market at ${root} did not answer (${(cause as Error).message}). Check --market and that the server runs.`, { cause, where: root });
      }
      const bytes = Buffer.from(await res.arrayBuffer());
      if (res.ok && ropts.raw) return { status: res.status, body: undefined as never, bytes };
      let parsed: any;
      try {
        parsed = bytes.length ? JSON.parse(bytes.toString('utf8')) : undefined;
      } catch {
        throw new WardenError('WARDEN_E_MARKET_UNREACHABLE', `${root}${path} answered HTTP ${res.status} with something that is not JSON; is this a Warden market?`, { where: root });
      }
      if (!res.ok) {
        const code = parsed?.code as string | undefined;
        if (code && code in errorCodes) {
          const details = { status: res.status, ...(parsed.reasons ? { reasons: parsed.reasons } : {}), ...(parsed.details ? { details: parsed.details } : {}) };
          throw new WardenError(code as WardenErrorCode, String(parsed.detail ?? parsed.title ?? 'refused'), { where: parsed.where ?? `${method} ${path}`, details });
        }
        throw new WardenError('WARDEN_E_MARKET_UNREACHABLE', `${root}${path} answered HTTP ${res.status} without a Warden problem code.`, { where: root });
      }
      return { status: res.status, body: parsed };
    },
  };
}
