/** QWERTY rows; each row sits about half a key to the right of the one above. */
const ROWS = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function buildAdjacency(): Map<string, Set<string>> {
  const pos = new Map<string, [number, number]>();
  ROWS.forEach((row, r) => [...row].forEach((ch, c) => pos.set(ch, [r, c])));
  const adj = new Map<string, Set<string>>();
  for (const [ch, [r, c]] of pos) {
    const near = new Set<string>();
    const cells: Array<[number, number]> = [
      [r, c - 1], [r, c + 1], [r - 1, c], [r - 1, c + 1], [r + 1, c - 1], [r + 1, c],
    ];
    for (const [rr, cc] of cells) {
      const other = ROWS[rr]?.[cc];
      if (other !== undefined) near.add(other);
    }
    adj.set(ch, near);
  }
  return adj;
}

const ADJACENT = buildAdjacency();

/** True when the two characters are neighbouring keys on a QWERTY keyboard. */
export function keysAdjacent(a: string, b: string): boolean {
  return ADJACENT.get(a)?.has(b) ?? false;
}
