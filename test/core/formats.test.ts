import { describe, expect, test } from "vitest";
import {
  checkTimeZone,
  explainBadDate,
  isRealDate,
  parsePeriod,
  parseTime,
  SLUG,
} from "../../src/core/roster/formats.ts";

describe("roster formats", () => {
  test("real calendar dates, leap years included", () => {
    expect(isRealDate("2028-02-29")).toBe(true);
    expect(isRealDate("2026-02-29")).toBe(false);
    expect(isRealDate("2026-04-31")).toBe(false);
    expect(isRealDate("2026-00-10")).toBe(false);
    expect(explainBadDate("2026-02-29")).toBe(
      "2026-02-29 is not a real date: February 2026 has 28 days",
    );
  });

  test("times", () => {
    expect(parseTime("09:00")).toBe(540);
    expect(parseTime("9:05")).toBe(545);
    expect(parseTime("23:59")).toBe(1439);
    expect(parseTime("24:00")).toBeUndefined();
    expect(parseTime("9am")).toBeUndefined();
  });

  test("periods", () => {
    expect(parsePeriod("1 month")).toEqual({ count: 1, unit: "month" });
    expect(parsePeriod("month")).toEqual({ count: 1, unit: "month" });
    expect(parsePeriod("2 weeks")).toEqual({ count: 2, unit: "week" });
    expect(parsePeriod("quarter")).toEqual({ count: 1, unit: "quarter" });
    expect(parsePeriod("monthly")).toBeUndefined();
    expect(parsePeriod("0 months")).toBeUndefined();
  });

  test("ids are slugs safe as file names", () => {
    for (const id of ["ada", "emea-day", "p_01", "a"]) expect(SLUG.test(id), id).toBe(true);
    for (const id of ["Ada", "..", "a/b", "a b", "-a", "a-", "", "é", "a".repeat(65)]) {
      expect(SLUG.test(id), id).toBe(false);
    }
  });

  test("time zones", () => {
    expect(checkTimeZone("Europe/Berlin")).toBeUndefined();
    expect(checkTimeZone("UTC")).toBeUndefined();
    expect(checkTimeZone("America/Argentina/Buenos_Aires")).toBeUndefined();
    expect(checkTimeZone("europe/berlin")).toBe(
      'time zone "europe/berlin" is spelled "Europe/Berlin"',
    );
    expect(checkTimeZone("CET")).toMatch(/is an abbreviation/);
    expect(checkTimeZone("Europe/Berln")).toBe(
      'unknown time zone "Europe/Berln"; did you mean "Europe/Berlin"?',
    );
  });
});
