import type { Context } from "../context.ts";
import { hasErrors, plural } from "../core/problems.ts";
import { readRosterFile } from "../io/roster-file.ts";
import { printProblems } from "../io/terminal.ts";

export interface ValidateOptions {
  json?: boolean;
}

/** `rota validate`: every problem in the roster, exit 2 when any is an error. */
export async function runValidate(ctx: Context, options: ValidateOptions): Promise<number> {
  const { file, roster, problems } = await readRosterFile(ctx);
  if (options.json) {
    ctx.out(`${JSON.stringify(problems, null, 2)}\n`);
  } else if (problems.length > 0) {
    printProblems(ctx, problems, file);
  }
  if (hasErrors(problems) || !roster) return 2;
  if (!options.json) {
    ctx.err(
      `${file} is valid: ${plural(roster.shifts.length, "shift")}, ${plural(roster.people.length, "person", "people")}\n`,
    );
  }
  return 0;
}
