import type { Day } from "../dates.ts";
import type { Assignment, Board, PersonState, Slot } from "./board.ts";
import {
  type ChainContext,
  coverByChains,
  evenOutByChain,
  quotaByChain,
  relaxByChain,
} from "./chains.ts";
import { ChunkedList } from "./chunked.ts";
import { byHashThenIndex, stableByValue } from "./order.ts";
import { canFill, type Member, type Team } from "./people.ts";
import { findQuotaMisses, judgedPeriods, keepsQuota, owesTurn, type QuotaMiss } from "./quotas.ts";
import { reseat } from "./seating.ts";
import { swapStretch, swapTails, type TwinContext, twinGroups } from "./twins.ts";
import type { Move, MoveKind, SeatHow } from "./types.ts";

const EPSILON = 1e-9;
/** Occurrences × people beyond which the repair does not look for chains. */
const CHAIN_WORK = 40_000;
/**
 * How far behind their share of the days past the freeze window someone must
 * be before kept seats move to them: more than the one shift a fresh plan
 * allows, so that the small shifts in everyone's share that any roster
 * change brings (removing a person raises everyone else's a little) move
 * nothing, while someone added — a whole share behind — gets theirs.
 */
const REBALANCE_BEHIND = 1.5;
/**
 * Once rebalancing for someone, how close to their share it brings them:
 * within half a shift, so that the next day's small drift in the shares does
 * not start it again.
 */
const REBALANCE_TO = 0.5;
/**
 * How many kept seats `spreadCatchingUp` weighs, in all: in a large company with
 * many people added at once it trades what it can within this, and the plan
 * is valid either way.
 */
const SPREAD_LOOKS = 200_000;
/** How many seats a relay (`Repair.relay`) weighs handing on, per person catching up. */
const RELAY_TRIES = 200;
/** How far down a pool's list of people below their share a seat looks for a taker. */
const TAKERS_PER_POOL = 64;

export interface RepairOptions {
  today: Day;
  /** The record's first day (quota periods that began before it are not judged). */
  origin: Day;
  until: Day;
  /** Kept seats before this day never move (the freeze window). */
  freezeUntil: Day;
  /** Per member index: their fair share over the record and the plan. */
  share: Float64Array;
  /** Per member index: their fair share of the days past the freeze window. */
  ahead: Float64Array;
  /** A person's fair share of the seats on days [from, until) (Shares.expected). */
  expected(member: Member, from: Day, until: Day): number;
  /** How one seat of a kind on a day is shared among the pools (Shares.seatShare). */
  seatShare(day: Day, shift: string, role: string): readonly number[] | undefined;
  /**
   * Whether the person is new since the previous schedule: it seats them
   * nowhere and does not record them as counted (as it does everyone it
   * left without a seat). False for everyone when there is none.
   */
  added(member: Member): boolean;
  /** Called when a kept seat moves, for the list of changes. */
  onMove: (move: Move) => void;
}

/**
 * The repair after the fill, and the rebalancing of a kept plan: a bounded
 * sequence of single-seat moves, each of which makes the plan strictly
 * better on the first of these that it changes, and worse on none before it:
 *
 * 1. quota turns that were missed (a seat in the period, from someone who
 *    keeps theirs),
 * 2. people alike in everything the planner sees (twins) more than a shift
 *    apart (a seat from the one with most, to the one with fewest or to
 *    someone else),
 * 3. min_gap_days relaxations (the seat, or the one near it, to someone for
 *    whom it breaks nothing),
 * 4. fairness: a seat from someone further above their share to someone more
 *    than one shift further below — for a kept seat (beyond the freeze
 *    window) only when one of the two is more than a shift from their share.
 *
 * Only evening out twins may break min_gap_days (where nothing else evens
 * them), and no move for the gap or for fairness parts twins again
 * (`keepsTwins`), so it ends. Seats from a swap, a newcomer's first shift
 * and their pair never move; a kept seat within min_gap_days of a swap its
 * holder took moves only for a quota turn no other seat can give.
 */
export class Repair {
  private readonly moved = new Set<string>();
  /** How many more times `relay` may look for a seat to hand on (each look scans the plan). */
  private relaysLeft = 500;
  /**
   * Per pool, its people's member indices by standing (furthest below first),
   * sorted once per pass. Indices, not members: the searches that keep the
   * lists in order compare by the arrays below, without reading a member.
   */
  private sorted = new Map<number, ChunkedList<number>>();
  /**
   * Per member index, the standing they were placed in their pool's list by:
   * where no standing changed behind the repair's back, the list is in this
   * order, so a person is found by a search, not a scan.
   */
  private placedBy: Float64Array;
  /**
   * Per member index, their stable hash: the sorts below compare member
   * indices through these arrays rather than reading 50,000 member objects
   * spread over the heap, comparison after comparison.
   */
  private readonly hashes: Uint32Array;
  /** Per member index, their pool. */
  private readonly poolOf: Int32Array;
  /** Per pool (and -1 for everyone), member indices by hash, then index (see `byHash`). */
  private readonly hashOrder = new Map<number, number[]>();
  /**
   * How many takers the repair may still weigh. Each look is cheap, but a
   * large team with every seat near another (50 people for 17,000 seats)
   * would otherwise weigh millions of moves that cannot help; the plan is
   * valid either way, and small teams never reach the limit.
   */
  private budget = 400_000;
  /** How many kept seats `spreadCatchingUp` may still weigh. */
  private spreadLooks = 0;
  /** Member indices of those `noteBehind` found catching up, not added. */
  private readonly behind = new Set<number>();
  /** Per member index, whom `markAbove` last found, and their standings (for those it found). */
  private readonly giverMarks: Uint8Array;
  private readonly giverAhead: Float64Array;
  private readonly giverDev: Float64Array;
  /** The roster's quotas, each once (people of a team share theirs). */
  private quotas: NonNullable<Member["quota"]>[] | undefined;
  /** Per member index, their group of twins (-1 when they have none). */
  private twinOf: Int32Array | undefined;
  /** Per group of twins, the most and fewest shifts among them, as of a board revision. */
  private readonly twinSpans = new Map<
    number,
    { most: number; fewest: number; revision: number }
  >();
  private twins: PersonState[][] | undefined;
  /** What `below` sorts by, per member index: the standing over the whole plan, or up to a day. */
  private standing: (index: number) => number = (index) => this.devOf(index);

  constructor(
    private readonly board: Board,
    private readonly team: Team,
    private readonly options: RepairOptions,
  ) {
    this.placedBy = new Float64Array(team.members.length);
    this.giverAhead = new Float64Array(team.members.length);
    this.giverDev = new Float64Array(team.members.length);
    this.giverMarks = new Uint8Array(team.members.length);
    this.hashes = new Uint32Array(team.members.length);
    this.poolOf = new Int32Array(team.members.length);
    for (let i = 0; i < team.members.length; i++) {
      const member = team.members[i] as Member;
      this.hashes[member.index] = member.hash;
      this.poolOf[member.index] = member.pool;
    }
  }

  /** Count (history and plan) minus share: above 0, more than the fair share. */
  dev(member: Member): number {
    return this.devOf(member.index);
  }

  /** `dev` by member index. */
  private devOf(index: number): number {
    const state = this.board.people[index] as PersonState;
    return state.history + state.planned - (this.options.share[index] ?? 0);
  }

  /**
   * Seats a roster change opened inside the window the previous schedule
   * planned (someone left, or can no longer take them): each goes to whoever
   * is furthest below their share over the whole plan — not in time order,
   * as a fresh plan fills, since everything around the seat is settled —
   * without relaxing min_gap_days where someone else is free. Returns how
   * many it filled.
   */
  refill(before: Day, shareBefore: Float64Array): number {
    let filled = 0;
    const devBefore = (index: number) => {
      const state = this.board.people[index] as PersonState;
      return state.history + state.planned - (shareBefore[index] ?? 0);
    };
    this.standing = devBefore;
    this.sorted = new Map();
    for (const slot of this.board.slots) {
      if (slot.o.day >= before) break;
      for (let s = 0; s < slot.seats.length; s++) {
        if (slot.seats[s]) continue;
        const role = slot.o.shift.seats[s] as string;
        const share = this.options.seatShare(slot.o.day, slot.o.shift.id, role);
        // Whoever would not break min_gap_days, from a pool the day's division
        // gave a part of this kind of seat, furthest below their share.
        const rank = (c: { near: boolean; pool: number; dev: number }) => [
          c.near ? 1 : 0,
          (share?.[c.pool] ?? 0) > EPSILON ? 0 : 1,
          c.dev,
        ];
        let best: { member: Member; near: boolean; pool: number; dev: number } | undefined;
        for (const pool of this.team.pools) {
          if (!canFill(pool, slot.o.shift.id, role)) continue;
          let first: typeof best;
          const members = this.below(pool.index);
          for (let i = 0; i < members.length && i < TAKERS_PER_POOL; i++) {
            const member = this.team.members[members.at(i) as number] as Member;
            if (!this.board.canTake(member, slot, s)) continue;
            const near = this.board.nearby(member, slot) !== undefined;
            const candidate = { member, near, pool: pool.index, dev: devBefore(member.index) };
            if (!first || (first.near && !near)) first = candidate;
            if (!near) break;
          }
          if (first && (!best || lexLess(rank(first), rank(best)))) best = first;
        }
        if (!best) continue;
        this.board.place(slot, s, best.member, "share");
        this.reposition(best.member);
        filled++;
      }
      reseat(slot.o.shift.seats, slot, slot.o.shift.id);
    }
    this.standing = (index) => this.devOf(index);
    this.sorted = new Map();
    return filled;
  }

  /** Seats past the freeze window minus the share of them. */
  devAhead(member: Member): number {
    const held = this.board.stateOf(member).book.countFrom(this.options.freezeUntil);
    return held - (this.options.ahead[member.index] ?? 0);
  }

  /** Runs every kind of move until none applies. Returns how many were made. */
  run(): number {
    let total = 0;
    for (let round = 0; round < 20; round++) {
      const made =
        this.fixQuotas() +
        this.fixRelaxations() +
        this.evenOut() +
        this.evenTwins() +
        this.rebalance();
      total += made;
      if (made === 0 && !this.byChains()) break;
    }
    return total;
  }

  /**
   * The moves of two seats at once, tried when no single move is left:
   * filling an open seat, lifting a relaxation, or evening out where a third
   * person must hand one seat on. Returns whether it made any.
   */
  private byChains(): boolean {
    // A chain search looks at every seat for every step: for small teams,
    // where one seat matters most (the size of the tests' exact comparison
    // and of most real teams' horizons), not for a company of thousands.
    if (this.board.slots.length * this.board.people.length > CHAIN_WORK) return false;
    const context: ChainContext = {
      board: this.board,
      span: this.options,
      dev: (member) => this.dev(member),
      movable: (slot, s) => this.movable(slot, s) === "new",
      sharesIn: (slot, s, member) => this.sharesIn(slot, s, member.pool),
      keepsTwins: (giver, taker) => this.keepsTwins(giver, taker),
      candidates: (slot, s) => {
        const role = slot.o.shift.seats[s] as string;
        const found: Member[] = [];
        for (const pool of this.team.pools) {
          if (canFill(pool, slot.o.shift.id, role)) found.push(...pool.members.slice(0, 500));
        }
        return found;
      },
    };
    if (coverByChains(context) > 0 || relaxByChain(context)) return true;
    if (quotaByChain(context, findQuotaMisses(this.board, this.options))) return true;
    const people = this.board.people.map((state) => state.member);
    const highest = Math.max(...people.map((member) => this.dev(member)));
    const takers = people
      .filter((member) => this.dev(member) < highest - 1 - EPSILON)
      .sort((a, b) => this.dev(a) - this.dev(b) || a.hash - b.hash || a.index - b.index)
      .slice(0, 8);
    const isGiver = (giver: Member, taker: Member) =>
      this.dev(giver) - this.dev(taker) > 1 + EPSILON;
    const made = evenOutByChain(context, takers, isGiver);
    if (made) this.sorted = new Map();
    return made;
  }

  /**
   * Whether a seat may move, and how: "new" for one chosen in this plan,
   * "kept" for one held by the same person in the previous schedule (only
   * beyond the freeze window).
   */
  movable(slot: Slot, s: number): "new" | "kept" | undefined {
    const how = slot.how[s] as SeatHow;
    if (how === "swap" || how === "newcomer" || how === "pair" || how === "open") return undefined;
    if (!slot.kept[s]) return "new";
    return slot.o.day >= this.options.freezeUntil ? "kept" : undefined;
  }

  /**
   * Whether a kept seat is within min_gap_days of a swap its holder took:
   * whoever swapped in took that turn beside this one, so the seat stays
   * with them for fairness and for the gap, which they broke knowingly.
   */
  private besideSwap(slot: Slot, s: number): boolean {
    const holder = slot.seats[s];
    return slot.kept[s] === true && holder !== undefined && this.board.swappedInNear(holder, slot);
  }

  /**
   * Whether `taker` can have the seat `giver` holds, and what it does to
   * min_gap_days: the change in the number of pairs of occurrences closer
   * than it (the taker's new ones minus the giver's lost ones). Undefined
   * when the move is not possible: the taker cannot sit there, the giver
   * would lose their only turn in a judged quota period, or a newcomer on it
   * would lose their pair.
   */
  moveDelta(slot: Slot, s: number, giver: Member, taker: Member): number | undefined {
    if (!this.canHand(slot, s, giver, taker)) return undefined;
    return this.board.conflicts(taker, slot) - this.board.conflicts(giver, slot);
  }

  /**
   * `moveDelta`'s question, min_gap_days aside: the taker can sit there, the
   * giver keeps their quota turns, and a newcomer on it keeps a pair.
   */
  private canHand(slot: Slot, s: number, giver: Member, taker: Member): boolean {
    const board = this.board;
    if (!board.canTake(taker, slot, s) || !this.canGive(slot, s, giver, taker)) return false;
    const hasNewcomer = slot.how.some((how, t) => how === "newcomer" && t !== s);
    return !hasNewcomer || board.isPaired(slot, s) || board.canPair(taker);
  }

  /**
   * Whether the giver can do without this seat: it is not their only turn in
   * a judged quota period, or (given a taker) the taker, on the same quota,
   * has no turn in that period yet, so that the turn changes hands and none
   * is lost (two alike people owing a turn in a month of too few seats).
   */
  canGive(slot: Slot, _s: number, giver: Member, taker?: Member): boolean {
    const day = slot.o.day;
    if (keepsQuota(this.board.stateOf(giver), day, slot.o.id, this.options)) return true;
    return (
      taker !== undefined &&
      taker.quotaText === giver.quotaText &&
      owesTurn(this.board.stateOf(taker), day, this.options)
    );
  }

  /** A move that relaxes min_gap_days for nobody new (it may lift some). */
  canMove(slot: Slot, s: number, giver: Member, taker: Member): boolean {
    const delta = this.moveDelta(slot, s, giver, taker);
    return delta !== undefined && delta <= 0;
  }

  /**
   * Gives the seat to `taker`; a kept seat's move is reported, with why
   * (worked out, when given as a function, before the seat moves, and only
   * for a kept seat: most moves are of seats chosen in this plan).
   */
  move(
    slot: Slot,
    s: number,
    taker: Member,
    how: SeatHow,
    why: string | (() => string),
    kind: MoveKind = "share",
  ): void {
    const kept = slot.kept[s] === true;
    const reason = kept ? (typeof why === "string" ? why : why()) : "";
    const giver = this.board.vacate(slot, s) as Member;
    this.board.place(slot, s, taker, how);
    reseat(slot.o.shift.seats, slot, slot.o.shift.id);
    this.reposition(giver);
    this.reposition(taker);
    this.moved.add(slot.o.id);
    if (!kept) return;
    // A kept seat stays settled with its new holder: later moves in this plan
    // follow the rules for kept seats, so nothing takes it back and forth.
    slot.kept[slot.seats.indexOf(taker)] = true;
    this.options.onMove({ id: slot.o.id, from: giver.id, to: taker.id, why: reason, kind });
  }

  /** The seats a person holds in the plan, latest first. */
  private seatsOf(state: PersonState): [Slot, number][] {
    const seats: [Slot, number][] = [];
    for (let i = state.book.list.length - 1; i >= 0; i--) {
      const a = state.book.list[i] as Assignment;
      // The slot placed with it, else (served before) looked up by id.
      const slot = a.slot ?? this.board.byId.get(a.id);
      if (!slot) continue;
      const s = slot.seats.indexOf(state.member);
      if (s !== -1) seats.push([slot, s]);
    }
    return seats;
  }

  /**
   * Quota turns missed: a seat in the period from whoever is furthest above
   * their share among those with another turn in it. Only such seats can
   * move, so a period whose seats are all someone's only turn (the seats
   * cannot meet the quota) costs one look.
   */
  private fixQuotas(): number {
    // Nothing can move where no judged period has a seat to give: then the
    // misses (tens of thousands where a large company's seats cannot meet
    // its quota) are not listed, each round, only to be passed over.
    if (!this.anyDonor()) return 0;
    let made = 0;
    const byPeriod = new Map<string | number, QuotaMiss[]>();
    const found = findQuotaMisses(this.board, this.options);
    for (let i = 0; i < found.length; i++) {
      const miss = found[i] as QuotaMiss;
      const key = periodKey(miss.period);
      const list = byPeriod.get(key);
      if (list) list.push(miss);
      else byPeriod.set(key, [miss]);
    }
    for (const misses of byPeriod.values()) {
      const { start, end } = (misses[0] as QuotaMiss).period;
      const donors: { slot: Slot; s: number }[] = [];
      for (const slot of this.slotsBetween(start, end)) {
        slot.seats.forEach((giver, s) => {
          if (giver && this.movable(slot, s) && this.canGive(slot, s, giver))
            donors.push({ slot, s });
        });
      }
      for (let i = 0; i < misses.length; i++) {
        if (donors.length === 0) break;
        const member = (misses[i] as QuotaMiss).state.member;
        let best:
          | { index: number; giver: Member; dev: number; beside: boolean; kept: boolean }
          | undefined;
        donors.forEach(({ slot, s }, index) => {
          const giver = slot.seats[s];
          const movable = this.movable(slot, s);
          if (!giver || !movable || !this.canMove(slot, s, giver, member)) return;
          // A donor an earlier turn of this period took a seat from may have
          // none to spare now: a move that only hands the turn on from them
          // leaves as many turns missed, and changes a seat for nothing.
          if (!this.canGive(slot, s, giver)) return;
          const dev = this.dev(giver);
          // A seat chosen in this plan gives the turn before a kept one, which
          // people have seen; of those, a seat beside a swap its holder took
          // gives it only where no other can.
          const kept = movable === "kept";
          if (best && !best.beside && kept && !best.kept) return;
          if (best && !best.beside && kept === best.kept && dev <= best.dev + EPSILON) return;
          const beside = this.besideSwap(slot, s);
          if (
            !best ||
            (best.beside && !beside) ||
            (beside === best.beside && best.kept && !kept) ||
            (beside === best.beside && kept === best.kept && dev > best.dev + EPSILON)
          ) {
            best = { index, giver, dev, beside, kept };
          }
        });
        if (!best) {
          const used = this.quotaByRoom(member, donors);
          if (used === undefined) continue;
          donors.splice(used, 1);
          made++;
          continue;
        }
        const { slot, s } = donors[best.index] as { slot: Slot; s: number };
        donors.splice(best.index, 1);
        this.move(slot, s, member, "quota", `${member.id} owed a turn in the period`, "quota");
        made++;
      }
    }
    return made;
  }

  /**
   * A quota turn that only the person's own seat stands in the way of: a
   * seat in the period would break their min_gap_days with one seat of
   * theirs outside it, which moves (to whoever is furthest below their share
   * and can take it, breaking nothing) so that they take the turn. Their
   * count stays; the giver's seat in effect goes to that other person. (A
   * plan made for a roster without their time away held seats for them that
   * fell beside the turn they now have room for.) Returns the donor used.
   */
  private quotaByRoom(
    member: Member,
    donors: readonly { slot: Slot; s: number }[],
  ): number | undefined {
    const board = this.board;
    // The seats it could be, from whoever is furthest above their share, each
    // with the one seat of the person's own beside it.
    const usable: { index: number; dev: number; near: string }[] = [];
    for (let index = 0; index < donors.length; index++) {
      const { slot, s } = donors[index] as { slot: Slot; s: number };
      const giver = slot.seats[s];
      if (!giver || !this.movable(slot, s) || this.besideSwap(slot, s)) continue;
      // Beside one seat of theirs only, which then moves: the turn breaks nothing.
      const near = board.nearby(member, slot);
      if (near === undefined || board.nearby(member, slot, near) !== undefined) continue;
      if (!this.canHand(slot, s, giver, member)) continue;
      usable.push({ index, dev: this.dev(giver), near });
    }
    usable.sort((a, b) => b.dev - a.dev || a.index - b.index);
    for (const { index, near } of usable) {
      const { slot, s } = donors[index] as { slot: Slot; s: number };
      const own = board.byId.get(near);
      const o = own ? own.seats.indexOf(member) : -1;
      if (!own || o === -1 || !this.movable(own, o) || this.besideSwap(own, o)) continue;
      const taker = this.bestTaker(own, o, member, Number.POSITIVE_INFINITY);
      if (!taker) continue;
      const giver = slot.seats[s] as Member;
      this.move(
        own,
        o,
        taker,
        "share",
        () => `${member.id} took ${slot.o.id}, a turn they owed, beside it`,
        "quota",
      );
      // All it needs was asked above, and the seat in its way is gone: it holds.
      if (!this.canMove(slot, s, giver, member)) continue;
      this.move(slot, s, member, "quota", `${member.id} owed a turn in the period`, "quota");
      return index;
    }
    return undefined;
  }

  /**
   * Whether any judged period of any quota in the roster has a seat that can
   * move from someone who keeps their turn in it (what `fixQuotas` calls a
   * donor). Without one, `fixQuotas` finds none for any missed turn: it
   * moves seats only from donors, and moves nothing before it looks.
   */
  private anyDonor(): boolean {
    if (!this.quotas) {
      this.quotas = [];
      const seen = new Set<Member["quota"]>();
      const members = this.team.members;
      for (let i = 0; i < members.length; i++) {
        const quota = (members[i] as Member).quota;
        if (quota && !seen.has(quota)) {
          seen.add(quota);
          this.quotas.push(quota);
        }
      }
    }
    const looked = new Set<string | number>();
    for (const quota of this.quotas) {
      for (const period of judgedPeriods(quota, this.options)) {
        const key = periodKey(period);
        if (looked.has(key)) continue;
        looked.add(key);
        for (const slot of this.slotsBetween(period.start, period.end)) {
          for (let s = 0; s < slot.seats.length; s++) {
            const giver = slot.seats[s];
            if (giver && this.movable(slot, s) && this.canGive(slot, s, giver)) return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * min_gap_days relaxations: the seat (or the one near it) to someone for
   * whom it breaks less; a kept seat only past the freeze window.
   */
  private fixRelaxations(): number {
    let made = 0;
    for (const slot of this.board.slots) {
      for (let s = 0; s < slot.seats.length; s++) {
        const holder = slot.seats[s];
        if (!holder) continue;
        const near = this.board.nearby(holder, slot);
        if (!near) continue;
        const other = this.board.byId.get(near);
        const candidates: [Slot, number][] = [[slot, s]];
        if (other) candidates.push([other, other.seats.indexOf(holder)]);
        // Where a swap or the pair_with rule made the gap, the seats beside it
        // were agreed around it: kept ones stay, as the warning says why.
        const agreed = candidates.some(
          ([target, t]) => target.how[t] === "swap" || target.how[t] === "pair",
        );
        for (const [target, t] of candidates) {
          // A kept seat past the freeze window moves too (kept from a plan made
          // for fewer people), but only to someone kept seats may move to:
          // well below their share there, as someone added is.
          const movable = t === -1 ? undefined : this.movable(target, t);
          if (!movable || (movable === "kept" && (agreed || this.besideSwap(target, t)))) continue;
          const taker = this.bestTaker(target, t, holder, Number.POSITIVE_INFINITY, -1);
          if (!taker) continue;
          if (movable === "kept" && this.devAhead(taker) >= -REBALANCE_BEHIND - EPSILON) continue;
          this.move(target, t, taker, "share", `min_gap_days held for ${holder.id}`, "gap");
          made++;
          break;
        }
      }
    }
    return made;
  }

  /**
   * Fairness among seats chosen in this plan: a seat from someone above their
   * share to someone more than one shift further below, until no such move
   * is left. Each move lowers the sum of squared deviations, so it ends.
   */
  private evenOut(): number {
    let made = 0;
    // Standings as the pass begins, worked out once (not once per comparison).
    // Indexed loops over the 50,000: a loop run once per pass may run before
    // it is optimized, and iterating an array there makes an object per step.
    const people = this.board.people;
    const share = this.options.share;
    const devs = new Float64Array(people.length);
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < people.length; i++) {
      const state = people[i] as PersonState;
      const index = state.member.index;
      const dev = state.history + state.planned - (share[index] ?? 0);
      devs[index] = dev;
      if (dev < lowest) lowest = dev;
    }
    // Whoever holds seats, furthest above their share first, ties by hash then index.
    const holders: number[] = [];
    const everyone = this.byHash(-1);
    for (let i = 0; i < everyone.length; i++) {
      const index = everyone[i] as number;
      if ((people[index] as PersonState).planned > 0) holders.push(index);
    }
    const order = stableByValue(holders, devs, true);
    for (let i = 0; i < order.length; i++) {
      const state = people[order[i] as number] as PersonState;
      const giver = state.member;
      if (this.dev(giver) - lowest <= 1 + EPSILON) break;
      // The giver's seats, latest first (as `seatsOf` lists them), read from
      // their book as it goes rather than listed first: a move takes out only
      // the seat at hand, so those before it in the book stay where they are.
      const list = state.book.list;
      for (let k = list.length - 1; k >= 0; k--) {
        const a = list[k] as Assignment;
        // Whether the giver can do without the seat (`canGive`) is asked
        // first, of the assignment, which has its slot's day and id: most
        // givers' one seat is their only turn in its quota period, and then
        // the slot is not read at all.
        if (a.slot !== undefined && !keepsQuota(state, a.day, a.id, this.options)) continue;
        const slot = a.slot ?? this.board.byId.get(a.id);
        if (!slot) continue;
        const s = slot.seats.indexOf(giver);
        if (s === -1) continue;
        if (this.movable(slot, s) !== "new") continue;
        if (a.slot === undefined && !this.canGive(slot, s, giver)) continue;
        const taker = this.bestTaker(slot, s, giver, this.dev(giver));
        if (!taker) continue;
        this.move(slot, s, taker, "share", () => this.why(giver, taker));
        made++;
        if (this.dev(giver) - lowest <= 1 + EPSILON) break;
      }
    }
    return made;
  }

  /**
   * People alike in everything the planner sees end within one shift of each
   * other: a seat from the twin with most to the one with fewest (min_gap_days
   * no more broken than before), else from some day on each takes the
   * other's seats, else a seat from the twin with most to someone else (the
   * gap no more broken either), else a kept seat past the freeze window from
   * the twin with most to the one with fewest, else — the promise between equals comes
   * before min_gap_days, which holds only where it can — a seat to the one
   * with fewest that breaks it once more, said in a warning.
   */
  private evenTwins(): number {
    let made = 0;
    const context: TwinContext = {
      board: this.board,
      span: this.options,
      movable: (slot, s) => this.movable(slot, s),
      give: (slot, s, taker) => {
        const giver = this.board.vacate(slot, s) as Member;
        this.board.place(slot, s, taker.member, "share");
        this.reposition(giver);
        this.reposition(taker.member);
        reseat(slot.o.shift.seats, slot, slot.o.shift.id);
      },
    };
    const count = (state: PersonState) => state.history + state.planned;
    this.twins ??= twinGroups(this.board);
    for (let g = 0; g < this.twins.length; g++) {
      const group = this.twins[g] as PersonState[];
      for (let round = 0; round < 4 * group.length; round++) {
        // Most groups are already within one shift: found without sorting them.
        let most = Number.NEGATIVE_INFINITY;
        let fewest = Number.POSITIVE_INFINITY;
        for (let i = 0; i < group.length; i++) {
          const n = count(group[i] as PersonState);
          if (n > most) most = n;
          if (n < fewest) fewest = n;
        }
        if (most - fewest < 2) break;
        const sorted = [...group].sort(
          (a, b) =>
            count(b) - count(a) || a.member.hash - b.member.hash || a.member.index - b.member.index,
        );
        const top = count(sorted[0] as PersonState);
        const bottom = count(sorted[sorted.length - 1] as PersonState);
        if (top - bottom < 2) break;
        const tops = sorted.filter((a) => count(a) === top).slice(0, 3);
        const bottoms = sorted.filter((b) => count(b) === bottom).slice(-3);
        const pairs = tops.flatMap((most) => bottoms.map((fewest) => [most, fewest] as const));
        const steps = [
          (most: PersonState, fewest: PersonState) => this.moveBetween(most, fewest, 0),
          (most: PersonState, fewest: PersonState) => swapTails(context, most, fewest),
          (most: PersonState) => this.handOn(most),
          (most: PersonState, fewest: PersonState) => this.moveBetween(most, fewest, 0, true),
          (most: PersonState, fewest: PersonState) => this.moveBetween(most, fewest, 1),
          (most: PersonState, fewest: PersonState) => swapStretch(context, most, fewest),
        ];
        if (!steps.some((step) => pairs.some(([most, fewest]) => step(most, fewest)))) break;
        made++;
      }
    }
    return made;
  }

  /**
   * The latest seat chosen in this plan that one twin can give the other,
   * within `maxDelta`; with `kept`, a kept seat past the freeze window too,
   * where no seat of this plan evens them out: a newcomer's first shift in
   * the only seat of a guest whose twins serve twice leaves them none, and
   * a replan on the same day plans no new seat to give them.
   */
  private moveBetween(
    most: PersonState,
    fewest: PersonState,
    maxDelta: number,
    kept = false,
  ): boolean {
    for (const [slot, s] of this.seatsOf(most)) {
      const movable = this.movable(slot, s);
      if (movable !== "new" && !(kept && movable === "kept" && !this.besideSwap(slot, s))) {
        continue;
      }
      const delta = this.moveDelta(slot, s, most.member, fewest.member);
      if (delta === undefined || delta > maxDelta) continue;
      const how = this.movedHow(slot, s);
      this.move(slot, s, fewest.member, how, () => this.why(most.member, fewest.member));
      return true;
    }
    return false;
  }

  /**
   * The latest seat chosen in this plan that the twin with most can give to
   * someone not alike to them, for whom min_gap_days holds as well as it did
   * for the twin: the one furthest below their share. It brings the group
   * closer without breaking the gap, where the twin with fewest can take
   * none of the seats without breaking it.
   */
  private handOn(most: PersonState): boolean {
    const group = this.twinIndex()[most.member.index];
    const outside = (member: Member) => this.twinIndex()[member.index] !== group;
    for (const [slot, s] of this.seatsOf(most)) {
      if (this.movable(slot, s) !== "new") continue;
      const taker = this.bestTaker(slot, s, most.member, Number.POSITIVE_INFINITY, 0, outside);
      if (!taker) continue;
      this.move(slot, s, taker, "share", () => this.why(most.member, taker));
      return true;
    }
    return false;
  }

  /**
   * Roster changes absorbed: whoever has one and a half shifts fewer than
   * their share of the days past the freeze window (someone added, or back
   * with more time), or, added since the last plan, none of a share of more
   * than one, takes seats there from whoever has most above theirs, one seat
   * per change, until they are within half a shift of it. Each move is also
   * a fairness move (more than a shift apart over the whole record), so the
   * two never undo each other; removing a person leaves nobody that far
   * behind, so it moves nothing but their seats.
   */
  private rebalance(): number {
    let made = 0;
    const people = this.board.people;
    // Member indices of people catching up on their share past the freeze window.
    const catchingUp = new Set<number>();
    for (let i = 0; i < people.length; i++) {
      const member = (people[i] as PersonState).member;
      const held = this.board.stateOf(member).book.countFrom(this.options.freezeUntil);
      const behind = (this.options.ahead[member.index] ?? 0) - held;
      // Someone added, holding no seat there while owed more than half a
      // shift (a guest in a roster where guests serve about once in the
      // horizon), starts too: a fresh plan would give them a seat, and each
      // seat they take comes from someone more than a shift above them.
      // Not anyone the last plan knew: a change to others moves no seat to
      // them. Nor anyone whose share is under a shift: a plan leaves such
      // people unseated and unrecorded (`stillCounted`), and every later
      // plan would take them for people added (a company of 50,000 has
      // tens of thousands of them).
      const none =
        held === 0 &&
        behind > REBALANCE_TO + EPSILON &&
        (this.options.share[member.index] ?? 0) >= 1 - EPSILON &&
        this.options.added(member);
      if (behind > REBALANCE_BEHIND + EPSILON || none) catchingUp.add(member.index);
    }
    // Furthest behind first, each as far as they can go; then again while
    // that moved anything: people added together are twins, and a twin takes
    // a seat only while holding no more than the others (`keepsTwins`), so
    // each stops at one seat a pass until the others have theirs.
    for (let progress = true; progress && catchingUp.size > 0; ) {
      progress = false;
      const takers = [...catchingUp].map((index) => this.team.members[index] as Member);
      takers.sort(
        (a, b) => this.devAhead(a) - this.devAhead(b) || a.hash - b.hash || a.index - b.index,
      );
      for (const taker of takers) {
        while (this.devAhead(taker) < -REBALANCE_TO - EPSILON) {
          const found = this.bestGiver(taker);
          if (found) {
            // The giver first trades seats with whoever slides into theirs.
            const { slide } = found;
            if (slide !== undefined) swapSeats(found.slot, found.s, slide);
            const seat = slide ?? found.s;
            const how = this.movedHow(found.slot, seat);
            this.move(found.slot, seat, taker, how, () => this.why(found.giver, taker));
            made++;
          } else if (this.relay(taker)) {
            made += 2;
          } else break;
          progress = true;
        }
        if (this.devAhead(taker) >= -REBALANCE_TO - EPSILON) catchingUp.delete(taker.index);
      }
    }
    return made;
  }

  /**
   * Before the fill, who the seats kept from the last plan leave more than a
   * shift and a half below their share of the days it planned past the
   * freeze window, and more than a shift below their share over the record
   * and those days (`shareBefore`, as `refill` judges them), not being added
   * since: a weight raised, time away taken back. They catch up as someone
   * added does, and `spreadCatchingUp` spreads them as it does someone
   * added. With no roster change since the last plan, its own seats keep
   * everyone within a shift of their share: nobody is found, though the
   * days past the freeze window alone may leave someone further behind
   * (they served more on the days before).
   */
  noteBehind(plannedUntil: Day, shareBefore: Float64Array): void {
    const { freezeUntil, until } = this.options;
    if (plannedUntil <= freezeUntil || plannedUntil >= until) return;
    for (const member of this.team.members) {
      // A share of the days past the freeze window (these and more) within
      // the margin cannot be that far behind on some of them.
      const index = member.index;
      if ((this.options.ahead[index] as number) <= REBALANCE_BEHIND) continue;
      if (this.options.added(member)) continue;
      const state = this.board.stateOf(member);
      const held = state.book.countFrom(freezeUntil) - state.book.countFrom(plannedUntil);
      const owed = this.options.expected(member, freezeUntil, plannedUntil);
      if (held - owed >= -REBALANCE_BEHIND - EPSILON) continue;
      const overall = state.history + state.planned - (shareBefore[index] ?? 0);
      if (overall < -1 - EPSILON) this.behind.add(index);
    }
  }

  /**
   * Whose seats on the new days `spreadCatchingUp` spreads: added since the
   * last plan, or found far behind before the fill (`noteBehind`).
   */
  private spreadsFor(member: Member): boolean {
    return this.behind.has(member.index) || this.options.added(member);
  }

  /**
   * People added since the last plan, or catching up (`noteBehind`), on the
   * days it did not plan (from `plannedUntil` on): the fill, in time order,
   * gives them nearly every seat there they can take, as they are furthest
   * below their share, so that they would serve day after day at the end
   * of the plan and seldom in the weeks ahead. While they hold more than a
   * shift above their share of those days, a seat of theirs there is traded for a kept
   * seat past the freeze window, on a day the last plan did plan, nearest
   * the day they fall behind the pace of their share: its holder serves the
   * new day in their place. Nobody's count changes, min_gap_days is broken
   * no more, quota turns and pairs are kept, and each seat traded is one
   * change, said. Returns how many seats were traded.
   */
  spreadCatchingUp(plannedUntil: Day): number {
    let made = 0;
    const { freezeUntil, until } = this.options;
    if (plannedUntil <= freezeUntil || plannedUntil >= until) return 0;
    this.spreadLooks = SPREAD_LOOKS;
    for (const member of this.team.members) {
      if (!this.spreadsFor(member)) continue;
      const state = this.board.stateOf(member);
      const owed = this.options.expected(member, plannedUntil, until + 1);
      while (this.spreadLooks > 0) {
        const late = this.seatsOf(state).filter(
          ([slot, s]) => slot.o.day >= plannedUntil && this.movable(slot, s) === "new",
        );
        if (late.length - owed <= 1 + EPSILON) break;
        const due = this.dueDay(member);
        // Their latest seat there goes first, as it stands furthest from the rest.
        const traded = late.some(([slot, s]) =>
          this.tradeForKept(slot, s, member, plannedUntil, due),
        );
        if (!traded) break;
        made++;
      }
    }
    return made;
  }

  /**
   * `taker`'s seat `s` of `slot` (a new day) for a kept seat on a day from
   * the freeze window's end to before `plannedUntil`, nearest `due`: its
   * holder takes the seat in its place. Whether one was found and traded.
   */
  private tradeForKept(slot: Slot, s: number, taker: Member, plannedUntil: Day, due: Day): boolean {
    const board = this.board;
    let best: { slot: Slot; s: number; holder: Member; off: number } | undefined;
    for (const kept of board.slots) {
      const day = kept.o.day;
      if (day < this.options.freezeUntil) continue;
      if (day >= plannedUntil) break;
      const off = Math.abs(day - due);
      if (best && off >= best.off) continue;
      for (let k = 0; k < kept.seats.length; k++) {
        const holder = kept.seats[k];
        if (!holder || holder === taker || this.spreadsFor(holder)) continue;
        if (--this.spreadLooks < 0) return false;
        if (this.movable(kept, k) !== "kept" || this.besideSwap(kept, k)) continue;
        if (!this.canMove(kept, k, holder, taker)) continue;
        // Whether the holder can then have the taker's seat: asked with the
        // taker in the kept seat.
        if (this.asIfSeated(kept, k, taker, () => this.canMove(slot, s, taker, holder))) {
          best = { slot: kept, s: k, holder, off };
          break;
        }
      }
    }
    if (!best) return false;
    const { holder } = best;
    const who = this.options.added(taker)
      ? "added since the last plan"
      : "catching up to their share";
    const instead = `${taker.id}, ${who}, serves in the weeks ahead, not on day after day at the plan's end; ${holder.id} serves ${slot.o.id} instead`;
    this.move(best.slot, best.s, taker, "moved", instead, "trade");
    this.move(slot, s, holder, "share", "", "trade");
    return true;
  }

  /**
   * For someone catching up whom no seat past the freeze window can go to
   * directly (those they could sit in are held by people alike to others who
   * have more, or the rest would break min_gap_days for them: someone whose
   * weight was raised serves every other week, and only the weeks between
   * are free), a seat handed on: its holder takes, in its place, a seat of
   * someone who could have given one directly. Two moves, each said; only
   * the giver's and the taker's counts change. Not for someone added since
   * the last plan: they take one change per seat.
   * Returns whether it made them.
   */
  private relay(taker: Member): boolean {
    if (this.relaysLeft <= 0 || this.options.added(taker)) return false;
    this.relaysLeft--;
    const board = this.board;
    const givers = this.relayGivers(taker);
    if (givers.length === 0) return false;
    let tries = 0;
    for (const slot of board.slots) {
      if (slot.o.day < this.options.freezeUntil) continue;
      for (let s = 0; s < slot.seats.length; s++) {
        const holder = slot.seats[s];
        if (!holder || holder === taker || !this.movable(slot, s) || this.besideSwap(slot, s)) {
          continue;
        }
        if (!this.sharesIn(slot, s, taker.pool) || !this.canMove(slot, s, holder, taker)) continue;
        if (++tries > RELAY_TRIES) return false;
        // The holder's seat in its place, looked for as if the taker had this one.
        const other = this.asIfSeated(slot, s, taker, () =>
          givers.find(
            (seat) =>
              seat.slot !== slot &&
              seat.giver !== holder &&
              this.sharesIn(seat.slot, seat.s, holder.pool) &&
              this.canMove(seat.slot, seat.s, seat.giver, holder),
          ),
        );
        if (!other) continue;
        const because = this.why(other.giver, taker);
        // A seat of a day newly planned was nobody's before: only where.
        const instead = other.slot.kept[other.s]
          ? `${holder.id} takes ${other.giver.id}'s seat on ${other.slot.o.id} instead`
          : `${holder.id} serves ${other.slot.o.id} instead`;
        this.move(slot, s, taker, this.movedHow(slot, s), `${because}; ${instead}`, "relay");
        const handedOn = `${because}, for a seat ${holder.id} handed on to ${taker.id}`;
        const how = this.movedHow(other.slot, other.s);
        this.move(other.slot, other.s, holder, how, handedOn, "relay");
        return true;
      }
    }
    return false;
  }

  /**
   * `ask`'s answer with `member` in seat `s` of `slot` in place of its
   * holder, the seat put back as it was (holder, how and kept) after.
   */
  private asIfSeated<T>(slot: Slot, s: number, member: Member, ask: () => T): T {
    const holder = slot.seats[s] as Member;
    const how = slot.how[s] as SeatHow;
    const kept = slot.kept[s] === true;
    this.board.vacate(slot, s);
    this.board.place(slot, s, member, how);
    try {
      return ask();
    } finally {
      this.board.vacate(slot, s);
      this.board.place(slot, s, holder, how);
      slot.kept[s] = kept;
    }
  }

  /** How a seat moved for fairness is marked: "moved" where it was kept, else "share". */
  private movedHow(slot: Slot, s: number): SeatHow {
    return slot.kept[s] ? "moved" : "share";
  }

  /**
   * The seats past the freeze window that could go to `taker` directly but
   * for where they are: held by someone more than a shift above the taker
   * both there and over the whole record, whose giving one keeps twins
   * even. Furthest above their share first.
   */
  private relayGivers(taker: Member): { slot: Slot; s: number; giver: Member }[] {
    const takerAhead = this.devAhead(taker);
    const takerDev = this.dev(taker);
    const verdicts = new Map<number, boolean>();
    const gives = (giver: Member) => {
      let verdict = verdicts.get(giver.index);
      if (verdict === undefined) {
        verdict =
          giver !== taker &&
          this.devAhead(giver) - takerAhead > 1 + EPSILON &&
          this.dev(giver) - takerDev > 1 + EPSILON &&
          this.keepsTwins(giver, taker);
        verdicts.set(giver.index, verdict);
      }
      return verdict;
    };
    const seats: { slot: Slot; s: number; giver: Member; dev: number }[] = [];
    for (const slot of this.board.slots) {
      if (slot.o.day < this.options.freezeUntil) continue;
      for (let s = 0; s < slot.seats.length; s++) {
        const giver = slot.seats[s];
        if (!giver || !this.movable(slot, s) || this.besideSwap(slot, s) || !gives(giver)) continue;
        seats.push({ slot, s, giver, dev: this.dev(giver) });
      }
    }
    // Stable: of one giver's seats, the earliest first.
    return seats.sort(
      (a, b) => b.dev - a.dev || a.giver.hash - b.giver.hash || a.giver.index - b.giver.index,
    );
  }

  /**
   * The seat past the freeze window that `taker` can have, held by whoever is
   * furthest above their share over the whole record (then past the window):
   * someone away until late in the plan holds seats only there, and is above
   * their share there while below it over the plan. Of that giver's seats,
   * the one nearest the day the taker falls behind the pace of their share
   * (`dueDay`): taken in day order, someone added would serve nearly every
   * seat they can for weeks, then none for months.
   */
  private bestGiver(
    taker: Member,
  ): { slot: Slot; s: number; giver: Member; slide?: number } | undefined {
    let best:
      | {
          slot: Slot;
          s: number;
          giver: Member;
          ahead: number;
          dev: number;
          near: boolean;
          off: number;
          slide?: number;
        }
      | undefined;
    const takerAhead = this.devAhead(taker);
    const takerDev = this.dev(taker);
    const due = this.dueDay(taker);
    // Someone with no seat there may take one from whoever is a whole shift
    // above them there: a guest who serves once, added beside guests whose
    // second turn falls in the freeze window, would otherwise get none.
    const holdsNone = this.board.stateOf(taker).book.countFrom(this.options.freezeUntil) === 0;
    const aheadBy = holdsNone ? 1 - EPSILON : 1 + EPSILON;
    const above = this.markAbove(takerAhead, takerDev, aheadBy);
    for (const slot of this.board.slots) {
      if (slot.o.day < this.options.freezeUntil) continue;
      for (let s = 0; s < slot.seats.length; s++) {
        const giver = slot.seats[s];
        if (!giver || above[giver.index] !== 1 || !this.movable(slot, s)) continue;
        const ahead = this.giverAhead[giver.index] as number;
        const dev = this.giverDev[giver.index] as number;
        // A seat that keeps min_gap_days for the taker comes before one that
        // breaks it: a giver whose seat was within the gap of their own hands
        // the break on otherwise, while other seats would have kept it.
        const near = this.board.conflicts(taker, slot) > 0;
        if (best && near && !best.near) continue;
        // Whoever is furthest above their share over the whole record gives
        // first; of their seats, the one nearest the taker's due day.
        const off = Math.abs(slot.o.day - due);
        if (
          best &&
          near === best.near &&
          (dev < best.dev - EPSILON ||
            (dev <= best.dev + EPSILON &&
              (ahead < best.ahead || (ahead === best.ahead && off >= best.off))))
        ) {
          continue;
        }
        // A seat the taker cannot sit in may still be theirs where another
        // person on the occurrence slides into it from one the taker can:
        // the giver leaves, the taker comes, and nobody else's count changes.
        // (Asked once the cheaper questions above let the seat through.)
        const slide = this.sharesIn(slot, s, taker.pool)
          ? undefined
          : this.slideFor(slot, s, giver, taker);
        if (slide === null || this.besideSwap(slot, s)) continue;
        if (slide !== undefined) swapSeats(slot, s, slide);
        const fits = this.canMove(slot, slide ?? s, giver, taker);
        if (slide !== undefined) swapSeats(slot, s, slide);
        if (fits && this.keepsTwins(giver, taker)) {
          best = {
            slot,
            s,
            giver,
            ahead,
            dev,
            near,
            off,
            ...(slide === undefined ? {} : { slide }),
          };
        }
      }
    }
    return best;
  }

  /**
   * Who stands more than `aheadBy` above the taker past the freeze window
   * and more than a shift above them over the whole record: 1 per member
   * index, with those standings kept in `giverAhead` and `giverDev`. Worked
   * out once per look for a giver, person by person: asked of each seat's
   * holder, seat after seat, it cost a company adding hundreds of people at
   * once most of a minute.
   */
  private markAbove(takerAhead: number, takerDev: number, aheadBy: number): Uint8Array {
    const marks = this.giverMarks;
    const people = this.board.people;
    for (let i = 0; i < people.length; i++) {
      const member = (people[i] as PersonState).member;
      const ahead = this.devAhead(member);
      const dev = this.devOf(member.index);
      const gives = ahead - takerAhead > aheadBy && dev - takerDev > 1 + EPSILON;
      marks[member.index] = gives ? 1 : 0;
      if (!gives) continue;
      this.giverAhead[member.index] = ahead;
      this.giverDev[member.index] = dev;
    }
    return marks;
  }

  /**
   * For a seat `s` of the giver's that the taker has no share in: another
   * seat of the occurrence, one the taker has a share in, whose holder can
   * sit in `s` and whose role the giver can fill (so that the two may trade
   * seats before the giver's goes to the taker). Null when there is none.
   */
  private slideFor(slot: Slot, s: number, giver: Member, taker: Member): number | null {
    const roles = slot.o.shift.seats;
    const shift = slot.o.shift.id;
    for (let t = 0; t < roles.length; t++) {
      const holder = slot.seats[t];
      if (t === s || !holder || holder === taker || this.movable(slot, t) === undefined) continue;
      if (
        !canFill(holder, shift, roles[s] as string) ||
        !canFill(giver, shift, roles[t] as string)
      ) {
        continue;
      }
      if (this.sharesIn(slot, t, taker.pool)) return t;
    }
    return null;
  }

  /**
   * The first day past the freeze window by which `taker` holds more than
   * half a shift fewer seats than their share of the days up to it: where the
   * next seat keeps their turns at the pace of their share (away days, a
   * leaving date and a part-time weight included), as everyone else's are.
   */
  private dueDay(taker: Member): Day {
    const { freezeUntil, until } = this.options;
    const days: Day[] = [];
    const list = this.board.stateOf(taker).book.list;
    for (let i = 0; i < list.length; i++) {
      const day = (list[i] as Assignment).day;
      if (day >= freezeUntil && day <= until) days.push(day);
    }
    days.sort((a, b) => a - b);
    const behind = (day: Day, held: number) =>
      this.options.expected(taker, freezeUntil, day + 1) - held > REBALANCE_TO + EPSILON;
    // Between two of their seats they hold as many as before the second: the
    // first stretch whose last day is behind holds the day, found by halves.
    for (let held = 0; held <= days.length; held++) {
      let lo = held === 0 ? freezeUntil : (days[held - 1] as Day);
      let hi = held < days.length ? (days[held] as Day) - 1 : until;
      if (lo > hi || !behind(hi, held)) continue;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (behind(mid, held)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    }
    return until;
  }

  private why(giver: Member, taker: Member): string {
    const above = this.dev(giver);
    const below = -this.dev(taker);
    return `${giver.id} is ${Math.abs(above).toFixed(1)} ${above >= 0 ? "above" : "below"} their share, ${taker.id} ${Math.abs(below).toFixed(1)} ${below >= 0 ? "below" : "above"}`;
  }

  /**
   * The person furthest below their share who can have this seat, more than
   * a shift below `limit` (the giver's standing); for a kept seat, only when
   * one of the two is more than a shift from their share.
   */
  private bestTaker(
    slot: Slot,
    s: number,
    giver: Member,
    limit: number,
    maxDelta = 0,
    /** Who else may have it (anyone, when not given). */
    accept?: (member: Member) => boolean,
  ): Member | undefined {
    const role = slot.o.shift.seats[s] as string;
    if (this.budget <= 0 || !this.canGive(slot, s, giver)) return undefined;
    const given = this.board.conflicts(giver, slot);
    // What `moveDelta` asks beside the taker, the same for every taker weighed
    // here (nothing moves while they are): the giver can give (asked above),
    // and whether a newcomer on the occurrence would need the taker as a pair.
    const paired = this.board.isPaired(slot, s);
    const needsPair = !paired && slot.how.some((how, t) => how === "newcomer" && t !== s);
    let best: Member | undefined;
    let bestDev = Number.POSITIVE_INFINITY;
    // The day's division of this kind of seat, looked up once for every pool.
    const share = this.options.seatShare(slot.o.day, slot.o.shift.id, role);
    for (const pool of this.team.pools) {
      if (!canFill(pool, slot.o.shift.id, role) || !((share?.[pool.index] ?? 0) > EPSILON)) {
        continue;
      }
      const members = this.below(pool.index);
      for (let i = 0; i < members.length && i < TAKERS_PER_POOL; i++) {
        const index = members.at(i) as number;
        const member = this.team.members[index] as Member;
        const dev = this.devOf(index);
        if (dev >= bestDev || limit - dev <= 1 + EPSILON) break;
        if (member === giver || --this.budget < 0) continue;
        // A newcomer's first shift only beside a pair (as `canTake` says):
        // those furthest below their share are often newcomers with no shift
        // yet, weighed for seat after seat, so this is asked first.
        if (!paired && this.board.needsPair(member, slot)) continue;
        // The cheap question first: would it break min_gap_days more? (The
        // move's delta is exactly this; `moveDelta` less what is known above.)
        if (this.board.conflicts(member, slot) - given > maxDelta) continue;
        if (!this.board.canTake(member, slot, s)) continue;
        if (needsPair && !this.board.canPair(member)) continue;
        if (!this.keepsTwins(giver, member) || (accept && !accept(member))) continue;
        best = member;
        bestDev = dev;
        break;
      }
    }
    return best;
  }

  /**
   * Whether the day's division gave a pool part of this kind of seat: the
   * regulars of a `pro` seat get none of the seats anyone can fill, so
   * evening out never hands them one.
   */
  private sharesIn(slot: Slot, s: number, pool: number): boolean {
    const share = this.options.seatShare(
      slot.o.day,
      slot.o.shift.id,
      slot.o.shift.seats[s] as string,
    );
    return (share?.[pool] ?? 0) > EPSILON;
  }

  /**
   * Keeps a pool's sorted list in order after a person's standing changed:
   * the person taken out and put back where the others' standings place
   * them (left in place when that is where they are).
   */
  private reposition(member: Member): void {
    const sorted = this.sorted.get(member.pool);
    if (!sorted) return;
    const index = member.index;
    const hashes = this.hashes;
    const at = this.find(sorted, index);
    const key = this.standing(index);
    // Searched as if the person were out of the list: index i of that list is
    // i here before them, i + 1 after.
    let lo = 0;
    let hi = at === -1 ? sorted.length : sorted.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = sorted.at(at === -1 || mid < at ? mid : mid + 1) as number;
      if (sortsBefore(other, this.standing(other), index, key, hashes)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (at === -1) {
      sorted.insert(lo, index);
    } else if (lo !== at) {
      sorted.removeAt(at);
      sorted.insert(lo, index);
    }
    this.placedBy[index] = key;
  }

  /**
   * Where a person is in their pool's list: searched by the standing they
   * were placed by, and checked; else (a standing changed outside the
   * repair, so the list is out of that order) looked for.
   */
  private find(sorted: ChunkedList<number>, index: number): number {
    const placedBy = this.placedBy;
    const hashes = this.hashes;
    const key = placedBy[index] as number;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = sorted.at(mid) as number;
      if (sortsBefore(other, placedBy[other] as number, index, key, hashes)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return sorted.at(lo) === index ? lo : findFromBothEnds(sorted, index);
  }

  /**
   * Whether a seat moving from `giver` to `taker` leaves people alike in
   * everything the planner sees (twins) no further apart: between two of one
   * group, only from the one with more; else a giver who has twins holds as
   * many as any of them, and a taker who has twins as few. No two of a group
   * then end further apart than they were, nor more than a shift apart where
   * they were not, so no move for min_gap_days or for fairness undoes what
   * `evenTwins` evened (at the cost of min_gap_days where it had to): each
   * move is better in the one order the repair follows, so it ends.
   */
  private keepsTwins(giver: Member, taker: Member): boolean {
    const twinOf = this.twinIndex();
    const givers = twinOf[giver.index] as number;
    const takers = twinOf[taker.index] as number;
    if (givers === -1 && takers === -1) return true;
    const count = (member: Member) => {
      const state = this.board.stateOf(member);
      return state.history + state.planned;
    };
    if (givers !== -1 && givers === takers) return count(giver) > count(taker);
    if (givers !== -1 && count(giver) < this.twinCounts(givers).most) return false;
    return takers === -1 || count(taker) <= this.twinCounts(takers).fewest;
  }

  /** Per member index, the index of their group of twins (-1: they have none). */
  private twinIndex(): Int32Array {
    if (!this.twinOf) {
      this.twins ??= twinGroups(this.board);
      this.twinOf = new Int32Array(this.team.members.length).fill(-1);
      for (let g = 0; g < this.twins.length; g++) {
        for (const state of this.twins[g] as PersonState[]) this.twinOf[state.member.index] = g;
      }
    }
    return this.twinOf;
  }

  /**
   * The most and fewest shifts anyone of a group of twins has, worked out
   * again only once seats have changed hands since (a large company's groups
   * are large, and asked about for taker after taker).
   */
  private twinCounts(group: number): { most: number; fewest: number } {
    const board = this.board;
    const known = this.twinSpans.get(group);
    if (known && known.revision === board.revision) return known;
    let most = Number.NEGATIVE_INFINITY;
    let fewest = Number.POSITIVE_INFINITY;
    for (const state of (this.twins as PersonState[][])[group] as PersonState[]) {
      const n = state.history + state.planned;
      if (n > most) most = n;
      if (n < fewest) fewest = n;
    }
    const span = { most, fewest, revision: board.revision };
    this.twinSpans.set(group, span);
    return span;
  }

  /**
   * A pool's people, furthest below their share first. Sorted once per pass:
   * a move changes two standings, and `bestTaker` checks each one it reads.
   */
  private below(pool: number): ChunkedList<number> {
    let sorted = this.sorted.get(pool);
    if (!sorted) {
      // Each standing worked out once, then sorted by. The ties' order (hash,
      // then index) never changes: the people are put in it once per pool,
      // and the sort by standing, being stable, keeps it among equals.
      const placedBy = this.placedBy;
      const byHash = this.byHash(pool);
      for (let i = 0; i < byHash.length; i++) {
        const index = byHash[i] as number;
        placedBy[index] = this.standing(index);
      }
      sorted = new ChunkedList(stableByValue(byHash, placedBy));
      this.sorted.set(pool, sorted);
    }
    return sorted;
  }

  /**
   * A pool's member indices (everyone's for -1) by hash, then index: how
   * equal standings are ordered. Made once.
   */
  private byHash(pool: number): readonly number[] {
    let order = this.hashOrder.get(pool);
    if (!order) {
      if (pool === -1) {
        order = byHashThenIndex(
          this.team.members.map((member) => member.index),
          this.hashes,
        );
      } else {
        // A pool's people in everyone's order: sorted once, not per pool.
        const everyone = this.byHash(-1);
        const poolOf = this.poolOf;
        order = [];
        for (let i = 0; i < everyone.length; i++) {
          const index = everyone[i] as number;
          if (poolOf[index] === pool) order.push(index);
        }
      }
      this.hashOrder.set(pool, order);
    }
    return order;
  }

  /** Slots on days [from, until) (slots are in day order). */
  private slotsBetween(from: Day, until: Day): Slot[] {
    const slots = this.board.slots;
    let lo = 0;
    let hi = slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((slots[mid] as Slot).o.day < from) lo = mid + 1;
      else hi = mid;
    }
    const found: Slot[] = [];
    for (let i = lo; i < slots.length && (slots[i] as Slot).o.day < until; i++) {
      found.push(slots[i] as Slot);
    }
    return found;
  }
}

/**
 * Where `item` is in `list`, looking from both ends at once: a person whose
 * standing changed was most often among the furthest below or above.
 */
function findFromBothEnds<T>(list: ChunkedList<T>, item: T): number {
  for (let i = 0, j = list.length - 1; i <= j; i++, j--) {
    if (list.at(i) === item) return i;
    if (list.at(j) === item) return j;
  }
  return -1;
}

/**
 * A period as a key: a number where both days allow (one Map of numbers is
 * cheaper than a string per missed turn), else its days in words.
 */
function periodKey(period: { start: Day; end: Day }): string | number {
  const { start, end } = period;
  return Number.isInteger(start) &&
    Number.isInteger(end) &&
    start >= 0 &&
    start < 2 ** 30 &&
    end >= 0 &&
    end < 2 ** 22
    ? start * 2 ** 22 + end
    : `${start}-${end}`;
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) < (b[i] as number);
  }
  return false;
}

/** A pool's order, of member indices: by standing, then by hash, then by index. */
function sortsBefore(
  other: number,
  otherKey: number,
  index: number,
  key: number,
  hashes: Uint32Array,
): boolean {
  if (otherKey !== key) return otherKey < key;
  const otherHash = hashes[other] as number;
  const hash = hashes[index] as number;
  return otherHash < hash || (otherHash === hash && other < index);
}

/** Two people of an occurrence trade seats, with what is recorded about each. */
function swapSeats(slot: Slot, a: number, b: number): void {
  for (const list of [slot.seats, slot.how, slot.relaxed, slot.kept] as unknown[][]) {
    const held = list[a];
    list[a] = list[b];
    list[b] = held;
  }
}
