import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.ts";
import { formatProblem } from "../core/problems.ts";
import { checkNotes, type NoteRecord } from "../core/report/notes.ts";
import type { Roster } from "../core/roster/model.ts";
import type { Schedule } from "../core/schedule/schedule.ts";
import { findPeopleInHistory } from "./calendar-history.ts";
import { type NotesTree, readNotesTree } from "./notes-tree.ts";

/**
 * The notes beside the roster that `rota report`, `rota site` and `rota fix`
 * count: those about a shift of schedule.yaml that has started, by someone the
 * roster, the schedule or the roster's git history knows (core/report/notes.ts
 * `checkNotes`). Any other is skipped with a warning at the front matter key
 * that is wrong, as damaged notes are. Notes older than the schedule are
 * counted, with one warning that says rota cannot check them. Without a
 * schedule (none planned yet, or one that cannot be read) every note counts.
 */
export async function readScheduledNotes(
  ctx: Context,
  roster: Roster,
  schedule: Schedule | undefined,
  now: number,
  options: { answers?: readonly string[]; threads?: number } = {},
): Promise<NotesTree> {
  const rosterDir = path.dirname(ctx.rosterPath);
  const entries = schedule?.entries ?? [];
  // A note of a shift taken out of the roster since is still named after it.
  const shiftIds = [
    ...new Set([...roster.shifts.map((s) => s.id), ...entries.map((e) => e.shift)]),
  ];
  const tree = await readNotesTree(rosterDir, shiftIds, ctx.display, options);
  if (entries.length === 0) return tree;
  const people = new Set(roster.people.map((person) => person.id));
  for (const entry of entries) {
    for (const id of entry.people) people.add(id);
    for (const id of entry.served ?? []) people.add(id);
  }
  const strangers = new Set(tree.records.map((r) => r.person).filter((id) => !people.has(id)));
  const history = await findPeopleInHistory(ctx, strangers);
  const known = (id: string) =>
    people.has(id) || history.found.has(id) ? true : history.complete ? false : undefined;
  const checked = checkNotes(tree.records, entries, now, known);
  const shown = (file: string) => ctx.display(path.join(rosterDir, ...file.split("/")));
  const warnings = [...tree.warnings];
  for (const { file, key, message } of checked.skipped) {
    const line = await keyLine(path.join(rosterDir, ...file.split("/")), key);
    warnings.push(
      formatProblem({
        file: shown(file),
        line,
        col: 1,
        severity: "warning",
        message: `${message}; the note is skipped`,
      }),
    );
  }
  const first = checked.early[0];
  if (first !== undefined) {
    const others = checked.early.length - 1;
    const start = entries.reduce((day, e) => (e.date < day ? e.date : day), entries[0]?.date ?? "");
    const line = await keyLine(path.join(rosterDir, ...first.file.split("/")), "occurrence");
    warnings.push(
      formatProblem({
        file: shown(first.file),
        line,
        col: 1,
        severity: "warning",
        message:
          others === 0
            ? `this note is about a shift before schedule.yaml begins (${start}), which rota cannot check against it; it is counted`
            : `this note and ${others} other${others === 1 ? "" : "s"} are about shifts before schedule.yaml begins (${start}), which rota cannot check against it; they are counted`,
      }),
    );
  }
  for (const record of checked.unchecked) {
    warnings.push(
      formatProblem({
        file: shown(record.file),
        line: await keyLine(path.join(rosterDir, ...record.file.split("/")), "person"),
        col: 1,
        severity: "warning",
        message: `${record.person} is not in the roster or schedule.yaml, and the roster's whole git history is not here to look for them in (outside a repository, or a shallow clone); the note is counted`,
      }),
    );
  }
  return { records: checked.kept as NoteRecord[], warnings };
}

/**
 * The line of a key in a note's front matter (`occurrence:` else `date:` or
 * `shift:` for the occurrence), else its first line: for a warning, read
 * again only for the few notes warned about.
 */
async function keyLine(file: string, key: "occurrence" | "person"): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return 1;
  }
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\r|\n/);
  const keys = key === "occurrence" ? ["occurrence", "date", "shift"] : ["person"];
  for (const name of keys) {
    const pattern = new RegExp(`^["']?${name}["']?\\s*:`);
    for (let i = 1; i < lines.length && !/^---\s*$/.test(lines[i] as string); i++) {
      if (pattern.test(lines[i] as string)) return i + 1;
    }
  }
  return 1;
}
