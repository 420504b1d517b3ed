import { type Day, weekday } from "../dates.ts";
import type { ClosedDays } from "./holidays.ts";
import { compareOccurrences, type Occurrence, occurrenceOn, type ResolvedShift } from "./shifts.ts";

/**
 * Every occurrence of every shift on the open days in [from, until), sorted
 * by start, then shift id (so the order is the same on every machine).
 */
export function listOccurrences(
  shifts: readonly ResolvedShift[],
  closed: ClosedDays,
  from: Day,
  until: Day,
): Occurrence[] {
  const occurrences: Occurrence[] = [];
  for (let day = from; day < until; day++) {
    if (closed.reason(day) !== undefined) continue;
    const name = weekday(day);
    for (const shift of shifts) {
      if (shift.days.has(name)) occurrences.push(occurrenceOn(shift, day));
    }
  }
  return occurrences.sort(compareOccurrences);
}
