import { fromDay, toDay } from "../dates.ts";
import { ANY_ROLE, DEFAULT_FREEZE_DAYS } from "../roster/formats.ts";
import type { Schedule, ScheduleEntry } from "../schedule/schedule.ts";
import { isoUtc } from "../time.ts";
import type { Board } from "./board.ts";
import { choicesOf, describeHow, explainSlot } from "./explain.ts";
import { fillByMakingWay, fillOpenings, fillSeats, type MadeWay } from "./fill.ts";
import {
  type History,
  newlyCounted,
  readHistory,
  recordOffRoster,
  stillCounted,
} from "./history.ts";
import { keepPrevious } from "./keep.ts";
import {
  aloneReasons,
  type Newcomers,
  placeNewcomers,
  placeNewcomersAfterFill,
} from "./newcomers.ts";
import type { Member, Team } from "./people.ts";
import { findQuotaMisses, quotaFeasibility, quotaWarnings, unreachableQuotas } from "./quotas.ts";
import { Repair } from "./repair.ts";
import {
  entryFor,
  fairnessRows,
  listChanges,
  listGaps,
  markRelaxed,
  sortEntries,
  standingWarnings,
} from "./result.ts";
import { type SeatDay, Shares } from "./shares.ts";
import type { Explanation, Move, PlanInput, PlanResult, PlanWarning, SeatChoice } from "./types.ts";
import { type PlanWindow, planWindow } from "./window.ts";

export { describeAbsence } from "./explain.ts";
export type {
  Change,
  Explanation,
  FairnessRow,
  Gap,
  Move,
  PlanInput,
  PlanResult,
  PlanWarning,
  SeatChoice,
  SeatHow,
} from "./types.ts";

/**
 * Plans the rota, in phases: the window and its occurrences → fair shares →
 * the previous schedule kept (and swaps) → newcomers → fill, seat by seat in
 * time order, each to the pool and then the person furthest below their
 * share → repair (quota turns, min_gap_days, evening out; kept seats beyond
 * the freeze window move only to bring someone back within a shift of their
 * share) → the schedule, its changes and the reasons. Pure: no clock, no I/O.
 */
export function planRota(input: PlanInput): PlanResult {
  const { roster, previous, now } = input;
  const window = planWindow(roster, now, previous.entries, previous.offRoster);
  const { team, today, until } = window;
  const history = readHistory(previous, window, now, roster.swaps);
  let shares = sharesOf(window, history);
  const counted = history.countedFrom.size;
  newlyCounted(history, window, previous, (index, from, until) =>
    shares.expected(team.members[index] as Member, from, until),
  );
  if (history.countedFrom.size > counted) shares = sharesOf(window, history);
  for (const [index, day] of history.countedFrom) {
    const state = history.people[index];
    // Counted from the record's start (see `stillCounted`) is counted as everyone is.
    if (state && day > history.origin) state.since = day;
  }

  const kept = keepPrevious(roster, window, history, input.rebalance === true);
  const { board, reasons } = kept;
  const note = (id: string, reason: string) => {
    const list = reasons.get(id);
    if (list) list.push(reason);
    else reasons.set(id, [reason]);
  };
  const freezeUntil = today + (roster.rules?.freeze_days ?? DEFAULT_FREEZE_DAYS);
  const share = new Float64Array(team.members.length);
  const ahead = new Float64Array(team.members.length);
  for (let i = 0; i < team.members.length; i++) {
    const member = team.members[i] as Member;
    share[member.index] = shares.expected(member, history.origin, until + 1);
    ahead[member.index] = shares.expected(member, freezeUntil, until + 1);
  }
  const newcomers = placeNewcomers(
    roster,
    board,
    team,
    { today, origin: history.origin, until, freezeUntil },
    (member) => {
      const state = board.stateOf(member);
      return state.history + state.planned - (share[member.index] ?? 0);
    },
    history.previousById,
  );
  noteNewcomers(newcomers, board.pairRole, note);
  const warnings: PlanWarning[] = [...kept.warnings, ...newcomers.warnings];
  const feasibility = quotaFeasibility(team, shares, board, today, until);
  warnings.push(...feasibility.warnings);
  const span = { today, origin: history.origin, until };

  const moves: Move[] = [];
  let known: Set<string> | undefined;
  const repair = new Repair(board, team, {
    ...span,
    freezeUntil,
    share,
    ahead,
    expected: (member, from, until) => shares.expected(member, from, until),
    seatShare: (day, shift, role) => shares.seatShare(day, shift, role),
    added: (member) => {
      known ??= knownTo(previous);
      return known.size > 0 && !known.has(member.id);
    },
    onMove: (move) => moves.push(move),
  });
  // A replan first gives seats a roster change opened back to whoever is furthest behind.
  if (previous.plannedUntil && !input.rebalance) {
    const before = toDay(previous.plannedUntil);
    const shareBefore = new Float64Array(team.members.length);
    for (let i = 0; i < team.members.length; i++) {
      const member = team.members[i] as Member;
      shareBefore[member.index] = shares.expected(member, history.origin, before);
    }
    repair.refill(before, shareBefore);
    repair.noteBehind(before, shareBefore);
  }
  fillSeats(board, team, shares, span, newcomers.pairSeats, history.seatDays, input.onProgress);
  const dev = (member: Member) => repair.dev(member);
  // Said once the plan is made: a later move may give the seat made way to someone else.
  const ways = new Map<string, MadeWay>();
  for (let round = 0; round < 10; round++) {
    repair.run();
    const filled = fillOpenings(board, team, shares, history.origin, dev);
    const madeWay = fillByMakingWay(board, shares, team, freezeUntil, dev);
    for (const way of madeWay) ways.set(`${way.id} ${way.member}`, way);
    if (filled + madeWay.length === 0) break;
  }
  // Someone added since the last plan, or catching up, serves in the weeks
  // ahead, not day after day on the days it did not plan.
  if (previous.plannedUntil && !input.rebalance)
    repair.spreadCatchingUp(toDay(previous.plannedUntil));
  const late = placeNewcomersAfterFill(board, team, { until, freezeUntil }, dev, newcomers.noPair);
  noteNewcomers(late, board.pairRole, note);
  // Seats a pair brought now gave up for min_gap_days, and seats a newcomer
  // could not take before their first shift was placed (it would have been
  // their first, without a pair), are filled as the next plan would.
  if (late.taken.length + late.paired.length > 0) {
    fillOpenings(board, team, shares, history.origin, dev);
  }
  markRelaxed(board);
  for (const way of ways.values()) noteMadeWay(way, board, history.previousById, note);
  // The moves that stand: each gave a seat from someone still off it to someone still on it.
  const standing = netMoves(moves).filter((move) => {
    const seats = board.byId.get(move.id)?.seats ?? [];
    return seats.some((m) => m?.id === move.to) && !seats.some((m) => m?.id === move.from);
  });
  for (const move of standing) note(move.id, `moved from ${move.from} to ${move.to}: ${move.why}`);
  // Person by person in the roster's order, as people read the roster.
  const listed = team.listed.map((member) => board.stateOf(member));
  warnings.push(
    ...standingWarnings(board, aloneReasons(board, team, today, until), team.listed),
    ...unreachableQuotas(listed, span),
    ...quotaWarnings(findQuotaMisses(board, span, listed), today, feasibility.crowded),
  );

  const changedNow = isoUtc(now);
  // Each start read once, not once per comparison.
  const newEntries = board.slots
    .map((slot) => {
      const entry = entryFor(slot, history.previousById.get(slot.o.id), changedNow);
      return { entry, start: Date.parse(entry.start) };
    })
    .sort(
      (a, b) =>
        a.start - b.start ||
        (a.entry.shift < b.entry.shift ? -1 : a.entry.shift > b.entry.shift ? 1 : 0),
    )
    .map(({ entry }) => entry);
  const entries = [...sortEntries(history.past), ...newEntries];
  // Asked for by `rota explain` and the tests, not by a plan's output: made
  // when first read (the board no longer changes), not for every plan.
  let choices: Map<string, SeatChoice[]> | undefined;
  const choicesOfBoard = () => {
    choices ??= new Map(board.slots.map((slot) => [slot.o.id, choicesOf(board, slot)]));
    return choices;
  };
  const fairnessFor = (from: number, to: number) =>
    fairnessRows(team, shares, history, entries, { origin: history.origin, until }, from, to);
  const explanation = input.explain
    ? explain(input.explain, board, history, roster, dev)
    : undefined;
  const offRoster = recordOffRoster(previous.offRoster, team, today, history.past);
  stillCounted(history, team, entries, (index, from, to) =>
    shares.expected(team.members[index] as Member, from, to),
  );
  return {
    schedule: {
      plannedUntil: fromDay(until),
      ...countedFrom(history, team, offRoster, previous.countedFrom),
      ...(offRoster ? { offRoster } : {}),
      entries,
    },
    from: today,
    until,
    gaps: listGaps(board, team, shares),
    warnings,
    get choices() {
      return choicesOfBoard();
    },
    changes: listChanges(window, history, newEntries, reasons),
    moves: standing,
    fairness: fairnessFor(today, until),
    fairnessFor,
    steady: { ...window.steady },
    ...(explanation ? { explanation } : {}),
  };
}

/**
 * The moves as the schedule shows them, occurrence by occurrence: a seat
 * moved on again (x to y, then y to z) is one move from x to z, and a move
 * whose giver took a seat there back (x to y, then z to x) is one from z to
 * y, each with both reasons in turn and whom it went through; a move
 * undone is none. Otherwise a change would name someone who gave or got
 * nothing on it.
 */
function netMoves(moves: readonly Move[]): Move[] {
  const net: Move[] = [];
  // The net moves of each occurrence so far (a few at most), looked up by its id.
  const byId = new Map<string, Move[]>();
  for (const move of moves) {
    const here = byId.get(move.id) ?? [];
    if (here.length === 0) byId.set(move.id, here);
    const onwards = here.find((n) => n.to === move.from);
    const back = onwards ? undefined : here.find((n) => n.from === move.to);
    const joined = onwards ?? back;
    if (!joined) {
      const copy = { ...move };
      here.push(copy);
      net.push(copy);
      continue;
    }
    const via = onwards ? joined.to : joined.from;
    if (onwards) joined.to = move.to;
    else joined.from = move.from;
    joined.why = `${joined.why}; then ${move.why} (through ${via})`;
    // Who holds the seat now holds it for the latest move's reason.
    joined.kind = move.kind;
    if (joined.from === joined.to) {
      here.splice(here.indexOf(joined), 1);
      net.splice(net.indexOf(joined), 1);
    }
  }
  return net;
}

/**
 * Why seats changed where someone made way: they fill a seat nobody free
 * could, and whoever now sits in the seat they gave up serves instead (the
 * one who took it then, or whoever a later move gave it to). Unsaid where
 * they no longer fill it.
 */
function noteMadeWay(
  way: MadeWay,
  board: Board,
  previousById: ReadonlyMap<string, ScheduleEntry>,
  note: (id: string, reason: string) => void,
): void {
  const on = (id: string, person: string) =>
    board.byId.get(id)?.seats.some((m) => m?.id === person) === true;
  if (!on(way.id, way.member) || on(way.gave, way.member)) return;
  let to: string | undefined = way.to;
  if (!on(way.gave, to)) {
    const before = new Set(previousById.get(way.gave)?.people ?? []);
    const came = (board.byId.get(way.gave)?.seats ?? []).filter((m) => m && !before.has(m.id));
    to = came.length === 1 ? came[0]?.id : undefined;
  }
  if (to === undefined) {
    note(
      way.id,
      `${way.member} serves here, a seat nobody free could fill, giving up ${way.gave} at the same time`,
    );
    note(way.gave, `${way.member} fills a seat nobody free could on ${way.id} at the same time`);
    return;
  }
  note(
    way.id,
    `${way.member} serves here, a seat nobody free could fill, giving ${way.gave} at the same time to ${to}`,
  );
  note(
    way.gave,
    `${to} serves instead of ${way.member}, who fills a seat nobody free could on ${way.id} at the same time`,
  );
}

/** Why seats changed for newcomers' first shifts and their pairs, in the list of changes. */
function noteNewcomers(
  newcomers: Newcomers,
  pairRole: string | undefined,
  note: (id: string, reason: string) => void,
): void {
  for (const taken of newcomers.taken) {
    note(taken.id, `newcomer ${taken.newcomer} takes ${taken.from}'s seat for their first shift`);
  }
  for (const paired of newcomers.paired) {
    note(
      paired.id,
      `${paired.pair} serves beside newcomer ${paired.newcomer} on their first shift (pair_with)${paired.from ? `, taking ${paired.from}'s seat` : ""}`,
    );
  }
  for (const released of newcomers.released) {
    note(
      released.id,
      `newcomer ${released.newcomer}'s first shift is now ${released.first}, within min_gap_days of this one`,
    );
  }
  for (const released of newcomers.pairReleased) {
    note(
      released.id,
      `${released.pair} serves beside a newcomer on ${released.first} (pair_with), within min_gap_days of this one`,
    );
  }
  for (const unpaired of newcomers.unpaired) {
    note(
      unpaired.id,
      `nobody with role ${pairRole} can serve beside newcomer ${unpaired.newcomer} on it: their first shift is now ${unpaired.first}`,
    );
  }
}

/** The fair shares over the record and the plan. */
function sharesOf(window: PlanWindow, history: History): Shares {
  const seatDays: SeatDay[] = [...history.seatDays];
  for (const o of window.occurrences) {
    seatDays.push({
      day: o.day,
      shift: o.shift.id,
      roles: o.shift.seats,
      start: o.start,
      end: o.end,
      lastDay: o.lastDay,
    });
  }
  return new Shares(window.team, seatDays, history.origin, window.until + 1, history.countedFrom);
}

/**
 * People whose share starts later than the record, for schedule.yaml; kept
 * for someone off the roster (`offRoster`), so that back on it they still owe
 * nothing for the days before they were first added.
 */
function countedFrom(
  history: History,
  team: Team,
  offRoster: Readonly<Record<string, unknown>> | undefined,
  previous: Readonly<Record<string, string>> | undefined,
): { countedFrom?: Record<string, string> } {
  const record: Record<string, string> = {};
  for (const [id, date] of Object.entries(previous ?? {})) {
    if (offRoster && id in offRoster && !team.byId.has(id)) record[id] = date;
  }
  for (const [index, day] of history.countedFrom) {
    const member = team.members[index];
    if (member) record[member.id] = fromDay(day);
  }
  return Object.keys(record).length > 0 ? { countedFrom: record } : {};
}

/** `rota explain`: a planned occurrence from the board, or a past one from the record. */
function explain(
  id: string,
  board: Board,
  history: History,
  roster: PlanInput["roster"],
  dev: (member: Member) => number,
): Explanation | undefined {
  const slot = board.byId.get(id);
  if (slot) return explainSlot(roster, board, slot, dev, history.origin);
  const entry = history.past.find((e: ScheduleEntry) => e.id === id);
  if (!entry) return undefined;
  const roles =
    roster.shifts.find((shift) => shift.id === entry.shift)?.seats.map((seat) => seat.role) ?? [];
  return {
    id: entry.id,
    past: true,
    seats: entry.people.map((person, seat) => {
      // A cover changed who served the seat (schedule.yaml's `served`, seat by seat).
      const cover = entry.served?.[seat];
      const covered = cover !== undefined && cover !== person;
      const reason = covered
        ? roster.swaps?.find(
            (s) =>
              s.date === entry.date &&
              s.shift === entry.shift &&
              s.out === person &&
              s.in === cover,
          )?.reason
        : undefined;
      const choice: SeatChoice = {
        seat,
        role: roles[seat] ?? ANY_ROLE,
        person,
        how: (entry.how?.[seat] as SeatChoice["how"] | undefined) ?? "kept",
        ...(entry.relaxed?.[person] ? { relaxed: entry.relaxed[person] } : {}),
        ...(covered ? { servedBy: cover } : {}),
        ...(reason ? { coverReason: reason } : {}),
      };
      return { ...choice, reason: describeHow(choice) };
    }),
    people: [],
  };
}

export type { ResolvedShift } from "./shifts.ts";

/**
 * Everyone a schedule knows: seated in an entry, recorded as serving one, or
 * recorded as counted though it left them without a seat (`stillCounted`).
 */
function knownTo(schedule: Schedule): Set<string> {
  const known = new Set<string>(Object.keys(schedule.countedFrom ?? {}));
  for (const entry of schedule.entries) {
    for (const id of entry.people) known.add(id);
    for (const id of entry.served ?? []) known.add(id);
  }
  return known;
}
