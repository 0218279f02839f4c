/** Offset → line/column for one text (1-based), by binary search over line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line, column: offset - this.starts[line - 1]! + 1 };
  }

  /** The text of a 1-based line without its newline. */
  lineText(line: number): string {
    const s = this.starts[line - 1];
    if (s === undefined) return '';
    const e = this.starts[line] ?? this.text.length + 1;
    return this.text.slice(s, e - 1).replace(/\r$/, '');
  }
}

/** One line of code for reports: trimmed and capped so minified files do not flood output. */
export function snippetAt(lines: LineIndex, line: number, column: number, max = 160): string {
  const t = lines.lineText(line);
  if (t.length <= max) return t.trim();
  const from = Math.max(0, column - 1 - Math.floor(max / 3));
  return (from > 0 ? '…' : '') + t.slice(from, from + max).trim() + '…';
}
