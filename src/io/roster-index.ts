import { type CacheSource, readKeyedCacheFile, writeKeyedCacheFile } from "./cache.ts";

/*
 * What `rota who` needs of the roster (its zone, its shifts, people's names),
 * kept in rota's cache (.rota/cache/, see cache.ts) so that a large roster
 * is not parsed again only to show a few names. The index is keyed by the
 * roster's bytes (their hash, or the file's stamp: see cache.ts) and rota's
 * version: any edit to the roster, or another rota, and it is not used but
 * built again. It is written only for a roster that reads without errors,
 * so a roster with errors is always read (and refused) in full. It is a
 * cache: when it cannot be read or written (a read-only checkout, a damaged
 * file), rota works without it.
 */

/** Bumped when the index's shape changes. */
const FORMAT = 1;

export interface IndexedShift {
  id: string;
  name: string;
  zone: string;
  allDay: boolean;
}

export interface RosterIndex {
  timezone: string;
  shifts: IndexedShift[];
  /** Person id → name (absent when the roster gives no name). */
  names: Record<string, string>;
}

const FILE = "roster-index.json";

const isString = (value: unknown): value is string => typeof value === "string";

function isIndex(data: Record<string, unknown>): data is Record<string, unknown> & RosterIndex {
  const { timezone, shifts, names } = data;
  return (
    isString(timezone) &&
    Array.isArray(shifts) &&
    shifts.every(
      (shift: Partial<IndexedShift> | null) =>
        shift !== null &&
        typeof shift === "object" &&
        isString(shift.id) &&
        isString(shift.name) &&
        isString(shift.zone) &&
        typeof shift.allDay === "boolean",
    ) &&
    names !== null &&
    typeof names === "object" &&
    !Array.isArray(names)
  );
}

/**
 * The index of the roster as read; undefined when none matches. `restamp`:
 * kept again, it is found sooner (see `readKeyedCacheFile`).
 */
export async function readRosterIndex(
  rosterPath: string,
  roster: CacheSource,
): Promise<{ index: RosterIndex; restamp: boolean } | undefined> {
  const found = await readKeyedCacheFile(rosterPath, FILE, FORMAT, roster);
  if (!found || !isIndex(found.data)) return undefined;
  const { data } = found;
  return {
    index: { timezone: data.timezone, shifts: data.shifts, names: data.names },
    restamp: found.restamp,
  };
}

/**
 * Keeps the index of a roster that read without errors, atomically (a reader
 * sees the old index or the new one). Nothing is said when it cannot be
 * written: the next run reads the roster again.
 */
export async function writeRosterIndex(
  rosterPath: string,
  roster: CacheSource,
  index: RosterIndex,
): Promise<void> {
  await writeKeyedCacheFile(rosterPath, FILE, FORMAT, roster, index);
}
