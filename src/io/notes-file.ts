import { constants, lstatSync, type Stats } from "node:fs";
import { access, stat, statfs } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.ts";
import { parseTemplate, type Template } from "../core/notes/template.ts";
import type { Roster } from "../core/roster/model.ts";
import { decodeText, shellWord, startsWithBom } from "../core/text.ts";
import { FailedError, InputError, UsageError } from "../errors.ts";
import { formatBytes, readUserFile } from "./files.ts";
import { readPathAtCommit } from "./git.ts";
import {
  checkReadInside,
  describeLinkOut,
  isInside,
  linksOnTheWay,
  repositoryOf,
} from "./inside.ts";
import { packagePath } from "./package.ts";
import { kindOf } from "./reach.ts";
import { describeWriteError } from "./write.ts";

/** Notes and templates are prose; anything larger is a mistake. */
export const MAX_NOTE_BYTES = 8 * 1024 * 1024;

/** The conventional place of a team's own template, beside the roster. */
export const TEAM_TEMPLATE = "notes/TEMPLATE.md";

export interface LoadedTemplate {
  template: Template;
  /** The file it came from, as the user should read it. */
  file: string;
  source: "roster" | "repository" | "built-in";
}

/** Reads a text file the user may have written; undefined when it does not exist. */
export async function readTextFile(
  file: string,
  shown: string,
  /** What such files are, for the message when one is too large. */
  kind = "notes and templates",
): Promise<string | undefined> {
  return (await readMarkedTextFile(file, shown, kind))?.text;
}

/**
 * As `readTextFile`, also saying whether the file starts with a byte-order
 * mark (which its text leaves out): a note written in an editor that adds
 * one keeps it when rota appends to it.
 */
export async function readMarkedTextFile(
  file: string,
  shown: string,
  kind = "notes and templates",
): Promise<{ text: string; bom: boolean } | undefined> {
  const result = await readUserFile(file, MAX_NOTE_BYTES);
  if (result.kind === "missing") return undefined;
  if (result.kind === "too-large") {
    throw new UsageError(
      `${shown} is ${formatBytes(result.size)}; rota reads ${kind} up to ${formatBytes(MAX_NOTE_BYTES)}`,
    );
  }
  const decoded = decodeText(result.bytes);
  if (!decoded.ok) {
    throw new InputError([
      {
        file: shown,
        line: decoded.line,
        col: decoded.col,
        severity: "error",
        message: decoded.message,
      },
    ]);
  }
  return { text: decoded.text, bom: startsWithBom(result.bytes) };
}

/**
 * The notes template: the roster's `notes.template` (relative to the roster),
 * else `notes/TEMPLATE.md` beside the roster, else the one rota ships.
 */
export async function loadNotesTemplate(
  ctx: Context,
  roster: Roster,
  rosterFile: { file: string; text: string },
): Promise<LoadedTemplate> {
  const rosterDir = path.dirname(ctx.rosterPath);
  const candidates: [string, LoadedTemplate["source"]][] = [];
  if (roster.notes?.template) {
    candidates.push([path.resolve(rosterDir, roster.notes.template), "roster"]);
  } else {
    candidates.push([path.join(rosterDir, TEAM_TEMPLATE), "repository"]);
    candidates.push([packagePath("templates", "notes.md"), "built-in"]);
  }
  const repository = await repositoryOf(rosterDir);
  for (const [file, source] of candidates) {
    const shown = source === "built-in" ? "rota's built-in notes template" : ctx.display(file);
    if (source === "roster" && !isInside(repository, file)) {
      throw await templateLineError(
        rosterFile,
        `notes.template is ${roster.notes?.template}, outside the repository: rota reads the notes template only inside ${repository}`,
      );
    }
    let text: string | undefined;
    try {
      if (source !== "built-in") await checkReadInside(repository, file, "the notes template");
      text = await readTextFile(file, shown);
    } catch (error) {
      // What keeps the roster's own template from being read is a problem at its line.
      if (source !== "roster" || !(error instanceof UsageError)) throw error;
      throw await templateLineError(
        rosterFile,
        `notes.template is ${roster.notes?.template}: ${error.message}`,
      );
    }
    if (text === undefined) {
      if (source === "roster") {
        throw await templateLineError(
          rosterFile,
          `notes.template is ${roster.notes?.template}, but ${shown} does not exist: create it (\`rota init\` writes one to ${TEAM_TEMPLATE}) or fix the path`,
        );
      }
      continue;
    }
    const parsed = parseTemplate(text, shown);
    if (!parsed.ok) throw new InputError(parsed.problems);
    return { template: parsed.template, file: shown, source };
  }
  throw new Error("rota's built-in notes template is missing from its package");
}

/** A problem with the roster's `notes.template`, at that key's line. */
async function templateLineError(
  rosterFile: { file: string; text: string },
  message: string,
): Promise<InputError> {
  const { file, text } = rosterFile;
  const { parseYaml } = await import("../core/yaml.ts");
  const parsed = parseYaml(text, file);
  const at = parsed.ok ? parsed.yaml.locate(["notes", "template"]) : { line: 1, col: 1 };
  return new InputError([{ file, ...at, severity: "error", message }]);
}

/**
 * Checks that writing `file` stays inside `boundary` (the repository): no
 * directory on the way may be a symbolic link that leads outside it (or
 * nowhere), and the file itself may not be a symbolic link at all.
 */
export async function checkInside(boundary: string, file: string, shown: string): Promise<void> {
  if (!isInside(boundary, file)) {
    throw new UsageError(`${shown} is outside ${boundary}; notes must stay in the repository`);
  }
  for (const link of await linksOnTheWay(boundary, file)) {
    if (link.last) {
      throw new UsageError(
        `${shown} is a symbolic link; rota writes notes only as plain files inside the repository`,
      );
    }
    if (!link.inside) {
      const shownPart = path.relative(boundary, link.link);
      const at = (part: string) =>
        isInside(boundary, part) ? path.relative(boundary, part) : part;
      throw new UsageError(
        `${shownPart} ${describeLinkOut(link, at, boundary, "the repository")}: rota writes notes only inside ${boundary}; make ${shownPart} a directory`,
      );
    }
  }
  const stats = lstatOrNothing(file);
  if (stats && !stats.isFile() && !stats.isDirectory() && !stats.isSymbolicLink()) {
    throw new UsageError(
      `${shown} is ${kindOf(stats)}, not a file; rota writes notes only as plain files: move it away and run the command again`,
    );
  }
}

/** lstat(2) of a path, or nothing where it cannot be read (missing, say). */
function lstatOrNothing(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Refuses to start a note that is missing from the work tree but committed
 * (deleted by hand, or by \`git rm\` not yet committed): a new note there,
 * committed, would replace the committed one and every entry in it. Rota
 * says how to bring it back, or how to commit its deletion first.
 */
export async function checkNotDeleted(
  root: string,
  relative: string,
  shown: string,
): Promise<void> {
  const inTree = relative.split(path.sep).join("/");
  if ((await readPathAtCommit(root, "HEAD", inTree)) === undefined) return;
  const word = shellWord(shown);
  throw new FailedError(
    `${shown} is committed but deleted here, so a new note would replace it and the entries in it: bring it back with \`git restore --source=HEAD --staged --worktree -- ${word}\` and run rota notes again to add to it, or commit its deletion first (\`git rm -q --ignore-unmatch -- ${word} && git commit -m "Remove ${inTree}"\`)`,
  );
}

/** Less free space than this, and a note could not be written (notes are a few KiB). */
const MIN_FREE_BYTES = 64 * 1024;

/**
 * Checks, before any question is asked, that the note can be written: the
 * nearest directory on its way that exists is a directory, writable, on a
 * disk with room. (A disk that fills up meanwhile is caught when writing,
 * and the answers are kept then.)
 */
export async function checkWritable(file: string, shown: string): Promise<void> {
  let dir = path.dirname(file);
  for (;;) {
    try {
      if (!(await stat(dir)).isDirectory()) {
        throw new FailedError(describeWriteError(shown, { code: "ENOTDIR" }));
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== "ENOENT" && code !== "ENOTDIR") || path.dirname(dir) === dir) throw error;
      dir = path.dirname(dir);
    }
  }
  try {
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new FailedError(describeWriteError(shown, error));
  }
  const fs = await statfs(dir).catch(() => undefined);
  // Some file systems report no sizes at all (blocks 0): nothing to tell then.
  if (fs && fs.blocks > 0 && fs.bavail * fs.bsize < MIN_FREE_BYTES) {
    throw new FailedError(describeWriteError(shown, { code: "ENOSPC" }));
  }
}
