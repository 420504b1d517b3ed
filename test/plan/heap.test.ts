import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Member } from "../../src/core/plan/people.ts";
import { type Entry, EntryHeap } from "../../src/core/plan/queues.ts";

const member = {} as Member;

function entry(index: number, deadline: number, key: number, hash: number): Entry {
  return { member, index, deadline, key, hash, version: 0 };
}

/** The queues' order: deadline (owers only), virtual time, hash, index. */
function order(deadlineFirst: boolean) {
  return (a: Entry, b: Entry) =>
    (deadlineFirst ? a.deadline - b.deadline : 0) ||
    a.key - b.key ||
    a.hash - b.hash ||
    a.index - b.index;
}

// Few distinct values, so that ties on every field but the index are common.
const deadline = fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 0, max: 3 }));
const key = fc.integer({ min: 0, max: 4 }).map((n) => n / 3);
const hash = fc.integer({ min: 0, max: 2 });

describe("EntryHeap", () => {
  it("gives its entries back in the queues' order, however they were put in and taken out", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(deadline, key, hash), { maxLength: 60 }),
        fc.array(fc.tuple(fc.boolean(), deadline, key, hash), { maxLength: 200 }),
        (deadlineFirst, start, steps) => {
          let next = 0;
          const held = start.map(([d, k, h]) => entry(next++, d, k, h));
          const heap = new EntryHeap([...held], deadlineFirst);
          const compare = order(deadlineFirst);
          for (const [push, d, k, h] of steps) {
            if (push || held.length === 0) {
              const added = entry(next++, d, k, h);
              held.push(added);
              heap.push(added);
            } else {
              held.sort(compare);
              expect(heap.peek()).toBe(held[0]);
              expect(heap.pop()).toBe(held.shift());
            }
            expect(heap.length).toBe(held.length);
            expect(heap.data.length).toBe(held.length);
          }
          held.sort(compare);
          for (const expected of held) expect(heap.pop()).toBe(expected);
          expect(heap.pop()).toBeUndefined();
          expect(heap.length).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
