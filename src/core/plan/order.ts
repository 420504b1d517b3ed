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
 * Equal values, 0 and -0 among them, keep their order.
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
    if (Number.isNaN(value)) {
      // Not a standing the planner makes; the comparison sort, as before.
      return [...indices].sort((a, b) =>
        descending
          ? (values[b] as number) - (values[a] as number)
          : (values[a] as number) - (values[b] as number),
      );
    }
    keys[i] = descending ? -value : value;
  }
  const sorted = keys.slice().sort();
  // Each item goes to the run of its value in the sorted list (found by a
  // search: 0 and -0 are one run, as `<` has them), at the run's next place.
  const taken = new Int32Array(n);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const key = keys[i] as number;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < key) lo = mid + 1;
      else hi = mid;
    }
    out[lo + (taken[lo] as number)] = indices[i] as number;
    taken[lo] = (taken[lo] as number) + 1;
  }
  return out;
}
