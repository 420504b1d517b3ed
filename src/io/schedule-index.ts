import { readKeyedCacheFile, writeKeyedCacheFile } from "./cache.ts";

/*
 * When each entry of schedule.yaml starts and ends, kept in rota's cache
 * (.rota/cache/, see cache.ts) so that `rota who` on a large schedule parses
 * only the entries it shows. Keyed by a hash of the file's bytes and rota's
 * version, and written only for a schedule as `rota plan` writes it that read
 * without problems: any other file, or any edit, is read in full (and refused
 * when broken) as before. A cache: when it cannot be read or written, rota
 * works without it.
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

/** The index of the schedule whose bytes hash to `digest`; undefined when none matches. */
export async function readScheduleIndex(
  rosterPath: string,
  digest: string,
): Promise<ScheduleTimes | undefined> {
  const data = await readKeyedCacheFile(rosterPath, FILE, FORMAT, digest);
  if (!data || !isTimes(data.starts) || !isTimes(data.ends)) return undefined;
  if (data.starts.length !== data.ends.length) return undefined;
  const times = (list: (number | null)[]) => list.map((time) => time ?? Number.NaN);
  return { starts: times(data.starts), ends: times(data.ends) };
}

/** Keeps the index of a schedule read whole and without problems. */
export async function writeScheduleIndex(
  rosterPath: string,
  digest: string,
  times: ScheduleTimes,
): Promise<void> {
  // JSON writes NaN as null, read back as NaN.
  await writeKeyedCacheFile(rosterPath, FILE, FORMAT, digest, times);
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
