import { createHash } from "node:crypto";
import pkg from "../../package.json" with { type: "json" };
import { readCacheFile, writeCacheFile } from "./cache.ts";

/*
 * What `rota who` needs of the roster (its zone, its shifts, people's names),
 * kept in rota's cache (.rota/cache/, see cache.ts) so that a large roster is not parsed
 * again only to show a few names. The index is keyed by a hash of the
 * roster's bytes and rota's version: any edit to the roster, or another rota,
 * and it is not used but built again. It is written only for a roster that
 * reads without errors, so a roster with errors is always read (and refused)
 * in full. It is a cache: when it cannot be read or written (a read-only
 * checkout, a damaged file), rota works without it.
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

interface IndexFile extends RosterIndex {
  format: number;
  rota: string;
  sha256: string;
}

const FILE = "roster-index.json";

/** The key of a roster's bytes. */
export function rosterDigest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const isString = (value: unknown): value is string => typeof value === "string";

function isIndexFile(data: unknown): data is IndexFile {
  if (data === null || typeof data !== "object") return false;
  const file = data as Partial<IndexFile>;
  return (
    file.format === FORMAT &&
    isString(file.rota) &&
    isString(file.sha256) &&
    isString(file.timezone) &&
    Array.isArray(file.shifts) &&
    file.shifts.every(
      (shift: Partial<IndexedShift> | null) =>
        shift !== null &&
        typeof shift === "object" &&
        isString(shift.id) &&
        isString(shift.name) &&
        isString(shift.zone) &&
        typeof shift.allDay === "boolean",
    ) &&
    file.names !== null &&
    typeof file.names === "object" &&
    !Array.isArray(file.names)
  );
}

/** The index of the roster whose bytes hash to `digest`; undefined when none matches. */
export async function readRosterIndex(
  rosterPath: string,
  digest: string,
): Promise<RosterIndex | undefined> {
  let data: unknown;
  try {
    data = JSON.parse((await readCacheFile(rosterPath, FILE)) ?? "null");
  } catch {
    return undefined;
  }
  if (!isIndexFile(data) || data.sha256 !== digest || data.rota !== pkg.version) return undefined;
  return { timezone: data.timezone, shifts: data.shifts, names: data.names };
}

/**
 * Keeps the index of a roster that read without errors, atomically (a reader
 * sees the old index or the new one). Nothing is said when it cannot be
 * written: the next run reads the roster again.
 */
export async function writeRosterIndex(
  rosterPath: string,
  digest: string,
  index: RosterIndex,
): Promise<void> {
  const content: IndexFile = { format: FORMAT, rota: pkg.version, sha256: digest, ...index };
  await writeCacheFile(rosterPath, FILE, JSON.stringify(content));
}
