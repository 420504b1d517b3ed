import type { Context } from "../context.ts";
import { toJson } from "../core/controls.ts";
import { hasErrors, type Problem, plural } from "../core/problems.ts";
import type { Roster } from "../core/roster/model.ts";
import { InputError } from "../errors.ts";
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
  const read = await readRosterFile(ctx, {
    now: (zone) => resolveNow(ctx, zone),
  });
  const { file, roster } = read;
  // A bad --now/ROTA_NOW is a usage error even when no check needed it.
  if (roster) resolveNow(ctx, roster.timezone);
  const template = roster ? await templateProblems(ctx, roster, read.text, file) : [];
  const schedule = roster ? await readScheduleFile(ctx) : undefined;
  // Each file's problems under it: the roster's (notes.template's line among
  // them), the template's own, the schedule's.
  const byFile: [string, Problem[]][] = [
    [file, [...read.problems, ...template.filter((problem) => problem.file === file)]],
  ];
  const inTemplate = template.filter((problem) => problem.file !== file);
  if (inTemplate.length > 0) byFile.push([(inTemplate[0] as Problem).file, inTemplate]);
  if (schedule) byFile.push([schedule.file, schedule.problems]);
  const all = byFile.flatMap(([, problems]) => problems);
  if (options.json) {
    ctx.out(`${toJson(all)}\n`);
  } else if (all.length > 0) {
    const { printProblems } = await import("../io/terminal.ts");
    for (const [shown, problems] of byFile)
      if (problems.length > 0) printProblems(ctx, problems, shown);
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

/**
 * The roster's own notes template (`notes.template`), where it names one:
 * missing, outside the repository or unreadable is a problem at that line,
 * and the template's own problems are reported in its file, as `rota notes`
 * would meet them after a shift.
 */
async function templateProblems(
  ctx: Context,
  roster: Roster,
  text: string,
  file: string,
): Promise<Problem[]> {
  if (!roster.notes?.template) return [];
  const { loadNotesTemplate } = await import("../io/notes-file.ts");
  try {
    await loadNotesTemplate(ctx, roster, { file, text });
    return [];
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
}
