import fc from "fast-check";
import TinyQueue from "tinyqueue";
import { describe, expect, it } from "vitest";
import { EntryHeap, type HeapEntry } from "../../src/core/plan/entry-heap.ts";

const byKey = (a: HeapEntry, b: HeapEntry) => a.key - b.key || a.hash - b.hash || a.index - b.index;
const byDeadline = (a: HeapEntry, b: HeapEntry) => a.deadline - b.deadline || byKey(a, b);

/** Entries with few distinct numbers, so that ties (and whole equal entries) are common. */
const entry = fc.record({
  deadline: fc.constantFrom(3, 7, 20, Number.POSITIVE_INFINITY),
  key: fc.constantFrom(0, 0.5, 1 / 3, 2, 2.000000001),
  hash: fc.constantFrom(0, 5, 2 ** 32 - 1),
  index: fc.nat(6),
});

describe("EntryHeap", () => {
  it("holds its entries in the same places as tinyqueue after the same pushes and pops", () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 40 }),
        fc.array(fc.option(entry, { nil: undefined }), { maxLength: 200 }),
        fc.boolean(),
        (start, steps, deadlines) => {
          const queue = new TinyQueue([...start], deadlines ? byDeadline : byKey);
          const heap = new EntryHeap([...start], deadlines);
          expect(heap.data).toEqual(queue.data);
          for (const step of steps) {
            if (step) {
              queue.push(step);
              heap.push(step);
            } else {
              expect(heap.pop()).toBe(queue.pop());
            }
            expect(heap.length).toBe(queue.length);
            expect(heap.peek()).toBe(queue.peek());
            for (let i = 0; i < queue.data.length; i++) expect(heap.data[i]).toBe(queue.data[i]);
          }
        },
      ),
    );
  });
});
