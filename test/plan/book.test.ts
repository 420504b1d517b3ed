import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Assignment, Book } from "../../src/core/plan/board.ts";
import { RUNS, SEED } from "../helpers/arbitraries.ts";

const DAY_MS = 86_400_000;

/**
 * A person's occurrences: local days close together (so that many fall
 * within a gap of each other), each starting at an instant up to a day
 * before its local day begins or two after (time zones, late shifts), as the
 * planner's occurrences do; several on one day at times.
 */
const assignments = fc
  .array(
    fc.record({
      day: fc.integer({ min: 20_000, max: 20_060 }),
      offset: fc.integer({ min: -DAY_MS, max: 2 * DAY_MS - 1 }),
      hours: fc.integer({ min: 1, max: 12 }),
    }),
    { maxLength: 40 },
  )
  .map((items) =>
    items.map(
      ({ day, offset, hours }, i): Assignment => ({
        id: `o${i}`,
        day,
        start: day * DAY_MS + offset,
        end: day * DAY_MS + offset + hours * 3_600_000,
        slot: undefined,
      }),
    ),
  );

const query = fc.record({
  day: fc.integer({ min: 19_990, max: 20_070 }),
  gap: fc.integer({ min: 0, max: 21 }),
  except: fc.integer({ min: 0, max: 45 }).map((i) => `o${i}`),
  alsoExcept: fc.integer({ min: 0, max: 45 }).map((i) => `o${i}`),
});

function bookOf(list: Assignment[]): Book {
  const book = new Book();
  for (const a of list) book.add(a);
  return book;
}

describe("Book, a person's occurrences", () => {
  it("finds the first within min_gap_days of a day as a look at every one would", () => {
    fc.assert(
      fc.property(assignments, query, (list, { day, gap, except, alsoExcept }) => {
        const book = bookOf(list);
        const everyOne = book.list.find(
          (a) => a.id !== except && a.id !== alsoExcept && Math.abs(a.day - day) < gap,
        );
        expect(book.firstNear(day, gap, except, (a) => a.id !== alsoExcept)).toBe(everyOne);
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });

  it("finds the nearest within min_gap_days, and counts them, as a look at every one would", () => {
    fc.assert(
      fc.property(assignments, query, (list, { day, gap, except }) => {
        const book = bookOf(list);
        const near = book.list.filter((a) => a.id !== except && Math.abs(a.day - day) < gap);
        expect(book.countNear(day, gap, except)).toBe(near.length);
        const nearest = book.withinGap(day, gap, except);
        if (near.length === 0) expect(nearest).toBeUndefined();
        else {
          const distance = Math.min(...near.map((a) => Math.abs(a.day - day)));
          expect(nearest && Math.abs(nearest.day - day)).toBe(distance);
        }
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });

  it("keeps its occurrences in order of start", () => {
    fc.assert(
      fc.property(assignments, (list) => {
        const starts = bookOf(list).list.map((a) => a.start);
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
