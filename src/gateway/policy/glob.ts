/** Compiles `*`/`?` glob patterns (nothing else is special) into one anchored matcher. */
export function globMatcher(patterns: readonly string[] | undefined): ((s: string) => boolean) | undefined {
  if (!patterns || patterns.length === 0) return undefined;
  if (patterns.includes('*')) return () => true;
  const exact = new Set(patterns.filter((p) => !/[*?]/.test(p)));
  const wild = patterns.filter((p) => /[*?]/.test(p));
  const re = wild.length
    ? new RegExp('^(?:' + wild.map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join('|') + ')$')
    : undefined;
  return (s) => exact.has(s) || (re !== undefined && re.test(s));
}
