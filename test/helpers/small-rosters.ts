import fc from "fast-check";
import { fromDay } from "../../src/core/dates.ts";
import type { Person, Roster, Shift } from "../../src/core/roster/model.ts";

/**
 * Small rosters of the shapes teams have, for comparing plans with an exact
 * optimum: a few support regulars (`pro`, often their own team without a
 * gap) and more guests; seats like [pro, any]; weights, time off, quotas,
 * overlapping and overnight shifts, shift lists; 3–14 people, 1–4 weeks.
 * Small enough that the exact model mostly solves in well under a second
 * (a few take one to four). No newcomers rule: the exact model does not
 * have it.
 */

const DAY_MS = 86_400_000;
/** 2026-01-05 (a Monday) … 2027-12-27, as day numbers. */
const FIRST_DAY = Math.round(Date.UTC(2026, 0, 5) / DAY_MS);
const ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"];
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"] as const;
const ALL_DAYS = [...WEEKDAYS, "sat", "sun"] as const;

/** Shift times teams use: a day, a later day that overlaps it, short halves, a night, a whole day. */
const TIMES: Pick<Shift, "start" | "end" | "all_day">[] = [
  { start: "09:00", end: "17:00" },
  { start: "13:00", end: "21:00" },
  { start: "08:00", end: "12:00" },
  { start: "12:00", end: "16:00" },
  { start: "22:00", end: "06:00" },
  { all_day: true },
];

const SEATS = [["pro", "any"], ["pro", "any", "any"], ["any"], ["any", "any"], ["pro"]];

/** Seats over the whole horizon, at most, so the exact model stays small. */
const MAX_SEATS = 110;
/**
 * Seats a week per person, at most: in an all-hands rota each person serves
 * now and then, not every other day (rosters far tighter than that are not
 * what teams run, and their exact models take minutes).
 */
const MAX_SEATS_PER_PERSON_WEEK = 1.5;
/** The part of the people a gap may need on average. */
const GAP_ROOM = 0.75;

/** `arbitrary`'s values once in `every` draws, undefined otherwise. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

const shiftArb = (id: string): fc.Arbitrary<Shift> =>
  fc
    .record({
      times: fc.constantFrom(...TIMES),
      days: fc.oneof(
        fc.constant([...WEEKDAYS] as string[]),
        fc.constant([...ALL_DAYS] as string[]),
        fc.subarray([...ALL_DAYS] as string[], { minLength: 1, maxLength: 4 }),
      ),
      // Mostly the roster's zone; sometimes a desk elsewhere.
      zone: sometimes(fc.constantFrom(...ZONES), 3),
      seats: fc.constantFrom(...SEATS),
    })
    .map(({ times, days, zone, seats }) => ({
      id,
      days: days as Shift["days"],
      ...times,
      ...(zone ? { timezone: zone } : {}),
      seats: seats.map((role) => ({ role })),
    }));

/** A person's time off, joining and leaving around `today`, and shift list. */
const availabilityArb = (shiftIds: string[]) =>
  fc.record({
    away: fc.oneof(
      { weight: 2, arbitrary: fc.constant([] as [number, number][]) },
      fc.array(fc.tuple(fc.integer({ min: -3, max: 28 }), fc.integer({ min: 0, max: 9 })), {
        minLength: 1,
        maxLength: 2,
      }),
    ),
    joined: sometimes(fc.integer({ min: -30, max: 20 }), 8),
    left: sometimes(fc.integer({ min: 3, max: 30 }), 10),
    shifts: sometimes(fc.subarray(shiftIds, { minLength: 1 }), 3),
    weight: fc.constantFrom(0.5, 1, 1, 1, 2),
  });

function personOf(
  id: string,
  today: number,
  kept: ReadonlySet<string>,
  a: {
    away: [number, number][];
    joined: number | undefined;
    left: number | undefined;
    shifts: string[] | undefined;
    weight: number;
  },
  extra: Partial<Person>,
): Person {
  return {
    id,
    name: id.toUpperCase(),
    ...extra,
    ...(a.weight !== 1 ? { weight: a.weight } : {}),
    ...(a.joined !== undefined ? { joined: fromDay(today + a.joined) } : {}),
    ...(a.left !== undefined ? { left: fromDay(today + Math.max(a.left, a.joined ?? 0)) } : {}),
    ...(a.away.length > 0
      ? {
          away: a.away.map(([from, length]) => ({
            from: fromDay(today + from),
            to: fromDay(today + from + length),
          })),
        }
      : {}),
    ...(a.shifts?.some((s) => kept.has(s)) ? { shifts: a.shifts.filter((s) => kept.has(s)) } : {}),
  };
}

export interface SmallCase {
  roster: Roster;
  now: number;
}

/** A small roster of pros and guests, and a "now". */
export const smallRosterArb: fc.Arbitrary<SmallCase> = fc
  .record({
    today: fc.integer({ min: FIRST_DAY, max: FIRST_DAY + 700 }),
    minute: fc.integer({ min: 0, max: 1439 }),
    zone: fc.constantFrom(...ZONES),
    horizon: fc.integer({ min: 1, max: 4 }),
    shiftCount: fc.integer({ min: 1, max: 3 }),
    pros: fc.integer({ min: 1, max: 4 }),
    guests: fc.integer({ min: 2, max: 10 }),
    gap: fc.integer({ min: 0, max: 7 }),
    every: fc.constantFrom(undefined, undefined, "1 week", "2 weeks", "1 month"),
    guestEvery: fc.constantFrom(undefined, undefined, "2 weeks", "1 month"),
    supportTeam: fc.constantFrom("none", "team", "team-no-gap", "team-no-gap"),
    closed: sometimes(fc.integer({ min: 0, max: 27 }), 4),
  })
  .chain((base) => {
    const shiftIds = Array.from({ length: base.shiftCount }, (_, i) => `s${i}`);
    const guests = Math.min(base.guests, 14 - base.pros);
    return fc.record({
      base: fc.constant(base),
      shifts: fc.tuple(...shiftIds.map((id) => shiftArb(id))),
      pros: fc.array(availabilityArb(shiftIds), {
        minLength: base.pros,
        maxLength: base.pros,
      }),
      guests: fc.array(fc.tuple(availabilityArb(shiftIds), fc.boolean()), {
        minLength: guests,
        maxLength: guests,
      }),
    });
  })
  .map(({ base, shifts: drawn, pros, guests }) => {
    // Fewer shifts, then fewer days, where the shifts hold too many seats a
    // week for the people; fewer weeks where they hold many.
    const seatsOf = (list: readonly Shift[]) =>
      list.reduce((n, s) => n + s.days.length * s.seats.length, 0);
    const cap = MAX_SEATS_PER_PERSON_WEEK * (pros.length + guests.length);
    const shifts = [...drawn];
    while (shifts.length > 1 && seatsOf(shifts) > cap) shifts.pop();
    const only = shifts[0] as Shift;
    const days = Math.max(1, Math.min(only.days.length, Math.floor(cap / only.seats.length)));
    if (shifts.length === 1) shifts[0] = { ...only, days: only.days.slice(0, days) };
    const seatsPerWeek = seatsOf(shifts);
    const horizon = Math.max(1, Math.min(base.horizon, Math.floor(MAX_SEATS / seatsPerWeek)));
    // A gap the team can hold, with room for time off: on average nobody
    // needs to serve twice within it (teams set their gap so; where they
    // cannot hold it, the exact model takes seconds to count the fewest
    // relaxations). The pros, who alone fill the pro seats, keep a gap only
    // where they can hold it too.
    const people = pros.length + guests.length;
    const gap = Math.min(base.gap, Math.floor((GAP_ROOM * 7 * people) / seatsPerWeek));
    const proSeats = shifts.reduce(
      (n, s) => n + s.days.length * s.seats.filter((seat) => seat.role === "pro").length,
      0,
    );
    const prosHoldGap = proSeats * gap <= 7 * pros.length;
    const supportTeam = prosHoldGap ? base.supportTeam : "team-no-gap";
    const inTeam = supportTeam !== "none";
    const kept = new Set(shifts.map((s) => s.id));
    const members: Person[] = [
      ...pros.map((a, i) =>
        personOf(
          `pro${i}`,
          base.today,
          kept,
          { ...a, weight: 1 },
          inTeam ? { team: "support" } : { roles: ["pro"] },
        ),
      ),
      ...guests.map(([a, eng], i) =>
        personOf(`g${i}`, base.today, kept, a, eng ? { team: "eng" } : {}),
      ),
    ];
    const roster: Roster = {
      version: 1,
      team: "Exact",
      timezone: base.zone,
      horizon_weeks: horizon,
      ...(base.closed !== undefined
        ? { holidays: { dates: [fromDay(base.today + base.closed)] } }
        : {}),
      shifts,
      rules: {
        min_gap_days: gap,
        ...(base.every ? { every: base.every } : {}),
      },
      teams: {
        ...(inTeam
          ? {
              support: {
                roles: ["pro"],
                ...(supportTeam === "team-no-gap" ? { min_gap_days: 0 } : {}),
              },
            }
          : {}),
        ...(members.some((m) => m.team === "eng")
          ? { eng: base.guestEvery ? { every: base.guestEvery } : { weight: 1 } }
          : {}),
      },
      people: members,
    };
    return { roster, now: base.today * DAY_MS + base.minute * 60_000 };
  });
