import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkedList } from "../../src/core/plan/chunked.ts";

describe("ChunkedList", () => {
  it("holds what an array holds after the same insertions and removals, position by position", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 40 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.integer()), { maxLength: 300 }),
        fc.integer({ min: 1, max: 5 }),
        (start, steps, size) => {
          const array = [...start];
          const list = new ChunkedList(start, size);
          for (const [insert, at, value] of steps) {
            if (insert || array.length === 0) {
              const i = at % (array.length + 1);
              array.splice(i, 0, value);
              list.insert(i, value);
            } else {
              const i = at % array.length;
              array.splice(i, 1);
              list.removeAt(i);
            }
            expect(list.length).toBe(array.length);
            // Read as a search reads, after each change: from both ends inwards.
            for (let i = 0, j = array.length - 1; i <= j; i += 3, j -= 2) {
              expect(list.at(i)).toBe(array[i]);
              expect(list.at(j)).toBe(array[j]);
            }
          }
          for (let i = -1; i <= array.length; i++)
            expect(list.at(i)).toBe(array.at(i < 0 ? array.length : i));
        },
      ),
    );
  });
});
