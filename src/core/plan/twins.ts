import type { Day } from "../dates.ts";
import type { Assignment, Board, PersonState, Slot } from "./board.ts";
import { periodOf } from "./people.ts";
import { isJudged, type QuotaSpan } from "./quotas.ts";

/** What evening out between twins needs from the repair. */
export interface TwinContext {
  board: Board;
  span: QuotaSpan;
  /** Whether a seat may move at all, and whether it was chosen in this plan. */
  movable(slot: Slot, s: number): "new" | "kept" | undefined;
  /** Gives a seat to someone (keeping the board and the record true). */
  give(slot: Slot, s: number, taker: PersonState): void;
}

/**
 * People alike in everything the planner sees — pool, weight, dates (the day
 * they are counted from among them), time off, gap and quota rules — who
 * should end within one shift of each other.
 */
export function twinGroups(board: Board): PersonState[][] {
  // Most people of a large company have no twin: a number worked out from
  // the same fields finds them (alike people always get the same number),
  // and only those who share theirs with someone are compared field by field.
  const people = board.people;
  const numbers = new Int32Array(people.length);
  const seen = new Map<number, number>();
  for (let i = 0; i < people.length; i++) {
    const n = twinNumber(people[i] as PersonState);
    numbers[i] = n;
    seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  // Groups in the order of their first person; per number, the groups that have it.
  const groups: PersonState[][] = [];
  const byNumber = new Map<number, PersonState[][]>();
  for (let i = 0; i < people.length; i++) {
    const n = numbers[i] as number;
    if (seen.get(n) === 1) continue;
    const state = people[i] as PersonState;
    let candidates = byNumber.get(n);
    if (!candidates) {
      candidates = [];
      byNumber.set(n, candidates);
    }
    let group: PersonState[] | undefined;
    for (let k = 0; k < candidates.length; k++) {
      const other = candidates[k] as PersonState[];
      if (alike(other[0] as PersonState, state)) {
        group = other;
        break;
      }
    }
    if (group) {
      group.push(state);
    } else {
      group = [state];
      candidates.push(group);
      groups.push(group);
    }
  }
  return groups.filter((group) => group.length > 1);
}

/**
 * Whether two people are alike in everything `twinGroups` compares: pool,
 * weight, joining and leaving days, the day they are counted from, time
 * away, gap, the quota's text and being a newcomer (equal as they would read
 * in words). Someone added after the schedule began owes nothing for the
 * days before they were counted: their share is smaller than that of the
 * people already in it, so evening out their counts would push them past it.
 */
export function alike(a: PersonState, b: PersonState): boolean {
  const m = a.member;
  const n = b.member;
  if (
    a.newcomer !== b.newcomer ||
    !same(m.pool, n.pool) ||
    !same(m.weight, n.weight) ||
    !same(m.joined, n.joined) ||
    !same(m.left, n.left) ||
    !same(a.since, b.since) ||
    !same(m.gapDays, n.gapDays) ||
    m.quotaText !== n.quotaText ||
    m.away.length !== n.away.length
  ) {
    return false;
  }
  for (let i = 0; i < m.away.length; i++) {
    const x = m.away[i] as (typeof m.away)[number];
    const y = n.away[i] as (typeof n.away)[number];
    if (!same(x.from, y.from) || !same(x.to, y.to)) return false;
  }
  return true;
}

/** Equal as numbers read in words: 0 and -0 alike, and two NaNs too. */
function same(x: number | undefined, y: number | undefined): boolean {
  return x === y || (Number.isNaN(x) && Number.isNaN(y));
}

/**
 * A number from everything `twinGroups` compares but the quota's text (shared
 * by a whole team): people alike in all of it get the same number.
 */
function twinNumber(state: PersonState): number {
  const m = state.member;
  let h = mix(0x2545f491, m.pool);
  // Equal in words is equal in value (0 and -0, or two NaNs, aside): all map to one number.
  h = mix(h, Math.round(m.weight * 1e6) | 0);
  h = mix(h, m.joined === undefined ? -1 : m.joined);
  h = mix(h, m.left === undefined ? -1 : m.left);
  h = mix(h, state.since === undefined ? -1 : state.since);
  for (let i = 0; i < m.away.length; i++) {
    const a = m.away[i] as (typeof m.away)[number];
    h = mix(mix(h, a.from), a.to);
  }
  h = mix(h, m.gapDays | 0);
  // Kept to 30 bits: a number the engine holds unboxed, as a key too.
  return mix(h, state.newcomer ? 1 : 0) & 0x3fffffff;
}

function mix(h: number, value: number): number {
  return Math.imul(h ^ (value | 0), 0x01000193);
}

/** The seats a person holds on planned occurrences, with their slots. */
function plannedSeats(
  board: Board,
  state: PersonState,
): { a: Assignment; slot: Slot; s: number }[] {
  const seats: { a: Assignment; slot: Slot; s: number }[] = [];
  for (const a of state.book.list) {
    const slot = a.slot ?? board.byId.get(a.id);
    const s = slot ? slot.seats.indexOf(state.member) : -1;
    if (slot && s !== -1) seats.push({ a, slot, s });
  }
  return seats;
}

/** Pairs of a person's occurrences closer than their min_gap_days. */
function closePairs(list: readonly Assignment[], gap: number): number {
  if (gap <= 0) return 0;
  const days = list.map((a) => a.day).sort((x, y) => x - y);
  let pairs = 0;
  for (let i = 0; i < days.length; i++) {
    for (let j = i + 1; j < days.length && (days[j] as Day) - (days[i] as Day) < gap; j++) pairs++;
  }
  return pairs;
}

function overlaps(list: readonly Assignment[]): boolean {
  const sorted = [...list].sort((x, y) => x.start - y.start);
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as Assignment).start < (sorted[i - 1] as Assignment).end) return true;
  }
  return false;
}

/** Whether a person still serves in every judged quota period they served in before. */
function keepsPeriods(
  before: readonly Assignment[],
  after: readonly Assignment[],
  state: PersonState,
  span: QuotaSpan,
): boolean {
  const quota = state.member.quota;
  if (!quota) return true;
  const served = (list: readonly Assignment[]) =>
    new Set(
      list
        .map((a) => periodOf(quota, a.day))
        .filter((p) => isJudged(p, span))
        .map((p) => p.start),
    );
  const now = served(after);
  for (const start of served(before)) if (!now.has(start)) return false;
  return true;
}

/** How many days a swapped stretch (`swapStretch`) spans at most. */
const STRETCH_DAYS = 14;

/**
 * The last resort for two twins the single moves cannot even out: from some
 * day on, each takes the other's seats. Alike in every rule, each keeps a
 * valid rota; the day is chosen so that they end closer, and only where the
 * seats that change hands may move, nothing overlaps where the two halves
 * meet, min_gap_days is broken no more often than before, and every quota
 * period they served in is still served.
 */
export function swapTails(ctx: TwinContext, most: PersonState, fewest: PersonState): boolean {
  const pair = twinPair(ctx, most, fewest);
  for (const cut of pair.days) if (trySwap(ctx, pair, cut, Number.POSITIVE_INFINITY)) return true;
  return false;
}

/**
 * As `swapTails`, over a stretch of at most two weeks: where one twin always
 * ends up with the seats beside a shift that takes all the others (a desk
 * of three seats for four people, and a one-seat desk overlapping it the
 * days around), no tail evens them out, but taking each other's seats for
 * one such stretch does.
 */
export function swapStretch(ctx: TwinContext, most: PersonState, fewest: PersonState): boolean {
  const pair = twinPair(ctx, most, fewest);
  for (const last of pair.days) {
    for (const first of pair.days) {
      if (first > last || last - first >= STRETCH_DAYS) continue;
      if (trySwap(ctx, pair, first, last)) return true;
    }
  }
  return false;
}

interface TwinPair {
  most: PersonState;
  fewest: PersonState;
  seatsA: ReturnType<typeof plannedSeats>;
  seatsB: ReturnType<typeof plannedSeats>;
  /** Occurrences both sit on: they stay as they are. */
  shared: Set<string>;
  /** How many more shifts `most` has. */
  diff: number;
  /** The days either has a seat, latest first. */
  days: Day[];
}

function twinPair(ctx: TwinContext, most: PersonState, fewest: PersonState): TwinPair {
  const seatsA = plannedSeats(ctx.board, most);
  const seatsB = plannedSeats(ctx.board, fewest);
  const shared = new Set(
    seatsA.filter((x) => seatsB.some((y) => y.a.id === x.a.id)).map((x) => x.a.id),
  );
  const diff = most.history + most.planned - (fewest.history + fewest.planned);
  const days = [...new Set([...seatsA, ...seatsB].map((x) => x.a.day))].sort((x, y) => y - x);
  return { most, fewest, seatsA, seatsB, shared, diff, days };
}

/** Swaps the two twins' seats on the days from `first` to `last`, where that is allowed and brings them closer. */
function trySwap(ctx: TwinContext, pair: TwinPair, first: Day, last: Day): boolean {
  const { most, fewest, seatsA, seatsB, shared, diff } = pair;
  const inside = (x: (typeof seatsA)[number]) =>
    x.a.day >= first && x.a.day <= last && !shared.has(x.a.id);
  const tailA = seatsA.filter(inside);
  const tailB = seatsB.filter(inside);
  const after = diff - 2 * tailA.length + 2 * tailB.length;
  if (Math.abs(after) >= diff) return false;
  const movable = [...tailA, ...tailB].every(
    ({ slot, s }) =>
      ctx.movable(slot, s) === "new" &&
      !ctx.board.isSwappedOut(slot, most.member) &&
      !ctx.board.isSwappedOut(slot, fewest.member),
  );
  if (!movable) return false;
  const ids = (tail: typeof tailA) => new Set(tail.map((x) => x.a.id));
  const idsA = ids(tailA);
  const idsB = ids(tailB);
  const nextA = [...most.book.list.filter((a) => !idsA.has(a.id)), ...tailB.map((x) => x.a)];
  const nextB = [...fewest.book.list.filter((a) => !idsB.has(a.id)), ...tailA.map((x) => x.a)];
  if (overlaps(nextA) || overlaps(nextB)) return false;
  const gap = most.member.gapDays;
  const pairsBefore = closePairs(most.book.list, gap) + closePairs(fewest.book.list, gap);
  if (closePairs(nextA, gap) + closePairs(nextB, gap) > pairsBefore) return false;
  if (!keepsPeriods(most.book.list, nextA, most, ctx.span)) return false;
  if (!keepsPeriods(fewest.book.list, nextB, fewest, ctx.span)) return false;
  for (const { slot, s } of tailA) ctx.give(slot, s, fewest);
  for (const { slot } of tailB) ctx.give(slot, slot.seats.indexOf(fewest.member), most);
  return true;
}
