import type { Day } from "../dates.ts";
import type { Roster } from "../roster/model.ts";
import type { Schedule } from "../schedule/schedule.ts";

/**
 * How a seat came to hold its person. Recorded in schedule.yaml beside each
 * person, and kept while the seat is kept, so that `rota explain` can answer
 * "why me?" for as long as the seat stands.
 */
export type SeatHow =
  | "swap" // a recorded swap
  | "newcomer" // a new joiner's first shift, beside a pair_with person
  | "pair" // the pair_with person placed beside a newcomer
  | "quota" // the person owed a turn in this period
  | "share" // furthest below their fair share
  | "moved" // moved to them past the freeze window, as they were below their share of the days past it
  | "kept" // kept from a schedule written before rota recorded reasons
  | "open"; // nobody could fill it

/** The codes schedule.yaml may record, in the order they are documented. */
export const RECORDED_HOWS: readonly SeatHow[] = [
  "swap",
  "newcomer",
  "pair",
  "quota",
  "share",
  "moved",
  "kept",
];

export interface SeatChoice {
  seat: number;
  role: string;
  person?: string;
  how: SeatHow;
  /** min_gap_days did not hold: the person's other occurrence within it. */
  relaxed?: string;
  /**
   * Why it did not: a swap, or the pair_with rule, put the person within it;
   * or, while someone else is free, giving it up would leave them more than a
   * shift behind someone alike to them, or the seat was kept from an earlier
   * plan (else nobody else was free).
   */
  relaxedBy?: "swap" | "pair" | "alike" | "kept";
  /** A started occurrence: who served this seat instead of `person` (a cover recorded in the roster). */
  servedBy?: string;
  /** The reason the cover gives, if any. */
  coverReason?: string;
}

export interface Gap {
  id: string;
  date: string;
  shift: string;
  seat: number;
  role: string;
  reason: string;
}

export interface PlanWarning {
  id?: string;
  person?: string;
  message: string;
}

export interface Change {
  id: string;
  date: string;
  shift: string;
  before: string[] | null;
  after: string[] | null;
  reasons: string[];
}

/**
 * What a kept seat moved for: to even out shares, for a quota turn owed, so
 * min_gap_days holds, traded so someone added serves in the weeks ahead
 * rather than at the plan's end, or handed on so someone catching up gets a
 * seat (whose holder takes another's).
 */
export type MoveKind = "share" | "quota" | "gap" | "trade" | "relay";

/** A kept seat past the freeze window given to someone else, and why. */
export interface Move {
  id: string;
  from: string;
  to: string;
  /** The reason, in words: whose share, by how much. */
  why: string;
  /** What it was for (a seat moved on again: what its last move was for). */
  kind: MoveKind;
}

export interface FairnessRow {
  id: string;
  name: string;
  team?: string;
  weight: number;
  /** Shifts in the window. */
  shifts: number;
  /** Fair share of the window. */
  expected: number;
  /** Shifts served before now, from schedule.yaml. */
  served: number;
}

/** Why each person is or is not on one occurrence: `rota explain`. */
export interface Explanation {
  id: string;
  past: boolean;
  /** Each seat, with the reason it was filled in words. */
  seats: (SeatChoice & { reason: string })[];
  people: {
    id: string;
    name: string;
    status: "on" | "candidate" | "excluded";
    reason: string;
    /** Shifts below their fair share over the plan, history included (higher goes first). */
    deficit?: number;
    quotaDue?: string;
  }[];
}

export interface PlanInput {
  roster: Roster;
  previous: Schedule;
  /** Epoch milliseconds. */
  now: number;
  /** Recompute every future seat instead of keeping valid assignments. */
  rebalance?: boolean;
  /** An occurrence id to explain. */
  explain?: string;
  /** Called now and then with how many occurrences are decided, of how many. */
  onProgress?: (done: number, total: number) => void;
}

export interface PlanResult {
  schedule: Schedule;
  /** The planned window: local days [from, until) of the roster's zone. */
  from: Day;
  until: Day;
  gaps: Gap[];
  warnings: PlanWarning[];
  /** How each seat of each future occurrence was filled. */
  choices: Map<string, SeatChoice[]>;
  changes: Change[];
  /** Kept seats moved to even out shares (beyond the freeze window). */
  moves: Move[];
  fairness: FairnessRow[];
  /** The fairness summary for another window (e.g. the one shown). */
  fairnessFor(from: Day, until: Day): FairnessRow[];
  explanation?: Explanation;
  /**
   * The span of "now", (from, until] in epoch milliseconds, over which the
   * same roster and schedule give this same plan: the same day, and no
   * occurrence starting (so moving into the past) in between.
   */
  steady: { from: number; until: number };
}
