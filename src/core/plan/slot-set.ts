import type { Board, Slot } from "./board.ts";

/**
 * The occurrences for which `test` holds, found from any index in a few
 * steps. The board tells of each seat placed or vacated, and the occurrence
 * is tested again when next asked about; where `test` reads whether a seat
 * is its holder's first shift, so is every occurrence of a newcomer whose
 * book changed. Watches the board until `close`.
 */
export class SlotSet {
  /** Bit i of word i >> 5: whether `test` held for slot i when last tested. */
  private readonly bits: Uint32Array;
  private readonly stale: Slot[] = [];
  readonly close: () => void;

  constructor(
    private readonly board: Board,
    private readonly test: (slot: Slot) => boolean,
    firstShifts = false,
  ) {
    this.bits = new Uint32Array((board.slots.length >> 5) + 1);
    for (const slot of board.slots) this.retest(slot);
    this.close = board.watch((slot, member) => {
      this.stale.push(slot);
      if (!firstShifts || !board.stateOf(member).newcomer) return;
      for (const a of board.stateOf(member).book.list) if (a.slot) this.stale.push(a.slot);
    });
  }

  has(i: number): boolean {
    this.refresh();
    return ((this.bits[i >> 5] as number) & (1 << (i & 31))) !== 0;
  }

  /** The first index from `i` on in the set; the number of slots when none is. */
  from(i: number): number {
    this.refresh();
    let w = i >> 5;
    let word = (this.bits[w] as number) & (~0 << (i & 31));
    while (word === 0) {
      if (++w >= this.bits.length) return this.board.slots.length;
      word = this.bits[w] as number;
    }
    return (w << 5) + 31 - Math.clz32(word & -word);
  }

  private refresh(): void {
    while (this.stale.length > 0) this.retest(this.stale.pop() as Slot);
  }

  private retest(slot: Slot): void {
    const i = slot.index;
    if (this.test(slot)) this.bits[i >> 5] = (this.bits[i >> 5] as number) | (1 << (i & 31));
    else this.bits[i >> 5] = (this.bits[i >> 5] as number) & ~(1 << (i & 31));
  }
}
