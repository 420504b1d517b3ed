/**
 * The fill's queues of people: a binary heap of entries, the same heap as
 * tinyqueue's (the same steps, the same comparisons, so entries come out in
 * the same order), that keeps the numbers it orders by beside it in typed
 * arrays. A queue of 50,000 people is compared millions of times; reading
 * the numbers from four arrays, not from entries spread over the heap, is
 * what makes that quick.
 */

/** What a queue orders by: an entry's numbers, which never change once it is made. */
export interface HeapEntry {
  deadline: number;
  key: number;
  hash: number;
  index: number;
}

export class EntryHeap<T extends HeapEntry> {
  /** The entries, in heap order. */
  readonly data: T[];
  length: number;
  private deadline: Float64Array;
  private key: Float64Array;
  private hash: Float64Array;
  private index: Float64Array;

  /**
   * @param byDeadline order by deadline first (then as without): the queue of
   * those who owe a quota turn; else by key, hash and index.
   */
  constructor(
    data: T[],
    private readonly byDeadline: boolean,
  ) {
    this.data = data;
    this.length = data.length;
    const capacity = Math.max(16, data.length);
    this.deadline = new Float64Array(capacity);
    this.key = new Float64Array(capacity);
    this.hash = new Float64Array(capacity);
    this.index = new Float64Array(capacity);
    for (let i = 0; i < data.length; i++) this.store(i, data[i] as T);
    if (this.length > 0) {
      for (let i = (this.length >> 1) - 1; i >= 0; i--) this.down(i);
    }
  }

  push(item: T): void {
    if (this.length === this.key.length) this.grow();
    this.data.push(item);
    this.store(this.length, item);
    this.up(this.length++);
  }

  pop(): T | undefined {
    if (this.length === 0) return undefined;
    const top = this.data[0];
    const bottom = this.data.pop() as T;
    if (--this.length > 0) {
      this.data[0] = bottom;
      this.copy(this.length, 0);
      this.down(0);
    }
    return top;
  }

  peek(): T | undefined {
    return this.data[0];
  }

  /** tinyqueue's comparison of the entries at two positions, as a number (its sign is what counts). */
  private compare(a: number, b: number): number {
    const byKey =
      (this.key[a] as number) - (this.key[b] as number) ||
      (this.hash[a] as number) - (this.hash[b] as number) ||
      (this.index[a] as number) - (this.index[b] as number);
    return this.byDeadline
      ? (this.deadline[a] as number) - (this.deadline[b] as number) || byKey
      : byKey;
  }

  private up(start: number): void {
    const data = this.data;
    let pos = start;
    const item = data[pos] as T;
    // The item's numbers, held at a free position while others move down.
    const free = this.spare();
    this.copy(pos, free);
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (this.compare(free, parent) >= 0) break;
      data[pos] = data[parent] as T;
      this.copy(parent, pos);
      pos = parent;
    }
    data[pos] = item;
    this.copy(free, pos);
  }

  private down(start: number): void {
    const data = this.data;
    const half = this.length >> 1;
    let pos = start;
    const item = data[pos] as T;
    const free = this.spare();
    this.copy(pos, free);
    while (pos < half) {
      let best = (pos << 1) + 1;
      const right = best + 1;
      if (right < this.length && this.compare(right, best) < 0) best = right;
      if (this.compare(best, free) >= 0) break;
      data[pos] = data[best] as T;
      this.copy(best, pos);
      pos = best;
    }
    data[pos] = item;
    this.copy(free, pos);
  }

  /** A position past the heap's end, to hold one entry's numbers for a while. */
  private spare(): number {
    if (this.length >= this.key.length) this.grow();
    return this.key.length - 1;
  }

  private store(at: number, item: T): void {
    this.deadline[at] = item.deadline;
    this.key[at] = item.key;
    this.hash[at] = item.hash;
    this.index[at] = item.index;
  }

  private copy(from: number, to: number): void {
    this.deadline[to] = this.deadline[from] as number;
    this.key[to] = this.key[from] as number;
    this.hash[to] = this.hash[from] as number;
    this.index[to] = this.index[from] as number;
  }

  private grow(): void {
    const capacity = this.key.length * 2;
    const widen = (old: Float64Array) => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    this.deadline = widen(this.deadline);
    this.key = widen(this.key);
    this.hash = widen(this.hash);
    this.index = widen(this.index);
  }
}
