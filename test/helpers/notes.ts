import { readFileSync } from "node:fs";
import path from "node:path";
import type { NoteMeta } from "../../src/core/notes/note.ts";
import { parseTemplate, type Template } from "../../src/core/notes/template.ts";
import { ROOT } from "./cli.ts";

/** rota's own notes template, `templates/notes.md`, parsed (it must be valid). */
export function builtInTemplate(): Template {
  const text = readFileSync(path.join(ROOT, "templates/notes.md"), "utf8");
  const parsed = parseTemplate(text, "notes.md");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.template;
}

/** Ada's notes on the EMEA day shift of Monday 23 November 2026. */
export const ADA_META: NoteMeta = {
  occurrence: "2026-11-23/emea",
  date: "2026-11-23",
  shift: "emea",
  shiftName: "EMEA day",
  person: "ada",
  personName: "Ada Lovelace",
  team: "support",
  written: "2026-11-23T17:05:00+01:00",
  writtenText: "2026-11-23 17:05 CET",
};
