import { type Day, fromDay, weekday } from "../dates.ts";
import { mayFallInTransition, parseTime } from "../roster/formats.ts";
import type { Roster, Shift } from "../roster/model.ts";
import { wallTimeToInstant, zoneClock } from "../time.ts";

/** A shift with its defaults resolved and its times read. */
export interface ResolvedShift {
  id: string;
  name: string;
  zone: string;
  days: ReadonlySet<string>;
  allDay: boolean;
  /** Minutes after local midnight; undefined for all-day shifts. */
  startMinutes?: number;
  endMinutes?: number;
  /** The role of each seat, in roster order. */
  seats: readonly string[];
}

/** One shift on one day: what gets people assigned. */
export interface Occurrence {
  /** `<local date>/<shift id>` */
  id: string;
  day: Day;
  date: string;
  shift: ResolvedShift;
  /** Epoch milliseconds; `end` is exclusive. */
  start: number;
  end: number;
  /** The local day the occurrence ends on (its start day, unless it runs past midnight). */
  lastDay: Day;
  /** ISO 8601 with the shift zone's offset. */
  startIso: string;
  endIso: string;
}

export function resolveShift(shift: Shift, rosterZone: string): ResolvedShift {
  const allDay = shift.all_day === true;
  return {
    id: shift.id,
    name: shift.name ?? shift.id,
    zone: shift.timezone ?? rosterZone,
    days: new Set(shift.days),
    allDay,
    startMinutes: allDay || shift.start === undefined ? undefined : parseTime(shift.start),
    endMinutes: allDay || shift.end === undefined ? undefined : parseTime(shift.end),
    seats: shift.seats.map((seat) => seat.role),
  };
}

/** The occurrence of a shift on a day (whether or not the shift runs that day). */
export function occurrenceOn(shift: ResolvedShift, day: Day): Occurrence {
  const clock = zoneClock(shift.zone);
  let start: { ms: number; offset: number };
  let end: { ms: number; offset: number };
  let lastDay = day;
  if (shift.allDay || shift.startMinutes === undefined || shift.endMinutes === undefined) {
    start = clock.instant(day, 0);
    end = clock.instant(day + 1, 0);
  } else {
    start = clock.instant(day, shift.startMinutes);
    // An end at or before the start is on the next day.
    const endDay = shift.endMinutes <= shift.startMinutes ? day + 1 : day;
    end = clock.instant(endDay, shift.endMinutes);
    lastDay = shift.endMinutes === 0 ? endDay - 1 : endDay;
  }
  return {
    id: `${fromDay(day)}/${shift.id}`,
    day,
    date: fromDay(day),
    shift,
    start: start.ms,
    end: end.ms,
    lastDay,
    startIso: clock.iso(start.ms, start.offset),
    endIso: clock.iso(end.ms, end.offset),
  };
}

export function compareOccurrences(a: Occurrence, b: Occurrence): number {
  return a.start - b.start || (a.shift.id < b.shift.id ? -1 : a.shift.id > b.shift.id ? 1 : 0);
}

export interface TimeProblem {
  shiftIndex: number;
  key: "start" | "end";
  message: string;
}

/**
 * Shift boundaries that fall into a skipped or repeated local hour on a day
 * the shift runs within [from, until): such a time is either not a time at
 * all, or two, and calendar clients disagree about which. Reported once per
 * shift boundary, for the first such day.
 */
export function checkShiftTimes(roster: Roster, from: Day, until: Day): TimeProblem[] {
  const problems: TimeProblem[] = [];
  roster.shifts.forEach((raw, shiftIndex) => {
    const shift = resolveShift(raw, roster.timezone);
    if (shift.allDay || shift.startMinutes === undefined || shift.endMinutes === undefined) return;
    const startMinutes = shift.startMinutes;
    const endMinutes = shift.endMinutes;
    for (const [key, minutes, offset] of [
      ["start", startMinutes, 0],
      ["end", endMinutes, endMinutes <= startMinutes ? 1 : 0],
    ] as const) {
      if (!mayFallInTransition(minutes)) continue;
      for (let day = from; day < until; day++) {
        if (!shift.days.has(weekday(day))) continue;
        const { status } = wallTimeToInstant(day + offset, minutes, shift.zone);
        if (status === "ok") continue;
        const when = fromDay(day + offset);
        const time = raw[key] ?? "";
        problems.push({
          shiftIndex,
          key,
          message:
            status === "skipped"
              ? `shift "${shift.id}" ${key}s at ${time}, which does not exist in ${shift.zone} on ${when} (the clocks jump forward); choose a time outside the change`
              : `shift "${shift.id}" ${key}s at ${time}, which happens twice in ${shift.zone} on ${when} (the clocks go back); choose a time outside the change`,
        });
        break;
      }
    }
  });
  return problems;
}
