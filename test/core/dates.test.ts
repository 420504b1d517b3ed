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

describe("toDay", () => {
  /** What toDay gave before it read the digits itself. */
  const viaUtc = (date: string) => {
    const y = Number(date.slice(0, 4));
    const m = Number(date.slice(5, 7));
    const d = Number(date.slice(8, 10));
    return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
  };

  it("reads every date from 1000 to 9999 as Date.UTC does, and odd ones the same way too", () => {
    for (let day = -354_285; day <= 2_932_896; day += 1) {
      const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (toDay(date) !== day) expect([date, toDay(date)]).toEqual([date, day]);
    }
    const odd = [
      "2026-02-30",
      "2026-04-31",
      "2026-01-00",
      "2026-12-99",
      "2026-13-01",
      "2026-00-10",
      "0999-12-31",
      "1000-01-01",
      "2026-1-01",
      "2026/01/01",
      "20261101xx",
      "abcd-ef-gh",
      "2026-01-01T",
    ];
    for (const date of odd) expect(Object.is(toDay(date), viaUtc(date))).toBe(true);
  });

  it("reads the years 0000 to 0999 as themselves (Date.UTC reads 0 to 99 as 1900 to 1999)", () => {
    for (let day = -719_528; day < -354_285; day += 1) {
      const date = viaDate(day);
      if (toDay(date) !== day) expect([date, toDay(date)]).toEqual([date, day]);
    }
    expect(toDay("0099-01-01")).toBe(toDay("0100-01-01") - 365);
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
