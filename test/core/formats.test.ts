import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  checkTimeZone,
  DATE,
  explainBadDate,
  isRealDate,
  isReservedFileName,
  parsePeriod,
  parseTime,
  SLUG,
} from "../../src/core/roster/formats.ts";
import { isDateText } from "../../src/core/yaml-block.ts";
import { ZONE_NAMES } from "../../src/core/zones.generated.ts";

describe("roster formats", () => {
  test("real calendar dates, leap years included", () => {
    expect(isRealDate("2028-02-29")).toBe(true);
    expect(isRealDate("2026-02-29")).toBe(false);
    expect(isRealDate("2026-04-31")).toBe(false);
    expect(isRealDate("2026-00-10")).toBe(false);
    expect(explainBadDate("2026-02-29")).toBe(
      "2026-02-29 is not a real date: February 2026 has 28 days",
    );
    expect(isRealDate("2000-02-29")).toBe(true);
    expect(isRealDate("1900-02-29")).toBe(false);
    expect(isRealDate("2026-12-32")).toBe(false);
    expect(isRealDate("2026-1-10")).toBe(false);
  });

  test("a date is real exactly when the calendar round-trips it", () => {
    const pad = (n: number, width: number) => String(n).padStart(width, "0");
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, day) => {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          const date = new Date(`${text}T00:00:00Z`);
          const roundTrips =
            !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
          expect(isRealDate(text)).toBe(roundTrips);
        },
      ),
      { seed: 42, numRuns: 2000 },
    );
  });

  test("a date's shape is told by character code exactly as DATE tells it", () => {
    const near = fc.constantFrom(..."0123456789-/ ٣a\n");
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: near, minLength: 9, maxLength: 11 }), fc.string()),
        (text) => {
          expect(isDateText(text)).toBe(DATE.test(text));
          if (!DATE.test(text)) expect(isRealDate(text)).toBe(false);
        },
      ),
      { seed: 7, numRuns: 3000 },
    );
  });

  test("names Windows refuses as file names, whatever their length", () => {
    for (const id of ["con", "prn", "aux", "nul", "com0", "com9", "lpt1", "lpt9"]) {
      expect(isReservedFileName(id)).toBe(true);
    }
    for (const id of ["co", "cons", "com", "com10", "lpt", "nul-1", "console", "p0", ""]) {
      expect(isReservedFileName(id)).toBe(false);
    }
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
    // tzdata's old names for zones are named as the zones are, not called abbreviations.
    expect(checkTimeZone("Japan")).toBe(
      '"Japan" is an old alias of the time zone Asia/Tokyo: write Asia/Tokyo',
    );
    expect(checkTimeZone("Zulu")).toBe('"Zulu" is an old alias of the time zone UTC: write UTC');
    expect(checkTimeZone("Japna")).toBe('unknown time zone "Japna"; did you mean "Japan"?');
    expect(checkTimeZone("Berlin")).toMatch(/^unknown time zone "Berlin"/);
    expect(checkTimeZone("Europe/Berln")).toBe(
      'unknown time zone "Europe/Berln"; did you mean "Europe/Berlin"?',
    );
  });

  test("every zone rota knows is accepted, and only those", () => {
    // The lookup is a binary search: it needs the list in `<` order, without repeats.
    for (let i = 1; i < ZONE_NAMES.length; i++) {
      expect((ZONE_NAMES[i - 1] as string) < (ZONE_NAMES[i] as string), ZONE_NAMES[i]).toBe(true);
    }
    const known = new Set(ZONE_NAMES);
    for (const zone of ZONE_NAMES) {
      if (zone.includes("/") || zone === "UTC") expect(checkTimeZone(zone), zone).toBeUndefined();
      // Each zone with a letter more, or one fewer, is another name: refused unless rota knows it.
      for (const near of [`${zone}x`, zone.slice(0, -1), `A${zone}`, ` ${zone}`]) {
        if (!known.has(near)) expect(checkTimeZone(near), near).toBeDefined();
      }
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => {
        if (!known.has(name)) expect(checkTimeZone(name)).toBeDefined();
      }),
    );
  });
});
