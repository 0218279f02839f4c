/** Semantic Versioning 2.0.0 precedence (§11): build metadata ignored, prereleases sort lower. */
export function compareSemver(a: string, b: string): number {
  const [ca, pa] = split(a);
  const [cb, pb] = split(b);
  for (let i = 0; i < 3; i++) {
    const d = cmpNum(ca[i]!, cb[i]!);
    if (d !== 0) return d;
  }
  if (pa.length === 0 || pb.length === 0) return pa.length === pb.length ? 0 : pa.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (i >= pa.length) return -1;
    if (i >= pb.length) return 1;
    const x = pa[i]!;
    const y = pb[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      const d = cmpNum(x, y);
      if (d !== 0) return d;
    } else if (xn !== yn) return xn ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function split(v: string): [string[], string[]] {
  const core = v.split('+')[0]!;
  const dash = core.indexOf('-');
  const main = dash < 0 ? core : core.slice(0, dash);
  const pre = dash < 0 ? [] : core.slice(dash + 1).split('.');
  return [main.split('.'), pre];
}

function cmpNum(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isPrerelease(v: string): boolean {
  return v.split('+')[0]!.includes('-');
}

/** The version "latest" resolves to: the highest release, preferring non-prereleases. */
export function pickLatest(versions: string[]): string | null {
  if (versions.length === 0) return null;
  const stable = versions.filter((v) => !isPrerelease(v));
  const pool = stable.length > 0 ? stable : versions;
  return pool.reduce((best, v) => (compareSemver(v, best) > 0 ? v : best));
}
