import { type Context, createContext, type Io } from "./context.ts";
import { checkReachable } from "./io/reach.ts";

/** The options every command takes (`rota --help` lists them). */
export interface GlobalOptions {
  directory?: string;
  roster?: string;
  schedule?: string;
  now?: string;
  color: boolean;
}

/**
 * The context a command runs in, from the global options. The paths given to
 * -C, --roster and --schedule are checked first (`init` and `schema` read no
 * roster): one that cannot be followed is a usage error naming it.
 */
export function commandContext(io: Io, options: GlobalOptions, command: string): Context {
  const context = createContext(io, {
    dir: options.directory,
    roster: options.roster,
    schedule: options.schedule,
    now: options.now,
    color: options.color,
  });
  checkPaths(context, options, !["init", "schema"].includes(command));
  return context;
}

/**
 * The paths given to -C, --roster and --schedule, checked before any command
 * reads, locks or writes there: one that cannot be followed (a loop of links,
 * too long, a file on the way) is a usage error naming it.
 */
function checkPaths(ctx: Context, options: GlobalOptions, readsRoster: boolean): void {
  if (options.directory !== undefined) {
    checkReachable(ctx.cwd, `-C ${options.directory}`, ctx.display, { directory: true });
  }
  if (!readsRoster) return;
  const roster =
    options.roster === undefined ? ctx.display(ctx.rosterPath) : `--roster ${options.roster}`;
  checkReachable(ctx.rosterPath, roster, ctx.display);
  if (ctx.schedulePath !== undefined) {
    checkReachable(ctx.schedulePath, `--schedule ${options.schedule}`, ctx.display);
  }
}
