import { REDACT_FORMATS, type RedactFormat } from './formats.js';
import { gb11643Valid, luhnValid, phoneDigitsValid } from './checksums.js';

/**
 * Pure redaction core: replaces secrets and personal data in strings and JSON values with
 * `[REDACTED:<format id>]`. No I/O; the gateway applies it to every log line and audit record
 * before anything is written, and optionally to tool results.
 */

interface CompiledFormat {
  id: string;
  re: RegExp;
  group: number | undefined;
  keywords: string[] | undefined;
  validate: ((s: string) => boolean) | undefined;
}

const VALIDATORS: Record<NonNullable<RedactFormat['validate']>, (s: string) => boolean> = {
  luhn: luhnValid,
  gb11643: gb11643Valid,
  'phone-digits': phoneDigitsValid,
};

/** Field names whose string values are removed whole, whatever they look like. */
const SENSITIVE_KEY = /^(?:authorization|proxy-authorization|cookie|set-cookie|password|passwd|secret|client_secret|api[_-]?key|access[_-]?token|refresh[_-]?token|id[_-]?token|x-api-key)$/i;

export interface RedactOptions {
  /** Format ids to leave out (e.g. `phone` when phone numbers are data, not PII, for you). */
  disable?: string[];
  /** Extra formats (same shape as the built-in data). */
  extra?: RedactFormat[];
  /** Limits for walking JSON values. */
  maxDepth?: number;
  maxNodes?: number;
}

export interface RedactStats {
  /** Count of replacements per format id. */
  hits: Record<string, number>;
}

export class Redactor {
  readonly #formats: CompiledFormat[];
  readonly #maxDepth: number;
  readonly #maxNodes: number;

  constructor(options: RedactOptions = {}) {
    const disabled = new Set(options.disable ?? []);
    const all = [...REDACT_FORMATS, ...(options.extra ?? [])].filter((f) => !disabled.has(f.id));
    this.#formats = all.map((f) => ({
      id: f.id,
      re: new RegExp(f.pattern, 'g' + (f.flags ?? '').replace(/g/g, '')),
      group: f.group,
      keywords: f.keywords?.map((k) => k.toLowerCase()),
      validate: f.validate ? VALIDATORS[f.validate] : undefined,
    }));
    this.#maxDepth = options.maxDepth ?? 32;
    this.#maxNodes = options.maxNodes ?? 50_000;
  }

  get formatIds(): string[] {
    return this.#formats.map((f) => f.id);
  }

  /** Redacts one string. `stats.hits` counts replacements per format when given. */
  redactString(text: string, stats?: RedactStats): string {
    if (text.length < 6) return text;
    let lower: string | undefined;
    let out = text;
    for (const f of this.#formats) {
      if (f.keywords) {
        lower ??= out.toLowerCase();
        if (!f.keywords.some((k) => lower!.includes(k))) continue;
      }
      f.re.lastIndex = 0;
      if (!f.re.test(out)) continue;
      f.re.lastIndex = 0;
      const marker = `[REDACTED:${f.id}]`;
      let changed = false;
      out = out.replace(f.re, (...m: unknown[]) => {
        const whole = m[0] as string;
        const target = f.group === undefined ? whole : (m[f.group] as string | undefined);
        if (target === undefined || target.length === 0) return whole;
        if (f.validate && !f.validate(target)) return whole;
        changed = true;
        if (stats) stats.hits[f.id] = (stats.hits[f.id] ?? 0) + 1;
        if (f.group === undefined) return marker;
        const at = whole.lastIndexOf(target);
        return whole.slice(0, at) + marker + whole.slice(at + target.length);
      });
      if (changed) lower = undefined;
    }
    return out;
  }

  /**
   * Returns a redacted deep copy of a JSON-like value. Strings are scanned; values under
   * sensitive field names (authorization, password, api_key, ...) are replaced whole. Beyond the
   * depth or node limits the remainder is replaced by a marker rather than written unscanned.
   */
  redactValue<T>(value: T, stats?: RedactStats): T {
    const budget = { nodes: this.#maxNodes };
    return this.#walk(value, 0, budget, stats) as T;
  }

  #walk(value: unknown, depth: number, budget: { nodes: number }, stats?: RedactStats): unknown {
    if (--budget.nodes < 0 || depth > this.#maxDepth) return '[REDACTED:too-deep]';
    if (typeof value === 'string') return this.redactString(value, stats);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.#walk(v, depth + 1, budget, stats));
    if (value instanceof Error) return { name: value.name, message: this.redactString(value.message, stats) };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && v.length > 0 && SENSITIVE_KEY.test(k)) {
        out[k] = '[REDACTED:field]';
        if (stats) stats.hits.field = (stats.hits.field ?? 0) + 1;
      } else out[k] = this.#walk(v, depth + 1, budget, stats);
    }
    return out;
  }
}
