/** 32-bit FNV-1a over UTF-16 code units, with a seed so that each map has its own key space. */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Continues an FNV-1a hash over `s[from..to)`. */
export function fnv1aRange(h: number, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A multimap from 32-bit key hashes to integer ids, in typed arrays (a few bytes per entry, no
 * per-entry objects, so a million names stay in tens of megabytes). Buckets hold the head of a
 * chain; entries keep the full hash so lookups skip bucket neighbours. Hash collisions between
 * different keys are possible by design: callers verify every id they get back.
 */
export class HashMultiMap {
  private heads: Int32Array;
  private hashes: Uint32Array;
  private values: Int32Array;
  private nexts: Int32Array;
  private used = 0;
  private freeHead = -1;
  private live = 0;

  constructor(initialBuckets = 1024) {
    let n = 16;
    while (n < initialBuckets) n *= 2;
    this.heads = new Int32Array(n).fill(-1);
    this.hashes = new Uint32Array(n);
    this.values = new Int32Array(n);
    this.nexts = new Int32Array(n);
  }

  get size(): number {
    return this.live;
  }

  add(hash: number, value: number): void {
    let e: number;
    if (this.freeHead >= 0) {
      e = this.freeHead;
      this.freeHead = this.nexts[e]!;
    } else {
      if (this.used === this.values.length) this.growEntries();
      e = this.used++;
    }
    const b = hash & (this.heads.length - 1);
    this.hashes[e] = hash;
    this.values[e] = value;
    this.nexts[e] = this.heads[b]!;
    this.heads[b] = e;
    this.live++;
    if (this.live > this.heads.length) this.growBuckets();
  }

  /** Removes one entry (hash, value); returns whether it was there. */
  remove(hash: number, value: number): boolean {
    const b = hash & (this.heads.length - 1);
    let prev = -1;
    for (let e = this.heads[b]!; e >= 0; prev = e, e = this.nexts[e]!) {
      if (this.hashes[e] === hash && this.values[e] === value) {
        if (prev < 0) this.heads[b] = this.nexts[e]!;
        else this.nexts[prev] = this.nexts[e]!;
        this.values[e] = -1;
        this.nexts[e] = this.freeHead;
        this.freeHead = e;
        this.live--;
        return true;
      }
    }
    return false;
  }

  /** Calls `visit` for each value stored under `hash` until it returns false or `limit` values were seen. */
  forEach(hash: number, visit: (value: number) => boolean | void, limit = Infinity): void {
    let seen = 0;
    for (let e = this.heads[hash & (this.heads.length - 1)]!; e >= 0; e = this.nexts[e]!) {
      if (this.hashes[e] !== hash) continue;
      if (visit(this.values[e]!) === false || ++seen >= limit) return;
    }
  }

  byteLength(): number {
    return this.heads.byteLength + this.hashes.byteLength + this.values.byteLength + this.nexts.byteLength;
  }

  private growEntries(): void {
    const n = this.values.length * 2;
    const grow = <T extends Int32Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes, (k) => new Uint32Array(k));
    this.values = grow(this.values, (k) => new Int32Array(k));
    this.nexts = grow(this.nexts, (k) => new Int32Array(k));
  }

  private growBuckets(): void {
    const heads = new Int32Array(this.heads.length * 2).fill(-1);
    const mask = heads.length - 1;
    for (let e = 0; e < this.used; e++) {
      if (this.values[e]! < 0) continue;
      const b = this.hashes[e]! & mask;
      this.nexts[e] = heads[b]!;
      heads[b] = e;
    }
    this.heads = heads;
  }
}
