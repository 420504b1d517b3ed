import type { Stats } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { fixesPath } from "./fixes-file.ts";
import { kindOf } from "./reach.ts";
import { schedulePath } from "./schedule-file.ts";

/**
 * Where a command may write: `--out` and `--invites` name a directory or a
 * file that rota then replaces, so each is checked before anything is
 * rendered. rota never replaces a device, a FIFO or a socket (a rename over
 * /dev/full would swap the device for a plain file), a directory with a file
 * or a file with a directory, nor the roster, the schedule, fixes.yaml or a
 * file the command reads (a report's --tickets export), and writes no file
 * inside notes/ or .git.
 */

/** A file rota must never write over, and what it is ("the roster"). */
export interface Protected {
  path: string;
  what: string;
}

/**
 * The team's own records beside the roster: the roster, the schedule and the
 * fixes' statuses (fixes.yaml), none of which an output may replace.
 */
export function protectedFiles(ctx: Context): Protected[] {
  return [
    { path: ctx.rosterPath, what: "the roster" },
    { path: schedulePath(ctx), what: "the schedule" },
    { path: fixesPath(ctx.rosterPath), what: "fixes.yaml, where the fixes' statuses are kept" },
  ];
}

async function statOrMissing(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/**
 * The nearest existing directory above a path that does not exist, or the
 * first ancestor that exists but is not a directory (then `blocked`).
 */
async function nearestAncestor(
  file: string,
): Promise<{ dir: string; blocked?: undefined } | { dir: string; blocked: Stats }> {
  let dir = path.dirname(file);
  for (;;) {
    const stats = await statOrMissing(dir);
    if (stats) return stats.isDirectory() ? { dir } : { dir, blocked: stats };
    const parent = path.dirname(dir);
    if (parent === dir) return { dir };
    dir = parent;
  }
}

/** The real path of a file that may not exist yet: its nearest existing directory resolved. */
export async function realPathOf(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    const parent = path.dirname(file);
    if (parent === file) return file;
    return path.join(await realPathOf(parent), path.basename(file));
  }
}

/** Which protected file a path is, if any (compared by real path, so links do not hide it). */
export async function protectedAt(
  file: string,
  protect: readonly Protected[],
): Promise<Protected | undefined> {
  const real = await realPathOf(file);
  for (const entry of protect) {
    if ((await realPathOf(entry.path)) === real) return entry;
  }
  return undefined;
}

/**
 * Checks a directory given to `flag` (or chosen by default): it must be a
 * directory, or not exist yet below a directory. Throws a UsageError that
 * says what is there instead.
 */
export async function checkOutputDirectory(
  ctx: Context,
  dir: string,
  flag: string,
  given: string | undefined,
  options: { writesNotes?: boolean } = {},
): Promise<void> {
  const label = given === undefined ? ctx.display(dir) : `${flag} ${given}`;
  // What goes in the directory goes in notes/ or .git if the directory is in
  // one; the site also writes a notes/ of its own, which must not be the
  // field notes' folder.
  const within =
    (await protectedFolderOf(ctx, path.join(dir, "x"))) ??
    (options.writesNotes ? await protectedFolderOf(ctx, path.join(dir, "notes", "x")) : undefined);
  if (within) {
    throw new UsageError(
      `${label}: its files would be ${within}; choose a directory outside it (e.g. public/)`,
    );
  }
  const stats = await statOrMissing(dir);
  if (stats) {
    if (stats.isDirectory()) return;
    throw new UsageError(`${label}: it is ${kindOf(stats)}, not a directory`);
  }
  const above = await nearestAncestor(dir);
  if (above.blocked) {
    throw new UsageError(
      `${label}: ${ctx.display(above.dir)} is ${kindOf(above.blocked)}, not a directory`,
    );
  }
}

/** Whether a path as typed names a directory by its form: it ends with a slash. */
export function namesDirectory(given: string): boolean {
  return given.endsWith("/") || given.endsWith(path.sep);
}

/**
 * Checks a file given to `flag` that rota will replace: it must be a plain
 * file or not exist yet (below a directory), and be none of the team's
 * records nor a file the command reads (`inputs`), which the write would
 * replace before anyone noticed. A refusal suggests a file named
 * `exampleName` in the directory given.
 */
export async function checkOutputFile(
  ctx: Context,
  file: string,
  flag: string,
  given: string,
  inputs: readonly Protected[] = [],
  exampleName = "REPORT.md",
): Promise<void> {
  const label = `${flag} ${given}`;
  const within = await protectedFolderOf(ctx, file);
  if (within) throw new UsageError(`${label}: it is ${within}; choose a file outside it`);
  const stats = await statOrMissing(file);
  const example = `${given.replace(/[/\\]+$/, "")}/${exampleName}`;
  // `out/` asks for a directory: writing a file named `out` is not what was meant.
  if (namesDirectory(given) && !stats?.isDirectory()) {
    throw new UsageError(
      stats
        ? `${label}: it ends with a slash, so it names a directory, but ${ctx.display(file)} is ${kindOf(stats)}; name it without the slash to replace it, or name another file`
        : `${label}: it ends with a slash, so it names a directory; name a file in it, e.g. ${example}`,
    );
  }
  if (!stats) {
    const above = await nearestAncestor(file);
    if (above.blocked) {
      throw new UsageError(
        `${label}: ${ctx.display(above.dir)} is ${kindOf(above.blocked)}, not a directory`,
      );
    }
    return;
  }
  if (stats.isDirectory()) {
    throw new UsageError(`${label}: it is a directory; name a file in it, e.g. ${example}`);
  }
  if (!stats.isFile()) throw new UsageError(`${label}: it is ${kindOf(stats)}, not a file`);
  const hit = await protectedAt(file, [...protectedFiles(ctx), ...inputs]);
  if (hit) throw new UsageError(`${label}: it is ${hit.what}; choose another file`);
}

/**
 * The folder of rota's or git's own data a file to be written is in, if any:
 * the field notes (a report written there would replace a note, or be read as
 * one) or git's `.git` (compared by real path, so links do not hide them).
 */
export async function protectedFolderOf(ctx: Context, file: string): Promise<string | undefined> {
  const real = await realPathOf(file);
  if (real.split(path.sep).includes(".git")) return "inside .git, git's own folder";
  const notes = await realPathOf(path.join(path.dirname(ctx.rosterPath), "notes"));
  if (real.startsWith(`${notes}${path.sep}`)) {
    return `inside ${ctx.display(path.join(path.dirname(ctx.rosterPath), "notes"))}/, where the field notes are kept`;
  }
  return undefined;
}
