import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ROOT } from "../helpers/cli.ts";

// The bundle gives date-holidays scripts/moment-for-holidays.cjs in place of
// moment-timezone (see scripts/build.mjs): it must give the day moment-timezone
// gives for every equinox and solstice date-holidays places, and for any
// instant in any zone or offset it may be asked about.
const require = createRequire(import.meta.url);
type Day = { year(): number; month(): number; date(): number };
type Moment = ((iso: string) => { utcOffset(offset: string): Day; tz(zone: string): Day }) & {
  tz(...args: unknown[]): unknown;
};
const standIn = require("../../scripts/moment-for-holidays.cjs") as Moment;
const moment = require("moment-timezone") as Moment;
// What date-holidays-parser's Equinox computes, from the same library and data.
const { julian, planetposition, solstice } = (await import("astronomia" as string)) as {
  julian: { Calendar: new () => { fromJDE(jde: number): { toDate(): Date } } };
  planetposition: { Planet: new (data: unknown) => unknown };
  solstice: Record<string, (year: number, planet: unknown) => number>;
};
const { vsop87Bearth } = (await import(
  path.join(ROOT, "node_modules/date-holidays-parser/src/vsop87Bearth.js")
)) as { vsop87Bearth: unknown };

type Place = { offset: string } | { zone: string };

/** The year, month and day of an instant at a place, as `lib` gives them. */
function dayAt(lib: Moment, iso: string, place: Place): number[] {
  const day = "offset" in place ? lib(iso).utcOffset(place.offset) : lib(iso).tz(place.zone);
  return [day.year(), day.month(), day.date()];
}

describe("moment-timezone's stand-in for date-holidays", () => {
  // Where date-holidays' data places an equinox or a solstice: Japan's
  // (+09:00), Chile's (America/Santiago) and Taiwan's (no zone: GMT).
  const PLACES: Place[] = [
    { offset: "+09:00" },
    { zone: "America/Santiago" },
    { zone: "GMT" },
    { zone: "Asia/Tokyo" },
  ];

  test("every equinox and solstice from 1900 to 2200 falls on moment-timezone's day", () => {
    const earth = new planetposition.Planet(vsop87Bearth);
    let compared = 0;
    for (let year = 1900; year <= 2200; year++) {
      for (const season of ["march2", "june2", "september2", "december2"]) {
        const jde = (solstice[season] as (year: number, planet: unknown) => number)(year, earth);
        const iso = new julian.Calendar().fromJDE(jde).toDate().toISOString();
        for (const place of PLACES) {
          const label = `${iso} ${JSON.stringify(place)}`;
          expect(dayAt(standIn, iso, place), label).toEqual(dayAt(moment, iso, place));
          compared++;
        }
      }
    }
    expect(compared).toBe(301 * 4 * PLACES.length);
  });

  test("any instant, in any zone or offset, the day moment-timezone gives", () => {
    const zones = ["America/Santiago", "Asia/Tokyo", "GMT", "Pacific/Apia", "Australia/Lord_Howe"];
    const offsets = ["+09:00", "-03:30", "+14:00", "-12:00", "+00:00", "+05:45"];
    fc.assert(
      fc.property(
        // 1970 to 2100: the years rota plans in, with every clock change of them.
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.constantFrom<Place>(
          ...zones.map((zone) => ({ zone })),
          ...offsets.map((offset) => ({ offset })),
        ),
        (ms, place) => {
          const iso = new Date(ms).toISOString();
          expect(dayAt(standIn, iso, place)).toEqual(dayAt(moment, iso, place));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test("placing a holiday in a time zone, which rota never asks, fails loudly", () => {
    expect(() => standIn.tz("2027-03-21 00:00", "Asia/Tokyo")).toThrow(/without a time zone/);
    expect(() => standIn("not a time")).toThrow(/not ISO 8601/);
    expect(() => standIn("2027-03-21T00:00:00Z").utcOffset("+9")).toThrow(/not ±hh:mm/);
  });
});

describe("the built bundle", () => {
  test("holds no moment-timezone: neither its zone data nor moment itself", () => {
    const dist = path.join(ROOT, "dist");
    const files = (readdirSync(dist, { recursive: true }) as string[])
      .filter((name) => name.endsWith(".js"))
      .map((name) => path.join(dist, name));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      // A line of moment-timezone's packed data, and moment's own version check.
      expect(text.includes("Africa/Abidjan|LMT GMT"), file).toBe(false);
      expect(text.includes("Moment Timezone"), file).toBe(false);
    }
  });
});
