import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { LogEvent } from "../src/core/log/history.ts";
import { ROOT, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, bareRemoteOf, git, initRepo, teamRepo } from "./helpers/git.ts";
import { tempDir } from "./helpers/tmp.ts";

const NOW = { ROTA_NOW: AFTER_SHIFTS };
const NOTE_ANSWERS = ["--answer", "struggles=SSO", "--answer", "fix=Docs", "--answer", "tags=sso"];

function commitAs(dir: string, who: "grace" | "steve", message: string, ...files: string[]) {
  const identity =
    who === "grace"
      ? ["-c", "user.name=Grace Hopper", "-c", "user.email=grace@example.com"]
      : ["-c", "user.name=Steve Wozniak", "-c", "user.email=steve@example.com"];
  git(dir, "add", "--", ...files);
  git(dir, ...identity, "commit", "-q", "-m", message);
}

function editRoster(dir: string, edit: (text: string) => string) {
  const file = path.join(dir, "roster.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
}

/**
 * A history with every kind of event: the first plan, a newcomer, a swap,
 * notes written and added to, someone leaving and someone moving team.
 */
async function historyRepo(): Promise<string> {
  history ??= buildHistory();
  const dir = tempDir();
  cpSync(await history, dir, { recursive: true });
  return dir;
}

let history: Promise<string> | undefined;

afterAll(async () => {
  if (history) rmSync(await history, { recursive: true, force: true });
});

async function buildHistory(): Promise<string> {
  // Kept for the whole file (tempDir() is emptied after each test).
  const dir = await teamRepo(mkdtempSync(path.join(tmpdir(), "rota-history-")));
  editRoster(dir, (text) =>
    text.replace(
      "\nswaps:",
      "  - id: alan\n    name: Alan Turing\n    email: alan@example.com\n    team: engineering\n    joined: 2026-11-20\n\nswaps:",
    ),
  );
  expect((await rota(["plan"], { cwd: dir, env: NOW })).code).toBe(0);
  commitAs(dir, "steve", "Alan joins", "roster.yaml", "schedule.yaml");

  const swap = await rota(["swap", "2026-11-30/emea", "grace", "barbara", "--reason", "dentist"], {
    cwd: dir,
    env: NOW,
  });
  expect(swap.stderr).toContain("recorded in roster.yaml");
  commitAs(dir, "grace", "Swap with Barbara", "roster.yaml", "schedule.yaml");

  expect((await rota(["notes", ...NOTE_ANSWERS], { cwd: dir, env: NOW })).code).toBe(0);
  expect(
    (
      await rota(["notes", ...NOTE_ANSWERS], {
        cwd: dir,
        env: { ROTA_NOW: "2026-11-25T08:00:00+01:00" },
      })
    ).code,
  ).toBe(0);

  editRoster(dir, (text) =>
    text
      .replace(/ {2}- id: ken\n(?: {4}.*\n)+/, "")
      .replace(
        "name: Hedy Lamarr\n    email: hedy@example.com\n    team: design",
        "name: Hedy Lamarr\n    email: hedy@example.com\n    team: engineering",
      ),
  );
  expect((await rota(["plan"], { cwd: dir, env: NOW })).code).toBe(0);
  commitAs(dir, "steve", "Ken left; Hedy moves to engineering", "roster.yaml", "schedule.yaml");

  expect(
    (await rota(["notes", "--as", "grace", ...NOTE_ANSWERS], { cwd: dir, env: NOW })).code,
  ).toBe(0);
  return dir;
}

describe("rota log", () => {
  test("one line per event, newest first, with commit and author", async () => {
    const dir = await historyRepo();
    const result = await rota(["log"], { cwd: dir, env: { TZ: "UTC" } });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    const summaries = lines.map((line) => line.replace(/^\S+ \S+ {2}[0-9a-f]{7} {2}\S+ \S+ +/, ""));
    expect(summaries).toEqual([
      "notes 2026-11-24/emea by grace",
      "roster.yaml: hedy changed (team)",
      "roster.yaml: removed ken",
      expect.stringMatching(/^schedule\.yaml: \d+ occurrences? changed$/),
      "notes added to 2026-11-23/americas by ada",
      "notes 2026-11-23/americas by ada",
      "swap 2026-11-30/emea: grace → barbara (dentist)",
      "schedule.yaml: 1 occurrence changed",
      "roster.yaml: added alan (Alan Turing)",
      expect.stringMatching(/^schedule\.yaml: \d+ occurrences? changed(, \d+ added)?$/),
      "roster.yaml created with 17 people",
      "schedule.yaml: 112 added",
    ]);
    expect(lines[0]).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}[0-9a-f]{7} {2}Ada Lovelace {3}notes/,
    );
    expect(lines.find((l) => l.includes("removed ken"))).toContain("Steve Wozniak");
    expect(result.stderr).toBe("12 events in 7 commits\n");
  });

  test("a move with git mv is one event per file moved, and the history before it stays", async () => {
    const dir = await historyRepo();
    const before = await rota(["log", "--json"], { cwd: dir, env: { TZ: "UTC" } });
    mkdirSync(path.join(dir, "support"));
    git(dir, "mv", "roster.yaml", "schedule.yaml", "notes", "support/");
    commitAs(dir, "steve", "Move the rota into support/", "support");
    const moved = await rota(["-C", "support", "log", "--json"], { cwd: dir, env: { TZ: "UTC" } });
    expect(moved.code, moved.stderr).toBe(0);
    const events = JSON.parse(moved.stdout) as LogEvent[];
    expect(events.slice(0, 3).map((e) => [e.kind, e.summary, e.from, e.file, e.author])).toEqual([
      [
        "moved",
        "roster.yaml moved to support/roster.yaml",
        "roster.yaml",
        "support/roster.yaml",
        "Steve Wozniak",
      ],
      [
        "moved",
        "schedule.yaml moved to support/schedule.yaml",
        "schedule.yaml",
        "support/schedule.yaml",
        "Steve Wozniak",
      ],
      [
        "moved",
        "notes/ moved to support/notes/ (2 notes)",
        "notes/",
        "support/notes/",
        "Steve Wozniak",
      ],
    ]);
    expect(events.slice(3)).toEqual(JSON.parse(before.stdout));
    expect(moved.stderr).toBe("");
  });

  test("--person names someone of the roster or its history: a typo gets the closest id, exit 2", async () => {
    const dir = await historyRepo();
    const typo = await rota(["log", "--person", "grce"], { cwd: dir });
    expect(typo).toMatchObject({
      code: 2,
      stdout: "",
      stderr:
        'rota: --person: nobody called "grce" is in the roster or its history; did you mean "grace"?\n',
    });
    // Ken left the roster; his history is still his.
    const left = await rota(["log", "--person", "ken", "--json"], { cwd: dir });
    expect(left.code).toBe(0);
    expect((JSON.parse(left.stdout) as LogEvent[]).some((e) => e.kind === "person-removed")).toBe(
      true,
    );
  });

  test("--person keeps what concerns one person; --json prints stable objects", async () => {
    const dir = await historyRepo();
    const result = await rota(["log", "--person", "grace", "--json"], { cwd: dir });
    expect(result.code).toBe(0);
    const events = JSON.parse(result.stdout) as LogEvent[];
    for (const event of events) {
      expect(Object.keys(event).slice(0, 6)).toEqual([
        "commit",
        "date",
        "author",
        "email",
        "kind",
        "summary",
      ]);
      expect(event.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(event.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    }
    expect(events.map((e) => e.kind)).toEqual([
      "notes",
      "schedule-changed", // replanning after ken left gave grace a seat of ken's (the others' min_gap_days held)
      "swap-added",
      "schedule-changed",
      "schedule-changed", // after alan joined: new days for grace, and a seat of hers to someone below their share
      "roster-created",
      "schedule-changed",
    ]);
    expect(events[0]).toMatchObject({
      kind: "notes",
      person: "grace",
      occurrence: "2026-11-24/emea",
      file: "notes/2026/11/2026-11-24-emea-grace.md",
      action: "written",
      author: "Ada Lovelace",
      email: "ada@example.com",
    });
    expect(events[1]?.summary).toMatch(/^schedule\.yaml: grace on 2026-12-09\/emea/);
    expect(events[2]).toMatchObject({
      kind: "swap-added",
      occurrence: "2026-11-30/emea",
      swap: { date: "2026-11-30", shift: "emea", out: "grace", in: "barbara", reason: "dentist" },
      author: "Grace Hopper",
    });
    expect(events[3]).toMatchObject({
      kind: "schedule-changed",
      summary: "schedule.yaml: grace off 2026-11-30/emea",
      changed: 1,
      added: 0,
      removed: 0,
      occurrences: ["2026-11-30/emea"],
    });
    expect(events[4]?.summary).toBe(
      "schedule.yaml: grace on 2027-02-08/americas, 2027-02-11/americas, 2027-02-15/emea; grace off 2026-12-22/emea",
    );
    expect(events[5]).toMatchObject({
      kind: "roster-created",
      people: expect.arrayContaining(["grace"]),
    });
  });

  test("--since leaves out older commits", async () => {
    const dir = await historyRepo();
    const all = JSON.parse((await rota(["log", "--json"], { cwd: dir })).stdout) as LogEvent[];
    const future = await rota(["log", "--json", "--since", "2999-01-01"], { cwd: dir });
    expect(JSON.parse(future.stdout)).toEqual([]);
    const everything = await rota(["log", "--json", "--since", "2000-01-01"], { cwd: dir });
    expect(JSON.parse(everything.stdout)).toEqual(all);
    const bad = await rota(["log", "--since", "last tuesday"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since: "last tuesday" is not a time');
    // An empty value is a mistake too, not "since the beginning".
    const empty = await rota(["log", "--since", ""], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--since: "" is not a time');
  });

  test("a roster that stops reading as one says so, and its repair is compared with the last that did", async () => {
    const dir = await historyRepo();
    const good = readFileSync(path.join(dir, "roster.yaml"), "utf8");
    editRoster(dir, () => "oops\n");
    commitAs(dir, "steve", "clobbered", "roster.yaml");
    editRoster(dir, () => "people: [\n");
    commitAs(dir, "steve", "broken another way", "roster.yaml");
    editRoster(dir, () => good.replace("name: Ada Lovelace", "name: Ada King"));
    commitAs(dir, "grace", "restored, Ada renamed", "roster.yaml");
    const result = await rota(["log", "--json"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const events = JSON.parse(result.stdout) as LogEvent[];
    expect(events.slice(0, 4).map((e) => [e.kind, e.summary])).toEqual([
      [
        "roster-readable",
        "roster.yaml reads as a roster again, with these changes from the last version that did",
      ],
      ["person-changed", "roster.yaml: ada changed (name)"],
      [
        "roster-changed",
        expect.stringMatching(
          /^roster\.yaml changed, and still does not read as a roster: it does not parse as YAML \(line 2:1: .+\)$/,
        ),
      ],
      [
        "roster-unreadable",
        'roster.yaml no longer reads as a roster at this commit: it holds the text "oops", not the keys of a roster (version, team, people, …)',
      ],
    ]);
    expect(events.filter((e) => e.kind === "roster-created")).toHaveLength(1);
    // Ada's rename is hers; the roster's creation is the first commit's alone.
    const ada = await rota(["log", "--person", "ada"], { cwd: dir });
    const lines = ada.stdout.trimEnd().split("\n");
    expect(lines[0]).toContain("roster.yaml: ada changed (name)");
    expect(lines.filter((line) => line.includes("roster.yaml created"))).toEqual([
      expect.stringContaining("roster.yaml created with 17 people"),
    ]);
    expect(lines.filter((line) => line.includes("roster.yaml reads"))).toEqual([]);
  });

  test("a shallow clone says what is missing instead of failing", async () => {
    const remote = bareRemoteOf(await historyRepo());
    const clone = path.join(tempDir(), "shallow");
    git(path.dirname(clone), "clone", "-q", "--depth", "2", `file://${remote}`, clone);
    const result = await rota(["log", "--json"], { cwd: clone });
    expect(result.code).toBe(0);
    const events = JSON.parse(result.stdout) as LogEvent[];
    expect(events.map((e) => e.kind)).toEqual(["notes", "history-missing"]);
    expect(result.stderr).toMatch(
      /^this is a shallow clone: history before \d{4}-\d{2}-\d{2} is not here; run `git fetch --unshallow` for the whole log\n$/,
    );
  });

  test("the notes template and other files kept beside the notes are in the log", async () => {
    const dir = await teamRepo();
    const template = readFileSync(path.join(ROOT, "templates", "notes.md"), "utf8");
    mkdirSync(path.join(dir, "notes"), { recursive: true });
    writeFileSync(path.join(dir, "notes", "TEMPLATE.md"), template);
    commitAs(dir, "grace", "Our own notes template", "notes/TEMPLATE.md");
    writeFileSync(path.join(dir, "notes", "TEMPLATE.md"), `${template}\n`);
    writeFileSync(path.join(dir, "notes", "README.md"), "How we write notes\n");
    commitAs(dir, "steve", "A question more, and a readme", "notes");
    git(dir, "rm", "-q", "notes/README.md");
    commitAs(dir, "grace", "No readme after all", "notes");

    const result = await rota(["log"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").map((line) => line.split(/ {2,}/).at(-1))).toEqual([
      "notes/README.md removed",
      "notes/README.md added",
      "notes template changed",
      "notes template added",
      "roster.yaml created with 17 people",
      "schedule.yaml: 112 added",
      "",
    ]);
    const events = JSON.parse((await rota(["log", "--json"], { cwd: dir })).stdout) as LogEvent[];
    expect(events[2]).toMatchObject({
      kind: "notes-template",
      author: "Steve Wozniak",
      file: "notes/TEMPLATE.md",
      change: "changed",
    });
    expect(events[1]).toMatchObject({
      kind: "notes-file",
      file: "notes/README.md",
      change: "added",
    });
  });

  test("a notes template set in the roster is followed wherever it is", async () => {
    const dir = await teamRepo();
    editRoster(dir, (text) => `${text}\nnotes:\n  template: team/questions.md\n`);
    mkdirSync(path.join(dir, "team"));
    writeFileSync(
      path.join(dir, "team", "questions.md"),
      readFileSync(path.join(ROOT, "templates", "notes.md"), "utf8"),
    );
    commitAs(dir, "grace", "Questions of our own", "roster.yaml", "team/questions.md");
    const events = JSON.parse((await rota(["log", "--json"], { cwd: dir })).stdout) as LogEvent[];
    expect(events.map((e) => e.summary).slice(0, 2)).toEqual([
      "roster.yaml: changed notes",
      "notes template added",
    ]);
    expect(events[1]).toMatchObject({ kind: "notes-template", file: "team/questions.md" });
  });

  test("outside a repository, or before the first commit", async () => {
    const outside = await rota(["log"], { cwd: tempDir() });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain(
      "is not inside a git repository: rota log reads the history of the repository that holds the roster",
    );
    const empty = await rota(["log", "--json"], { cwd: initRepo() });
    expect(empty).toMatchObject({ code: 0, stdout: "[]\n" });
    expect(empty.stderr).toBe("no commits yet: the log starts with the first commit\n");
  });
});
