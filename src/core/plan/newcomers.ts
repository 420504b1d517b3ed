import { type Day, fromDay } from "../dates.ts";
import type { Roster } from "../roster/model.ts";
import { availableFor, type Board, type PersonState, type Slot } from "./board.ts";
import { canFill, type Member, type Team } from "./people.ts";
import type { PlanWarning } from "./types.ts";

/** Where newcomers were placed: occurrences that wait for a pair, and the seat for them. */
export interface Newcomers {
  pairSeats: Map<string, number>;
  warnings: PlanWarning[];
  /** Kept seats a newcomer took, for the list of changes. */
  taken: { id: string; newcomer: string; from: string }[];
  /** A newcomer's own kept seats given up for min_gap_days after their first shift, for the list of changes. */
  released: { id: string; newcomer: string; first: string }[];
}

/**
 * Newcomers (with `joined`, no shift served yet, and inside their first
 * `first_shift_within_days`) get a first shift in that window, beside a
 * person with the `pair_with` role: a free seat first; a kept seat only when
 * no free one is in time, past the freeze window where one is in time (the
 * seats of the next days stay as people expect them). The pair is chosen by
 * fair share when the fill reaches the occurrence; the seat for them is
 * reserved here.
 */
export function placeNewcomers(
  roster: Roster,
  board: Board,
  team: Team,
  today: Day,
  until: Day,
  freezeUntil: Day,
): Newcomers {
  const result: Newcomers = { pairSeats: new Map(), warnings: [], taken: [], released: [] };
  const rule = roster.rules?.newcomers;
  if (!rule) return result;
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
  for (const state of due) state.newcomer = true;
  const pairPools = team.pools.filter(
    (pool) => board.pairRole !== undefined && pool.roles.has(board.pairRole),
  );
  const free = new FreeSeats(board.slots, result.pairSeats);
  // Placing newcomers only ever clears kept marks: with none now, no pass may take one.
  const anyKept = board.slots.some((slot) => slot.kept.includes(true));
  for (const state of due) {
    const member = state.member;
    const deadline = (member.joined as Day) + window;
    if (state.book.list.some((a) => a.day < deadline)) continue; // kept from before
    const placed =
      placeFirstShift(board, state, deadline, undefined, result, pairPools, free) ||
      (anyKept &&
        (placeFirstShift(board, state, deadline, freezeUntil, result, pairPools, free) ||
          placeFirstShift(board, state, deadline, member.joined as Day, result, pairPools, free)));
    if (placed) releaseNear(board, state, freezeUntil, result);
    // A window reaching past the horizon may still be met by a later plan.
    if (!placed && deadline <= until) {
      result.warnings.push({
        person: member.id,
        message: `newcomer ${member.id} has no shift within ${window} days of joining (${fromDay(member.joined as Day)}): no occurrence before ${fromDay(deadline)} where they are available${board.pairRole ? ` beside a ${board.pairRole}` : ""}`,
      });
    }
  }
  return result;
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
 * One pass over the newcomer's window: free seats only, or (`stealFrom`, a
 * day) kept seats from that day on too — never a pair's, a swap's or another
 * newcomer's first shift.
 */
function placeFirstShift(
  board: Board,
  state: PersonState,
  deadline: Day,
  stealFrom: Day | undefined,
  result: Newcomers,
  pairPools: Team["pools"],
  free: FreeSeats,
): boolean {
  const member = state.member;
  const steal = stealFrom !== undefined;
  const first = firstOnOrAfter(board.slots, Math.max(member.joined as Day, stealFrom ?? 0));
  // Free seats only: straight to the next occurrence with one.
  const next = (i: number) => (steal ? i : free.from(i));
  for (let i = next(first); i < board.slots.length; i = next(i + 1)) {
    const slot = board.slots[i] as Slot;
    const o = slot.o;
    if (o.day >= deadline) break;
    if (!steal && !slot.seats.includes(undefined)) continue;
    if (steal && !slot.kept.includes(true)) continue;
    if (!availableFor(member, o) || (member.shifts && !member.shifts.has(o.shift.id))) continue;
    if (state.book.overlapping(o.start, o.end) || board.isSwappedOut(slot, member)) continue;
    const keptForPair = result.pairSeats.get(o.id); // another newcomer's pair sits there
    for (let s = 0; s < slot.seats.length; s++) {
      const holder = slot.seats[s];
      if (s === keptForPair || !canFill(member, o.shift.id, o.shift.seats[s] as string)) continue;
      if (holder && (!steal || !mayTake(board, slot, s, holder))) continue;
      // Beside a pair_with person: one already on it, or one who can take a
      // free seat (chosen when the plan reaches it, by fair share).
      let pairSeat: number | undefined;
      if (!board.isPaired(slot, s)) {
        pairSeat = pairFor(board, slot, s, member, result.pairSeats, pairPools);
        if (pairSeat === undefined) continue;
      }
      if (holder) {
        board.vacate(slot, s);
        result.taken.push({ id: o.id, newcomer: member.id, from: holder.id });
      }
      board.place(slot, s, member, "newcomer");
      if (pairSeat !== undefined) result.pairSeats.set(o.id, pairSeat);
      free.update(i);
      return true;
    }
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
  const first = state.book.list.find(
    (a) => a.slot?.how[a.slot.seats.indexOf(member)] === "newcomer",
  );
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

/** A kept seat a newcomer may take: not a swap, a pair, or someone's first shift. */
function mayTake(board: Board, slot: Slot, seat: number, holder: Member): boolean {
  return (
    slot.kept[seat] === true &&
    slot.how[seat] !== "swap" &&
    slot.how[seat] !== "newcomer" &&
    slot.how[seat] !== "pair" &&
    !(board.pairRole !== undefined && holder.roles.has(board.pairRole)) &&
    !board.isFirstShift(holder, slot)
  );
}

/**
 * A free seat beside a newcomer that someone with the pair role could take
 * (available, and free at that time); the person is chosen, by fair share,
 * when the plan reaches the occurrence.
 */
function pairFor(
  board: Board,
  slot: Slot,
  newcomerSeat: number,
  newcomer: Member,
  pairSeats: ReadonlyMap<string, number>,
  pairPools: Team["pools"],
): number | undefined {
  const o = slot.o;
  // One pair serves every newcomer on it: a seat kept for a pair stays the one.
  const kept = pairSeats.get(o.id);
  for (let t = 0; t < o.shift.seats.length; t++) {
    const role = o.shift.seats[t] as string;
    if (t === newcomerSeat || slot.seats[t] || (kept !== undefined && t !== kept)) continue;
    for (const pool of pairPools) {
      if (!canFill(pool, o.shift.id, role)) continue;
      for (const m of pool.members) {
        if (m === newcomer || slot.seats.includes(m) || !availableFor(m, o)) continue;
        if (board.isSwappedOut(slot, m) || board.stateOf(m).newcomer) continue;
        if (board.stateOf(m).book.overlapping(o.start, o.end)) continue;
        return t;
      }
    }
  }
  return undefined;
}
