import { type Day, weekday } from "../dates.ts";
import type { ClosedDays } from "./holidays.ts";
import { compareOccurrences, type Occurrence, occurrenceOn, type ResolvedShift } from "./shifts.ts";

/**
 * Every occurrence of every shift in [from, until) on the days that shift is
 * open (a shift may have its own holidays), sorted by start, then shift id
 * (so the order is the same on every machine).
 */
export function listOccurrences(
  shifts: readonly ResolvedShift[],
  closed: ClosedDays,
  from: Day,
  until: Day,
): Occurrence[] {
  const occurrences: Occurrence[] = [];
  for (let day = from; day < until; day++) {
    const name = weekday(day);
    for (const shift of shifts) {
      if (!shift.days.has(name) || closed.reason(day, shift.id) !== undefined) continue;
      occurrences.push(occurrenceOn(shift, day));
    }
  }
  return occurrences.sort(compareOccurrences);
}
