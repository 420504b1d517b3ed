import { type Day, weekday } from "../dates.ts";
import { checkShiftTimes, resolveShift, type TimeProblem } from "../plan/shifts.ts";
import { zoneClock } from "../time.ts";
import type { ParseOptions } from "./fast.ts";
import { DEFAULT_HORIZON_WEEKS, mayFallInTransition, parseTime } from "./formats.ts";
import type { Roster } from "./model.ts";

/**
 * How far ahead shift times are checked against clock changes: every year a
 * shift may run, not only the weeks `rota plan` schedules, or a roster valid
 * today stops planning the week the change enters the horizon. Ten years
 * meet a rule on a weekday ("the last Sunday of March") ten times, and a
 * change on a fixed date on nearly every weekday; zones change their rules
 * more often than that, so looking further ahead would only guess.
 */
export const CLOCK_CHECK_YEARS = 10;

/**
 * Shift times inside a clock change, from today for the next ten years (or
 * the horizon, when longer): for each shift boundary, the first day it
 * falls into a skipped or repeated hour.
 */
export function shiftTimeProblems(roster: Roster, options: ParseOptions): TimeProblem[] {
  if (options.now === undefined) return [];
  const now = typeof options.now === "function" ? options.now(roster.timezone) : options.now;
  // The UTC day is within a day of the roster's local day; checking one day
  // more on each side needs no time-zone data to find "today".
  const today = Math.floor(now / 86_400_000);
  const horizon = 7 * (roster.horizon_weeks ?? DEFAULT_HORIZON_WEEKS);
  const from = today - 2;
  const until = today + Math.max(horizon + 1, Math.ceil(CLOCK_CHECK_YEARS * 365.25));
  // Only the days around each clock change of the shift's zone need the exact
  // check (a shift that ends the next day may start the day before).
  const problems: TimeProblem[] = [];
  roster.shifts.forEach((raw, shiftIndex) => {
    const times = [raw.start, raw.end].flatMap((time) => {
      const minutes = raw.all_day || time === undefined ? undefined : parseTime(time);
      return minutes === undefined ? [] : [minutes];
    });
    if (!times.some(mayFallInTransition)) return;
    const shift = resolveShift(raw, roster.timezone);
    const days = new Set<Day>();
    for (const change of zoneClock(shift.zone).changeDays(from, until)) {
      for (let day = change - 3; day <= change + 1; day++) {
        if (day >= from && day < until && shift.days.has(weekday(day))) days.add(day);
      }
    }
    const alone = { ...roster, shifts: [raw] };
    const found = new Set<string>();
    for (const day of [...days].sort((a, b) => a - b)) {
      for (const problem of checkShiftTimes(alone, day, day + 1)) {
        if (found.has(problem.key)) continue;
        found.add(problem.key);
        problems.push({ ...problem, shiftIndex });
      }
      if (found.size === 2) break;
    }
  });
  const order = (problem: TimeProblem) =>
    problem.shiftIndex * 2 + (problem.key === "start" ? 0 : 1);
  return problems.sort((a, b) => order(a) - order(b));
}
