import { describe, expect, it } from "vitest";
import { fromDay, toDay } from "../../src/core/dates.ts";
import { wallTime } from "../../src/core/time.ts";

/** What fromDay gave before it worked the date out itself. */
const viaDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

describe("fromDay", () => {
  it("gives the text the ISO string gives, every day from 1970 to 10000 and around", () => {
    for (let day = -800; day <= 2_933_400; day++) {
      const text = fromDay(day);
      if (text !== viaDate(day)) expect([day, text]).toEqual([day, viaDate(day)]);
    }
  });

  it("and toDay reads it back", () => {
    for (const date of ["1970-01-01", "2000-02-29", "2026-11-23", "2100-03-01", "9999-12-31"]) {
      expect(fromDay(toDay(date))).toBe(date);
    }
  });
});

describe("wallTime", () => {
  it("gives the ISO string's date and time, to the second, at and around every edge", () => {
    const edges = [
      0,
      Date.UTC(2026, 10, 23, 9),
      Date.UTC(2028, 1, 29, 23, 59, 59, 999),
      Date.UTC(10_000, 0, 1),
    ];
    const samples: number[] = [-1, -86_400_001, 1.5, 8.64e15];
    for (const edge of edges) for (let d = -2000; d <= 2000; d += 999) samples.push(edge + d);
    // Every hour and a few odd instants of two years, and whole days to 9999.
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 3_600_000 + 61_001)
      samples.push(ms);
    for (let ms = 0; ms < Date.UTC(10_000, 0, 1); ms += 86_400_000 * 37 + 1_234) samples.push(ms);
    for (const ms of samples) {
      const expected = new Date(ms).toISOString().slice(0, 19);
      if (wallTime(ms) !== expected) expect([ms, wallTime(ms)]).toEqual([ms, expected]);
    }
  });
});
