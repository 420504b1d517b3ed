import { type Day, fromDay } from "../dates.ts";
import { ANY_ROLE } from "../roster/formats.ts";
import type { Roster } from "../roster/model.ts";
import type { ScheduleEntry } from "../schedule/schedule.ts";
import { availableFor, type Board, type PersonState, type Slot } from "./board.ts";
import { canFill, inListedOrder, type Member, type Team } from "./people.ts";
import { keepsQuota, type QuotaSpan } from "./quotas.ts";
import type { Occurrence } from "./shifts.ts";
import { SlotSet } from "./slot-set.ts";
import type { PlanWarning, SeatHow } from "./types.ts";

/** Where newcomers were placed: occurrences that wait for a pair, and the seat for them. */
export interface Newcomers {
  pairSeats: Map<string, number>;
  warnings: PlanWarning[];
  /** Kept seats a newcomer took, for the list of changes. */
  taken: { id: string; newcomer: string; from: string }[];
  /** Pairs brought onto a newcomer's first shift, and whose kept seat each took, for the list of changes. */
  paired: { id: string; newcomer: string; pair: string; from?: string }[];
  /** A newcomer's own kept seats given up for min_gap_days after their first shift, for the list of changes. */
  released: { id: string; newcomer: string; first: string }[];
  /** A pair's own kept seats given up for min_gap_days around the newcomer's first shift they serve on. */
  pairReleased: { id: string; pair: string; first: string }[];
  /** A kept first shift given up because no pair could come beside them there, and the one they took instead. */
  unpaired: { id: string; newcomer: string; first: string }[];
  /** Newcomers the last pass found no free pair for: the fill may leave one free (`placeNewcomersAfterFill`). */
  noPair: Set<PersonState>;
}

/** Nothing placed yet. */
function noNewcomers(): Newcomers {
  return {
    pairSeats: new Map(),
    warnings: [],
    taken: [],
    paired: [],
    released: [],
    unpaired: [],
    pairReleased: [],
    noPair: new Set(),
  };
}

/**
 * Newcomers (with `joined`, no shift served yet, and inside their first
 * `first_shift_within_days`) get a first shift in that window, beside a
 * person with the `pair_with` role: a free seat first; a kept seat only when
 * no free one is in time, past the freeze window where one is in time (the
 * seats of the next days stay as people expect them). The pair is chosen by
 * fair share when the fill reaches the occurrence; the seat for them is
 * reserved here. Where no occurrence in the window has a pair, or a seat one
 * could take, the newcomer and a free pair come onto one together, each in
 * a free seat or in the kept seat of whoever stands highest above their
 * share (`dev`: shifts less the share), since the rule is the team's own.
 * A kept seat that is its holder's only turn in a period of their quota
 * (`every`) is taken only where no other is in time: taking it would leave
 * them owing that turn, and the plan would move a seat of someone else's to
 * them for it, a change beyond the one the newcomer's first shift makes.
 */
export function placeNewcomers(
  roster: Roster,
  board: Board,
  team: Team,
  span: QuotaSpan & { freezeUntil: Day },
  dev: (member: Member) => number,
  /** The previous schedule's entries by occurrence id. */
  previous: ReadonlyMap<string, ScheduleEntry>,
): Newcomers {
  const { today, until, freezeUntil } = span;
  const result = noNewcomers();
  const rule = roster.rules?.newcomers;
  if (!rule) {
    unpairLeft(board);
    return result;
  }
  const window = rule.first_shift_within_days;
  const due = board.people
    .filter(
      (state) =>
        state.member.joined !== undefined &&
        state.history === 0 &&
        today < (state.member.joined as Day) + window,
    )
    .sort(
      (a, b) =>
        (a.member.joined as Day) - (b.member.joined as Day) || a.member.hash - b.member.hash,
    );
  for (const state of due) {
    state.newcomer = true;
    state.pairedBy = (state.member.joined as Day) + window;
  }
  unpairLeft(board);
  const free = new FreeSeats(board.slots, result.pairSeats);
  const pairs = pairsOf(board, team, result.pairSeats);
  const { pairPools } = pairs;
  // Who is a newcomer is settled above.
  const pairsIn = pairCounter(board, today);
  // Placing newcomers only ever clears kept marks: with none now, no pass may take one.
  const anyKept = board.slots.some((slot) => slot.kept.includes(true));
  for (const state of due) {
    const member = state.member;
    const deadline = (member.joined as Day) + window;
    // A first shift kept from before stands while someone with the pair role
    // is on it (or awaited); one whose pair has gone since gets one brought
    // onto it. (One a plan left without a pair keeps its warning: planned
    // again, nothing changes.)
    const kept = state.book.list[0];
    let given: { slot: Slot; seat: number; how: SeatHow } | undefined;
    if (kept && kept.day < deadline) {
      const slot = kept.slot;
      if (!slot || board.isPaired(slot) || result.pairSeats.has(kept.id)) continue;
      if (!hadPair(board, previous.get(kept.id))) continue;
      const seat = slot.seats.indexOf(member);
      if (repairPair(board, slot, seat, result, pairs, dev, member, freezeUntil)) continue;
      // A swap's seat is what people agreed: it stays, and the warning says so.
      if (slot.how[seat] === "swap") continue;
      // Else placed anew, as if it were not there; it comes back if nothing is found.
      given = { slot, seat, how: slot.how[seat] as SeatHow };
      board.vacate(slot, seat);
    }
    // Free seats first, then kept ones past the freeze window (a pro's where
    // another pro stays on it, when nobody else's is there), then any kept one in time.
    // Each kept-seat pass goes first over seats whose holder keeps their quota without them.
    const findFirstShift = (alone: boolean) => {
      const pass = (stealFrom: Day | undefined, pros = false) =>
        (stealFrom !== undefined &&
          placeFirstShift(board, state, deadline, stealFrom, result, pairs, free, dev, span, {
            alone,
            pros,
            quotas: true,
          })) ||
        placeFirstShift(board, state, deadline, stealFrom, result, pairs, free, dev, span, {
          alone,
          pros,
        });
      return (
        pass(undefined) ||
        (anyKept && (pass(freezeUntil) || pass(freezeUntil, true) || pass(member.joined as Day)))
      );
    };
    let placed = findFirstShift(false);
    let short: Shortfall = "unavailable";
    if (!placed) {
      const found = placeWithPair(board, state, deadline, freezeUntil, result, pairs, dev);
      if (typeof found === "number") {
        free.update(found);
        placed = true;
      } else {
        short = found;
        if (found === "no-pair") result.noPair.add(state);
      }
    }
    const by = Math.min(deadline, until);
    // No occurrence in time can have a pair beside them (none may serve on
    // their shifts, or none is free then): waiting on would keep them off
    // every seat, so their first shift goes unpaired, found as a paired one
    // is. (A window reaching past the horizon may still find a pair in a
    // later plan, unless none may ever serve beside them.)
    if (!placed && !given && mayGoAlone(board, state, by, pairPools, pairsIn, deadline <= until)) {
      // The warning is the plan's standing one (`standingWarnings`), which
      // every later plan repeats with the same reason while the shift stands.
      if (findFirstShift(true)) {
        releaseNear(board, state, freezeUntil, result);
        continue;
      }
    }
    // Away (or not yet free to serve) for the whole window: no first shift in
    // it. Past it, the fill seats them alone where no pair could be beside
    // them, but where one could, their first shift waits for one, and the
    // fill seats no pair for them (a pro fills the pro seat before anyone
    // sits beside it). So where one could be beside them when they are
    // first free, their first shift is the first free seat after the window
    // beside a pair, as one in it would be; the warning still says the
    // window was missed.
    if (
      !placed &&
      !given &&
      short === "unavailable" &&
      deadline <= until &&
      state.book.list.length === 0 &&
      pairCouldWhenFree(board, member, deadline) &&
      placeFirstShift(board, state, until + 1, undefined, result, pairs, free, dev, span)
    ) {
      releaseNear(board, state, freezeUntil, result);
    }
    if (given && placed) {
      result.unpaired.push({
        id: given.slot.o.id,
        newcomer: member.id,
        first: firstShiftOf(state) ?? "",
      });
    } else if (given) {
      board.place(given.slot, given.seat, member, given.how);
      given.slot.kept[given.seat] = true;
      continue; // the standing warning says no pair is beside them
    }
    if (placed) releaseNear(board, state, freezeUntil, result);
    // A window reaching past the horizon may still be met by a later plan.
    if (!placed && deadline <= until) {
      result.warnings.push({
        person: member.id,
        message: `newcomer ${member.id} has no shift within ${window} days of joining (${fromDay(member.joined as Day)}): ${shortfallText(short, fromDay(deadline), board.pairRole)}`,
      });
    }
  }
  pairs.close();
  // Placed earliest joiner first, but said person by person as the roster lists them.
  if (result.warnings.length > 1) {
    result.warnings = inListedOrder(result.warnings, team.listed, (warning) =>
      team.byId.get(warning.person ?? ""),
    );
  }
  return result;
}

/**
 * After the fill: a newcomer still without a first shift in their window
 * gets one as the next plan would give it, reading this plan's seats as
 * kept (placeNewcomers ran before the fill, when no pair was counted as free
 * there): so that planning again changes nothing. A seat on the earliest
 * occurrence there where someone with the pair role now sits (never a
 * swap's, a pair's or a first shift's seat, nor that of someone with the
 * pair role); else, for a newcomer the last pass found no free pair for,
 * as it does: the newcomer and a pair the fill left free onto an occurrence
 * together. Returns what was taken, paired and given up,
 * for the list of changes; seats given up are left open for the fill.
 */
export function placeNewcomersAfterFill(
  board: Board,
  team: Team,
  span: { until: Day; freezeUntil: Day },
  dev: (member: Member) => number,
  /** Those placeNewcomers found no free pair for: only they may find one now. */
  noPair: ReadonlySet<PersonState>,
): Newcomers {
  const result = noNewcomers();
  let pairs: Pairs | undefined;
  // Made when first asked: most plans have no newcomer left without a first shift.
  let takeable: SlotSet | undefined;
  for (const state of board.people) {
    const member = state.member;
    if (!state.newcomer || state.pairedBy === undefined || member.joined === undefined) continue;
    const deadline = Math.min(state.pairedBy, span.until + 1);
    if (state.book.list.some((a) => a.day >= (member.joined as Day) && a.day < deadline)) continue;
    takeable ??= new SlotSet(board, (slot) => seatsToTake(board, slot).length > 0, true);
    const found = lateSeat(board, state, deadline, takeable);
    if (found) {
      const { slot, seat } = found;
      const holder = board.vacate(slot, seat) as Member;
      board.place(slot, seat, member, "newcomer");
      result.taken.push({ id: slot.o.id, newcomer: member.id, from: holder.id });
      continue;
    }
    if (!noPair.has(state)) continue;
    pairs ??= pairsOf(board, team, result.pairSeats);
    placeWithPair(board, state, deadline, span.freezeUntil, result, pairs, dev, true);
  }
  takeable?.close();
  pairs?.close();
  return result;
}

/** The seat `placeNewcomersAfterFill` gives a newcomer, if any. */
function lateSeat(
  board: Board,
  state: PersonState,
  deadline: Day,
  takeable: SlotSet,
): { slot: Slot; seat: number } | undefined {
  const member = state.member;
  for (const i of freeInWindow(board, state, deadline, (i) => takeable.from(i))) {
    const slot = board.slots[i] as Slot;
    const o = slot.o;
    for (const s of seatsToTake(board, slot)) {
      if (canFill(member, o.shift.id, o.shift.seats[s] as string)) return { slot, seat: s };
    }
  }
  return undefined;
}

/**
 * The seats of an occurrence a newcomer may take after the fill, this plan's
 * read as kept, each beside someone with the pair role (whatever the
 * newcomer's roles).
 */
function seatsToTake(board: Board, slot: Slot): number[] {
  const seats: number[] = [];
  for (let s = 0; s < slot.seats.length; s++) {
    const holder = slot.seats[s];
    if (holder && mayTake(board, slot, s, holder, false, true) && board.isPaired(slot, s)) {
      seats.push(s);
    }
  }
  return seats;
}

/**
 * The occurrences with a free seat a newcomer may take (not the one kept for
 * a pair), found from any index in near-constant time. While newcomers are
 * placed seats only fill (a kept seat taken is filled again at once) and
 * seats kept for a pair stay kept, so an occurrence once full stays full.
 */
class FreeSeats {
  /** Per index: itself when it has a free seat (or is the end), else a later index. */
  private readonly next: Int32Array;

  constructor(
    private readonly slots: readonly Slot[],
    private readonly pairSeats: ReadonlyMap<string, number>,
  ) {
    this.next = new Int32Array(slots.length + 1);
    for (let i = 0; i <= slots.length; i++) {
      const full = i < slots.length && !this.open(slots[i] as Slot);
      this.next[i] = full ? i + 1 : i;
    }
  }

  /** Whether a seat is free that is not kept for a pair. */
  private open(slot: Slot): boolean {
    const kept = this.pairSeats.get(slot.o.id);
    for (let s = 0; s < slot.seats.length; s++) if (!slot.seats[s] && s !== kept) return true;
    return false;
  }

  /** The first index from `i` on with a free seat; the number of slots when none is left. */
  from(i: number): number {
    let root = i;
    while (this.next[root] !== root) root = this.next[root] as number;
    for (let at = i; at !== root; ) {
      const after = this.next[at] as number;
      this.next[at] = root;
      at = after;
    }
    return root;
  }

  /** After a seat at `i` was filled (or kept for a pair). */
  update(i: number): void {
    if (!this.open(this.slots[i] as Slot)) this.next[i] = i + 1;
  }
}

/** The first occurrence index on or after a day (slots are in day order). */
function firstOnOrAfter(slots: readonly Slot[], day: Day): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((slots[mid] as Slot).o.day < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether a seat of the occurrence could be a newcomer's at all when kept
 * seats may be taken: a free one, or a kept one that is no swap, first
 * shift or pair (`mayTake` asks the rest). Asked first, as the cheapest
 * question: a replan of a large company looks again, plan after plan, for
 * a first shift for each newcomer the last plan could not place, through
 * occurrences whose every seat is such a one.
 */
function anyToTake(slot: Slot): boolean {
  for (let s = 0; s < slot.seats.length; s++) {
    if (slot.seats[s] === undefined || keptToTake(slot, s)) return true;
  }
  return false;
}

/** Whether a seat is kept (or `held` counts every seat as kept) and no swap, first shift or pair. */
function keptToTake(slot: Slot, seat: number, held = false): boolean {
  const how = slot.how[seat];
  return (
    (held || slot.kept[seat] === true) && how !== "swap" && how !== "newcomer" && how !== "pair"
  );
}

/**
 * One pass over the newcomer's window: free seats only, or (`stealFrom`, a
 * day) kept seats from that day on too — never a pair's, a swap's or another
 * newcomer's first shift. A free seat goes to them at the first occurrence
 * with one; of kept seats, the one whose holder stands highest above their
 * share, so that the seat taken is one its holder can best spare.
 */
function placeFirstShift(
  board: Board,
  state: PersonState,
  deadline: Day,
  stealFrom: Day | undefined,
  result: Newcomers,
  pairs: Pairs,
  free: FreeSeats,
  dev: (member: Member) => number,
  span: QuotaSpan,
  options: {
    /** No pair can be beside them in time: a seat with none will do. */
    alone?: boolean;
    /** The kept seat of someone with the pair role too, where another stays on the occurrence. */
    pros?: boolean;
    /** Only the kept seats of those whose quota is met without them (`keepsQuota`). */
    quotas?: boolean;
  } = {},
): boolean {
  const { alone = false, pros = false, quotas } = options;
  const member = state.member;
  const steal = stealFrom !== undefined;
  const candidates: { i: number; s: number; rank: number[] }[] = [];
  const first = firstOnOrAfter(board.slots, Math.max(member.joined as Day, stealFrom ?? 0));
  // Free seats only: straight to the next occurrence with one.
  const next = (i: number) => (steal ? i : free.from(i));
  for (let i = next(first); i < board.slots.length; i = next(i + 1)) {
    const slot = board.slots[i] as Slot;
    const o = slot.o;
    if (o.day >= deadline) break;
    if (!steal && !slot.seats.includes(undefined)) continue;
    if (steal && (!slot.kept.includes(true) || !anyToTake(slot))) continue;
    if (!availableFor(member, o) || (member.shifts && !member.shifts.has(o.shift.id))) continue;
    if (state.book.overlapping(o.start, o.end) || board.isSwappedOut(slot, member)) continue;
    const keptForPair = result.pairSeats.get(o.id); // another newcomer's pair sits there
    for (let s = 0; s < slot.seats.length; s++) {
      const holder = slot.seats[s];
      if (s === keptForPair || !canFill(member, o.shift.id, o.shift.seats[s] as string)) continue;
      if (holder && (!steal || !mayTake(board, slot, s, holder, pros))) continue;
      if (holder && quotas && !keepsQuota(board.stateOf(holder), o.day, o.id, span)) continue;
      // A free seat costs nobody: the first one beside a pair is theirs.
      if (!holder) {
        if (take(board, i, s, state, result, pairs, alone)) {
          free.update(i);
          return true;
        }
        continue;
      }
      const rank = [leavesNone(board, holder, dev) ? 1 : 0, -dev(holder), i, s];
      candidates.push({ i, s, rank });
    }
  }
  // Kept seats: never one that leaves its holder with no shift where another
  // will do; from whoever stands highest above their share; the earliest.
  candidates.sort((a, b) => (lexLess(a.rank, b.rank) ? -1 : lexLess(b.rank, a.rank) ? 1 : 0));
  for (const { i, s } of candidates) {
    if (take(board, i, s, state, result, pairs, alone)) {
      free.update(i);
      return true;
    }
  }
  return false;
}

/** Whether taking a seat of theirs would leave someone with a share of at least half a shift with none. */
function leavesNone(board: Board, holder: Member, dev: (member: Member) => number): boolean {
  const state = board.stateOf(holder);
  const count = state.history + state.planned;
  return count <= 1 && count - dev(holder) >= 0.5;
}

/**
 * A newcomer's first shift in seat `s` of the occurrence at `i`, beside a
 * pair_with person: one already on it, or one who can take a free seat
 * (chosen when the plan reaches it, by fair share). Whether it was placed.
 */
function take(
  board: Board,
  i: number,
  s: number,
  state: PersonState,
  result: Newcomers,
  pairs: Pairs,
  alone: boolean,
): boolean {
  const slot = board.slots[i] as Slot;
  const o = slot.o;
  const member = state.member;
  let pairSeat: number | undefined;
  if (!alone && !board.isPaired(slot, s)) {
    pairSeat = pairFor(board, slot, s, member, result.pairSeats, pairs);
    if (pairSeat === undefined) return false;
  }
  const holder = slot.seats[s];
  if (holder) {
    board.vacate(slot, s);
    result.taken.push({ id: o.id, newcomer: member.id, from: holder.id });
  }
  board.place(slot, s, member, "newcomer");
  if (pairSeat !== undefined) result.pairSeats.set(o.id, pairSeat);
  return true;
}

/** The occurrence id of a newcomer's placed first shift, if any. */
function firstShiftOf(state: PersonState): string | undefined {
  const member = state.member;
  return state.book.list.find((a) => a.slot?.how[a.slot.seats.indexOf(member)] === "newcomer")?.id;
}

/** What a newcomer's window holds for a pair: the numbers a warning gives. */
interface PairOdds {
  /** Occurrences of the window (in the plan) they could take. */
  occurrences: number;
  /** Those occurrences' shifts, in the order first met. */
  shifts: string[];
  /** People with the pair role who may serve beside them on one of those (away or not). */
  pairs: number;
}

/**
 * The occurrences before `by` a newcomer could take, and how many with the
 * pair role may serve beside them on one: none when their shifts or seats
 * keep them apart, so that no later plan can bring a pair either.
 */
function pairOdds(
  board: Board,
  state: PersonState,
  by: Day,
  pairPools: Team["pools"],
  pairsIn: (pool: Team["pools"][number]) => number,
): PairOdds {
  const odds: PairOdds = { occurrences: 0, shifts: [], pairs: 0 };
  // The pools that may serve beside them somewhere, whose people are counted
  // at the end (each person is in one pool).
  const beside = new Set<Team["pools"][number]>();
  for (const [o, mine] of windowOf(board, state.member, by)) {
    odds.occurrences++;
    if (!odds.shifts.includes(o.shift.id)) odds.shifts.push(o.shift.id);
    for (const pool of pairPools) {
      if (!beside.has(pool) && canBeside(pool, o, mine)) beside.add(pool);
    }
  }
  // (The newcomer is not among them: nobody is a pair before their first shift.)
  for (const pool of beside) odds.pairs += pairsIn(pool);
  return odds;
}

/** The pools whose people hold the pair_with role. */
function pairPoolsOf(board: Board, team: Team): Team["pools"] {
  const role = board.pairRole;
  return team.pools.filter((pool) => role !== undefined && pool.roles.has(role));
}

/**
 * Per pool, how many in it can be a pair, counted once per pool: a large
 * company's newcomers are many, and each asks of the same pools. Someone who
 * left before `today` never will be (kept in the roster for the record).
 */
function pairCounter(board: Board, today: Day): (pool: Team["pools"][number]) => number {
  const counts = new Map<Team["pools"][number], number>();
  return (pool) => {
    let n = counts.get(pool);
    if (n === undefined) {
      n = pool.members.filter(
        (m) => board.canPair(m) && (m.left === undefined || m.left >= today),
      ).length;
      counts.set(pool, n);
    }
    return n;
  };
}

/**
 * Whether a newcomer's first shift may go unpaired, as `pairOdds` would
 * tell, asked only as far as needed: some occurrence in time they could
 * take, and (where their window ends past the plan, `inPlan` false) nobody
 * with the pair role who may ever serve beside them on one.
 */
function mayGoAlone(
  board: Board,
  state: PersonState,
  by: Day,
  pairPools: Team["pools"],
  pairsIn: (pool: Team["pools"][number]) => number,
  inPlan: boolean,
): boolean {
  let any = false;
  for (const [o, mine] of windowOf(board, state.member, by)) {
    if (inPlan) return true;
    any = true;
    if (pairPools.some((pool) => pairsIn(pool) > 0 && canBeside(pool, o, mine))) return false;
  }
  return any;
}

/**
 * The indices of the occurrences before `deadline`, from the day they join,
 * that a newcomer is free for: available, on their shift list, on nothing
 * else at the time and not swapped out of it. `next` steps over those the
 * caller has no use for: from an index to the next worth looking at.
 */
function* freeInWindow(
  board: Board,
  state: PersonState,
  deadline: Day,
  next: (i: number) => number = (i) => i,
): Generator<number> {
  const member = state.member;
  const first = firstOnOrAfter(board.slots, member.joined as Day);
  for (let i = next(first); i < board.slots.length; i = next(i + 1)) {
    const slot = board.slots[i] as Slot;
    const o = slot.o;
    if (o.day >= deadline) break;
    if (!availableFor(member, o) || (member.shifts && !member.shifts.has(o.shift.id))) continue;
    if (state.book.overlapping(o.start, o.end) || board.isSwappedOut(slot, member)) continue;
    yield i;
  }
}

/** The occurrences before `by` a newcomer could take, each with the seats they could fill on it. */
function* windowOf(
  board: Board,
  member: Member,
  by: Day,
  from = member.joined as Day,
): Generator<[Occurrence, number[]]> {
  for (let i = firstOnOrAfter(board.slots, from); i < board.slots.length; i++) {
    const o = (board.slots[i] as Slot).o;
    if (o.day >= by) break;
    if (!availableFor(member, o) || (member.shifts && !member.shifts.has(o.shift.id))) continue;
    const mine = o.shift.seats.flatMap((r, s) => (canFill(member, o.shift.id, r) ? [s] : []));
    if (mine.length > 0) yield [o, mine];
  }
}

/** Whether someone with the pair role could serve on the first occurrence from `day` on that the person could take. */
function pairCouldWhenFree(board: Board, member: Member, day: Day): boolean {
  const first = windowOf(board, member, Number.POSITIVE_INFINITY, day).next();
  return !first.done && board.pairCould(board.byId.get(first.value[0].id) as Slot);
}

/** Whether the pool's people could fill a seat of the occurrence beside one of `mine`. */
function canBeside(pool: Team["pools"][number], o: Occurrence, mine: number[]): boolean {
  return o.shift.seats.some((r, t) => canFill(pool, o.shift.id, r) && mine.some((s) => s !== t));
}

/**
 * Why a newcomer's first shift has nobody with the pair role beside them,
 * with the numbers, as each plan finds them while the shift stands (from
 * their joining day, or today, to their deadline or the horizon's end);
 * undefined once their window is over. The pair pools and their counts are
 * worked out once for all the newcomers asked about.
 */
export function aloneReasons(
  board: Board,
  team: Team,
  today: Day,
  until: Day,
): (member: Member) => string | undefined {
  const role = board.pairRole;
  const pairPools = pairPoolsOf(board, team);
  const pairsIn = pairCounter(board, today);
  return (member) => {
    const state = board.stateOf(member);
    if (state.pairedBy === undefined) return undefined;
    const by = Math.min(state.pairedBy, until);
    const odds = pairOdds(board, state, by, pairPools, pairsIn);
    const n = odds.occurrences;
    const span = `${n} occurrence${n === 1 ? "" : "s"} of ${odds.shifts.join(", ")} they could take before ${fromDay(by)}`;
    if (odds.pairs === 0) return `nobody with role ${role} may serve beside them on the ${span}`;
    const who = `${odds.pairs} with role ${role} who may serve beside them`;
    return `none of the ${who} is free beside a seat of theirs on the ${span}`;
  };
}

/** Why a newcomer has no first shift in their window, as far as the last pass got. */
type Shortfall = "unavailable" | "no-pair" | "no-seats";

function shortfallText(short: Shortfall, deadline: string, pairRole: string | undefined): string {
  if (short === "unavailable") return `no occurrence before ${deadline} where they are available`;
  if (short === "no-pair") {
    return `no occurrence before ${deadline} where they are available and someone with role ${pairRole} is free to serve beside them`;
  }
  return pairRole
    ? `no occurrence before ${deadline} where they are available with seats for them and someone with role ${pairRole} (each free, or kept by someone not on a swap, a newcomer's first shift or a pair)`
    : `no occurrence before ${deadline} where they are available with a seat for them (free, or kept by someone not on a swap, a newcomer's first shift or a pair)`;
}

/**
 * The last pass, when no occurrence in the window has a pair or a seat one
 * could take: the newcomer and someone with the pair role who is free then
 * come onto an occurrence together. The pair is whoever min_gap_days holds
 * for, then whoever is furthest below their share; each takes a free seat
 * or the kept seat of whoever stands highest above their share (never a
 * swap's, a pair's or a first shift). Of the occurrences where that can be
 * done: the gap kept for the pair, then the fewest kept seats moved, then
 * past the freeze window, then the earliest. Returns the occurrence's index
 * when placed, else how far it got, for the warning.
 */
function placeWithPair(
  board: Board,
  state: PersonState,
  deadline: Day,
  freezeUntil: Day,
  result: Newcomers,
  pairs: Pairs,
  dev: (member: Member) => number,
  /** Every seat counts as kept (after the fill, as the next plan reads them). */
  held = false,
): number | Shortfall {
  const member = state.member;
  let short: Shortfall = "unavailable";
  let best: { i: number; rank: number[]; pair: Member; seat: number; pairSeat: number } | undefined;
  // Once short of seats, an occurrence with a pair on it or awaited adds nothing.
  const next = (i: number) => (short === "no-seats" ? pairs.unpaired().from(i) : i);
  for (const i of freeInWindow(board, state, deadline, next)) {
    const slot = board.slots[i] as Slot;
    const o = slot.o;
    if (!o.shift.seats.some((role) => canFill(member, o.shift.id, role))) continue;
    if (short === "unavailable") short = board.pairRole ? "no-pair" : "no-seats";
    // Where a pair sits or is awaited, the passes before found no seat there.
    if (!pairs.unpaired().has(i)) {
      short = "no-seats";
      continue;
    }
    const found = freePairs(board, slot, member, pairs, dev);
    if (found.length > 0) short = "no-seats";
    for (const pair of found) {
      const seats = seatsFor(board, slot, member, pair.member, dev, held);
      if (!seats) continue;
      const moved = (slot.seats[seats.seat] ? 1 : 0) + (slot.seats[seats.pairSeat] ? 1 : 0);
      const rank = [pair.conflicts, moved, moved > 0 && o.day < freezeUntil ? 1 : 0, i];
      if (!best || lexLess(rank, best.rank)) best = { i, rank, pair: pair.member, ...seats };
      break;
    }
  }
  if (!best) return short;
  const slot = board.slots[best.i] as Slot;
  const o = slot.o;
  const from = slot.seats[best.seat];
  const pairFrom = slot.seats[best.pairSeat];
  if (from) board.vacate(slot, best.seat);
  if (pairFrom) board.vacate(slot, best.pairSeat);
  board.place(slot, best.seat, member, "newcomer");
  board.place(slot, best.pairSeat, best.pair, "pair");
  releaseNearPair(board, slot, best.pair, freezeUntil, result, held);
  if (from) result.taken.push({ id: o.id, newcomer: member.id, from: from.id });
  result.paired.push({
    id: o.id,
    newcomer: member.id,
    pair: best.pair.id,
    ...(pairFrom ? { from: pairFrom.id } : {}),
  });
  return best.i;
}

/**
 * A kept `pair` seat whose newcomer is no longer on the occurrence for their
 * first shift (swapped out, or joining later now) serves nobody's first
 * shift: it becomes an ordinary kept seat, which the repair may move past
 * the freeze window like any other, and no longer holds the occurrence.
 */
function unpairLeft(board: Board): void {
  for (const slot of board.slots) {
    if (!slot.how.includes("pair")) continue;
    // The seat recorded as their first shift still is, though a seat they
    // took after it in the plan starts earlier (two shifts on one day): as
    // the plan that placed them said, so that planning again changes nothing.
    const first = (member: Member | undefined, s: number) =>
      member !== undefined && (slot.how[s] === "newcomer" || board.isFirstShift(member, slot));
    if (slot.seats.some(first)) continue;
    for (let s = 0; s < slot.how.length; s++) if (slot.how[s] === "pair") slot.how[s] = "kept";
  }
}

/** Whether a previous entry had someone on it as a pair: recorded so, or holding the role. */
function hadPair(board: Board, entry: ScheduleEntry | undefined): boolean {
  return (
    entry?.people.some((id, i) => entry.how?.[i] === "pair" || board.canPair(board.member(id))) ===
    true
  );
}

/**
 * A newcomer's kept first shift whose pair has gone (away since, say): a
 * free person with the pair role comes onto it as the last pass brings one
 * (the one min_gap_days holds for, then furthest below their share), in a
 * free seat or the kept seat of whoever stands highest above their share.
 * Whether one came.
 */
function repairPair(
  board: Board,
  slot: Slot,
  newcomerSeat: number,
  result: Newcomers,
  pairs: Pairs,
  dev: (member: Member) => number,
  newcomer: Member,
  freezeUntil: Day,
): boolean {
  const o = slot.o;
  for (const { member: pair } of freePairs(board, slot, newcomer, pairs, dev)) {
    let best: { seat: number; rank: number[] } | undefined;
    for (let t = 0; t < o.shift.seats.length; t++) {
      if (t === newcomerSeat || !canFill(pair, o.shift.id, o.shift.seats[t] as string)) continue;
      const holder = slot.seats[t];
      if (holder && !mayTake(board, slot, t, holder)) continue;
      // A free seat first, then the one whose holder stands highest above their share.
      const rank = holder ? [1, -dev(holder), t] : [0, 0, t];
      if (!best || lexLess(rank, best.rank)) best = { seat: t, rank };
    }
    if (!best) continue;
    const from = slot.seats[best.seat];
    if (from) board.vacate(slot, best.seat);
    board.place(slot, best.seat, pair, "pair");
    releaseNearPair(board, slot, pair, freezeUntil, result);
    result.paired.push({
      id: o.id,
      newcomer: newcomer.id,
      pair: pair.id,
      ...(from ? { from: from.id } : {}),
    });
    return true;
  }
  return false;
}

/**
 * Who could serve beside a newcomer on an occurrence they are not on: the
 * pair role, available, allowed on the shift, not swapped out of it, not a
 * newcomer, on nothing at the same time nor needed for a seat then (`Spare`);
 * those min_gap_days holds for first, then furthest below their share, then
 * the stable hash.
 */
function freePairs(
  board: Board,
  slot: Slot,
  newcomer: Member,
  pairs: Pairs,
  dev: (member: Member) => number,
): { member: Member; conflicts: number; dev: number }[] {
  const o = slot.o;
  const found: { member: Member; conflicts: number; dev: number }[] = [];
  let spare: ((member: Member) => boolean) | undefined;
  for (const pool of pairs.pairPools) {
    if (pool.shifts && !pool.shifts.has(o.shift.id)) continue;
    for (const m of pool.members) {
      if (m === newcomer || slot.seats.includes(m) || !board.canPair(m)) continue;
      if (!availableFor(m, o) || board.isSwappedOut(slot, m)) continue;
      if (board.stateOf(m).book.overlapping(o.start, o.end)) continue;
      spare ??= pairs.spare(slot);
      if (!spare(m)) continue;
      found.push({ member: m, conflicts: board.conflicts(m, slot), dev: dev(m) });
    }
  }
  return found.sort(
    (a, b) =>
      a.conflicts - b.conflicts ||
      a.dev - b.dev ||
      a.member.hash - b.member.hash ||
      a.member.index - b.member.index,
  );
}

/**
 * Two seats of an occurrence for a newcomer and their pair, each free or a
 * kept seat that may be taken: free seats first, then those whose holder
 * stands highest above their share. Undefined when there are not two.
 */
function seatsFor(
  board: Board,
  slot: Slot,
  newcomer: Member,
  pair: Member,
  dev: (member: Member) => number,
  held = false,
): { seat: number; pairSeat: number } | undefined {
  const o = slot.o;
  // What taking a seat costs: nothing when free, else less the further above their share its holder is.
  const cost = (s: number): number | undefined => {
    const holder = slot.seats[s];
    if (!holder) return Number.NEGATIVE_INFINITY;
    return mayTake(board, slot, s, holder, false, held) ? -dev(holder) : undefined;
  };
  let best: { seat: number; pairSeat: number; rank: number[] } | undefined;
  for (let s = 0; s < o.shift.seats.length; s++) {
    const costS = cost(s);
    if (costS === undefined || !canFill(newcomer, o.shift.id, o.shift.seats[s] as string)) continue;
    for (let t = 0; t < o.shift.seats.length; t++) {
      if (t === s || !canFill(pair, o.shift.id, o.shift.seats[t] as string)) continue;
      const costT = cost(t);
      if (costT === undefined) continue;
      const taken = (slot.seats[s] ? 1 : 0) + (slot.seats[t] ? 1 : 0);
      // The fewest seats taken, then from those highest above their share.
      const rank = [taken, Math.max(costS, costT), Math.min(costS, costT), s, t];
      if (!best || lexLess(rank, best.rank)) best = { seat: s, pairSeat: t, rank };
    }
  }
  return best && { seat: best.seat, pairSeat: best.pairSeat };
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) < (b[i] as number);
  }
  return false;
}

/**
 * A newcomer whose first shift is placed now (a swap took them off the one
 * planned before, say) may still hold kept seats within min_gap_days after
 * it: those past the freeze window are given up, for the fill to give to
 * someone else, so that the gap holds where it can.
 */
function releaseNear(board: Board, state: PersonState, freezeUntil: Day, result: Newcomers): void {
  const member = state.member;
  if (member.gapDays <= 0) return;
  const id = firstShiftOf(state);
  const first = id === undefined ? undefined : state.book.list.find((a) => a.id === id);
  if (!first) return;
  for (const a of [...state.book.list]) {
    const slot = a.slot;
    if (!slot || a.id === first.id || a.day < freezeUntil) continue;
    if (Math.abs(a.day - first.day) >= member.gapDays) continue;
    const seat = slot.seats.indexOf(member);
    if (!slot.kept[seat] || slot.how[seat] === "swap" || slot.how[seat] === "pair") continue;
    // Left open for the fill (the free seats newcomers look for are not told:
    // another newcomer's first shift is never one a newcomer just gave up).
    board.vacate(slot, seat);
    result.released.push({ id: a.id, newcomer: member.id, first: first.id });
  }
}

/**
 * A pair brought onto a newcomer's first shift may hold kept seats within
 * min_gap_days of it: those past the freeze window are given up, as a
 * newcomer's own are (`releaseNear`), so that the gap holds where it can —
 * but not one where they are the only pair beside another newcomer.
 */
function releaseNearPair(
  board: Board,
  slot: Slot,
  pair: Member,
  freezeUntil: Day,
  result: Newcomers,
  held = false,
): void {
  if (pair.gapDays <= 0) return;
  for (const a of [...board.stateOf(pair).book.list]) {
    const near = a.slot;
    if (!near || near === slot || a.day < freezeUntil) continue;
    if (Math.abs(a.day - slot.o.day) >= pair.gapDays) continue;
    const seat = near.seats.indexOf(pair);
    const how = near.how[seat];
    if (!(held || near.kept[seat]) || how === "swap" || how === "pair" || how === "newcomer")
      continue;
    // The only pair beside another newcomer's first shift stays: the gap is
    // relaxed for them, not the newcomer left alone.
    if (near.how.includes("newcomer") && !board.isPaired(near, seat)) continue;
    board.vacate(near, seat);
    result.pairReleased.push({ id: a.id, pair: pair.id, first: slot.o.id });
  }
}

/**
 * A kept seat a newcomer may take: not a swap, a pair, or someone's first
 * shift, nor the seat of someone with the pair role — unless `pros`, and
 * another stays on the occurrence (a pro in a seat anyone could fill, beside
 * the pro seat's).
 */
function mayTake(
  board: Board,
  slot: Slot,
  seat: number,
  holder: Member,
  pros = false,
  /** Every seat counts as kept (see placeNewcomersAfterFill). */
  held = false,
): boolean {
  return (
    keptToTake(slot, seat, held) &&
    !(
      board.pairRole !== undefined &&
      holder.roles.has(board.pairRole) &&
      !(pros && board.isPaired(slot, seat))
    ) &&
    !board.isFirstShift(holder, slot)
  );
}

/**
 * A free seat beside a newcomer that someone with the pair role could take
 * (available, free at that time, and not needed for a seat then: `Spare`);
 * the person is chosen, by fair share, when the plan reaches the occurrence.
 */
function pairFor(
  board: Board,
  slot: Slot,
  newcomerSeat: number,
  newcomer: Member,
  pairSeats: ReadonlyMap<string, number>,
  pairs: Pairs,
): number | undefined {
  const o = slot.o;
  let spare: ((member: Member) => boolean) | undefined;
  // One pair serves every newcomer on it: a seat kept for a pair stays the one.
  const kept = pairSeats.get(o.id);
  for (let t = 0; t < o.shift.seats.length; t++) {
    const role = o.shift.seats[t] as string;
    if (t === newcomerSeat || slot.seats[t] || (kept !== undefined && t !== kept)) continue;
    for (const pool of pairs.pairPools) {
      if (!canFill(pool, o.shift.id, role)) continue;
      for (const m of pool.members) {
        if (m === newcomer || slot.seats.includes(m) || !availableFor(m, o)) continue;
        if (board.isSwappedOut(slot, m) || board.stateOf(m).newcomer) continue;
        if (board.stateOf(m).book.overlapping(o.start, o.end)) continue;
        spare ??= pairs.spare(slot);
        if (!spare(m)) continue;
        return t;
      }
    }
  }
  return undefined;
}

/** Who may be a pair: the pools with the pair role, and whether each is spare at an occurrence's time. */
interface Pairs {
  pairPools: Team["pools"];
  spare: Spare;
  /** The occurrences with no pair on them and no seat kept for one. */
  unpaired(): SlotSet;
  /** Stops the board telling `unpaired` of changes. */
  close(): void;
}

function pairsOf(board: Board, team: Team, pairSeats: ReadonlyMap<string, number>): Pairs {
  // Made when first asked: only a newcomer no pass found a seat for asks.
  let unpaired: SlotSet | undefined;
  return {
    pairPools: pairPoolsOf(board, team),
    spare: spareOf(board, team.pools, pairSeats),
    // A seat is kept for a pair only as a newcomer is placed on the occurrence.
    unpaired: () =>
      (unpaired ??= new SlotSet(
        board,
        (slot) => !board.isPaired(slot) && !pairSeats.has(slot.o.id),
      )),
    close: () => unpaired?.close(),
  };
}

/** Per occurrence, whether someone with the pair role may serve on it as a pair (`spareOf`). */
type Spare = (slot: Slot) => (member: Member) => boolean;

/** An open seat at the same time as an occurrence: its role, and whether it is kept for a pair. */
interface Need {
  slot: Slot;
  role: string;
  pair: boolean;
}

/**
 * Coverage outranks pairing: someone with the pair role is counted on as a
 * pair only where, without them, enough others are free to fill the open
 * seats at the same time (on the occurrences overlapping this one) that they
 * could fill. A pro who alone can fill a pro-only desk stays for the desk,
 * and the newcomer's first shift goes where a pro is spare, or without one.
 * Counted per kind of seat (its role, or a seat kept for another newcomer's
 * pair), and only as far as needed to know; a newcomer awaiting their first
 * shift is not counted on for a seat.
 */
function spareOf(
  board: Board,
  pools: Team["pools"],
  pairSeats: ReadonlyMap<string, number>,
): Spare {
  const pairRole = board.pairRole;
  const poolFits = (pool: Team["pools"][number], n: Need): boolean =>
    canFill(pool, n.slot.o.shift.id, n.role) &&
    (!n.pair || (pairRole !== undefined && pool.roles.has(pairRole)));
  /** Whether the person could take the seat, the others on it aside. */
  const fits = (m: Member, n: Need): boolean => {
    const { slot, role } = n;
    const o = slot.o;
    if (!canFill(m, o.shift.id, role) || (n.pair && !board.canPair(m))) return false;
    if (slot.seats.includes(m) || !availableFor(m, o) || board.isSwappedOut(slot, m)) return false;
    if (board.isFirstShift(m, slot)) return false;
    return !board.stateOf(m).book.overlapping(o.start, o.end);
  };
  return (slot) => {
    // The open seats at the same time, by kind.
    const needs = new Map<string, Need[]>();
    board.eachAtSameTime(slot, (other) => {
      const kept = pairSeats.get(other.o.id);
      for (let s = 0; s < other.seats.length; s++) {
        const role = other.o.shift.seats[s] as string;
        const pair = s === kept;
        // A seat anyone could fill takes whoever would have had the pair's seat.
        if (other.seats[s] || (role === ANY_ROLE && !pair)) continue;
        const key = pair ? "" : role;
        const list = needs.get(key);
        if (list) list.push({ slot: other, role, pair });
        else needs.set(key, [{ slot: other, role, pair }]);
      }
    });
    // The kinds with no one to spare: as many free for them as seats, or fewer.
    const short: Need[][] = [];
    for (const seats of needs.values()) {
      let free = 0;
      scan: for (const pool of pools) {
        if (!seats.some((n) => poolFits(pool, n))) continue;
        for (const m of pool.members) {
          if (seats.some((n) => fits(m, n)) && ++free > seats.length) break scan;
        }
      }
      if (free <= seats.length) short.push(seats);
    }
    if (short.length === 0) return () => true;
    return (m) => !short.some((seats) => seats.some((n) => fits(m, n)));
  };
}
