/**
 * A stable 32-bit hash (FNV-1a) of a string. Ties in the planner are broken by
 * it, so that no one is favoured by the alphabetical order of their id, and
 * the same inputs always give the same rota on every machine.
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
