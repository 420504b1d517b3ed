import TinyQueue from "tinyqueue";
import type { Day } from "../dates.ts";
import type { Board, PersonState } from "./board.ts";
import { absenceOn, type Member, periodOf } from "./people.ts";
import { owedIn, owedUntil } from "./quotas.ts";
import type { Shares } from "./shares.ts";

/** A person's place in their pool's queue. */
export interface Entry {
  member: Member;
  /** Virtual time: shifts so far per unit of weight, plus the share not earned while away. */
  key: number;
  /** The quota deadline (exclusive day), or +∞ when no turn is owed. */
  deadline: number;
  version: number;
  /**
   * The member's hash and index, kept beside the key: the queues compare
   * entries millions of times, and reading them here spares a trip to the
   * member, one of 50,000 objects spread over the heap.
   */
  hash: number;
  index: number;
}

/** What the fill tracks per person, in time order. */
interface Standing {
  state: PersonState;
  /** The member's index, and whether they have a quota: read here, not from the member. */
  index: number;
  quota: boolean;
  /** Shifts counted so far: history, then each seat as the fill reaches it. */
  served: number;
  dueUntil: Day | undefined;
  version: number;
  parked: boolean;
  gone: boolean;
  /** A newcomer with no shift yet: kept beside the queues (see `pending`). */
  pending: boolean;
  /** The entry last made for them (see `pushAll`). */
  entry: Entry | undefined;
}

/** Someone away until `day`; `index` is their member index, kept here to compare by. */
interface Parked {
  standing: Standing;
  day: Day;
  version: number;
  index: number;
}

/**
 * A binary heap of entries: by virtual time, then the stable hash and the
 * member index, with the quota deadline first in the owers' queues. No two
 * entries that still stand compare equal (the index is everyone's own), so
 * the entry on top is the same whatever the order of the array behind it.
 *
 * Taking the top sifts the hole down along the lesser children to a leaf,
 * one comparison a level, and the last entry up from there: it belongs near
 * the bottom, so this costs about half the comparisons of sifting it down
 * from the top, and the fill takes the top of a 50,000-entry heap for every
 * seat.
 */
export class EntryHeap {
  length: number;

  constructor(
    readonly data: Entry[],
    /** The owers' queue: nearest deadline first. */
    private readonly deadlineFirst: boolean,
  ) {
    this.length = data.length;
    for (let i = (this.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** Whether `a` goes before `b`. */
  private less(a: Entry, b: Entry): boolean {
    if (this.deadlineFirst && a.deadline !== b.deadline) return a.deadline < b.deadline;
    if (a.key !== b.key) return a.key < b.key;
    if (a.hash !== b.hash) return a.hash < b.hash;
    return a.index < b.index;
  }

  peek(): Entry | undefined {
    return this.data[0];
  }

  push(entry: Entry): void {
    this.data.push(entry);
    this.up(this.length++, entry);
  }

  pop(): Entry | undefined {
    if (this.length === 0) return undefined;
    const data = this.data;
    const top = data[0] as Entry;
    const bottom = data.pop() as Entry;
    const length = --this.length;
    if (length === 0) return top;
    let pos = 0;
    const half = length >> 1;
    while (pos < half) {
      let child = (pos << 1) + 1;
      const right = child + 1;
      if (right < length && this.less(data[right] as Entry, data[child] as Entry)) child = right;
      data[pos] = data[child] as Entry;
      pos = child;
    }
    this.up(pos, bottom);
    return top;
  }

  private up(from: number, entry: Entry): void {
    const data = this.data;
    let pos = from;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const above = data[parent] as Entry;
      if (!this.less(entry, above)) break;
      data[pos] = above;
      pos = parent;
    }
    data[pos] = entry;
  }

  private down(from: number): void {
    const data = this.data;
    const length = this.length;
    const half = length >> 1;
    const entry = data[from] as Entry;
    let pos = from;
    while (pos < half) {
      let child = (pos << 1) + 1;
      const right = child + 1;
      if (right < length && this.less(data[right] as Entry, data[child] as Entry)) child = right;
      if (!this.less(data[child] as Entry, entry)) break;
      data[pos] = data[child] as Entry;
      pos = child;
    }
    data[pos] = entry;
  }
}

/**
 * Per pool, two queues: those who owe a quota turn (nearest deadline first)
 * and everyone else (furthest below their share first, a virtual-time fair
 * queue: O(log people) per seat). People away are parked until they return.
 * Entries go stale when a person's standing changes; stale ones are dropped
 * when they reach the top.
 */
export class Queues {
  readonly due: EntryHeap[];
  readonly fair: EntryHeap[];
  /** Per pool: shifts its members have served so far (history and this plan, in time order). */
  readonly poolServed: number[];
  /** Per pool: its share of the seats so far, seat by seat (see `accrue`). */
  readonly poolCredit: Float64Array;
  /** Per pool: one unit of weight's share of the seats so far, seat by seat. */
  readonly unitCredit: Float64Array;
  /**
   * Per pool: newcomers with no shift yet, who may only sit beside a pair.
   * Kept out of the queues, where they would be set aside again and again
   * for every seat that has no pair beside it. The fill drops those who
   * have left as it passes their last day.
   */
  readonly pending: WaitingList[];
  private readonly standings: Standing[];
  /**
   * Per member index: the share not earned while away (see `keyOf`). Kept
   * here, not on the standings: it is 0 for everyone at first and a fraction
   * once someone is back, and an object field changing from one kind of
   * number to the other makes the engine rework all 50,000 standings.
   */
  private readonly away: Float64Array;
  /** The day the fill has reached. */
  private day: Day;
  private readonly parkedQueue = new TinyQueue<Parked>(
    [],
    (a, b) => a.day - b.day || a.index - b.index,
  );

  constructor(
    board: Board,
    private readonly shares: Shares,
    pools: number,
    today: Day,
    /** The record's first day: quota periods that began before it are not owed. */
    private readonly origin: Day,
  ) {
    this.due = Array.from({ length: pools }, () => new EntryHeap([], true));
    this.fair = Array.from({ length: pools }, () => new EntryHeap([], false));
    this.poolServed = new Array<number>(pools).fill(0);
    this.poolCredit = new Float64Array(pools);
    this.unitCredit = new Float64Array(pools);
    this.pending = Array.from({ length: pools }, () => new WaitingList());
    this.day = today;
    // Every standing of one shape from the start (dueUntil included), so the
    // loops over all 50,000 of them stay monomorphic.
    const people = board.people;
    this.standings = new Array<Standing>(people.length);
    this.away = new Float64Array(people.length);
    const present: Standing[] = [];
    for (let i = 0; i < people.length; i++) {
      const state = people[i] as PersonState;
      const member = state.member;
      const absence = absenceOn(member, today);
      const gone = absence?.kind === "left";
      const standing: Standing = {
        state,
        index: member.index,
        quota: member.quota !== undefined,
        served: state.history,
        dueUntil: undefined,
        version: 0,
        parked: false,
        gone,
        pending: false,
        entry: undefined,
      };
      this.standings[i] = standing;
      this.poolServed[member.pool] = (this.poolServed[member.pool] ?? 0) + standing.served;
      if (gone) continue;
      this.away[member.index] = shares.creditWhileAway(member, today);
      this.refreshQuota(standing, today);
      const first = standing.state.newcomer ? standing.state.book.list[0] : undefined;
      if (standing.state.newcomer && !first) {
        standing.pending = true;
        this.pending[member.pool]?.add(member);
      } else if (first && first.day > today) {
        // A newcomer's placed first shift is their first: nothing before it.
        this.park(standing, first.day);
      } else if (absence) {
        this.park(standing, absence.until);
      } else {
        present.push(standing);
      }
    }
    for (const list of this.pending) list.sortByJoining();
    this.pushAll(present);
  }

  /** Credits each pool its part of one seat (a pool is owed only seats of kinds it shares in). */
  accrue(share: readonly number[] | undefined, day: Day): void {
    if (!share) return;
    for (let g = 0; g < share.length; g++) {
      const part = share[g] ?? 0;
      if (part === 0) continue;
      this.poolCredit[g] = (this.poolCredit[g] ?? 0) + part;
      const weight = this.shares.weightOn(g, day);
      if (weight > 0) this.unitCredit[g] = (this.unitCredit[g] ?? 0) + part / weight;
    }
  }

  /**
   * How far below their share of the seats so far a person is, in shifts:
   * their weight times what one unit of weight earned in their pool (or in
   * their part of it, where min_gap_days binds some of its people and not
   * others: a half-timer beside full-timers who may serve once a week is
   * owed a turn a week too), less what they served (and what they did not earn while away).
   */
  deficit(entry: Entry): number {
    const member = entry.member;
    const unit = (this.unitCredit[member.pool] ?? 0) + this.shares.partCredit(member, this.day + 1);
    return member.weight * (unit - entry.key);
  }

  /** How far below its share of the seats so far a pool is. */
  poolDeficit(pool: number): number {
    return (this.poolCredit[pool] ?? 0) - (this.poolServed[pool] ?? 0);
  }

  /** The fill reached one of this person's seats: count it. */
  count(member: Member, day: Day): void {
    const standing = this.standings[member.index] as Standing;
    if (standing.pending) {
      standing.pending = false;
      this.pending[member.pool]?.remove(member);
    }
    standing.served++;
    this.poolServed[member.pool] = (this.poolServed[member.pool] ?? 0) + 1;
    this.refreshQuota(standing, day);
    if (!standing.parked && !standing.gone) this.push(standing);
  }

  /** A new quota period began: everyone with a quota owes a turn again. */
  renewQuotas(day: Day): void {
    const renewed: Standing[] = [];
    const standings = this.standings;
    // People of a group share one quota: its period is found once per group,
    // not per person (groups interleave, so each is remembered here).
    const periods = new Map<NonNullable<Member["quota"]>, { start: Day; end: Day }>();
    for (let i = 0; i < standings.length; i++) {
      const standing = standings[i] as Standing;
      if (!standing.quota || standing.gone || standing.pending) continue;
      const wasDue = standing.dueUntil !== undefined;
      const quota = standing.state.member.quota as NonNullable<Member["quota"]>;
      let period = periods.get(quota);
      if (!period) {
        period = periodOf(quota, day);
        periods.set(quota, period);
      }
      standing.dueUntil = owedIn(standing.state, period, this.origin);
      if (!standing.parked && (wasDue || standing.dueUntil !== undefined)) renewed.push(standing);
    }
    this.pushAll(renewed);
  }

  /** People back from time away by `day` return to their queues; the fill has reached `day`. */
  release(day: Day): void {
    this.day = day;
    while (this.parkedQueue.length > 0 && (this.parkedQueue.peek() as { day: Day }).day <= day) {
      const item = this.parkedQueue.pop() as Parked;
      if (item.version !== item.standing.version || item.standing.gone) continue;
      this.away[item.index] = this.shares.creditWhileAway(item.standing.state.member, day);
      this.refreshQuota(item.standing, day);
      this.push(item.standing);
    }
  }

  /** A pending newcomer as a queue entry, to compare with the others. */
  entryFor(member: Member): Entry {
    const standing = this.standings[member.index] as Standing;
    return {
      member,
      key: this.keyOf(member),
      deadline: standing.dueUntil ?? Number.POSITIVE_INFINITY,
      version: standing.version,
      hash: member.hash,
      index: member.index,
    };
  }

  /** Whether an entry still stands; parks or retires its person if they are away on `day`. */
  current(entry: Entry, day: Day): boolean {
    const standing = this.standings[entry.index] as Standing;
    if (entry.version !== standing.version || standing.gone || standing.parked) return false;
    const absence = absenceOn(entry.member, day);
    if (!absence) return true;
    if (absence.kind === "left") standing.gone = true;
    else this.park(standing, absence.until);
    return false;
  }

  /** Put back an entry that could not take this seat but stands. */
  putBack(pool: number, entry: Entry): void {
    (entry.deadline === Number.POSITIVE_INFINITY ? this.fair : this.due)[pool]?.push(entry);
  }

  /** The deadline a person's owed turn has, if they owe one. */
  dueUntil(member: Member): Day | undefined {
    return (this.standings[member.index] as Standing).dueUntil;
  }

  /** Virtual time as of now: the smaller, the further below their share. */
  keyOf(member: Member): number {
    const standing = this.standings[member.index] as Standing;
    return standing.served / member.weight + (this.away[member.index] as number);
  }

  private refreshQuota(standing: Standing, day: Day): void {
    if (!standing.quota) return;
    standing.dueUntil = owedUntil(standing.state, day, this.origin);
  }

  private entryOf(standing: Standing): Entry {
    standing.version++;
    standing.parked = false;
    const member = standing.state.member;
    const entry: Entry = {
      member,
      key: standing.served / member.weight + (this.away[member.index] as number),
      deadline: standing.dueUntil ?? Number.POSITIVE_INFINITY,
      version: standing.version,
      hash: member.hash,
      index: member.index,
    };
    standing.entry = entry;
    return entry;
  }

  private push(standing: Standing): void {
    const entry = this.entryOf(standing);
    this.putBack(standing.state.member.pool, entry);
  }

  /**
   * Puts everyone in `fresh` (not parked or gone) afresh: the queues are
   * rebuilt in linear time, dropping every stale entry, rather than taking
   * one push each (a new quota period makes nearly everyone due again).
   */
  private pushAll(fresh: Standing[]): void {
    // A new version for each: their entries in the queues no longer stand.
    for (let i = 0; i < fresh.length; i++) {
      const standing = fresh[i] as Standing;
      standing.version++;
      standing.parked = false;
    }
    // The entries that still stand, kept in place and in order.
    const standings = this.standings;
    const due = this.due.map((queue) => keepStanding(queue.data, standings));
    const fair = this.fair.map((queue) => keepStanding(queue.data, standings));
    // Then one entry per person in `fresh`, after them: the one last made for
    // them, out of every queue now, takes their new standing (a new quota
    // period renews nearly everyone, and 50,000 new entries each time cost
    // more than their fields), else a new one.
    for (let i = 0; i < fresh.length; i++) {
      const standing = fresh[i] as Standing;
      const member = standing.state.member;
      const key = standing.served / member.weight + (this.away[member.index] as number);
      const deadline = standing.dueUntil ?? Number.POSITIVE_INFINITY;
      let entry = standing.entry;
      if (entry) {
        entry.key = key;
        entry.deadline = deadline;
        entry.version = standing.version;
      } else {
        entry = {
          member,
          key,
          deadline,
          version: standing.version,
          hash: member.hash,
          index: member.index,
        };
        standing.entry = entry;
      }
      (standing.dueUntil !== undefined ? due : fair)[member.pool]?.push(entry);
    }
    for (let pool = 0; pool < this.due.length; pool++) {
      this.due[pool] = new EntryHeap(due[pool] as Entry[], true);
      this.fair[pool] = new EntryHeap(fair[pool] as Entry[], false);
    }
  }

  private park(standing: Standing, day: Day): void {
    standing.version++;
    standing.parked = true;
    this.parkedQueue.push({ standing, day, version: standing.version, index: standing.index });
  }
}

/**
 * A queue's entries that still stand (current, of someone neither parked nor
 * gone), moved to its front in their order, the rest cut off.
 */
function keepStanding(data: Entry[], standings: readonly Standing[]): Entry[] {
  let kept = 0;
  for (let i = 0; i < data.length; i++) {
    const entry = data[i] as Entry;
    const standing = standings[entry.index] as Standing;
    if (entry.version === standing.version && !standing.parked && !standing.gone) {
      data[kept++] = entry;
    }
  }
  data.length = kept;
  return data;
}

/**
 * Newcomers with no shift yet, in the order they joined (then by hash and
 * index), looked at from the first: `at(0)` up to `at(size - 1)`.
 */
export class WaitingList {
  private readonly members: Member[] = [];
  /** Where the list starts in `members`: those before it have left it. */
  private start = 0;

  get size(): number {
    return this.members.length - this.start;
  }

  at(i: number): Member {
    return this.members[this.start + i] as Member;
  }

  add(member: Member): void {
    this.members.push(member);
  }

  sortByJoining(): void {
    this.members.sort(
      (a, b) => (a.joined ?? 0) - (b.joined ?? 0) || a.hash - b.hash || a.index - b.index,
    );
  }

  /** Takes out the one at `i`. */
  removeAt(i: number): void {
    if (i === 0) this.dropFirst();
    else this.members.splice(this.start + i, 1);
  }

  /** Takes out `member`, if waiting. */
  remove(member: Member): void {
    const at = this.members.indexOf(member, this.start);
    if (at !== -1) this.removeAt(at - this.start);
  }

  /**
   * Newcomers mostly get a seat in the order they joined, so nearly always
   * the first leaves: the list then starts one later, and the thousands
   * after them stay where they are rather than each moving up one. The
   * front is cut off once it is half the list.
   */
  private dropFirst(): void {
    this.start++;
    if (this.start >= 64 && this.start * 2 > this.members.length) {
      this.members.splice(0, this.start);
      this.start = 0;
    }
  }
}
