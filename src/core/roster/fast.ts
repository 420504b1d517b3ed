import type { ErrorObject } from "ajv";
import { readBlockYaml } from "../yaml-block.ts";
import { checkRoster, dropEmptyLists, type Finding, type Now } from "./check.ts";
import { mayFallInTransition, parseTime } from "./formats.ts";
import type { Roster } from "./model.ts";
import { meetsRosterSchema } from "./schema-quick.ts";

/**
 * The common case, kept small: a roster without a single problem, read and
 * checked without the yaml package (whose positions only matter when there
 * is a problem to place). parse.ts does the full job otherwise.
 */

export { MAX_ROSTER_BYTES } from "./formats.ts";

export type ParseOptions = {
  /** "Now": shift times are checked against the clock changes from then on (not at all without it). */
  now?: Now;
  /** "Now" for telling swaps of days gone by from those ahead, where `now` is not given. */
  swapsNow?: Now;
};

/**
 * Whether a shift starts or ends at a local time that can fall inside a clock
 * change somewhere; only such rosters need the zone arithmetic (parse.ts).
 */
export function needsClockCheck(roster: Roster): boolean {
  return roster.shifts.some((shift) =>
    [shift.start, shift.end].some((time) => {
      const minutes = time === undefined ? undefined : parseTime(time);
      return minutes !== undefined && mayFallInTransition(minutes);
    }),
  );
}

/**
 * The data of a roster, read the fast way (undefined when the yaml package
 * must read it), and, once checked, what the checks found: parse.ts places
 * those without checking again.
 */
export interface FastRead {
  data: unknown;
  checked?: { valid: boolean; errors: ErrorObject[]; findings: Finding[] };
}

/**
 * The data of a roster written as block mappings and lists whose every value
 * ends on its line (as people write them), read line by line; undefined
 * otherwise, for `readFast` (read-fast.ts), whose js-yaml loads only then.
 */
export function readBlockRoster(text: string): FastRead | undefined {
  const data = readBlockYaml(text);
  return data === undefined ? undefined : { data };
}

/**
 * A roster without a single problem (error or warning), read the fast way;
 * undefined otherwise, so that parse.ts checks it again and places every
 * problem. Shift times near a clock change are checked apart (clock-check.ts;
 * see needsClockCheck). `read` is the text's fast read (by default, line by
 * line only); `now` tells the swaps of days gone by (see checkRoster).
 */
export function readWellFormedRoster(
  text: string,
  read: FastRead | undefined = readBlockRoster(text),
  now?: Now,
): Roster | undefined {
  if (read === undefined) return undefined;
  const { data } = read;
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  // Where the schema is not met, parse.ts has ajv say how.
  if (!meetsRosterSchema(data)) return undefined;
  read.checked = { valid: true, errors: [], findings: checkRoster(data, now) };
  if (read.checked.findings.length > 0) return undefined;
  dropEmptyLists(data);
  return data as Roster;
}
