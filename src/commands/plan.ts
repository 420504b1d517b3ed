import path from "node:path";
import type { Context } from "../context.ts";
import { MAX_ROSTER_BYTES } from "../core/roster/formats.ts";
import { UsageError } from "../errors.ts";
import { prepareClock, resolveNow } from "../io/clock.ts";
import { readUserFile } from "../io/files.ts";
import { gitUserEmail } from "../io/git-email.ts";
import { checkReadInside, isInside, repositoryOf } from "../io/inside.ts";
import { keyOf, type PlanRecord, readRecord } from "../io/plan-cache.ts";
import { MAX_SCHEDULE_BYTES, schedulePath } from "../io/schedule-file.ts";
import { outputWidth } from "../io/width.ts";
import type { Planned } from "./plan-full.ts";

/*
 * `rota plan`: its options, and the replay of a plan whose inputs have not
 * changed (io/plan-cache.ts). Planning itself, and showing the rota, are in
 * plan-full.ts, loaded only when there is no record to replay: the planner
 * and the roster's reader are most of what a replay would otherwise load.
 */

export interface PlanOptions {
  json?: boolean;
  format?: string;
  from?: string;
  until?: string;
  weeks?: string;
  check?: boolean;
  failOnGaps?: boolean;
  dryRun?: boolean;
  rebalance?: boolean;
}

const FORMATS = ["terminal", "md", "json"] as const;
export type Format = (typeof FORMATS)[number];

/** --format, else --json, else the terminal; the two given at odds are refused, as `rota report` does. */
export function formatOf(options: PlanOptions): Format {
  const format = options.format ?? (options.json ? "json" : "terminal");
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be terminal, md or json, not "${format}"`);
  }
  if (options.json && format !== "json") {
    throw new UsageError(`--json and --format ${format} disagree: pass one of them`);
  }
  return format as Format;
}

/**
 * --weeks as a number: digits alone, 1 to 520 (ten years), as --before's
 * counts are written. `Number` would take `0x10` as 16, `1e1` as 10 and
 * ` 8`, `+8` or `8.0` as 8: the window shown would not be the one typed.
 */
export function weeksOf(options: PlanOptions): number | undefined {
  const text = options.weeks;
  if (text === undefined) return undefined;
  const weeks = /^[1-9]\d{0,2}$/.test(text) ? Number(text) : 0;
  if (weeks < 1 || weeks > 520) {
    throw new UsageError(
      `--weeks takes a whole number of weeks from 1 to 520, in digits (e.g. --weeks 4), not "${text}"`,
    );
  }
  return weeks;
}

/**
 * How the output is asked for, beside the inputs, for plan-cache.ts; undefined
 * when the command is not one a record may answer (`--check`, another window,
 * `--rebalance`).
 */
function viewOf(
  ctx: Context,
  options: PlanOptions,
  format: Format,
  email: Promise<string | undefined>,
): Promise<Record<string, unknown>> | undefined {
  if (options.check || options.rebalance) return undefined;
  if (options.from !== undefined || options.until !== undefined || options.weeks !== undefined) {
    return undefined;
  }
  const view = {
    format,
    dryRun: options.dryRun === true,
    width: outputWidth(ctx.io) ?? null,
    color: ctx.color,
    roster: ctx.display(ctx.rosterPath),
    schedule: ctx.display(schedulePath(ctx)),
  };
  return email.then((value) => ({ ...view, email: value ?? null }));
}

/** The record of a plan with these same inputs, "now" within its steady span. */
async function replayable(
  ctx: Context,
  asked: Promise<Record<string, unknown>>,
): Promise<PlanRecord | undefined> {
  const record = await readRecord(ctx);
  if (!record) return undefined;
  const view = await asked;
  // The same checks as the readers make, in the same order: a roster or a
  // schedule read through a link out of the repository is refused either way.
  const repository = await repositoryOf(path.dirname(ctx.rosterPath));
  await checkReadInside(repository, ctx.rosterPath, "the roster");
  const roster = await readBytes(ctx.rosterPath, MAX_ROSTER_BYTES);
  const file = schedulePath(ctx);
  if (isInside(repository, file)) await checkReadInside(repository, file, "the schedule");
  const schedule = await readBytes(file, MAX_SCHEDULE_BYTES);
  if (roster === undefined || schedule === undefined) return undefined;
  if (keyOf(roster, schedule, view) !== record.key) return undefined;
  let now: number;
  try {
    await prepareClock(ctx);
    now = resolveNow(ctx, record.zone);
  } catch {
    // Planning says what is wrong with --now.
    return undefined;
  }
  return now > record.from && now <= record.until ? record : undefined;
}

/**
 * A file's bytes; undefined for anything unusual. Bytes that are not text
 * match no record: a record is kept only for a plan that read them as text.
 */
async function readBytes(file: string, limit: number): Promise<Uint8Array | undefined> {
  const read = await readUserFile(file, limit);
  return read.kind === "ok" ? read.bytes : undefined;
}

/**
 * `rota plan`: extends and repairs schedule.yaml, then shows the rota.
 * `--check` writes nothing and exits 1 when the committed schedule is stale
 * or has gaps (a pull-request gate).
 */
export async function runPlan(ctx: Context, options: PlanOptions): Promise<number> {
  const format = formatOf(options);
  if (options.failOnGaps && !options.check) {
    throw new UsageError("--fail-on-gaps goes with --check");
  }
  weeksOf(options);
  if (options.weeks !== undefined && options.until !== undefined) {
    // Both say where the window shown ends: one would be ignored.
    throw new UsageError("--weeks and --until both end the window shown: pass one of them");
  }
  const writes = !options.check && !options.dryRun;
  // Who is asking, for the terminal's "you" marks: git answers while the
  // roster is read and planned (it never fails: no answer is undefined).
  const asking =
    format === "terminal" && !options.check
      ? gitUserEmail(ctx.cwd).then((value) => value?.toLowerCase())
      : Promise.resolve(undefined);
  const asked = viewOf(ctx, options, format, asking);
  // A run that may write holds schedule.yaml's lock from reading the roster
  // and the schedule to writing the new plan, so that another rota (a swap,
  // another plan) cannot write in between and have its work overwritten.
  const planned = writes
    ? await (await import("../io/lock.ts")).withFileLocks(ctx, [schedulePath(ctx)], (check) =>
        replayOrPlan(ctx, options, asked, check),
      )
    : await replayOrPlan(ctx, options, asked);
  if ("replayed" in planned) {
    // As it was written the last time: rota's escaping is applied already.
    const { out, err } = planned.replayed;
    if (out.length > 0) ctx.io.stdout.write(out);
    if (err.length > 0) ctx.io.stderr.write(err);
    return 0;
  }
  if ("checked" in planned) return planned.checked;
  return (await import("./plan-full.ts")).showPlan(ctx, options, planned, asking);
}

/** The record of the same plan, when there is one to replay; else the plan, made. */
async function replayOrPlan(
  ctx: Context,
  options: PlanOptions,
  asked: Promise<Record<string, unknown>> | undefined,
  assertLocked?: () => Promise<void>,
): Promise<Planned | { replayed: PlanRecord }> {
  if (asked) {
    const replayed = await replayable(ctx, asked);
    if (replayed) return { replayed };
  }
  const { planAndWrite } = await import("./plan-full.ts");
  return planAndWrite(ctx, options, asked, assertLocked);
}
