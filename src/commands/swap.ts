import { readFile } from "node:fs/promises";
import type { Context } from "../context.ts";
import { whyCannotCover } from "../core/plan/cover.ts";
import { type PlanInput, type PlanResult, planRota } from "../core/plan/planner.ts";
import { horizonProblem } from "../core/plan/window.ts";
import { renderChangesText } from "../core/render/rota.ts";
import { addSwapToRosterText } from "../core/roster/edit.ts";
import { checkLine, isRealDate, MAX_REASON, SLUG } from "../core/roster/formats.ts";
import type { Roster, Swap } from "../core/roster/model.ts";
import { parseRoster } from "../core/roster/parse.ts";
import { standingSwaps } from "../core/roster/swaps.ts";
import { servedBy, withinPlannedDays } from "../core/schedule/schedule.ts";
import { didYouMean } from "../core/suggest.ts";
import { FailedError, InputError, InterruptedError, UsageError } from "../errors.ts";
import { loadRoster } from "../io/roster-file.ts";
import { readScheduleFile, schedulePath, writeScheduleFile } from "../io/schedule-file.ts";
import { paint } from "../io/terminal.ts";
import { writeFileSafely } from "../io/write.ts";

/** How many times the roster is read before rota gives up on one that keeps changing under it. */
const MAX_ROSTER_READS = 5;

/** The roster on disk is no longer the one the swap was planned from: written since by someone else. */
class RosterChanged extends Error {
  constructor(readonly file: string) {
    super(`${file} changed since it was read`);
  }
}

export interface SwapOptions {
  reason?: string;
  /** Record who served an occurrence that has started, in place of `out`. */
  cover?: boolean;
}

function checkArguments(
  roster: Roster,
  occurrence: string,
  out: string,
  incoming: string,
  occurrences: readonly string[],
) {
  const match = /^(\d{4}-\d{2}-\d{2})\/([^/]+)$/.exec(occurrence);
  if (!match || !isRealDate(match[1] as string)) {
    const suggestion = didYouMean(occurrence, occurrences);
    if (suggestion) throw new UsageError(`${occurrence} is not in the schedule${suggestion}`);
    throw new UsageError(
      `"${occurrence}" is not an occurrence id; use <date>/<shift>, e.g. 2026-12-03/${roster.shifts[0]?.id ?? "emea"} (see \`rota plan\`)`,
    );
  }
  const [, date, shift] = match as unknown as [string, string, string];
  const shiftIds = roster.shifts.map((s) => s.id);
  if (!shiftIds.includes(shift)) {
    throw new UsageError(`unknown shift "${shift}"${didYouMean(shift, shiftIds)}`);
  }
  const ids = roster.people.map((p) => p.id);
  for (const [role, id] of [
    ["out", out],
    ["in", incoming],
  ] as const) {
    if (!SLUG.test(id) || !ids.includes(id)) {
      throw new UsageError(`${role}: unknown person "${id}"${didYouMean(id, ids)}`);
    }
  }
  if (out === incoming) throw new UsageError(`"${out}" cannot swap with themselves`);
  return { date, shift };
}

/**
 * `rota swap <occurrence> <out> <in>`: checks that `in` can take the shift,
 * records the swap under `swaps:` in the roster (keeping its comments and
 * layout), replans and prints what changed.
 */
export async function runSwap(
  ctx: Context,
  occurrence: string,
  out: string,
  incoming: string,
  options: SwapOptions,
): Promise<number> {
  // The reason goes into the roster: refused here as the roster would refuse it.
  const reasonProblem =
    options.reason !== undefined ? checkLine(options.reason, MAX_REASON) : undefined;
  if (reasonProblem) throw new UsageError(`--reason ${reasonProblem}`);
  // The roster's lock, then the schedule's (the order every rota takes
  // them in), held from reading both to writing both: a swap or plan
  // running at the same time waits, and then plans from this swap.
  const { withFileLocks } = await import("../io/lock.ts");
  const swapped = await withFileLocks(ctx, [ctx.rosterPath, schedulePath(ctx)], async (check) => {
    // An editor saving the roster does not wait for rota's lock: a roster
    // changed while the swap was planned is read and planned again.
    for (let tries = 1; ; tries++) {
      try {
        return await recordSwap(ctx, occurrence, out, incoming, options, check);
      } catch (error) {
        if (!(error instanceof RosterChanged)) throw error;
        if (tries === MAX_ROSTER_READS) {
          throw new FailedError(
            `${error.file} kept changing while rota recorded the swap (${tries} times), so nothing was written: run the command again once it is left alone`,
          );
        }
        ctx.err(`${error.file} changed while the swap was planned: planning it again from it\n`);
      }
    }
  });
  const { roster, next, file, scheduleFile } = swapped;
  const c = paint(ctx.color.stdout);
  const names = new Map(roster.people.map((p) => [p.id, p.name]));
  if (options.cover) {
    ctx.out(
      `${c.bold(`Covered ${occurrence}: ${names.get(incoming)} served instead of ${names.get(out)}`)}\n`,
    );
    ctx.err(
      `recorded in ${file} and ${scheduleFile} (served: ${incoming}); the plan for it is unchanged; commit both\n`,
    );
    return 0;
  }
  // The swapped occurrence's change is the line above: its reason, the swap, goes unsaid.
  const swapReason = `${incoming} serves instead of ${out}: a swap in the roster`;
  const changes = next.changes
    .filter((change) => change.before !== null)
    .map((change) =>
      change.id === occurrence
        ? { ...change, reasons: change.reasons.filter((r) => !r.startsWith(swapReason)) }
        : change,
    );
  ctx.out(`${c.bold(`Swapped ${occurrence}: ${names.get(out)} → ${names.get(incoming)}`)}\n`);
  for (const line of renderChangesText(changes, names)) ctx.out(`  ${line}\n`);
  ctx.err(`recorded in ${file} and replanned ${scheduleFile}; commit both\n`);
  return 0;
}

/** Checks the swap, writes it into the roster and the new plan into schedule.yaml. */
async function recordSwap(
  ctx: Context,
  occurrence: string,
  out: string,
  incoming: string,
  options: SwapOptions,
  check: () => Promise<void>,
): Promise<{ roster: Roster; next: PlanResult; file: string; scheduleFile: string }> {
  const loaded = await loadRoster(ctx);
  const { roster, now } = loaded;
  const beyond = horizonProblem(roster, now);
  if (beyond) throw new UsageError(beyond);
  const scheduleFile = await readScheduleFile(ctx);
  if (!scheduleFile.schedule) throw new InputError(scheduleFile.problems);
  // A swap replans only the days the schedule had planned: without one it
  // would plan the whole horizon, which is `rota plan`'s to do (and review).
  if (!scheduleFile.exists) {
    throw new UsageError(
      `${scheduleFile.file} does not exist: run \`rota plan\` and commit it first; a swap replans only the days it has planned`,
    );
  }
  const previous = scheduleFile.schedule;
  const known = previous.entries.map((e) => e.id);
  const { date, shift } = checkArguments(roster, occurrence, out, incoming, known);

  const current = planRota({ roster, previous, now });
  const entry = current.schedule.entries.find((e) => e.id === occurrence);
  if (!entry) {
    throw new UsageError(
      `${occurrence} is not a planned occurrence: see \`rota plan\` for the shifts you can swap`,
    );
  }
  if (options.cover) {
    return recordCover(
      ctx,
      loaded,
      scheduleFile,
      current,
      { date, shift, occurrence },
      out,
      incoming,
      options,
      check,
    );
  }
  // Started as `rota who` and covers have it: from its first instant on.
  if (!current.choices.has(occurrence) || Date.parse(entry.start) <= now) {
    throw new UsageError(
      `${occurrence} has already started, so the plan for it stays as it was; to record who served instead, run \`rota swap --cover ${occurrence} ${out} ${incoming}\``,
    );
  }
  if (!entry.people.includes(out)) {
    const on = entry.people.length > 0 ? entry.people.join(", ") : "nobody";
    throw new UsageError(`${out} is not on ${occurrence} (on it: ${on})`);
  }
  if (entry.people.includes(incoming))
    throw new UsageError(`${incoming} is already on ${occurrence}`);
  const start = Date.parse(entry.start);
  const end = Date.parse(entry.end);
  const clash = current.schedule.entries.find(
    (e) =>
      e.id !== occurrence &&
      e.people.includes(incoming) &&
      Date.parse(e.start) < end &&
      start < Date.parse(e.end),
  );
  if (clash)
    throw new UsageError(`${incoming} is on ${clash.id} at the same time; swap that one first`);
  // On the occurrence, yet swapped out of it by the roster: that swap could not apply.
  const standing = standingSwaps(
    (roster.swaps ?? []).filter((s) => s.date === date && s.shift === shift),
  ).out.get(out);
  if (standing) {
    throw new UsageError(
      `${out} stays on ${occurrence} because the roster's swap of ${out} → ${standing.in} on it cannot apply; remove that swap from \`swaps:\` in ${loaded.file} first`,
    );
  }

  const swap: Swap = { date, shift, out, in: incoming, ...reasonOf(options) };
  const { text, roster: swapped, next } = planWithSwap(loaded, swap, previous, now);
  const refusal = next.warnings.find(
    (w) => w.id === occurrence && w.message.startsWith(`swap ${out} → ${incoming}`),
  );
  if (refusal)
    throw new UsageError(
      refusal.message
        .replace(/^swap .*? cannot apply: /, `${incoming} cannot take ${occurrence}: `)
        .replace(/; \S+ stays on it$/, ""),
    );
  const after = next.schedule.entries.find((e) => e.id === occurrence);
  if (!after?.people.includes(incoming) || after.people.includes(out)) {
    throw new UsageError(`${incoming} cannot take ${occurrence}`);
  }

  await check();
  await writeBoth(
    ctx,
    loaded,
    text,
    scheduleFile,
    () => withinPlannedDays(next.schedule, previous, date),
    "the swap",
  );
  return { roster: swapped, next, file: loaded.file, scheduleFile: scheduleFile.file };
}

/**
 * Writes the roster with the swap, then the schedule replanned from it. Each
 * write is whole or not at all; where the schedule cannot be written (a full
 * disk), the roster is put back as it was, so that the two never disagree
 * and running the command again does the whole of it. A Ctrl-C or SIGTERM
 * meanwhile waits until both are written (or the roster is put back), then
 * stops the command (exit 130) saying so.
 */
async function writeBoth(
  ctx: Context,
  loaded: Awaited<ReturnType<typeof loadRoster>>,
  text: string,
  scheduleFile: { path: string; file: string },
  schedule: () => Parameters<typeof writeScheduleFile>[1],
  what: string,
): Promise<void> {
  const { holdingSignals } = await import("../io/signals.ts");
  const stopped = await holdingSignals(async (interrupted) => {
    await writeRosterAndSchedule(ctx, loaded, text, scheduleFile, schedule);
    return interrupted();
  });
  if (stopped) {
    throw new InterruptedError(
      `interrupted after ${what} was recorded in ${loaded.file} and ${scheduleFile.file}; commit both`,
    );
  }
}

/** writeBoth's writes, a signal held off or not. */
async function writeRosterAndSchedule(
  ctx: Context,
  loaded: Awaited<ReturnType<typeof loadRoster>>,
  text: string,
  scheduleFile: { path: string; file: string },
  schedule: () => Parameters<typeof writeScheduleFile>[1],
): Promise<void> {
  const before = await readFile(ctx.rosterPath, "utf8");
  // Written over, an edit saved meanwhile would be gone (and "put back" below would keep it out).
  if (before !== (loaded.bom ? `\ufeff${loaded.text}` : loaded.text)) {
    throw new RosterChanged(loaded.file);
  }
  await writeFileSafely(ctx.rosterPath, loaded.bom ? `\ufeff${text}` : text, loaded.file);
  try {
    const next = schedule();
    await writeScheduleFile(scheduleFile.path, next, undefined, scheduleFile.file);
  } catch (error) {
    if (!(error instanceof FailedError)) throw error;
    try {
      await writeFileSafely(ctx.rosterPath, before, loaded.file);
    } catch {
      throw new FailedError(
        `${error.message}\n${loaded.file} holds the swap already but schedule.yaml does not: run \`rota plan\` once there is room`,
      );
    }
    throw new FailedError(
      `${error.message}\n${loaded.file} was put back as it was: nothing changed`,
    );
  }
}

function reasonOf(options: SwapOptions): { reason?: string } {
  return options.reason ? { reason: options.reason } : {};
}

/** The roster's text with the swap added, the roster read back from it, and the plan made from it. */
function planWithSwap(
  loaded: Awaited<ReturnType<typeof loadRoster>>,
  swap: Swap,
  previous: PlanInput["previous"],
  now: number,
): { text: string; roster: Roster; next: PlanResult } {
  const text = addSwapToRosterText(loaded.text, swap);
  const reparsed = parseRoster(text, loaded.file, { now });
  if (!reparsed.roster) {
    // The roster read well and the swap was checked: the edit is at fault, and
    // its problems are at lines of text the file on disk does not have.
    const first = reparsed.problems[0];
    const said = first ? ` (line ${first.line} of the edited text: ${first.message})` : "";
    throw new Error(
      `the roster with the swap added does not read back${said}; ${loaded.file} is left as it was`,
    );
  }
  return {
    text,
    roster: reparsed.roster,
    next: planRota({ roster: reparsed.roster, previous, now }),
  };
}

/**
 * A cover: `incoming` served a started occurrence in `out`'s place. It is
 * kept under `swaps:` like any swap; replanning leaves the plan for the
 * occurrence as it was and records who served (`served` in schedule.yaml).
 */
async function recordCover(
  ctx: Context,
  loaded: Awaited<ReturnType<typeof loadRoster>>,
  scheduleFile: Awaited<ReturnType<typeof readScheduleFile>>,
  current: PlanResult,
  where: { date: string; shift: string; occurrence: string },
  out: string,
  incoming: string,
  options: SwapOptions,
  check: () => Promise<void>,
): Promise<{ roster: Roster; next: PlanResult; file: string; scheduleFile: string }> {
  const { roster, now } = loaded;
  const { date, shift, occurrence } = where;
  const entries = current.schedule.entries;
  const entry = entries.find((e) => e.id === occurrence);
  if (!entry) {
    throw new UsageError(
      `${occurrence} is not in the schedule${didYouMean(
        occurrence,
        entries.map((e) => e.id),
      )}`,
    );
  }
  const refusal = whyCannotCover(roster, entries, entry, out, incoming, now);
  if (refusal) throw new UsageError(`cannot record the cover of ${occurrence}: ${refusal}`);
  const swap: Swap = { date, shift, out, in: incoming, ...reasonOf(options) };
  const previous = scheduleFile.schedule as NonNullable<typeof scheduleFile.schedule>;
  const { text, roster: swapped, next } = planWithSwap(loaded, swap, previous, now);
  const after = next.schedule.entries.find((e) => e.id === occurrence);
  if (!after || !servedBy(after).includes(incoming) || servedBy(after).includes(out)) {
    throw new UsageError(`cannot record the cover of ${occurrence}: the plan did not take it`);
  }
  await check();
  await writeBoth(
    ctx,
    loaded,
    text,
    scheduleFile,
    () => withinPlannedDays(next.schedule, previous, date),
    "the cover",
  );
  return { roster: swapped, next, file: loaded.file, scheduleFile: scheduleFile.file };
}
