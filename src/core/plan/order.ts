/**
 * Orders of member indices that the planner needs for every person of a large
 * company, made with the engine's own sort of numbers rather than a sort that
 * calls back into a comparison for each pair: at 50,000 people such a sort
 * costs tens of milliseconds, much of it before the comparison is optimized.
 * Each gives exactly the order the comparison would.
 */

/** Indices up to this many fit beside a 32-bit hash in one exact number. */
const INDEX_BITS = 2 ** 21;

/**
 * Indices ordered by `hashes[index]`, then by index: the planner's stable
 * tie-break. `hashes` are unsigned 32-bit numbers.
 */
export function byHashThenIndex(indices: readonly number[], hashes: ArrayLike<number>): number[] {
  const n = indices.length;
  let fits = true;
  for (let i = 0; i < n && fits; i++) {
    const index = indices[i] as number;
    fits = Number.isInteger(index) && index >= 0 && index < INDEX_BITS;
  }
  if (!fits) {
    return [...indices].sort((a, b) => (hashes[a] as number) - (hashes[b] as number) || a - b);
  }
  // hash × 2²¹ + index is below 2⁵³: exact, and ordered as (hash, index) is.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const index = indices[i] as number;
    keys[i] = (hashes[index] as number) * INDEX_BITS + index;
  }
  keys.sort();
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = (keys[i] as number) % INDEX_BITS;
  return out;
}

/**
 * `indices` (in the order ties keep) sorted by `values[index]`, ascending, or
 * descending with `descending`; a stable sort by `a - b` (or `b - a`).
 * Values are finite: equal values, 0 and -0 among them, keep their order.
 */
export function stableByValue(
  indices: readonly number[],
  values: ArrayLike<number>,
  descending = false,
): number[] {
  const n = indices.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[indices[i] as number] as number;
    keys[i] = descending ? -value : value;
  }
  const sorted = keys.slice().sort();
  // Where each value's run begins in the sorted list (0 and -0 are one key
  // of a Map, and sort next to each other).
  const next = new Map<number, number>();
  for (let i = n - 1; i >= 0; i--) next.set(sorted[i] as number, i);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const key = keys[i] as number;
    const at = next.get(key) as number;
    out[at] = indices[i] as number;
    next.set(key, at + 1);
  }
  return out;
}
