import type { PersonOnRecord } from "../calendar/history.ts";
import { type Day, fromDay, toDay } from "../dates.ts";
import { type FixFigures, type FixState, fixFigures, fixItems } from "../fixes.ts";
import { countedFromOf, recordedLastDay, recordedSeats } from "../plan/history.ts";
import {
  availableIn,
  availableIntervals,
  describePeriod,
  type Member,
  offRosterDays,
  periodOf,
  resolveTeam,
} from "../plan/people.ts";
import { type SeatDay, Shares } from "../plan/shares.ts";
import { resolveShift } from "../plan/shifts.ts";
import type { Person, Roster } from "../roster/model.ts";
import { seatHolderAfter, swapsByOccurrence } from "../roster/swaps.ts";
import { type Schedule, type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import type { HelpdeskFigures } from "../tickets/join.ts";
import { dayOf, isoInZone, parseIsoInstant } from "../time.ts";
import { latestNumber, type NoteRecord } from "./notes.ts";
import { quoteText, recurringThemes, type Answer as ThemeAnswer } from "./themes.ts";

/**
 * The balcony view: from the roster, the schedule (whose past entries are the
 * record of who served) and the field notes, the figures leaders ask for —
 * who has served and who is overdue, whether the load is fair, which shifts
 * lack notes, and what customers keep raising. Pure: "now" is an argument.
 *
 * The object is the JSON that `rota report --format json` prints: plain data,
 * dates as `YYYY-MM-DD`, times as ISO 8601 with the roster zone's offset.
 */

export interface ReportInput {
  roster: Roster;
  entries: readonly ScheduleEntry[];
  /** schedule.yaml's `planned_until`: occurrences on earlier days are planned. */
  plannedUntil?: string;
  /**
   * schedule.yaml's `counted_from`: people added after the schedule began, and
   * the day their turns count from (the planner owes them nothing before).
   */
  countedFrom?: Readonly<Record<string, string>>;
  /**
   * schedule.yaml's `off_roster`: the days people who served were off the
   * roster, which count as time away for those back on it.
   */
  offRoster?: Schedule["offRoster"];
  notes: readonly NoteRecord[];
  /** Epoch milliseconds. */
  now: number;
  /** First day of the window (default: the schedule's first day). */
  since?: string;
  /** Last day of the window, inclusive (default: today). */
  until?: string;
  /** fixes.yaml: what became of each proposed fix, by id. */
  fixes?: ReadonlyMap<string, FixState>;
  /**
   * People on the schedule who are no longer in the roster, as the roster's
   * history last recorded them (io/calendar-history.ts); anyone not here is
   * named by their id and shared as a person with no team or roles.
   */
  departed?: ReadonlyMap<string, PersonOnRecord>;
}

/** One occurrence, as the report names it. */
export interface ShiftRef {
  id: string;
  date: string;
  shift: string;
  start: string;
}

/** Where a person stands in one quota period. */
export type CurrentQuotaStatus = "served" | "planned" | "due" | "unplanned" | "exempt" | "unknown";
export type PreviousQuotaStatus = "served" | "missed" | "unplanned" | "exempt" | "unknown";

export interface QuotaFigures {
  /** The quota as the roster says it: `1 month`, `1 quarter`. */
  every: string;
  /** The period today is in. */
  current: { period: string; from: string; until: string; status: CurrentQuotaStatus };
  /** The last whole period before it. */
  previous: { period: string; from: string; until: string; status: PreviousQuotaStatus };
}

export interface PersonFigures {
  id: string;
  name: string;
  team: string | null;
  weight: number;
  /** In the company today: joined (or no `joined`) and not left. */
  active: boolean;
  /** Shifts served in the window. */
  served: number;
  /** The latest shift served, up to the window's end. */
  lastServed: ShiftRef | null;
  /** The first shift starting at or after now. */
  nextShift: ShiftRef | null;
  /** Fair share of the window's served seats, as the planner shares them (core/plan/shares.ts). */
  expected: number;
  /** served − expected. */
  deviation: number;
  quota: QuotaFigures | null;
  /** The standing is `overdue`. */
  overdue: boolean;
  /** Served shifts in the window with a note, and the ids of those without. */
  notes: { written: number; missing: string[] };
  /** Swaps in the window: shifts taken over from someone, and given away. */
  swaps: { in: number; out: number };
  // Added after the first release: after the keys scripts already read.
  /** The roster's `joined` and `left`, when set. */
  joined: string | null;
  left: string | null;
  /** The time away that today falls in (`until` is its last day), with the roster's reason. */
  away: { from: string; until: string; reason: string | null } | null;
  /** Where the person stands today, and why, in the words every format shows. */
  standing: Standing;
  /**
   * In the roster now. A person who served in the window and has since been
   * removed from it is `false`: not active, standing `left`, no quota.
   */
  onRoster: boolean;
}

/**
 * Where a person stands today, the first that applies: `joining` (not joined
 * yet), `left`, `no-quota`; `away` (away today and for the rest of the quota
 * period); `unknown` (nothing served or planned in a period that began before
 * their turns count: rota was not yet in use, or they were added later);
 * `overdue` (the last whole period, which rota judged, was missed while they
 * were available); `unplaced` (nothing served or planned in this period,
 * although the schedule is planned past the last day they could serve in it:
 * the planner found no seat for them); else `ok`.
 */
export type StandingStatus =
  | "ok"
  | "overdue"
  | "unplaced"
  | "away"
  | "unknown"
  | "joining"
  | "left"
  | "no-quota";

export interface Standing {
  status: StandingStatus;
  /** `ok`, `overdue: missed 2026-10`, `away (parental leave) until 2027-03-01`, … */
  summary: string;
}

export interface TeamFigures {
  /** The team id; null for people without a team. */
  id: string | null;
  people: number;
  active: number;
  served: number;
  expected: number;
  overdue: number;
  notesWritten: number;
  /** notesWritten / served; null when nobody served. */
  notesShare: number | null;
}

export interface Quote {
  text: string;
  person: string;
  occurrence: string;
  date: string;
  file: string;
}

export interface ThemeFigures {
  term: string;
  count: number;
  /** The most recent answers that mention it (at most three). */
  quotes: Quote[];
}

export interface Report {
  version: 1;
  team: string;
  /** "Now" for this report. */
  now: string;
  window: { since: string; until: string };
  totals: {
    people: number;
    active: number;
    /** Occurrences served in the window. */
    occurrences: number;
    /** Seats served in the window (one per person per occurrence). */
    shifts: number;
    /** Of those, the ones with a note. */
    withNotes: number;
    /** withNotes / shifts; null when none were served. */
    notesShare: number | null;
    /** Note files about shifts in the window. */
    notes: number;
    overdue: number;
  };
  people: PersonFigures[];
  teams: TeamFigures[];
  fairness: {
    /** Largest minus smallest deviation (served − expected), in shifts. */
    spread: number;
    /** Standard deviation of the deviations, in shifts. */
    stdDev: number;
    /** The people furthest above and below their share. */
    mostAbove: string | null;
    mostBelow: string | null;
  };
  themes: {
    /** The months of the window, `YYYY-MM`: the columns of every `byMonth`. */
    months: string[];
    tags: { tag: string; count: number; byMonth: number[] }[];
    struggles: ThemeFigures[];
    fix: ThemeFigures[];
    handled: { total: number; shifts: number; byMonth: number[] };
    mood: {
      count: number;
      average: number | null;
      /** How many shifts felt 1, 2, 3, 4 and 5. */
      distribution: [number, number, number, number, number];
      /** Average per month; null where no shift said. */
      byMonth: (number | null)[];
    };
  };
  newcomers: {
    id: string;
    name: string;
    joined: string;
    firstShift: (ShiftRef & { served: boolean; with: string[] }) | null;
    daysAfterJoining: number | null;
    /** rules.newcomers.first_shift_within_days, when set. */
    within: number | null;
    /**
     * Whether the first shift served is within that many days; null without
     * the rule, or while none is served and the deadline has not passed.
     */
    onTime: boolean | null;
  }[];
  swaps: {
    occurrence: string;
    date: string;
    shift: string;
    out: string;
    in: string;
    reason: string | null;
    /** served: it happened; planned: it is in the schedule ahead; not-applied: the schedule does not show it. */
    status: "served" | "planned" | "not-applied";
  }[];
  // Added later: after the keys scripts already read.
  /** Help-desk exports joined to shifts (`--tickets`); null without them. */
  helpdesk: HelpdeskFigures | null;
  /** The fixes proposed in notes and what became of them (fixes.yaml). */
  fixes: FixFigures;
}

/** An answer and the note it is in, until it is quoted. */
interface Answered {
  note: NoteRecord;
  text: string;
}

interface Timed {
  entry: ScheduleEntry;
  start: number;
  end: number;
  day: Day;
}

const THEMES_LIMIT = 8;
const QUOTES_PER_THEME = 3;

/** Rounded for output: shares and averages to 2 decimals (stable across machines). */
function round(value: number): number {
  return Math.round(value * 100) / 100 + 0;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole);
}

function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** `YYYY-MM` of every month from one day to another, inclusive. */
function monthsBetween(from: Day, until: Day): string[] {
  const first = fromDay(from);
  const last = fromDay(until);
  let year = Number(first.slice(0, 4));
  let month = Number(first.slice(5, 7));
  const months: string[] = [];
  for (;;) {
    const key = `${year}-${String(month).padStart(2, "0")}`;
    months.push(key);
    if (key >= last.slice(0, 7)) break;
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return months;
}

function shiftRef(timed: Timed, zone: string): ShiftRef {
  return {
    id: timed.entry.id,
    date: timed.entry.date,
    shift: timed.entry.shift,
    start: isoInZone(timed.start, zone),
  };
}

/**
 * The first day of a report's window without `--since`: the schedule's first
 * day (of its entries with a start rota can read), or today where that is
 * earlier or there is none.
 */
export function defaultSince(entries: readonly ScheduleEntry[], today: Day): Day {
  let first = today;
  for (const entry of entries) {
    if (parseIsoInstant(entry.start) === undefined) continue;
    first = Math.min(first, toDay(entry.date));
  }
  return first;
}

/** The report's figures; see `Report` and docs/report-and-site.md for what each means. */
export function buildReport(input: ReportInput): Report {
  const { roster, now } = input;
  const zone = roster.timezone;
  const today = dayOf(now, zone);
  const shiftById = new Map(roster.shifts.map((shift) => [shift.id, resolveShift(shift, zone)]));

  const timed: Timed[] = input.entries
    .map((entry) => ({
      entry,
      start: parseIsoInstant(entry.start) ?? Number.NaN,
      end: parseIsoInstant(entry.end) ?? Number.NaN,
      day: toDay(entry.date),
    }))
    .filter((item) => !Number.isNaN(item.start))
    .sort((a, b) => a.start - b.start || (a.entry.id < b.entry.id ? -1 : 1));
  const firstDay = defaultSince(input.entries, today);
  const since = input.since !== undefined ? toDay(input.since) : firstDay;
  const until = input.until !== undefined ? toDay(input.until) : today;
  const inWindow = (day: Day) => day >= since && day <= until;
  const served = (item: Timed) => item.start < now;
  const onRoster = new Set(roster.people.map((person) => person.id));
  const counted = new Map<string, Day>(
    Object.entries(input.countedFrom ?? {}).map(([id, date]) => [id, toDay(date)]),
  );
  // People who served in the window and are no longer in the roster are people
  // of the report as anyone is: a row, their notes, and their fair share of the
  // days they were on the roster, which the schedule shows lasted at least
  // until the last shift they served (not folded into the others' shares).
  // Someone back on the roster owes nothing for the days they were off it.
  const team = resolveTeam(
    withDeparted(roster, timed, served, inWindow, input.departed),
    offRosterDays(input.offRoster, (id) => onRoster.has(id), today),
  );
  const plannedUntil =
    input.plannedUntil !== undefined
      ? toDay(input.plannedUntil)
      : timed.reduce((max, t) => Math.max(max, t.day + 1), today);

  // Per person: the entries they are on, in time order.
  const byPerson = new Map<string, Timed[]>();
  for (const item of timed) {
    for (const id of servedBy(item.entry)) {
      let list = byPerson.get(id);
      if (!list) {
        list = [];
        byPerson.set(id, list);
      }
      list.push(item);
    }
  }

  // Notes, by occurrence and person.
  const notedBy = new Map<string, Set<string>>();
  for (const note of input.notes) {
    let people = notedBy.get(note.occurrence);
    if (!people) {
      people = new Set();
      notedBy.set(note.occurrence, people);
    }
    people.add(note.person);
  }

  // Fairness over the window: the seats served in it, shared as the planner shares them.
  const seatDays: SeatDay[] = [];
  const servedInWindow = timed.filter((item) => served(item) && inWindow(item.day));
  for (const item of servedInWindow) {
    const roles = recordedSeats(item.entry, shiftById.get(item.entry.shift)?.seats);
    seatDays.push({
      day: item.day,
      shift: item.entry.shift,
      roles,
      start: item.start,
      end: item.end,
      lastDay: recordedLastDay(item.entry, item.day),
    });
  }
  const fairEnd = until + 1;
  // Someone added later is owed nothing before the day schedule.yaml counts them from.
  const fair = new Shares(team, seatDays, since, fairEnd, countedFromOf(team, input.countedFrom));

  // Swaps in the window.
  const entryById = new Map(timed.map((item) => [item.entry.id, item]));
  const swapCounts = new Map<string, { in: number; out: number }>();
  const countSwap = (id: string, key: "in" | "out") => {
    const counts = swapCounts.get(id) ?? { in: 0, out: 0 };
    counts[key]++;
    swapCounts.set(id, counts);
  };
  const swaps: Report["swaps"] = [];
  const swapsOf = swapsByOccurrence(roster.swaps ?? []);
  for (const swap of roster.swaps ?? []) {
    const day = toDay(swap.date);
    if (!inWindow(day)) continue;
    const occurrence = `${swap.date}/${swap.shift}`;
    const item = entryById.get(occurrence);
    // Swaps of one occurrence apply in order: a later one may hand the seat
    // on, or back to whoever gave it away, and this one stands in that.
    const list = swapsOf.get(occurrence) ?? [];
    const holder = seatHolderAfter(list, list.indexOf(swap)) ?? swap.in;
    const applied =
      item !== undefined &&
      servedBy(item.entry).includes(holder) &&
      (holder === swap.out || !servedBy(item.entry).includes(swap.out));
    countSwap(swap.in, "in");
    countSwap(swap.out, "out");
    swaps.push({
      occurrence,
      date: swap.date,
      shift: swap.shift,
      out: swap.out,
      in: swap.in,
      reason: swap.reason ?? null,
      status: !item || !applied ? "not-applied" : served(item) ? "served" : "planned",
    });
  }
  swaps.sort((a, b) => (a.occurrence < b.occurrence ? -1 : a.occurrence > b.occurrence ? 1 : 0));

  // Each person's share unrounded, in the order of `people` (the roster's).
  const rawExpected: number[] = [];
  const people: PersonFigures[] = team.listed.map((member) => {
    const mine = byPerson.get(member.id) ?? [];
    let count = 0;
    let written = 0;
    const missing: string[] = [];
    let lastServed: Timed | undefined;
    let nextShift: Timed | undefined;
    for (const item of mine) {
      if (served(item)) {
        if (item.day <= until) lastServed = item;
        if (inWindow(item.day)) {
          count++;
          if (notedBy.get(item.entry.id)?.has(member.id)) written++;
          // Notes come after a shift: one still going on is not missing them.
          else if (item.end <= now) missing.push(item.entry.id);
        }
      } else if (!nextShift) {
        nextShift = item;
      }
    }
    const expected = fair.owed(member, since, fairEnd);
    rawExpected.push(expected);
    const countedFrom = Math.max(firstDay, counted.get(member.id) ?? firstDay);
    const listed = onRoster.has(member.id);
    const quota = listed
      ? quotaFigures(member, mine, { now, today, countedFrom, plannedUntil })
      : null;
    const away = listed ? awayOn(member, today) : undefined;
    const standing: Standing = listed
      ? standingOf(member, quota, {
          today,
          away,
          countedFrom,
          added: counted.has(member.id) && countedFrom > firstDay,
        })
      : { status: "left", summary: "no longer on the roster" };
    return {
      id: member.id,
      name: member.name,
      team: member.team ?? null,
      weight: member.weight,
      active:
        listed &&
        (member.joined === undefined || member.joined <= today) &&
        (member.left === undefined || member.left >= today),
      served: count,
      lastServed: lastServed ? shiftRef(lastServed, zone) : null,
      nextShift: nextShift ? shiftRef(nextShift, zone) : null,
      expected: round(expected),
      deviation: round(count - expected),
      quota,
      overdue: standing.status === "overdue",
      notes: { written, missing },
      swaps: swapCounts.get(member.id) ?? { in: 0, out: 0 },
      joined: member.joined === undefined ? null : fromDay(member.joined),
      // The roster records no `left` for someone removed from it.
      left: member.left === undefined || !listed ? null : fromDay(member.left),
      away: away
        ? { from: fromDay(away.from), until: fromDay(away.to), reason: away.reason ?? null }
        : null,
      standing,
      onRoster: listed,
    };
  });

  // Teams, in the order they first appear in the roster; people without one last.
  const teamIds: (string | null)[] = [];
  for (const person of people) if (!teamIds.includes(person.team)) teamIds.push(person.team);
  teamIds.sort((a, b) => Number(a === null) - Number(b === null));
  const teams: TeamFigures[] = teamIds.map((id) => {
    const members = people.filter((person) => person.team === id);
    const servedCount = members.reduce((sum, p) => sum + p.served, 0);
    const notesWritten = members.reduce((sum, p) => sum + p.notes.written, 0);
    return {
      id,
      people: members.length,
      active: members.filter((p) => p.active).length,
      served: servedCount,
      expected: round(members.reduce((sum, p) => sum + p.expected, 0)),
      overdue: members.filter((p) => p.overdue).length,
      notesWritten,
      notesShare: ratio(notesWritten, servedCount),
    };
  });

  // Spread: over everyone who had a share or served in the window.
  const deviations = people
    .map((person, i) => ({ id: person.id, served: person.served, expected: rawExpected[i] ?? 0 }))
    .filter((d) => d.expected > 0 || d.served > 0)
    .map((d) => ({ id: d.id, value: d.served - d.expected }));
  let spread = 0;
  let stdDev = 0;
  let mostAbove: string | null = null;
  let mostBelow: string | null = null;
  if (deviations.length > 0) {
    const above = deviations.reduce((best, d) => (d.value > best.value ? d : best));
    const below = deviations.reduce((best, d) => (d.value < best.value ? d : best));
    spread = above.value - below.value;
    const mean = deviations.reduce((sum, d) => sum + d.value, 0) / deviations.length;
    stdDev = Math.sqrt(
      deviations.reduce((sum, d) => sum + (d.value - mean) ** 2, 0) / deviations.length,
    );
    mostAbove = above.value > 0 ? above.id : null;
    mostBelow = below.value < 0 ? below.id : null;
  }

  const notesInWindow = input.notes.filter((note) => inWindow(toDay(note.date)));
  const themes = themeFigures(notesInWindow, monthsBetween(since, Math.max(since, until)));

  const within = roster.rules?.newcomers?.first_shift_within_days ?? null;
  const newcomers: Report["newcomers"] = [];
  for (const member of team.listed) {
    if (member.joined === undefined || !inWindow(member.joined)) continue;
    const first = (byPerson.get(member.id) ?? []).find((item) => item.day >= (member.joined ?? 0));
    const days = first ? first.day - (member.joined ?? 0) : null;
    newcomers.push({
      id: member.id,
      name: member.name,
      joined: fromDay(member.joined),
      firstShift: first
        ? {
            ...shiftRef(first, zone),
            served: served(first),
            with: servedBy(first.entry).filter((id) => id !== member.id),
          }
        : null,
      daysAfterJoining: days,
      within,
      // Only a served shift settles it before the deadline: a planned one may still move.
      onTime:
        within === null
          ? null
          : first && days !== null && served(first)
            ? days < within
            : today < member.joined + within
              ? null
              : false,
    });
  }

  const shifts = servedInWindow.reduce((sum, item) => sum + item.entry.people.length, 0);
  const withNotes = people.reduce((sum, p) => sum + p.notes.written, 0);
  return {
    version: 1,
    team: roster.team,
    now: isoInZone(now, zone),
    window: { since: fromDay(since), until: fromDay(until) },
    totals: {
      people: people.length,
      active: people.filter((p) => p.active).length,
      occurrences: servedInWindow.length,
      shifts,
      withNotes,
      notesShare: ratio(withNotes, shifts),
      notes: notesInWindow.length,
      overdue: people.filter((p) => p.overdue).length,
    },
    people,
    teams,
    fairness: { spread: round(spread), stdDev: round(stdDev), mostAbove, mostBelow },
    themes,
    newcomers,
    swaps,
    helpdesk: null,
    fixes: fixFigures(
      fixItems(input.notes),
      input.fixes ?? new Map(),
      fromDay(since),
      fromDay(until),
    ),
  };
}

/**
 * The roster with the people who served in the window and are no longer in
 * it, after its own people (by id), as its history last recorded them (else
 * with their id for a name), on the roster until the last shift they served.
 */
function withDeparted(
  roster: Roster,
  timed: readonly Timed[],
  served: (item: Timed) => boolean,
  inWindow: (day: Day) => boolean,
  departed: ReadonlyMap<string, PersonOnRecord> = new Map(),
): Roster {
  const listed = new Set(roster.people.map((person) => person.id));
  const last = new Map<string, Day>();
  const inTheWindow = new Set<string>();
  for (const item of timed) {
    if (!served(item)) continue;
    for (const id of servedBy(item.entry)) {
      if (listed.has(id)) continue;
      last.set(id, item.day);
      if (inWindow(item.day)) inTheWindow.add(id);
    }
  }
  if (inTheWindow.size === 0) return roster;
  const gone = [...inTheWindow].sort().map((id): Person => {
    const { name, team, roles, shifts, weight, joined } = departed.get(id) ?? { name: id };
    const left = fromDay(last.get(id) as Day);
    return {
      id,
      name,
      ...(team !== undefined ? { team } : {}),
      ...(roles !== undefined ? { roles } : {}),
      ...(shifts !== undefined ? { shifts } : {}),
      ...(weight !== undefined ? { weight } : {}),
      ...(joined !== undefined && joined <= left ? { joined } : {}),
      left,
    };
  });
  return { ...roster, people: [...roster.people, ...gone] };
}

/**
 * Where a person with a quota stands. The current period (the one today is
 * in): `served` when they served a shift in it, `planned` when one is
 * scheduled later in it; `exempt` when they are not available on any day of
 * it; `unknown` when it began before their turns count (`countedFrom`: the
 * schedule's first day, or the day someone added later is counted from), as
 * the planner does not judge such a period; else `unplanned` when the
 * schedule is planned past the last day they could serve in it (the plan
 * could not place them) or `due` when it is not yet (the plan may still). The
 * previous whole period: `exempt` (not available on any day), `unknown` when
 * it began before their turns count, `served`, `missed` (available on some
 * day of it and served nothing), or `unplanned` when the schedule was not
 * planned to the last day they could serve in it (it ran out: no seats).
 */
function quotaFigures(
  member: Member,
  mine: readonly Timed[],
  at: { now: number; today: Day; countedFrom: Day; plannedUntil: Day },
): QuotaFigures | null {
  const quota = member.quota;
  if (!quota || member.quotaText === undefined) return null;
  const current = periodOf(quota, at.today);
  const previous = periodOf(quota, current.start - 1);
  const describe = (period: { start: Day; end: Day }) => ({
    period: describePeriod(quota, period.start),
    from: fromDay(period.start),
    until: fromDay(period.end - 1),
  });
  const inPeriod = (period: { start: Day; end: Day }) =>
    mine.filter((item) => item.day >= period.start && item.day < period.end);

  let currentStatus: CurrentQuotaStatus;
  const thisPeriod = inPeriod(current);
  const available = availableIntervals(member, current.start, current.end);
  if (thisPeriod.some((item) => item.start < at.now)) currentStatus = "served";
  else if (thisPeriod.length > 0) currentStatus = "planned";
  else if (available.length === 0) currentStatus = "exempt";
  else if (current.start < at.countedFrom) currentStatus = "unknown";
  else {
    // Planned through the last day they could serve in the period?
    const lastAvailable = (available[available.length - 1] as [Day, Day])[1];
    currentStatus = at.plannedUntil >= lastAvailable ? "unplanned" : "due";
  }

  let previousStatus: PreviousQuotaStatus;
  if (!availableIn(member, previous.start, previous.end)) {
    previousStatus = "exempt";
  } else if (previous.start < at.countedFrom) {
    previousStatus = "unknown";
  } else if (inPeriod(previous).some((item) => item.start < at.now)) {
    previousStatus = "served";
  } else {
    // A period the schedule was not planned through had no seats to miss.
    const available = availableIntervals(member, previous.start, previous.end);
    const lastAvailable = available[available.length - 1]?.[1] ?? previous.start;
    previousStatus = at.plannedUntil >= lastAvailable ? "missed" : "unplanned";
  }
  return {
    every: member.quotaText,
    current: { ...describe(current), status: currentStatus },
    previous: { ...describe(previous), status: previousStatus },
  };
}

/** The time away that a day falls in (away ranges are merged), if any. */
function awayOn(member: Member, day: Day): Member["away"][number] | undefined {
  return member.away.find((range) => range.from <= day && day <= range.to);
}

/** The first quota period that begins on or after a day, in words: `2026-12`. */
function firstPeriodFrom(quota: NonNullable<Member["quota"]>, day: Day): string {
  const period = periodOf(quota, day);
  return describePeriod(quota, period.start === day ? day : period.end);
}

/** Where a person stands today; see `StandingStatus`. */
function standingOf(
  member: Member,
  quota: QuotaFigures | null,
  at: { today: Day; away: Member["away"][number] | undefined; countedFrom: Day; added: boolean },
): Standing {
  const { today, away } = at;
  if (member.joined !== undefined && member.joined > today) {
    return { status: "joining", summary: `joins ${fromDay(member.joined)}` };
  }
  if (member.left !== undefined && member.left < today) {
    return { status: "left", summary: `left ${fromDay(member.left)}` };
  }
  if (!quota || !member.quota) return { status: "no-quota", summary: "no quota" };
  const period = periodOf(member.quota, today);
  if (away && !availableIn(member, today, period.end)) {
    const reason = away.reason ? ` (${away.reason})` : "";
    return { status: "away", summary: `away${reason} until ${fromDay(away.to)}` };
  }
  const { current, previous } = quota;
  if (current.status === "unknown") {
    const since = at.added
      ? `added ${fromDay(at.countedFrom)}`
      : `rota began ${fromDay(at.countedFrom)}`;
    return {
      status: "unknown",
      summary: `counts from ${firstPeriodFrom(member.quota, at.countedFrom)}: ${since}`,
    };
  }
  if (previous.status === "missed") {
    const reasons = [`missed ${previous.period}`];
    if (current.status === "unplanned") {
      reasons.push(`no seat could be found in ${current.period}`);
    }
    return { status: "overdue", summary: `overdue: ${reasons.join("; ")}` };
  }
  if (current.status === "unplanned") {
    return { status: "unplaced", summary: "no seat could be found: see `rota plan` warnings" };
  }
  return { status: "ok", summary: "ok" };
}

function themeFigures(notes: readonly NoteRecord[], months: string[]): Report["themes"] {
  const monthIndex = new Map(months.map((month, i) => [month, i]));
  const tags = new Map<string, { count: number; byMonth: number[] }>();
  const handledByMonth = months.map(() => 0);
  let handledTotal = 0;
  let handledShifts = 0;
  const moodSum = months.map(() => 0);
  const moodCount = months.map(() => 0);
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let moodTotal = 0;
  let moodShifts = 0;
  // Answers newest first (by shift date, then file, later entries first), so
  // each theme's first quotes are the latest; quotes are made only for those shown.
  // One person's answers about one shift (one note) count once.
  const struggles: ThemeAnswer<Answered>[] = [];
  const fixes: ThemeAnswer<Answered>[] = [];
  const newestFirst = [...notes].sort((a, b) =>
    a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.file < b.file ? 1 : a.file > b.file ? -1 : 0,
  );
  for (const [n, note] of newestFirst.entries()) {
    for (let e = note.entries.length - 1; e >= 0; e--) {
      const answers = (note.entries[e] as NoteRecord["entries"][number]).answers;
      if (typeof answers.struggles === "string") {
        struggles.push({
          text: answers.struggles,
          item: { note, text: answers.struggles },
          source: n,
        });
      }
      if (typeof answers.fix === "string") {
        fixes.push({ text: answers.fix, item: { note, text: answers.fix }, source: n });
      }
    }
  }

  for (const note of notes) {
    const m = monthIndex.get(monthOf(note.date));
    if (m === undefined) continue;
    for (const tag of note.tags) {
      let counts = tags.get(tag);
      if (!counts) {
        counts = { count: 0, byMonth: months.map(() => 0) };
        tags.set(tag, counts);
      }
      counts.count++;
      counts.byMonth[m] = (counts.byMonth[m] ?? 0) + 1;
    }
    const handled = latestNumber(note, "handled");
    if (handled !== undefined && handled >= 0) {
      handledTotal += handled;
      handledShifts++;
      handledByMonth[m] = (handledByMonth[m] ?? 0) + handled;
    }
    const mood = latestNumber(note, "mood");
    if (mood !== undefined && mood >= 1 && mood <= 5) {
      moodTotal += mood;
      moodShifts++;
      moodSum[m] = (moodSum[m] ?? 0) + mood;
      moodCount[m] = (moodCount[m] ?? 0) + 1;
      const bucket = Math.min(5, Math.max(1, Math.round(mood))) - 1;
      distribution[bucket as 0] += 1;
    }
  }

  const themesOf = (answers: ThemeAnswer<Answered>[]): ThemeFigures[] =>
    recurringThemes(answers, { limit: THEMES_LIMIT, items: QUOTES_PER_THEME }).map((theme) => ({
      term: theme.term,
      count: theme.count,
      quotes: theme.items.slice(0, QUOTES_PER_THEME).map(({ note, text }) => ({
        text: quoteText(text),
        person: note.person,
        occurrence: note.occurrence,
        date: note.date,
        file: note.file,
      })),
    }));

  return {
    months,
    tags: [...tags.entries()]
      .sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : a > b ? 1 : 0))
      .map(([tag, counts]) => ({ tag, count: counts.count, byMonth: counts.byMonth })),
    struggles: themesOf(struggles),
    fix: themesOf(fixes),
    handled: {
      total: round(handledTotal),
      shifts: handledShifts,
      byMonth: handledByMonth.map(round),
    },
    mood: {
      count: moodShifts,
      average: moodShifts === 0 ? null : round(moodTotal / moodShifts),
      distribution,
      byMonth: months.map((_, i) =>
        (moodCount[i] ?? 0) === 0 ? null : round((moodSum[i] ?? 0) / (moodCount[i] ?? 1)),
      ),
    },
  };
}
