import { WardenError } from '../core/errors.js';
import { throwIfInterrupted } from '../sandbox/index.js';
import { parseEnvelope, type DsseEnvelope } from '../core/dsse.js';
import { formatModuleId, type ModuleRef } from '../core/ref.js';
import type { ReleaseBundle } from './verify-bundle.js';

/**
 * Fetches what the installer verifies. Nothing here is trusted: sizes are capped, shapes checked,
 * and every signature is verified afterwards by verifyReleaseBundle.
 */
export interface MarketLimits {
  jsonBytes: number;
  artifactBytes: number;
  timeoutMs: number;
}

export const DEFAULT_MARKET_LIMITS: MarketLimits = { jsonBytes: 2 * 1024 * 1024, artifactBytes: 64 * 1024 * 1024, timeoutMs: 30_000 };

const META_KEY = 'dev.warden/release';

export interface ReleaseMetadata {
  status: string;
  digests: { sha256: string; sha512: string };
  size: number;
  artifact: string;
  envelope: string;
  countersignature: string;
}

export interface FetchedRelease {
  bundle: ReleaseBundle;
  metadata: ReleaseMetadata;
  artifact: Buffer;
  marketKey: { keyid: string; publicKeyPem: string };
}

export class MarketClient {
  readonly base: URL;
  readonly limits: MarketLimits;
  /** Aborts every request in flight (Ctrl-C during `warden install`): WARDEN_E_INTERRUPTED. */
  private readonly signal: AbortSignal | undefined;

  constructor(url: string, limits: Partial<MarketLimits> = {}, signal?: AbortSignal) {
    let base: URL;
    try {
      base = new URL(url.endsWith('/') ? url : `${url}/`);
    } catch {
      throw new WardenError('WARDEN_E_USAGE', `--market "${url}" is not a URL (e.g. https://market.example.org).`, { where: '--market' });
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new WardenError('WARDEN_E_USAGE', `--market must be http(s), got ${base.protocol}`, { where: '--market' });
    this.base = base;
    this.limits = { ...DEFAULT_MARKET_LIMITS, ...limits };
    this.signal = signal;
  }

  private url(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.base);
  }

  /** GET with a timeout and a cap on the body size, read as it streams. */
  async getBytes(path: string, maxBytes: number, allowStatus: number[] = []): Promise<{ status: number; body: Buffer }> {
    const url = this.url(path);
    throwIfInterrupted(this.signal);
    const timeout = AbortSignal.timeout(this.limits.timeoutMs);
    const signal = this.signal ? AbortSignal.any([timeout, this.signal]) : timeout;
    let res: Response;
    try {
      res = await fetch(url, { signal, redirect: 'error', headers: { accept: 'application/json, application/octet-stream' } });
    } catch (cause) {
      throwIfInterrupted(this.signal);
      throw new WardenError('WARDEN_E_MARKET_UNREACHABLE', `Cannot reach the market at ${url.origin}: ${(cause as Error).message}.`, { where: url.toString(), cause });
    }
    if (!res.ok && !allowStatus.includes(res.status)) {
      let detail = '';
      try {
        const problem = (await res.json()) as { detail?: string; code?: string };
        detail = problem.code ? ` ${problem.code}: ${String(problem.detail ?? '').slice(0, 300)}` : '';
      } catch {
        // not problem JSON
      }
      throw new WardenError(res.status === 404 ? 'WARDEN_E_NOT_FOUND' : 'WARDEN_E_MARKET_UNREACHABLE', `The market answered ${res.status} for ${url.pathname}.${detail}`, { where: url.toString(), details: { status: res.status } });
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) throw new WardenError('WARDEN_E_MARKET_RESPONSE', `${url.pathname} is ${declared} bytes, over the ${maxBytes}-byte limit.`, { where: url.toString() });
    const chunks: Buffer[] = [];
    let total = 0;
    if (res.body) {
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          total += chunk.length;
          if (total > maxBytes) throw new WardenError('WARDEN_E_MARKET_RESPONSE', `${url.pathname} is over the ${maxBytes}-byte limit.`, { where: url.toString() });
          chunks.push(Buffer.from(chunk));
        }
      } catch (cause) {
        throwIfInterrupted(this.signal);
        if (cause instanceof WardenError) throw cause;
        throw new WardenError('WARDEN_E_MARKET_UNREACHABLE', `The market at ${url.origin} stopped sending ${url.pathname}: ${(cause as Error).message}.`, { where: url.toString(), cause });
      }
    }
    return { status: res.status, body: Buffer.concat(chunks) };
  }

  async getJson<T>(path: string): Promise<T> {
    const { body } = await this.getBytes(path, this.limits.jsonBytes);
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch (cause) {
      throw new WardenError('WARDEN_E_MARKET_RESPONSE', `${path} is not JSON.`, { where: this.url(path).toString(), cause });
    }
  }

  async getEnvelope(path: string): Promise<DsseEnvelope> {
    const { body } = await this.getBytes(path, this.limits.jsonBytes);
    return parseEnvelope(body, this.url(path).toString());
  }

  marketKey(): Promise<{ keyid: string; publicKeyPem: string }> {
    return this.getJson('/warden/v1/market-key');
  }

  private versionPath(ref: ModuleRef, version: string): string {
    return `/v0.1/servers/${encodeURIComponent(formatModuleId(ref))}/versions/${encodeURIComponent(version)}?include_deleted=true`;
  }

  async releaseMetadata(ref: ModuleRef): Promise<ReleaseMetadata> {
    const doc = await this.getJson<{ _meta?: Record<string, unknown> }>(this.versionPath(ref, ref.version));
    const meta = doc._meta?.[META_KEY] as Partial<ReleaseMetadata> & { digests?: Partial<ReleaseMetadata['digests']> } | undefined;
    const str = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length < 2048;
    if (!meta || !str(meta.status) || !str(meta.artifact) || !str(meta.envelope) || !str(meta.countersignature) || !str(meta.digests?.sha256)) {
      throw new WardenError('WARDEN_E_MARKET_RESPONSE', `The market's record of ${formatModuleId(ref)}@${ref.version} lacks Warden release metadata; is this a Warden market?`, { where: this.versionPath(ref, ref.version) });
    }
    return meta as ReleaseMetadata;
  }

  /** The market's signed, dated state of one release (core/release-state.ts); verified by the caller. */
  async releaseState(ref: ModuleRef): Promise<DsseEnvelope> {
    const path = `/warden/v1/servers/${encodeURIComponent(formatModuleId(ref))}/versions/${encodeURIComponent(ref.version)}/state`;
    try {
      return await this.getEnvelope(path);
    } catch (err) {
      if (err instanceof WardenError && err.code === 'WARDEN_E_MARKET_UNREACHABLE') throw err;
      throw new WardenError('WARDEN_E_RELEASE_STATE', `The market did not serve a signed release state for ${formatModuleId(ref)}@${ref.version}: ${(err as Error).message}`, { where: path, cause: err });
    }
  }

  async orgKeys(org: string): Promise<ReleaseBundle['orgKeys']> {
    const doc = await this.getJson<{ keys?: Array<{ keyid?: unknown; publicKeyPem?: unknown; revokedAt?: unknown }> }>(`/warden/v1/orgs/${encodeURIComponent(org)}/keys`);
    if (!Array.isArray(doc.keys) || doc.keys.length > 256) throw new WardenError('WARDEN_E_MARKET_RESPONSE', `The market's key list for ${org} is malformed.`, { where: `/warden/v1/orgs/${org}/keys` });
    return doc.keys.map((k) => ({ keyid: String(k.keyid), pem: String(k.publicKeyPem), revoked: k.revokedAt !== null && k.revokedAt !== undefined }));
  }

  /**
   * Fetches metadata, envelopes, org keys and the artifact of one release: two rounds of
   * concurrent requests. Nothing here trusts what it fetched; the caller verifies it all before
   * a byte of the artifact is extracted.
   */
  async fetchRelease(ref: ModuleRef): Promise<FetchedRelease> {
    // Fetched alongside, reported after: a release that does not exist is "not found", not "no state".
    const state = this.releaseState(ref).then((envelope) => ({ envelope }), (err: unknown) => ({ err }));
    const [marketKey, metadata] = await Promise.all([this.marketKey(), this.releaseMetadata(ref)]);
    const fetchedState = await state;
    if ('err' in fetchedState) throw fetchedState.err;
    const stateEnvelope = fetchedState.envelope;
    if (metadata.status === 'taken-down') {
      // Its envelopes and bytes are no longer served; the signed state decides (the caller verifies it).
      const none = { payloadType: '', payload: '', signatures: [] };
      return { bundle: { ref, publisherEnvelope: none, marketEnvelope: none, orgKeys: [], stateEnvelope }, metadata, artifact: Buffer.alloc(0), marketKey };
    }
    const [publisherEnvelope, marketEnvelope, orgKeys, { body: artifact }] = await Promise.all([
      this.getEnvelope(metadata.envelope),
      this.getEnvelope(metadata.countersignature),
      this.orgKeys(ref.org),
      this.getBytes(metadata.artifact, this.limits.artifactBytes),
    ]);
    return { bundle: { ref, publisherEnvelope, marketEnvelope, orgKeys, stateEnvelope }, metadata, artifact, marketKey };
  }
}
