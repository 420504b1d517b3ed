import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseIsoInstant } from "../../src/core/instant.ts";
import { isoInstant, median } from "../../src/core/tickets/join.ts";

/** Timestamps read from their digits give what the general reader gives, or are left to it. */

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

describe("reading export timestamps from their digits", () => {
  test("the same instant as the general reader, or left to it", () => {
    fc.assert(
      fc.property(stamp, (text) => {
        const fast = isoInstant(text);
        if (fast !== undefined) expect(fast).toBe(parseIsoInstant(text));
      }),
      { numRuns: 20_000 },
    );
  });

  test("the forms exports write, including leap days and offsets", () => {
    for (const text of [
      "2026-11-23T09:15:00Z",
      "2024-02-29T23:59:59Z",
      "2026-03-29T02:30:00+02:00",
      "2026-10-25T01:30:00-09:30",
      "2026-01-05T10:00:00.250Z",
      "2026-01-05T10:00:00.250+05:45",
      "0050-06-01T00:00:00Z",
    ]) {
      expect(isoInstant(text), text).toBe(parseIsoInstant(text));
      expect(isoInstant(text), text).not.toBeUndefined();
    }
    for (const text of [
      "2026-02-29T10:00:00Z",
      "2026-01-05T24:00:00Z",
      "2026-01-05T10:00:00+19:00",
      "2026-01-05 10:00:00Z",
      "2026-01-05T10:00:00",
      "2026-01-05T10:00Z",
    ]) {
      expect(isoInstant(text), text).toBeUndefined();
    }
  });
});

describe("medians of a group's figures", () => {
  test("the middle of the sorted values, found without sorting", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 1e6, noNaN: true })),
          { maxLength: 60 },
        ),
        fc.nat(5),
        (list, offset) => {
          const sorted = [...list].sort((a, b) => a - b);
          const m = Math.floor(sorted.length / 2);
          const expected =
            sorted.length === 0
              ? null
              : Math.round(
                  (sorted.length % 2
                    ? (sorted[m] as number)
                    : ((sorted[m - 1] as number) + (sorted[m] as number)) / 2) * 10,
                ) /
                  10 +
                0;
          const values = new Float64Array([...Array(offset).fill(-1), ...list, 7]);
          expect(median(values, offset, offset + list.length)).toBe(expected);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
