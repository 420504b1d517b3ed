import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { explainBadInstant, parseIsoInstant } from "../../src/core/instant.ts";
import { parseTimeArgument } from "../../src/core/time.ts";
import { RUNS, SEED } from "../helpers/arbitraries.ts";

/** The plain reading: split the match, count a month's days with Date.UTC, then Date.parse. */
function reference(text: string): number | string {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/.exec(
      text,
    );
  if (!match) return "it is not an ISO time with an offset, like 2026-11-23T09:00:00+01:00";
  const [year, month, day, hour, minute, second, oh, om] = match
    .slice(1)
    .map((part) => Number(part ?? 0)) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const names =
    "January February March April May June July August September October November December";
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days)
    return `${names.split(" ")[month - 1]} ${year} has no day ${day} (it has ${days})`;
  if (hour > 23) return `there is no hour ${hour}`;
  if (minute > 59) return `there is no minute ${minute}`;
  if (second > 59) return `there is no second ${second}`;
  if (om > 59 || oh * 60 + om > 18 * 60) return `${text.slice(-6)} is not an offset from UTC`;
  return Date.parse(text);
}

const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));

const instant = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 4, 99, 100, 1900, 2000, 2024)),
    two(13),
    two(32),
    two(25),
    two(61),
    fc.option(two(61)),
    fc.option(fc.stringMatching(/^\.\d{1,6}$/)),
    fc.oneof(
      fc.constant("Z"),
      fc.tuple(fc.constantFrom("+", "-"), two(19), two(61)).map(([s, h, m]) => `${s}${h}:${m}`),
    ),
  )
  .map(([y, mo, d, h, mi, s, frac, zone]) => {
    const seconds = s === null ? "" : `:${s}${frac ?? ""}`;
    return `${String(y).padStart(4, "0")}-${mo}-${d}T${h}:${mi}${seconds}${zone}`;
  });

/** Timestamps as help-desk exports write them (with milliseconds, odd signs and zones). */

const pad = (n: number, width: number) => String(n).padStart(width, "0");

const stamp = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1999, max: 2030 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    ms: fc.option(fc.integer({ min: 0, max: 999 })),
    zone: fc.oneof(
      fc.constant("Z"),
      fc.constant("z"),
      fc.record({
        sign: fc.constantFrom("+", "-", "−"),
        hours: fc.integer({ min: 0, max: 19 }),
        minutes: fc.integer({ min: 0, max: 61 }),
      }),
    ),
  })
  .map(({ year, month, day, hour, minute, second, ms, zone }) => {
    const offset =
      typeof zone === "string" ? zone : `${zone.sign}${pad(zone.hours, 2)}:${pad(zone.minutes, 2)}`;
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${ms === null ? "" : `.${pad(ms, 3)}`}${offset}`;
  });

describe("instants with an offset", () => {
  test("read as the plain reading reads them, problems and all", () => {
    fc.assert(
      fc.property(fc.oneof(instant, stamp, fc.string()), (text) => {
        const expected = reference(text);
        if (typeof expected === "string") {
          expect(explainBadInstant(text)).toBe(expected);
          expect(parseIsoInstant(text)).toBeUndefined();
        } else {
          expect(explainBadInstant(text)).toBeUndefined();
          expect(parseIsoInstant(text)).toBe(Number.isNaN(expected) ? undefined : expected);
        }
      }),
      { numRuns: RUNS * 50, seed: SEED },
    );
  });

  test.each([
    ["2026-11-23T09:00:00+01:00", Date.UTC(2026, 10, 23, 8)],
    ["2026-11-23T09:00-05:30", Date.UTC(2026, 10, 23, 14, 30)],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
    ["2026-03-29T01:59:59.999Z", Date.UTC(2026, 2, 29, 1, 59, 59, 999)],
    ["0050-01-01T00:00:00Z", Date.parse("0050-01-01T00:00:00Z")],
  ])("%s", (text, ms) => expect(parseIsoInstant(text)).toBe(ms));

  test.each([
    ["2027-02-29T00:00:00Z", "February 2027 has no day 29 (it has 28)"],
    ["0000-02-29T00:00:00Z", "February 0 has no day 29 (it has 28)"],
    ["2026-11-23T24:00:00Z", "there is no hour 24"],
    ["2026-11-23T09:00:00+18:01", "+18:01 is not an offset from UTC"],
  ])("%s is refused", (text, why) => expect(explainBadInstant(text)).toBe(why));
});

describe("--now, ROTA_NOW and --at", () => {
  test("an offset beyond 18 hours, or of 60 minutes or more, is no time, however it is written", () => {
    for (const text of [
      "2026-11-24T10:00+25:00",
      "2026-11-24T10:00+99:59",
      "2026-11-24T10:00-30:00",
      "2026-11-24T10:00+05:75",
      "2026-11-24T10:00+2500",
      "2026-11-24T10:00:00-1900",
    ]) {
      expect(parseTimeArgument(text, "Europe/Berlin"), text).toBeUndefined();
    }
  });

  test("offsets ISO readers accept, and local times read in the zone", () => {
    const hour = 3_600_000;
    const at = Date.parse("2026-11-24T10:00:00Z");
    expect(parseTimeArgument("2026-11-24T10:00+18:00", "UTC")).toBe(at - 18 * hour);
    expect(parseTimeArgument("2026-11-24T10:00+0530", "UTC")).toBe(at - 5.5 * hour);
    expect(parseTimeArgument("2026-11-24T10:00+01", "UTC")).toBe(at - hour);
    expect(parseTimeArgument("2026-11-24T10:00", "Europe/Berlin")).toBe(at - hour);
    expect(parseTimeArgument("2026-11-24", "Europe/Berlin")).toBe(at - 11 * hour);
  });
});
