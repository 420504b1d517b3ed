import path from "node:path";
import type { Context } from "../context.ts";
import { findConflicts } from "../core/conflict.ts";
import { formatProblem, type Problem, sortProblems } from "../core/problems.ts";
import {
  type FastRead,
  MAX_ROSTER_BYTES,
  needsClockCheck,
  readBlockRoster,
  readWellFormedRoster,
} from "../core/roster/fast.ts";
import type { Roster } from "../core/roster/model.ts";
import {
  decodeText,
  loneCarriageReturn,
  startsWithBom,
  textPosition,
  withLineFeeds,
} from "../core/text.ts";
import { InputError, UsageError } from "../errors.ts";
import { prepareClock, resolveNow } from "./clock.ts";
import { formatBytes, readUserFile } from "./files.ts";
import { checkReadInside, repositoryOf } from "./inside.ts";

export interface RosterFile {
  /** The roster as the user should read its path in messages. */
  file: string;
  /** The text read, for commands that rewrite it (swap keeps comments and layout). */
  text: string;
  /** Whether the file starts with a UTF-8 byte-order mark, which a rewrite keeps. */
  bom?: boolean;
  /** The bytes read, when they are text. */
  bytes?: Uint8Array;
  roster?: Roster;
  problems: Problem[];
}

/**
 * Reads and validates the context's roster. A missing file is a usage error
 * that says how to create one; problems inside the file are returned, not thrown.
 */
export async function readRosterFile(
  ctx: Context,
  options: { now?: number | ((zone: string) => number) } = {},
): Promise<RosterFile> {
  const file = ctx.display(ctx.rosterPath);
  const rosterDir = path.dirname(ctx.rosterPath);
  await checkReadInside(await repositoryOf(rosterDir), ctx.rosterPath, "the roster");
  const result = await readUserFile(ctx.rosterPath, MAX_ROSTER_BYTES);
  if (result.kind === "missing") {
    throw new UsageError(
      `${file} not found: run \`rota init\` to create a roster, or pass --roster FILE (or -C DIR)`,
    );
  }
  if (result.kind === "too-large") {
    return {
      file,
      text: "",
      problems: [
        {
          file,
          line: 1,
          col: 1,
          severity: "error",
          message: `the roster is ${formatBytes(result.size)}; rota reads rosters up to ${formatBytes(MAX_ROSTER_BYTES)}`,
        },
      ],
    };
  }
  const decoded = decodeText(result.bytes);
  if (!decoded.ok) {
    const { line, col, message } = decoded;
    return { file, text: "", problems: [{ file, line, col, severity: "error", message }] };
  }
  const bom = startsWithBom(result.bytes);
  // Line breaks of a carriage return alone (old Mac files) are line breaks, as
  // YAML 1.2 has them: the roster is read with line feeds there, at the same
  // lines and columns, and a warning says to save it with LF or CRLF, which
  // git and the tools around it read as lines too.
  const loneCr = loneCarriageReturn(decoded.text);
  const text = withLineFeeds(decoded.text);
  const lineBreaks: Problem[] =
    loneCr === -1
      ? []
      : [
          {
            file,
            ...textPosition(text, loneCr),
            severity: "warning",
            message:
              "this line ends with a carriage return alone (an old Mac line break), which rota reads as a line break but git and most tools do not; save the file with LF or CRLF line breaks",
          },
        ];
  // Conflict markers first: parts of a conflicted roster may still read as YAML.
  let read: FastRead | undefined;
  if (findConflicts(text).length === 0) {
    // Most rosters read line by line; js-yaml loads only for the others.
    read = readBlockRoster(text);
    read ??= (await import("../core/roster/read-fast.ts")).readFast(text);
  }
  // Which swaps are history needs only the day, so it is known for every command.
  await prepareClock(ctx);
  const swapsNow = options.now ?? ((zone: string) => resolveNow(ctx, zone));
  const fast = read && readWellFormedRoster(text, read, swapsNow);
  if (fast) {
    let clean = options.now === undefined || !needsClockCheck(fast);
    if (!clean) {
      // Only rosters with a shift time near a clock change load the zone data.
      const { shiftTimeProblems } = await import("../core/roster/clock-check.ts");
      clean = shiftTimeProblems(fast, options).length === 0;
    }
    if (clean) {
      return {
        file,
        text: decoded.text,
        bom,
        bytes: result.bytes,
        roster: fast,
        problems: lineBreaks,
      };
    }
  }
  // Something to report: the full parser places it (reading again, with
  // positions, only what it must).
  const { parseRoster } = await import("../core/roster/parse.ts");
  const parsed = parseRoster(text, file, { ...options, swapsNow }, read);
  return {
    file,
    text: decoded.text,
    bom,
    bytes: result.bytes,
    ...parsed,
    problems:
      lineBreaks.length > 0 ? sortProblems([...lineBreaks, ...parsed.problems]) : parsed.problems,
  };
}

/**
 * The roster, valid, for commands that act on it: problems are an input
 * error (exit 2) listing each as FILE:LINE:COL. Warnings are printed on
 * stderr and do not stop the command. "Now" is resolved against the roster's
 * zone once it is known, so shift times are checked on the days to plan.
 */
export async function loadRoster(ctx: Context): Promise<LoadedRoster> {
  await prepareClock(ctx);
  let now = Number.NaN;
  const read = await readRosterFile(ctx, {
    now: (zone) => {
      now = resolveNow(ctx, zone);
      return now;
    },
  });
  if (!read.roster) throw new InputError(read.problems);
  for (const problem of read.problems) ctx.err(`${formatProblem(problem)}\n`);
  // The roster may not have needed "now" (no shift time near a clock change).
  if (Number.isNaN(now)) now = resolveNow(ctx, read.roster.timezone);
  return { ...read, roster: read.roster, now };
}

export interface LoadedRoster extends RosterFile {
  roster: Roster;
  /** "Now" for this run, in epoch milliseconds. */
  now: number;
}
