import TinyQueue from "tinyqueue";
import { type Day, fromDay, toDay } from "../dates.ts";
import { ANY_ROLE, DEFAULT_HORIZON_WEEKS } from "../roster/formats.ts";
import type { Roster } from "../roster/model.ts";
import type { Schedule, ScheduleEntry } from "../schedule/schedule.ts";
import { dayOf, isoUtc, parseIsoInstant } from "../time.ts";
import { FairShare, type SeatDay } from "./fairness.ts";
import { ClosedDays } from "./holidays.ts";
import { listOccurrences } from "./occurrences.ts";
import {
  type Absence,
  absenceOn,
  availableIntervals,
  canFill,
  describePeriod,
  type Member,
  periodOf,
  resolveTeam,
  type Team,
} from "./people.ts";
import { compareOccurrences, type Occurrence, type ResolvedShift, resolveShift } from "./shifts.ts";

/** How a seat came to hold its person. */
export type SeatHow =
  | "kept" // from the previous schedule (stability)
  | "swap" // a recorded swap
  | "newcomer" // a new joiner's first shift, beside a pair_with person
  | "pair" // the pair_with person placed beside a newcomer
  | "quota" // the person owed a turn in this period
  | "fair" // furthest below their fair share
  | "gap-relaxed" // as "fair", but min_gap_days could not hold
  | "open"; // nobody could fill it

export interface SeatChoice {
  seat: number;
  role: string;
  person?: string;
  how: SeatHow;
}

export interface Gap {
  id: string;
  date: string;
  shift: string;
  seat: number;
  role: string;
  reason: string;
}

export interface PlanWarning {
  id?: string;
  person?: string;
  message: string;
}

export interface Change {
  id: string;
  date: string;
  shift: string;
  before: string[] | null;
  after: string[] | null;
  reasons: string[];
}

export interface FairnessRow {
  id: string;
  name: string;
  team?: string;
  weight: number;
  /** Shifts in the planned window. */
  shifts: number;
  /** Fair share of the planned window (weight × availability). */
  expected: number;
  /** Shifts served before now, from schedule.yaml. */
  served: number;
}

/** Why each person is or is not on one occurrence: `rota explain`. */
export interface Explanation {
  id: string;
  past: boolean;
  seats: SeatChoice[];
  people: {
    id: string;
    name: string;
    status: "on" | "candidate" | "excluded";
    reason: string;
    /** Shifts below their fair share at that moment (higher goes first). */
    deficit?: number;
    quotaDue?: string;
  }[];
}

export interface PlanInput {
  roster: Roster;
  previous: Schedule;
  /** Epoch milliseconds. */
  now: number;
  /** Recompute every future seat instead of keeping valid assignments. */
  rebalance?: boolean;
  /** An occurrence id to explain. */
  explain?: string;
  /** Called now and then with how many occurrences are decided, of how many. */
  onProgress?: (done: number, total: number) => void;
}

export interface PlanResult {
  schedule: Schedule;
  /** The planned window: local days [from, until) of the roster's zone. */
  from: Day;
  until: Day;
  gaps: Gap[];
  warnings: PlanWarning[];
  /** How each seat of each future occurrence was filled. */
  choices: Map<string, SeatChoice[]>;
  changes: Change[];
  fairness: FairnessRow[];
  /** The fairness summary for another window (e.g. the one shown). */
  fairnessFor(from: Day, until: Day): FairnessRow[];
  explanation?: Explanation;
}

interface HeapEntry {
  member: Member;
  key: number;
  deadline: number;
  version: number;
}

interface Assignment {
  start: number;
  end: number;
  day: Day;
  id: string;
}

/** Per-person planning state. */
interface State {
  member: Member;
  served: number;
  /** Credit not earned while unavailable, as of `creditDay`. */
  away: number;
  version: number;
  /** Sorted by start. */
  assignments: Assignment[];
  /** Owes a turn in the current quota period; the deadline (exclusive day). */
  dueUntil?: Day;
  /** The day `dueUntil` was worked out on, for describing the period when asked. */
  dueSince?: Day;
  parked: boolean;
  gone: boolean;
  newcomer: boolean;
}

const byKey = (a: HeapEntry, b: HeapEntry) =>
  a.key - b.key || a.member.hash - b.member.hash || a.member.index - b.member.index;
const byDeadline = (a: HeapEntry, b: HeapEntry) => a.deadline - b.deadline || byKey(a, b);

function insertSorted(list: Assignment[], item: Assignment): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Assignment).start < item.start) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

function removeAssignment(list: Assignment[], id: string): void {
  const index = list.findIndex((a) => a.id === id);
  if (index !== -1) list.splice(index, 1);
}

/** The person's assignment overlapping [start, end), other than `exceptId`. */
function overlapping(list: Assignment[], start: number, end: number, exceptId?: string) {
  for (const a of list) {
    if (a.start >= end) break;
    if (a.end > start && a.id !== exceptId) return a;
  }
  return undefined;
}

/** The nearest assignment within `gap` days of `day`, before or after. */
function withinGap(list: Assignment[], day: Day, gap: number, exceptId?: string) {
  if (gap <= 0) return undefined;
  for (const a of list) {
    if (a.id === exceptId) continue;
    if (Math.abs(a.day - day) < gap) return a;
  }
  return undefined;
}

/** Why someone is absent, as a predicate: "is away (holiday)", "joins on …", "has left". */
export function describeAbsence(absence: Absence): string {
  switch (absence.kind) {
    case "away":
      return absence.reason ? `is away (${absence.reason})` : "is away";
    case "not-joined":
      return `joins on ${fromDay(absence.until)}`;
    case "left":
      return "has left";
  }
}

/**
 * Maximum matching of people to seats by role. Each person first takes the
 * first free seat they can fill, in order, so that an unchanged entry keeps
 * its seat order; only when none is free does a seat change hands
 * (augmenting path) to seat everyone who can be seated.
 */
function matchSeats(
  roles: readonly string[],
  people: readonly Member[],
  shift: string,
): (Member | undefined)[] {
  const holder: (number | undefined)[] = roles.map(() => undefined);
  const fits = (p: number, s: number) => canFill(people[p] as Member, shift, roles[s] as string);
  const augment = (p: number, seen: Set<number>): boolean => {
    for (let s = 0; s < roles.length; s++) {
      if (seen.has(s) || !fits(p, s)) continue;
      seen.add(s);
      const current = holder[s];
      if (current === undefined || augment(current, seen)) {
        holder[s] = p;
        return true;
      }
    }
    return false;
  };
  people.forEach((_, p) => {
    const free = roles.findIndex((_, s) => holder[s] === undefined && fits(p, s));
    if (free !== -1) holder[free] = p;
    else augment(p, new Set());
  });
  return holder.map((p) => (p === undefined ? undefined : people[p]));
}

/**
 * Re-seats the people of an occurrence the way matchSeats would from their
 * seat order, keeping how each came to be there. Run after every change, it
 * makes the arrangement the one a replan reproduces, so that replanning the
 * same inputs changes nothing. Returns whether any seat changed.
 */
function reseat(
  roles: readonly string[],
  seats: (Member | undefined)[],
  seatHow: SeatHow[],
  shift: string,
): boolean {
  const people = seats.filter((m): m is Member => m !== undefined);
  const hows = new Map(people.map((m) => [m, seatHow[seats.indexOf(m)] as SeatHow]));
  const next = matchSeats(roles, people, shift);
  let changed = false;
  next.forEach((member, s) => {
    if (member !== seats[s]) changed = true;
    seats[s] = member;
    seatHow[s] = member ? (hows.get(member) as SeatHow) : "open";
  });
  return changed;
}

/**
 * Plans the rota: keeps the past as recorded, keeps every future assignment
 * that is still valid (unless rebalancing), applies swaps, places newcomers,
 * and fills every other seat with the eligible, available person furthest
 * below their fair share (quota owers first). Pure: no clock, no I/O.
 */
export function planRota(input: PlanInput): PlanResult {
  const { roster, previous, now } = input;
  const zone = roster.timezone;
  const team = resolveTeam(roster);
  const shifts = roster.shifts.map((shift) => resolveShift(shift, zone));
  const shiftById = new Map(shifts.map((shift) => [shift.id, shift]));
  const today = dayOf(now, zone);
  const until = today + 7 * (roster.horizon_weeks ?? DEFAULT_HORIZON_WEEKS);
  const closed = new ClosedDays(roster);
  // Decided day by day (local days): availability and gaps are kept in days,
  // and two zones' days do not start at the same instant. Within a day the
  // shortest shifts go first: whoever is furthest behind then takes them
  // (maybe two), and the longer ones that overlap them go to the others. The
  // other way round, the person ahead would be left the short ones and pull
  // further ahead every day.
  const occurrences = listOccurrences(shifts, closed, today - 1, until)
    .filter((o) => o.start >= now)
    .sort(
      (a, b) => a.day - b.day || a.end - a.start - (b.end - b.start) || compareOccurrences(a, b),
    );
  const changedNow = isoUtc(now);

  const warnings: PlanWarning[] = [];
  const gaps: Gap[] = [];
  const choices = new Map<string, SeatChoice[]>();

  // The past stays exactly as recorded.
  const previousById = new Map(previous.entries.map((entry) => [entry.id, entry]));
  const past: ScheduleEntry[] = [];
  const previousFuture: ScheduleEntry[] = [];
  for (const entry of previous.entries) {
    const start = parseIsoInstant(entry.start) ?? Number.NaN;
    (start < now ? past : previousFuture).push(entry);
  }

  const states: State[] = team.members.map((member) => ({
    member,
    served: 0,
    away: 0,
    version: 0,
    assignments: [],
    parked: false,
    gone: false,
    newcomer: false,
  }));
  const stateOf = (id: string) => {
    const member = team.byId.get(id);
    return member ? (states[member.index] as State) : undefined;
  };

  // History: counts for fairness; recent entries also for gaps and overlaps.
  const maxGap = Math.max(0, ...team.members.map((m) => m.gapDays));
  let origin = today;
  const seatDays: SeatDay[] = [];
  for (const entry of past) {
    const day = toDay(entry.date);
    origin = Math.min(origin, day);
    const roles = shiftById.get(entry.shift)?.seats ?? entry.people.map(() => ANY_ROLE);
    seatDays.push({ day, shift: entry.shift, roles });
    const recent = day >= today - maxGap - 2;
    const start = recent ? (parseIsoInstant(entry.start) ?? 0) : 0;
    const end = recent ? (parseIsoInstant(entry.end) ?? 0) : 0;
    for (const id of entry.people) {
      const state = stateOf(id);
      if (!state) continue;
      state.served++;
      if (recent) state.assignments.push({ start, end, day, id: entry.id });
    }
  }
  for (const state of states) state.assignments.sort((a, b) => a.start - b.start);
  const servedBefore = states.map((state) => state.served);
  for (const o of occurrences)
    seatDays.push({ day: o.day, shift: o.shift.id, roles: o.shift.seats });
  const fair = new FairShare(team, seatDays, origin, until + 1);

  // Fixed seats: kept assignments and swaps, decided before any new choice.
  const fixed = new Map<string, (Member | undefined)[]>();
  const how = new Map<string, SeatHow[]>();
  const reasons = new Map<string, string[]>();
  const note = (id: string, reason: string) => {
    const list = reasons.get(id) ?? [];
    list.push(reason);
    reasons.set(id, list);
  };
  const unavailableFor = (member: Member, o: Occurrence): Absence | undefined =>
    absenceOn(member, o.day) ?? (o.lastDay === o.day ? undefined : absenceOn(member, o.lastDay));

  const swapsByOccurrence = new Map<string, NonNullable<Roster["swaps"]>>();
  for (const swap of roster.swaps ?? []) {
    const id = `${swap.date}/${swap.shift}`;
    swapsByOccurrence.set(id, [...(swapsByOccurrence.get(id) ?? []), swap]);
  }
  const occurrenceIds = new Set(occurrences.map((o) => o.id));
  const pastIds = new Set(past.map((entry) => entry.id));
  for (const swap of roster.swaps ?? []) {
    const id = `${swap.date}/${swap.shift}`;
    const day = toDay(swap.date);
    if (occurrenceIds.has(id) || day < today - 1 || day >= until) continue;
    if (!pastIds.has(id)) {
      const why = closed.reason(day);
      warnings.push({
        id,
        message: `swap ${swap.out} → ${swap.in} on ${id} does not apply: ${why ? `the day is closed (${why})` : "there is no such occurrence"}`,
      });
    }
  }

  // A fixed seat is reserved first (so overlaps and gaps see it) and counted
  // when the plan reaches it: fairness is decided in time order, so a seat far
  // ahead does not make its holder yield the seats before it.
  const reserve = (state: State, o: Occurrence) => {
    insertSorted(state.assignments, { start: o.start, end: o.end, day: o.day, id: o.id });
  };
  const unreserve = (state: State, o: Occurrence) => {
    removeAssignment(state.assignments, o.id);
  };
  const assign = (state: State, o: Occurrence) => {
    state.served++;
    reserve(state, o);
  };
  const unassign = (state: State, o: Occurrence) => {
    state.served--;
    unreserve(state, o);
  };

  for (const o of occurrences) {
    const roles = o.shift.seats;
    const prev = input.rebalance ? undefined : previousById.get(o.id);
    const candidates: Member[] = [];
    for (const id of prev?.people ?? []) {
      const state = stateOf(id);
      if (!state) {
        note(o.id, `${id} is no longer in the roster`);
        continue;
      }
      const member = state.member;
      const absence = unavailableFor(member, o);
      if (absence) {
        note(o.id, `${id} ${describeAbsence(absence)}`);
        continue;
      }
      if (member.shifts && !member.shifts.has(o.shift.id)) {
        note(o.id, `${id} no longer takes shift ${o.shift.id}`);
        continue;
      }
      const clash = overlapping(state.assignments, o.start, o.end, o.id);
      if (clash) {
        note(o.id, `${id} is on ${clash.id} at the same time`);
        continue;
      }
      candidates.push(member);
    }
    const seats = matchSeats(roles, candidates, o.shift.id);
    for (const member of candidates) {
      if (!seats.includes(member)) note(o.id, `${member.id} cannot fill any seat of ${o.shift.id}`);
    }
    const seatHow: SeatHow[] = seats.map((member) => (member ? "kept" : "open"));

    // Swaps: `in` serves instead of `out`: in out's seat when out is on it,
    // else in a free seat `in` can fill (a fresh plan never had out on it).
    for (const swap of swapsByOccurrence.get(o.id) ?? []) {
      const incoming = stateOf(swap.in);
      const inIndex = seats.findIndex((member) => member?.id === swap.in);
      if (inIndex !== -1) {
        // Applied already: keep it, and keep `out` off it.
        seatHow[inIndex] = "swap";
        const outIndex = seats.findIndex((member) => member?.id === swap.out);
        if (outIndex !== -1) {
          seats[outIndex] = undefined;
          seatHow[outIndex] = "open";
        }
        continue;
      }
      const outIndex = seats.findIndex((member) => member?.id === swap.out);
      const seat =
        outIndex !== -1
          ? outIndex
          : roles.findIndex(
              (role, s) =>
                !seats[s] && incoming !== undefined && canFill(incoming.member, o.shift.id, role),
            );
      const role = roles[seat];
      const absence = incoming ? unavailableFor(incoming.member, o) : undefined;
      const problem = !incoming
        ? `${swap.in} is not in the roster`
        : seat === -1 || role === undefined
          ? `${swap.in} can fill no free seat on it`
          : !canFill(incoming.member, o.shift.id, role)
            ? `${swap.in} cannot fill a ${role} seat`
            : absence
              ? `${swap.in} ${describeAbsence(absence)}`
              : overlapping(incoming.assignments, o.start, o.end, o.id)
                ? `${swap.in} is on another shift at the same time`
                : undefined;
      if (problem || !incoming) {
        warnings.push({
          id: o.id,
          person: swap.in,
          message: `swap ${swap.out} → ${swap.in} on ${o.id} cannot apply: ${problem}${outIndex !== -1 ? `; ${swap.out} stays on it` : ""}`,
        });
        continue;
      }
      seats[seat] = incoming.member;
      seatHow[seat] = "swap";
    }
    seats.forEach((member) => {
      if (member) reserve(states[member.index] as State, o);
    });
    fixed.set(o.id, seats);
    how.set(o.id, seatHow);
  }

  // Newcomers: a first shift within their first days, beside a pair_with person.
  const newcomers = roster.rules?.newcomers;
  const pairRole = newcomers?.pair_with;
  const holdsPair = (member: Member | undefined) =>
    pairRole !== undefined && member?.roles.has(pairRole) === true;
  /** Whether someone with the pair role sits on the occurrence, other than in `exceptSeat`. */
  /** A pair: holds the pair_with role and is not a newcomer themselves. */
  const canPair = (member: Member | undefined) =>
    holdsPair(member) && !(states[(member as Member).index] as State).newcomer;
  /** Whether a pair sits on the occurrence, other than in `exceptSeat`. */
  const isPaired = (seats: (Member | undefined)[], exceptSeat: number) =>
    pairRole === undefined || seats.some((member, s) => s !== exceptSeat && canPair(member));
  const isSwappedOut = (o: Occurrence, member: Member) =>
    (swapsByOccurrence.get(o.id) ?? []).some((swap) => swap.out === member.id);
  /** Members of the pools that hold the pair role: the only ones who can pair. */
  const pairPools = team.pools.filter((pool) => pairRole !== undefined && pool.roles.has(pairRole));
  /**
   * A free seat beside a newcomer that someone with the pair role could take
   * (available, and free at that time); the person is chosen, by fair share,
   * when the plan reaches the occurrence.
   */
  const pairFor = (
    o: Occurrence,
    seats: (Member | undefined)[],
    newcomerSeat: number,
    newcomer: Member,
  ) => {
    // One pair serves every newcomer on it: a seat kept for a pair stays the one.
    const kept = pairSeats.get(o.id);
    for (let t = 0; t < o.shift.seats.length; t++) {
      const role = o.shift.seats[t] as string;
      if (t === newcomerSeat || seats[t] || (kept !== undefined && t !== kept)) continue;
      for (const pool of pairPools) {
        if (!canFill(pool, o.shift.id, role)) continue;
        for (const m of pool.members) {
          if (m === newcomer || seats.includes(m) || unavailableFor(m, o) || isSwappedOut(o, m)) {
            continue;
          }
          if ((states[m.index] as State).newcomer) continue; // learning too
          if (overlapping((states[m.index] as State).assignments, o.start, o.end)) continue;
          return { seat: t };
        }
      }
    }
    return undefined;
  };
  /** A newcomer's first shift must be beside a pair_with person. */
  const isFirstShift = (state: State, o: Occurrence) =>
    state.newcomer && !state.assignments.some((a) => a.start < o.start);
  const fixedSeats = occurrences.map((o) => fixed.get(o.id));
  const fixedHow = occurrences.map((o) => how.get(o.id));
  /** The index of the first occurrence on or after a day (occurrences are in day order). */
  const firstOnOrAfter = (day: Day) => {
    let lo = 0;
    let hi = occurrences.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((occurrences[mid] as Occurrence).day < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Occurrences where a newcomer waits for a pair_with person, and the seat for them. */
  const pairSeats = new Map<string, number>();
  if (newcomers) {
    const window = newcomers.first_shift_within_days;
    const due = states
      .filter(
        (state) =>
          state.member.joined !== undefined &&
          servedBefore[state.member.index] === 0 &&
          today < (state.member.joined as Day) + window,
      )
      .sort(
        (a, b) =>
          (a.member.joined as Day) - (b.member.joined as Day) || a.member.hash - b.member.hash,
      );
    for (const state of due) state.newcomer = true;
    for (const state of due) {
      const member = state.member;
      const deadline = (member.joined as Day) + window;
      if (state.assignments.some((a) => a.day < deadline)) continue; // kept from before
      // Occurrences are in day order: from the joining day to the deadline.
      const first = firstOnOrAfter(member.joined as Day);
      let placed = false;
      for (const allowSteal of [false, true]) {
        for (let i = first; i < occurrences.length && !placed; i++) {
          const o = occurrences[i] as Occurrence;
          if (o.day >= deadline) break;
          const seats = fixedSeats[i] as (Member | undefined)[];
          // The first pass tries free seats; the second only kept ones (the
          // free seats failed in the first pass and nothing changed since).
          if (!allowSteal && !seats.includes(undefined)) continue;
          if (allowSteal && !(fixedHow[i] as SeatHow[]).includes("kept")) continue;
          if (unavailableFor(member, o) || (member.shifts && !member.shifts.has(o.shift.id))) {
            continue;
          }
          if (overlapping(state.assignments, o.start, o.end) || isSwappedOut(o, member)) continue;
          const seatHow = fixedHow[i] as SeatHow[];
          const roles = o.shift.seats;
          const keptForPair = pairSeats.get(o.id); // another newcomer's pair sits there
          for (let s = 0; s < seats.length && !placed; s++) {
            const holder = seats[s];
            if (s === keptForPair || !canFill(member, o.shift.id, roles[s] as string)) continue;
            // Only a kept seat can be taken, and never a pair's or another newcomer's first shift.
            if (
              holder &&
              (!allowSteal ||
                seatHow[s] !== "kept" ||
                holdsPair(holder) ||
                isFirstShift(states[holder.index] as State, o))
            ) {
              continue;
            }
            // Beside a pair_with person: one already on it, or one who can take a
            // free seat (chosen when the plan reaches it, by fair share).
            let pairSeat: number | undefined;
            if (!isPaired(seats, s)) {
              pairSeat = pairFor(o, seats, s, member)?.seat;
              if (pairSeat === undefined) continue;
            }
            if (holder) {
              unreserve(states[holder.index] as State, o);
              note(o.id, `newcomer ${member.id} takes ${holder.id}'s seat for their first shift`);
            }
            seats[s] = member;
            seatHow[s] = "newcomer";
            reserve(state, o);
            if (pairSeat !== undefined) pairSeats.set(o.id, pairSeat);
            placed = true;
          }
        }
        if (placed) break;
      }
      // A window reaching past the horizon may still be met by a later plan.
      if (!placed && deadline <= until) {
        warnings.push({
          person: member.id,
          message: `newcomer ${member.id} has no shift within ${window} days of joining (${fromDay(member.joined as Day)}): no occurrence before ${fromDay(deadline)} where they are available${pairRole ? ` beside a ${pairRole}` : ""}`,
        });
      }
    }
  }

  const newcomerIds: ReadonlySet<string> = new Set(
    states.filter((state) => state.newcomer).map((state) => state.member.id),
  );

  // Quotas: who owes a turn in the current period, and until when.
  const quotaPeriodStarts = new Set<Day>();
  const refreshQuota = (state: State, day: Day) => {
    const quota = state.member.quota;
    if (!quota) return;
    const period = periodOf(quota, day);
    const has = state.assignments.some((a) => a.day >= period.start && a.day < period.end);
    if (has) {
      state.dueUntil = undefined;
      state.dueSince = undefined;
      return;
    }
    const left = state.member.left;
    state.dueUntil = Math.min(period.end, left === undefined ? period.end : left + 1);
    state.dueSince = day;
  };
  const specs = new Map<string, NonNullable<Member["quota"]>>();
  for (const member of team.members) {
    if (member.quota) specs.set(`${member.quota.count} ${member.quota.unit}`, member.quota);
  }
  for (const quota of specs.values()) {
    for (let day = periodOf(quota, today).end; day < until; day = periodOf(quota, day).end) {
      quotaPeriodStarts.add(day);
    }
  }
  warnings.push(...quotaFeasibility(team, fair, occurrences, fixed, today, until));

  // Heaps: per pool, those who owe a quota turn (by deadline) and everyone else (by share).
  const dueHeaps = team.pools.map(() => new TinyQueue<HeapEntry>([], byDeadline));
  const fairHeaps = team.pools.map(() => new TinyQueue<HeapEntry>([], byKey));
  const parked = new TinyQueue<{ state: State; day: Day; version: number }>(
    [],
    (a, b) => a.day - b.day || a.state.member.index - b.state.member.index,
  );
  const keyOf = (state: State) => state.served / state.member.weight + state.away;
  const entryOf = (state: State): HeapEntry => {
    state.version++;
    state.parked = false;
    return {
      member: state.member,
      key: keyOf(state),
      deadline: state.dueUntil ?? Number.POSITIVE_INFINITY,
      version: state.version,
    };
  };
  const push = (state: State) => {
    const entry = entryOf(state);
    (state.dueUntil !== undefined ? dueHeaps : fairHeaps)[state.member.pool]?.push(entry);
  };
  /**
   * Puts everyone in `states` (not parked or gone) afresh: the heaps are
   * rebuilt in linear time, dropping every outdated entry, rather than taking
   * one push each (a new quota period makes nearly everyone due again).
   */
  const pushAll = (fresh: State[]) => {
    const due = team.pools.map((_, pool) => (dueHeaps[pool] as TinyQueue<HeapEntry>).data);
    const rest = team.pools.map((_, pool) => (fairHeaps[pool] as TinyQueue<HeapEntry>).data);
    for (const state of fresh) {
      const entry = entryOf(state);
      (state.dueUntil !== undefined ? due : rest)[state.member.pool]?.push(entry);
    }
    const current = (entry: HeapEntry) => {
      const state = states[entry.member.index] as State;
      return entry.version === state.version && !state.parked && !state.gone;
    };
    for (let pool = 0; pool < team.pools.length; pool++) {
      dueHeaps[pool] = new TinyQueue((due[pool] as HeapEntry[]).filter(current), byDeadline);
      fairHeaps[pool] = new TinyQueue((rest[pool] as HeapEntry[]).filter(current), byKey);
    }
  };
  const park = (state: State, day: Day) => {
    state.version++;
    state.parked = true;
    parked.push({ state, day, version: state.version });
  };
  const release = (day: Day) => {
    while (parked.length > 0 && (parked.peek() as { day: Day }).day <= day) {
      const item = parked.pop() as { state: State; day: Day; version: number };
      if (item.version !== item.state.version || item.state.gone) continue;
      item.state.away = fair.creditWhileAway(item.state.member, day);
      refreshQuota(item.state, day);
      push(item.state);
    }
  };

  const present: State[] = [];
  for (const state of states) {
    const absence = absenceOn(state.member, today);
    if (absence?.kind === "left") {
      state.gone = true;
      continue;
    }
    state.away = fair.creditWhileAway(state.member, today);
    refreshQuota(state, today);
    if (absence) park(state, absence.until);
    else present.push(state);
  }
  pushAll(present);

  const periodStarts = [...quotaPeriodStarts].sort((a, b) => a - b);
  let nextPeriod = 0;
  let explained: Explanation | undefined;

  const newEntries: ScheduleEntry[] = [];
  const decided: { o: Occurrence; seats: (Member | undefined)[]; seatHow: SeatHow[] }[] = [];
  let openDecided: typeof decided | undefined;
  for (const o of occurrences) {
    while (nextPeriod < periodStarts.length && (periodStarts[nextPeriod] as Day) <= o.day) {
      const boundary = periodStarts[nextPeriod] as Day;
      nextPeriod++;
      const renewed: State[] = [];
      for (const state of states) {
        if (!state.member.quota || state.gone) continue;
        const wasDue = state.dueUntil !== undefined;
        refreshQuota(state, boundary);
        if (!state.parked && (wasDue || state.dueUntil !== undefined)) renewed.push(state);
      }
      pushAll(renewed);
    }
    release(o.day);

    const seats = fixed.get(o.id) as (Member | undefined)[];
    const seatHow = how.get(o.id) as SeatHow[];
    for (const member of seats) {
      if (!member) continue;
      const state = states[member.index] as State;
      state.served++;
      refreshQuota(state, o.day);
      if (!state.parked && !state.gone) push(state);
    }
    const swappedOut = new Set((swapsByOccurrence.get(o.id) ?? []).map((swap) => swap.out));
    const pairSeat = pairSeats.get(o.id);
    // The pair is someone with the role who is not a newcomer too.
    if (pairSeat !== undefined && !seats[pairSeat] && !isPaired(seats, -1)) {
      const role = o.shift.seats[pairSeat] as string;
      const pools = fair
        .poolsFor(o.shift.id, role)
        .filter((pool) => team.pools[pool]?.roles.has(pairRole as string));
      const notPairs =
        swappedOut.size === 0 ? newcomerIds : new Set([...swappedOut, ...newcomerIds]);
      const pick = pickFor(o, pairSeat, role, seats, notPairs, pools);
      if (pick) {
        seats[pairSeat] = pick.state.member;
        seatHow[pairSeat] = pick.how === "gap-relaxed" ? pick.how : "pair";
        assign(pick.state, o);
        refreshQuota(pick.state, o.day);
        push(pick.state);
      }
    }
    // Seats for a specific role first, so `any` seats see who the pair is.
    const order = o.shift.seats
      .map((role, s) => ({ role, s }))
      .sort((a, b) => Number(a.role === ANY_ROLE) - Number(b.role === ANY_ROLE) || a.s - b.s);
    reseat(o.shift.seats, seats, seatHow, o.shift.id);
    // Fill the open seats; re-seating may open a seat of another role, so try again.
    for (let round = 0; round <= seats.length; round++) {
      let filled = false;
      for (const { role, s } of order) {
        if (seats[s]) continue;
        const pick = pickFor(o, s, role, seats, swappedOut);
        if (!pick) {
          seatHow[s] = "open";
          continue;
        }
        seats[s] = pick.state.member;
        seatHow[s] = pick.how;
        assign(pick.state, o);
        refreshQuota(pick.state, o.day);
        push(pick.state);
        filled = true;
      }
      if (!reseat(o.shift.seats, seats, seatHow, o.shift.id) || !seats.includes(undefined)) break;
      if (!filled && round > 0) break;
    }
    for (let s = 0; s < seats.length; s++) {
      if (seats[s]) continue;
      gaps.push({
        id: o.id,
        date: o.date,
        shift: o.shift.id,
        seat: s,
        role: o.shift.seats[s] as string,
        reason: gapReason(o, o.shift.seats[s] as string, seats),
      });
    }
    for (let s = 0; s < seats.length; s++) {
      const member = seats[s];
      if (member && seatHow[s] === "newcomer" && !isPaired(seats, -1)) {
        warnings.push({
          id: o.id,
          person: member.id,
          message: `newcomer ${member.id}'s first shift ${o.id} has nobody with role ${pairRole} beside them`,
        });
      }
    }
    if (input.explain === o.id) explained = explain(o, seats, seatHow);
    decided.push({ o, seats, seatHow });
    if (input.onProgress && decided.length % 256 === 0) {
      input.onProgress(decided.length, occurrences.length);
    }
  }

  equalizeTwins();
  fillLateOpenings();
  const finalPeople = new Map(decided.map((d) => [d.o.id, d.seats]));
  // A relaxed gap is only worth a warning if that person still serves then.
  for (let i = warnings.length - 1; i >= 0; i--) {
    const w = warnings[i] as PlanWarning;
    if (!w.message.startsWith("min_gap_days relaxed") || !w.id) continue;
    if (!finalPeople.get(w.id)?.some((m) => m?.id === w.person)) warnings.splice(i, 1);
  }
  for (const { o, seats, seatHow } of decided) {
    choices.set(
      o.id,
      seats.map((member, s) => ({
        seat: s,
        role: o.shift.seats[s] as string,
        ...(member ? { person: member.id } : {}),
        how: seatHow[s] as SeatHow,
      })),
    );
    if (input.explain === o.id && explained && !explained.past) {
      explained = { ...explained, seats: choices.get(o.id) as SeatChoice[] };
    }
    newEntries.push(entryFor(o, seats));
  }

  /**
   * People alike in every respect the planner sees (pool, weight, dates,
   * time off, gap and quota rules) should end within one shift of each
   * other. Choosing seat by seat can leave two of them further apart (when
   * the one not chosen for a long shift takes two short ones instead), so
   * seats chosen in this plan move from the one with most to the one with
   * fewest where that breaks no rule. Kept, swapped and newcomer seats
   * never move.
   */
  function equalizeTwins(): void {
    openDecided = undefined;
    const byId = new Map(decided.map((d) => [d.o.id, d]));
    const groups = new Map<string, State[]>();
    for (const state of states) {
      const m = state.member;
      const key = `${m.pool}|${m.weight}|${m.joined}|${m.left}|${m.away.map((a) => `${a.from}-${a.to}`).join(",")}|${m.gapDays}|${m.quotaText}|${state.newcomer}`;
      const group = groups.get(key);
      if (group) group.push(state);
      else groups.set(key, [state]);
    }
    const movable: ReadonlySet<SeatHow> = new Set(["fair", "quota", "gap-relaxed"]);
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      for (let round = 0; round < 10 * group.length; round++) {
        const sorted = [...group].sort(
          (a, b) =>
            b.served - a.served || a.member.hash - b.member.hash || a.member.index - b.member.index,
        );
        const top = (sorted[0] as State).served;
        const bottom = (sorted[sorted.length - 1] as State).served;
        if (top - bottom < 2) break;
        // A few of those with most to a few of those with fewest: the first
        // pair may be stuck where another is not.
        const tops = sorted.filter((a) => a.served === top).slice(0, 3);
        const bottoms = sorted.filter((b) => b.served === bottom).slice(-3);
        const pairs = tops.flatMap((most) => bottoms.map((fewest) => [most, fewest] as const));
        const steps = [
          (most: State, fewest: State) => moveOne(most, fewest, byId, movable, true),
          (most: State, fewest: State) => exchange(most, fewest, byId, movable),
          (most: State, fewest: State) => swapTails(most, fewest, byId, movable),
          // Fairness between equals is a promise; min_gap_days holds where it can.
          (most: State, fewest: State) => moveOne(most, fewest, byId, movable, false),
        ];
        const moved = steps.some((step) => pairs.some(([most, fewest]) => step(most, fewest)));
        if (!moved) break;
      }
    }
  }

  /**
   * Seats left open that someone can take now the whole plan is known: a
   * newcomer whose first shift turned out to start earlier (a shift in
   * another zone, decided later the same day), or a person freed by the
   * evening out. Filled here, so that planning again from this plan keeps it
   * as it is. Whoever owes a quota turn first, then whoever is furthest below
   * their share, then the stable hash; min_gap_days relaxed only if nobody
   * else can.
   */
  function fillLateOpenings(): void {
    for (let round = 0; round < 3; round++) {
      let filled = false;
      for (const d of decided) {
        const { o, seats, seatHow } = d;
        if (!seats.includes(undefined)) continue;
        const swappedOut = new Set((swapsByOccurrence.get(o.id) ?? []).map((swap) => swap.out));
        for (let s = 0; s < seats.length; s++) {
          if (seats[s]) continue;
          const role = o.shift.seats[s] as string;
          let best: { state: State; near: Assignment | undefined } | undefined;
          for (const pool of fair.poolsFor(o.shift.id, role)) {
            for (const member of team.pools[pool]?.members ?? []) {
              const state = states[member.index] as State;
              if (
                seats.includes(member) ||
                swappedOut.has(member.id) ||
                unavailableFor(member, o) ||
                overlapping(state.assignments, o.start, o.end) ||
                (isFirstShift(state, o) && !isPaired(seats, s))
              ) {
                continue;
              }
              const near = withinGap(state.assignments, o.day, member.gapDays);
              if (!best || lateBetter(o, { state, near }, best)) best = { state, near };
            }
          }
          if (!best) continue;
          const { state, near } = best;
          seats[s] = state.member;
          seatHow[s] = near ? "gap-relaxed" : state.dueUntil !== undefined ? "quota" : "fair";
          assign(state, o);
          refreshQuota(state, o.day);
          if (near) {
            warnings.push({
              id: o.id,
              person: state.member.id,
              message: `min_gap_days relaxed: ${state.member.id} serves ${o.id} within ${state.member.gapDays} days of ${near.id}, as nobody else can`,
            });
          }
          const gap = gaps.findIndex((g) => g.id === o.id && g.seat === s);
          if (gap !== -1) gaps.splice(gap, 1);
          if (input.explain === o.id) explained = explain(o, seats, seatHow);
          filled = true;
        }
      }
      if (!filled) return;
    }
  }

  /** The order of fillLateOpenings: no gap breach, quota deadline, share, hash. */
  function lateBetter(
    o: Occurrence,
    a: { state: State; near: Assignment | undefined },
    b: { state: State; near: Assignment | undefined },
  ): boolean {
    if (!a.near !== !b.near) return !a.near;
    const deadline = (x: State) => x.dueUntil ?? Number.POSITIVE_INFINITY;
    if (deadline(a.state) !== deadline(b.state)) return deadline(a.state) < deadline(b.state);
    const score = (x: State) => fair.credit(x.member.pool, o.day) - keyOf(x);
    if (score(a.state) !== score(b.state)) return score(a.state) > score(b.state);
    if (a.state.member.hash !== b.state.member.hash)
      return a.state.member.hash < b.state.member.hash;
    return a.state.member.index < b.state.member.index;
  }

  /**
   * Whether a move that takes `state` off `vacated` (leaving them on `after`)
   * frees them for a seat this plan left open: the next plan would fill it,
   * so this one would not be the plan it makes again from itself. Only time
   * overlaps change by a move; min_gap_days never kept a seat open, as it is
   * relaxed where nobody else can serve.
   */
  function freesOpenSeat(state: State, after: Assignment[], vacated: Occurrence[]): boolean {
    openDecided ??= decided.filter((d) => d.seats.includes(undefined));
    const open = openDecided;
    const member = state.member;
    return vacated.some((x) =>
      open.some(
        ({ o, seats }) =>
          o.start < x.end &&
          o.end > x.start &&
          !seats.includes(member) &&
          seats.some(
            (held, s) => !held && canFill(member, o.shift.id, o.shift.seats[s] as string),
          ) &&
          !unavailableFor(member, o) &&
          !isSwappedOut(o, member) &&
          !overlapping(after, o.start, o.end),
      ),
    );
  }

  /**
   * The latest seat of the busiest twin that the least busy can take: free
   * then, not swapped out, the busiest keeping their quota. When `strict`, no
   * new min_gap_days breach (unless the seat already was one); otherwise a
   * breach is allowed and said in a warning.
   */
  function moveOne(
    most: State,
    fewest: State,
    byId: Map<string, { o: Occurrence; seats: (Member | undefined)[]; seatHow: SeatHow[] }>,
    movable: ReadonlySet<SeatHow>,
    strict: boolean,
  ): boolean {
    for (let i = most.assignments.length - 1; i >= 0; i--) {
      const a = most.assignments[i] as Assignment;
      const d = byId.get(a.id);
      if (!d) continue;
      const s = d.seats.indexOf(most.member);
      if (s === -1 || !movable.has(d.seatHow[s] as SeatHow) || d.seats.includes(fewest.member)) {
        continue;
      }
      if (overlapping(fewest.assignments, d.o.start, d.o.end)) continue;
      const near = withinGap(fewest.assignments, d.o.day, fewest.member.gapDays);
      if (near && strict && d.seatHow[s] !== "gap-relaxed") continue;
      if (isSwappedOut(d.o, fewest.member)) continue;
      if (!keepsQuota(most, [a.id], [])) continue;
      const rest = most.assignments.filter((b) => b !== a);
      if (freesOpenSeat(most, rest, [d.o])) continue;
      d.seats[s] = fewest.member;
      unassign(most, d.o);
      assign(fewest, d.o);
      if (near) {
        d.seatHow[s] = "gap-relaxed";
        warnings.push({
          id: d.o.id,
          person: fewest.member.id,
          message: `min_gap_days relaxed: ${fewest.member.id} serves ${d.o.id} within ${fewest.member.gapDays} days of ${near.id}, to keep the load even`,
        });
      }
      return true;
    }
    return false;
  }

  /**
   * The last resort for two twins: from some day on, each takes the other's
   * seats. They are alike in every rule, so each keeps a valid rota; the day is
   * chosen so that they end closer, and only where the seats that
   * change hands were all chosen in this plan and nothing breaks where the two
   * halves meet (overlaps, min_gap_days, quotas).
   */
  function swapTails(
    most: State,
    fewest: State,
    byId: Map<string, { o: Occurrence; seats: (Member | undefined)[]; seatHow: SeatHow[] }>,
    movable: ReadonlySet<SeatHow>,
  ): boolean {
    const planned = (state: State) => state.assignments.filter((a) => byId.has(a.id));
    const days = [...new Set([...planned(most), ...planned(fewest)].map((a) => a.day))].sort(
      (a, b) => b - a,
    );
    // An occurrence both are on stays as it is: their seats would trade places.
    const shared = new Set(
      planned(most)
        .map((a) => a.id)
        .filter((id) => fewest.assignments.some((b) => b.id === id)),
    );
    for (const cut of days) {
      const tailA = planned(most).filter((a) => a.day >= cut && !shared.has(a.id));
      const tailB = planned(fewest).filter((a) => a.day >= cut && !shared.has(a.id));
      const after =
        most.served - tailA.length + tailB.length - (fewest.served - tailB.length + tailA.length);
      if (Math.abs(after) >= most.served - fewest.served) continue;
      const seatsOk = [
        ...tailA.map((a) => [a, most, fewest] as const),
        ...tailB.map((a) => [a, fewest, most] as const),
      ].every(([a, from, to]) => {
        const d = byId.get(a.id);
        if (!d) return false;
        const seat = d.seats.indexOf(from.member);
        return (
          seat !== -1 &&
          movable.has(d.seatHow[seat] as SeatHow) &&
          !d.seats.includes(to.member) &&
          !isSwappedOut(d.o, to.member)
        );
      });
      if (!seatsOk) continue;
      const headA = most.assignments.filter((a) => !tailA.includes(a));
      const headB = fewest.assignments.filter((a) => !tailB.includes(a));
      // A seat that already broke min_gap_days may break it for the other twin.
      const relaxed = (a: Assignment, holder: State) => {
        const d = byId.get(a.id) as { seats: (Member | undefined)[]; seatHow: SeatHow[] };
        return d.seatHow[d.seats.indexOf(holder.member)] === "gap-relaxed";
      };
      const fits = (head: Assignment[], tail: Assignment[], holder: State, gap: number) =>
        tail.every(
          (a) =>
            !overlapping(head, a.start, a.end) &&
            (!withinGap(head, a.day, gap) || relaxed(a, holder)),
        );
      if (
        !fits(headA, tailB, fewest, most.member.gapDays) ||
        !fits(headB, tailA, most, fewest.member.gapDays)
      ) {
        continue;
      }
      if (
        !keepsQuota(
          most,
          tailA.map((a) => a.id),
          tailB.map((a) => a.day),
        ) ||
        !keepsQuota(
          fewest,
          tailB.map((a) => a.id),
          tailA.map((a) => a.day),
        )
      ) {
        continue;
      }
      const merged = (head: Assignment[], tail: Assignment[]) =>
        [...head, ...tail].sort((a, b) => a.start - b.start);
      const occurrencesOf = (tail: Assignment[]) =>
        tail.map((a) => (byId.get(a.id) as { o: Occurrence }).o);
      if (
        freesOpenSeat(most, merged(headA, tailB), occurrencesOf(tailA)) ||
        freesOpenSeat(fewest, merged(headB, tailA), occurrencesOf(tailB))
      ) {
        continue;
      }
      for (const [tail, from, to] of [
        [tailA, most, fewest],
        [tailB, fewest, most],
      ] as const) {
        for (const a of tail) {
          const d = byId.get(a.id) as { o: Occurrence; seats: (Member | undefined)[] };
          d.seats[d.seats.indexOf(from.member)] = to.member;
          unassign(from, d.o);
        }
      }
      for (const [tail, to] of [
        [tailA, fewest],
        [tailB, most],
      ] as const) {
        for (const a of tail) assign(to, (byId.get(a.id) as { o: Occurrence }).o);
      }
      return true;
    }
    return false;
  }

  /** Whether a person still serves in every quota period they lose a seat in. */
  function keepsQuota(state: State, removed: string[], addedDays: Day[]): boolean {
    const quota = state.member.quota;
    if (!quota) return true;
    const days = [
      ...state.assignments.filter((a) => !removed.includes(a.id)).map((a) => a.day),
      ...addedDays,
    ];
    return state.assignments
      .filter((a) => removed.includes(a.id))
      .every((a) => {
        const period = periodOf(quota, a.day);
        return days.some((day) => day >= period.start && day < period.end);
      });
  }

  /**
   * Shifts from the busiest twin to the least busy by an exchange: the least
   * busy gives up one seat and takes the two or more the busiest held at that
   * time (a whole-day shift for two short ones). Both must be free for what
   * they take, and no new min_gap_days breach may appear.
   */
  function exchange(
    most: State,
    fewest: State,
    byId: Map<string, { o: Occurrence; seats: (Member | undefined)[]; seatHow: SeatHow[] }>,
    movable: ReadonlySet<SeatHow>,
  ): boolean {
    const seatOf = (d: { seats: (Member | undefined)[] }, m: Member) => d.seats.indexOf(m);
    for (let i = fewest.assignments.length - 1; i >= 0; i--) {
      const given = byId.get((fewest.assignments[i] as Assignment).id);
      if (!given) continue;
      const gs = seatOf(given, fewest.member);
      if (
        gs === -1 ||
        !movable.has(given.seatHow[gs] as SeatHow) ||
        given.seats.includes(most.member)
      )
        continue;
      // What the busiest holds at that time: two or more seats, all movable,
      // and not so many that the two would trade places.
      const conflicts = most.assignments.filter(
        (a) => a.start < given.o.end && a.end > given.o.start,
      );
      const gain = conflicts.length - 1;
      if (gain < 1 || 2 * gain > most.served - fewest.served + 1) continue;
      const taken = conflicts.map((a) => byId.get(a.id));
      if (
        taken.some(
          (d) =>
            !d ||
            d.seats.includes(fewest.member) ||
            !movable.has(d.seatHow[seatOf(d, most.member)] as SeatHow),
        )
      ) {
        continue;
      }
      const others = fewest.assignments.filter((a) => a.id !== given.o.id);
      const fits = (taken as { o: Occurrence }[]).every(
        ({ o }) => !overlapping(others, o.start, o.end),
      );
      if (!fits) continue;
      const relaxed = (d: { seatHow: SeatHow[] }, seat: number) =>
        d.seatHow[seat] === "gap-relaxed";
      const gapOk =
        (taken as { o: Occurrence; seats: (Member | undefined)[]; seatHow: SeatHow[] }[]).every(
          (d) =>
            relaxed(d, seatOf(d, most.member)) ||
            !withinGap(others, d.o.day, fewest.member.gapDays),
        ) &&
        (relaxed(given, gs) ||
          !withinGap(
            most.assignments.filter((a) => !conflicts.includes(a)),
            given.o.day,
            most.member.gapDays,
          ));
      if (!gapOk) continue;
      const takenDays = (taken as { o: Occurrence }[]).map(({ o }) => o.day);
      if (
        !keepsQuota(
          most,
          conflicts.map((a) => a.id),
          [given.o.day],
        ) ||
        !keepsQuota(fewest, [given.o.id], takenDays)
      ) {
        continue;
      }
      const byStart = (a: Assignment, b: Assignment) => a.start - b.start;
      const mostAfter = [
        ...most.assignments.filter((a) => !conflicts.includes(a)),
        { start: given.o.start, end: given.o.end, day: given.o.day, id: given.o.id },
      ].sort(byStart);
      const fewestAfter = [...others, ...conflicts].sort(byStart);
      if (
        freesOpenSeat(
          most,
          mostAfter,
          (taken as { o: Occurrence }[]).map(({ o }) => o),
        ) ||
        freesOpenSeat(fewest, fewestAfter, [given.o])
      ) {
        continue;
      }
      for (const d of taken as { o: Occurrence; seats: (Member | undefined)[] }[]) {
        d.seats[seatOf(d, most.member)] = fewest.member;
        unassign(most, d.o);
        assign(fewest, d.o);
      }
      given.seats[gs] = most.member;
      unassign(fewest, given.o);
      assign(most, given.o);
      return true;
    }
    return false;
  }

  function entryFor(o: Occurrence, seats: (Member | undefined)[]): ScheduleEntry {
    const people = seats.filter((m): m is Member => m !== undefined).map((m) => m.id);
    const open = seats.length - people.length;
    const prev = previousById.get(o.id);
    const same =
      prev !== undefined &&
      prev.start === o.startIso &&
      prev.end === o.endIso &&
      (prev.open ?? 0) === open &&
      prev.people.length === people.length &&
      prev.people.every((id, i) => id === people[i]);
    return {
      id: o.id,
      date: o.date,
      shift: o.shift.id,
      start: o.startIso,
      end: o.endIso,
      people,
      ...(open > 0 ? { open } : {}),
      rev: prev ? (same ? prev.rev : prev.rev + 1) : 0,
      changed: same && prev ? prev.changed : changedNow,
    };
  }

  /** Pops entries that cannot take this seat; returns the best valid one of a heap. */
  function bestOf(
    heap: TinyQueue<HeapEntry>,
    o: Occurrence,
    seats: (Member | undefined)[],
    seat: number,
    excluded: ReadonlySet<string>,
    setAside: HeapEntry[],
    gapBlocked: HeapEntry[],
  ): HeapEntry | undefined {
    while (heap.length > 0) {
      const entry = heap.peek() as HeapEntry;
      const state = states[entry.member.index] as State;
      if (entry.version !== state.version || state.gone || state.parked) {
        heap.pop();
        continue;
      }
      const absence = absenceOn(entry.member, o.day);
      if (absence) {
        heap.pop();
        if (absence.kind === "left") state.gone = true;
        else park(state, absence.until);
        continue;
      }
      if (
        // Away only on the day an overnight shift ends: still free for
        // shifts that end sooner, so set aside rather than parked.
        (o.lastDay !== o.day && absenceOn(entry.member, o.lastDay)) ||
        seats.includes(entry.member) ||
        excluded.has(entry.member.id) ||
        overlapping(state.assignments, o.start, o.end) ||
        (isFirstShift(state, o) && !isPaired(seats, seat))
      ) {
        setAside.push(heap.pop() as HeapEntry);
        continue;
      }
      if (withinGap(state.assignments, o.day, entry.member.gapDays)) {
        gapBlocked.push(heap.pop() as HeapEntry);
        continue;
      }
      return entry;
    }
    return undefined;
  }

  function pickFor(
    o: Occurrence,
    seat: number,
    role: string,
    seats: (Member | undefined)[],
    excluded: ReadonlySet<string>,
    pools = fair.poolsFor(o.shift.id, role),
  ): { state: State; how: SeatHow } | undefined {
    const setAside: [TinyQueue<HeapEntry>, HeapEntry][] = [];
    const gapBlocked: [TinyQueue<HeapEntry>, HeapEntry][] = [];
    const score = (entry: HeapEntry) => fair.credit(entry.member.pool, o.day) - entry.key;
    /** Nearest quota deadline, then furthest below the fair share, then the stable hash. */
    const better = (a: HeapEntry, b: HeapEntry) =>
      a.deadline !== b.deadline
        ? a.deadline < b.deadline
        : score(a) !== score(b)
          ? score(a) > score(b)
          : a.member.hash !== b.member.hash
            ? a.member.hash < b.member.hash
            : a.member.index < b.member.index;
    let result: { state: State; how: SeatHow } | undefined;
    for (const [heaps, tier] of [
      [dueHeaps, "quota"],
      [fairHeaps, "fair"],
    ] as const) {
      let best: { entry: HeapEntry; heap: TinyQueue<HeapEntry> } | undefined;
      for (const pool of pools) {
        const heap = heaps[pool] as TinyQueue<HeapEntry>;
        const aside: HeapEntry[] = [];
        const blocked: HeapEntry[] = [];
        const entry = bestOf(heap, o, seats, seat, excluded, aside, blocked);
        for (const e of aside) setAside.push([heap, e]);
        for (const e of blocked) gapBlocked.push([heap, e]);
        if (!entry) continue;
        if (!best || better(entry, best.entry)) best = { entry, heap };
      }
      if (best) {
        best.heap.pop();
        result = { state: states[best.entry.member.index] as State, how: tier };
        break;
      }
    }
    if (!result && gapBlocked.length > 0) {
      // min_gap_days holds wherever it can; here it cannot.
      let best: [TinyQueue<HeapEntry>, HeapEntry] | undefined;
      for (const item of gapBlocked) {
        const [, entry] = item;
        if (!best || better(entry, best[1])) best = item;
      }
      if (best) {
        gapBlocked.splice(gapBlocked.indexOf(best), 1);
        const state = states[best[1].member.index] as State;
        const near = withinGap(state.assignments, o.day, state.member.gapDays);
        warnings.push({
          id: o.id,
          person: state.member.id,
          message: `min_gap_days relaxed: ${state.member.id} serves ${o.id} within ${state.member.gapDays} days of ${near?.id ?? "another shift"}, as nobody else can`,
        });
        result = { state, how: "gap-relaxed" };
      }
    }
    for (const [heap, entry] of [...setAside, ...gapBlocked]) heap.push(entry);
    return result;
  }

  function gapReason(o: Occurrence, role: string, seats: (Member | undefined)[]): string {
    const pools = fair.poolsFor(o.shift.id, role);
    if (pools.length === 0) {
      return role === ANY_ROLE
        ? `nobody may take shift ${o.shift.id}`
        : `nobody holds role ${role}${team.members.some((m) => m.roles.has(role)) ? ` and may take shift ${o.shift.id}` : ""}`;
    }
    const counts = new Map<string, number>();
    const bump = (reason: string) => counts.set(reason, (counts.get(reason) ?? 0) + 1);
    let looked = 0;
    for (const pool of pools) {
      for (const member of team.pools[pool]?.members ?? []) {
        if (++looked > 10_000) break;
        const state = states[member.index] as State;
        const absence = unavailableFor(member, o);
        if (absence)
          bump(
            absence.kind === "away" ? "away" : absence.kind === "left" ? "left" : "not joined yet",
          );
        else if (seats.includes(member)) bump("already on it");
        else if (overlapping(state.assignments, o.start, o.end)) bump("on an overlapping shift");
        else if (isFirstShift(state, o)) bump(`a newcomer without a ${pairRole} beside them`);
        else bump("other");
      }
    }
    const parts = [...counts].map(([reason, count]) => `${count} ${reason}`);
    return `no ${role === ANY_ROLE ? "one" : role} available: ${parts.join(", ")}`;
  }

  function explain(o: Occurrence, seats: (Member | undefined)[], seatHow: SeatHow[]): Explanation {
    const people: Explanation["people"] = team.members.map((member) => {
      const state = states[member.index] as State;
      const base = { id: member.id, name: member.name };
      const seat = seats.indexOf(member);
      if (seat !== -1) {
        return {
          ...base,
          status: "on",
          reason: describeHow(seatHow[seat] as SeatHow, o.shift.seats[seat] as string),
        };
      }
      const swappedOut = (swapsByOccurrence.get(o.id) ?? []).find((swap) => swap.out === member.id);
      if (swappedOut) {
        const why = swappedOut.reason ? ` (${swappedOut.reason})` : "";
        return {
          ...base,
          status: "excluded",
          reason: `swapped out, ${swappedOut.in} serves instead${why}`,
        };
      }
      const fillable = o.shift.seats.filter((role) => canFill(member, o.shift.id, role));
      if (fillable.length === 0) {
        const reason =
          member.shifts && !member.shifts.has(o.shift.id)
            ? `does not take shift ${o.shift.id} (their shifts: ${[...member.shifts].join(", ")})`
            : `holds no role this shift needs (${[...new Set(o.shift.seats)].join(", ")})`;
        return { ...base, status: "excluded", reason };
      }
      const absence = unavailableFor(member, o);
      if (absence)
        return {
          ...base,
          status: "excluded",
          reason: describeAbsence(absence).replace(/^is /, ""),
        };
      const clash = overlapping(state.assignments, o.start, o.end, o.id);
      if (clash) return { ...base, status: "excluded", reason: `on ${clash.id}, which overlaps` };
      const near = withinGap(state.assignments, o.day, member.gapDays, o.id);
      // As of this occurrence: history, and what is planned before it.
      const servedSoFar =
        (servedBefore[member.index] ?? 0) +
        state.assignments.filter((a) => a.start >= now && a.start < o.start).length;
      const deficit =
        fair.credit(member.pool, o.day) * member.weight -
        servedSoFar -
        fair.creditWhileAway(member, o.day) * member.weight;
      const quota = member.quota;
      const quotaDue =
        state.dueUntil !== undefined && state.dueSince !== undefined && quota
          ? `owes a turn in ${describePeriod(quota, state.dueSince)} (every ${member.quotaText})`
          : undefined;
      if (near) {
        return {
          ...base,
          status: "excluded",
          reason: `serves ${near.id}, within min_gap_days (${member.gapDays})`,
          deficit,
          ...(quotaDue ? { quotaDue } : {}),
        };
      }
      if (isFirstShift(state, o) && !isPaired(seats, -1)) {
        return {
          ...base,
          status: "excluded",
          reason: `a newcomer needs a ${pairRole} beside them`,
        };
      }
      return {
        ...base,
        status: "candidate",
        reason: quotaDue ?? "eligible and available",
        deficit,
        ...(quotaDue ? { quotaDue } : {}),
      };
    });
    return {
      id: o.id,
      past: false,
      seats: seats.map((member, s) => ({
        seat: s,
        role: o.shift.seats[s] as string,
        ...(member ? { person: member.id } : {}),
        how: seatHow[s] as SeatHow,
      })),
      people,
    };
  }

  // The new schedule: the past as it was, then the planned window.
  newEntries.sort(
    (a, b) =>
      Date.parse(a.start) - Date.parse(b.start) ||
      (a.shift < b.shift ? -1 : a.shift > b.shift ? 1 : 0),
  );
  const entries = [...sortEntries(past), ...newEntries];

  const changes: Change[] = [];
  const newById = new Map(newEntries.map((entry) => [entry.id, entry]));
  for (const entry of newEntries) {
    const prev = previousById.get(entry.id);
    if (prev && prev.people.join() === entry.people.join()) continue;
    changes.push({
      id: entry.id,
      date: entry.date,
      shift: entry.shift,
      before: prev ? prev.people : null,
      after: entry.people,
      reasons: reasons.get(entry.id) ?? [],
    });
  }
  for (const prev of previousFuture) {
    if (newById.has(prev.id)) continue;
    const day = toDay(prev.date);
    const why = !shiftById.has(prev.shift)
      ? `shift ${prev.shift} is no longer in the roster`
      : closed.reason(day)
        ? `the day is closed (${closed.reason(day)})`
        : day >= until
          ? "beyond the planning horizon"
          : `shift ${prev.shift} no longer runs then`;
    changes.push({
      id: prev.id,
      date: prev.date,
      shift: prev.shift,
      before: prev.people,
      after: null,
      reasons: [why],
    });
  }
  changes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const fairnessFor = (from: Day, to: Day): FairnessRow[] => {
    const counts = new Map<string, number>();
    for (const entry of entries) {
      const day = toDay(entry.date);
      if (day < from || day >= to) continue;
      for (const id of entry.people) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return team.members.map((member) => ({
      id: member.id,
      name: member.name,
      ...(member.team ? { team: member.team } : {}),
      weight: member.weight,
      shifts: counts.get(member.id) ?? 0,
      expected: fair.expected(member, Math.max(from, origin), Math.min(to, until)),
      served: servedBefore[member.index] ?? 0,
    }));
  };
  const fairness = fairnessFor(today, until);

  if (input.explain && !explained) {
    const entry = past.find((e) => e.id === input.explain);
    if (entry) {
      const roles = shiftById.get(entry.shift)?.seats ?? [];
      explained = {
        id: entry.id,
        past: true,
        seats: entry.people.map((person, seat) => ({
          seat,
          role: roles[seat] ?? ANY_ROLE,
          person,
          how: "kept",
        })),
        people: [],
      };
    }
  }

  return {
    schedule: { plannedUntil: fromDay(until), entries },
    from: today,
    until,
    gaps,
    warnings,
    choices,
    changes,
    fairness,
    fairnessFor,
    ...(explained ? { explanation: explained } : {}),
  };
}

function describeHow(how: SeatHow, role: string): string {
  switch (how) {
    case "kept":
      return `kept from the previous schedule (${role} seat)`;
    case "swap":
      return `swapped in (${role} seat)`;
    case "newcomer":
      return `a newcomer's first shift (${role} seat)`;
    case "pair":
      return `beside a newcomer on their first shift (${role} seat)`;
    case "quota":
      return `owed a turn this period (${role} seat)`;
    case "fair":
      return `furthest below their fair share (${role} seat)`;
    case "gap-relaxed":
      return `chosen although min_gap_days could not hold (${role} seat)`;
    case "open":
      return "open";
  }
}

/**
 * Quotas that the seats cannot meet, said up front with the numbers: in a
 * period, more people owe a turn than there are seats they could fill.
 */
function quotaFeasibility(
  team: Team,
  fair: FairShare,
  occurrences: Occurrence[],
  fixed: Map<string, (Member | undefined)[]>,
  from: Day,
  until: Day,
): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  const groups = new Map<string, Member[]>();
  for (const member of team.members) {
    if (!member.quota) continue;
    const key = member.quotaText ?? "";
    const group = groups.get(key);
    if (group) group.push(member);
    else groups.set(key, [member]);
  }
  for (const [text, members] of groups) {
    const quota = (members[0] as Member).quota;
    if (!quota) continue;
    // Only whole periods inside the planned window can be judged.
    for (let day = periodOf(quota, from).start; day < until; day = periodOf(quota, day).end) {
      const period = periodOf(quota, day);
      if (period.start < from || period.end > until) continue;
      const owing = members.filter(
        (member) => availableIntervals(member, period.start, period.end).length > 0,
      );
      const owingSet = new Set(owing);
      const owingPools = new Set(owing.map((member) => member.pool));
      let seats = 0;
      for (const o of occurrences) {
        if (o.day < period.start || o.day >= period.end) continue;
        const taken = fixed.get(o.id) ?? [];
        o.shift.seats.forEach((role, s) => {
          const holder = taken[s];
          if (holder && !owingSet.has(holder)) return;
          if (fair.poolsFor(o.shift.id, role).some((pool) => owingPools.has(pool))) seats++;
        });
      }
      if (owing.length > seats) {
        warnings.push({
          message: `quota "every ${text}" cannot be met in ${describePeriod(quota, period.start)}: ${owing.length} people owe a turn but there are only ${seats} seats they can fill`,
        });
      }
    }
  }
  return warnings;
}

/** Past entries in time order (they are already, unless the file was edited). */
function sortEntries(entries: ScheduleEntry[]): ScheduleEntry[] {
  const keyed = entries.map((entry) => ({ entry, start: Date.parse(entry.start) }));
  keyed.sort(
    (a, b) =>
      a.start - b.start ||
      (a.entry.shift < b.entry.shift ? -1 : a.entry.shift > b.entry.shift ? 1 : 0),
  );
  return keyed.map((item) => item.entry);
}

export type { ResolvedShift };
