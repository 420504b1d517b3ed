import { describe, expect, test } from "vitest";
import { type Day, toDay } from "../../src/core/dates.ts";
import { recordedLastDay } from "../../src/core/plan/history.ts";
import { type Member, resolveTeam } from "../../src/core/plan/people.ts";
import { planRota } from "../../src/core/plan/planner.ts";
import { divideDay, leftoverLevels, type SeatDay, Shares } from "../../src/core/plan/shares.ts";
import { buildReport } from "../../src/core/report/figures.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import { violations } from "../helpers/invariants.ts";
import { roster } from "../helpers/roster.ts";

const close = (values: readonly number[], expected: readonly number[]) => {
  expect(values).toHaveLength(expected.length);
  values.forEach((value, i) => {
    expect(value, `pool ${i}`).toBeCloseTo(expected[i] as number, 9);
  });
};

describe("dividing a day's seats (largest minimum)", () => {
  test("regulars who must fill the pro seat get none of the seats anyone can fill", () => {
    // 8 pros, 121 guests, seats [pro, any]: the any seat goes to the guests.
    const { levels, perSeat } = divideDay(
      [8, 121],
      [8, 121],
      [
        { shift: "q", role: "pro", count: 1, pools: [0] },
        { shift: "q", role: "any", count: 1, pools: [0, 1] },
      ],
    );
    close(levels, [1 / 8, 1 / 121]);
    close(perSeat[1] as number[], [0, 1]);
  });

  test("where the regulars' own seats leave them below everyone else, they share the rest", () => {
    // 2 pros, 3 guests, [pro, any, any]: 3 seats over 5 people, 0.6 each.
    const { levels, perSeat } = divideDay(
      [2, 3],
      [2, 3],
      [
        { shift: "q", role: "pro", count: 1, pools: [0] },
        { shift: "q", role: "any", count: 2, pools: [0, 1] },
      ],
    );
    close(levels, [0.6, 0.6]);
    // Of each any seat the pros take 0.1 (0.2 of 2), the guests 0.9.
    close(perSeat[1] as number[], [0.1, 0.9]);
  });

  test("where everyone can fill every seat, it is seats × weight ÷ total weight", () => {
    close(divideDay([17], [17], [{ shift: "q", count: 3, pools: [0] }]).levels, [3 / 17]);
  });

  test("a seat nobody is left to fill is not shared out", () => {
    // 1 pro for 2 pro seats on one occurrence: one stays open, and the pro's
    // level is 1, not 2; the any seat goes to the guests.
    close(
      divideDay(
        [1, 5],
        [1, 5],
        [
          { shift: "q", role: "pro", count: 2, pools: [0] },
          { shift: "q", role: "any", count: 1, pools: [0, 1] },
        ],
      ).levels,
      [1, 0.2],
    );
  });

  test("shift lists: a pool that takes only one shift, another that takes both", () => {
    // A (weight 1.5, 2 people) takes shifts a and b; C (weight 4) takes b and c.
    const { levels } = divideDay(
      [1.5, 0, 4],
      [2, 0, 4],
      [
        { shift: "a", count: 1, pools: [0, 1] },
        { shift: "b", count: 2, pools: [0, 2] },
        { shift: "c", count: 1, pools: [2] },
      ],
    );
    close(levels, [4 / 5.5, 0, 4 / 5.5]);
  });
});

describe("shares over time", () => {
  const seatDays = (from: string, days: number, roles: string[]): SeatDay[] =>
    Array.from({ length: days }, (_, i) => ({ day: toDay(from) + i, shift: "day", roles }));

  test("days away earn nothing; weights scale the share", () => {
    const team = resolveTeam(
      roster({
        people: [
          { id: "ada", name: "Ada" },
          { id: "bob", name: "Bob", weight: 0.5 },
          { id: "cy", name: "Cy", away: [{ from: "2026-12-01", to: "2026-12-05" }] },
        ],
      }),
    );
    const from = toDay("2026-12-01");
    const shares = new Shares(team, seatDays("2026-12-01", 10, ["any"]), from, from + 10);
    const [ada, bob, cy] = team.listed as [never, never, never];
    // Days 1–5: ada and bob (1.5 weight); days 6–10: all three (2.5).
    expect(shares.expected(ada, from, from + 10)).toBeCloseTo(5 / 1.5 + 5 / 2.5, 9);
    expect(shares.expected(bob, from, from + 10)).toBeCloseTo(0.5 * (5 / 1.5 + 5 / 2.5), 9);
    expect(shares.expected(cy, from, from + 10)).toBeCloseTo(5 / 2.5, 9);
    const total = [ada, bob, cy].reduce((sum, m) => sum + shares.expected(m, from, from + 10), 0);
    expect(total).toBeCloseTo(10, 9);
  });

  test("someone counted from a later day owes nothing before it", () => {
    const team = resolveTeam(roster());
    const from = toDay("2026-12-01");
    const [first, , zed] = team.listed as [Member, Member, Member];
    const counted = new Map([[zed.index, from + 5]]);
    const shares = new Shares(team, seatDays("2026-12-01", 10, ["any"]), from, from + 10, counted);
    expect(shares.expected(zed, from, from + 10)).toBeCloseTo(5 / 3, 9);
    expect(shares.expected(first, from, from + 10)).toBeCloseTo(5 / 2 + 5 / 3, 9);
  });
});

describe("overlapping shifts", () => {
  // London 13:00–18:00 and New York 09:00–12:00 (14:00–17:00 in London): one
  // person cannot take both. Amy and Bob are away the first two weeks.
  const overlapping = roster({
    timezone: "Europe/London",
    horizon_weeks: 6,
    shifts: [
      {
        id: "lon",
        days: ["mon", "tue", "wed", "thu", "fri"],
        start: "13:00",
        end: "18:00",
        seats: [{ role: "pro" }],
      },
      {
        id: "nyc",
        days: ["mon", "tue", "wed", "thu", "fri"],
        start: "09:00",
        end: "12:00",
        timezone: "America/New_York",
        seats: [{ role: "pro" }],
      },
    ],
    teams: { support: { roles: ["pro"] } },
    people: [
      { id: "solo", name: "Solo", team: "support" },
      { id: "amy", name: "Amy", team: "support", away: [{ from: "2026-11-23", to: "2026-12-06" }] },
      { id: "bob", name: "Bob", team: "support", away: [{ from: "2026-11-23", to: "2026-12-06" }] },
    ],
  });

  test("someone alone on a day of two overlapping desks is owed one seat, not both", () => {
    const now = Date.parse("2026-11-23T06:00:00Z");
    const result = planRota({ roster: overlapping, previous: { entries: [] }, now });
    expect(violations(overlapping, result, now)).toEqual([]);
    // Ten days of one seat Solo can take; the other stays open.
    expect(result.gaps).toHaveLength(10);
    const row = (id: string) => result.fairness.find((r) => r.id === id);
    // The shares add up to the seats filled: 10 alone, then 40 among three.
    expect(row("solo")?.expected).toBeCloseTo(10 + 40 / 3, 6);
    expect(row("amy")?.expected).toBeCloseTo(40 / 3, 6);
    // So nobody is seated on everything once the others are back.
    for (const id of ["solo", "amy", "bob"]) {
      const r = row(id);
      expect(Math.abs((r?.shifts ?? 0) - (r?.expected ?? 0)), id).toBeLessThan(1);
    }
  });

  test("a pool's seats on a day are bounded by the occurrences its people can take apart", () => {
    const team = resolveTeam(overlapping);
    const day = toDay("2026-11-23");
    const hour = 3_600_000;
    const at = Date.parse("2026-11-23T00:00:00Z");
    const seatDays: SeatDay[] = [
      { day, shift: "lon", roles: ["pro"], start: at + 13 * hour, end: at + 18 * hour },
      { day, shift: "nyc", roles: ["pro"], start: at + 14 * hour, end: at + 17 * hour },
    ];
    const shares = new Shares(team, seatDays, day, day + 1);
    const solo = team.byId.get("solo") as never;
    expect(shares.expected(solo, day, day + 1)).toBeCloseTo(1, 9);
    // Apart (nyc after lon ends), both are Solo's.
    const apart = [
      seatDays[0],
      { ...seatDays[1], start: at + 19 * hour, end: at + 22 * hour },
    ] as SeatDay[];
    expect(new Shares(team, apart, day, day + 1).expected(solo, day, day + 1)).toBeCloseTo(2, 9);
  });
});

describe("one desk with more seats than some pool has people", () => {
  test("two regulars and a half-timer on a three-seat desk are owed one seat each", () => {
    // Found by the planner's properties: with the desk alone on its days, the
    // two regulars were owed 1.2 seats each and the half-timer 0.6, where
    // nobody sits twice on one occurrence; the half-timer, who fills the third
    // seat every day, stood far above a share they could not fall to, and the
    // plan moved the regulars' other seats about to make up 0.2 a day.
    const desk = roster({
      timezone: "Europe/London",
      shifts: [
        {
          id: "desk",
          days: ["mon", "tue", "wed", "thu", "fri"],
          start: "09:00",
          end: "17:00",
          seats: [{ role: "any" }, { role: "any" }, { role: "any" }],
        },
      ],
      people: [
        { id: "ana", name: "Ana" },
        { id: "ben", name: "Ben" },
        { id: "cy", name: "Cy", weight: 0.5 },
      ],
    });
    const team = resolveTeam(desk);
    const day = toDay("2026-11-23");
    const at = Date.parse("2026-11-23T09:00:00Z");
    const seatDays: SeatDay[] = [
      { day, shift: "desk", roles: ["any", "any", "any"], start: at, end: at + 8 * 3_600_000 },
    ];
    const shares = new Shares(team, seatDays, day, day + 1);
    for (const id of ["ana", "ben", "cy"]) {
      expect(shares.expected(team.byId.get(id) as never, day, day + 1), id).toBeCloseTo(1, 9);
    }
    const now = Date.parse("2026-11-23T06:00:00Z");
    const result = planRota({ roster: desk, previous: { entries: [] }, now });
    for (const row of result.fairness) {
      expect(row.shifts, row.id).toBe(row.expected);
    }
  });
});

describe("people of one pool with different weights, where what one person can take binds", () => {
  /** Two desks on weekdays whose hours overlap, one seat anyone can fill each. */
  const twoDesks = (weeks: number, people: Roster["people"]): Roster => {
    const desk = (id: string, start: string, end: string) => ({
      id,
      days: ["mon", "tue", "wed", "thu", "fri"] as Roster["shifts"][number]["days"],
      start,
      end,
      seats: [{ role: "any" }],
    });
    return roster({
      timezone: "Europe/Berlin",
      horizon_weeks: weeks,
      holidays: {},
      shifts: [desk("early", "08:00", "14:00"), desk("late", "12:00", "20:00")],
      people,
    });
  };

  test("two overlapping desks, a full-timer and a half-timer: each is owed one seat a day", () => {
    const desks = twoDesks(2, [
      { id: "ann", name: "Ann" },
      { id: "ben", name: "Ben", weight: 0.5 },
    ]);
    const now = Date.parse("2026-11-30T00:00:00Z");
    const result = planRota({ roster: desks, previous: { entries: [] }, now });
    expect(violations(desks, result, now)).toEqual([]);
    // Both must serve every day: nobody can be owed more than one seat of it.
    for (const id of ["ann", "ben"]) {
      const row = result.fairness.find((r) => r.id === id);
      expect(row?.shifts, id).toBe(10);
      expect(row?.expected, id).toBeCloseTo(10, 6);
    }
  });

  test("a weight-2 person among half-timers on overlapping desks: owed one a day, the rest to the others", () => {
    const desks = twoDesks(4, [
      { id: "heavy", name: "Heavy", weight: 2 },
      { id: "half1", name: "Half One", weight: 0.5 },
      { id: "half2", name: "Half Two", weight: 0.5 },
      { id: "half3", name: "Half Three", weight: 0.5 },
    ]);
    const now = Date.parse("2026-11-23T07:00:00Z");
    const result = planRota({ roster: desks, previous: { entries: [] }, now });
    const row = (id: string) => result.fairness.find((r) => r.id === id);
    // 20 days of two seats: Heavy can take one a day (not 2 ÷ 3.5 of 40), the halves the rest.
    expect(row("heavy")?.expected).toBeCloseTo(20, 6);
    for (const id of ["half1", "half2", "half3"])
      expect(row(id)?.expected, id).toBeCloseTo(20 / 3, 6);
    for (const id of ["heavy", "half1", "half2", "half3"]) {
      const r = row(id);
      expect(Math.abs((r?.shifts ?? 0) - (r?.expected ?? 0)), id).toBeLessThan(1);
    }
  });

  test("min_gap_days holds every guest to one a week: the half-timer is owed as many, the regular the rest", () => {
    const week = roster({
      timezone: "Europe/Berlin",
      horizon_weeks: 8,
      holidays: {},
      rules: { min_gap_days: 7 },
      shifts: [
        {
          id: "desk",
          days: ["mon", "tue", "wed", "thu", "fri"],
          start: "09:00",
          end: "17:00",
          seats: [{ role: "any" }],
        },
      ],
      teams: { support: { roles: ["pro"], min_gap_days: 0 } },
      people: [
        { id: "ada", name: "Ada" },
        { id: "bea", name: "Bea" },
        { id: "cy", name: "Cy", weight: 0.5 },
        { id: "dan", name: "Dan", team: "support" },
      ],
    });
    const now = Date.parse("2026-11-30T00:00:00Z");
    const result = planRota({ roster: week, previous: { entries: [] }, now });
    const row = (id: string) => result.fairness.find((r) => r.id === id);
    // 40 seats in 8 weeks; a guest can take 8: the largest minimum is 8, 8, 8 and 16.
    for (const id of ["ada", "bea", "cy"]) expect(row(id)?.expected, id).toBeCloseTo(8, 0);
    expect(row("dan")?.expected).toBeCloseTo(16, 0);
    for (const id of ["ada", "bea", "cy", "dan"]) {
      const r = row(id);
      expect(Math.abs((r?.shifts ?? 0) - (r?.expected ?? 0)), id).toBeLessThan(1.5);
    }
  });

  test("seats min_gap_days leaves to nobody are owed to those who can fill them", () => {
    // 2 pros (a gap that allows one turn in three days: 2/3 of a seat a day
    // between them) and 6 guests; seats [pro, any]. The division stops the
    // pros at 2/3; the third of the pro seat nobody else can take is theirs.
    const kinds = [
      { shift: "q", role: "pro", count: 1, pools: [0] },
      { shift: "q", role: "any", count: 1, pools: [0, 1] },
    ];
    const divided = divideDay([2, 6], [2, 6], kinds, [2 / 3, 2]);
    close(divided.levels, [1 / 3, 1 / 6]);
    const loads = [2 / 3, 1];
    close(leftoverLevels([2, 6], [2, 6], kinds, loads, [2, 6]) as number[], [1 / 6, 0]);
    // Nothing left to nobody: nothing to add.
    expect(leftoverLevels([2, 6], [2, 6], kinds, [1, 1], [2, 6])).toBeUndefined();
  });

  test("regulars alone on every pro seat under their own min_gap_days are owed every pro seat", () => {
    const daily = roster({
      timezone: "Europe/Berlin",
      horizon_weeks: 4,
      holidays: {},
      rules: { min_gap_days: 3 },
      shifts: [
        {
          id: "day",
          days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
          start: "09:00",
          end: "17:00",
          seats: [{ role: "pro" }, { role: "any" }],
        },
      ],
      teams: { support: { roles: ["pro"] } },
      people: [
        { id: "p1", name: "Pro One", team: "support" },
        { id: "p2", name: "Pro Two", team: "support" },
        ...[1, 2, 3, 4, 5, 6].map((n) => ({ id: `g${n}`, name: `Guest ${n}` })),
      ],
    });
    const now = Date.parse("2026-11-23T06:00:00Z");
    const result = planRota({ roster: daily, previous: { entries: [] }, now });
    const rows = result.fairness;
    const shifts = rows.reduce((sum, row) => sum + row.shifts, 0);
    const owed = rows.reduce((sum, row) => sum + row.expected, 0);
    // 28 days × 2 seats, every one filled: the shares add up to them.
    expect(shifts).toBe(56);
    expect(owed).toBeCloseTo(56, 6);
    for (const id of ["p1", "p2"]) {
      const row = rows.find((r) => r.id === id);
      // Every pro seat is theirs (none of the seats anyone can fill), and so is their share.
      expect(row?.shifts, id).toBe(14);
      expect(row?.expected, id).toBeCloseTo(14, 6);
    }
    for (const row of rows) {
      expect(Math.abs(row.shifts - row.expected), row.id).toBeLessThanOrEqual(1);
    }
    // `rota report` four weeks on, over the shifts served: the same shares.
    const report = buildReport({
      roster: daily,
      entries: result.schedule.entries,
      ...(result.schedule.plannedUntil ? { plannedUntil: result.schedule.plannedUntil } : {}),
      notes: [],
      now: Date.parse("2026-12-21T06:00:00Z"),
    });
    for (const id of ["p1", "p2"]) {
      const person = report.people.find((p) => p.id === id);
      expect(person?.served, id).toBe(14);
      expect(person?.expected, id).toBeCloseTo(14, 1);
    }
  });
});

describe("a night desk (seats that run past midnight)", () => {
  // One pro seat a night, 22:00 to 06:00; Ole's holiday starts on Monday 30
  // November, so Sunday night's seat, which ends on Monday, is not his to take.
  const nights = roster({
    timezone: "Europe/London",
    horizon_weeks: 2,
    shifts: [
      {
        id: "night",
        days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        start: "22:00",
        end: "06:00",
        seats: [{ role: "pro" }],
      },
    ],
    teams: { support: { roles: ["pro"] } },
    people: [
      { id: "nia", name: "Nia", team: "support" },
      { id: "ole", name: "Ole", team: "support", away: [{ from: "2026-11-30", to: "2026-12-06" }] },
    ],
  });
  const first = toDay("2026-11-23");
  const nightsFrom = (from: Day, count: number, lastDay = 1): SeatDay[] =>
    Array.from({ length: count }, (_, i) => ({
      day: from + i,
      shift: "night",
      roles: ["pro"],
      lastDay: from + i + lastDay,
    }));

  test("nobody is owed the night before their time away, which ends on a day they are away", () => {
    const team = resolveTeam(nights);
    const shares = new Shares(team, nightsFrom(first, 14), first, first + 14);
    const [nia, ole] = team.listed as [Member, Member];
    // Six nights shared (23–28 November), then Nia alone: Sunday the 29th and the week away.
    expect(shares.expected(ole, first, first + 14)).toBeCloseTo(3, 9);
    expect(shares.expected(nia, first, first + 14)).toBeCloseTo(11, 9);
    // A share asked for up to the day the time away starts leaves that night out too.
    expect(shares.expected(ole, first, first + 7)).toBeCloseTo(3, 9);
    // Seats that end on the day they start (a midnight end counts so) are shared as before.
    const evenings = new Shares(team, nightsFrom(first, 14, 0), first, first + 14);
    expect(evenings.expected(ole, first, first + 14)).toBeCloseTo(3.5, 9);
  });

  test("nor the night of their last day on the roster", () => {
    const leaving = roster({
      ...nights,
      people: [
        { id: "nia", name: "Nia", team: "support" },
        { id: "ole", name: "Ole", team: "support", left: "2026-11-29" },
      ],
    });
    const team = resolveTeam(leaving);
    const shares = new Shares(team, nightsFrom(first, 14), first, first + 14);
    const [nia, ole] = team.listed as [Member, Member];
    expect(shares.expected(ole, first, first + 14)).toBeCloseTo(3, 9);
    expect(shares.expected(nia, first, first + 14)).toBeCloseTo(11, 9);
  });

  test("a day of day seats beside the night ones is shared as before", () => {
    const team = resolveTeam(nights);
    const seatDays = [
      ...nightsFrom(first, 14),
      { day: first + 6, shift: "night", roles: ["pro"], lastDay: first + 6 },
    ];
    const shares = new Shares(team, seatDays, first, first + 14);
    const ole = team.listed[1] as Member;
    // Sunday the 29th holds a seat Ole can take: he is owed half of that day's two.
    expect(shares.expected(ole, first, first + 14)).toBeCloseTo(4, 9);
  });

  test("the plan and the report owe each person the nights they can take", () => {
    const now = Date.parse("2026-11-23T06:00:00Z");
    const result = planRota({ roster: nights, previous: { entries: [] }, now });
    expect(violations(nights, result, now)).toEqual([]);
    const row = (id: string) => result.fairness.find((r) => r.id === id);
    // Every night filled, and the shares add up to them, as the seats held do.
    expect(result.gaps).toEqual([]);
    expect(row("nia")?.expected).toBeCloseTo(11, 6);
    expect(row("ole")?.expected).toBeCloseTo(3, 6);
    expect(row("nia")?.shifts).toBe(11);
    expect(row("ole")?.shifts).toBe(3);
    // Two weeks on, a plan reads the same from the record of the nights served…
    const later = planRota({
      roster: nights,
      previous: result.schedule,
      now: Date.parse("2026-12-07T12:00:00Z"),
    });
    const served = later.fairnessFor(first, first + 14);
    expect(served.find((r) => r.id === "nia")?.expected).toBeCloseTo(11, 6);
    expect(served.find((r) => r.id === "ole")?.expected).toBeCloseTo(3, 6);
    // …and so does `rota report`.
    const report = buildReport({
      roster: nights,
      entries: result.schedule.entries,
      ...(result.schedule.plannedUntil ? { plannedUntil: result.schedule.plannedUntil } : {}),
      notes: [],
      now: Date.parse("2026-12-07T12:00:00Z"),
    });
    for (const [id, served] of [
      ["nia", 11],
      ["ole", 3],
    ] as const) {
      const person = report.people.find((p) => p.id === id);
      expect(person?.served, id).toBe(served);
      expect(person?.expected, id).toBeCloseTo(served, 6);
    }
  });
});

describe("recordedLastDay", () => {
  const day = toDay("2026-11-29");
  test("the date a recorded end is written with, a midnight end the day before's", () => {
    expect(recordedLastDay({ end: "2026-11-30T06:00:00+00:00" }, day)).toBe(day + 1);
    expect(recordedLastDay({ end: "2026-11-29T17:00:00-05:00" }, day)).toBe(day);
    expect(recordedLastDay({ end: "2026-11-30T00:00:00+01:00" }, day)).toBe(day);
  });
  test("its own day where the end cannot be read so", () => {
    expect(recordedLastDay({ end: "soon" }, day)).toBe(day);
    expect(recordedLastDay({ end: "2026-11-20T06:00:00Z" }, day)).toBe(day);
  });
});
