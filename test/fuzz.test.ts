import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import ICAL from "ical.js";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { renderFeeds } from "../src/core/calendar/feeds.ts";
import { escapeText as escapeIcs, foldLines } from "../src/core/calendar/ics.ts";
import { toDay } from "../src/core/dates.ts";
import { parseIsoInstant } from "../src/core/instant.ts";
import { coerceAnswer } from "../src/core/notes/answers.ts";
import { appendToNote, parseNote, renderNewNote } from "../src/core/notes/note.ts";
import {
  META_PLACEHOLDERS,
  parseTemplate,
  QUESTION_TYPES,
  type Question,
} from "../src/core/notes/template.ts";
import { resolveShift } from "../src/core/plan/shifts.ts";
import { type RotaView, renderRotaText, renderRotaTextParts } from "../src/core/render/rota.ts";
import { buildReport } from "../src/core/report/figures.ts";
import { renderReportHtml } from "../src/core/report/render-html.ts";
import { renderReportMarkdown } from "../src/core/report/render-markdown.ts";
import { renderReportText } from "../src/core/report/render-terminal.ts";
import { addSwapToRosterText } from "../src/core/roster/edit.ts";
import { LINE, MAX_NAME } from "../src/core/roster/formats.ts";
import type { Roster } from "../src/core/roster/model.ts";
import { parseRoster } from "../src/core/roster/parse.ts";
import {
  declaredEntryCount,
  readCanonicalSchedule,
  renderSchedule,
  type Schedule,
} from "../src/core/schedule/schedule.ts";
import { parseSchedule } from "../src/core/schedule/schedule-yaml.ts";
import { renderSite } from "../src/core/site/site.ts";
import { forScreen } from "../src/io/screen.ts";
import { paint } from "../src/io/terminal.ts";
import { RUNS, SEED } from "./helpers/arbitraries.ts";
import { type CliResult, ROOT, rota } from "./helpers/cli.ts";
import { COLOURS, LINE_UNSAFE, UNSAFE } from "./helpers/controls.ts";
import { AFTER_SHIFTS, commitAll, git, initRepo, teamRepo } from "./helpers/git.ts";
import { LINE_MUTATIONS, type Mutation } from "./helpers/mutations.ts";
import { ADA_META, builtInTemplate } from "./helpers/notes.ts";
import { ENTRIES, NOTES, NOW, PLANNED_UNTIL, ROSTER } from "./helpers/report-fixture.ts";
import { suiteTempDir, tempDir } from "./helpers/tmp.ts";

type MdNode = { type: string; value?: string; url?: string; children?: MdNode[] };
const parseMarkdown = (text: string) =>
  fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) as MdNode;
const nodesOf = (node: MdNode): MdNode[] => [node, ...(node.children ?? []).flatMap(nodesOf)];

/**
 * Fuzzing with a fixed seed (FC_SEED, FC_RUNS for a deeper search): whatever
 * the input, validation reports problems and never throws or hangs; what rota
 * writes and reads back is exactly what went in. Damaged schedules, rosters
 * with merge-conflict markers and any arguments also go through the built
 * CLI: exit 0, 1 or 2, never a stack trace. Notes templates, written from
 * parts or damaged, are read or refused with their place, and a note made from
 * one holds exactly its answers. `FC_RUNS=2000 npx vitest run
 * test/fuzz.test.ts` searches deeper (and runs more processes).
 */

const options = { numRuns: RUNS, seed: SEED, endOnFailure: true };

/** Deeper runs (FC_RUNS) take longer than a test is given by default: every test here. */
const DEEP_TIMEOUT = Math.max(30_000, RUNS * 300);
vi.setConfig({ testTimeout: DEEP_TIMEOUT });

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

const MUTATIONS: Mutation[] = [
  ...LINE_MUTATIONS,
  (lines, at) => lines.map((line, i) => (i === at ? line.replace(/^ +/, "\t") : line)), // a tab
  (lines, at) => lines.slice(0, at), // truncate
  (lines, at) => {
    const copy = [...lines];
    const other = (at * 7) % lines.length;
    [copy[at], copy[other]] = [copy[other] as string, copy[at] as string];
    return copy;
  },
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

/**
 * Hostile text: control and escape sequences, bidi controls, markup, note
 * markers and template placeholders, mixed with any code points.
 */
const PIECES = [
  "\u001b]0;owned\u0007",
  "\u001b]52;c;cHduZWQ=\u0007",
  "\u001b]8;;https://evil.example\u001b\\",
  "\u001b[2J",
  "\u001b[8m",
  "\u001b[31m",
  "\u009b2J",
  "\u009d0;x\u009c",
  "\u0085",
  "\u2028",
  "\u2029",
  "\u202e",
  "\u2066",
  "\u200f",
  "\r",
  "\n",
  "\t",
  "\u0000",
  "\u007f",
  "<x-evil>",
  '"><x-evil onload=alert(1)>',
  "' onmouseover='x",
  "<!--",
  "-->",
  "<!-- rota:end fix -->",
  "[x](javascript:alert(1))",
  "![i](https://evil.example/i.png)",
  "&#x202E;",
  "&lt;",
  "`",
  "*",
  "_",
  "|",
  "#",
  "{{person_name}}",
  "\\",
];
const hostile = fc
  .array(fc.oneof(fc.string({ unit: "binary", maxLength: 6 }), fc.constantFrom(...PIECES)), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => parts.join(""));
/** Hostile text a valid roster may hold: one plain line (markup and all). */
const hostileLine = hostile.map((text) => {
  const cut = [...text.replace(LINE_UNSAFE, "")].slice(0, MAX_NAME).join("");
  return cut.trim() === "" ? `x${cut}`.slice(0, MAX_NAME) : cut;
});

/** What a terminal receives holds no control character but rota's colours. */
function expectSafeForTerminal(text: string): void {
  expect(text.replace(COLOURS, "")).not.toMatch(UNSAFE);
}

/** A page holds no markup but rota's: no element, attribute or script from the data. */
function expectNoMarkupFromData(page: string): void {
  expect(page).not.toContain("<x-evil");
  expect(page).not.toMatch(/<script|(?:href|src)\s*=\s*["']?\s*javascript:/i);
  // Data in an attribute stays inside its quotes ("'<> are escaped there).
  expect(page.replace(/"[^"]*"/g, '""')).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
}

/** The fixture's company, with hostile text wherever the roster and notes put text. */
function hostileFixture(name: string, other: string, text: string, tag: string) {
  const roster: Roster = {
    ...ROSTER,
    team: other,
    shifts: ROSTER.shifts.map((shift) => ({ ...shift, name: other })),
    people: ROSTER.people.map((p) => (p.id === "ann" ? { ...p, name } : p)),
    swaps: (ROSTER.swaps ?? []).map((swap) => ({ ...swap, reason: other })),
  };
  const notes = NOTES.map((note) => ({
    ...note,
    tags: [...note.tags, tag],
    entries: note.entries.map((entry) => ({
      ...entry,
      answers: { ...entry.answers, struggles: text, fix: text },
    })),
  }));
  const report = buildReport({
    roster,
    entries: ENTRIES,
    plannedUntil: PLANNED_UNTIL,
    notes,
    now: NOW,
  });
  return { roster, notes, report };
}

describe("hostile text reaches every output as text", () => {
  const c = paint(1);

  test("the terminal: whatever text, styled or not, shows escaped beside rota's colours", () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        const shown = forScreen(`${c.bold(a)} ${b} ${c.red(`${c.dim(b)}${a}`)}\n`);
        expectSafeForTerminal(shown);
        // Every escape left is a colour, and rota's own.
        expect(shown.replace(COLOURS, "")).not.toContain("\u001b");
      }),
      options,
    );
  });

  test("the report in a terminal, as markdown and as HTML; the rota in a terminal", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (name, other, text, tag) => {
        const { roster, report } = hostileFixture(name, other, text, tag);
        expectSafeForTerminal(forScreen(renderReportText(report, c, { link: (f) => f })));
        expectNoMarkupFromData(renderReportHtml(report, { link: (f) => f }));
        const markdown = renderReportMarkdown(report, { link: (f) => f });
        const tree = parseMarkdown(markdown);
        for (const node of nodesOf(tree)) {
          expect(node.type).not.toBe("html");
          expect(node.type).not.toBe("image");
          if (node.type === "link") expect(node.url).not.toMatch(/^javascript:/i);
        }
        const view: RotaView = {
          team: roster.team,
          zone: "UTC",
          from: toDay("2026-01-05"),
          until: toDay("2026-03-30"),
          entries: ENTRIES,
          shifts: new Map(roster.shifts.map((s) => [s.id, resolveShift(s, "UTC")])),
          names: new Map(roster.people.map((p) => [p.id, p.name])),
          gaps: [],
          warnings: [],
          fairness: [],
          changes: [],
          me: "ann",
        };
        expectSafeForTerminal(forScreen(renderRotaText(view, c)));
        // `rota plan` escapes and writes the text in its parts.
        const parts = renderRotaTextParts(view, c);
        expect(parts.join("")).toBe(renderRotaText(view, c));
        for (const part of parts) expectSafeForTerminal(forScreen(part));
      }),
      { ...options, numRuns: Math.ceil(RUNS / 4) },
    );
  });

  test("the site: every page", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (name, other, text, tag) => {
        const { roster, notes, report } = hostileFixture(name, other, text, tag);
        const pages = renderSite({
          roster,
          entries: ENTRIES,
          plannedUntil: PLANNED_UNTIL,
          report,
          notes,
          now: NOW,
          prompts: { struggles: other, fix: text, constructor: name },
        });
        for (const page of pages) expectNoMarkupFromData(page.text);
      }),
      { ...options, numRuns: Math.ceil(RUNS / 8) },
    );
  });

  test("calendars: names a valid roster may hold read back exactly, and no control character", () => {
    fc.assert(
      fc.property(hostileLine, hostileLine, (name, other) => {
        const roster: Roster = {
          ...ROSTER,
          team: other,
          shifts: ROSTER.shifts.map((shift) => ({ ...shift, name: other })),
          people: ROSTER.people.map((p) => (p.id === "ann" ? { ...p, name } : p)),
        };
        expect(parseRoster(stringifyYaml(roster), "roster.yaml").problems).toEqual([]);
        const feeds = renderFeeds(roster, { entries: ENTRIES, plannedUntil: PLANNED_UNTIL });
        for (const feed of [feeds.team, ...feeds.people]) {
          expect(feed.text.replaceAll("\r\n", "")).not.toMatch(UNSAFE);
          expect(new ICAL.Component(ICAL.parse(feed.text)).getAllSubcomponents("vevent")).toEqual(
            expect.any(Array),
          );
        }
        const ann = feeds.people.find((feed) => feed.person === "ann") as { text: string };
        const events = new ICAL.Component(ICAL.parse(ann.text)).getAllSubcomponents("vevent");
        expect(events.length).toBeGreaterThan(0);
        for (const event of events) {
          expect(String(event.getFirstPropertyValue("description"))).toContain(name);
        }
      }),
      { ...options, numRuns: Math.ceil(RUNS / 4) },
    );
  });

  test("notes: roster names are text in the markdown, whatever they look like", () => {
    const template = builtInTemplate();
    fc.assert(
      fc.property(hostile, hostile, (name, other) => {
        const note = renderNewNote(
          template,
          { ...ADA_META, personName: name, shiftName: other },
          {},
        );
        const parsed = parseNote(note);
        expect(parsed.ok).toBe(true);
        const body = note.slice(note.indexOf("\n---\n") + 5);
        const tree = parseMarkdown(body);
        const heading = nodesOf(tree).find((n) => n.type === "heading");
        const html = nodesOf(tree).filter(
          (n) => n.type === "html" && !/^<!-- rota:/.test(n.value ?? ""),
        );
        expect(html).toEqual([]);
        for (const node of heading ? nodesOf(heading) : []) {
          expect(["heading", "text", "link", "break"]).toContain(node.type);
          if (node.type === "link") expect(node.url).toMatch(/^(?:https?|mailto):/);
        }
      }),
      options,
    );
  });

  test("the built CLI: log, report, who, plan and validate print no control character", async () => {
    const samples = fc.sample(fc.tuple(hostile, hostile, hostileLine), { numRuns: 4, seed: SEED });
    await Promise.all(
      samples.map(async ([author, text, line], i) => {
        const dir = await teamRepo();
        const env = { ROTA_NOW: AFTER_SHIFTS };
        // A note file whose name and text are hostile; a commit by a hostile author
        // adding a person whose name is hostile (an invalid roster, now in the past).
        const notes = path.join(dir, "notes", "2026", "11");
        mkdirSync(notes, { recursive: true });
        const fileName = `2026-11-23-americas-${text.replace(/[/\0]/g, "")}`.slice(0, 200);
        writeFileSync(path.join(notes, `${fileName}.md`), `---\n${text}\n---\n${text}\n`);
        const roster = path.join(dir, "roster.yaml");
        const valid = readFileSync(roster, "utf8");
        writeFileSync(
          roster,
          valid.replace(
            "\nswaps:",
            `  - id: x${i}\n    name: ${JSON.stringify(text)}\n    email: x${i}@example.com\n\nswaps:`,
          ),
        );
        git(dir, "add", "-A");
        git(
          dir,
          "-c",
          `user.name=${author.replace(/[\0\n<>]/g, "") || "x"}`,
          "commit",
          "-q",
          "-m",
          "x",
        );
        const runs = [
          await rota(["log"], { cwd: dir, env }),
          await rota(["log"], { cwd: dir, env: { ...env, FORCE_COLOR: "1" } }),
          await rota(["validate"], { cwd: dir, env }),
        ];
        writeFileSync(roster, valid.replace("name: Ada Lovelace", `name: ${JSON.stringify(line)}`));
        runs.push(
          await rota(["report"], { cwd: dir, env: { ...env, FORCE_COLOR: "1" } }),
          await rota(["who"], { cwd: dir, env }),
          await rota(["plan", "--dry-run"], { cwd: dir, env }),
          await rota(["plan", "--format", "md", "--dry-run"], { cwd: dir, env }),
        );
        for (const run of runs) {
          expectSafeForTerminal(run.stdout);
          expectSafeForTerminal(run.stderr);
          expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
        }
      }),
    );
  });
});

/** Process runs per CLI property: a fixed handful in CI, more with FC_RUNS. */
const CLI_RUNS = Math.max(10, Math.ceil(RUNS / 20));

/** Runs `count` tasks, `width` at a time: enough processes to be quick, not so many as to starve. */
async function inBatches<T>(items: T[], run: (item: T, index: number) => Promise<void>) {
  const width = 6;
  for (let start = 0; start < items.length; start += width) {
    await Promise.all(items.slice(start, start + width).map((item, i) => run(item, start + i)));
  }
}

/** What every run of the built CLI must satisfy, whatever its input. */
function expectHandled(result: CliResult, what: string): void {
  expect([0, 1, 2], `${what}: exit ${result.code}\n${result.stderr}`).toContain(result.code);
  expect(result.stderr, what).not.toMatch(/\n\s+at |internal error|Error:/);
}

/** Wraps lines [from, to) of a text in conflict markers, with other lines on their side. */
function withConflict(lines: string[], from: number, to: number, theirs: string[]): string[] {
  return [
    ...lines.slice(0, from),
    "<<<<<<< HEAD",
    ...lines.slice(from, to),
    "=======",
    ...theirs,
    ">>>>>>> other-branch",
    ...lines.slice(to),
  ];
}

describe("damaged schedules: refused with their place, never used half-read", () => {
  // The fixture is an older rota's schedule; written again, it has the entry count.
  const fixture = readFileSync(path.join(ROOT, "test/fixtures/team/schedule.yaml"), "utf8");
  const full = readCanonicalSchedule(fixture) as Schedule;
  // Thirty occurrences are plenty to damage, and quick to read again.
  const valid = renderSchedule({ ...full, entries: full.entries.slice(0, 30) });

  /** A digit changed (times, dates, offsets, revs): the likeliest slip of a hand edit. */
  const changeDigit = (lines: string[], at: number, _: string, n: number) =>
    lines.map((line, i) => {
      if (i !== at) return line;
      const digits = [...line.matchAll(/\d/g)];
      const hit = digits[n % Math.max(1, digits.length)];
      if (!hit || hit.index === undefined) return line;
      return `${line.slice(0, hit.index)}${(Number(hit[0]) + 1 + (n % 9)) % 10}${line.slice(hit.index + 1)}`;
    });

  /** A time typed over, not always a real one: `T25:61`, an offset of `+99:00`. */
  const retype = (lines: string[], at: number, _: string, n: number) => {
    const two = (k: number) => String(k % 100).padStart(2, "0");
    let seen = 0;
    const which = n % 6;
    return lines.map((line, i) =>
      i !== at
        ? line
        : line.replace(/(T)\d\d:\d\d|([+-])\d\d:\d\d"/g, (match, t, sign) =>
            seen++ !== which % 3
              ? match
              : t
                ? `T${two(n)}:${two(n * 7)}`
                : `${sign}${two(n * 3)}:${two(n * 11)}"`,
          ),
    );
  };

  /** Mutations that damage a schedule the ways files get damaged. */
  const scheduleMutations: ((lines: string[], at: number, text: string, n: number) => string[])[] =
    [
      ...MUTATIONS,
      changeDigit,
      changeDigit,
      retype,
      retype,
      // Cut at any byte, as an interrupted copy does.
      (lines, at, _, n) => {
        const text = lines.join("\n");
        return text.slice(0, (at * 97 + n) % (text.length + 1)).split("\n");
      },
      // Conflict markers, as a merge leaves them.
      (lines, at, text, n) =>
        withConflict(lines, at, Math.min(lines.length, at + 1 + (n % 3)), [text]),
    ];

  const damagedSchedule = fc
    .array(fc.tuple(fc.nat(), fc.nat({ max: scheduleMutations.length - 1 }), yamlish, fc.nat()), {
      minLength: 1,
      maxLength: 3,
    })
    .map((edits) => {
      let lines = valid.split("\n");
      for (const [where, which, text, n] of edits) {
        if (lines.length === 0) break;
        lines = (scheduleMutations[which] as (typeof scheduleMutations)[number])(
          lines,
          where % lines.length,
          text,
          n,
        );
      }
      return lines.join("\n");
    });

  test(
    "a schedule that reads has only real occurrences, as many as it counts; one that does not says where",
    () => {
      fc.assert(
        fc.property(damagedSchedule, (text) => {
          const parsed = parseSchedule(text, "schedule.yaml");
          if (!parsed.ok) {
            const lines = text.split("\n").length;
            expect(parsed.problems.length).toBeGreaterThan(0);
            for (const problem of parsed.problems) {
              expect(problem.line).toBeGreaterThanOrEqual(1);
              expect(problem.line).toBeLessThanOrEqual(lines + 1);
              expect(problem.col).toBeGreaterThanOrEqual(1);
              expect(problem.message).toMatch(/rota plan/);
            }
            return;
          }
          const ids = new Set<string>();
          for (const entry of parsed.schedule.entries) {
            const start = parseIsoInstant(entry.start);
            const end = parseIsoInstant(entry.end);
            expect(start, entry.start).toBeDefined();
            expect(end, entry.end).toBeDefined();
            expect(end as number).toBeGreaterThan(start as number);
            expect(entry.start.slice(0, 10)).toBe(entry.date);
            expect(entry.id).toBe(`${entry.date}/${entry.shift}`);
            expect(parseIsoInstant(entry.changed)).toBeDefined();
            expect(ids.has(entry.id)).toBe(false);
            ids.add(entry.id);
          }
          const declared = declaredEntryCount(text);
          if (declared) expect(parsed.schedule.entries).toHaveLength(declared.count);
          expect(/^(?:<{7}|={7}|>{7})(?: |$)/m.test(text)).toBe(false);
        }),
        options,
      );
    },
    DEEP_TIMEOUT,
  );

  let planned: string;
  beforeAll(async () => {
    planned = initRepo(suiteTempDir());
    writeFileSync(
      path.join(planned, "roster.yaml"),
      readFileSync(path.join(ROOT, "roster.example.yaml")),
    );
    writeFileSync(path.join(planned, "schedule.yaml"), valid);
    commitAll(planned, "Roster and schedule");
  });

  test(
    "the built CLI on damaged schedules: exit 0, 1 or 2, never a stack trace",
    async () => {
      const samples = fc.sample(damagedSchedule, { numRuns: CLI_RUNS, seed: SEED });
      await inBatches(samples, async (text, i) => {
        const dir = tempDir();
        cpSync(planned, dir, { recursive: true });
        writeFileSync(path.join(dir, "schedule.yaml"), text);
        // rota calendar each time: it is where a bad time once crashed.
        const other = [["validate"], ["who"], ["plan", "--check"], ["site"]][i % 4] as string[];
        for (const args of [["calendar"], other]) {
          const result = await rota(args, {
            cwd: dir,
            env: { ROTA_NOW: "2026-11-20T09:00:00Z" },
          });
          expectHandled(result, `rota ${args.join(" ")} on sample ${i}`);
        }
      });
    },
    DEEP_TIMEOUT,
  );
});

describe("rosters with merge-conflict markers", () => {
  const conflicted = fc
    .tuple(
      fc.constantFrom(...VALID),
      fc.nat(),
      fc.nat({ max: 6 }),
      fc.array(yamlish, { maxLength: 3 }),
    )
    .map(([valid, at, length, theirs]) => {
      const lines = valid.split("\n");
      const from = at % lines.length;
      return withConflict(lines, from, Math.min(lines.length, from + length), theirs).join("\n");
    });

  test("are named as merge conflicts, at the line of each, before any YAML error", () => {
    fc.assert(
      fc.property(conflicted, (text) => {
        const result = parseRoster(text, "roster.yaml", { now: Date.UTC(2026, 10, 23) });
        expect(result.roster).toBeUndefined();
        const lines = text.split("\n");
        for (const problem of result.problems) {
          expect(problem.message).toMatch(/merge.conflict/);
          expect(lines[problem.line - 1]).toMatch(/^(?:<{7}|={7}|>{7})/);
        }
        expect(result.problems.some((p) => lines[p.line - 1]?.startsWith("<<<<<<<"))).toBe(true);
      }),
      options,
    );
  });

  test(
    "the built CLI on them: exit 2 and the conflict, never a stack trace",
    async () => {
      const samples = fc.sample(conflicted, { numRuns: CLI_RUNS, seed: SEED });
      const dir = tempDir();
      await inBatches(samples, async (text, i) => {
        const file = path.join(dir, `roster-${i}.yaml`);
        writeFileSync(file, text);
        const args = [["validate"], ["plan", "--dry-run"], ["who"]][i % 3] as string[];
        const result = await rota([...args, "--roster", file], {
          cwd: dir,
          env: { ROTA_NOW: "2026-11-23T09:00:00Z" },
        });
        expectHandled(result, `rota ${args.join(" ")} on sample ${i}`);
        expect(result.code).toBe(2);
        // A NUL byte among the lines makes the file binary, which is said first.
        expect(result.stderr).toMatch(/merge.conflict|NUL byte/);
      });
    },
    DEEP_TIMEOUT,
  );
});

describe("any arguments to the built CLI", () => {
  const words = fc.constantFrom(
    "init",
    "validate",
    "plan",
    "who",
    "swap",
    "explain",
    "calendar",
    "notes",
    "log",
    "report",
    "site",
    "schema",
    "help",
    "--json",
    "--check",
    "--dry-run",
    "--rebalance",
    "--next",
    "--force",
    "--no-commit",
    "--no-color",
    "--invites",
    "--help",
    "--version",
    "--format",
    "--from",
    "--until",
    "--weeks",
    "--at",
    "--since",
    "--person",
    "--as",
    "--shift",
    "--answer",
    "--answers",
    "--reason",
    "--out",
    "--roster",
    "--schedule",
    "--now",
    "-C",
    "--",
    "-",
    "---",
    "...",
    "md",
    "html",
    "terminal",
    "0",
    "-1",
    "99999",
    "ada",
    "grace",
    "emea",
    "2026-12-03/emea",
    "2026-11-23",
    "2026-02-30",
    "2026-11-23T09:00:00Z",
    "2026-11-23T25:00",
    "+99:00",
    "fix=x",
    "=",
    "out",
    "sub/dir",
    "roster.yaml",
    "schedule.yaml",
    "missing.yaml",
    "dentist, back at 3",
    "<<<<<<< HEAD",
    "☕",
    "\u0000",
    "\u001b[31m",
  );
  const argv = fc.array(
    fc.oneof(
      { weight: 4, arbitrary: words },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    ),
    {
      minLength: 1,
      maxLength: 6,
    },
  );

  let team: string;
  beforeAll(async () => {
    team = initRepo(suiteTempDir());
    writeFileSync(
      path.join(team, "roster.yaml"),
      readFileSync(path.join(ROOT, "roster.example.yaml")),
    );
    const plan = await rota(["plan"], { cwd: team, env: { ROTA_NOW: "2026-11-20T09:00:00Z" } });
    expect(plan.code, plan.stderr).toBe(0);
    commitAll(team, "Roster and plan");
  });

  test(
    "exit 0, 1 or 2 and never a stack trace, in a team's repository",
    async () => {
      const samples = fc.sample(argv, { numRuns: CLI_RUNS * 2, seed: SEED });
      await inBatches(samples, async (args, i) => {
        const dir = tempDir();
        cpSync(team, dir, { recursive: true });
        // Arguments may not reach outside the copy: no absolute paths, no "..".
        const safe = args.map((arg) =>
          arg.replaceAll("..", "_").replace(/^\/+/, "_").replaceAll("\0", ""),
        );
        const result = await rota(safe, {
          cwd: dir,
          env: { ROTA_NOW: "2026-11-25T18:00:00+01:00" },
        });
        expectHandled(result, `rota ${JSON.stringify(safe)} (sample ${i})`);
      });
    },
    DEEP_TIMEOUT,
  );
});

describe("rota swap keeps any one-line reason exactly, and the rest of the roster", () => {
  /** Whether `part` is `whole` with lines only added. */
  const keptInOrder = (part: string[], whole: string[]) => {
    let i = 0;
    for (const line of whole) if (i < part.length && line === part[i]) i++;
    return i === part.length;
  };

  test(
    "any reason, any roster layout",
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...VALID),
          fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((r) => LINE.test(r)),
          (roster, reason) => {
            const swap = { date: "2026-12-03", shift: "emea", out: "ada", in: "grace", reason };
            const text = addSwapToRosterText(roster, swap);
            // Every line stays but `swaps: []`, which becomes a block list, or a one-line flow list.
            const before = roster
              .replace(/\n$/, "")
              .split("\n")
              .filter((line) => !/^swaps:\s*\[/.test(line));
            const after = text.split("\n");
            expect(keptInOrder(before, after)).toBe(true);
            // The swap's line, and `swaps:` with a blank line before it where there was none.
            expect(after.length - before.length).toBeLessThanOrEqual(4);
            expect(parseYaml(text, { version: "1.2" }).swaps.at(-1)).toEqual(swap);
          },
        ),
        options,
      );
    },
    DEEP_TIMEOUT,
  );
});

describe("note templates: read or refused with their place; one read keeps every answer", () => {
  const builtIn = readFileSync(path.join(ROOT, "templates/notes.md"), "utf8");

  /** Every problem is placed inside the template, and one with problems is never used. */
  function checkTemplate(text: string, parsed: ReturnType<typeof parseTemplate>): void {
    if (parsed.ok) return;
    expect(parsed.problems.length).toBeGreaterThan(0);
    const lines = text.split("\n").length;
    for (const problem of parsed.problems) {
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.line).toBeLessThanOrEqual(lines + 1);
      expect(problem.col).toBeGreaterThanOrEqual(1);
      expect(problem.message.length).toBeGreaterThan(0);
    }
  }

  /** Ids people write, ids every JavaScript object has, ids rota keeps for itself. */
  const id = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}[a-z0-9]$/) },
    fc.constantFrom(
      "constructor",
      "__proto__",
      "tostring",
      "toString",
      "valueof",
      "hasownproperty",
      "prototype",
      "entries",
      "date",
      "person_name",
      "struggles",
    ),
  );
  /** A question of any type with the keys that type takes (now and then one it does not). */
  const question = fc
    .record({
      id,
      prompt: fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }),
      type: fc.constantFrom(...QUESTION_TYPES, ...QUESTION_TYPES, "essay"),
      required: fc.boolean(),
      choices: fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), {
        minLength: 1,
        maxLength: 4,
      }),
      min: fc.integer({ min: -5, max: 5 }),
      stray: fc.nat({ max: 29 }),
    })
    .map(({ choices, min, stray, ...q }) => ({
      ...q,
      ...(q.type === "choice" || stray === 0 ? { choices } : {}),
      ...(q.type === "number" || stray === 1 ? { min } : {}),
    }));
  /** A template written from parts: its questions, and a body placing some of them. */
  const template = fc
    .tuple(
      fc.array(question, { minLength: 1, maxLength: 6 }),
      fc.array(
        fc.oneof(
          fc.string({ unit: "grapheme", maxLength: 30 }),
          fc.nat().map((n) => ({ placeholder: n })),
          fc.constantFrom(...META_PLACEHOLDERS).map((i) => `{{ ${i} }}`),
          fc.constantFrom(
            "\n",
            "\n\n",
            "## ",
            "<!-- rota:entry -->",
            "---",
            "<b>",
            "{{",
            "{{nope}}",
          ),
        ),
        { maxLength: 12 },
      ),
    )
    .map(([questions, body]) => {
      const layout = body
        .map((part) =>
          typeof part === "string"
            ? part
            : `\n{{${(questions[part.placeholder % questions.length] as { id: string }).id}}}\n`,
        )
        .join("");
      return `---\n${stringifyYaml({ questions })}---\n${layout}\n`;
    });
  const raw = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 80 }),
    fc.integer({ min: -10, max: 10 }),
    fc.boolean(),
    fc.array(fc.string({ unit: "grapheme", maxLength: 12 }), { maxLength: 4 }),
  );

  test("any template: read, or refused with its place; a note from it holds exactly its answers", () => {
    fc.assert(
      fc.property(template, fc.array(raw, { minLength: 6, maxLength: 6 }), (text, values) => {
        const parsed = parseTemplate(text, "TEMPLATE.md");
        checkTemplate(text, parsed);
        if (!parsed.ok) return;
        const answers: Record<string, unknown> = {};
        parsed.template.questions.forEach((q, i) => {
          // No id names what every object has: answers are only the answers.
          expect(q.id in Object.prototype, q.id).toBe(false);
          const coerced = coerceAnswer(q, values[i]);
          if (coerced.ok && coerced.value !== undefined) answers[q.id] = coerced.value;
        });
        const note = parseNote(renderNewNote(parsed.template, ADA_META, answers as never));
        expect(note.ok).toBe(true);
        if (!note.ok) return;
        expect(note.note.entries).toHaveLength(1);
        expect(note.note.entries[0]?.answers).toEqual(answers);
      }),
      options,
    );
  });

  test("mutations of rota's own template never throw", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: MUTATIONS.length - 1 }), yamlish), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          let lines = builtIn.split("\n");
          for (const [where, which, text] of edits) {
            if (lines.length === 0) break;
            lines = (MUTATIONS[which] as Mutation)(lines, where % lines.length, text);
          }
          const text = lines.join("\n");
          checkTemplate(text, parseTemplate(text, "TEMPLATE.md"));
        },
      ),
      options,
    );
  });

  test(
    "the built CLI with a team's damaged template: a note with every answer, or a message and nothing written",
    async () => {
      const team = await teamRepo();
      const head = git(team, "rev-parse", "HEAD").trim();
      const samples = fc.sample(
        fc.oneof(
          template,
          fc
            .tuple(fc.nat(), fc.nat({ max: MUTATIONS.length - 1 }), yamlish)
            .map(([where, which, text]) => {
              const lines = builtIn.split("\n");
              return (MUTATIONS[which] as Mutation)(lines, where % lines.length, text).join("\n");
            }),
        ),
        { numRuns: CLI_RUNS, seed: SEED },
      );
      const note = "notes/2026/11/2026-11-24-emea-grace.md";
      await inBatches(samples, async (text, i) => {
        const dir = tempDir();
        cpSync(team, dir, { recursive: true });
        mkdirSync(path.join(dir, "notes"));
        writeFileSync(path.join(dir, "notes/TEMPLATE.md"), text);
        const struggles = `sample ${i}: the login page`;
        const result = await rota(
          [
            "notes",
            "--as",
            "grace",
            "--no-commit",
            "--answer",
            `struggles=${struggles}`,
            "--answer",
            "fix=x",
          ],
          { cwd: dir, env: { ROTA_NOW: AFTER_SHIFTS } },
        );
        expectHandled(result, `template sample ${i}:\n${text}`);
        if (result.code === 0) {
          const parsed = parseNote(readFileSync(path.join(dir, note), "utf8"));
          expect(parsed.ok && parsed.note.entries[0]?.answers.struggles).toBe(struggles);
        } else {
          expect(readdirSync(path.join(dir, "notes")), result.stderr).toEqual(["TEMPLATE.md"]);
        }
        expect(git(dir, "rev-parse", "HEAD").trim()).toBe(head);
      });
    },
    DEEP_TIMEOUT,
  );
});
