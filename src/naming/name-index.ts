import { WardenError } from '../core/errors.js';
import { osaDistance } from './distance.js';
import { classifyEdit } from './edit-operators.js';
import { computeForms, splitKey, type NameForms } from './forms.js';
import { fnv1a, fnv1aRange, HashMultiMap } from './hash-multimap.js';
import { coreTokens, expandTokens, isAffix, isVersionToken, plainForm, plainTokens, separatorFold, skeletonForm, type AffixSets } from './normalize.js';
import { parseName, type ParsedName } from './parse-name.js';
import {
  actionFor, capsFor, capVerdict, DEFAULT_NAME_POLICY, editStepFor, maxDistanceFor, strongerVerdict, tierFor, verdictRank,
  type NamePolicy, type Verdict,
} from './policy.js';
import { TYPO_REASONS, type ReasonCode } from './reasons.js';
import { describeMatch, summarize } from './explain.js';
import { distinctiveWord, orgsShareBrand, type DistinctiveWord } from './distinctive.js';

/** A name to index: a module id `org/name`, npm `name` or `@scope/name`, or a PyPI name. */
export interface NameEntry {
  name: string;
  /** Who controls the name (org or account). Defaults to the name's org or scope. */
  owner?: string;
  /** Weekly downloads or installs; decides the policy tier. Defaults to the policy's defaultWeight. */
  weight?: number;
}

export interface NameMatch {
  existing: string;
  owner?: string;
  weight?: number;
  /** OSA edit distance between the plain forms of the module names (0 for look-identical names). */
  distance: number;
  reasons: ReasonCode[];
  explanation: string;
  /** What the policy makes of this match alone. */
  verdict: Verdict;
}

export interface NameVerdict {
  verdict: Verdict;
  matches: NameMatch[];
  reasons: ReasonCode[];
  explanation: string;
}

export interface NameIndexOptions {
  /**
   * Common English words (see loadCommonWords in names-file.ts). They are never split into a
   * stem and a glued affix, and they are not coined words; without them no word counts as coined.
   */
  commonWords?: ReadonlySet<string>;
}

export interface CheckOptions {
  /** Who is publishing: near names of the same owner are capped by the policy's sameOwner. */
  owner?: string;
}

/** Most names one index holds. */
export const MAX_INDEX_NAMES = 20_000_000;

const SEED = { key: 0x811c9dc5, bare: 0x01234567, skel: 0x2545f491, core: 0x3c6ef372, reorder: 0x5be0cd19, del: 0x6a09e667 };

/** Details of one candidate/existing pair the explanation needs. */
export interface PairFacts {
  candidate: string;
  existing: string;
  reasons: ReasonCode[];
  editPhrase?: string;
  extraWords?: string[];
  orgs?: { candidate: string | undefined; existing: string | undefined };
  /** Why the re-used name is distinctive (NAME_DISTINCTIVE_REUSE). */
  distinctive?: DistinctiveWord;
  sameOwner: boolean;
  knownWord: boolean;
  tierId: string;
  weight: number;
  verdict: Verdict;
}

interface Candidate {
  parsed: ParsedName;
  forms: NameForms;
  owner: string | undefined;
}

/**
 * An incremental index of existing names that answers "is this new name a look-alike?".
 * Lookups: exact key, plain form (separators/case/Unicode), confusable skeleton, affix-stripped
 * core, sorted words, and a symmetric-deletion index (every plain form with one character
 * deleted) that finds all names within edit distance 1 (2 for long names, one side) without
 * scanning. Every id a lookup returns is verified by recomputing its forms, so hash collisions
 * cost time, never correctness. Pure: no I/O.
 */
export class NameIndex {
  readonly policy: NamePolicy;
  private readonly affixes: AffixSets;
  private readonly mirrorOrgs: ReadonlySet<string>;
  private readonly commonWords: ReadonlySet<string> | undefined;
  private readonly orgSuffixes: ReadonlySet<string>;
  private readonly shortNameReasons: ReadonlySet<ReasonCode>;
  private keys: Array<string | undefined> = [];
  private displays: Array<string | undefined> = [];
  private owners: Array<string | undefined> = [];
  private weights = new Float64Array(1024);
  private live = 0;
  private stringBytes = 0;
  private readonly byKey = new HashMultiMap(1024);
  private readonly bare = new HashMultiMap(1024);
  private readonly skel = new HashMultiMap(1024);
  private readonly core = new HashMultiMap(256);
  private readonly reorder = new HashMultiMap(256);
  private readonly del = new HashMultiMap(4096);
  private readonly vocab = new Map<string, number>();
  /** Total weight of the names each owner holds: an owner's standing. */
  private readonly ownerWeight = new Map<string, number>();
  private seen = new Uint32Array(1024);
  private stamp = 0;
  /**
   * Per-check memos. A generic module name (`core`, `utils`) is shared by thousands of orgs, and
   * one check may evaluate them all: each module name's forms, each org's relation to the
   * candidate's org and each name's genericity are then computed once, not once per id.
   */
  private readonly formsMemo = new Map<string, NameForms>();
  private readonly orgMemo = new Map<string | undefined, OrgRelation>();
  private readonly genericMemo = new Map<string, boolean>();

  constructor(policy: NamePolicy = DEFAULT_NAME_POLICY, opts: NameIndexOptions = {}) {
    this.policy = policy;
    this.affixes = {
      impersonating: new Set(policy.affixes.impersonating),
      ecosystem: new Set(policy.affixes.ecosystem),
      attachable: [...policy.affixes.attachable].sort((a, b) => b.length - a.length),
      minStem: policy.affixes.minStem,
      ...(opts.commonWords ? { words: opts.commonWords } : {}),
      expandMemo: new Map(),
    };
    this.mirrorOrgs = new Set(policy.mirrorOrgs);
    this.commonWords = opts.commonWords;
    this.orgSuffixes = new Set(policy.distinctive.orgSuffixes);
    this.shortNameReasons = new Set(policy.shortNameReasons);
  }

  /** Names currently indexed. */
  get size(): number {
    return this.live;
  }

  /** Adds a name, or updates owner and weight when the same name is already indexed. */
  add(entry: NameEntry): void {
    const parsed = parseName(entry.name, 'entry.name');
    const weight = entry.weight ?? this.policy.defaultWeight;
    if (!Number.isFinite(weight) || weight < 0) {
      throw new WardenError('WARDEN_E_NAME_INVALID', `The weight of "${parsed.display}" must be a finite number >= 0.`, { where: 'entry.weight' });
    }
    const owner = normalizeOwner(entry.owner) ?? parsed.org;
    const existing = this.findKey(parsed.key);
    if (existing >= 0) {
      this.credit(this.ownerOf(existing), -this.weights[existing]!);
      this.owners[existing] = owner === parsed.org ? undefined : owner;
      this.weights[existing] = weight;
      this.credit(owner, weight);
      return;
    }
    if (this.live >= MAX_INDEX_NAMES) {
      throw new WardenError('WARDEN_E_INPUT_TOO_LARGE', `The name index is full (${MAX_INDEX_NAMES} names); split the names list.`, { where: 'entry.name' });
    }
    const id = this.keys.length;
    this.keys.push(parsed.key);
    this.displays.push(parsed.display === parsed.key ? undefined : parsed.display);
    this.owners.push(owner === parsed.org ? undefined : owner);
    if (id >= this.weights.length) {
      const w = new Float64Array(this.weights.length * 2);
      w.set(this.weights);
      this.weights = w;
    }
    this.weights[id] = weight;
    this.credit(owner, weight);
    this.stringBytes += 24 + parsed.key.length + (parsed.display === parsed.key ? 0 : 24 + parsed.display.length * 2);
    this.live++;
    this.link(id, parsed.key, true);
  }

  /** Removes a name; returns whether it was indexed. */
  remove(name: string): boolean {
    const parsed = parseName(name, 'name');
    const id = this.findKey(parsed.key);
    if (id < 0) return false;
    this.link(id, parsed.key, false);
    this.credit(this.ownerOf(id), -this.weights[id]!);
    this.stringBytes -= 24 + parsed.key.length + (this.displays[id] === undefined ? 0 : 24 + this.displays[id]!.length * 2);
    this.keys[id] = undefined;
    this.displays[id] = undefined;
    this.owners[id] = undefined;
    this.live--;
    return true;
  }

  /** Whether this exact name (ignoring case and NFKC forms) is indexed. */
  has(name: string): boolean {
    return this.findKey(parseName(name, 'name').key) >= 0;
  }

  /** Estimated bytes held: typed arrays exactly, strings and small maps approximately. */
  memoryBytes(): number {
    let vocabBytes = 0;
    for (const k of this.vocab.keys()) vocabBytes += 64 + k.length;
    for (const [k, words] of this.affixes.expandMemo ?? []) vocabBytes += 96 + k.length + words.length * 40;
    return (
      this.byKey.byteLength() + this.bare.byteLength() + this.skel.byteLength() + this.core.byteLength() +
      this.reorder.byteLength() + this.del.byteLength() + this.weights.byteLength + this.seen.byteLength +
      this.keys.length * 8 * 3 + this.stringBytes + vocabBytes
    );
  }

  /** Checks a new name against the index and applies the policy. */
  check(candidate: string, opts: CheckOptions = {}): NameVerdict {
    const parsed = parseName(candidate, 'name');
    const forms = computeForms(parsed.org, parsed.name, this.affixes, parsed.lookName);
    const cand: Candidate = { parsed, forms, owner: normalizeOwner(opts.owner) ?? parsed.org };
    const ids = this.gather(forms);
    this.formsMemo.clear();
    this.orgMemo.clear();
    this.genericMemo.clear();
    const facts: Array<{ match: NameMatch; rank: number }> = [];
    for (const id of ids) {
      const m = this.evaluate(cand, id);
      if (m) facts.push({ match: m, rank: verdictRank(m.verdict) });
    }
    facts.sort((a, b) => b.rank - a.rank || (b.match.weight ?? 0) - (a.match.weight ?? 0) || a.match.distance - b.match.distance || (a.match.existing < b.match.existing ? -1 : 1));
    const matches = facts.slice(0, this.policy.limits.maxMatches).map((f) => f.match);
    let verdict: Verdict = 'allow';
    for (const m of matches) verdict = strongerVerdict(verdict, m.verdict);
    const reasons: ReasonCode[] = [];
    for (const m of matches) if (m.verdict === verdict) for (const r of m.reasons) if (!reasons.includes(r)) reasons.push(r);
    return { verdict, matches, reasons, explanation: summarize(parsed.display, verdict, matches, facts.length) };
  }

  /** Total weight of the indexed names this owner (org, scope or account) holds. */
  ownerStanding(owner: string): number {
    return this.ownerWeight.get(normalizeOwner(owner) ?? '') ?? 0;
  }

  // ---- indexing ----

  private ownerOf(id: number): string | undefined {
    return this.owners[id] ?? splitKey(this.keys[id]!).org;
  }

  private credit(owner: string | undefined, weight: number): void {
    if (owner === undefined) return;
    const w = (this.ownerWeight.get(owner) ?? 0) + weight;
    if (w > 0) this.ownerWeight.set(owner, w);
    else this.ownerWeight.delete(owner);
  }

  private findKey(key: string): number {
    let found = -1;
    this.byKey.forEach(fnv1a(key, SEED.key), (id) => {
      if (this.keys[id] === key) {
        found = id;
        return false;
      }
      return true;
    });
    return found;
  }

  private link(id: number, key: string, adding: boolean): void {
    const { org, name } = splitKey(key);
    const f = computeForms(org, name, this.affixes);
    const put = (map: HashMultiMap, h: number) => (adding ? map.add(h, id) : map.remove(h, id));
    put(this.byKey, fnv1a(key, SEED.key));
    put(this.bare, fnv1a(f.plain, SEED.bare));
    if (f.skeleton !== f.plain) put(this.skel, fnv1a(f.skeleton, SEED.skel));
    if (f.core !== undefined) put(this.core, fnv1a(f.core, SEED.core));
    if (f.reorderKey !== undefined) put(this.reorder, fnv1a(f.reorderKey, SEED.reorder));
    if (maxDistanceFor(this.policy, f.plain.length) >= 1) {
      const seenDel = new Set<number>();
      const s = f.plain;
      let prefix = SEED.del >>> 0;
      for (let i = 0; i < s.length; i++) {
        const h = fnv1aRange(prefix, s, i + 1, s.length);
        if (!seenDel.has(h)) {
          seenDel.add(h);
          put(this.del, h);
        }
        prefix = fnv1aRange(prefix, s, i, i + 1);
      }
    }
    for (const t of new Set(f.expanded)) {
      const n = (this.vocab.get(t) ?? 0) + (adding ? 1 : -1);
      if (n > 0) this.vocab.set(t, n);
      else this.vocab.delete(t);
    }
    if (adding && this.seen.length < this.keys.length) {
      const s = new Uint32Array(this.seen.length * 2);
      s.set(this.seen);
      this.seen = s;
    }
  }

  // ---- lookup ----

  private gather(f: NameForms): number[] {
    const out: number[] = [];
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const limit = this.policy.limits.maxIdsPerKey;
    const visit = (id: number) => {
      if (this.seen[id] !== stamp && this.keys[id] !== undefined) {
        this.seen[id] = stamp;
        out.push(id);
      }
    };
    const collectHash = (map: HashMultiMap, hash: number) => map.forEach(hash, visit, limit);
    const collect = (map: HashMultiMap, key: string, seed: number) => collectHash(map, fnv1a(key, seed));
    collect(this.bare, f.plain, SEED.bare);
    collect(this.skel, f.skeleton, SEED.skel);
    collect(this.bare, f.skeleton, SEED.bare);
    if (f.core !== undefined) {
      collect(this.bare, f.core, SEED.bare);
      collect(this.core, f.core, SEED.core);
    }
    if (f.reorderKey !== undefined) collect(this.reorder, f.reorderKey, SEED.reorder);
    // Symmetric deletion: the existing side stored its 1-deletes; here the candidate's 0-, 1- and
    // (for long names) 2-deletes are looked up in both the plain map and the 1-delete map.
    // Variants are hashed in place (prefix hash + the rest), never built as strings.
    const depth = Math.min(2, maxDistanceFor(this.policy, f.plain.length + 2));
    const p = f.plain;
    if (depth >= 1 && p.length >= 2) {
      collect(this.del, p, SEED.del);
      for (const seed of [SEED.bare, SEED.del]) {
        const map = seed === SEED.bare ? this.bare : this.del;
        let prefix = seed >>> 0;
        for (let i = 0; i < p.length; i++) {
          if (i === 0 || p[i] !== p[i - 1]) collectHash(map, fnv1aRange(prefix, p, i + 1, p.length));
          if (depth >= 2 && p.length > 2) {
            collectHash(map, fnv1aRange(prefix, p, i + 2, p.length)); // without i and i+1
            let inner = prefix;
            for (let j = i + 1; j < p.length; j++) {
              inner = fnv1aRange(inner, p, j, j + 1);
              // p without i and j+1: prefix [0,i) + (i, j] + (j+1, end)
              if (j + 1 < p.length) collectHash(map, fnv1aRange(inner, p, j + 2, p.length));
            }
          }
          prefix = fnv1aRange(prefix, p, i, i + 1);
        }
      }
    }
    return out;
  }

  private evaluate(c: Candidate, id: number): NameMatch | undefined {
    const key = this.keys[id]!;
    const { org, name } = splitKey(key);
    const e = this.existingForms(org, name);
    const cf = c.forms;
    let orgRel = this.orgMemo.get(e.org);
    if (orgRel === undefined) {
      orgRel = relateOrgs(cf.org, e.org, this.policy, this.affixes);
      this.orgMemo.set(e.org, orgRel);
    }
    // Typo operators act inside one namespace (no org on either side, the same org, or a
    // look-alike org). Across unrelated namespaces only the re-use of a namespaced module's
    // name counts (NAME_CROSS_ORG); a scoped name next to an unscoped one is npm's convention.
    const sameNamespace = orgRel === 'none' || orgRel === 'same' || orgRel === 'lookalike';
    if (orgRel === 'candidateOnly') return undefined;
    // Orgs whose names mirror other packages' names (npm's @types) are never imitated by that.
    if (!sameNamespace && e.org !== undefined && this.mirrorOrgs.has(e.org)) return undefined;
    // ... nor does a mirror org imitate the names it mirrors (`@types/faker` for `@faker-js/faker`).
    if (!sameNamespace && cf.org !== undefined && this.mirrorOrgs.has(cf.org)) return undefined;
    const reasons: ReasonCode[] = [];
    let editPhrase: string | undefined;
    let extraWords: string[] | undefined;
    let impersonating = false;
    let distance = 0;
    let edgeEdit = false;
    let distinctive: DistinctiveWord | undefined;

    if (cf.name === e.name) {
      if (orgRel === 'same' || orgRel === 'none') reasons.push('NAME_EXACT');
    } else if (separatorFold(cf.name) === separatorFold(e.name)) {
      if (sameNamespace) reasons.push('NAME_SEPARATOR');
    } else if (cf.skeleton === e.skeleton) {
      if (sameNamespace) reasons.push('NAME_SKELETON');
    } else {
      const extra = extraAffixWords(cf.expanded, e.expanded, this.affixes);
      if (extra) {
        reasons.push('NAME_COMBOSQUAT');
        extraWords = extra;
        impersonating = extra.some((w) => this.affixes.impersonating.has(w));
      } else if (!differsByWholeWords(cf.expanded, e.expanded)) {
        const shorter = Math.min(cf.plain.length, e.plain.length);
        const step = editStepFor(this.policy, shorter);
        const maxD = sameNamespace || shorter >= this.policy.crossOrgTypoMinLength ? (step?.maxDistance ?? 0) : 0;
        if (maxD > 0) {
          const d = osaDistance(cf.plain, e.plain, maxD);
          if (d <= maxD) {
            const cls = classifyEdit(cf.plain, e.plain, d);
            reasons.push(cls.reason);
            editPhrase = cls.phrase;
            distance = d;
            edgeEdit = cls.edge;
          }
        }
      }
      if (cf.reorderKey !== undefined && cf.reorderKey === e.reorderKey) reasons.push('NAME_WORD_REORDER');
    }
    if (orgRel === 'lookalike') reasons.push('NAME_ORG_LOOKALIKE');
    if (!sameNamespace) {
      // A namespaced module's name (or a near one) taken under another org or without one.
      const reused = cf.name === e.name || separatorFold(cf.name) === separatorFold(e.name) || cf.skeleton === e.skeleton;
      if (!reused && reasons.length === 0) return undefined;
      if (this.isGenericName(e)) return undefined;
      reasons.push('NAME_CROSS_ORG');
      if (reused && reasons.length === 1) {
        distinctive = this.distinctiveReuse(cf, e);
        if (distinctive) reasons.push('NAME_DISTINCTIVE_REUSE');
      }
    }
    if (reasons.length === 0) return undefined;
    if (distance === 0 && reasons.some((r) => r === 'NAME_WORD_REORDER' || r === 'NAME_COMBOSQUAT')) distance = osaDistance(cf.plain, e.plain, 64);

    const weight = this.weights[id]!;
    const ownerE = this.ownerOf(id);
    const sameOwner = c.owner !== undefined && ownerE !== undefined && c.owner === ownerE;
    const tier = tierFor(this.policy, weight);
    const caps = capsFor(this.policy, tier);
    const shortName = Math.min(cf.plain.length, e.plain.length) <= this.policy.shortNameMaxLength;
    // A one-character look-alike swap is an edit too: typo caps apply to it (distance > 0).
    const isTypo = (r: ReasonCode) => TYPO_REASONS.has(r) || (r === 'NAME_SKELETON' && distance > 0);
    const knownWord = reasons.some(isTypo) && this.typoMakesKnownWord(cf.expanded, e.expanded);
    let verdict: Verdict = 'allow';
    for (const r of reasons) {
      let v = actionFor(tier, r);
      // One swapped look-alike character is a typo with a visual twist: no stronger than a keyboard slip.
      if (r === 'NAME_SKELETON' && distance > 0) v = capVerdict(v, actionFor(tier, 'NAME_KEYBOARD'));
      if (isTypo(r)) {
        if (distance >= 2) v = capVerdict(v, caps.distance2);
        if (knownWord) v = capVerdict(v, caps.knownWord);
        if (shortName && this.shortNameReasons.has(r)) v = capVerdict(v, caps.shortName);
        // A look-alike character is chosen, not mistyped: where it sits does not matter.
        if (edgeEdit && r !== 'NAME_SKELETON') v = capVerdict(v, caps.edgeEdit);
      }
      if (r === 'NAME_COMBOSQUAT' && !impersonating) v = capVerdict(v, caps.ecosystemAffix);
      verdict = strongerVerdict(verdict, v);
    }
    // Re-using a name under another org is normal (forks, alternative implementations): capped.
    // A typo'd or claim-decorated copy of someone else's module name, or the re-use of a
    // distinctive one (NAME_DISTINCTIVE_REUSE), has no such excuse.
    if (!sameNamespace && reasons.length === 1) verdict = capVerdict(verdict, caps.crossOrg);
    if (sameOwner) verdict = capVerdict(verdict, this.policy.sameOwner);
    const existing = this.displays[id] ?? key;
    const facts: PairFacts = {
      candidate: c.parsed.display, existing, reasons, editPhrase, extraWords, orgs: { candidate: cf.org, existing: e.org },
      distinctive, sameOwner, knownWord, tierId: tier.id, weight, verdict,
    };
    return {
      existing,
      ...(ownerE !== undefined ? { owner: ownerE } : {}),
      weight,
      distance,
      reasons,
      explanation: describeMatch(facts),
      verdict,
    };
  }

  /**
   * Why re-using the existing name (as is) under the candidate's org is impersonation, or
   * undefined: the name carries the existing org's brand or a coined word (src/naming/distinctive.ts),
   * and the candidate's org is not of the same family (no shared brand word, brand not in its org).
   * Taking a brand-bearing name without any org is impersonation too (scope confusion:
   * `mcp-server-cloudflare` next to `@cloudflare/mcp-server-cloudflare`). A project that moved
   * under its own scope is not hit: its old unscoped name was indexed first, and a scoped
   * candidate is never matched against an unscoped name.
   */
  private distinctiveReuse(cf: NameForms, e: NameForms): DistinctiveWord | undefined {
    const d = distinctiveWord(e.expanded, e.org, this.policy.distinctive, this.affixes, (w) => this.vocab.get(w) ?? 0, this.commonWords, this.orgSuffixes);
    if (d === undefined) return undefined;
    if (cf.org !== undefined && (plainForm(cf.org).includes(d.word) || orgsShareBrand(cf.org, e.org, this.orgSuffixes))) return undefined;
    return d;
  }

  /** The forms of an indexed name, the module part computed once per check (see formsMemo). */
  private existingForms(org: string | undefined, name: string): NameForms {
    let f = this.formsMemo.get(name);
    if (f === undefined) {
      f = computeForms(undefined, name, this.affixes);
      this.formsMemo.set(name, f);
    }
    return org === undefined ? f : { ...f, org };
  }

  /** A module name used under `crossOrgGenericAfter` or more orgs is generic (`mcp-server`). */
  private isGenericName(e: NameForms): boolean {
    let generic = this.genericMemo.get(e.name);
    if (generic === undefined) {
      generic = this.countOrgsUsing(e) >= this.policy.crossOrgGenericAfter;
      this.genericMemo.set(e.name, generic);
    }
    return generic;
  }

  private countOrgsUsing(e: NameForms): number {
    const orgs = new Set<string | undefined>();
    const need = this.policy.crossOrgGenericAfter;
    this.bare.forEach(fnv1a(e.plain, SEED.bare), (id) => {
      const k = this.keys[id];
      if (k === undefined) return true;
      const s = splitKey(k);
      if (s.name === e.name) orgs.add(s.org);
      return orgs.size < need;
    }, this.policy.limits.maxIdsPerKey);
    return orgs.size;
  }

  /** True when every word the candidate has and the existing name lacks is a word other names use. */
  private typoMakesKnownWord(cand: readonly string[], existing: readonly string[]): boolean {
    const have = new Set(existing);
    const novel = cand.filter((t) => !have.has(t));
    if (novel.length === 0) return false;
    const { minNames, minLength } = this.policy.knownWord;
    return novel.every((t) => t.length >= minLength && (this.vocab.get(t) ?? 0) >= minNames);
  }
}

function normalizeOwner(owner: string | undefined): string | undefined {
  if (owner === undefined) return undefined;
  const o = owner.trim().normalize('NFKC').toLowerCase().replace(/^@/, '');
  return o.length > 0 ? o : undefined;
}

type OrgRelation = 'none' | 'same' | 'lookalike' | 'different' | 'candidateOnly' | 'existingOnly';

/**
 * How two orgs relate. Reverse-DNS orgs that share every label but the last (`io.github.alice`
 * vs `io.github.a1ice`) are compared by that last label only, so a shared `io.github.` prefix
 * does not make short handles look alike.
 */
function relateOrgs(c: string | undefined, e: string | undefined, policy: NamePolicy, affixes: AffixSets): OrgRelation {
  if (c === undefined && e === undefined) return 'none';
  if (c === undefined) return 'existingOnly';
  if (e === undefined) return 'candidateOnly';
  if (c === e) return 'same';
  let a = c;
  let b = e;
  const la = c.split('.');
  const lb = e.split('.');
  if (la.length === lb.length && la.length > 1 && la.slice(0, -1).join('.') === lb.slice(0, -1).join('.')) {
    a = la[la.length - 1]!;
    b = lb[lb.length - 1]!;
  }
  const pa = plainForm(a);
  const pb = plainForm(b);
  if (pa === pb || skeletonForm(pa) === skeletonForm(pb)) return 'lookalike';
  const maxD = Math.min(1, maxDistanceFor(policy, pb.length));
  if (maxD > 0 && osaDistance(pa, pb, maxD) <= maxD) return 'lookalike';
  // The org with a claim or ecosystem word added (`stripe-official`, `openai-mcp`).
  // A core is a run of the org's plain form, so it can only equal the other org's plain form
  // when that one is contained in this one (checked first: cores are costly and rarely needed).
  const coreOf = (org: string) => coreTokens(expandTokens(plainTokens(org), affixes), affixes).join('');
  if (pa.length >= 3 && pb.length > pa.length && pb.includes(pa) && coreOf(b) === pa) return 'lookalike';
  if (pb.length >= 3 && pa.length > pb.length && pa.includes(pb) && coreOf(a) === pb) return 'lookalike';
  return 'different';
}

/**
 * The words the candidate adds to the existing name, when it contains all of the existing
 * name's words and every added word is an affix or a version token; undefined otherwise.
 */
function extraAffixWords(cand: readonly string[], existing: readonly string[], affixes: AffixSets): string[] | undefined {
  if (cand.length <= existing.length) return undefined;
  const pool = [...cand];
  for (const t of existing) {
    const i = pool.indexOf(t);
    if (i < 0) return undefined;
    pool.splice(i, 1);
  }
  if (pool.length === 0) return undefined;
  return pool.every((w) => isAffix(w, affixes) || isVersionToken(w)) ? pool : undefined;
}


/**
 * True when one name is the other with whole words added or removed (`eslint-plugin` vs
 * `eslint-plugin-n`, `is-string` vs `x-is-string`): that is naming, not a typing slip.
 */
function differsByWholeWords(cand: readonly string[], existing: readonly string[]): boolean {
  const [longer, shorter] = cand.length >= existing.length ? [cand, existing] : [existing, cand];
  const target = shorter.join('');
  if (longer.length === shorter.length) return false;
  for (let i = 0; i < longer.length; i++) {
    if (longer.slice(0, i).join('') + longer.slice(i + 1).join('') === target) return true;
  }
  return false;
}
