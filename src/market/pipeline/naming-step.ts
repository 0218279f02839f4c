import type { NamingFacts } from './types.js';

/** The slice of the naming engine (src/naming) the market uses. */
interface NameIndexLike {
  add(entry: { name: string; owner: string; weight?: number }): void;
  check(name: string, opts: { owner: string }): { verdict: 'allow' | 'review' | 'block'; matches: unknown[]; reasons?: unknown[]; explanation: string };
}
type NameIndexCtor = new (policy?: undefined, opts?: { commonWords?: ReadonlySet<string> }) => NameIndexLike;

export interface NameEntry {
  name: string;
  owner: string;
}

/**
 * The market's one door to the naming engine. When src/naming is not built (or does not export
 * `NameIndex`), every check answers `not-run` with the reason, and the pipeline records that.
 */
export class NamingStep {
  #ctor: NameIndexCtor | undefined;
  #unavailable: string | undefined;
  #commonWords: ReadonlySet<string> | undefined;
  #cache: { key: string; index: NameIndexLike } | undefined;

  private constructor(ctor: NameIndexCtor | undefined, unavailable: string | undefined, commonWords?: ReadonlySet<string>) {
    this.#ctor = ctor;
    this.#unavailable = unavailable;
    this.#commonWords = commonWords;
  }

  static async load(): Promise<NamingStep> {
    try {
      // Loaded lazily (it is heavy); a build without it still publishes, with the step recorded as not run.
      const mod = (await import('../../naming/index.js')) as { NameIndex?: unknown };
      if (typeof mod.NameIndex !== 'function') return new NamingStep(undefined, 'src/naming does not export NameIndex');
      const { loadCommonWords } = await import('../../naming/names-file.js');
      return new NamingStep(mod.NameIndex as NameIndexCtor, undefined, loadCommonWords());
    } catch (err) {
      return new NamingStep(undefined, `naming engine not installed (${String((err as Error)?.message ?? err).slice(0, 120)})`);
    }
  }

  /** For tests and operators who run without the engine on purpose. */
  static disabled(reason: string): NamingStep {
    return new NamingStep(undefined, reason);
  }

  get available(): boolean {
    return this.#ctor !== undefined;
  }

  /**
   * Checks `name` for `owner` against the corpus. `generation` identifies the corpus (names are
   * never deleted, so a count works); the index is rebuilt only when it changes.
   */
  check(name: string, owner: string, corpus: () => NameEntry[], generation: string): NamingFacts {
    if (!this.#ctor) return { status: 'not-run', reason: this.#unavailable ?? 'unavailable' };
    try {
      if (!this.#cache || this.#cache.key !== generation) {
        const index = new this.#ctor(undefined, { commonWords: this.#commonWords });
        // No download counts in the market yet: leave weight to the engine's default, which
        // protects every existing name as if it were popular (the conservative choice).
        for (const e of corpus()) index.add({ name: e.name, owner: e.owner });
        this.#cache = { key: generation, index };
      }
      const r = this.#cache.index.check(name, { owner });
      return { status: 'ran', verdict: r.verdict, explanation: r.explanation, matches: Array.isArray(r.matches) ? r.matches : [] };
    } catch (err) {
      // A crashing engine must not wave a name through: hold it for a person instead.
      return { status: 'ran', verdict: 'review', explanation: `the naming engine failed (${String((err as Error)?.message ?? err).slice(0, 200)}); a reviewer must check the name`, matches: [] };
    }
  }
}
