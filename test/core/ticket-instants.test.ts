import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseIsoInstant } from "../../src/core/instant.ts";
import { median } from "../../src/core/tickets/join.ts";

describe("export timestamps", () => {
  test("the forms exports write, including leap days and offsets, read as Date.parse reads them", () => {
    for (const text of [
      "2026-11-23T09:15:00Z",
      "2024-02-29T23:59:59Z",
      "2026-03-29T02:30:00+02:00",
      "2026-10-25T01:30:00-09:30",
      "2026-01-05T10:00:00.250Z",
      "2026-01-05T10:00:00.250+05:45",
      "0050-06-01T00:00:00Z",
    ]) {
      expect(parseIsoInstant(text), text).toBe(Date.parse(text));
    }
    for (const text of [
      "2026-02-29T10:00:00Z",
      "2026-01-05T24:00:00Z",
      "2026-01-05T10:00:00+19:00",
      "2026-01-05 10:00:00Z",
      "2026-01-05T10:00:00",
    ]) {
      expect(parseIsoInstant(text), text).toBeUndefined();
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
