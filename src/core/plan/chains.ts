import { type Assignment, availableFor, type Board, type Slot } from "./board.ts";
import { canFill, type Member, periodOf } from "./people.ts";
import { isJudged, type QuotaMiss, type QuotaSpan } from "./quotas.ts";
import { reseat } from "./seating.ts";
import type { SeatHow } from "./types.ts";

/** One seat changing hands. */
export interface Transfer {
  slot: Slot;
  seat: number;
  to: Member;
}

/** How a set of transfers changes the plan, when it is valid. */
export interface Outcome {
  /** Pairs of occurrences closer than min_gap_days: after minus before. */
  relaxed: number;
}

/** Pairs of a person's occurrences closer than their min_gap_days. */
function closePairs(list: readonly Assignment[], gap: number): number {
  if (gap <= 0) return 0;
  let pairs = 0;
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as Assignment;
    for (let j = i + 1; j < list.length; j++) {
      const b = list[j] as Assignment;
      if (b.start - a.start > (gap + 2) * 86_400_000) break;
      if (Math.abs(b.day - a.day) < gap) pairs++;
    }
  }
  return pairs;
}

/** The judged quota periods a person serves in. */
function servedPeriods(board: Board, member: Member, span: QuotaSpan): Set<number> {
  const quota = member.quota;
  const periods = new Set<number>();
  if (!quota) return periods;
  for (const a of board.stateOf(member).book.list) {
    const period = periodOf(quota, a.day);
    if (isJudged(period, span)) periods.add(period.start);
  }
  return periods;
}

/**
 * Makes several seats change hands at once — a chain such as "A's seat to P,
 * P's seat to B", where no single move is possible but the whole is — and
 * keeps it only if the result is valid: everyone can sit where they now sit
 * (role, shift list, availability, nothing at the same time, not swapped
 * out, a newcomer's first shift beside a pair), nobody loses a judged quota
 * period they served in, and min_gap_days is broken no more often than
 * `maxRelaxed` allows (0: no more than before). Otherwise everything is put
 * back and it returns undefined.
 */
export function tryTransfers(
  board: Board,
  span: QuotaSpan,
  transfers: readonly Transfer[],
  how: SeatHow,
  maxRelaxed = 0,
): Outcome | undefined {
  const affected = new Map<number, Member>();
  for (const { slot, seat, to } of transfers) {
    const from = slot.seats[seat];
    if (from === to) return undefined;
    if (from) affected.set(from.index, from);
    affected.set(to.index, to);
  }
  const pairsBefore = [...affected.values()].reduce(
    (sum, m) => sum + closePairs(board.stateOf(m).book.list, m.gapDays),
    0,
  );
  const periodsBefore = new Map(
    [...affected.values()].map((m) => [m.index, servedPeriods(board, m, span)] as const),
  );
  const undo: { slot: Slot; seat: number; from?: Member; how: SeatHow; kept: boolean }[] = [];
  for (const { slot, seat, to } of transfers) {
    const from = slot.seats[seat];
    undo.push({ slot, seat, from, how: slot.how[seat] as SeatHow, kept: slot.kept[seat] === true });
    board.vacate(slot, seat);
    board.place(slot, seat, to, how);
  }
  const valid =
    transfers.every(({ slot, seat, to }) => sitsWell(board, slot, seat, to)) &&
    [...affected.values()].every((m) => {
      const after = servedPeriods(board, m, span);
      for (const start of periodsBefore.get(m.index) ?? []) if (!after.has(start)) return false;
      return true;
    });
  const pairsAfter = [...affected.values()].reduce(
    (sum, m) => sum + closePairs(board.stateOf(m).book.list, m.gapDays),
    0,
  );
  if (valid && pairsAfter - pairsBefore <= maxRelaxed) {
    for (const { slot } of transfers) reseat(slot.o.shift.seats, slot, slot.o.shift.id);
    return { relaxed: pairsAfter - pairsBefore };
  }
  for (let i = undo.length - 1; i >= 0; i--) {
    const { slot, seat, from, how: before, kept } = undo[i] as (typeof undo)[number];
    board.vacate(slot, seat);
    if (from) board.place(slot, seat, from, before);
    slot.kept[seat] = kept;
  }
  return undefined;
}

/** Whether a person may sit in this seat as the plan now stands. */
function sitsWell(board: Board, slot: Slot, seat: number, member: Member): boolean {
  const o = slot.o;
  if (slot.seats[seat] !== member) return false;
  if (slot.seats.filter((m) => m === member).length > 1) return false;
  if (!canFill(member, o.shift.id, o.shift.seats[seat] as string)) return false;
  if (!availableFor(member, o) || board.isSwappedOut(slot, member)) return false;
  if (board.stateOf(member).book.overlapping(o.start, o.end, o.id)) return false;
  if (board.needsPair(member, slot) && !board.isPaired(slot, seat)) return false;
  const newcomerHere = slot.how.some((how) => how === "newcomer");
  return !newcomerHere || board.isPaired(slot);
}

/** What the chain searches need from the repair. */
export interface ChainContext {
  board: Board;
  span: QuotaSpan;
  /** Count (history and plan) minus share. */
  dev(member: Member): number;
  /** Whether a seat may move in this plan (chosen in it, not a swap, newcomer or pair). */
  movable(slot: Slot, seat: number): boolean;
  /** The people who could fill a seat of this role on this shift. */
  candidates(slot: Slot, seat: number): readonly Member[];
  /**
   * Whether the day's division gave the person's pool part of this kind of
   * seat (the regulars of a `pro` seat get none of those anyone can fill).
   */
  sharesIn(slot: Slot, seat: number, member: Member): boolean;
  /**
   * Whether one seat more for `taker` and one fewer for `giver` leaves people
   * alike in everything the planner sees no further apart (the repair ranks
   * that above min_gap_days and fairness, which these chains serve).
   */
  keepsTwins(giver: Member, taker: Member): boolean;
}

/** The work one search may do, so that large plans stay fast. */
const TRIES = 4_000;

/** Whether a person could sit in a seat at all: role, shift list, available, not on it, nothing else then. */
function couldSit(
  board: Board,
  slot: Slot,
  seat: number,
  member: Member,
  ignoring?: string,
): boolean {
  const o = slot.o;
  if (!canFill(member, o.shift.id, o.shift.seats[seat] as string)) return false;
  if (slot.seats.includes(member) || board.isSwappedOut(slot, member) || !availableFor(member, o)) {
    return false;
  }
  const clash = board.stateOf(member).book.overlapping(o.start, o.end, o.id);
  return (
    !clash ||
    (clash.id === ignoring && !board.stateOf(member).book.overlapping(o.start, o.end, clash.id))
  );
}

/**
 * Seats left open that a chain fills: someone who could sit there but for
 * an occurrence at the same time hands that one to another who is free for
 * it. Returns how many seats it filled.
 */
export function coverByChains(ctx: ChainContext): number {
  let filled = 0;
  let tries = 0;
  // The longer chains' tries: a part for each open seat, the whole for all.
  let longerLeft = 4 * TRIES;
  for (const slot of ctx.board.slots) {
    for (let seat = 0; seat < slot.seats.length; seat++) {
      if (slot.seats[seat]) continue;
      const found = ctx.candidates(slot, seat).some((x) => {
        const clash = ctx.board.stateOf(x).book.overlapping(slot.o.start, slot.o.end);
        const other = clash ? ctx.board.byId.get(clash.id) : undefined;
        const at = other ? other.seats.indexOf(x) : -1;
        if (
          !other ||
          at === -1 ||
          !ctx.movable(other, at) ||
          !couldSit(ctx.board, slot, seat, x, other.o.id)
        ) {
          return false;
        }
        return ctx.candidates(other, at).some((z) => {
          if (z === x || !couldSit(ctx.board, other, at, z) || ++tries > TRIES) return false;
          const transfers = [
            { slot: other, seat: at, to: z },
            { slot, seat, to: x },
          ];
          // A seat filled outranks min_gap_days, however many pairs it brings closer.
          return (
            tryTransfers(ctx.board, ctx.span, transfers, "share", Number.POSITIVE_INFINITY) !==
            undefined
          );
        });
      });
      let longer = false;
      if (!found && longerLeft > 0) {
        const budget = { tries: Math.min(TRIES / 2, longerLeft) };
        const given = budget.tries;
        longer = longerChain(ctx, slot, seat, budget);
        longerLeft -= given - Math.max(budget.tries, 0);
      }
      if (found || longer) filled++;
      if (tries > TRIES) return filled;
    }
  }
  return filled;
}

/** The longest chain `longerChain` tries: seats handed on, one to the next. */
const LONGEST_CHAIN = 16;

/**
 * An open seat filled by a longer chain: X could sit there but for an
 * occurrence at the same time, which Y takes but for one of theirs, which
 * X or Z takes, and so on, until the last one is free for the seat they
 * take. Overlapping shifts that follow each other day after day (an all-day
 * desk beside a nightly 22:00–08:00 shift) need one: where two people
 * alternate on them, filling a seat means re-pairing every later day, each
 * person handing on several seats. Shortest first (deepening one step at a
 * time), each occurrence once, within the tries left in `budget`; the
 * whole is kept only where `tryTransfers` finds it valid.
 */
function longerChain(
  ctx: ChainContext,
  open: Slot,
  openSeat: number,
  budget: { tries: number },
): boolean {
  const { board } = ctx;
  // In order from the open seat: [open seat ← X, X's occurrence ← Y, …]; applied from the far end.
  const steps: Transfer[] = [];
  const slotsInChain = new Set<Slot>([open]);
  /** The occurrences each person in the chain hands on, and those they take. */
  const leaves = new Map<Member, Set<string>>();
  const takes = new Map<Member, Slot[]>();

  /** The person's occurrences at the slot's time, but those they hand on; undefined if they take one then. */
  const clashes = (member: Member, slot: Slot): Assignment[] | undefined => {
    const { start, end } = slot.o;
    if (takes.get(member)?.some((taken) => taken.o.start < end && taken.o.end > start)) {
      return undefined;
    }
    const left = leaves.get(member);
    return board
      .stateOf(member)
      .book.list.filter((a) => a.start < end && a.end > start && !left?.has(a.id));
  };

  const extend = (slot: Slot, seat: number, depth: number, deepest: number): boolean => {
    const o = slot.o;
    const role = o.shift.seats[seat] as string;
    for (const x of ctx.candidates(slot, seat)) {
      if (--budget.tries < 0) return false;
      if (!canFill(x, o.shift.id, role) || slot.seats.includes(x)) continue;
      if (board.isSwappedOut(slot, x) || !availableFor(x, o)) continue;
      const found = clashes(x, slot);
      if (found === undefined || found.length > 1) continue;
      const step = { slot, seat, to: x };
      if (found.length === 0) {
        // Free for it: the chain ends here.
        const transfers = [step, ...[...steps].reverse()];
        if (tryTransfers(board, ctx.span, transfers, "share", Number.POSITIVE_INFINITY)) {
          return true;
        }
        continue;
      }
      if (depth === deepest) continue;
      const other = board.byId.get((found[0] as Assignment).id);
      const at = other ? other.seats.indexOf(x) : -1;
      if (!other || at === -1 || slotsInChain.has(other) || !ctx.movable(other, at)) continue;
      steps.push(step);
      slotsInChain.add(other);
      const left = leaves.get(x) ?? new Set<string>();
      leaves.set(x, left.add(other.o.id));
      const taken = takes.get(x) ?? [];
      takes.set(x, [...taken, slot]);
      const done = extend(other, at, depth + 1, deepest);
      steps.pop();
      slotsInChain.delete(other);
      left.delete(other.o.id);
      takes.set(x, taken);
      if (done) return true;
      if (budget.tries < 0) return false;
    }
    return false;
  };

  for (let deepest = 2; deepest < LONGEST_CHAIN; deepest++) {
    if (extend(open, openSeat, 0, deepest)) return true;
    if (budget.tries < 0) return false;
  }
  return false;
}

/**
 * Fairness by a chain: B, more than a shift further below their share than
 * A, cannot take any of A's seats, but can take a seat of P's, P one of Q's
 * … and the last one of A's. Everyone between ends as before, A with one
 * fewer, B with one more. Found breadth first (the shortest chain), up to
 * `depth` seats. Returns whether it made one.
 */
export function evenOutByChain(
  ctx: ChainContext,
  takers: readonly Member[],
  isGiver: (giver: Member, taker: Member) => boolean,
  depth = 3,
): boolean {
  let tries = 0;
  for (const b of takers) {
    // Each step: who needs a seat, the seat they give up (none for B), how they got here.
    interface Step {
      who: Member;
      gives?: { slot: Slot; seat: number };
      back?: Step;
    }
    let level: Step[] = [{ who: b }];
    const seen = new Set<number>([b.index]);
    for (let d = 0; d < depth && level.length > 0; d++) {
      const next: Step[] = [];
      for (const step of level) {
        for (const slot of ctx.board.slots) {
          for (let t = 0; t < slot.seats.length; t++) {
            const p = slot.seats[t];
            if (!p || p === step.who || !ctx.movable(slot, t)) continue;
            if (step.gives?.slot === slot) continue;
            const ignoring = step.gives?.slot.o.id;
            if (
              !couldSit(ctx.board, slot, t, step.who, ignoring) ||
              !ctx.sharesIn(slot, t, step.who)
            ) {
              continue;
            }
            if (++tries > TRIES) return false;
            if (isGiver(p, b)) {
              if (!ctx.keepsTwins(p, b)) continue;
              const transfers: Transfer[] = [];
              let at: Step | undefined = step;
              let seat = { slot, seat: t };
              while (at) {
                transfers.push({ slot: seat.slot, seat: seat.seat, to: at.who });
                if (!at.gives) break;
                seat = at.gives;
                at = at.back;
              }
              if (tryTransfers(ctx.board, ctx.span, transfers, "share")) return true;
            } else if (!seen.has(p.index)) {
              seen.add(p.index);
              next.push({ who: p, gives: { slot, seat: t }, back: step });
            }
          }
        }
      }
      level = next;
    }
  }
  return false;
}

/**
 * A relaxed seat to someone who is blocked only by an occurrence of their
 * own near it, or at the same time (a night shift beside a late one), which
 * a third person takes: one relaxation fewer, nobody's count changes but the
 * relaxed holder's and the third's. Returns whether it made one.
 */
export function relaxByChain(ctx: ChainContext): boolean {
  let tries = 0;
  for (const slot of ctx.board.slots) {
    for (let seat = 0; seat < slot.seats.length; seat++) {
      const x = slot.seats[seat];
      if (!x || !ctx.movable(slot, seat) || ctx.board.conflicts(x, slot) === 0) continue;
      for (const z of ctx.candidates(slot, seat)) {
        if (z === x) continue;
        const free = couldSit(ctx.board, slot, seat, z);
        const clash: Assignment | undefined = free
          ? undefined
          : ctx.board.stateOf(z).book.overlapping(slot.o.start, slot.o.end);
        if (!free && (!clash || !couldSit(ctx.board, slot, seat, z, clash.id))) continue;
        const near: string | undefined = clash ? clash.id : ctx.board.nearby(z, slot);
        const other: Slot | undefined = near ? ctx.board.byId.get(near) : undefined;
        const at: number = other ? other.seats.indexOf(z) : -1;
        if (!other || at === -1 || !ctx.movable(other, at)) continue;
        for (const v of ctx.candidates(other, at)) {
          if (v === z || v === x || !couldSit(ctx.board, other, at, v)) continue;
          // x gives a seat and v takes one; z's count stays as it was.
          if (!ctx.keepsTwins(x, v)) continue;
          if (++tries > TRIES) return false;
          const transfers = [
            { slot: other, seat: at, to: v },
            { slot, seat, to: z },
          ];
          if (tryTransfers(ctx.board, ctx.span, transfers, "share", -1)) return true;
        }
      }
    }
  }
  return false;
}

/**
 * A quota turn by a chain of two: the person who owes it takes a seat in the
 * period from someone whose only turn there it is, and that person takes
 * another seat in the period from someone who has two. Returns whether it
 * made one.
 */
export function quotaByChain(ctx: ChainContext, misses: readonly QuotaMiss[]): boolean {
  let tries = 0;
  for (const { state, period } of misses) {
    const m = state.member;
    const inPeriod = ctx.board.slots.filter((s) => s.o.day >= period.start && s.o.day < period.end);
    for (const slotY of inPeriod) {
      for (let t = 0; t < slotY.seats.length; t++) {
        const p = slotY.seats[t];
        if (!p || !ctx.movable(slotY, t) || !couldSit(ctx.board, slotY, t, m)) continue;
        if (ctx.board.conflicts(m, slotY) > 0) continue;
        const quota = p.quota;
        const theirs = quota ? periodOf(quota, slotY.o.day) : undefined;
        for (const slotX of ctx.board.slots) {
          if (
            slotX === slotY ||
            (theirs && (slotX.o.day < theirs.start || slotX.o.day >= theirs.end))
          ) {
            continue;
          }
          for (let s = 0; s < slotX.seats.length; s++) {
            if (
              !slotX.seats[s] ||
              !ctx.movable(slotX, s) ||
              !couldSit(ctx.board, slotX, s, p, slotY.o.id)
            ) {
              continue;
            }
            if (++tries > TRIES) return false;
            const transfers = [
              { slot: slotY, seat: t, to: m },
              { slot: slotX, seat: s, to: p },
            ];
            if (tryTransfers(ctx.board, ctx.span, transfers, "quota")) return true;
          }
        }
      }
    }
  }
  return false;
}
