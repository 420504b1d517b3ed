import { type Day, fromDay, toDay } from "../dates.ts";
import type { Change, Gap } from "../plan/planner.ts";
import { DEFAULT_HORIZON_WEEKS } from "../roster/formats.ts";
import type { Roster } from "../roster/model.ts";
import type { Schedule } from "./schedule.ts";

/**
 * `rota plan --check`: what a fresh plan says about the committed
 * schedule.yaml. Three findings, each with its own remedy:
 *
 * - stale: replanning would change an occurrence before `planned_until` (or
 *   open a seat there that the file fills). Someone changed the roster
 *   without replanning; `rota plan` and a commit fix it. Fails.
 * - short: the file reaches fewer days ahead than `rules.plan_ahead_weeks`;
 *   `rota plan` extends it. Fails, naming the day it runs out.
 * - gaps already in the file: seats the committed plan could not fill and a
 *   replan cannot fill either. They are listed with what would fill them,
 *   and fail only when asked (`--fail-on-gaps`): replanning changes nothing,
 *   so failing every unrelated pull request over them helps nobody.
 */
export interface ScheduleCheck {
  /** What the exit code says: 0 when true. */
  ok: boolean;
  /** Whether schedule.yaml exists. */
  exists: boolean;
  /** The committed `planned_until`: occurrences on earlier days are planned. */
  plannedUntil: string | null;
  /** Days from today to `plannedUntil` (0 or less: nothing is planned from today on). */
  daysAhead: number;
  /** The days ahead the roster asks for (`rules.plan_ahead_weeks` × 7; 0 asks for none). */
  planAheadDays: number;
  /** Fewer days ahead than asked for. */
  short: boolean;
  /** Replanning would change the committed schedule before `plannedUntil`. */
  stale: boolean;
  /** The occurrences replanning would change before `plannedUntil`. */
  changes: Change[];
  /**
   * The seats nobody can fill before `plannedUntil`: `known` when
   * schedule.yaml already has them open, else new (and so stale).
   */
  gaps: CheckGap[];
  /** Whether known gaps fail the check too. */
  failOnGaps: boolean;
}

export interface CheckGap extends Gap {
  known: boolean;
}

export interface CheckInput {
  exists: boolean;
  /** The committed schedule (empty when the file is missing). */
  previous: Schedule;
  /** Today, in the roster's zone. */
  today: Day;
  /** What a plan made now changes, and the seats it leaves open. */
  changes: readonly Change[];
  gaps: readonly Gap[];
  planAheadDays: number;
  failOnGaps: boolean;
}

/**
 * The day the committed schedule was planned on, as its `planned_until` and
 * the roster's horizon say; undefined without a `planned_until`. A plan made
 * as of that day, from the same roster, makes no change: what it changes is
 * what the roster changed since. A plan made today may differ for the days
 * alone (a quota period whose end the horizon now reaches, say), and the
 * next `rota plan` makes those changes; they do not make the file stale.
 */
export function plannedOn(previous: Schedule, roster: Roster): Day | undefined {
  if (!previous.plannedUntil) return undefined;
  return toDay(previous.plannedUntil) - 7 * (roster.horizon_weeks ?? DEFAULT_HORIZON_WEEKS);
}

/** Judges the committed schedule against a fresh plan. Pure. */
export function checkSchedule(input: CheckInput): ScheduleCheck {
  const { exists, previous, today, planAheadDays, failOnGaps } = input;
  const plannedUntil = previous.plannedUntil ?? null;
  const from = fromDay(today);
  // From today (a plan of an earlier day may differ on days now past) to planned_until.
  const inWindow = (date: string) => date >= from && (plannedUntil === null || date < plannedUntil);
  const changes = exists ? input.changes.filter((change) => inWindow(change.date)) : [];
  const changed = new Set(changes.map((change) => change.id));
  const committed = new Map(previous.entries.map((entry) => [entry.id, entry]));
  const openSeats = new Map<string, number>();
  for (const gap of input.gaps) openSeats.set(gap.id, (openSeats.get(gap.id) ?? 0) + 1);
  const gaps = input.gaps
    .filter((gap) => inWindow(gap.date))
    .map((gap) => {
      const entry = committed.get(gap.id);
      // Known: the committed line has exactly these seats open, and nothing else about it changes.
      const known =
        exists &&
        entry !== undefined &&
        !changed.has(gap.id) &&
        (entry.open ?? 0) === openSeats.get(gap.id);
      return { ...gap, known };
    });
  const daysAhead = plannedUntil === null ? 0 : toDay(plannedUntil) - today;
  const short = exists && planAheadDays > 0 && daysAhead < planAheadDays;
  const stale = changes.length > 0 || gaps.some((gap) => !gap.known);
  const ok = exists && !short && !stale && !(failOnGaps && gaps.length > 0);
  return {
    ok,
    exists,
    plannedUntil,
    daysAhead,
    planAheadDays,
    short,
    stale,
    changes,
    gaps,
    failOnGaps,
  };
}
