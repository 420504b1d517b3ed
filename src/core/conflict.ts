/**
 * Merge-conflict markers that git leaves in a file it could not merge. Found
 * before the file is parsed: the YAML parser would report tens of errors
 * about them and never say "merge conflict".
 */

import type { Problem } from "./problems.ts";
import { includesAny } from "./text.ts";

/** One conflicted part: from `<<<<<<<` to `>>>>>>>` (1-based lines). */
export interface ConflictBlock {
  /** The `<<<<<<<` line; for a stray marker, that marker's line. */
  start: number;
  /** The `=======` line, when there is one. */
  middle?: number;
  /** The `>>>>>>>` line, when there is one. */
  end?: number;
}

// Git writes each marker at the start of a line, seven characters long,
// followed by a label (`<<<<<<< HEAD`) or nothing (`=======`). `|||||||` opens
// the common ancestor's lines in the diff3 and zdiff3 styles.
const MARKER = /^(<{7}|\|{7}|={7}|>{7})(?:[ \t].*)?\r?$/;

/** What a text with conflicts holds: lines starting with one of these at least. */
const CONFLICT_SIGNS = ["<<<<<<<", "=======", ">>>>>>>"];

/** The conflicted parts of a text, in order; empty when it has none. */
export function findConflicts(text: string): ConflictBlock[] {
  // Cheap tests first: most files have no marker at all.
  if (!includesAny(text, CONFLICT_SIGNS)) return [];
  if (!/^(?:<{7}|={7}|>{7})/m.test(text)) return [];
  const blocks: ConflictBlock[] = [];
  let open: ConflictBlock | undefined;
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    const match = MARKER.exec(line);
    if (!match) continue;
    const number = index + 1;
    const kind = (match[1] as string)[0];
    if (kind === "<") {
      if (open) blocks.push(open);
      open = { start: number };
    } else if (kind === "|") {
      open ??= { start: number };
    } else if (kind === "=") {
      if (open && open.middle === undefined) open.middle = number;
      else {
        if (open) blocks.push(open);
        open = undefined;
        blocks.push({ start: number, middle: number });
      }
    } else {
      if (open) {
        open.end = number;
        blocks.push(open);
        open = undefined;
      } else {
        blocks.push({ start: number, end: number });
      }
    }
  }
  if (open) blocks.push(open);
  return blocks;
}

/** `lines 12–20` (or `line 12` for a stray marker). */
export function conflictLines(block: ConflictBlock): string {
  const last = block.end ?? block.middle ?? block.start;
  return last === block.start ? `line ${block.start}` : `lines ${block.start}–${last}`;
}

/**
 * A conflicted part as a problem at its first marker: where its markers are
 * (a stray marker is one `left in` the thing named), then `resolve`, what the
 * person resolving it keeps, and `git add`.
 */
export function conflictProblem(
  block: ConflictBlock,
  file: string,
  leftIn: string,
  resolve: string,
): Problem {
  const where =
    block.middle !== undefined && block.end !== undefined
      ? `unresolved merge conflict, ${conflictLines(block)} (<<<<<<< at ${block.start}, ======= at ${block.middle}, >>>>>>> at ${block.end})`
      : `a merge-conflict marker left in ${leftIn}, ${conflictLines(block)}`;
  return {
    file,
    line: block.start,
    col: 1,
    severity: "error",
    message: `${where}: ${resolve}, then \`git add ${file}\``,
  };
}
