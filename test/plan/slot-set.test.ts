import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Board, Book, type PersonState, type Slot } from "../../src/core/plan/board.ts";
import type { Member } from "../../src/core/plan/people.ts";
import type { Occurrence } from "../../src/core/plan/shifts.ts";
import { SlotSet } from "../../src/core/plan/slot-set.ts";
import { RUNS, SEED } from "../helpers/arbitraries.ts";

const DAY_MS = 86_400_000;
const SEATS = 3;

/**
 * A board of `slots` one-day occurrences of three seats (more than fit one
 * word of the set's bits, at times) and `people` people, some of them
 * newcomers, some with the pair role: only what placing and vacating seats
 * and the questions below read.
 */
function boardOf(slots: number, people: { pro: boolean; newcomer: boolean }[]): Board {
  const states = people.map(
    ({ pro, newcomer }, index): PersonState => ({
      member: { index, id: `p${index}`, roles: new Set(pro ? ["pro"] : []) } as unknown as Member,
      book: new Book(),
      history: 0,
      planned: 0,
      newcomer,
    }),
  );
  return new Board(
    Array.from(
      { length: slots },
      (_, index): Slot => ({
        o: {
          id: `o${index}`,
          day: index,
          start: index * DAY_MS,
          end: index * DAY_MS + 3_600_000,
        } as unknown as Occurrence,
        index,
        seats: Array.from({ length: SEATS }, () => undefined),
        how: Array.from({ length: SEATS }, () => "open" as const),
        relaxed: Array.from({ length: SEATS }, () => undefined),
        kept: Array.from({ length: SEATS }, () => false),
      }),
    ),
    states,
    new Map(),
    "pro",
  );
}

/** Seats placed and vacated, and questions asked between them. */
type Step =
  | { place: number; seat: number; person: number }
  | { vacate: number; seat: number }
  | { ask: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ place: fc.nat(99), seat: fc.nat(SEATS - 1), person: fc.nat(7) }),
  fc.record({ vacate: fc.nat(99), seat: fc.nat(SEATS - 1) }),
  fc.record({ ask: fc.nat(100) }),
);

const cases = fc.record({
  slots: fc.integer({ min: 1, max: 100 }),
  people: fc.array(fc.record({ pro: fc.boolean(), newcomer: fc.boolean() }), {
    minLength: 8,
    maxLength: 8,
  }),
  /** Seats placed before the sets are made. */
  before: fc.array(step, { maxLength: 40 }),
  steps: fc.array(step, { maxLength: 60 }),
});

/** Places or vacates a seat as the step says: a place onto a held seat, or beside oneself, does nothing. */
function apply(board: Board, each: Step): void {
  if ("ask" in each) return;
  const slot = board.slots[
    ("place" in each ? each.place : each.vacate) % board.slots.length
  ] as Slot;
  if ("vacate" in each) {
    board.vacate(slot, each.seat);
    return;
  }
  const member = board.people[each.person]?.member as Member;
  if (!slot.seats[each.seat] && !slot.seats.includes(member)) {
    board.place(slot, each.seat, member, "share");
  }
}

describe("SlotSet, occurrences for which a test holds as seats change", () => {
  it("answers as testing every occurrence anew would, after any seats placed and vacated", () => {
    fc.assert(
      fc.property(cases, ({ slots, people, before, steps }) => {
        const board = boardOf(slots, people);
        for (const each of before) apply(board, each);
        // One test reading only the seats; one reading whether a seat is its holder's first shift.
        const paired = (slot: Slot) => board.isPaired(slot);
        const firstShift = (slot: Slot) =>
          slot.seats.some((m) => m !== undefined && board.isFirstShift(m, slot));
        const sets = [
          { test: paired, set: new SlotSet(board, paired) },
          { test: firstShift, set: new SlotSet(board, firstShift, true) },
        ];
        const check = (from: number) => {
          for (const { test, set } of sets) {
            let first = from;
            while (first < slots && !test(board.slots[first] as Slot)) first++;
            expect(set.from(from)).toBe(first);
            if (from < slots) expect(set.has(from)).toBe(test(board.slots[from] as Slot));
          }
        };
        for (const each of steps) {
          if ("ask" in each) check(each.ask % (slots + 1));
          else apply(board, each);
        }
        for (let i = 0; i <= slots; i++) check(i);
        for (const { set } of sets) set.close();
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });
});
