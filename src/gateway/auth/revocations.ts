import { join } from 'node:path';
import { JsonStateFile } from '../state-file.js';

/** Revoked JWT ids (`jti`), kept until the token would have expired anyway. */
interface RevokedDoc {
  jti: Record<string, { revokedAt: string; until?: string; reason?: string }>;
}

export class TokenRevocations {
  readonly #file: JsonStateFile<RevokedDoc>;

  constructor(stateDir: string) {
    this.#file = new JsonStateFile<RevokedDoc>(join(stateDir, 'revoked-tokens.json'), () => ({ jti: {} }));
  }

  revoke(jti: string, opts: { until?: Date; reason?: string } = {}): void {
    this.#file.update((d) => {
      d.jti[jti] = { revokedAt: new Date().toISOString(), ...(opts.until ? { until: opts.until.toISOString() } : {}), ...(opts.reason ? { reason: opts.reason } : {}) };
      // Drop entries whose tokens have expired anyway.
      const now = Date.now();
      for (const [k, v] of Object.entries(d.jti)) if (v.until && Date.parse(v.until) < now) delete d.jti[k];
    });
  }

  isRevoked(jti: string): boolean {
    return Object.hasOwn(this.#file.get().jti, jti);
  }

  list(): RevokedDoc['jti'] {
    return this.#file.get(Date.now() + 10_000).jti;
  }
}
