import type { Day } from "../dates.ts";
import { DEFAULT_HORIZON_WEEKS } from "../roster/formats.ts";
import type { Roster } from "../roster/model.ts";
import { dayOf } from "../time.ts";
import { ClosedDays } from "./holidays.ts";
import { listOccurrences } from "./occurrences.ts";
import { resolveTeam, type Team } from "./people.ts";
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
   * The occurrences that start at or after now, before the horizon. Decided
   * day by day (local days: availability is kept in days, and two zones' days
   * do not start at the same instant); within a day the shortest first, so
   * that whoever is furthest behind takes them and the longer ones that
   * overlap them go to others.
   */
  occurrences: Occurrence[];
}

/** The window a plan at `now` covers. Pure. */
export function planWindow(roster: Roster, now: number): PlanWindow {
  const zone = roster.timezone;
  const team = resolveTeam(roster);
  const shifts = roster.shifts.map((shift) => resolveShift(shift, zone));
  const today = dayOf(now, zone);
  const until = today + 7 * (roster.horizon_weeks ?? DEFAULT_HORIZON_WEEKS);
  const closed = new ClosedDays(roster);
  const occurrences = listOccurrences(shifts, closed, today - 1, until)
    .filter((o) => o.start >= now)
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
  };
}
