import { type Day, fromDay, LAST_DAY } from "../dates.ts";
import { DEFAULT_HORIZON_WEEKS } from "../roster/formats.ts";
import type { Roster } from "../roster/model.ts";
import type { Schedule, ScheduleEntry } from "../schedule/schedule.ts";
import { dayOf, parseIsoInstant, startOfDay } from "../time.ts";
import { ClosedDays } from "./holidays.ts";
import { listOccurrences } from "./occurrences.ts";
import { offRosterDays, resolveTeam, type Team } from "./people.ts";
import { type Occurrence, type ResolvedShift, resolveShift } from "./shifts.ts";

/** What a plan covers: the people, the shifts and the occurrences to fill. */
export interface PlanWindow {
  team: Team;
  shifts: ResolvedShift[];
  shiftById: Map<string, ResolvedShift>;
  closed: ClosedDays;
  /** Today in the roster's zone, and the first day past the horizon. */
  today: Day;
  until: Day;
  /**
   * The occurrences that start at or after now, before the horizon (by the
   * previous schedule's times, where it has the occurrence: see
   * `startedBefore`). Decided
   * day by day (local days: availability is kept in days, and two zones' days
   * do not start at the same instant); within a day the shortest first, so
   * that whoever is furthest behind takes them and the longer ones that
   * overlap them go to others.
   */
  occurrences: Occurrence[];
  /**
   * The span of "now" that reads this window the same: the same day, and no
   * occurrence listed around it starting in between. Plans at any "now" in
   * (from, until] see the same days and the same occurrences ahead.
   */
  steady: Steady;
}

/** A span of "now", (from, until] in epoch milliseconds. */
export interface Steady {
  from: number;
  until: number;
}

/** Narrows a steady span to the instants `starts` on either side of `now`. */
export function narrowSteady(steady: Steady, now: number, start: number): void {
  if (Number.isNaN(start)) return;
  if (start < now) steady.from = Math.max(steady.from, start);
  else steady.until = Math.min(steady.until, start);
}

/**
 * Whether each occurrence of the previous schedule from `from` on had started
 * at `now`, by its id. A shift whose hours changed keeps its occurrence's id:
 * one that started at its old time is past (kept as served, never planned
 * again at its new time), and one that had not is still the plan's, even
 * where its new time has begun.
 */
function startedBefore(
  entries: readonly ScheduleEntry[],
  from: Day,
  now: number,
): Map<string, boolean> {
  const first = fromDay(from);
  const started = new Map<string, boolean>();
  for (const entry of entries) {
    if (entry.date < first) continue;
    const start = parseIsoInstant(entry.start);
    if (start !== undefined) started.set(entry.id, start < now);
  }
  return started;
}

/**
 * Why no plan can be made at `now`: its horizon would reach past 9999-12-31,
 * and schedule.yaml cannot hold a later day (its dates have four-digit
 * years). Undefined when one can.
 */
export function horizonProblem(roster: Roster, now: number): string | undefined {
  const weeks = roster.horizon_weeks ?? DEFAULT_HORIZON_WEEKS;
  if (dayOf(now, roster.timezone) + 7 * weeks <= LAST_DAY) return undefined;
  return `a plan made at ${fromDay(dayOf(now, roster.timezone))} would reach past ${fromDay(LAST_DAY)} (horizon_weeks: ${weeks}), the last day rota reads and writes: plan from an earlier --now/ROTA_NOW`;
}

/**
 * The window a plan at `now` covers, against the previous schedule's entries
 * (and its `off_roster`: the days people back on the roster were off it). Pure.
 */
export function planWindow(
  roster: Roster,
  now: number,
  previous: readonly ScheduleEntry[] = [],
  offRoster?: Schedule["offRoster"],
): PlanWindow {
  const zone = roster.timezone;
  const today = dayOf(now, zone);
  const ids = offRoster && new Set(roster.people.map((person) => person.id));
  const team = resolveTeam(roster, ids && offRosterDays(offRoster, (id) => ids.has(id), today));
  const shifts = roster.shifts.map((shift) => resolveShift(shift, zone));
  const until = today + 7 * (roster.horizon_weeks ?? DEFAULT_HORIZON_WEEKS);
  const closed = new ClosedDays(roster);
  const listed = listOccurrences(shifts, closed, today - 1, until);
  // "now" in (from, until] gives the same day here, and the same UTC day for
  // the roster's clock check (clock-check.ts).
  const utcDay = Math.floor(now / 86_400_000) * 86_400_000;
  const steady: Steady = {
    from: Math.max(startOfDay(today, zone), utcDay) - 1,
    until: Math.min(startOfDay(today + 1, zone), utcDay + 86_400_000) - 1,
  };
  for (const o of listed) narrowSteady(steady, now, o.start);
  const started = startedBefore(previous, today - 1, now);
  const occurrences = listed
    .filter((o) => !(started.get(o.id) ?? o.start < now))
    .sort(
      (a, b) =>
        a.day - b.day ||
        a.end - a.start - (b.end - b.start) ||
        a.start - b.start ||
        (a.shift.id < b.shift.id ? -1 : a.shift.id > b.shift.id ? 1 : 0),
    );
  return {
    team,
    shifts,
    shiftById: new Map(shifts.map((shift) => [shift.id, shift])),
    closed,
    today,
    until,
    occurrences,
    steady,
  };
}
