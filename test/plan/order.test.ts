import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byHashThenIndex, stableByValue } from "../../src/core/plan/order.ts";

/** Distinct member indices, in no particular order. */
const indices = (max: number) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max }), { maxLength: 200 })
    .chain((list) => fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }));

describe("the planner's orders of member indices", () => {
  it("by hash then index: what the comparison sort gives, past 2²¹ indices too", () => {
    fc.assert(
      fc.property(
        fc.oneof(indices(1000), indices(2 ** 22)),
        // Few distinct hashes, so that ties are common; 0 and 2³² − 1 at the ends.
        fc.array(fc.constantFrom(0, 1, 7, 2 ** 31, 2 ** 32 - 1), { minLength: 1 }),
        (list, pool) => {
          const hashes = new Map(list.map((index, i) => [index, pool[i % pool.length] as number]));
          const byIndex = new Proxy([] as number[], {
            get: (_target, key) => hashes.get(Number(key)),
          });
          const expected = [...list].sort(
            (a, b) => (hashes.get(a) as number) - (hashes.get(b) as number) || a - b,
          );
          expect(byHashThenIndex(list, byIndex)).toEqual(expected);
        },
      ),
    );
  });

  it("stable by value, either way: what the stable comparison sort gives, with 0 and -0 alike", () => {
    fc.assert(
      fc.property(
        indices(500),
        fc.array(fc.constantFrom(0, -0, 1, -1, 0.5, 1e-9, -2.75, 1e300, -1e300), {
          minLength: 501,
          maxLength: 501,
        }),
        fc.boolean(),
        (list, values, descending) => {
          const expected = [...list].sort((a, b) =>
            descending
              ? (values[b] as number) - (values[a] as number)
              : (values[a] as number) - (values[b] as number),
          );
          expect(stableByValue(list, values, descending)).toEqual(expected);
        },
      ),
    );
  });
});
