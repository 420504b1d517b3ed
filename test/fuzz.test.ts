import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import ICAL from "ical.js";
import { describe, expect, test } from "vitest";
import { escapeText as escapeIcs, foldLines } from "../src/core/calendar/ics.ts";
import { coerceAnswer } from "../src/core/notes/answers.ts";
import { appendToNote, parseNote, renderNewNote } from "../src/core/notes/note.ts";
import type { Question } from "../src/core/notes/template.ts";
import { parseRoster } from "../src/core/roster/parse.ts";
import { RUNS, SEED } from "./helpers/arbitraries.ts";
import { ROOT, rota } from "./helpers/cli.ts";
import { ADA_META, builtInTemplate } from "./helpers/notes.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * Fuzzing with a fixed seed (FC_SEED, FC_RUNS for a deeper search): whatever
 * the input, validation reports problems and never throws or hangs; what rota
 * writes and reads back is exactly what went in.
 */

const options = { numRuns: RUNS, seed: SEED, endOnFailure: true };

/** Every problem is placed inside the file, and the list is in line order. */
function checkProblems(text: string, result: ReturnType<typeof parseRoster>): void {
  const lines = text.split("\n").length;
  for (const problem of result.problems) {
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(lines + 1);
    expect(problem.col).toBeGreaterThanOrEqual(1);
    expect(problem.message.length).toBeGreaterThan(0);
    expect(["error", "warning"]).toContain(problem.severity);
  }
  const order = result.problems.map((p) => p.line * 1e6 + p.col);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  if (result.roster) expect(result.problems.every((p) => p.severity === "warning")).toBe(true);
  else expect(result.problems.some((p) => p.severity === "error")).toBe(true);
}

const VALID = [
  "roster.example.yaml",
  "templates/roster.yaml",
  ...readdirSync(path.join(ROOT, "examples")).map((f) => `examples/${f}`),
].map((file) => readFileSync(path.join(ROOT, file), "utf8"));

const yamlish = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    ":",
    "- ",
    "  ",
    "\t",
    "\n",
    "---",
    "...",
    "#",
    "&a",
    "*a",
    "!!str",
    "<<: *a",
    "%YAML 1.1",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "|",
    ">",
    "?",
    "@",
    "`",
    "\u0000",
    "\ufeff",
    "\u2028",
    "version: 1",
    "people:",
    "shifts:",
    "id: x",
    "name: ",
    "days: [mon]",
    "seats: []",
    "09:00",
    "2026-02-30",
    "Europe/Berlin",
    "weight: 0",
    "every: 1 month",
    "- role: pro",
  ),
);

type Mutation = (lines: string[], at: number, text: string) => string[];
const MUTATIONS: Mutation[] = [
  (lines, at) => lines.filter((_, i) => i !== at), // delete a line
  (lines, at) => [...lines.slice(0, at + 1), ...lines.slice(at)], // duplicate a line
  (lines, at, text) => [...lines.slice(0, at), text, ...lines.slice(at)], // insert a line
  (lines, at, text) =>
    lines.map((line, i) =>
      i === at ? line.slice(0, line.length >> 1) + text + line.slice(line.length >> 1) : line,
    ),
  (lines, at) => lines.map((line, i) => (i === at ? ` ${line}` : line)), // indent
  (lines, at) => lines.map((line, i) => (i === at ? line.replace(/^ /, "") : line)), // outdent
  (lines, at) => lines.map((line, i) => (i === at ? line.replace(/^ +/, "\t") : line)), // a tab
  (lines, at) => lines.slice(0, at), // truncate
  (lines, at) => {
    const copy = [...lines];
    const other = (at * 7) % lines.length;
    [copy[at], copy[other]] = [copy[other] as string, copy[at] as string];
    return copy;
  },
  (lines, at, text) =>
    lines.map((line, i) => (i === at ? line.replace(/: .*/, `: ${text}`) : line)),
];

describe("validation never throws, whatever the input", () => {
  test("random text and YAML-like fragments", () => {
    fc.assert(
      fc.property(fc.array(yamlish, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        checkProblems(text, parseRoster(text, "roster.yaml", { now: Date.UTC(2026, 10, 23) }));
      }),
      options,
    );
  });

  test("mutations of valid rosters", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: MUTATIONS.length - 1 }), yamlish), {
          minLength: 1,
          maxLength: 4,
        }),
        (valid, edits) => {
          let lines = valid.split("\n");
          for (const [where, which, text] of edits) {
            if (lines.length === 0) break;
            lines = (MUTATIONS[which] as Mutation)(lines, where % lines.length, text);
          }
          const text = lines.join("\n");
          checkProblems(text, parseRoster(text, "roster.yaml", { now: Date.UTC(2026, 10, 23) }));
        },
      ),
      options,
    );
  });

  test("the built CLI on mutated rosters: exit 0 or 2, never a stack trace", async () => {
    const samples = fc.sample(
      fc.tuple(fc.constantFrom(...VALID), fc.nat(), fc.nat({ max: MUTATIONS.length - 1 }), yamlish),
      { numRuns: 12, seed: SEED },
    );
    const dir = tempDir();
    await Promise.all(
      samples.map(async ([valid, where, which, text], i) => {
        const lines = valid.split("\n");
        const mutated = (MUTATIONS[which] as Mutation)(lines, where % lines.length, text).join(
          "\n",
        );
        const file = path.join(dir, `roster-${i}.yaml`);
        writeFileSync(file, mutated);
        const result = await rota(["validate", "--roster", file], {
          cwd: dir,
          env: { ROTA_NOW: "2026-11-23T09:00:00Z" },
        });
        expect([0, 2]).toContain(result.code);
        expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
      }),
    );
  });
});

describe("what rota writes reads back exactly", () => {
  const template = builtInTemplate();
  const question = (id: string) => template.questions.find((q) => q.id === id) as Question;
  const meta = ADA_META;
  const text = fc.string({ unit: "grapheme", maxLength: 200 });

  test("notes: any answers and tags, written, appended to and parsed again", () => {
    fc.assert(
      fc.property(
        text,
        text,
        fc.array(text, { maxLength: 5 }),
        text,
        (struggles, fix, tags, later) => {
          const answers: Record<string, unknown> = {};
          for (const [id, raw] of [
            ["struggles", struggles],
            ["fix", fix],
            ["tags", tags],
          ] as const) {
            const coerced = coerceAnswer(question(id), raw);
            // Control characters are refused at input (with a message); the rest is kept.
            if (coerced.ok && coerced.value !== undefined) answers[id] = coerced.value;
          }
          const note = renderNewNote(template, meta, answers as never);
          const parsed = parseNote(note);
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          expect(parsed.note.entries[0]?.answers).toEqual(answers);
          expect(parsed.note.frontMatter.tags).toEqual(
            (answers.tags as string[] | undefined) ?? [],
          );
          const again = coerceAnswer(question("fix"), later);
          if (!again.ok || again.value === undefined) return;
          const appended = appendToNote(
            note,
            "note.md",
            template,
            { ...meta, written: "2026-11-24T09:00:00+01:00" },
            { fix: again.value } as never,
          );
          expect(appended.ok).toBe(true);
          if (!appended.ok) return;
          const reparsed = parseNote(appended.text);
          expect(reparsed.ok).toBe(true);
          if (!reparsed.ok) return;
          // The first entry is kept byte for byte; the second has the new answer.
          expect(reparsed.note.entries[0]?.markdown).toBe(parsed.note.entries[0]?.markdown);
          expect(reparsed.note.entries.map((e) => e.answers.fix)).toEqual([
            answers.fix,
            again.value,
          ]);
        },
      ),
      options,
    );
  });

  test("iCalendar: any text escaped and folded reads back the same in ical.js", () => {
    fc.assert(
      fc.property(text, (value) => {
        const line = foldLines(`SUMMARY:${escapeIcs(value)}`);
        for (const physical of line.split("\r\n")) {
          expect(Buffer.byteLength(physical, "utf8")).toBeLessThanOrEqual(75);
        }
        const ics = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\n${line}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
        const event = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent("vevent");
        // iCalendar has one newline; \r\n and \r are written as it.
        expect(event?.getFirstPropertyValue("summary") ?? "").toBe(value.replace(/\r\n?/g, "\n"));
      }),
      { ...options, numRuns: RUNS * 5 },
    );
  });
});
