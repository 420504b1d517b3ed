import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";
import { git, initRepo } from "./helpers/git.ts";
import { runInProcess } from "./helpers/in-process.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * `rota plan --check`, the pull-request gate, as a team meets it month after
 * month: a schedule nobody renews fails weeks before it runs out; gaps the
 * committed schedule already has are listed with what would fill them, not
 * held against every unrelated change; a change that opens a new gap is stale
 * until planned. The terminal, markdown and JSON outputs say the same thing.
 */

const PLANNED = "2026-11-20T09:00:00Z";
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.parse(PLANNED) + days * DAY).toISOString();

function team(roster: string): string {
  const dir = tempDir();
  copyFileSync(path.join(ROOT, roster), path.join(dir, "roster.yaml"));
  return dir;
}

function editRoster(dir: string, edit: (text: string) => string): void {
  const file = path.join(dir, "roster.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
}

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** A markdown node's text, as a reader sees it. */
function plainText(node: MdNode): string {
  return node.value ?? (node.children ?? []).map(plainText).join("");
}

/** The code spans of a markdown tree, in order. */
function codeSpans(node: MdNode): string[] {
  return node.type === "inlineCode"
    ? [node.value as string]
    : (node.children ?? []).flatMap(codeSpans);
}

interface CheckJson {
  ok: boolean;
  exists: boolean;
  plannedUntil: string | null;
  daysAhead: number;
  planAheadDays: number;
  short: boolean;
  stale: boolean;
  changes: { id: string; before: string[] | null; after: string[] | null }[];
  gaps: { id: string; role: string; reason: string; known: boolean }[];
  failOnGaps: boolean;
}

/** The check in all three formats, which must agree on the verdict. */
async function checkAll(dir: string, now: string, ...flags: string[]) {
  const env = { ROTA_NOW: now, TZ: "UTC" };
  const [text, md, json] = await Promise.all([
    rota(["plan", "--check", ...flags], { cwd: dir, env }),
    rota(["plan", "--check", "--format", "md", ...flags], { cwd: dir, env }),
    rota(["plan", "--check", "--json", ...flags], { cwd: dir, env }),
  ]);
  const result = JSON.parse(json.stdout) as CheckJson;
  expect(md.code).toBe(text.code);
  expect(json.code).toBe(text.code);
  expect(text.code).toBe(result.ok ? 0 : 1);
  return { text, md: md.stdout, json: result };
}

describe("rota plan --check: planned far enough ahead", () => {
  test("a schedule nobody renews fails from the week it is less than half the horizon ahead, naming the day it runs out", async () => {
    const dir = team("roster.example.yaml");
    expect((await rota(["plan"], { cwd: dir, env: { ROTA_NOW: PLANNED } })).code).toBe(0);
    // Planned to 2027-02-12 (12 weeks); the roster's default asks for 6 weeks ahead.
    const fine = await checkAll(dir, at(42));
    expect(fine.text.code).toBe(0);
    expect(fine.json).toMatchObject({
      ok: true,
      plannedUntil: "2027-02-12",
      daysAhead: 42,
      planAheadDays: 42,
      short: false,
      stale: false,
    });
    expect(fine.md).toBe(
      "schedule.yaml is up to date with the roster, planned 6 weeks ahead (through Thu 11 Feb 2027).\n",
    );

    const short = await checkAll(dir, at(43));
    expect(short.text.code).toBe(1);
    expect(short.json).toMatchObject({ ok: false, daysAhead: 41, short: true, stale: false });
    expect(short.text.stdout).toBe(
      "schedule.yaml runs out on Fri 12 Feb 2027 (`planned_until`): 41 days from today; the roster asks for at least 6 weeks planned ahead (`rules.plan_ahead_weeks`). Run `rota plan` and commit the result (the CI job's weekly run proposes it as a pull request).\n",
    );
    expect(short.text.stderr).toBe("run `rota plan` and commit the result\n");
    expect(short.md).toBe(
      "### schedule.yaml runs out on Fri 12 Feb 2027 (`planned_until`)\n\n41 days from today; the roster asks for at least 6 weeks planned ahead (`rules.plan_ahead_weeks`). Run `rota plan` and commit the result (the CI job's weekly run proposes it as a pull request).\n",
    );

    // Twelve weeks on: nobody is on support, and the check says so.
    const out = await checkAll(dir, at(90));
    expect(out.json).toMatchObject({ short: true, daysAhead: -6 });
    expect(out.text.stdout).toMatch(
      /^schedule\.yaml ran out on Fri 12 Feb 2027 \(`planned_until`\): nothing is planned from then on, so nobody is on support;/,
    );
    const who = await rota(["who", "--json"], { cwd: dir, env: { ROTA_NOW: at(90) } });
    expect(JSON.parse(who.stdout).shifts).toEqual([]);

    // Planning again puts it right.
    expect((await rota(["plan"], { cwd: dir, env: { ROTA_NOW: at(90) } })).code).toBe(0);
    expect((await checkAll(dir, at(90))).json).toMatchObject({ ok: true, daysAhead: 84 });
  });

  test("rules.plan_ahead_weeks sets how far ahead; 0 never fails", async () => {
    const dir = team("roster.example.yaml");
    editRoster(dir, (text) => text.replace("\nrules:\n", "\nrules:\n  plan_ahead_weeks: 10\n"));
    expect((await rota(["plan"], { cwd: dir, env: { ROTA_NOW: PLANNED } })).code).toBe(0);
    expect((await checkAll(dir, at(14))).json).toMatchObject({ ok: true, planAheadDays: 70 });
    const short = await checkAll(dir, at(15));
    expect(short.json).toMatchObject({ ok: false, short: true, planAheadDays: 70 });
    expect(short.text.stdout).toContain("the roster asks for at least 10 weeks planned ahead");

    editRoster(dir, (text) => text.replace("plan_ahead_weeks: 10", "plan_ahead_weeks: 0"));
    expect((await checkAll(dir, at(120))).json).toMatchObject({ ok: true, short: false });
  });

  test("the default is half of horizon_weeks", async () => {
    const dir = team("roster.example.yaml");
    editRoster(dir, (text) => text.replace("horizon_weeks: 12", "horizon_weeks: 5"));
    expect((await rota(["plan"], { cwd: dir, env: { ROTA_NOW: PLANNED } })).code).toBe(0);
    expect((await checkAll(dir, at(17))).json).toMatchObject({ ok: true, planAheadDays: 17.5 });
    const short = await checkAll(dir, at(18));
    expect(short.json).toMatchObject({ ok: false, short: true, daysAhead: 17 });
    expect(short.text.stdout).toContain("the roster asks for at least 2.5 weeks planned ahead");
  });
});

describe("rota plan --check: the days passing", () => {
  test("never make an unchanged schedule stale, though a plan made today would move seats; a roster change still does", async () => {
    // A team that plans every Monday and changes nothing: on the 16th Monday
    // the horizon reaches the end of a month in which hedy owes a turn, and
    // once the next Monday's run is missed, a plan from the Thursday on would
    // hand her a seat planned weeks ago.
    const dir = team("roster.example.yaml");
    for (let week = 0; week < 16; week++) {
      const monday = new Date(Date.parse("2026-11-23T08:00:00+01:00") + week * 7 * DAY);
      const planned = await runInProcess(["plan", "--now", monday.toISOString()], { cwd: dir });
      expect(planned.code, planned.stderr).toBe(0);
    }
    const tuesday = "2027-03-09T08:00:00+01:00";
    const thursday = "2027-03-18T08:00:00+01:00";
    const today = await rota(["plan", "--dry-run", "--now", thursday], { cwd: dir });
    expect(today.stderr).toContain("moved from susan to hedy: hedy owed a turn in the period");
    for (const day of ["2027-03-09", "2027-03-11", "2027-03-14", "2027-03-18", "2027-03-21"]) {
      const check = await rota(["plan", "--check", "--now", `${day}T08:00:00+01:00`], { cwd: dir });
      expect(check.code, check.stdout).toBe(0);
      expect(check.stderr).toMatch(/^schedule\.yaml is up to date: no changes before 2027-05-31/);
    }
    // Guido leaves at the end of April.
    editRoster(dir, (text) =>
      text.replace("    joined: 2025-03-03\n", "    joined: 2025-03-03\n    left: 2027-04-30\n"),
    );
    const stale = await rota(["plan", "--check", "--now", tuesday], { cwd: dir });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe(
      "schedule.yaml is stale: `rota plan` would change 1 occurrence:\n  ~ 2027-05-14/emea: ada, guido → ada, hedy (guido has left)\n",
    );
  });
});

describe("rota plan --check: a newcomer who joined since the last plan", () => {
  test("is stale where a plan made today gives them a first shift, though a plan as of then put it in the days since", async () => {
    // Three pros and 22 guests planned weekly; newcomers join in December and
    // hold the first weeks' seats beside a pro. A pull request then adds one
    // who joined on the day of the last plan: as of then, their first shift
    // falls in the days since, which have passed; a plan made today gives
    // them one after today.
    const person = (id: string, name: string, team: string, joined: string) =>
      `  - { id: ${id}, name: ${name}, team: ${team}, joined: "${joined}" }\n`;
    const pros = [0, 1, 2].map((i) => person(`pro${i}`, `Pro ${i}`, "support", "2024-01-01"));
    const guests = Array.from({ length: 22 }, (_, i) =>
      person(`g${String(i).padStart(2, "0")}`, `Guest ${i}`, "eng", "2024-01-01"),
    );
    const head = `version: 1
team: T
timezone: America/Chicago
horizon_weeks: 8
shifts:
  - id: queue
    days: [mon, tue, wed, thu, fri]
    start: "08:00"
    end: "17:00"
    seats: [{ role: pro }, { role: any }]
rules:
  min_gap_days: 7
  newcomers: { first_shift_within_days: 14, pair_with: pro }
teams:
  support: { roles: [pro], min_gap_days: 0 }
people:
`;
    const weeks = [
      [],
      [0, 1, 2].map((i) => person(`same${i}`, `Same ${i}`, "eng", "2026-12-07")),
      [0, 1, 2, 3].map((i) => person(`cons${i}`, `Cons ${i}`, "eng", `2026-12-1${4 + i}`)),
    ];
    const dir = tempDir();
    initRepo(dir);
    let people = [...pros, ...guests].join("");
    for (const [week, added] of weeks.entries()) {
      people += added.join("");
      writeFileSync(path.join(dir, "roster.yaml"), head + people);
      const monday = new Date(Date.parse("2026-11-16T06:00:00Z") + week * 7 * DAY).toISOString();
      const planned = await runInProcess(["plan", "--now", monday], { cwd: dir });
      expect(planned.code, planned.stderr).toBe(0);
      git(dir, "add", "-A");
      git(dir, "commit", "-qm", `week ${week}`);
    }
    writeFileSync(
      path.join(dir, "roster.yaml"),
      head + people + person("pastj", "Past J", "eng", "2026-11-30"),
    );
    const now = "2026-12-07T06:00:00Z";
    const { text, json } = await checkAll(dir, now);
    expect(text.code, text.stderr).toBe(1);
    expect(json.stale).toBe(true);
    const [change, ...more] = json.changes;
    expect(more).toEqual([]);
    expect(change?.after).toContain("pastj");
    expect((change?.id ?? "") > "2026-12-07").toBe(true);
    // What `rota plan` then writes.
    const planned = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: now } });
    expect(planned.code, planned.stderr).toBe(0);
    const schedule = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    const line = schedule.split("\n").find((l) => l.includes(`"id": "${change?.id}"`));
    expect(line).toContain('"pastj"');
    expect((await checkAll(dir, now)).text.code).toBe(0);
  });
});

describe("rota plan --check: gaps already in schedule.yaml", () => {
  /** Both support regulars away 2026-12-08 to 10: three pro seats nobody can fill. */
  const KNOWN = ["2026-12-08/day", "2026-12-09/day", "2026-12-10/day"];

  test("are listed with what would fill them, and fail only with --fail-on-gaps", async () => {
    const dir = team("test/fixtures/known-gap/roster.yaml");
    const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: PLANNED } });
    expect(plan.stderr).toContain("3 gaps");

    const { text, md, json } = await checkAll(dir, at(1));
    expect(text.code).toBe(0);
    expect(json).toMatchObject({ ok: true, stale: false, short: false, changes: [] });
    expect(json.gaps.map((gap) => [gap.id, gap.role, gap.known])).toEqual(
      KNOWN.map((id) => [id, "pro", true]),
    );
    expect(json.gaps[0]?.reason).toBe("no pro available: 2 away");
    expect(text.stdout).toBe(
      [
        "3 gaps already in schedule.yaml: replanning cannot fill them, so they do not fail this check (`--fail-on-gaps` makes them):",
        ...KNOWN.map((id) => `  ${id}  pro seat: no pro available: 2 away`),
        "To fill them: add someone who can take a pro seat on those days (a person or a team with `roles: [pro]`) or move time off that leaves nobody; then run `rota plan` and commit the result.",
        "",
      ].join("\n"),
    );
    expect(text.stderr).toBe(
      "schedule.yaml is up to date: no changes before 2027-02-12, 3 known gaps (listed); planned 83 days ahead\n",
    );
    expect(md).toBe(
      [
        "schedule.yaml is up to date with the roster, planned 83 days ahead (through Thu 11 Feb 2027).",
        "",
        "### 3 gaps already in schedule.yaml",
        "",
        "Replanning cannot fill them, so they do not fail this check (`--fail-on-gaps` makes them).",
        "",
        ...KNOWN.map((id) => `- **${id}**, pro seat: no pro available: 2 away`),
        "",
        "To fill them: add someone who can take a pro seat on those days (a person or a team with `roles: [pro]`) or move time off that leaves nobody; then run `rota plan` and commit the result.",
        "",
      ].join("\n"),
    );

    // As a markdown renderer reads it: the headings, the gaps as a list, names in code.
    const tree = fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    const headings = tree.children.filter((n) => n.type === "heading");
    expect(headings.map((n) => plainText(n as MdNode))).toEqual([
      "3 gaps already in schedule.yaml",
    ]);
    const list = tree.children.find((n) => n.type === "list") as MdNode;
    expect(plainText(list)).toContain("2026-12-08/day, pro seat: no pro available: 2 away");
    expect(codeSpans(tree as MdNode)).toEqual(["--fail-on-gaps", "roles: [pro]", "rota plan"]);

    const strict = await checkAll(dir, at(1), "--fail-on-gaps");
    expect(strict.text.code).toBe(1);
    expect(strict.json).toMatchObject({ ok: false, stale: false, failOnGaps: true });
    expect(strict.md).toContain("They fail this check (`--fail-on-gaps`).");
  });

  test("an unrelated change passes while they are listed; a change that opens a new gap is stale until planned", async () => {
    const dir = team("test/fixtures/known-gap/roster.yaml");
    await rota(["plan"], { cwd: dir, env: { ROTA_NOW: PLANNED } });

    // Unrelated: someone's email.
    editRoster(dir, (text) =>
      text.replace(
        "{ id: linus, name: Linus Torvalds,",
        "{ id: linus, name: Linus Torvalds, email: linus@example.com,",
      ),
    );
    const unrelated = await checkAll(dir, at(1));
    expect(unrelated.text.code).toBe(0);
    expect(unrelated.json.gaps.filter((gap) => gap.known)).toHaveLength(3);

    // Both regulars away on another day inside the plan: a new gap.
    editRoster(dir, (text) =>
      text.replaceAll(
        "      - { from: 2027-03-09, to: 2027-03-11, reason: conference }\n",
        "      - { from: 2027-03-09, to: 2027-03-11, reason: conference }\n      - { from: 2027-01-19, to: 2027-01-19, reason: training }\n",
      ),
    );
    const fresh = await checkAll(dir, at(1));
    expect(fresh.text.code).toBe(1);
    expect(fresh.json).toMatchObject({ ok: false, stale: true });
    expect(fresh.json.changes.map((change) => change.id)).toEqual(["2027-01-19/day"]);
    expect(fresh.json.gaps.map((gap) => [gap.id, gap.known])).toEqual([
      ...KNOWN.map((id) => [id, true]),
      ["2027-01-19/day", false],
    ]);
    expect(fresh.text.stdout).toMatch(
      /^schedule\.yaml is stale: `rota plan` would change 1 occurrence:\n {2}~ 2027-01-19\/day: \w+, \w+ → \w+ \(\w+ is away \(training\)\)\n1 new gap: a seat schedule\.yaml fills that `rota plan` would leave open:\n {2}2027-01-19\/day {2}pro seat: no pro available: 2 away\n3 gaps already in schedule\.yaml:/,
    );
    expect(fresh.text.stderr).toBe("run `rota plan` and commit the result\n");
    expect(fresh.md).toContain(
      "### schedule.yaml is stale: `rota plan` would change 1 occurrence\n",
    );
    expect(fresh.md).toContain(
      "### 1 new gap\n\nA seat schedule.yaml fills that `rota plan` would leave open:\n\n- **2027-01-19/day**, pro seat: no pro available: 2 away\n",
    );

    // Planned and committed, it is known like the others.
    await rota(["plan"], { cwd: dir, env: { ROTA_NOW: at(1) } });
    const planned = await checkAll(dir, at(1));
    expect(planned.text.code).toBe(0);
    expect(planned.json.gaps.map((gap) => gap.known)).toEqual([true, true, true, true]);
  });

  test("a seat added to a shift is a new gap, not a known one", async () => {
    const dir = team("test/fixtures/known-gap/roster.yaml");
    await rota(["plan"], { cwd: dir, env: { ROTA_NOW: PLANNED } });
    editRoster(dir, (text) =>
      text.replace("      - role: any\n", "      - role: any\n      - role: lead\n"),
    );
    const { json } = await checkAll(dir, at(1));
    expect(json).toMatchObject({ ok: false, stale: true });
    expect(json.gaps.filter((gap) => gap.role === "lead").every((gap) => !gap.known)).toBe(true);
  });
});

describe("rota plan --check at a narrow terminal", () => {
  test("wraps its findings at word boundaries to COLUMNS, saying the same words", async () => {
    const dir = initRepo(tempDir());
    copyFileSync(
      path.join(ROOT, "test/fixtures/known-gap/roster.yaml"),
      path.join(dir, "roster.yaml"),
    );
    expect((await rota(["plan"], { cwd: dir, env: { ROTA_NOW: PLANNED } })).code).toBe(0);
    git(dir, "add", "roster.yaml", "schedule.yaml");
    git(dir, "commit", "-q", "-m", "Roster and first plan");
    // Both regulars away on one more day: a change to plan, a new gap, and the known ones.
    editRoster(dir, (text) =>
      text.replaceAll(
        "      - { from: 2027-03-09, to: 2027-03-11, reason: conference }\n",
        "      - { from: 2027-03-09, to: 2027-03-11, reason: conference }\n      - { from: 2027-01-19, to: 2027-01-19, reason: training }\n",
      ),
    );
    const args = ["plan", "--check", "--fail-on-gaps"];
    const whole = await rota(args, { cwd: dir, env: { ROTA_NOW: at(1) } });
    const narrow = await rota(args, { cwd: dir, env: { ROTA_NOW: at(1), COLUMNS: "40" } });
    expect(narrow.code).toBe(1);
    expect(whole.code).toBe(1);
    for (const part of ["is stale", "new gap", "already in", "To fill them"]) {
      expect(whole.stdout).toContain(part);
    }
    const lines = narrow.stdout.trimEnd().split("\n");
    expect(lines.filter((line) => line.length > 40)).toEqual([]);
    // Gaps and changes hang under their first line, as `rota plan` lists gaps.
    expect(lines).toContain("  2026-12-08/day pro seat: no pro");
    expect(lines).toContain("    available: 2 away");
    const words = (text: string) => text.split(/\s+/).filter(Boolean);
    expect(words(narrow.stdout)).toEqual(words(whole.stdout));
    expect(narrow.stderr).toBe(whole.stderr);
  });
});

describe("rota plan --check: a shift's hours", () => {
  test("new hours make the schedule stale until planned, and a plan while it runs keeps one line per occurrence", async () => {
    const dir = team("roster.example.yaml");
    await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2026-11-23T08:00:00Z" } });
    editRoster(dir, (text) => text.replace('    start: "09:00"', '    start: "10:00"'));
    // 09:30 in Berlin: today's EMEA day began at 09:00.
    const running = "2026-11-24T08:30:00Z";
    const stale = await checkAll(dir, running);
    expect(stale.text.code).toBe(1);
    expect(stale.json).toMatchObject({ ok: false, stale: true });
    expect(stale.text.stdout).toContain(
      "  ~ 2026-11-25/emea: ada, steve (now 10:00–17:00, was 09:00–17:00)\n",
    );
    expect(stale.json.changes.some((change) => change.id === "2026-11-24/emea")).toBe(false);

    const planned = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: running } });
    expect(planned.code).toBe(0);
    const schedule = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    expect(schedule.match(/"id": "2026-11-24\/emea"/g)).toHaveLength(1);
    expect(schedule).toContain('"start": "2026-11-24T09:00:00+01:00"');
    expect(schedule).toContain('"start": "2026-11-25T10:00:00+01:00"');
    expect((await checkAll(dir, running)).text.code).toBe(0);
    const who = await rota(["who", "--json"], { cwd: dir, env: { ROTA_NOW: running } });
    expect(who.code).toBe(0);
  });
});
