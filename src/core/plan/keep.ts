import { toDay } from "../dates.ts";
import type { Roster, Swap } from "../roster/model.ts";
import {
  offShiftMessage,
  ontoShiftMessage,
  type SeatSwaps,
  seatSwaps,
  standingSwaps,
  swapsByOccurrence,
  swapsOffShift,
  swapsOntoShift,
} from "../roster/swaps.ts";
import type { ScheduleEntry } from "../schedule/schedule.ts";
import { Board, type Slot, unavailableFor } from "./board.ts";
import { describeAbsence, whyNotEligible } from "./explain.ts";
import type { History } from "./history.ts";
import { closedDay } from "./holidays.ts";
import { listOccurrences } from "./occurrences.ts";
import { canFill, type Member } from "./people.ts";
import { matchSeats } from "./seating.ts";
import { type PlanWarning, RECORDED_HOWS, type SeatHow } from "./types.ts";
import type { PlanWindow } from "./window.ts";

/** The board with kept seats and swaps in place, and what was said about them. */
export interface Kept {
  board: Board;
  warnings: PlanWarning[];
  /** Per occurrence: why its people changed (for `rota plan`'s list of changes). */
  reasons: Map<string, string[]>;
}

const RECORDED: ReadonlySet<string> = new Set(RECORDED_HOWS);

/** The recorded reason for a person's seat in a previous entry ("kept" when none was). */
function recordedHow(entry: ScheduleEntry, person: string): SeatHow {
  const how = entry.how?.[entry.people.indexOf(person)];
  return how !== undefined && RECORDED.has(how) ? (how as SeatHow) : "kept";
}

/**
 * Stability first: every future seat of the previous schedule stays while it
 * is valid (the person is in the roster, available, allowed on the shift,
 * holds a role for a seat, is not on an overlapping shift, and holds no
 * other seat of it), with the reason it was filled; then swaps put `in`
 * where `out` was, in the order the roster lists them.
 */
export function keepPrevious(
  roster: Roster,
  window: PlanWindow,
  history: History,
  rebalance: boolean,
): Kept {
  const warnings: PlanWarning[] = [];
  const reasons = new Map<string, string[]>();
  const note = (id: string, reason: string) => {
    const list = reasons.get(id);
    if (list) list.push(reason);
    else reasons.set(id, [reason]);
  };
  const swaps = swapsByOccurrence(roster.swaps ?? []);
  // Who is off each occurrence once its swaps are applied: a person swapped
  // back onto it is not.
  const swappedOut = new Map(
    [...swaps].map(([id, list]) => [id, new Set(standingSwaps(list).out.keys())] as const),
  );
  const board = new Board(
    window.occurrences.map((o, index) => ({
      o,
      index,
      seats: o.shift.seats.map(() => undefined),
      how: o.shift.seats.map(() => "open" as const),
      relaxed: o.shift.seats.map(() => undefined),
      kept: o.shift.seats.map(() => false),
    })),
    history.people,
    swappedOut,
    roster.rules?.newcomers?.pair_with,
    // history.people are the team's members, in order: the team's map of them.
    window.team.byId,
  );
  // Swaps whose out schedule.yaml does not have on the occurrence (a slip of
  // the name, most likely): they give away a turn nobody of them holds.
  const offShift = new Map(
    swapsOffShift(roster.swaps ?? [], (id) => history.previousById.get(id)?.people).map(
      (off) => [off.swap, off] as const,
    ),
  );
  // Swaps whose in schedule.yaml already has on the occurrence beside the
  // seat's holder: applied, they would leave in one person for two seats.
  const ontoShift = new Map(
    swapsOntoShift(roster.swaps ?? [], (id) => history.previousById.get(id)?.people).map(
      (onto) => [onto.first, onto] as const,
    ),
  );
  for (const slot of board.slots) {
    const prev = rebalance ? undefined : history.previousById.get(slot.o.id);
    if (prev) keepSeats(board, slot, prev, note);
    // A seat a swap gave stays while valid; it is the swap's only while the
    // roster still records that swap (applySwap marks it again below).
    for (let s = 0; s < slot.how.length; s++) if (slot.how[s] === "swap") slot.how[s] = "kept";
    for (const seat of seatSwaps(swaps.get(slot.o.id) ?? [])) {
      const off = offShift.get(seat.first);
      if (off) {
        warnings.push({ id: slot.o.id, person: off.swap.out, message: offShiftMessage(off) });
        continue;
      }
      const onto = ontoShift.get(seat.first);
      if (onto) {
        warnings.push({ id: slot.o.id, person: onto.swap.in, message: ontoShiftMessage(onto) });
        continue;
      }
      const warning = applySwap(board, slot, seat, note);
      if (warning) warnings.push(warning);
    }
  }
  warnings.push(...unappliedSwaps(roster, window, history));
  return { board, warnings, reasons };
}

function keepSeats(
  board: Board,
  slot: Slot,
  prev: ScheduleEntry,
  note: (id: string, reason: string) => void,
): void {
  const o = slot.o;
  const candidates: Member[] = [];
  const seen = new Set<string>();
  for (const id of prev.people) {
    // A hand-edited line may list someone in two seats: they keep one.
    if (seen.has(id)) {
      note(o.id, `${id} is in two seats of it`);
      continue;
    }
    seen.add(id);
    const member = board.member(id);
    if (!member) {
      note(o.id, `${id} is no longer in the roster`);
      continue;
    }
    const absence = unavailableFor(member, o);
    if (absence) {
      note(o.id, `${id} ${describeAbsence(absence)}`);
    } else if (member.shifts && !member.shifts.has(o.shift.id)) {
      note(o.id, `${id} no longer takes shift ${o.shift.id}`);
    } else {
      const clash = board.stateOf(member).book.overlapping(o.start, o.end, o.id);
      if (clash) note(o.id, `${id} is on ${clash.id} at the same time`);
      else candidates.push(member);
    }
  }
  const roles = o.shift.seats;
  const seats = matchSeats(roles, candidates, o.shift.id);
  // Seats taken away from the shift leave someone out who could fill the
  // others: the seat went, not their eligibility.
  const recorded = prev.people.length + (prev.open ?? 0);
  let fewer = recorded > roles.length;
  for (const member of candidates) {
    if (seats.includes(member)) continue;
    if (roles.some((role) => canFill(member, o.shift.id, role))) {
      // Said once, however many people the seats taken away leave out.
      if (fewer) note(o.id, `${o.shift.id} has ${seatCount(roles.length)} now, not ${recorded}`);
      fewer = false;
    } else {
      note(o.id, `${member.id} cannot fill any seat of ${o.shift.id}`);
    }
  }
  seats.forEach((member, s) => {
    if (!member) return;
    board.place(slot, s, member, recordedHow(prev, member.id));
    slot.kept[s] = true;
  });
}

function seatCount(count: number): string {
  return count === 1 ? "1 seat" : `${count} seats`;
}

/**
 * A seat's swaps: `in` of the last serves instead of whoever of the chain
 * holds the seat (the first person, or one a swap before put there), else in
 * a free seat `in` can fill (a fresh plan never had them on it). Returns a
 * warning when it cannot apply.
 */
function applySwap(
  board: Board,
  slot: Slot,
  seatSwap: SeatSwaps<Swap>,
  note: (id: string, reason: string) => void,
): PlanWarning | undefined {
  const { swap, chain } = seatSwap;
  const o = slot.o;
  const inIndex = slot.seats.findIndex((member) => member?.id === swap.in);
  const held: number[] = [];
  slot.seats.forEach((member, s) => {
    if (member && member.id !== swap.in && chain.includes(member.id)) held.push(s);
  });
  if (inIndex !== -1) {
    // Applied already: keep it, and keep the others of the chain off it.
    slot.how[inIndex] = "swap";
    for (const s of held) board.vacate(slot, s);
    return undefined;
  }
  const outIndex = held[0] ?? -1;
  // Anyone else of the chain on it (a plan made between the swaps) makes way too.
  for (const s of held.slice(1)) board.vacate(slot, s);
  const incoming = board.member(swap.in);
  const roles = o.shift.seats;
  const seat =
    outIndex !== -1
      ? outIndex
      : roles.findIndex(
          (role, s) =>
            !slot.seats[s] && incoming !== undefined && canFill(incoming, o.shift.id, role),
        );
  const role = roles[seat];
  const absence = incoming ? unavailableFor(incoming, o) : undefined;
  const ineligible = incoming ? whyNotEligible(incoming, o, role) : undefined;
  const problem = !incoming
    ? `${swap.in} is not in the roster`
    : ineligible
      ? `${swap.in} ${ineligible}`
      : seat === -1 || role === undefined
        ? `${swap.in} can fill no free seat on it`
        : absence
          ? `${swap.in} ${describeAbsence(absence)}`
          : board.stateOf(incoming).book.overlapping(o.start, o.end, o.id)
            ? `${swap.in} is on another shift at the same time`
            : undefined;
  if (problem || !incoming) {
    return {
      id: o.id,
      person: swap.in,
      message: `swap ${swap.out} → ${swap.in} on ${o.id} cannot apply: ${problem}${outIndex !== -1 ? `; ${slot.seats[outIndex]?.id} stays on it` : ""}`,
    };
  }
  const replaced = board.vacate(slot, seat);
  board.place(slot, seat, incoming, "swap");
  const instead = replaced ? ` instead of ${replaced.id}` : "";
  note(
    o.id,
    `${swap.in} serves${instead}: a swap in the roster${swap.reason ? ` (${swap.reason})` : ""}`,
  );
  return undefined;
}

/** Swaps in the window for occurrences that do not exist (a closed day, a day the shift does not run). */
function unappliedSwaps(roster: Roster, window: PlanWindow, history: History): PlanWarning[] {
  const occurrenceIds = new Set(window.occurrences.map((o) => o.id));
  const pastIds = new Set(history.past.map((entry) => entry.id));
  const warnings: PlanWarning[] = [];
  for (const swap of roster.swaps ?? []) {
    const id = `${swap.date}/${swap.shift}`;
    const day = toDay(swap.date);
    if (occurrenceIds.has(id) || pastIds.has(id) || day < window.today - 1 || day >= window.until) {
      continue;
    }
    // An occurrence that has started (a plan with no schedule before it
    // has no history of it): a swap there is history too.
    const started = listOccurrences(window.shifts, window.closed, day, day + 1);
    if (started.some((o) => o.id === id)) continue;
    const why = window.closed.reason(day, swap.shift);
    warnings.push({
      id,
      message: `swap ${swap.out} → ${swap.in} on ${id} does not apply: ${why ? closedDay(why) : "there is no such occurrence"}`,
    });
  }
  return warnings;
}
