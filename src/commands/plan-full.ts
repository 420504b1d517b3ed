import type { Context } from "../context.ts";
import { toJson } from "../core/controls.ts";
import { type Day, fromDay, LAST_DAY, toDay } from "../core/dates.ts";
import { type PlanResult, planRota } from "../core/plan/planner.ts";
import { resolveShift } from "../core/plan/shifts.ts";
import { horizonProblem } from "../core/plan/window.ts";
import { plural } from "../core/problems.ts";
import { checkJson, renderCheckMarkdown, renderCheckText } from "../core/render/check.ts";
import {
  type RotaView,
  renderChangesText,
  renderMovesText,
  renderRotaMarkdown,
  renderRotaTextParts,
  rotaJson,
} from "../core/render/rota.ts";
import { planAheadDays } from "../core/roster/formats.ts";
import type { Roster } from "../core/roster/model.ts";
import { checkSchedule, plannedOn, type ScheduleCheck } from "../core/schedule/check.ts";
import { renderSchedule, type Schedule } from "../core/schedule/schedule.ts";
import { dayOf, startOfDay } from "../core/time.ts";
import { InputError, UsageError } from "../errors.ts";
import { keyOf, writeRecord } from "../io/plan-cache.ts";
import { type Progress, startProgress } from "../io/progress.ts";
import { loadRoster } from "../io/roster-file.ts";
import { readScheduleFile, writeScheduleFile } from "../io/schedule-file.ts";
import { paint } from "../io/terminal.ts";
import { resolveTimeFlag } from "../io/time-flags.ts";
import { outputWidth } from "../io/width.ts";
import { type Format, formatOf, type PlanOptions, weeksOf } from "./plan.ts";

/*
 * `rota plan` past the replay of an unchanged plan (plan.ts): reading the
 * roster and the schedule, planning, writing schedule.yaml, and showing the
 * rota (or `--check`'s verdict).
 */

/** The window to show: --from/--until/--weeks, defaulting to the planned window. */
function viewWindow(options: PlanOptions, roster: Roster, plan: PlanResult): [Day, Day] {
  const zone = roster.timezone;
  const from =
    options.from !== undefined
      ? dayOf(resolveTimeFlag("--from", options.from, zone), zone)
      : plan.from;
  const weeks = weeksOf(options);
  const until =
    options.until !== undefined
      ? dayOf(resolveTimeFlag("--until", options.until, zone), zone) + 1
      : weeks !== undefined
        ? from + 7 * weeks
        : options.from !== undefined
          ? from + (plan.until - plan.from)
          : plan.until;
  if (until <= from) {
    const last = fromDay(until - 1);
    // Without --from the view starts where the planned window does, today.
    throw new UsageError(
      options.from !== undefined
        ? `--until ${last} is before --from ${fromDay(from)}: --until must be on or after --from`
        : `--until ${last} is before the view's start, today ${fromDay(from)}: give an --until on or after ${fromDay(from)}, or an earlier --from too`,
    );
  }
  // Past 9999-12-31 no day has a date rota writes.
  return [from, Math.min(until, LAST_DAY + 1)];
}

export function buildView(
  roster: Roster,
  schedule: Schedule,
  plan: PlanResult,
  window: [Day, Day],
  me?: string,
): RotaView {
  const [from, until] = window;
  // Every person's name by id: a loop, not an array of 50,000 pairs first.
  const names = new Map<string, string>();
  for (const person of roster.people) names.set(person.id, person.name);
  const inWindow = (date: string) => {
    const day = toDay(date);
    return day >= from && day < until;
  };
  return {
    team: roster.team,
    zone: roster.timezone,
    from,
    until,
    entries: schedule.entries,
    shifts: new Map(roster.shifts.map((shift) => [shift.id, resolveShift(shift, roster.timezone)])),
    names,
    gaps: plan.gaps.filter((gap) => inWindow(gap.date)),
    warnings: plan.warnings,
    // The plan's own window was summed up already.
    fairness:
      from === plan.from && until === plan.until ? plan.fairness : plan.fairnessFor(from, until),
    changes: plan.changes,
    ...(me ? { me } : {}),
  };
}

export type Planned =
  /** `--check` has printed its verdict; this is its exit code. */
  | { checked: number }
  | {
      roster: Roster;
      plan: PlanResult;
      window: [Day, Day];
      changed: boolean;
      /** schedule.yaml as the user reads its path. */
      file: string;
      /** What to record, when this plan may be replayed (see plan-cache.ts). */
      record?: { key: string; zone: string; now: number };
    };

/** Reads the roster and schedule, plans, and writes schedule.yaml when it changed. */
export async function planAndWrite(
  ctx: Context,
  options: PlanOptions,
  view: Promise<Record<string, unknown>> | undefined,
  assertLocked?: () => Promise<void>,
): Promise<Planned> {
  const format = formatOf(options);
  const loaded = await loadRoster(ctx);
  const { roster, now } = loaded;
  const beyond = horizonProblem(roster, now);
  if (beyond) throw new UsageError(beyond);
  const scheduleFile = await readScheduleFile(ctx);
  if (!scheduleFile.schedule) throw new InputError(scheduleFile.problems);
  const previous = scheduleFile.schedule;
  const planNow = () => {
    let progress: Progress | undefined;
    const planned = planRota({
      roster,
      previous,
      now,
      rebalance: options.rebalance === true,
      onProgress: (_done, total) => {
        progress ??= startProgress(ctx, "planning occurrences", total);
        progress.tick(256);
      },
    });
    progress?.done();
    return planned;
  };
  if (options.check) {
    const checked = check(roster, scheduleFile, now, planNow, options.failOnGaps === true);
    return { checked: printCheck(ctx, format, scheduleFile.file, checked) };
  }
  const plan = planNow();
  const file = scheduleFile.file;
  const window = viewWindow(options, roster, plan);
  const text = renderSchedule(plan.schedule);
  // Compared with the file's bytes, not its reading: a schedule written before
  // rota counted its entries (or edited by hand) is written out as rota writes it.
  const changed = text !== scheduleFile.text || !scheduleFile.exists;
  if (!options.dryRun && changed) {
    await assertLocked?.();
    await writeScheduleFile(scheduleFile.path, plan.schedule, text, scheduleFile.file);
  }
  // Nothing to change and nothing to warn about: the same inputs plan the same.
  const key =
    view &&
    !changed &&
    loaded.problems.length === 0 &&
    loaded.bytes !== undefined &&
    scheduleFile.bytes !== undefined
      ? keyOf(loaded.bytes, scheduleFile.bytes, await view)
      : undefined;
  const record = key ? { key, zone: roster.timezone, now } : undefined;
  return { roster, plan, window, changed, file, ...(record ? { record } : {}) };
}

/** Shows the plan made (plan.ts's runPlan), and keeps it where it may be replayed. */
export async function showPlan(
  ctx: Context,
  options: PlanOptions,
  planned: Exclude<Planned, { checked: number }>,
  asking: Promise<string | undefined>,
): Promise<number> {
  const format = formatOf(options);
  const { roster, plan, window, changed, file } = planned;
  // What is printed, kept when this plan may be replayed.
  const printed = { out: "", err: "" };
  const out = (text: string) => {
    printed.out += text;
    ctx.out(text);
  };
  const err = (text: string) => {
    printed.err += text;
    ctx.err(text);
  };
  const c = paint(ctx.color.stderr);
  const email = await asking;
  const me = email ? roster.people.find((p) => p.email?.toLowerCase() === email)?.id : undefined;
  const view = buildView(roster, plan.schedule, plan, window, me);
  if (format === "json") out(`${toJson(rotaJson(view))}\n`);
  else if (format === "md") out(renderRotaMarkdown(view));
  else {
    // Written part by part: see renderRotaTextParts.
    const style = paint(ctx.color.stdout);
    for (const part of renderRotaTextParts(view, style, { width: outputWidth(ctx.io) })) out(part);
  }

  const modified = plan.changes.filter((change) => change.before !== null);
  const added = plan.changes.length - modified.length;
  // The view's names: the same map of every person's id to their name.
  const names = view.names;
  if (modified.length > 0) {
    err(`${c.bold(`Changed (${modified.length})`)}\n`);
    const lines = renderChangesText(modified, names);
    for (const line of lines.slice(0, 30)) err(`  ${line}\n`);
    if (lines.length > 30) err(`  … and ${lines.length - 30} more\n`);
  }
  for (const line of renderMovesText(plan.moves, names)) err(`${line}\n`);
  const ahead = plan.schedule.entries.filter((e) => toDay(e.date) >= plan.from).length;
  // planned_until is the first day not planned: the summary names the last one planned.
  const until = plan.schedule.plannedUntil;
  const through = until === undefined ? "" : ` through ${fromDay(toDay(until) - 1)}`;
  const summary = `${plural(ahead, "shift")} planned${through}, ${plural(plan.gaps.length, "gap")}, ${plural(modified.length, "change")}${added > 0 ? `, ${added} new` : ""}`;
  const action = options.dryRun
    ? "dry run: nothing written"
    : changed
      ? `wrote ${file}`
      : `${file} unchanged`;
  err(`${summary}; ${action}\n`);
  const { record } = planned;
  if (record && record.now > plan.steady.from && record.now <= plan.steady.until) {
    await writeRecord(ctx, {
      key: record.key,
      zone: record.zone,
      from: plan.steady.from,
      until: plan.steady.until,
      ...printed,
    });
  }
  return 0;
}

/**
 * `--check`: the committed schedule against a plan made as of the day it was
 * planned on (see `plannedOn`), so that the days passing alone never make it
 * stale; where that plan changes something, the changes listed are those a
 * plan made now would make, which `rota plan` and a commit apply.
 */
function check(
  roster: Roster,
  file: { exists: boolean; schedule?: Schedule },
  now: number,
  planNow: () => PlanResult,
  failOnGaps: boolean,
): ScheduleCheck {
  const previous = file.schedule as Schedule;
  const today = dayOf(now, roster.timezone);
  const judge = (plan: PlanResult) =>
    checkSchedule({
      exists: file.exists,
      previous,
      today,
      changes: plan.changes,
      gaps: plan.gaps,
      planAheadDays: planAheadDays(roster),
      failOnGaps,
    });
  const day = file.exists ? plannedOn(previous, roster) : undefined;
  if (day === undefined || day >= today) return judge(planNow());
  // The last moment of that day: whatever started on it had started when it was planned.
  const then = startOfDay(day + 1, roster.timezone) - 1;
  const planThen = planRota({ roster, previous, now: then });
  const asPlanned = judge(planThen);
  // A change on any day, one since passed too (a newcomer's first shift in
  // the days since, say), is the roster's: what it changes now is a plan made now's.
  return asPlanned.stale || planThen.changes.length > 0 ? judge(planNow()) : asPlanned;
}

function printCheck(ctx: Context, format: Format, file: string, result: ScheduleCheck): number {
  if (format === "json") {
    ctx.out(`${toJson(checkJson(result))}\n`);
  } else if (format === "md") {
    ctx.out(renderCheckMarkdown(file, result));
  } else {
    const { out, err } = renderCheckText(file, result, { width: outputWidth(ctx.io) });
    ctx.out(out);
    ctx.err(err);
  }
  return result.ok ? 0 : 1;
}
