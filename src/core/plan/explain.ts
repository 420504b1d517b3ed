import { type Day, fromDay } from "../dates.ts";
import type { Roster } from "../roster/model.ts";
import { seatHolderAfter, standingSwaps } from "../roster/swaps.ts";
import { type Board, type Slot, unavailableFor } from "./board.ts";
import { type Absence, canFill, describePeriod, type Member } from "./people.ts";
import { owedUntil } from "./quotas.ts";
import type { Occurrence } from "./shifts.ts";
import { alike } from "./twins.ts";
import type { Explanation, SeatChoice, SeatHow } from "./types.ts";

/** Why someone is absent, as a predicate: "is away (holiday)", "joins on …", "has left". */
export function describeAbsence(absence: Absence): string {
  switch (absence.kind) {
    case "away":
      return absence.reason ? `is away (${absence.reason})` : "is away";
    case "not-joined":
      return `joins on ${fromDay(absence.until)}`;
    case "left":
      return "has left";
  }
}

/**
 * Why a person cannot sit on an occurrence (or in a seat of `role`) by the
 * roster's rules, as a clause after their id — one wording for `explain`,
 * `swap` and covers: "takes only shifts americas", "holds no role this seat
 * needs (pro)". Undefined when the rules allow it.
 */
export function whyNotEligible(member: Member, o: Occurrence, role?: string): string | undefined {
  if (member.shifts && !member.shifts.has(o.shift.id)) {
    return `takes only ${member.shifts.size === 1 ? "shift" : "shifts"} ${[...member.shifts].join(", ")}, not ${o.shift.id}`;
  }
  const roles = role === undefined ? [...new Set(o.shift.seats)] : [role];
  if (roles.some((r) => canFill(member, o.shift.id, r))) return undefined;
  return `holds no role ${role === undefined ? "this shift" : "this seat"} needs (${roles.join(", ")})`;
}

/** A seat's recorded reason in words, as `rota explain` shows it. */
export function describeHow(
  choice: Pick<SeatChoice, "how" | "relaxed" | "relaxedBy" | "role">,
  /** A newcomer's first shift with nobody of the pair_with role on it (their pair has gone). */
  unpaired = false,
): string {
  const base: Record<SeatHow, string> = {
    swap: "swapped in: a swap recorded in the roster",
    newcomer: unpaired
      ? "a newcomer's first shift; nobody with the pair_with role is beside them"
      : "a newcomer's first shift, beside someone with the pair_with role",
    pair: "placed beside a newcomer on their first shift (pair_with)",
    quota: "owed a turn in this period (quota); the nearest deadline goes first",
    share: "furthest below their fair share among those who could take it",
    moved:
      "moved here past the freeze window, as they stood below their share of the days past it, or behind its pace there (rota plan said from whom, and why, when it moved it)",
    kept: "planned before schedule.yaml recorded reasons, or given by a swap since taken out of the roster, or placed beside a newcomer who is no longer on it; kept while it is valid",
    open: "nobody eligible was available",
  };
  const relaxed = !choice.relaxed
    ? ""
    : choice.relaxedBy === "swap"
      ? `; min_gap_days relaxed (also on ${choice.relaxed}): a swap recorded in the roster put them within it`
      : choice.relaxedBy === "pair"
        ? `; min_gap_days relaxed (also on ${choice.relaxed}): the pair_with rule put them beside a newcomer within it`
        : choice.relaxedBy === "alike"
          ? `; min_gap_days relaxed (also on ${choice.relaxed}): giving it up would leave them more than a shift behind someone alike to them, and people alike end within one shift of each other`
          : choice.relaxedBy === "kept"
            ? `; min_gap_days relaxed (also on ${choice.relaxed}): kept from an earlier plan; kept seats move only past the freeze window, to someone well below their share`
            : `; min_gap_days relaxed (also on ${choice.relaxed}): nobody else who could take it was free`;
  return `${base[choice.how]} (${choice.role} seat)${relaxed}`;
}

/** The seats of a slot as the plan reports them. */
export function choicesOf(board: Board, slot: Slot): SeatChoice[] {
  return slot.seats.map((member, s) => {
    const cause = member && relaxedCause(board, slot, s, member);
    return {
      seat: s,
      role: slot.o.shift.seats[s] as string,
      ...(member ? { person: member.id } : {}),
      how: slot.how[s] as SeatHow,
      ...(slot.relaxed[s] ? { relaxed: slot.relaxed[s] } : {}),
      ...(cause ? { relaxedBy: cause } : {}),
    };
  });
}

/**
 * What made a seat's relaxed min_gap_days, when it was not that nobody else
 * was free: the seat, or the person's occurrence within the gap, is one a swap
 * put them on (the planner keeps what people agreed, so nobody was weighed for
 * it), or the pair_with rule did (beside a newcomer's first shift). A swap
 * is named first. Else, where someone else could take it without breaking
 * the gap: "alike" where giving it up would leave the person more than a
 * shift behind someone alike to them (the planner keeps people alike within
 * a shift of each other before it keeps min_gap_days, whoever chose the
 * seat, so a replan says the same), else "kept" for a seat kept from an
 * earlier plan (made when the roster or the gap allowed no better): kept
 * seats move only past the freeze window, to someone well below their share.
 */
export function relaxedCause(
  board: Board,
  slot: Slot,
  s: number,
  member: Member,
): "swap" | "pair" | "alike" | "kept" | undefined {
  const near = slot.relaxed[s];
  if (!near) return undefined;
  const other = board.byId.get(near);
  const hows = [slot.how[s], other?.how[other.seats.indexOf(member)]];
  if (hows.includes("swap")) return "swap";
  if (hows.includes("pair")) return "pair";
  const behind = wouldFallBehind(board, member);
  if ((!behind && !slot.kept[s]) || !someoneFree(board, slot, s)) return undefined;
  return behind ? "alike" : "kept";
}

/**
 * Whether one seat fewer would leave the person more than a shift behind
 * someone alike to them in everything the planner sees: someone alike holds
 * more seats than they do.
 */
function wouldFallBehind(board: Board, member: Member): boolean {
  const state = board.stateOf(member);
  const count = state.history + state.planned;
  for (const other of board.people) {
    if (other.history + other.planned > count && other !== state && alike(state, other)) {
      return true;
    }
  }
  return false;
}

/** Whether someone not on the occurrence could take the seat without breaking min_gap_days. */
function someoneFree(board: Board, slot: Slot, s: number): boolean {
  for (const state of board.people) {
    const member = state.member;
    if (board.conflicts(member, slot) === 0 && board.canTake(member, slot, s)) return true;
  }
  return false;
}

/**
 * Why each person is or is not on a planned occurrence: the seats with the
 * reason each was filled, who else could have served (with how far below
 * their share each stands over the plan) and who could not, and why.
 */
export function explainSlot(
  roster: Roster,
  board: Board,
  slot: Slot,
  dev: (member: Member) => number,
  origin: Day,
): Explanation {
  const o = slot.o;
  // Who the occurrence's swaps leave off it, in the order they apply.
  const swaps = (roster.swaps ?? []).filter((swap) => `${swap.date}/${swap.shift}` === o.id);
  const swappedOutBy = standingSwaps(swaps).out;
  const unpaired = !board.isPaired(slot);
  // In the roster's order, as people read it (the board's is the planner's own).
  const listed = roster.people.flatMap((person) => {
    const member = board.member(person.id);
    return member ? [board.stateOf(member)] : [];
  });
  const people: Explanation["people"] = listed.map(({ member, book, newcomer }) => {
    const base = { id: member.id, name: member.name };
    const seat = slot.seats.indexOf(member);
    if (seat !== -1) {
      return {
        ...base,
        status: "on",
        reason: describeHow(choicesOf(board, slot)[seat] as SeatChoice, unpaired),
      };
    }
    const swappedOut = swappedOutBy.get(member.id);
    if (swappedOut) {
      // The swap that took them out, with its own reason; later swaps may
      // have handed the seat on from the person it gave it to.
      const why = swappedOut.reason ? ` (${swappedOut.reason})` : "";
      const took = swappedOut.in;
      const serves = seatHolderAfter(swaps, swaps.indexOf(swappedOut)) ?? took;
      return {
        ...base,
        status: "excluded",
        reason:
          serves === took
            ? `swapped out, ${took} serves instead${why}`
            : `swapped out for ${took}${why}; ${serves} serves it now`,
      };
    }
    const ineligible = whyNotEligible(member, o);
    if (ineligible) return { ...base, status: "excluded", reason: ineligible };
    const absence = unavailableFor(member, o);
    if (absence) {
      return { ...base, status: "excluded", reason: describeAbsence(absence) };
    }
    const clash = book.overlapping(o.start, o.end, o.id);
    // Worded as swap and cover word it.
    if (clash) return { ...base, status: "excluded", reason: `is on ${clash.id} at the same time` };
    const deficit = -dev(member);
    const quota = member.quota;
    const owes =
      quota !== undefined && owedUntil(board.stateOf(member), o.day, origin) !== undefined;
    const quotaDue =
      owes && quota
        ? `owes a turn in ${describePeriod(quota, o.day)} (every ${member.quotaText})`
        : undefined;
    const near = book.withinGap(o.day, member.gapDays, o.id);
    if (near) {
      return {
        ...base,
        status: "excluded",
        reason: `serves ${near.id}, within min_gap_days (${member.gapDays})`,
        deficit,
        ...(quotaDue ? { quotaDue } : {}),
      };
    }
    if (newcomer && board.needsPair(member, slot) && !board.isPaired(slot)) {
      return {
        ...base,
        status: "excluded",
        reason: `a newcomer needs a ${board.pairRole} beside them`,
      };
    }
    return {
      ...base,
      status: "candidate",
      reason: quotaDue ?? "eligible and available",
      deficit,
      ...(quotaDue ? { quotaDue } : {}),
    };
  });
  const seats = choicesOf(board, slot).map((choice) => ({
    ...choice,
    reason: describeHow(choice, unpaired),
  }));
  return { id: o.id, past: false, seats, people };
}
