import { join } from 'node:path';
import { WardenError } from '../../core/errors.js';
import { JsonStateFile } from '../state-file.js';
import { pinnedPart, toolHash } from '../../core/tool-pin.js';

/**
 * Approved tool-definition hashes per server. `tofu` approves a tool the first time it is seen;
 * `strict` needs `warden gateway approve` for every tool; either way a definition whose hash
 * differs from the approved one is recorded as pending, hidden from tools/list and refused until
 * approved. `off` disables pinning.
 */
export interface PinEntry {
  sha256?: string;
  approvedAt?: string;
  pending?: { sha256: string; seenAt: string; definition: Record<string, unknown> };
}

interface PinsDoc {
  servers: Record<string, Record<string, PinEntry>>;
}

export type PinStatus = 'approved' | 'pending';

export class PinStore {
  readonly #file: JsonStateFile<PinsDoc>;
  readonly #mode: 'tofu' | 'strict' | 'off';

  constructor(stateDir: string, mode: 'tofu' | 'strict' | 'off') {
    this.#file = new JsonStateFile<PinsDoc>(join(stateDir, 'tool-pins.json'), () => ({ servers: {} }));
    this.#mode = mode;
  }

  /** Checks a definition as listed by the upstream; records first sightings and changes. */
  check(server: string, tool: Record<string, unknown>, hash = toolHash(tool)): PinStatus {
    if (this.#mode === 'off') return 'approved';
    const name = String(tool.name);
    const entry = this.#file.get().servers[server]?.[name];
    if (entry?.sha256 === hash) return 'approved';
    if (entry?.pending?.sha256 === hash) return 'pending';
    const now = new Date().toISOString();
    if (!entry?.sha256 && this.#mode === 'tofu') {
      this.#file.update((d) => {
        ((d.servers[server] ??= {})[name] ??= {}).sha256 = hash;
        d.servers[server]![name]!.approvedAt = now;
      });
      return 'approved';
    }
    this.#file.update((d) => {
      ((d.servers[server] ??= {})[name] ??= {}).pending = { sha256: hash, seenAt: now, definition: pinnedPart(tool) };
    });
    return 'pending';
  }

  pending(): Array<{ server: string; tool: string; approved?: string; pending: NonNullable<PinEntry['pending']> }> {
    const out = [];
    for (const [server, tools] of Object.entries(this.#file.get(Date.now() + 10_000).servers)) {
      for (const [tool, e] of Object.entries(tools)) if (e.pending) out.push({ server, tool, ...(e.sha256 ? { approved: e.sha256 } : {}), pending: e.pending });
    }
    return out;
  }

  /** Approves pending definitions of a server (one tool or all); returns what was approved. */
  approve(server: string, tool?: string, expectSha256?: string): Array<{ tool: string; sha256: string }> {
    const done: Array<{ tool: string; sha256: string }> = [];
    this.#file.update((d) => {
      for (const [name, e] of Object.entries(d.servers[server] ?? {})) {
        if (!e.pending || (tool && name !== tool)) continue;
        if (expectSha256 && e.pending.sha256 !== expectSha256) continue;
        e.sha256 = e.pending.sha256;
        e.approvedAt = new Date().toISOString();
        delete e.pending;
        done.push({ tool: name, sha256: e.sha256 });
      }
    });
    if (done.length === 0) throw new WardenError('WARDEN_E_GW_PIN_UNKNOWN', `No pending tool definition for ${server}${tool ? `/${tool}` : ''}${expectSha256 ? ` with sha256 ${expectSha256}` : ''}.`, { where: `${server}/${tool ?? '*'}` });
    return done;
  }
}
