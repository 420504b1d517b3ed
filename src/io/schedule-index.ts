import { type CacheSource, readKeyedCacheFile, writeKeyedCacheFile } from "./cache.ts";

/*
 * When each entry of schedule.yaml starts and ends, kept in rota's cache
 * (.rota/cache/, see cache.ts) so that `rota who` on a large schedule parses
 * only the entries it shows. Keyed by the file's bytes (their hash, or the
 * file's stamp: see cache.ts) and rota's version, and written only for a
 * schedule as `rota plan` writes it that read without problems: any other
 * file, or any edit, is read in full (and refused when broken) as before. A
 * cache: when it cannot be read or written, rota works without it.
 */

/** Bumped when the index's shape changes. */
const FORMAT = 1;
const FILE = "schedule-index.json";

/** Start and end (epoch ms; NaN where unreadable) of each entry, in the file's order. */
export interface ScheduleTimes {
  starts: number[];
  ends: number[];
}

const isTimes = (value: unknown): value is (number | null)[] =>
  Array.isArray(value) && value.every((time) => time === null || typeof time === "number");

/**
 * The index of the schedule as read; undefined when none matches. `restamp`:
 * kept again, it is found sooner (see `readKeyedCacheFile`).
 */
export async function readScheduleIndex(
  rosterPath: string,
  schedule: CacheSource,
): Promise<{ times: ScheduleTimes; restamp: boolean } | undefined> {
  const found = await readKeyedCacheFile(rosterPath, FILE, FORMAT, schedule);
  if (!found) return undefined;
  const { data } = found;
  if (!isTimes(data.starts) || !isTimes(data.ends)) return undefined;
  if (data.starts.length !== data.ends.length) return undefined;
  const times = (list: (number | null)[]) => list.map((time) => time ?? Number.NaN);
  return { times: { starts: times(data.starts), ends: times(data.ends) }, restamp: found.restamp };
}

/** Keeps the index of a schedule read whole and without problems. */
export async function writeScheduleIndex(
  rosterPath: string,
  schedule: CacheSource,
  times: ScheduleTimes,
): Promise<void> {
  // JSON writes NaN as null, read back as NaN.
  await writeKeyedCacheFile(rosterPath, FILE, FORMAT, schedule, times);
}

/** The entry lines of a schedule as `rota plan` writes it, in order. */
export function entryLines(text: string): string[] {
  const lines: string[] = [];
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf("\n", from);
    if (to === -1) to = text.length;
    if (text.startsWith("  - {", from)) lines.push(text.slice(from + 4, to));
    from = to + 1;
  }
  return lines;
}
