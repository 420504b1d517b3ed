/** Deterministic roster text for benchmarks and tests (see generate.mjs). */
export function generateRoster(options: {
  people: number;
  weeks: number;
  shifts: number;
  seats: number;
  start?: string;
  seed?: number;
}): string;
export function random(seed: number): () => number;
