import type { Day } from "../dates.ts";
import { type Absence, absenceOn, canFill, isAvailableOn, type Member } from "./people.ts";
import type { Occurrence } from "./shifts.ts";
import type { SeatHow } from "./types.ts";

/** One occurrence a person is on (or was on, for the recent past). */
export interface Assignment {
  start: number;
  end: number;
  day: Day;
  id: string;
  /** The planned occurrence (the board's slot with this id); undefined for one served before. */
  slot: Slot | undefined;
}

const DAY_MS = 86_400_000;

/**
 * One person's occurrences, sorted by start, with the two questions the
 * planner asks all the time: is anything at the same time, and is anything
 * within min_gap_days. Both are binary searches: at 50,000 people a linear
 * scan per question is what made long plans slow.
 */
export class Book {
  readonly list: Assignment[] = [];

  add(item: Assignment): void {
    const at = this.firstStartingAt(item.start);
    // The fill goes in time order: most often the new one is the latest.
    if (at === this.list.length) this.list.push(item);
    else this.list.splice(at, 0, item);
  }

  remove(id: string): void {
    const index = this.list.findIndex((a) => a.id === id);
    if (index !== -1) this.list.splice(index, 1);
  }

  has(id: string): boolean {
    return this.list.some((a) => a.id === id);
  }

  /** The index of the first assignment starting at or after `start`. */
  private firstStartingAt(start: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.list[mid] as Assignment).start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** An assignment overlapping [start, end), other than `exceptId`. */
  overlapping(start: number, end: number, exceptId?: string): Assignment | undefined {
    // Nothing lasts over two days: look back that far from where `end` falls.
    for (let i = this.firstStartingAt(end) - 1; i >= 0; i--) {
      const a = this.list[i] as Assignment;
      if (a.start < start - 2 * DAY_MS) break;
      if (a.end > start && a.id !== exceptId) return a;
    }
    return undefined;
  }

  /** The nearest assignment whose local day is within `gap` days of `day`, other than `exceptId`. */
  withinGap(day: Day, gap: number, exceptId?: string): Assignment | undefined {
    if (gap <= 0) return undefined;
    // Local days and instants differ by at most a day either way.
    const from = this.firstStartingAt((day - gap - 1) * DAY_MS);
    let best: Assignment | undefined;
    for (let i = from; i < this.list.length; i++) {
      const a = this.list[i] as Assignment;
      if (a.start >= (day + gap + 2) * DAY_MS) break;
      if (a.id === exceptId || Math.abs(a.day - day) >= gap) continue;
      if (!best || Math.abs(a.day - day) < Math.abs(best.day - day)) best = a;
    }
    return best;
  }

  /** How many assignments (other than `exceptId`) have a local day within `gap` days of `day`. */
  countNear(day: Day, gap: number, exceptId?: string): number {
    if (gap <= 0) return 0;
    let count = 0;
    for (let i = this.firstStartingAt((day - gap - 1) * DAY_MS); i < this.list.length; i++) {
      const a = this.list[i] as Assignment;
      if (a.start >= (day + gap + 2) * DAY_MS) break;
      if (a.id !== exceptId && Math.abs(a.day - day) < gap) count++;
    }
    return count;
  }

  /**
   * The first assignment (by start), other than `exceptId`, with a local day
   * within `gap` days of `day` that passes `test`.
   */
  firstNear(
    day: Day,
    gap: number,
    exceptId: string,
    test: (a: Assignment) => boolean,
  ): Assignment | undefined {
    if (gap <= 0) return undefined;
    for (let i = this.firstStartingAt((day - gap - 1) * DAY_MS); i < this.list.length; i++) {
      const a = this.list[i] as Assignment;
      if (a.start >= (day + gap + 2) * DAY_MS) break;
      if (a.id !== exceptId && Math.abs(a.day - day) < gap && test(a)) return a;
    }
    return undefined;
  }

  /** How many assignments fall on days from `from` on. */
  countFrom(from: Day): number {
    let count = 0;
    for (let i = this.firstStartingAt((from - 1) * DAY_MS); i < this.list.length; i++) {
      if ((this.list[i] as Assignment).day >= from) count++;
    }
    return count;
  }

  /** Whether any assignment's day is in [from, until), other than the one with id `exceptId`. */
  anyBetween(from: Day, until: Day, exceptId?: string): boolean {
    const start = this.firstStartingAt((from - 1) * DAY_MS);
    for (let i = start; i < this.list.length; i++) {
      const a = this.list[i] as Assignment;
      if (a.start >= (until + 1) * DAY_MS) break;
      if (a.day >= from && a.day < until && a.id !== exceptId) return true;
    }
    return false;
  }
}

/** One occurrence being planned: who sits in each seat, and why. */
export interface Slot {
  o: Occurrence;
  /** Position in decision order. */
  index: number;
  seats: (Member | undefined)[];
  how: SeatHow[];
  /** min_gap_days relaxed for the seat's person: their occurrence within it. */
  relaxed: (string | undefined)[];
  /** The seat's person held it in the previous schedule (so moving it is a change). */
  kept: boolean[];
}

/** What the planner tracks per person. */
export interface PersonState {
  member: Member;
  book: Book;
  /** Shifts served before now. */
  history: number;
  /** Seats held in the window. */
  planned: number;
  /** A new joiner awaiting their first shift. */
  newcomer: boolean;
  /**
   * A newcomer's deadline (joined + first_shift_within_days): the pair_with
   * rule holds for a first shift before it; after it only where a pair could
   * serve (`needsPair`), so that a pair missing all along does not keep them
   * off every seat.
   */
  pairedBy?: Day;
  /** Added after the schedule began: counted (share and quota) from this day. */
  since?: Day;
}

/** Why someone is absent, as a predicate: "is away (holiday)", "joins on …", "has left". */
export function unavailableFor(member: Member, o: Occurrence): Absence | undefined {
  return (
    absenceOn(member, o.day) ?? (o.lastDay === o.day ? undefined : absenceOn(member, o.lastDay))
  );
}

/** Whether `unavailableFor` finds nothing: the same test, with no absence made to say why. */
export function availableFor(member: Member, o: Occurrence): boolean {
  return isAvailableOn(member, o.day) && (o.lastDay === o.day || isAvailableOn(member, o.lastDay));
}

/**
 * The plan being made: every occurrence's seats and every person's book. All
 * changes go through `place` and `vacate`, so the books and counts stay true.
 */
export class Board {
  readonly byId: Map<string, Slot>;
  /**
   * Rises with every seat placed or vacated: what is worked out from the
   * seats or the counts stays true while it is the same.
   */
  revision = 0;
  /** Told of each seat placed or vacated (see `watch`); most plans have none. */
  private watchers: ((slot: Slot, member: Member) => void)[] = [];
  private readonly memberById: ReadonlyMap<string, Member>;
  /** Who may be a pair, once newcomers are known, and per occurrence whether one could serve on it. */
  private pairs: Member[] | undefined;
  private readonly pairCan = new Map<Slot, boolean>();

  constructor(
    readonly slots: Slot[],
    readonly people: PersonState[],
    /** Who swapped out of which occurrence: they never go back on it. */
    private readonly swappedOut: ReadonlyMap<string, ReadonlySet<string>>,
    readonly pairRole: string | undefined,
    /** The people's members by id, when the caller has that map already (the team's). */
    memberById?: ReadonlyMap<string, Member>,
  ) {
    this.byId = new Map(slots.map((slot) => [slot.o.id, slot]));
    this.memberById = memberById ?? new Map(people.map((state) => [state.member.id, state.member]));
  }

  /** The roster's person with this id, if they are in it. */
  member(id: string): Member | undefined {
    return this.memberById.get(id);
  }

  stateOf(member: Member): PersonState {
    return this.people[member.index] as PersonState;
  }

  place(slot: Slot, seat: number, member: Member, how: SeatHow, relaxed?: string): void {
    const state = this.stateOf(member);
    slot.seats[seat] = member;
    slot.how[seat] = how;
    slot.relaxed[seat] = relaxed;
    slot.kept[seat] = false;
    state.planned++;
    this.revision++;
    state.book.add({ start: slot.o.start, end: slot.o.end, day: slot.o.day, id: slot.o.id, slot });
    if (this.watchers.length > 0) for (const watcher of this.watchers) watcher(slot, member);
  }

  vacate(slot: Slot, seat: number): Member | undefined {
    const member = slot.seats[seat];
    if (!member) return undefined;
    const state = this.stateOf(member);
    slot.seats[seat] = undefined;
    slot.how[seat] = "open";
    slot.relaxed[seat] = undefined;
    slot.kept[seat] = false;
    state.planned--;
    this.revision++;
    state.book.remove(slot.o.id);
    if (this.watchers.length > 0) for (const watcher of this.watchers) watcher(slot, member);
    return member;
  }

  /**
   * Tells `watcher` of each seat placed or vacated from now on (the slot and
   * who came or went, their book already changed), until the function
   * returned is called: what is kept beside the board stays true so.
   */
  watch(watcher: (slot: Slot, member: Member) => void): () => void {
    this.watchers = [...this.watchers, watcher];
    return () => {
      this.watchers = this.watchers.filter((each) => each !== watcher);
    };
  }

  isSwappedOut(slot: Slot, member: Member): boolean {
    // Asked for every seat anyone is weighed for: most plans record no swap,
    // and then no occurrence id needs looking up.
    if (this.swappedOut.size === 0) return false;
    return this.swappedOut.get(slot.o.id)?.has(member.id) === true;
  }

  /**
   * Whether a swap put the person on a planned occurrence within their
   * min_gap_days of this one: they took it knowing their seats beside it.
   */
  swappedInNear(member: Member, slot: Slot): boolean {
    // Most plans record no swap: then no book is read.
    if (this.swappedOut.size === 0) return false;
    const swappedIn = this.stateOf(member).book.firstNear(
      slot.o.day,
      member.gapDays,
      slot.o.id,
      (a) => a.slot !== undefined && a.slot.how[a.slot.seats.indexOf(member)] === "swap",
    );
    return swappedIn !== undefined;
  }

  /** Holds the pair_with role and is not a newcomer awaiting a first shift. */
  canPair(member: Member | undefined): boolean {
    if (this.pairRole === undefined || !member?.roles.has(this.pairRole)) return false;
    return !this.stateOf(member).newcomer;
  }

  /** Whether a pair sits on the occurrence, other than in `exceptSeat`. */
  isPaired(slot: Slot, exceptSeat = -1): boolean {
    if (this.pairRole === undefined) return true;
    const seats = slot.seats;
    for (let s = 0; s < seats.length; s++) {
      if (s !== exceptSeat && this.canPair(seats[s])) return true;
    }
    return false;
  }

  /** A newcomer's first shift: nothing of theirs starts before it. */
  isFirstShift(member: Member, slot: Slot): boolean {
    const state = this.stateOf(member);
    if (!state.newcomer) return false;
    const o = slot.o;
    // Indexed: asked for each seat weighed, a loop that may run unoptimized,
    // where iterating the array makes an object each time.
    const list = state.book.list;
    for (let i = 0; i < list.length; i++) {
      const a = list[i] as Assignment;
      if (a.start < o.start && a.id !== o.id) return false;
    }
    return true;
  }

  /**
   * Whether a person could sit in this seat, min_gap_days aside: the role and
   * shift list, available, not on it or on anything at the same time, not
   * swapped out of it, and a newcomer's first shift in their window only
   * beside a pair. `ignoring` is an occurrence to treat as given up (for a move).
   */
  canTake(member: Member, slot: Slot, seat: number, ignoring?: string): boolean {
    const o = slot.o;
    if (!canFill(member, o.shift.id, o.shift.seats[seat] as string)) return false;
    if (slot.seats.includes(member) || this.isSwappedOut(slot, member)) return false;
    if (!availableFor(member, o)) return false;
    const book = this.stateOf(member).book;
    const clash = book.overlapping(o.start, o.end);
    if (clash && clash.id !== ignoring) return false;
    if (clash && book.overlapping(o.start, o.end, clash.id)) return false;
    return !(this.needsPair(member, slot) && !this.isPaired(slot, seat));
  }

  /**
   * Whether the pair_with rule holds for the person here: a newcomer's first
   * shift, in their window; past it, only where someone with the role could
   * serve on the occurrence (waiting on for a pair while none can would keep
   * them off every seat, and others serving more in their place).
   */
  needsPair(member: Member, slot: Slot): boolean {
    if (!this.isFirstShift(member, slot)) return false;
    const by = this.stateOf(member).pairedBy;
    return by === undefined || slot.o.day < by || this.pairCould(slot);
  }

  /**
   * Whether someone with the pair role could serve on the occurrence (seats
   * aside), remembered per occurrence: one may fill a seat of it, and more of
   * them are available then than there are seats of that role at the same
   * time elsewhere (a pro who alone can fill a pro-only desk is never free
   * to be beside a newcomer on the chat beside it).
   */
  pairCould(slot: Slot): boolean {
    let could = this.pairCan.get(slot);
    if (could === undefined) {
      this.pairs ??= this.people.filter((state) => this.canPair(state.member)).map((s) => s.member);
      const o = slot.o;
      could = false;
      if (o.shift.seats.length > 1) {
        const elsewhere = this.roleSeatsAtSameTime(slot);
        let free = 0;
        for (const m of this.pairs) {
          if (!availableFor(m, o) || this.isSwappedOut(slot, m)) continue;
          if (!could && o.shift.seats.some((role) => canFill(m, o.shift.id, role))) could = true;
          if (++free > elsewhere && could) break;
        }
        could &&= free > elsewhere;
      }
      this.pairCan.set(slot, could);
    }
    return could;
  }

  /** How many seats of the pair role the occurrences overlapping this one have. */
  private roleSeatsAtSameTime(slot: Slot): number {
    let count = 0;
    this.eachAtSameTime(slot, (other) => {
      for (const role of other.o.shift.seats) if (role === this.pairRole) count++;
    });
    return count;
  }

  /** Each other occurrence overlapping this one in time. */
  eachAtSameTime(slot: Slot, visit: (other: Slot) => void): void {
    const o = slot.o;
    const slots = this.slots;
    const visitIfOverlapping = (other: Slot) => {
      if (other.o.start < o.end && other.o.end > o.start) visit(other);
    };
    // Nothing lasts over two days, and local days and instants differ by at most a day.
    for (let j = slot.index - 1; j >= 0 && (slots[j] as Slot).o.day >= o.day - 3; j--) {
      visitIfOverlapping(slots[j] as Slot);
    }
    for (let j = slot.index + 1; j < slots.length; j++) {
      if ((slots[j] as Slot).o.day > o.lastDay + 3) break;
      visitIfOverlapping(slots[j] as Slot);
    }
  }

  /** How many of the person's occurrences are within min_gap_days of this one (pairs it relaxes). */
  conflicts(member: Member, slot: Slot): number {
    return this.stateOf(member).book.countNear(slot.o.day, member.gapDays, slot.o.id);
  }

  /** The person's occurrence within min_gap_days of this one, if any (other than `ignoring`). */
  nearby(member: Member, slot: Slot, ignoring?: string): string | undefined {
    const book = this.stateOf(member).book;
    const near = book.withinGap(slot.o.day, member.gapDays, slot.o.id);
    if (!near || near.id !== ignoring) return near?.id;
    // The nearest is the one given up: is there another?
    return book.firstNear(slot.o.day, member.gapDays, slot.o.id, (a) => a.id !== ignoring)?.id;
  }
}
