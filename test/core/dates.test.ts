import { describe, expect, it } from "vitest";
import { fromDay, toDay } from "../../src/core/dates.ts";

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
