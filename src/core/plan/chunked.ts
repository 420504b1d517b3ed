/**
 * A list read and changed by position, like an array, but kept in blocks so
 * that putting an item in or taking one out moves only its block: a pool of
 * 50,000 people in the repair's standing changes order thousands of times,
 * and an array moved tens of thousands of entries each time. Positions mean
 * exactly what they mean in an array holding the same items in order.
 */
export class ChunkedList<T> {
  private readonly blocks: T[][] = [];
  /** Per block, the position of its first item. */
  private starts: number[] = [];
  length = 0;
  /**
   * The block the last read fell in, looked at first: a binary search over
   * the list reads its last dozen positions from one block.
   */
  private last = 0;

  constructor(
    items: readonly T[],
    private readonly size = 512,
  ) {
    for (let i = 0; i < items.length; i += size) this.blocks.push(items.slice(i, i + size));
    this.length = items.length;
    this.restart(0);
  }

  /** The item at position `i` (undefined outside the list). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.length) return undefined;
    // The front, where the repair reads most, needs no search.
    const first = this.blocks[0] as T[];
    if (i < first.length) return first[i];
    const last = this.last;
    if (last < this.blocks.length) {
      const start = this.starts[last] as number;
      const block = this.blocks[last] as T[];
      if (i >= start && i < start + block.length) return block[i - start];
    }
    const b = this.blockOf(i);
    this.last = b;
    return (this.blocks[b] as T[])[i - (this.starts[b] as number)];
  }

  /** Puts `item` at position `i` (0 ≤ i ≤ length); those from `i` on move one back. */
  insert(i: number, item: T): void {
    if (this.blocks.length === 0) {
      this.blocks.push([item]);
      this.length = 1;
      this.restart(0);
      return;
    }
    const b = i >= this.length ? this.blocks.length - 1 : this.blockOf(i);
    const block = this.blocks[b] as T[];
    block.splice(i - (this.starts[b] as number), 0, item);
    this.length++;
    if (block.length > 2 * this.size) {
      this.blocks.splice(b + 1, 0, block.splice(this.size));
      this.restart(b);
    } else {
      for (let k = b + 1; k < this.starts.length; k++)
        this.starts[k] = (this.starts[k] as number) + 1;
    }
  }

  /** Takes out the item at position `i` (0 ≤ i < length); those after it move one forward. */
  removeAt(i: number): void {
    const b = this.blockOf(i);
    const block = this.blocks[b] as T[];
    block.splice(i - (this.starts[b] as number), 1);
    this.length--;
    if (block.length === 0) {
      this.blocks.splice(b, 1);
      this.restart(b);
    } else {
      for (let k = b + 1; k < this.starts.length; k++)
        this.starts[k] = (this.starts[k] as number) - 1;
    }
  }

  /** The block holding position `i` (0 ≤ i < length). */
  private blockOf(i: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Works out the blocks' first positions again from block `from` on. */
  private restart(from: number): void {
    this.starts.length = this.blocks.length;
    let at =
      from === 0 ? 0 : (this.starts[from - 1] as number) + (this.blocks[from - 1] as T[]).length;
    for (let b = from; b < this.blocks.length; b++) {
      this.starts[b] = at;
      at += (this.blocks[b] as T[]).length;
    }
  }
}
