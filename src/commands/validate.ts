import type { Context } from "../context.ts";
import { toJson } from "../core/controls.ts";
import { hasErrors, plural } from "../core/problems.ts";
import { prepareClock, resolveNow } from "../io/clock.ts";
import { readRosterFile } from "../io/roster-file.ts";
import { readScheduleFile } from "../io/schedule-file.ts";

export interface ValidateOptions {
  json?: boolean;
}

/**
 * `rota validate`: every problem in the roster (and in schedule.yaml, when it
 * exists), exit 2 when any is an error.
 */
export async function runValidate(ctx: Context, options: ValidateOptions): Promise<number> {
  await prepareClock(ctx);
  const { file, roster, problems } = await readRosterFile(ctx, {
    now: (zone) => resolveNow(ctx, zone),
  });
  // A bad --now/ROTA_NOW is a usage error even when no check needed it.
  if (roster) resolveNow(ctx, roster.timezone);
  const schedule = roster ? await readScheduleFile(ctx) : undefined;
  const all = [...problems, ...(schedule?.problems ?? [])];
  if (options.json) {
    ctx.out(`${toJson(all)}\n`);
  } else if (all.length > 0) {
    const { printProblems } = await import("../io/terminal.ts");
    if (problems.length > 0) printProblems(ctx, problems, file);
    if (schedule && schedule.problems.length > 0)
      printProblems(ctx, schedule.problems, schedule.file);
  }
  if (hasErrors(all) || !roster) return 2;
  if (!options.json) {
    const checked = schedule?.exists ? ` (and ${schedule.file})` : "";
    ctx.err(
      `${file}${checked} is valid: ${plural(roster.shifts.length, "shift")}, ${plural(roster.people.length, "person", "people")}\n`,
    );
  }
  return 0;
}
