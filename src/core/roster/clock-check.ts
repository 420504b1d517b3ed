import { checkShiftTimes, type TimeProblem } from "../plan/shifts.ts";
import type { ParseOptions } from "./fast.ts";
import { DEFAULT_HORIZON_WEEKS } from "./formats.ts";
import type { Roster } from "./model.ts";

/** Shift times inside a clock change, on the days to be planned. */
export function shiftTimeProblems(roster: Roster, options: ParseOptions): TimeProblem[] {
  if (options.now === undefined) return [];
  const now = typeof options.now === "function" ? options.now(roster.timezone) : options.now;
  // The UTC day is within a day of the roster's local day; checking one day
  // more on each side needs no time-zone data to find "today".
  const today = Math.floor(now / 86_400_000);
  const horizon = 7 * (roster.horizon_weeks ?? DEFAULT_HORIZON_WEEKS);
  return checkShiftTimes(roster, today - 2, today + horizon + 1);
}
