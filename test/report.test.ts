import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, commitAll, initRepo, teamRepo } from "./helpers/git.ts";
import { readSchedule } from "./helpers/repo.ts";
import { suiteTempDir, tempDir } from "./helpers/tmp.ts";

/** rota report run as a process in a team's repository with notes written by rota notes. */

const at = { ROTA_NOW: AFTER_SHIFTS };

/** A one-seat weekday desk, Monday 19 October 2026 on: the start of a small team's roster. */
const DESK = `version: 1
team: Acme
timezone: Europe/Berlin
horizon_weeks: 2
shifts:
  - { id: emea, name: EMEA day, days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00", seats: [{ role: any }] }
people:
`;

/** A repository whose roster lists these people on DESK, planned on its first Monday and committed. */
async function deskRepo(people: string[]): Promise<string> {
  const dir = initRepo(tempDir());
  writeFileSync(
    path.join(dir, "roster.yaml"),
    DESK + people.map((line) => `  - ${line}\n`).join(""),
  );
  const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2026-10-19T08:00:00+02:00" } });
  expect(plan.code, plan.stderr).toBe(0);
  commitAll(dir, "Roster and first plan");
  return dir;
}

let withNotes: Promise<string> | undefined;

/**
 * A copy of the team's repository with a note each by ada, grace and
 * katherine, written and committed by rota notes: written once per file.
 */
async function repoWithNotes(): Promise<string> {
  withNotes ??= teamRepo(suiteTempDir()).then(writeNotes);
  const dir = tempDir();
  cpSync(await withNotes, dir, { recursive: true });
  return dir;
}

/** Writes those three notes in `dir` with rota notes. */
async function writeNotes(dir: string): Promise<string> {
  for (const [person, struggles, tags, mood] of [
    ["ada", "Setting up SSO with Okta", "SSO, billing", "4"],
    ["grace", "SSO login loops", "sso", "3"],
    ["katherine", "Invoices in the wrong currency", "billing", "2"],
  ] as const) {
    const result = await rota(
      [
        "notes",
        "--as",
        person,
        "--answer",
        `struggles=${struggles}`,
        "--answer",
        "fix=Document the SAML metadata URL",
        "--answer",
        "handled=5",
        "--answer",
        `tags=${tags}`,
        "--answer",
        `mood=${mood}`,
      ],
      { cwd: dir, env: at },
    );
    expect(result.code, result.stderr).toBe(0);
  }
  return dir;
}

describe("rota report", () => {
  test("in every format: the terminal, markdown, JSON and HTML", async () => {
    const dir = await repoWithNotes();
    const terminal = await rota(["report"], { cwd: dir, env: at });
    expect(terminal.code, terminal.stderr).toBe(0);
    expect(terminal.stderr).toBe("");
    expect(terminal.stdout).toMatch(/^Acme support report, 2026-11-16 to 2026-11-24\n/);
    expect(terminal.stdout).toContain("3 of 21 served shifts have notes (14%).");
    expect(terminal.stdout).toMatch(/Jony Ive +design +0 +never/);
    expect(terminal.stdout).toContain("notes/2026/11/2026-11-23-americas-ada.md");

    const json = await rota(["report", "--json"], { cwd: dir, env: at });
    const report = JSON.parse(json.stdout);
    expect(Object.keys(report)).toEqual([
      "version",
      "team",
      "now",
      "window",
      "totals",
      "people",
      "teams",
      "fairness",
      "themes",
      "newcomers",
      "swaps",
      "helpdesk",
      "fixes",
    ]);
    expect(report.totals).toMatchObject({ shifts: 21, withNotes: 3, notes: 3 });
    // Keys are only ever added: a person's new keys come after those scripts read.
    expect(Object.keys(report.people[0])).toEqual([
      "id",
      "name",
      "team",
      "weight",
      "active",
      "served",
      "lastServed",
      "nextShift",
      "expected",
      "deviation",
      "quota",
      "overdue",
      "notes",
      "swaps",
      "joined",
      "left",
      "away",
      "standing",
      "onRoster",
    ]);
    expect(report.themes.tags.slice(0, 2)).toEqual([
      { tag: "billing", count: 2, byMonth: [2] },
      { tag: "sso", count: 2, byMonth: [2] },
    ]);
    expect(report.themes.struggles[0]).toMatchObject({ term: "SSO", count: 2 });
    expect(report.newcomers.map((n: { id: string }) => n.id)).toEqual(["dennis"]);
    expect((await rota(["report", "--format", "json"], { cwd: dir, env: at })).stdout).toBe(
      json.stdout,
    );

    const md = await rota(["report", "--format", "md"], { cwd: dir, env: at });
    const tree = fromMarkdown(md.stdout, {
      extensions: [gfm()],
      mdastExtensions: [gfmFromMarkdown()],
    });
    expect(tree.children[0]).toMatchObject({ type: "heading", depth: 1 });
    expect(md.stdout).toContain("(notes/2026/11/2026-11-24-emea-grace.md)");

    const page = await rota(["report", "--format", "html"], { cwd: dir, env: at });
    expect(page.stdout).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page.stdout).toContain('<a href="notes/2026/11/2026-11-23-americas-ada.md">');
  });

  test("counts agree with their nouns: one shift, one conversation, one row", async () => {
    const dir = await teamRepo();
    const note = await rota(
      ["notes", "--as", "grace", "--answer", "struggles=x", "--answer", "fix=y"].concat([
        "--answer",
        "handled=7",
        "--answer",
        "mood=4",
      ]),
      { cwd: dir, env: at },
    );
    expect(note.code, note.stderr).toBe(0);
    writeFileSync(
      path.join(dir, "one.csv"),
      "agent,timestamp,id\ngrace,2026-11-24T10:00:00Z,1\nnobody,2026-11-24T10:00:00Z,2\n",
    );
    for (const format of ["terminal", "md", "html"]) {
      const result = await rota(["report", "--tickets", "one.csv", "--format", format], {
        cwd: dir,
        env: at,
      });
      expect(result.code, result.stderr).toBe(0);
      const text = result.stdout;
      expect(text, format).toContain(
        "1 conversation handled on shifts, from one.csv (generic, 2 rows)",
      );
      expect(text, format).toContain("1 row was not joined to a shift");
      expect(text, format).toMatch(
        /7 (conversations )?over 1 shift (with a count|that gave a count)/,
      );
      expect(text, format).toMatch(/4 on average (\(1 rough to 5 great\) )?over 1 shift\b/);
      expect(text, format).not.toMatch(/\b1 (shifts|conversations|rows)\b/);
    }
    const digest = await rota(["report", "--period", "week", "--tickets", "one.csv"], {
      cwd: dir,
      env: at,
    });
    expect(digest.stdout).toContain("Help desk: 1 conversation handled on shifts.");
  });

  test("a spread of one shift says 1 shift in every format", async () => {
    // Two people on one seat for three days: 2 and 1 served, 1.5 owed each.
    const dir = await deskRepo([
      "{ id: ada, name: Ada Lovelace }",
      "{ id: grace, name: Grace Hopper }",
    ]);
    const env = { ROTA_NOW: "2026-10-21T18:00:00+02:00" };
    const json = JSON.parse((await rota(["report", "--json"], { cwd: dir, env })).stdout);
    expect(json.fairness.spread).toBe(1);
    for (const format of ["terminal", "md", "html"]) {
      const result = await rota(["report", "--format", format], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout, format).toMatch(
        /Spread:? 1 shift \(largest minus smallest difference\)/,
      );
      expect(result.stdout, format).toContain("fairness spread 1 shift.");
      expect(result.stdout, format).not.toMatch(/\b1 shifts\b/);
    }
  });

  test("--out writes the file (format from its extension), with links relative to it", async () => {
    const dir = await repoWithNotes();
    mkdirSync(path.join(dir, "docs"));
    const result = await rota(["report", "--out", "docs/REPORT.md"], { cwd: dir, env: at });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("wrote docs/REPORT.md\n");
    const text = readFileSync(path.join(dir, "docs/REPORT.md"), "utf8");
    expect(text).toMatch(/^# Acme support report/);
    expect(text).toContain("(../notes/2026/11/2026-11-23-americas-ada.md)");
    const again = await rota(["report", "--out", "report.json"], { cwd: dir, env: at });
    expect(again.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")).version).toBe(1);
  });

  test("the headline counts the active people who served, and those who have left apart", async () => {
    // ken leaves on 2027-01-31, after serving.
    const dir = await teamRepo();
    const after = { ROTA_NOW: "2027-02-03T10:00:00+01:00" };
    const report = JSON.parse((await rota(["report", "--json"], { cwd: dir, env: after })).stdout);
    const ken = report.people.find((p: { id: string }) => p.id === "ken");
    expect(ken).toMatchObject({ active: false, left: "2027-01-31" });
    expect(ken.served).toBeGreaterThan(0);
    expect(report.totals).toMatchObject({ people: 17, active: 16 });
    const terminal = await rota(["report"], { cwd: dir, env: after });
    expect(terminal.stdout).toContain(
      `${report.totals.shifts} shifts served by 16 of 16 active people and 1 who has left; `,
    );
  });

  test("an unreadable note is a warning, never a failure", async () => {
    const dir = await repoWithNotes();
    const bad = path.join(dir, "notes/2026/11/2026-11-24-emea-broken.md");
    writeFileSync(bad, "no front matter here\n");
    writeFileSync(path.join(dir, "notes/2026/11/binary.md"), Buffer.from([0x2d, 0x2d, 0x00, 0xff]));
    writeFileSync(path.join(dir, "notes/TEMPLATE.md"), "---\nquestions: []\n---\n");
    const result = await rota(["report", "--json"], { cwd: dir, env: at });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "notes/2026/11/2026-11-24-emea-broken.md:1:1: warning: a note starts with YAML front matter between --- lines; the note is skipped",
    );
    expect(result.stderr).toContain("notes/2026/11/binary.md:");
    expect(result.stderr).not.toContain("TEMPLATE");
    expect(JSON.parse(result.stdout).totals.notes).toBe(3);
  });

  test("a folder named as a note is a warning, in report and site, and what it holds is not read", async () => {
    const dir = await repoWithNotes();
    const folder = path.join(dir, "notes/2026/11/2026-11-20-emea-jony.md");
    mkdirSync(folder);
    writeFileSync(path.join(folder, "2026-11-20-emea-jony.md"), "---\nperson: jony\n---\n");
    const warning =
      "notes/2026/11/2026-11-20-emea-jony.md: warning: it is a folder, not a notes file, so it is skipped";
    const report = await rota(["report", "--json"], { cwd: dir, env: at });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toContain(warning);
    expect(report.stderr.match(/warning/g)).toHaveLength(1);
    expect(JSON.parse(report.stdout).totals.notes).toBe(3);
    const site = await rota(["site"], { cwd: dir, env: at });
    expect(site.code, site.stderr).toBe(0);
    expect(site.stderr).toContain(warning);
  });

  test("a note whose front matter was edited to another person is a warning, skipped as rota notes refuses it", async () => {
    const dir = await repoWithNotes();
    const file = "notes/2026/11/2026-11-23-americas-ada.md";
    const note = path.join(dir, file);
    writeFileSync(note, readFileSync(note, "utf8").replace("person: ada", "person: grace"));
    const warning = `${file}:2:1: warning: this note's front matter says person grace, but its path says ada; it was edited or moved by hand: fix its front matter or move it back; the note is skipped`;
    const report = await rota(["report", "--json"], { cwd: dir, env: at });
    expect(report.code).toBe(0);
    expect(report.stderr).toContain(warning);
    expect(JSON.parse(report.stdout).totals.notes).toBe(2);
    const fix = await rota(["fix", "--json"], { cwd: dir, env: at });
    expect(fix.stderr).toContain(warning);
    const notes = await rota(["notes", "--answer", "struggles=X", "--answer", "fix=Y"], {
      cwd: dir,
      env: at,
    });
    expect(notes.code).toBe(2);
    expect(notes.stderr).toContain(
      `${file}:2:1: this note's front matter says person grace, but its path says ada`,
    );
  });

  test("a copy of a note under another name is a warning, counted once, in report and site", async () => {
    const dir = await repoWithNotes();
    const own = "notes/2026/11/2026-11-23-americas-ada.md";
    const before = JSON.parse((await rota(["report", "--json"], { cwd: dir, env: at })).stdout);
    // Sorted before the note itself, and after it.
    const copies = ["notes/2026/11/0-saved.md", "notes/2026/11/copy.md"];
    for (const copy of copies) copyFileSync(path.join(dir, own), path.join(dir, copy));
    const report = await rota(["report", "--json"], { cwd: dir, env: at });
    expect(report.code, report.stderr).toBe(0);
    for (const copy of copies) {
      expect(report.stderr).toContain(
        `${copy}:1:1: warning: ${own} is about the same shift and person (2026-11-23/americas, ada), and rota keeps one note for each; the note is skipped: move its entries into ${own} and delete it`,
      );
    }
    const counted = JSON.parse(report.stdout);
    expect(counted.totals.notes).toBe(3);
    expect(counted).toEqual(before);
    const site = await rota(["site"], { cwd: dir, env: at });
    expect(site.code, site.stderr).toBe(0);
    expect(site.stderr).toContain("notes/2026/11/copy.md:1:1: warning:");
    expect(existsSync(path.join(dir, "public/notes/2026/11/copy.html"))).toBe(false);
    expect(existsSync(path.join(dir, "public/notes/2026/11/2026-11-23-americas-ada.html"))).toBe(
      true,
    );
  });

  test("bad flags and a missing schedule are usage errors", async () => {
    const dir = await teamRepo();
    for (const [args, message] of [
      [["--format", "pdf"], 'rota: --format must be terminal, md, json or html, not "pdf"\n'],
      [
        ["--since", "2026-11-20", "--until", "2026-11-01"],
        "rota: --until (2026-11-01) is before --since (2026-11-20)\n",
      ],
      // One flag alone meets the other's default: today, or the schedule's first day.
      [
        ["--since", "2027-01-01"],
        "rota: --since 2027-01-01 is after the report's end, today 2026-11-24: give a --since on or before 2026-11-24, or a later --until too\n",
      ],
      [
        ["--period", "week", "--since", "2026-11-25"],
        "rota: --since 2026-11-25 is after the report's end, today 2026-11-24: give a --since on or before 2026-11-24, or a later --until too\n",
      ],
      [
        ["--until", "2020-01-01"],
        "rota: --until 2020-01-01 is before the report's start, the schedule's first day 2026-11-16: give an --until on or after 2026-11-16, or an earlier --since too\n",
      ],
      [
        ["--since", "yesterday"],
        'rota: --since: "yesterday" is not a time; use ISO 8601 such as 2026-11-23T09:00:00Z or 2026-11-23\n',
      ],
      [["--json", "--format", "md"], "rota: --json and --format md disagree: pass one of them\n"],
    ] as const) {
      const result = await rota(["report", ...args], { cwd: dir, env: at });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(message);
    }
    // Up to the other's default is a window of a day.
    for (const args of [
      ["--since", "2026-11-24"],
      ["--until", "2026-11-16"],
    ]) {
      const result = await rota(["report", "--json", ...args], { cwd: dir, env: at });
      expect(result.code, result.stderr).toBe(0);
    }
    const missing = await rota(["report", "--schedule", "none.yaml"], { cwd: dir, env: at });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("none.yaml not found: run `rota plan`");
  });

  test("--format markdown is md, as a .markdown --out file is", async () => {
    const dir = await teamRepo();
    const md = await rota(["report", "--format", "md"], { cwd: dir, env: at });
    const markdown = await rota(["report", "--format", "markdown"], { cwd: dir, env: at });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toMatch(/^# /);
    expect(markdown).toEqual(md);
  });
});

describe("rota report: someone added to the roster later", () => {
  test("is owed a share only from the day schedule.yaml counts them from", async () => {
    const dir = await deskRepo([
      "{ id: ada, name: Ada Lovelace }",
      "{ id: grace, name: Grace Hopper }",
      "{ id: linus, name: Linus Torvalds }",
    ]);
    const roster = path.join(dir, "roster.yaml");
    writeFileSync(
      roster,
      `${readFileSync(roster, "utf8")}  - { id: dennis, name: Dennis Ritchie }\n`,
    );
    const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2026-10-30T08:00:00+01:00" } });
    expect(plan.code, plan.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "schedule.yaml"), "utf8")).toContain(
      'counted_from:\n  dennis: "2026-10-30"\n',
    );
    commitAll(dir, "Dennis joins the rota");
    const env = { ROTA_NOW: "2026-10-30T18:00:00+01:00" };
    const window = ["--since", "2026-10-19", "--until", "2026-10-30"];
    const result = await rota(["report", "--json", ...window], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    type Row = { id: string; served: number; expected: number; deviation: number };
    const dennis = report.people.find((p: Row) => p.id === "dennis");
    // Ten seats served; the last, on 30 October, shared four ways.
    expect(dennis).toMatchObject({ served: 0, expected: 0.25, deviation: -0.25 });
    const sum = report.people.reduce((all: number, p: Row) => all + p.expected, 0);
    expect(Math.round(sum * 100) / 100).toBe(10);
    expect(report.fairness.mostBelow).not.toBe("dennis");
    expect(report.fairness.spread).toBeLessThan(1.5);
  });
});

describe("rota report: a newcomer's first shift", () => {
  test("only planned, it is not on time yet; served within the days, it is", async () => {
    const dir = initRepo(tempDir());
    writeFileSync(
      path.join(dir, "roster.yaml"),
      `${DESK.replace("people:\n", "rules:\n  newcomers: { first_shift_within_days: 28 }\npeople:\n")}${[
        "{ id: ada, name: Ada Lovelace }",
        "{ id: grace, name: Grace Hopper }",
        "{ id: dennis, name: Dennis Ritchie, joined: 2026-10-26 }",
      ]
        .map((line) => `  - ${line}\n`)
        .join("")}`,
    );
    const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2026-10-19T08:00:00+02:00" } });
    expect(plan.code, plan.stderr).toBe(0);
    commitAll(dir, "Roster and first plan");
    const window = ["--since", "2026-10-19"];
    // The morning Dennis joins, an hour before the first shift the plan gives him.
    const before = { ROTA_NOW: "2026-10-26T08:00:00+01:00" };
    const planned = JSON.parse(
      (await rota(["report", "--json", ...window], { cwd: dir, env: before })).stdout,
    );
    expect(planned.newcomers).toEqual([
      expect.objectContaining({
        id: "dennis",
        firstShift: expect.objectContaining({ id: "2026-10-26/emea", served: false }),
        daysAfterJoining: 0,
        within: 28,
        onTime: null,
      }),
    ]);
    const md = await rota(["report", "--format", "md", ...window], { cwd: dir, env: before });
    expect(md.stdout).toContain(
      "| Dennis Ritchie | 2026-10-26 | 2026-10-26/emea (planned) | 0 | — |",
    );
    const terminal = await rota(["report", ...window], { cwd: dir, env: before });
    expect(terminal.stdout).toMatch(
      /Dennis Ritchie +2026-10-26 +2026-10-26\/emea \(planned\) +0 +—\n/,
    );
    const html = await rota(["report", "--format", "html", ...window], { cwd: dir, env: before });
    expect(html.stdout).toContain('<td data-label="On time">—</td>');

    const after = { ROTA_NOW: "2026-10-26T18:00:00+01:00" };
    const served = JSON.parse(
      (await rota(["report", "--json", ...window], { cwd: dir, env: after })).stdout,
    );
    expect(served.newcomers[0]).toMatchObject({ firstShift: { served: true }, onTime: true });
    const shown = await rota(["report", "--format", "md", ...window], { cwd: dir, env: after });
    expect(shown.stdout).toContain(
      "| Dennis Ritchie | 2026-10-26 | 2026-10-26/emea | 0 | yes (within 28) |",
    );
  });
});

describe("rota report: someone removed from the roster", () => {
  test("who served in the window is a row of their own: their notes and their share counted", async () => {
    const dir = await deskRepo([
      "{ id: ada, name: Ada Lovelace }",
      "{ id: grace, name: Grace Hopper }",
      "{ id: ken, name: Ken Thompson, team: os }",
    ]);
    const after = { ROTA_NOW: "2026-10-23T18:00:00+02:00" };
    const week = readSchedule(dir).filter((e) => e.date >= "2026-10-19" && e.date <= "2026-10-23");
    // Notes for every shift but Monday's.
    for (const entry of week.filter((e) => e.date !== "2026-10-19")) {
      const args = ["--shift", entry.id, "--answer", "struggles=x", "--answer", "fix=y"];
      const note = await rota(["notes", "--as", entry.people[0] as string, ...args], {
        cwd: dir,
        env: after,
      });
      expect(note.code, note.stderr).toBe(0);
    }
    const kens = week.filter((e) => e.people.includes("ken"));
    expect(kens.length).toBeGreaterThan(0);
    const roster = path.join(dir, "roster.yaml");
    writeFileSync(roster, readFileSync(roster, "utf8").replace(/^ {2}- \{ id: ken.*\n/m, ""));
    const plan = await rota(["plan"], { cwd: dir, env: after });
    expect(plan.code, plan.stderr).toBe(0);
    commitAll(dir, "Ken leaves the rota");

    const window = ["--since", "2026-10-19", "--until", "2026-10-23"];
    const json = await rota(["report", "--json", ...window], { cwd: dir, env: after });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.totals).toMatchObject({ people: 3, active: 2, shifts: 5, withNotes: 4 });
    expect(report.totals.notesShare).toBe(0.8);
    type Row = { id: string; expected: number; notes: { written: number } };
    const ken = report.people.find((p: Row) => p.id === "ken");
    // The name and team as the roster last had them.
    expect(ken).toMatchObject({
      name: "Ken Thompson",
      team: "os",
      active: false,
      served: kens.length,
      quota: null,
      overdue: false,
      notes: { written: kens.filter((e) => e.date !== "2026-10-19").length, missing: [] },
      left: null,
      standing: { status: "left", summary: "no longer on the roster" },
      onRoster: false,
    });
    expect(Object.keys(ken).at(-1)).toBe("onRoster");
    expect(report.people.map((p: Row & { onRoster: boolean }) => [p.id, p.onRoster])).toEqual([
      ["ada", true],
      ["grace", true],
      ["ken", false],
    ]);
    // Ken is owed his part of the days he was on the roster; nobody owes it for him.
    expect(ken.expected).toBeGreaterThan(0);
    const shares = report.people.reduce((sum: number, p: Row) => sum + p.expected, 0);
    expect(shares).toBeCloseTo(5, 1);
    expect(report.teams.find((t: { id: string }) => t.id === "os")).toMatchObject({
      people: 1,
      active: 0,
      served: kens.length,
    });

    const text = await rota(["report", ...window], { cwd: dir, env: after });
    expect(text.stdout).toContain(
      "5 shifts served by 2 of 2 active people and 1 no longer on the roster; 80% with notes;",
    );
    expect(text.stdout).toMatch(/Ken Thompson +os +\d+ .*no longer on the roster/);
    expect(text.stdout).toContain("4 of 5 served shifts have notes (80%).");

    // The site's report has his row under his name; removing him took his page down.
    const site = await rota(["site"], { cwd: dir, env: after });
    expect(site.code, site.stderr).toBe(0);
    const reportPage = readFileSync(path.join(dir, "public/report.html"), "utf8");
    expect(reportPage).toMatch(/<td[^>]*>Ken Thompson<\/td>/);
    expect(reportPage).not.toContain("people/ken.html");
    expect(existsSync(path.join(dir, "public/people/ken.html"))).toBe(false);
    const noted = kens.find((e) => e.date !== "2026-10-19");
    expect(noted).toBeDefined();
    const notePage = readFileSync(
      path.join(dir, `public/notes/2026/10/${noted?.date}-emea-ken.html`),
      "utf8",
    );
    expect(notePage).toMatch(/<title>[^<]*: Ken Thompson<\/title>/);
  });
});

describe("rota report on the day rota is adopted", () => {
  test("a month that began before rota is unknown: nobody is overdue for it", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "examples/sitepoint.yaml"), path.join(dir, "roster.yaml"));
    const adopted = { ROTA_NOW: "2026-11-16T08:00:00+11:00" };
    const plan = await rota(["plan"], { cwd: dir, env: adopted });
    expect(plan.code, plan.stderr).toBe(0);
    const json = await rota(["report", "--json"], { cwd: dir, env: adopted });
    const report = JSON.parse(json.stdout);
    expect(report.totals.overdue).toBe(0);
    const statuses = new Set(
      report.people.map((p: { quota: { current: { status: string } } }) => p.quota.current.status),
    );
    // Some are planned in what is left of November; the others count from December.
    expect([...statuses].sort()).toEqual(["planned", "unknown"]);
    for (const person of report.people) {
      expect(person.standing).toEqual(
        person.quota.current.status === "planned"
          ? { status: "ok", summary: "ok" }
          : { status: "unknown", summary: "counts from 2026-12: rota began 2026-11-16" },
      );
    }
    const text = await rota(["report"], { cwd: dir, env: adopted });
    expect(text.stdout).toContain("; 0 overdue;");
    expect(text.stdout).not.toMatch(/overdue:/);
  });
});

describe("rota report after the schedule runs out", () => {
  test("a month it was not planned through had no seats: nobody missed it, and the report says so", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2026-12-07T06:00:00Z" } });
    expect(plan.code, plan.stderr).toBe(0);
    // Planned through 2027-02-28; April's report looks back at March, which had no seats.
    const later = { ROTA_NOW: "2027-04-10T12:00:00Z" };
    const json = await rota(["report", "--json"], { cwd: dir, env: later });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.totals.overdue).toBe(0);
    const previous = report.people
      .filter((p: { quota: unknown }) => p.quota !== null)
      .map((p: { quota: { previous: { period: string; status: string } } }) => p.quota.previous);
    expect(previous.length).toBeGreaterThan(10);
    // March for monthly quotas, the first quarter for quarterly ones (planned through February).
    expect(new Set(previous.map((p: { period: string }) => p.period))).toEqual(
      new Set(["2027-03", "2027-Q1"]),
    );
    expect(new Set(previous.map((p: { status: string }) => p.status))).toContain("unplanned");
    expect(previous.map((p: { status: string }) => p.status)).not.toContain("missed");
    expect(json.stderr).toContain(
      "warning: schedule.yaml is planned only through 2027-02-28: the days since have no seats, and nobody is counted as missing a turn in them; run `rota plan`",
    );
    const text = await rota(["report"], { cwd: dir, env: later });
    expect(text.stdout).toContain("; 0 overdue;");
    // Within the plan, no warning.
    const within = await rota(["report"], { cwd: dir, env: { ROTA_NOW: "2027-02-10T12:00:00Z" } });
    expect(within.code, within.stderr).toBe(0);
    expect(within.stderr).not.toContain("planned only through");
  });

  test("a window in the years 0000 to 0099 is in those years, not 1900 to 1999", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    expect(
      (await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2026-12-07T06:00:00Z" } })).code,
    ).toBe(0);
    const result = await rota(
      ["report", "--json", "--since", "0050-01-01", "--until", "0050-12-31"],
      {
        cwd: dir,
        env: { ROTA_NOW: "2026-12-07T06:00:00Z" },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).window).toEqual({ since: "0050-01-01", until: "0050-12-31" });
  });
});

describe("rota report: the past as it was", () => {
  test("a seat added to a shift changes nobody's share of the days already served", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const planned = await rota(["plan"], {
      cwd: dir,
      env: { ROTA_NOW: "2026-11-23T08:00:00+01:00" },
    });
    expect(planned.code, planned.stderr).toBe(0);
    const later = { ROTA_NOW: "2027-02-01T08:00:00+01:00" };
    type Row = { id: string; served: number; expected: number };
    const figures = async () => {
      const result = await rota(["report", "--json"], { cwd: dir, env: later });
      expect(result.code, result.stderr).toBe(0);
      const people = JSON.parse(result.stdout).people as Row[];
      const sum = (key: "served" | "expected") => people.reduce((all, row) => all + row[key], 0);
      return { people, served: sum("served"), expected: Math.round(sum("expected") * 10) / 10 };
    };
    const before = await figures();
    expect(before.expected).toBe(before.served);
    // EMEA gets a third seat from today on: the 138 seats served stay the shares' sum.
    const roster = path.join(dir, "roster.yaml");
    writeFileSync(
      roster,
      readFileSync(roster, "utf8").replace(
        "      - role: any # anyone, e.g. an engineer or a founder\n",
        "      - role: any # anyone, e.g. an engineer or a founder\n      - role: any\n",
      ),
    );
    const after = await figures();
    expect(after.served).toBe(before.served);
    expect(after.expected).toBe(before.served);
    expect(after.people).toEqual(before.people);
  });
});
