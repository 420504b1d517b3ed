import fc from "fast-check";
import { fromDay } from "../../src/core/dates.ts";
import { DAY_NAMES } from "../../src/core/roster/formats.ts";
import type { Person, Roster, Shift } from "../../src/core/roster/model.ts";

/** Runs per property: many in CI with a fixed seed; FC_RUNS raises it for a deeper search. */
export const RUNS = Number(process.env.FC_RUNS ?? 200);
export const SEED = Number(process.env.FC_SEED ?? 20261122);

const ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"];
const DAY_MS = 86_400_000;
/** 2026-01-05 (a Monday) … 2027-12-27, as day numbers. */
const FIRST_DAY = Math.round(Date.UTC(2026, 0, 5) / DAY_MS);

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const shiftArb = (id: string): fc.Arbitrary<Shift> =>
  fc
    .record({
      days: fc.subarray([...DAY_NAMES], { minLength: 1 }),
      allDay: fc.boolean(),
      // Starts 05:00–19:30, 1–10 hours: mostly clear of clock changes.
      start: fc.integer({ min: 10, max: 39 }).map((half) => half * 30),
      hours: fc.integer({ min: 1, max: 10 }),
      zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
      seats: fc.array(fc.constantFrom("any", "any", "pro"), { minLength: 1, maxLength: 3 }),
    })
    .map(({ days, allDay, start, hours, zone, seats }) => ({
      id,
      days: days as Shift["days"],
      ...(allDay ? { all_day: true } : { start: hhmm(start), end: hhmm(start + hours * 60) }),
      ...(zone ? { timezone: zone } : {}),
      seats: seats.map((role) => ({ role })),
    }));

/** A person around `today` (a day number); ids are given. */
export const personArb = (id: string, today: number, shiftIds: string[]): fc.Arbitrary<Person> =>
  fc
    .record({
      pro: fc.boolean(),
      weight: fc.constantFrom(0.5, 1, 1, 2),
      team: fc.constantFrom(undefined, "support", "eng"),
      joined: fc.option(fc.integer({ min: -60, max: 30 }), { nil: undefined }),
      stays: fc.option(fc.integer({ min: 5, max: 200 }), { nil: undefined }),
      away: fc.array(fc.tuple(fc.integer({ min: -20, max: 40 }), fc.integer({ min: 0, max: 14 })), {
        maxLength: 2,
      }),
      shifts: fc.option(fc.subarray(shiftIds, { minLength: 1 }), { nil: undefined }),
    })
    .map(({ pro, weight, team, joined, stays, away, shifts }) => ({
      id,
      name: id.toUpperCase(),
      ...(pro ? { roles: ["pro"] } : {}),
      ...(weight !== 1 ? { weight } : {}),
      ...(team ? { team } : {}),
      ...(joined !== undefined ? { joined: fromDay(today + joined) } : {}),
      ...(joined !== undefined && stays !== undefined
        ? { left: fromDay(today + joined + stays) }
        : {}),
      ...(away.length > 0
        ? {
            away: away.map(([from, length]) => ({
              from: fromDay(today + from),
              to: fromDay(today + from + length),
            })),
          }
        : {}),
      ...(shifts ? { shifts } : {}),
    }));

export interface Scenario {
  roster: Roster;
  now: number;
  /** Ids of identical people (same roles, weight, availability, shifts): fairness within one. */
  clones: string[];
}

/** A random valid roster with a group of identical people, and a "now". */
export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    today: fc.integer({ min: FIRST_DAY, max: FIRST_DAY + 700 }),
    minute: fc.integer({ min: 0, max: 1439 }),
    zone: fc.constantFrom(...ZONES),
    horizon: fc.integer({ min: 1, max: 5 }),
    shiftCount: fc.integer({ min: 1, max: 3 }),
    peopleCount: fc.integer({ min: 0, max: 8 }),
    cloneCount: fc.integer({ min: 2, max: 4 }),
    clonePro: fc.boolean(),
    gap: fc.integer({ min: 0, max: 7 }),
    every: fc.constantFrom(undefined, "1 week", "2 weeks", "1 month"),
    newcomers: fc.option(fc.integer({ min: 3, max: 20 }), { nil: undefined }),
    supportGap: fc.boolean(),
  })
  .chain((base) => {
    const shiftIds = Array.from({ length: base.shiftCount }, (_, i) => `s${i}`);
    const peopleIds = Array.from({ length: base.peopleCount }, (_, i) => `p${i}`);
    return fc.record({
      base: fc.constant(base),
      shifts: fc.tuple(...shiftIds.map((id) => shiftArb(id))),
      people:
        peopleIds.length > 0
          ? fc.tuple(...peopleIds.map((id) => personArb(id, base.today, shiftIds)))
          : fc.constant([]),
    });
  })
  .map(({ base, shifts, people }) => {
    const clones = Array.from({ length: base.cloneCount }, (_, i) => `clone-${i}`);
    const roster: Roster = {
      version: 1,
      team: "Prop",
      timezone: base.zone,
      horizon_weeks: base.horizon,
      shifts: [...shifts],
      rules: {
        min_gap_days: base.gap,
        ...(base.every ? { every: base.every } : {}),
        ...(base.newcomers
          ? { newcomers: { first_shift_within_days: base.newcomers, pair_with: "pro" } }
          : {}),
      },
      teams: {
        support: { roles: ["pro"], ...(base.supportGap ? { min_gap_days: 0 } : {}) },
        eng: { weight: 1 },
      },
      people: [
        ...people,
        ...clones.map((id) => ({ id, name: id, ...(base.clonePro ? { roles: ["pro"] } : {}) })),
      ],
    };
    return { roster, now: base.today * DAY_MS + base.minute * 60_000, clones };
  });
