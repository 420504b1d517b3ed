import { lstatSync } from "node:fs";
import path from "node:path";
import type { Context } from "../context.ts";
import { toJson } from "../core/controls.ts";
import { parseIsoInstant } from "../core/instant.ts";
import { hasErrors, type Problem, plural, sortProblems } from "../core/problems.ts";
import type { Roster, Swap } from "../core/roster/model.ts";
import {
  offShiftMessage,
  ontoShiftMessage,
  swapOccurrence,
  swapsNotApplied,
  swapsOffShift,
  swapsOntoShift,
} from "../core/roster/swaps.ts";
import { type Schedule, seatsTwice, seatTwiceMessage } from "../core/schedule/schedule.ts";
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
  const now = roster ? resolveNow(ctx, roster.timezone) : undefined;
  const template = roster ? await templateProblems(ctx, roster, read.text, file) : [];
  const schedule = roster ? await readScheduleFile(ctx) : undefined;
  const offShift =
    roster && schedule?.schedule && now !== undefined
      ? await swapsOffShiftProblems(roster, schedule.schedule, now, read.text, file)
      : [];
  const twice =
    schedule?.schedule && schedule.text !== undefined && now !== undefined
      ? await seatsTwiceProblems(schedule.schedule, now, schedule.text, schedule.file)
      : [];
  // Each file's problems under it: the roster's (notes.template's line among
  // them, and the swaps the schedule shows doing nothing), the template's own, the schedule's.
  const byFile: [string, Problem[]][] = [
    [
      file,
      sortProblems([
        ...read.problems,
        ...template.filter((problem) => problem.file === file),
        ...offShift,
      ]),
    ],
  ];
  const inTemplate = template.filter((problem) => problem.file !== file);
  if (inTemplate.length > 0) byFile.push([(inTemplate[0] as Problem).file, inTemplate]);
  if (schedule) byFile.push([schedule.file, sortProblems([...schedule.problems, ...twice])]);
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
 * Swaps still to come whose `out` schedule.yaml does not have on the
 * occurrence: warnings at the swap's `out`, as `rota plan` gives them.
 */
async function swapsOffShiftProblems(
  roster: Roster,
  schedule: Schedule,
  now: number,
  text: string,
  file: string,
): Promise<Problem[]> {
  const swaps = roster.swaps ?? [];
  if (swaps.length === 0) return [];
  // Occurrences that have started are history: a swap there is a cover.
  const ahead = new Map(
    schedule.entries
      .filter((entry) => (parseIsoInstant(entry.start) ?? Number.NEGATIVE_INFINITY) >= now)
      .map((entry) => [entry.id, entry.people] as const),
  );
  const off = swapsOffShift(swaps, (id) => ahead.get(id));
  const onto = swapsOntoShift(swaps, (id) => ahead.get(id));
  const unapplied = swapsNotApplied(swaps, (id) => ahead.get(id));
  // Whether those apply is the planner's to say: it runs only where one is waiting.
  const failing =
    unapplied.length > 0 ? await swapsThatCannotApply(roster, schedule, now, unapplied) : [];
  if (off.length === 0 && onto.length === 0 && failing.length === 0) return [];
  const { parseYaml } = await import("../core/yaml.ts");
  const parsed = parseYaml(text, file);
  const warning = (swap: Swap, key: "out" | "in", message: string): Problem => {
    const at = parsed.ok
      ? parsed.yaml.locate(["swaps", swaps.indexOf(swap), key])
      : { line: 1, col: 1 };
    return { file, ...at, severity: "warning", message };
  };
  return [
    ...off.map((found) => warning(found.swap, "out", offShiftMessage(found))),
    ...onto.map((found) => warning(found.swap, "in", ontoShiftMessage(found))),
    ...failing.map((found) => warning(found.swap, "in", found.message)),
  ];
}

/**
 * Of swaps schedule.yaml does not show applied yet (`swapsNotApplied`), those
 * `rota plan` would not apply either (`in` is away, holds no role the seat
 * needs, is on another shift at the time…), each with the planner's warning.
 */
async function swapsThatCannotApply(
  roster: Roster,
  schedule: Schedule,
  now: number,
  unapplied: readonly Swap[],
): Promise<{ swap: Swap; message: string }[]> {
  const { planRota } = await import("../core/plan/planner.ts");
  const { warnings } = planRota({ roster, previous: schedule, now });
  const found: { swap: Swap; message: string }[] = [];
  for (const swap of unapplied) {
    const said = `swap ${swap.out} → ${swap.in} on ${swapOccurrence(swap)} cannot apply: `;
    const warning = warnings.find((each) => each.message.startsWith(said));
    if (warning) found.push({ swap, message: warning.message });
  }
  return found;
}

/**
 * People schedule.yaml lists in two seats of one occurrence (a hand edit):
 * warnings at the second seat. `rota plan` fills it again while the
 * occurrence is to come; once it has started, the person served it once.
 */
async function seatsTwiceProblems(
  schedule: Schedule,
  now: number,
  text: string,
  file: string,
): Promise<Problem[]> {
  const found = seatsTwice(schedule.entries);
  if (found.length === 0) return [];
  const { parseYaml } = await import("../core/yaml.ts");
  const parsed = parseYaml(text, file);
  return found.map((twice) => {
    const at = parsed.ok
      ? parsed.yaml.locate(["shifts", twice.index, "people", twice.seat])
      : { line: 1, col: 1 };
    const started = (parseIsoInstant(twice.entry.start) ?? Number.NEGATIVE_INFINITY) < now;
    return { file, ...at, severity: "warning" as const, message: seatTwiceMessage(twice, started) };
  });
}

/** Whether a path names anything, a dangling link included (missing as `rota notes` reads it: ENOENT or ENOTDIR). */
function present(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== "ENOENT" && code !== "ENOTDIR";
  }
}

/**
 * The notes template `rota notes` would use after a shift: the roster's own
 * (`notes.template`), else `notes/TEMPLATE.md` beside the roster. Where the
 * roster names one, missing, outside the repository or unreadable is a
 * problem at that line; the template's own problems are reported in its file.
 */
async function templateProblems(
  ctx: Context,
  roster: Roster,
  text: string,
  file: string,
): Promise<Problem[]> {
  // Without a template of the team's own, rota's built-in one is used, which
  // needs no check: the template reader (and its YAML library) stays unloaded.
  const team = path.join(path.dirname(ctx.rosterPath), "notes", "TEMPLATE.md");
  if (!roster.notes?.template && !present(team)) return [];
  const { loadNotesTemplate } = await import("../io/notes-file.ts");
  try {
    await loadNotesTemplate(ctx, roster, { file, text });
    return [];
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
}
