import { type Day, toDay } from "../dates.ts";
import { ANY_ROLE } from "../roster/formats.ts";
import { type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import { type Board, type Slot, unavailableFor } from "./board.ts";
import { relaxedCause } from "./explain.ts";
import type { History } from "./history.ts";
import { closedDay } from "./holidays.ts";
import { inListedOrder, type Member, type Team } from "./people.ts";
import type { Shares } from "./shares.ts";
import type { Change, FairnessRow, Gap, PlanWarning, SeatHow } from "./types.ts";
import type { PlanWindow } from "./window.ts";

/** Why a warning says min_gap_days was relaxed on a seat, by what made it (core/plan/explain.ts). */
const RELAXED_BECAUSE = {
  swap: "as a swap recorded in the roster put them there",
  pair: "as the pair_with rule put them beside a newcomer",
  alike:
    "as giving it up would leave them more than a shift behind someone alike to them, and people alike end within one shift of each other",
  kept: "as it was kept from an earlier plan, and kept seats move only past the freeze window, to someone well below their share",
  free: "as nobody else who could take it was free",
};

/**
 * Marks each seat whose person serves an earlier occurrence within
 * min_gap_days (the past included) with that occurrence, and clears the mark
 * where the rule holds: what schedule.yaml records is what the plan is.
 */
export function markRelaxed(board: Board): void {
  for (const slot of board.slots) {
    slot.seats.forEach((member, s) => {
      slot.relaxed[s] = member ? earlierWithinGap(board, member, slot) : undefined;
    });
  }
}

function earlierWithinGap(board: Board, member: Member, slot: Slot): string | undefined {
  const gap = member.gapDays;
  if (gap <= 0) return undefined;
  let best: { id: string; day: Day } | undefined;
  for (const a of board.stateOf(member).book.list) {
    if (a.start >= slot.o.start) break;
    if (slot.o.day - a.day < gap && (!best || a.day > best.day)) best = a;
  }
  return best?.id;
}

/**
 * Warnings every plan repeats while they stand: relaxed gaps and unpaired
 * newcomers (but for the first shifts in `told`, which the plan placed with
 * no pair just now and warned about with the reason).
 */
export function standingWarnings(
  board: Board,
  /** Why a newcomer's first shift has nobody with the pair role beside them, where known. */
  aloneReason: (member: Member) => string | undefined = () => undefined,
  /** The people in the roster's order, in which newcomers' warnings are listed. */
  listed: readonly Member[] = [],
): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  const alone: { member: Member; warning: PlanWarning }[] = [];
  for (const slot of board.slots) {
    slot.seats.forEach((member, s) => {
      if (!member) return;
      const near = slot.relaxed[s];
      if (near) {
        warnings.push({
          id: slot.o.id,
          person: member.id,
          message: `min_gap_days relaxed: ${member.id} serves ${slot.o.id} within ${member.gapDays} days of ${near}, ${RELAXED_BECAUSE[relaxedCause(board, slot, s, member) ?? "free"]}`,
        });
      }
      if (slot.how[s] === "newcomer" && !board.isPaired(slot)) {
        const why = aloneReason(member);
        alone.push({
          member,
          warning: {
            id: slot.o.id,
            person: member.id,
            message: `newcomer ${member.id}'s first shift ${slot.o.id} has nobody with role ${board.pairRole} beside them${why ? `: ${why}` : ""}`,
          },
        });
      }
    });
  }
  const inOrder = alone.length > 1 ? inListedOrder(alone, listed, (a) => a.member) : alone;
  return [...inOrder.map((a) => a.warning), ...warnings];
}

/** The schedule line of a planned occurrence; rev and changed carry over when nothing moved. */
export function entryFor(
  slot: Slot,
  prev: ScheduleEntry | undefined,
  changedNow: string,
): ScheduleEntry {
  const o = slot.o;
  // The seated people in seat order, with how each came to sit and what was relaxed for them.
  const people: string[] = [];
  const how: SeatHow[] = [];
  const relaxed: Record<string, string> = {};
  for (let s = 0; s < slot.seats.length; s++) {
    const member = slot.seats[s];
    if (!member) continue;
    people.push(member.id);
    how.push(slot.how[s] as SeatHow);
    const near = slot.relaxed[s];
    if (near) relaxed[member.id] = near;
  }
  const open = slot.seats.length - people.length;
  const same =
    prev !== undefined &&
    prev.start === o.startIso &&
    prev.end === o.endIso &&
    (prev.open ?? 0) === open &&
    prev.people.length === people.length &&
    prev.people.every((id, i) => id === people[i]);
  return {
    id: o.id,
    date: o.date,
    shift: o.shift.id,
    start: o.startIso,
    end: o.endIso,
    people,
    // A line planned before reasons were recorded stays as it was written.
    ...(how.some((code) => code !== "kept") ? { how } : {}),
    ...(Object.keys(relaxed).length > 0 && how.some((code) => code !== "kept") ? { relaxed } : {}),
    ...(open > 0 ? { open } : {}),
    rev: prev ? (same ? prev.rev : prev.rev + 1) : 0,
    changed: same && prev ? prev.changed : changedNow,
  };
}

/** Seats nobody could fill, each with the reason. */
export function listGaps(board: Board, team: Team, shares: Shares): Gap[] {
  const gaps: Gap[] = [];
  for (const slot of board.slots) {
    slot.seats.forEach((member, s) => {
      if (member) return;
      const role = slot.o.shift.seats[s] as string;
      gaps.push({
        id: slot.o.id,
        date: slot.o.date,
        shift: slot.o.shift.id,
        seat: s,
        role,
        reason: gapReason(board, team, slot, role, shares.poolsFor(slot.o.shift.id, role)),
      });
    });
  }
  return gaps;
}

function gapReason(board: Board, team: Team, slot: Slot, role: string, pools: number[]): string {
  const o = slot.o;
  if (pools.length === 0) {
    return role === ANY_ROLE
      ? `nobody may take shift ${o.shift.id}`
      : `nobody holds role ${role}${team.members.some((m) => m.roles.has(role)) ? ` and may take shift ${o.shift.id}` : ""}`;
  }
  const counts = new Map<string, number>();
  const bump = (reason: string) => counts.set(reason, (counts.get(reason) ?? 0) + 1);
  let looked = 0;
  for (const pool of pools) {
    for (const member of team.pools[pool]?.members ?? []) {
      if (++looked > 10_000) break;
      const absence = unavailableFor(member, o);
      if (absence) {
        bump(
          absence.kind === "away" ? "away" : absence.kind === "left" ? "left" : "not joined yet",
        );
      } else if (slot.seats.includes(member)) bump("already on it");
      else if (board.stateOf(member).book.overlapping(o.start, o.end))
        bump("on an overlapping shift");
      else if (board.needsPair(member, slot))
        bump(`a newcomer without a ${board.pairRole} beside them`);
      else bump("other");
    }
  }
  const parts = [...counts].map(([reason, count]) => `${count} ${reason}`);
  return `no ${role === ANY_ROLE ? "one" : role} available: ${parts.join(", ")}`;
}

/** What changed against the previous schedule, occurrence by occurrence, with the reasons. */
export function listChanges(
  window: PlanWindow,
  history: History,
  entries: readonly ScheduleEntry[],
  reasons: ReadonlyMap<string, string[]>,
): Change[] {
  const changes: Change[] = [];
  const newById = new Map(entries.map((entry) => [entry.id, entry]));
  for (const entry of entries) {
    const prev = history.previousById.get(entry.id);
    const retimed = prev !== undefined && (prev.start !== entry.start || prev.end !== entry.end);
    if (prev && !retimed && prev.people.join() === entry.people.join()) continue;
    const why = reasons.get(entry.id) ?? [];
    changes.push({
      id: entry.id,
      date: entry.date,
      shift: entry.shift,
      before: prev ? prev.people : null,
      after: entry.people,
      reasons: retimed ? [`now ${hours(entry)}, was ${hours(prev)}`, ...why] : why,
    });
  }
  for (const prev of history.previousFuture) {
    if (newById.has(prev.id)) continue;
    const day = toDay(prev.date);
    const closed = window.closed.reason(day, prev.shift);
    const why = !window.shiftById.has(prev.shift)
      ? `shift ${prev.shift} is no longer in the roster`
      : closed
        ? closedDay(closed)
        : day >= window.until
          ? "beyond the planning horizon"
          : `shift ${prev.shift} no longer runs then`;
    changes.push({
      id: prev.id,
      date: prev.date,
      shift: prev.shift,
      before: prev.people,
      after: null,
      reasons: [why],
    });
  }
  return changes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * An occurrence's hours as its shift's clock shows them (`10:00–18:00`), with
 * the day where the times fall on another (`2026-11-25 09:00–17:00`).
 */
function hours(entry: ScheduleEntry): string {
  const day = (iso: string) => (iso.slice(0, 10) === entry.date ? "" : `${iso.slice(0, 10)} `);
  return `${day(entry.start)}${entry.start.slice(11, 16)}–${entry.end.slice(11, 16)}`;
}

/** The fairness summary of a window of days: shifts in it, the share of it, shifts served before. */
export function fairnessRows(
  team: Team,
  shares: Shares,
  history: History,
  /** The served entries (history.past), then the plan's. */
  entries: readonly ScheduleEntry[],
  window: { origin: Day; until: Day },
  from: Day,
  to: Day,
): FairnessRow[] {
  const pastEntries = history.past.length;
  // Shifts by member index (an id no longer in the roster counts for no one),
  // and each run of entries on one date reads its date as a day once. A
  // shift under way now is served, and in the window: counted in it, it is
  // not counted again among those served before.
  const counts = new Int32Array(team.members.length);
  const servedInside = new Int32Array(team.members.length);
  let date: string | undefined;
  let inside = false;
  for (let e = 0; e < entries.length; e++) {
    const entry = entries[e] as ScheduleEntry;
    if (entry.date !== date) {
      date = entry.date;
      const day = toDay(date);
      inside = day >= from && day < to;
    }
    if (!inside) continue;
    // Who served a shift under way (a cover recorded), as the record counts it.
    const served = e < pastEntries;
    for (const id of served ? servedBy(entry) : entry.people) {
      const member = team.byId.get(id);
      if (!member) continue;
      counts[member.index] = (counts[member.index] as number) + 1;
      if (served) servedInside[member.index] = (servedInside[member.index] as number) + 1;
    }
  }
  const start = Math.max(from, window.origin);
  const end = Math.min(to, window.until);
  // A row for each of 50,000 people: made whole (no object spread into it),
  // with the team where there is one, in the same order of fields.
  return team.listed.map((member): FairnessRow => {
    const id = member.id;
    const name = member.name;
    const weight = member.weight;
    const shifts = counts[member.index] as number;
    const expected = shares.owed(member, start, end);
    const served =
      (history.people[member.index]?.history ?? 0) - (servedInside[member.index] as number);
    return member.team
      ? { id, name, team: member.team, weight, shifts, expected, served }
      : { id, name, weight, shifts, expected, served };
  });
}

/** Past entries in time order (they are already, unless the file was edited). */
export function sortEntries(entries: readonly ScheduleEntry[]): ScheduleEntry[] {
  const keyed = entries.map((entry) => ({ entry, start: Date.parse(entry.start) }));
  keyed.sort(
    (a, b) =>
      a.start - b.start ||
      (a.entry.shift < b.entry.shift ? -1 : a.entry.shift > b.entry.shift ? 1 : 0),
  );
  return keyed.map((item) => item.entry);
}
