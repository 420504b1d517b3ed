import { describe, expect, test } from "vitest";
import { toDay } from "../../src/core/dates.ts";
import { occurrenceOn, resolveShift } from "../../src/core/plan/shifts.ts";
import { parseRoster } from "../../src/core/roster/parse.ts";
import { at } from "../helpers/roster.ts";

const HOUR = 3_600_000;

function night(zone: string, start: string, end: string, date: string) {
  const shift = resolveShift(
    {
      id: "night",
      days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
      start,
      end,
      seats: [{ role: "any" }],
    },
    zone,
  );
  return occurrenceOn(shift, toDay(date));
}

describe("occurrences across daylight-saving changes", () => {
  test.each([
    [
      "Europe/Berlin",
      "22:00",
      "08:00",
      "2025-03-29",
      9,
      "2025-03-29T22:00:00+01:00",
      "2025-03-30T08:00:00+02:00",
    ],
    [
      "Europe/Berlin",
      "22:00",
      "08:00",
      "2025-10-25",
      11,
      "2025-10-25T22:00:00+02:00",
      "2025-10-26T08:00:00+01:00",
    ],
    [
      "America/New_York",
      "22:00",
      "06:00",
      "2025-03-08",
      7,
      "2025-03-08T22:00:00-05:00",
      "2025-03-09T06:00:00-04:00",
    ],
    [
      "America/New_York",
      "22:00",
      "06:00",
      "2025-11-01",
      9,
      "2025-11-01T22:00:00-04:00",
      "2025-11-02T06:00:00-05:00",
    ],
  ])("%s %s–%s from %s lasts %i hours", (zone, start, end, date, hours, startIso, endIso) => {
    const o = night(zone, start, end, date);
    expect((o.end - o.start) / HOUR).toBe(hours);
    expect(o.startIso).toBe(startIso);
    expect(o.endIso).toBe(endIso);
    expect(o.lastDay).toBe(toDay(date) + 1);
  });

  test("an all-day shift is local midnight to midnight, 23 hours on the spring change", () => {
    const shift = resolveShift(
      { id: "day", days: ["sun"], all_day: true, seats: [{ role: "any" }] },
      "Europe/Berlin",
    );
    const o = occurrenceOn(shift, toDay("2026-03-29"));
    expect(o.startIso).toBe("2026-03-29T00:00:00+01:00");
    expect(o.endIso).toBe("2026-03-30T00:00:00+02:00");
    expect((o.end - o.start) / HOUR).toBe(23);
    expect(o.lastDay).toBe(o.day);
  });
});

function rosterText(zone: string, days: string, start: string, end: string): string {
  return [
    "version: 1",
    "team: Acme",
    `timezone: ${zone}`,
    "horizon_weeks: 8",
    "shifts:",
    "  - id: night",
    `    days: [${days}]`,
    `    start: "${start}"`,
    `    end: "${end}"`,
    "    seats: [{ role: any }]",
    "people:",
    "  - { id: ada, name: Ada }",
    "",
  ].join("\n");
}

describe("validation refuses shift times inside a clock change", () => {
  test("02:30 in Berlin on the last Sunday of March does not exist", () => {
    const { problems } = parseRoster(
      rosterText("Europe/Berlin", "sun", "02:30", "06:00"),
      "r.yaml",
      {
        now: at("2027-03-01T12:00:00Z"),
      },
    );
    expect(problems).toEqual([
      {
        file: "r.yaml",
        line: 8,
        col: 12,
        severity: "error",
        message:
          'shift "night" starts at 02:30, which does not exist in Europe/Berlin on 2027-03-28 (the clocks jump forward); choose a time outside the change',
      },
    ]);
  });

  test("a Saturday night shift ending 02:30 in Berlin on the last Sunday of October: twice", () => {
    const { problems } = parseRoster(
      rosterText("Europe/Berlin", "sat", "22:00", "02:30"),
      "r.yaml",
      {
        now: at("2026-10-01T12:00:00Z"),
      },
    );
    expect(problems.map((p) => [p.line, p.col, p.message])).toEqual([
      [
        9,
        10,
        'shift "night" ends at 02:30, which happens twice in Europe/Berlin on 2026-10-25 (the clocks go back); choose a time outside the change',
      ],
    ]);
  });

  test("01:30 in New York in early November happens twice", () => {
    const { problems } = parseRoster(
      rosterText("America/New_York", "sun", "01:30", "05:00"),
      "r.yaml",
      {
        now: at("2026-10-20T12:00:00Z"),
      },
    );
    expect(problems[0]?.message).toBe(
      'shift "night" starts at 01:30, which happens twice in America/New_York on 2026-11-01 (the clocks go back); choose a time outside the change',
    );
  });

  test("the same time on weekdays only is fine: the change is on a Sunday", () => {
    const { problems, roster } = parseRoster(
      rosterText("Europe/Berlin", "mon, tue, wed, thu, fri", "02:30", "06:00"),
      "r.yaml",
      { now: at("2027-03-01T12:00:00Z") },
    );
    expect(problems).toEqual([]);
    expect(roster).toBeDefined();
  });

  test("a change beyond the planning horizon is refused now, not the week it enters it", () => {
    // Planned 8 weeks ahead from November: the March change is months away.
    const { problems, roster } = parseRoster(
      rosterText("Europe/Berlin", "sun", "02:30", "06:00"),
      "r.yaml",
      { now: at("2026-11-23T12:00:00Z") },
    );
    expect(roster).toBeUndefined();
    expect(problems.map((p) => p.message)).toEqual([
      'shift "night" starts at 02:30, which does not exist in Europe/Berlin on 2027-03-28 (the clocks jump forward); choose a time outside the change',
    ]);
  });

  test("every change in the years a shift runs is checked, each boundary at its first clash", () => {
    // Just after the spring change: the end (Sunday 01:30, after Saturday's
    // shift) clashes in the autumn, the start (Sunday 02:30) next spring.
    const { problems } = parseRoster(
      rosterText("America/New_York", "sat, sun", "02:30", "01:30"),
      "r.yaml",
      { now: at("2026-03-12T12:00:00Z") },
    );
    expect(problems.map((p) => p.message)).toEqual([
      'shift "night" starts at 02:30, which does not exist in America/New_York on 2027-03-14 (the clocks jump forward); choose a time outside the change',
      'shift "night" ends at 01:30, which happens twice in America/New_York on 2026-11-01 (the clocks go back); choose a time outside the change',
    ]);
  });

  test("a zone without clock changes needs no check, however far ahead", () => {
    const { problems } = parseRoster(rosterText("Asia/Tokyo", "sun", "02:30", "01:30"), "r.yaml", {
      now: at("2026-03-09T12:00:00Z"),
    });
    expect(problems).toEqual([]);
  });
});

describe("ZoneClock: fast wall-time conversion agrees with luxon", () => {
  test("every zone, random days and times (the first instant when a time repeats)", async () => {
    const fc = (await import("fast-check")).default;
    const { ZONE_NAMES } = await import("../../src/core/zones.generated.ts");
    const { wallTimeToInstant, zoneClock, isoInZone } = await import("../../src/core/time.ts");
    const zones = ZONE_NAMES.filter((zone) => zone.includes("/") || zone === "UTC");
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: toDay("2025-01-01"), max: toDay("2030-12-31") }),
        fc.integer({ min: 0, max: 1439 }),
        (zone, day, minutes) => {
          const expected = wallTimeToInstant(day, minutes, zone);
          const clock = zoneClock(zone);
          const got = clock.instant(day, minutes);
          if (expected.status !== "skipped") {
            expect(got.ms).toBe(expected.ms);
            expect(clock.iso(got.ms, got.offset)).toBe(isoInZone(got.ms, zone));
          } else {
            // A skipped time moves forward by the gap: just after the change.
            expect(clock.offsetAt(got.ms)).toBe(got.offset);
          }
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });

  test("offsets at any instant are luxon's, in every zone, long ago and far ahead", async () => {
    const fc = (await import("fast-check")).default;
    const { IANAZone } = await import("luxon");
    const { ZONE_NAMES } = await import("../../src/core/zones.generated.ts");
    const { zoneClock } = await import("../../src/core/time.ts");
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONE_NAMES),
        // From local mean time (offsets with seconds) to well past any plan.
        fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (zone, ms) => {
          expect(zoneClock(zone).offsetAt(ms)).toBe(IANAZone.create(zone).offset(ms));
        },
      ),
      { numRuns: 3000, seed: 12 },
    );
  });

  test("around the changes themselves", async () => {
    const { zoneClock } = await import("../../src/core/time.ts");
    const berlin = zoneClock("Europe/Berlin");
    expect(berlin.iso(berlin.instant(toDay("2026-03-29"), 150).ms)).toBe(
      "2026-03-29T03:30:00+02:00",
    );
    expect(berlin.iso(berlin.instant(toDay("2026-10-25"), 150).ms)).toBe(
      "2026-10-25T02:30:00+02:00",
    );
    expect(berlin.iso(berlin.instant(toDay("2026-10-25"), 210).ms)).toBe(
      "2026-10-25T03:30:00+01:00",
    );
    const santiago = zoneClock("America/Santiago");
    // Midnight does not exist there on the day clocks go forward (2026-09-06).
    expect(santiago.iso(santiago.instant(toDay("2026-09-06"), 0).ms)).toBe(
      "2026-09-06T01:00:00-03:00",
    );
    expect(zoneClock("UTC").iso(Date.UTC(2026, 0, 1))).toBe("2026-01-01T00:00:00Z");
  });
});
