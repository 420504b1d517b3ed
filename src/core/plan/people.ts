import { type Day, firstOfMonth, mondayOf, partsOf, toDay } from "../dates.ts";
import { stableHash } from "../hash.ts";
import { ANY_ROLE, type Period, parsePeriod } from "../roster/formats.ts";
import type { Person, Roster } from "../roster/model.ts";
import type { OffRosterRange } from "../schedule/schedule.ts";
import { byHashThenIndex, stableByValue } from "./order.ts";

/** Why a person cannot serve on a day, if they cannot. */
export type Absence =
  | { kind: "not-joined"; until: Day }
  | { kind: "left" }
  | { kind: "away"; until: Day; reason?: string };

/** A person with every default resolved: what the planner works with. */
export interface Member {
  index: number;
  id: string;
  name: string;
  email?: string;
  team?: string;
  weight: number;
  /** Seat roles this person fills, `any` included. */
  roles: ReadonlySet<string>;
  /** The shifts this person may take; undefined for all. */
  shifts?: ReadonlySet<string>;
  gapDays: number;
  quota?: Period;
  quotaText?: string;
  joined?: Day;
  left?: Day;
  /** Away ranges, inclusive, sorted and merged. */
  away: { from: Day; to: Day; reason?: string }[];
  /** Eligibility class: people with the same roles and shifts. */
  pool: number;
  /** Stable tie-break seed. */
  hash: number;
}

/** People who fill the same seats: the unit of fairness. */
export interface Pool {
  index: number;
  key: string;
  roles: ReadonlySet<string>;
  shifts?: ReadonlySet<string>;
  members: Member[];
}

export interface Team {
  /**
   * In a canonical order (by the stable hash of the id, then the id), which
   * `index` is the position in: whatever the planner leaves to the order of
   * people then follows it, never the roster's order of `people:`, so
   * re-sorting the roster changes no seat.
   */
  members: Member[];
  /** The same people in the roster's order, for what is shown to people. */
  listed: Member[];
  pools: Pool[];
  byId: Map<string, Member>;
}

function mergeAway(person: Person): Member["away"] {
  // Most people list no time away: nothing to sort or merge.
  if (!person.away || person.away.length === 0) return [];
  // Most who do list one: nothing to sort or merge either.
  if (person.away.length === 1) {
    const range = person.away[0] as NonNullable<Person["away"]>[number];
    const from = toDay(range.from);
    const to = toDay(range.to ?? range.from);
    // The same object as spreading the reason in would make, without the
    // two throwaway objects the spread takes, for each of tens of thousands.
    return [range.reason ? { from, to, reason: range.reason } : { from, to }];
  }
  const ranges = person.away
    .map((range) => ({
      from: toDay(range.from),
      to: toDay(range.to ?? range.from),
      ...(range.reason ? { reason: range.reason } : {}),
    }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: Member["away"] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.from <= last.to + 1) {
      last.to = Math.max(last.to, range.to);
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

/** Time away and the days off the roster (schedule.yaml's `off_roster`), sorted and merged. */
function withOffRoster(away: Member["away"], off: readonly DayRange[]): Member["away"] {
  const ranges = [...away, ...off.map((range) => ({ ...range, reason: "off the roster" }))].sort(
    (a, b) => a.from - b.from || a.to - b.to,
  );
  const merged: Member["away"] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
    else merged.push({ ...range });
  }
  return merged;
}

/** Days from `from` to `to`, inclusive. */
export interface DayRange {
  from: Day;
  to: Day;
}

/**
 * Resolves the roster's people: weights, roles and gaps from their team, pools.
 * The days someone back on the roster was off it (`offRoster`, by id) count
 * as time away: they earn no share and owe no turn for them.
 */
export function resolveTeam(
  roster: Roster,
  offRoster?: ReadonlyMap<string, readonly DayRange[]>,
): Team {
  const teams = roster.teams ?? {};
  const pools = new Map<string, Pool>();
  // What people of the same team, roles and shifts share, worked out once for
  // them all (a company of 50,000 has a few dozen such groups).
  const groups = new Map<
    string,
    Pick<Member, "roles" | "shifts" | "quota" | "quotaText" | "pool" | "weight" | "gapDays">
  >();
  // Most people name no roles or shifts of their own: their group is found by
  // their team alone, with no key made for each of them.
  const byTeam = new Map<string, ReturnType<typeof keyedGroupOf>>();
  const groupOf = (person: Person) => {
    if (person.roles !== undefined || person.shifts !== undefined) return keyedGroupOf(person);
    const team = person.team ?? "";
    let group = byTeam.get(team);
    if (!group) {
      group = keyedGroupOf(person);
      byTeam.set(team, group);
    }
    return group;
  };
  const keyedGroupOf = (person: Person) => {
    const groupKey = `${person.team ?? ""}|${person.roles?.join(",") ?? ""}|${person.shifts?.join(",") ?? "*"}`;
    let group = groups.get(groupKey);
    if (group) return group;
    const team = person.team ? teams[person.team] : undefined;
    const roles = new Set([ANY_ROLE, ...(team?.roles ?? []), ...(person.roles ?? [])]);
    const shifts = person.shifts ? new Set(person.shifts) : undefined;
    const quotaText = team?.every ?? roster.rules?.every;
    const quota = quotaText ? parsePeriod(quotaText) : undefined;
    const key = `${[...roles].sort().join(",")}|${shifts ? [...shifts].sort().join(",") : "*"}`;
    let pool = pools.get(key);
    if (!pool) {
      pool = { index: pools.size, key, roles, ...(shifts ? { shifts } : {}), members: [] };
      pools.set(key, pool);
    }
    group = {
      roles,
      shifts,
      quota,
      quotaText: quota ? quotaText : undefined,
      pool: pool.index,
      weight: team?.weight ?? 1, // the default: a person's own weight wins
      gapDays: team?.min_gap_days ?? roster.rules?.min_gap_days ?? 0,
    };
    groups.set(groupKey, group);
    return group;
  };
  const { order, hashes } = canonicalOrder(roster.people);
  const members = order.map((at, index): Member => {
    const person = roster.people[at] as Person;
    const hash = hashes[at] as number;
    const group = groupOf(person);
    // One shape for every member (absent values undefined), so the planner's
    // lookups on members stay fast.
    return {
      index,
      id: person.id,
      name: person.name,
      email: person.email || undefined,
      team: person.team || undefined,
      weight: person.weight ?? group.weight,
      roles: group.roles,
      shifts: group.shifts,
      gapDays: group.gapDays,
      quota: group.quota,
      quotaText: group.quotaText,
      joined: person.joined ? toDay(person.joined) : undefined,
      left: person.left ? toDay(person.left) : undefined,
      away: offRoster?.has(person.id)
        ? withOffRoster(mergeAway(person), offRoster.get(person.id) as DayRange[])
        : mergeAway(person),
      pool: group.pool,
      hash,
    };
  });
  const list = [...pools.values()];
  for (let i = 0; i < members.length; i++) {
    const member = members[i] as Member;
    list[member.pool]?.members.push(member);
  }
  const byId = new Map<string, Member>();
  const listed = new Array<Member>(members.length);
  for (let i = 0; i < order.length; i++) {
    listed[order[i] as number] = members[i] as Member;
  }
  for (const member of listed) byId.set(member.id, member);
  return { members, listed, pools: list, byId };
}

/**
 * The roster's people by the stable hash of their id, then by id (ids are
 * unique): their places in the roster in that order, and each place's hash.
 * By the engine's sort of numbers, (hash, place) in one exact number, then
 * each run of one hash by id, with no object made per person: at 50,000
 * people, making such objects and sorting them by a comparison cost tens of
 * milliseconds, most of it the young generation copying the objects.
 */
function canonicalOrder(people: readonly Person[]): { order: number[]; hashes: Float64Array } {
  const n = people.length;
  const hashes = new Float64Array(n);
  for (let at = 0; at < n; at++) hashes[at] = stableHash((people[at] as Person).id);
  const order = byHashThenIndex(
    people.map((_, at) => at),
    hashes,
  );
  const idOf = (at: number) => (people[at] as Person).id;
  for (let start = 0; start < n; ) {
    const hash = hashes[order[start] as number];
    let end = start + 1;
    while (end < n && hashes[order[end] as number] === hash) end++;
    if (end - start > 1) {
      const run = order
        .slice(start, end)
        .sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
      for (let i = 0; i < run.length; i++) order[start + i] = run[i] as number;
    }
    start = end;
  }
  return { order, hashes };
}

/**
 * `items` in the order their people are listed in (the roster's order, as
 * `listed` has it), one person's items in the order given; an item of
 * someone not listed counts as the first person's. Sorted by numbers: a
 * large company's newcomers' warnings are thousands.
 */
export function inListedOrder<T>(
  items: readonly T[],
  listed: readonly Member[],
  memberOf: (item: T) => Member | undefined,
): T[] {
  const at = new Int32Array(listed.length);
  for (let i = 0; i < listed.length; i++) at[(listed[i] as Member).index] = i;
  const keys = items.map((item) => {
    const member = memberOf(item);
    return member === undefined ? 0 : (at[member.index] ?? 0);
  });
  return stableByValue(
    items.map((_, i) => i),
    keys,
  ).map((i) => items[i] as T);
}

/**
 * schedule.yaml's `off_roster` read on `today`, for the people on the roster
 * (`onRoster`): the days each was off it, by id. A range still open ends the
 * day before today, since they are back; one opened today is no time at all.
 */
export function offRosterDays(
  record: Readonly<Record<string, readonly OffRosterRange[]>> | undefined,
  onRoster: (id: string) => boolean,
  today: Day,
): Map<string, DayRange[]> {
  const days = new Map<string, DayRange[]>();
  for (const [id, ranges] of Object.entries(record ?? {})) {
    if (!onRoster(id)) continue;
    const list = ranges
      .map((range) => ({
        from: toDay(range.from),
        to: range.to === undefined ? today - 1 : Math.min(toDay(range.to), today - 1),
      }))
      .filter((range) => range.from <= range.to);
    if (list.length > 0) days.set(id, list);
  }
  return days;
}

/** Why a person cannot serve on a day, or undefined when they can. */
export function absenceOn(member: Member, day: Day): Absence | undefined {
  if (member.joined !== undefined && day < member.joined) {
    return { kind: "not-joined", until: member.joined };
  }
  if (member.left !== undefined && day > member.left) return { kind: "left" };
  const range = awayOn(member, day);
  if (range === undefined) return undefined;
  return { kind: "away", until: range.to + 1, ...(range.reason ? { reason: range.reason } : {}) };
}

/** Whether `absenceOn(member, day)` finds nothing, without describing the absence. */
export function isAvailableOn(member: Member, day: Day): boolean {
  if (member.joined !== undefined && day < member.joined) return false;
  if (member.left !== undefined && day > member.left) return false;
  return awayOn(member, day) === undefined;
}

/** The range of time away that holds a day, if any. */
function awayOn(member: Member, day: Day): Member["away"][number] | undefined {
  for (const range of member.away) {
    if (range.from > day) break;
    if (day <= range.to) return range;
  }
  return undefined;
}

/**
 * Hands `visit` the days in [from, until) a person is available, as
 * half-open intervals in order, until it returns true; says whether it did.
 * `awayFrom` moves where a time away (or a leaving) that starts on a day
 * takes effect: the fair shares leave out the night before it (shares.ts).
 */
export function someAvailableInterval(
  member: Member,
  from: Day,
  until: Day,
  visit: (start: Day, end: Day) => boolean,
  awayFrom: (day: Day) => Day = (day) => day,
): boolean {
  let start = Math.max(from, member.joined ?? from);
  let end = member.left === undefined ? until : Math.min(until, awayFrom(member.left + 1));
  for (const range of member.away) {
    if (range.to < start) continue;
    const stop = awayFrom(range.from);
    if (range.from >= end) {
      end = Math.min(end, stop);
      break;
    }
    if (stop > start && visit(start, stop)) return true;
    start = Math.max(start, range.to + 1);
  }
  return start < end && visit(start, end);
}

/** The days in [from, until) a person is available, as half-open intervals. */
export function availableIntervals(member: Member, from: Day, until: Day): [Day, Day][] {
  const intervals: [Day, Day][] = [];
  someAvailableInterval(member, from, until, (start, end) => {
    intervals.push([start, end]);
    return false;
  });
  return intervals;
}

/** Whether a person is available on any day in [from, until): `availableIntervals` is not empty. */
export function availableIn(member: Member, from: Day, until: Day): boolean {
  // someAvailableInterval's walk, stopping at the first interval, written out:
  // asked for every person several times a plan, with no callback made each time.
  let start = Math.max(from, member.joined ?? from);
  const end = Math.min(until, member.left === undefined ? until : member.left + 1);
  const away = member.away;
  for (let i = 0; i < away.length; i++) {
    const range = away[i] as Member["away"][number];
    if (range.to < start) continue;
    if (range.from >= end) break;
    if (range.from > start) return true;
    start = Math.max(start, range.to + 1);
  }
  return start < end;
}

/** Whether a person could ever fill this seat of this shift (roles and shift list). */
export function canFill(
  pool: { roles: ReadonlySet<string>; shifts?: ReadonlySet<string> },
  shift: string,
  role: string,
): boolean {
  return (role === ANY_ROLE || pool.roles.has(role)) && (!pool.shifts || pool.shifts.has(shift));
}

/** The quota period a day is in: an index, and its first and last-plus-one days. */
export function periodOf(period: Period, day: Day): { index: number; start: Day; end: Day } {
  // Asked again and again for the same few months while planning: remember
  // the calendar arithmetic (a pure function of its arguments), per period
  // object (people of a team share theirs) and day, with no key to build.
  let byDay = PERIODS.get(period);
  if (!byDay) {
    byDay = new Map();
    PERIODS.set(period, byDay);
  }
  const known = byDay.get(day);
  if (known) return known;
  const found = computePeriod(period, day);
  if (byDay.size > 100_000) byDay.clear();
  byDay.set(day, found);
  return found;
}

const PERIODS = new WeakMap<Period, Map<Day, { index: number; start: Day; end: Day }>>();

function computePeriod(period: Period, day: Day): { index: number; start: Day; end: Day } {
  if (period.unit === "week") {
    const weekIndex = Math.floor((mondayOf(day) - mondayOf(0)) / 7);
    const index = Math.floor(weekIndex / period.count);
    const start = mondayOf(0) + index * period.count * 7;
    return { index, start, end: start + period.count * 7 };
  }
  const months =
    period.unit === "month"
      ? period.count
      : period.unit === "quarter"
        ? 3 * period.count
        : 12 * period.count;
  const { year, month } = partsOf(day);
  const monthIndex = year * 12 + (month - 1);
  const index = Math.floor(monthIndex / months);
  const startMonth = index * months;
  const start = firstOfMonth(Math.floor(startMonth / 12), (startMonth % 12) + 1);
  const endMonth = startMonth + months;
  const end = firstOfMonth(Math.floor(endMonth / 12), (endMonth % 12) + 1);
  return { index, start, end };
}

/** A period in words: `2026-12`, `2026-Q4`, `2027`, `week of 2026-11-23`. */
export function describePeriod(period: Period, day: Day): string {
  const { start, end } = periodOf(period, day);
  const first = partsOf(start);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (period.unit === "year" && period.count === 1) return String(first.year);
  if (period.unit === "quarter" && period.count === 1) {
    return `${first.year}-Q${Math.floor((first.month - 1) / 3) + 1}`;
  }
  if (period.unit === "month" && period.count === 1) return `${first.year}-${pad(first.month)}`;
  const last = partsOf(end - 1);
  return `${first.year}-${pad(first.month)}-${pad(first.dayOfMonth)} to ${last.year}-${pad(last.month)}-${pad(last.dayOfMonth)}`;
}
