import { type Day, fromDay, toDay } from "../dates.ts";
import { ANY_ROLE } from "../roster/formats.ts";
import type { Swap } from "../roster/model.ts";
import {
  type OffRosterRange,
  type Schedule,
  type ScheduleEntry,
  servedBy,
} from "../schedule/schedule.ts";
import { isoUtc, parseIsoInstant } from "../time.ts";
import { type Assignment, Book, type PersonState } from "./board.ts";
import { type Member, offRosterDays, periodOf, type Team } from "./people.ts";
import type { SeatDay } from "./shares.ts";
import { narrowSteady, type PlanWindow } from "./window.ts";

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
export function readHistory(
  previous: Schedule,
  window: PlanWindow,
  now: number,
  swaps: readonly Swap[] = [],
): History {
  const { team, today, shiftById } = window;
  const past: ScheduleEntry[] = [];
  const previousFuture: ScheduleEntry[] = [];
  const covers = coversByOccurrence(swaps);
  for (const entry of previous.entries) {
    const start = parseIsoInstant(entry.start) ?? Number.NaN;
    narrowSteady(window.steady, now, start);
    if (start < now) past.push(withCovers(entry, covers.get(entry.id), isoUtc(now)));
    else previousFuture.push(entry);
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
  for (let i = 0; i < team.members.length; i++) {
    const member = team.members[i] as Member;
    if (member.quota) recentFrom = Math.min(recentFrom, periodOf(member.quota, today).start);
  }
  let origin = today;
  const seatDays: SeatDay[] = [];
  const recent: [PersonState, Assignment][] = [];
  for (const entry of past) {
    const day = toDay(entry.date);
    origin = Math.min(origin, day);
    const roles = recordedSeats(entry, shiftById.get(entry.shift)?.seats);
    const start = parseIsoInstant(entry.start);
    const end = parseIsoInstant(entry.end);
    seatDays.push({
      day,
      shift: entry.shift,
      roles,
      start,
      end,
      lastDay: recordedLastDay(entry, day),
    });
    const isRecent = day >= recentFrom;
    for (const id of servedBy(entry)) {
      const member = team.byId.get(id);
      if (!member) continue;
      const state = people[member.index] as PersonState;
      state.history++;
      if (isRecent) {
        recent.push([
          state,
          { start: start ?? 0, end: end ?? 0, day, id: entry.id, slot: undefined },
        ]);
      }
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
    countedFrom: countedFromOf(team, previous.countedFrom),
  };
}

/**
 * schedule.yaml's `counted_from` for the fair shares (`Shares`): the day each
 * person added to a roster whose schedule already had a past is counted from,
 * by member index; ids no longer in the roster are left out.
 */
export function countedFromOf(
  team: Team,
  counted: Readonly<Record<string, string>> | undefined,
): Map<number, Day> {
  return new Map(
    Object.entries(counted ?? {}).flatMap(([id, date]) => {
      const member = team.byId.get(id);
      return member ? [[member.index, toDay(date)] as const] : [];
    }),
  );
}

/**
 * schedule.yaml's `off_roster` as a plan on `today` records it. Someone in
 * the record of past shifts who is not on the roster is off it from today
 * (the plan cannot know the day the roster changed, only that it had by now);
 * someone back on it has that range closed the day before today, so later
 * plans count those days as time away, not as turns owed. People never in a
 * past shift need no record: back on the roster, they are counted from the
 * day they return (`counted_from`) as anyone added is.
 */
export function recordOffRoster(
  previous: Readonly<Record<string, readonly OffRosterRange[]>> | undefined,
  team: Team,
  today: Day,
  past: readonly ScheduleEntry[],
): Record<string, OffRosterRange[]> | undefined {
  const record: Record<string, OffRosterRange[]> = {};
  const onRoster = (id: string) => team.byId.has(id);
  for (const [id, ranges] of offRosterDays(previous, onRoster, today)) {
    record[id] = ranges.map((range) => ({ from: fromDay(range.from), to: fromDay(range.to) }));
  }
  for (const [id, ranges] of Object.entries(previous ?? {})) {
    if (!onRoster(id)) record[id] = [...ranges];
  }
  const gone = new Set<string>();
  for (const entry of past) {
    for (const id of entry.people) if (!onRoster(id)) gone.add(id);
    for (const id of entry.served ?? []) if (!onRoster(id)) gone.add(id);
  }
  for (const id of gone) {
    const ranges = record[id] ?? [];
    // Still off the roster since an earlier plan: that day stands.
    if (ranges.length > 0 && ranges[ranges.length - 1]?.to === undefined) continue;
    record[id] = [...ranges, { from: fromDay(today) }];
  }
  return Object.keys(record).length > 0 ? record : undefined;
}

function coversByOccurrence(swaps: readonly Swap[]): Map<string, Swap[]> {
  const byId = new Map<string, Swap[]>();
  for (const swap of swaps) {
    const id = `${swap.date}/${swap.shift}`;
    byId.set(id, [...(byId.get(id) ?? []), swap]);
  }
  return byId;
}

/**
 * A started occurrence with the covers recorded for it: `people` stays as
 * planned (the past is never rewritten), `served` says who stood in for whom.
 * A swap recorded before it started is already in `people`, and changes
 * nothing here. When who served changes, so do rev and changed, so that
 * calendars show it.
 */
function withCovers(
  entry: ScheduleEntry,
  covers: readonly Swap[] | undefined,
  now: string,
): ScheduleEntry {
  const served = [...entry.people];
  for (const cover of covers ?? []) {
    const at = served.indexOf(cover.out);
    if (at !== -1 && !served.includes(cover.in)) served[at] = cover.in;
  }
  const covered = served.some((id, i) => id !== entry.people[i]);
  const before = entry.served ?? entry.people;
  const same = before.length === served.length && before.every((id, i) => id === served[i]);
  const { served: _old, ...planned } = entry;
  const next: ScheduleEntry = covered ? { ...planned, served } : planned;
  if (same) return covered === (entry.served !== undefined) ? entry : next;
  return { ...next, rev: entry.rev + 1, changed: now };
}

/**
 * People added to a roster whose schedule already has a past: in no entry at
 * all, though they have a share of that past, and their share of all the
 * days the schedule covered (the past and the days it planned ahead) is at
 * least a shift: had they been on the roster, the plan that wrote it would
 * have given them a seat. A share of the past alone may be a fraction of a
 * shift, in a large team or a week after the schedule began, which says
 * nothing of whether they were there. Their share starts today — they were
 * not in the rota then, so they owe nothing for it — and the schedule
 * records the day, so that later plans count the same.
 */
export function newlyCounted(
  history: History,
  window: PlanWindow,
  previous: Schedule,
  share: (index: number, from: Day, until: Day) => number,
): void {
  if (history.origin >= window.today) return;
  const { seen, covered } = seatedIn(previous.entries, window.today);
  for (const member of window.team.members) {
    if (seen.has(member.id) || history.countedFrom.has(member.index)) continue;
    const index = member.index;
    if (share(index, history.origin, window.today) <= 0) continue;
    if (share(index, history.origin, covered) >= 1) history.countedFrom.set(index, window.today);
  }
}

/**
 * People on the roster whom the plan leaves in no entry, though owed a shift
 * of the days it covers (a newcomer took their only seat, say, or fairness
 * within one shift left them none yet): recorded as counted from the record's
 * start, which changes no share, so that the next plan does not take them for
 * people added since — `newlyCounted` asks exactly this of the schedule.
 */
export function stillCounted(
  history: History,
  team: Team,
  entries: readonly ScheduleEntry[],
  share: (index: number, from: Day, until: Day) => number,
): void {
  const { seen, covered } = seatedIn(entries, history.origin);
  for (const member of team.members) {
    if (seen.has(member.id) || history.countedFrom.has(member.index)) continue;
    if (share(member.index, history.origin, covered) >= 1) {
      history.countedFrom.set(member.index, history.origin);
    }
  }
}

/** Who has a seat in the entries, and the day after the last of them (`from` at least). */
function seatedIn(
  entries: readonly ScheduleEntry[],
  from: Day,
): { seen: Set<string>; covered: Day } {
  const seen = new Set<string>();
  let covered = from;
  for (const entry of entries) {
    for (const id of entry.people) seen.add(id);
    covered = Math.max(covered, toDay(entry.date) + 1);
  }
  return { seen, covered };
}

/**
 * The local day a recorded occurrence ends on (`Occurrence.lastDay`): the
 * date its end is written with (in its shift's zone, as schedule.yaml writes
 * times), or the day before where it ends at midnight; its own day where its
 * end cannot be read so.
 */
export function recordedLastDay(entry: Pick<ScheduleEntry, "end">, day: Day): Day {
  const end = entry.end;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(end)) return day;
  const last = toDay(end.slice(0, 10)) - (end.startsWith("00:00", 11) ? 1 : 0);
  return last > day ? day + 1 : day;
}

/**
 * The seats a past occurrence had, as schedule.yaml recorded it (its people
 * and its open seats), with the roles the shift lists now: a seat added to a
 * shift, or taken away, changes the shares of the days to come, not of the
 * days already served. Seats beyond the roles listed now take anyone.
 */
export function recordedSeats(
  entry: Pick<ScheduleEntry, "people" | "open">,
  roles: readonly string[] | undefined,
): readonly string[] {
  const count = entry.people.length + (entry.open ?? 0);
  if (roles?.length === count) return roles;
  return Array.from({ length: count }, (_, i) => roles?.[i] ?? ANY_ROLE);
}
