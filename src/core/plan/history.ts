import { type Day, toDay } from "../dates.ts";
import { ANY_ROLE } from "../roster/formats.ts";
import type { Schedule, ScheduleEntry } from "../schedule/schedule.ts";
import { parseIsoInstant } from "../time.ts";
import { type Assignment, Book, type PersonState } from "./board.ts";
import { periodOf } from "./people.ts";
import type { SeatDay } from "./shares.ts";
import type { PlanWindow } from "./window.ts";

/** What the previous schedule says: the past as served, and the future as planned. */
export interface History {
  past: ScheduleEntry[];
  previousFuture: ScheduleEntry[];
  previousById: Map<string, ScheduleEntry>;
  /** The first day of the record (today when there is none). */
  origin: Day;
  /** The past's seats, for the fair shares. */
  seatDays: SeatDay[];
  /** Per member index: the people, with their recent past in their books. */
  people: PersonState[];
  /** People whose share is counted from a later day than the record's start. */
  countedFrom: Map<number, Day>;
}

/**
 * Reads the previous schedule against the window: who served how often
 * (fairness counts the whole record), and the recent past each person's book
 * needs for overlaps, min_gap_days and quota periods.
 */
export function readHistory(previous: Schedule, window: PlanWindow, now: number): History {
  const { team, today, shiftById } = window;
  const past: ScheduleEntry[] = [];
  const previousFuture: ScheduleEntry[] = [];
  for (const entry of previous.entries) {
    const start = parseIsoInstant(entry.start) ?? Number.NaN;
    (start < now ? past : previousFuture).push(entry);
  }
  const people: PersonState[] = team.members.map((member) => ({
    member,
    book: new Book(),
    history: 0,
    planned: 0,
    newcomer: false,
  }));
  // The past a book needs: min_gap_days back, and the start of every quota period today is in.
  let recentFrom = today - Math.max(0, ...team.members.map((m) => m.gapDays)) - 2;
  for (const member of team.members) {
    if (member.quota) recentFrom = Math.min(recentFrom, periodOf(member.quota, today).start);
  }
  let origin = today;
  const seatDays: SeatDay[] = [];
  const recent: [PersonState, Assignment][] = [];
  for (const entry of past) {
    const day = toDay(entry.date);
    origin = Math.min(origin, day);
    const roles = shiftById.get(entry.shift)?.seats ?? entry.people.map(() => ANY_ROLE);
    seatDays.push({ day, shift: entry.shift, roles });
    const isRecent = day >= recentFrom;
    const start = isRecent ? (parseIsoInstant(entry.start) ?? 0) : 0;
    const end = isRecent ? (parseIsoInstant(entry.end) ?? 0) : 0;
    for (const id of entry.people) {
      const member = team.byId.get(id);
      if (!member) continue;
      const state = people[member.index] as PersonState;
      state.history++;
      if (isRecent) recent.push([state, { start, end, day, id: entry.id }]);
    }
  }
  recent.sort((a, b) => a[1].start - b[1].start);
  for (const [state, assignment] of recent) state.book.list.push(assignment);
  return {
    past,
    previousFuture,
    previousById: new Map(previous.entries.map((entry) => [entry.id, entry])),
    origin,
    seatDays,
    people,
    countedFrom: new Map(
      Object.entries(previous.countedFrom ?? {}).flatMap(([id, date]) => {
        const member = team.byId.get(id);
        return member ? [[member.index, toDay(date)] as const] : [];
      }),
    ),
  };
}

/**
 * People added to a roster whose schedule already has a past: in no entry at
 * all, though their share of that past is at least a shift. Their share
 * starts today — they were not in the rota then, so they owe nothing for it
 * — and the schedule records the day, so that later plans count the same.
 */
export function newlyCounted(
  history: History,
  window: PlanWindow,
  previous: Schedule,
  pastShare: (index: number) => number,
): void {
  if (history.origin >= window.today) return;
  const seen = new Set<string>();
  for (const entry of previous.entries) for (const id of entry.people) seen.add(id);
  for (const member of window.team.members) {
    if (seen.has(member.id) || history.countedFrom.has(member.index)) continue;
    if (pastShare(member.index) >= 1) history.countedFrom.set(member.index, window.today);
  }
}
