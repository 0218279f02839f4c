import semver from 'semver';

/** Semantic Versioning 2.0.0 precedence (§11): build metadata ignored, prereleases sort lower. */
export function compareSemver(a: string, b: string): number {
  return semver.compare(a, b);
}

export function isPrerelease(v: string): boolean {
  return semver.prerelease(v) !== null;
}

/** The version "latest" resolves to: the highest release, preferring non-prereleases. */
export function pickLatest(versions: string[]): string | null {
  if (versions.length === 0) return null;
  const stable = versions.filter((v) => !isPrerelease(v));
  const pool = stable.length > 0 ? stable : versions;
  return pool.reduce((best, v) => (compareSemver(v, best) > 0 ? v : best));
}
