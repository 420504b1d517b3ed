import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { generateRoster } from "../bench/generate.mjs";
import { formatProblem, summarizeProblems } from "../src/core/problems.ts";
import { parseRosterFully } from "../src/core/roster/parse.ts";
import { ROOT, rota } from "./helpers/cli.ts";
import { runInProcess } from "./helpers/in-process.ts";
import { NOW, plannedRepo, readSchedule } from "./helpers/repo.ts";
import { tempDir } from "./helpers/tmp.ts";

const FIXTURES = path.join(ROOT, "test/fixtures/invalid");
const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith(".yaml"))
  .sort();

describe("invalid rosters: every problem, with its exact line and column", () => {
  test("there are at least 25 invalid rosters", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
  });

  test.each(fixtures)("%s", async (name) => {
    const expected = readFileSync(
      path.join(FIXTURES, name.replace(/\.yaml$/, ".expected")),
      "utf8",
    );
    const result = await runInProcess(["validate", "--roster", name], { cwd: FIXTURES });
    expect(result.stderr).toBe(expected);
    expect(result.stdout).toBe("");
    expect(result.code).toBe(2);
    // Every problem line has the FILE:LINE:COL: prefix, and they come in line order.
    const lines = expected.trimEnd().split("\n");
    const positions = lines.slice(0, -1).map((line) => {
      const match = new RegExp(`^${name.replace(".", "\\.")}:(\\d+):(\\d+): `).exec(line);
      expect(match, line).not.toBeNull();
      return [Number(match?.[1]), Number(match?.[2])] as const;
    });
    const sorted = [...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(positions).toEqual(sorted);
    expect(lines.at(-1)).toMatch(/^\d+ errors?( and \d+ warnings?)? in /);
  });
});

describe("the built CLI on invalid rosters", () => {
  test.concurrent.each(fixtures)("%s exits 2 with the same report", async (name) => {
    const expected = readFileSync(
      path.join(FIXTURES, name.replace(/\.yaml$/, ".expected")),
      "utf8",
    );
    const result = await rota(["validate", "--roster", name], { cwd: FIXTURES });
    expect(result.stderr).toBe(expected);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("--json lists {file,line,col,severity,message} on stdout", async () => {
    const result = await rota(
      ["validate", "--json", "--roster", "18-seat-role-nobody-holds.yaml"],
      {
        cwd: FIXTURES,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([
      {
        file: "18-seat-role-nobody-holds.yaml",
        line: 10,
        col: 15,
        severity: "warning",
        message: 'nobody holds role "pro": this seat will stay empty',
      },
      {
        file: "18-seat-role-nobody-holds.yaml",
        line: 15,
        col: 16,
        severity: "warning",
        message: 'nobody holds role "pro": newcomers cannot be paired',
      },
      {
        file: "18-seat-role-nobody-holds.yaml",
        line: 20,
        col: 20,
        severity: "error",
        message: 'unknown shift "apac"',
      },
    ]);
  });
});

describe("a team one edit from a defined team", () => {
  test("is a warning naming the file, line and the team meant; the roster stays valid", async () => {
    const dir = tempDir();
    const roster = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
    // steve's team, one letter off: he would lose the leadership quota.
    const typo = roster.replace(/(- id: steve\n(?: {4}.*\n)*? {4}team: )leadership/, "$1leadershp");
    expect(typo).not.toBe(roster);
    writeFileSync(path.join(dir, "roster.yaml"), typo);
    const line = typo.split("\n").findIndex((l) => l.includes("team: leadershp")) + 1;
    const result = await rota(["validate"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `roster.yaml:${line}:11: warning: team "leadershp" is not in teams:, so none of its rules apply to steve; did you mean "leadership"?\n`,
    );
    // Teams not defined in teams: at all (finance, design) are fine.
    expect(result.stderr.match(/warning/g)).toHaveLength(2); // the line and the count
  });
});

describe("an email with a control character", () => {
  test("is refused at its place, shown escaped: invites and mail headers carry it as written", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "roster.yaml"),
      `version: 1
team: Acme
timezone: UTC
shifts:
  - { id: desk, days: [mon], start: "09:00", end: "17:00", seats: [{ role: any }] }
people:
  - { id: ana, name: Ana, email: "ana\\x01@example.com" }
  - { id: bob, name: Bob, email: "bob@exa\\u0085mple.com" }
  - { id: cy, name: Cy, email: "cy@example.com" }
  - { id: dee, name: Dee, email: "dee\\u202e\\u2066moc.elpmaxe@example.com" }
`,
    );
    const result = await runInProcess(["validate"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        'roster.yaml:7:34: email "ana\\u0001@example.com" is not an email address like ada@example.com',
        'roster.yaml:8:34: email "bob@exa\\u0085mple.com" is not an email address like ada@example.com',
        // A bidi control, which would show the address reversed where it is read.
        'roster.yaml:10:34: email "dee\\u202e\\u2066moc.elpmaxe@example.com" is not an email address like ada@example.com',
        "3 errors in roster.yaml",
        "",
      ].join("\n"),
    );
  });
});

describe("a calendar url with a control character", () => {
  test("is refused at its place, as one-line fields are: calendars and pages show it as written", async () => {
    const dir = tempDir();
    const roster = (url: string) => `version: 1
team: Acme
timezone: UTC
shifts:
  - { id: desk, days: [mon], start: "09:00", end: "17:00", seats: [{ role: any }] }
people:
  - { id: ana, name: Ana, email: ana@example.com }
calendar:
  url: ${url}
`;
    const cases: [string, string][] = [
      ['"https://acme.github.io/\\e]0;x\\a/support\\u202e"', "U+001B (a control character)"],
      ['"https://x.example/\\e[31mred"', "U+001B (a control character)"],
      [
        "https://acme.github.io/support\u202e",
        "U+202E (a bidi control, which makes text read differently than it is stored)",
      ],
      [
        '"https://acme.github.io/\\u2066support"',
        "U+2066 (a bidi control, which makes text read differently than it is stored)",
      ],
      ['"https://acme.github.io/sup\\x7fport"', "U+007F (a control character)"],
      ['"https://acme.github.io/sup\\x85port"', "U+0085 (a control character)"],
      ["https://acme.github.io/sup\u0007port", "U+0007 (a control character)"],
    ];
    for (const [url, control] of cases) {
      writeFileSync(path.join(dir, "roster.yaml"), roster(url));
      for (const command of [["validate"], ["plan", "--dry-run"], ["calendar"]]) {
        const result = await rota(command, { cwd: dir, env: { ROTA_NOW: "2026-11-23T08:00Z" } });
        expect(result, `${command[0]} ${url}`).toEqual({
          code: 2,
          stdout: "",
          stderr: `roster.yaml:9:8: url contains ${control}; write the web address as plain text, like https://acme.github.io/support\n1 error in roster.yaml\n`,
        });
      }
    }
    writeFileSync(path.join(dir, "roster.yaml"), roster("https://acme.github.io/support?a=1#b"));
    const plain = await rota(["validate"], { cwd: dir });
    expect(plain.code, plain.stderr).toBe(0);
  });
});

describe("a problem reached through a YAML alias", () => {
  test("is placed at the alias, not at the anchored text it copies", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "roster.yaml"),
      `version: 1
team: Acme
timezone: UTC
shifts:
  - { id: desk, days: [mon], start: "09:00", end: "17:00", seats: &seats [{ role: any }] }
  - { id: late, days: [mon], start: "18:00", end: "20:00", seats: *seats }
people:
  - &ana { id: ana, name: Ana }
  - *ana
  - { id: bob, name: Bob }
`,
    );
    const result = await runInProcess(["validate"], { cwd: dir });
    expect(result.stderr).toBe(
      [
        'roster.yaml:9:5: duplicate person id "ana" (first at line 8)',
        "1 error in roster.yaml",
        "",
      ].join("\n"),
    );
    expect(result.code).toBe(2);
  });
});

describe("a shift list none of whose seats the person can fill", () => {
  const roster = (cy: string) => `version: 1
team: Acme
timezone: UTC
teams:
  support: { roles: [pro] }
shifts:
  - { id: desk, days: [mon, tue], start: "09:00", end: "17:00", seats: [{ role: pro }] }
  - { id: chat, days: [mon, tue], start: "09:00", end: "17:00", seats: [{ role: any }] }
people:
  - { id: ana, name: Ana, team: support }
  - { id: bob, name: Bob }
  - ${cy}
`;

  test("is a warning at the list, naming the seats and the fix; the roster stays valid", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), roster("{ id: cy, name: Cy, shifts: [desk] }"));
    const result = await runInProcess(["validate"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "roster.yaml:12:33: warning: cy serves only on desk, whose seats (pro) they cannot fill: they will get no shift; give them role pro, or list a shift with a seat they can fill\n1 warning in roster.yaml\nroster.yaml is valid: 2 shifts, 3 people\n",
    );
  });

  test.each([
    ["their own role", "{ id: cy, name: Cy, roles: [pro], shifts: [desk] }"],
    ["their team's role", "{ id: cy, name: Cy, team: support, shifts: [desk] }"],
    ["a seat anyone fills on a shift of theirs", "{ id: cy, name: Cy, shifts: [desk, chat] }"],
  ])("is not said where %s fills one", async (_, cy) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), roster(cy));
    const result = await runInProcess(["validate"], { cwd: dir });
    expect(result.stderr).toBe("roster.yaml is valid: 2 shifts, 3 people\n");
    expect(result.code).toBe(0);
  });
});

describe("someone removed from the roster who was in a swap", () => {
  // roster.example.yaml swaps linus out of 2026-12-03/emea.
  const removeLinus = (dir: string) => {
    const file = path.join(dir, "roster.yaml");
    const text = readFileSync(file, "utf8");
    const without = text.replace(/ {2}- id: linus\n(?: {4}.*\n)+/, "");
    expect(without).not.toBe(text);
    writeFileSync(file, without);
  };

  test("a swap of a day gone by is history: validate, plan, report and who accept it", async () => {
    const dir = await plannedRepo("roster.example.yaml", { now: "2026-11-23T08:00:00+01:00" });
    removeLinus(dir);
    const later = { ROTA_NOW: "2027-03-01T08:00:00+01:00" };
    const validate = await rota(["validate"], { cwd: dir, env: later });
    expect(validate.stderr).toBe("roster.yaml (and schedule.yaml) is valid: 2 shifts, 16 people\n");
    expect(validate.code).toBe(0);
    for (const command of [
      ["plan"],
      ["report", "--json"],
      ["who"],
      ["explain", "2026-12-03/emea"],
    ]) {
      const result = await rota(command, { cwd: dir, env: later });
      expect(result.code, `${command.join(" ")}: ${result.stderr}`).toBe(0);
    }
  });

  test("a swap still to come names people in the roster, and the message says what to do", async () => {
    const dir = await plannedRepo("roster.example.yaml", { now: "2026-11-23T08:00:00+01:00" });
    removeLinus(dir);
    const line = readFileSync(path.join(dir, "roster.yaml"), "utf8")
      .split("\n")
      .findIndex((l) => l.includes("out: linus"));
    const result = await rota(["validate"], {
      cwd: dir,
      env: { ROTA_NOW: "2026-12-02T18:00:00+01:00" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `roster.yaml:${line + 1}:43: unknown person "linus": remove this swap, or keep linus under people: with \`left:\` set`,
    );
  });
});

describe("a shift changed or taken out after a swap on it", () => {
  // roster.example.yaml swaps linus out of 2026-12-03/emea, a Thursday; the
  // emea shift then stops running on Thursdays, and a shift "late" that ran
  // once had a swap too.
  const change = (dir: string) => {
    const file = path.join(dir, "roster.yaml");
    const text = readFileSync(file, "utf8");
    const changed = text
      .replace("days: [mon, tue, wed, thu, fri]", "days: [mon, tue, wed, fri]")
      .replace(
        "reason: dentist }\n",
        "reason: dentist }\n  - { date: 2026-11-26, shift: late, out: ada, in: grace }\n",
      );
    expect(changed).not.toBe(text);
    writeFileSync(file, changed);
    return changed.split("\n");
  };

  test("its swaps of days gone by are history: validate, plan, who and explain accept them", async () => {
    const dir = await plannedRepo("roster.example.yaml", { now: "2026-11-23T08:00:00+01:00" });
    change(dir);
    const later = { ROTA_NOW: "2026-12-10T08:00:00+01:00" };
    const validate = await rota(["validate"], { cwd: dir, env: later });
    expect(validate.stderr).toBe("roster.yaml (and schedule.yaml) is valid: 2 shifts, 17 people\n");
    expect(validate.code).toBe(0);
    for (const command of [["plan"], ["who"], ["report", "--json"]]) {
      const result = await rota(command, { cwd: dir, env: later });
      expect(result.code, `${command.join(" ")}: ${result.stderr}`).toBe(0);
    }
    const explain = await rota(["explain", "2026-12-03/emea"], { cwd: dir, env: later });
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("Jony Ive");
  });

  test("its swaps still to come are mistakes, each with what to do", async () => {
    const dir = await plannedRepo("roster.example.yaml", { now: "2026-11-23T08:00:00+01:00" });
    const lines = change(dir);
    const result = await rota(["validate"], {
      cwd: dir,
      env: { ROTA_NOW: "2026-11-24T08:00:00+01:00" },
    });
    expect(result.code).toBe(2);
    const emea = lines.findIndex((l) => l.includes("out: linus")) + 1;
    const late = lines.findIndex((l) => l.includes("shift: late")) + 1;
    expect(result.stderr).toContain(
      `roster.yaml:${emea}:13: shift "emea" does not run on Thursdays (2026-12-03): move this swap to a day it runs, or remove it\n`,
    );
    expect(result.stderr).toContain(
      `roster.yaml:${late}:32: unknown shift "late": remove this swap, or move it to a shift in shifts:\n`,
    );
  });
});

describe("swaps of one occurrence, in the order listed", () => {
  const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
  // roster.example.yaml swaps linus out of 2026-12-03/emea, for jony.
  const withSwaps = (...lines: string[]) =>
    example.replace(
      "reason: dentist }\n",
      `reason: dentist }\n${lines.map((l) => `  - { date: 2026-12-03, shift: emea, ${l} }\n`).join("")}`,
    );

  test("a swap back and a chain are valid: each swap's out is on the shift by then", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "roster.yaml"),
      withSwaps("out: jony, in: linus", "out: linus, in: ada", "out: ada, in: grace"),
    );
    const result = await rota(["validate"], { cwd: dir });
    expect(result.stderr).toBe("roster.yaml is valid: 2 shifts, 17 people\n");
    expect(result.code).toBe(0);
  });

  test("someone swapped out and not back is refused at the line, naming who to swap instead", async () => {
    const dir = tempDir();
    const roster = withSwaps("out: jony, in: ada", "out: linus, in: grace");
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const lines = roster.split("\n");
    const first = lines.findIndex((l) => l.includes("out: linus, in: jony")) + 1;
    const line = lines.findIndex((l) => l.includes("out: linus, in: grace")) + 1;
    const result = await rota(["validate"], { cwd: dir });
    expect(result.stderr).toBe(
      `roster.yaml:${line}:43: "linus" is already swapped out of 2026-12-03/emea, and ada serves in that seat: make ada this swap's out, or remove this swap (swapped out at line ${first})\n1 error in roster.yaml\n`,
    );
    expect(result.code).toBe(2);
  });
});

describe("an empty key", () => {
  const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");

  test("of a list whose absence means none is none: the last swap deleted, no time away, no roles", async () => {
    const roster = example
      .replace("  - { date: 2026-12-03, shift: emea, out: linus, in: jony, reason: dentist }\n", "")
      .replace("dates: [2026-12-24, 2026-12-31]", "dates:")
      .replace("  leadership:\n", "  leadership:\n    roles:\n")
      .replace(/away:\n {6}- \{ from: 2026-12-20, to: 2027-01-03, reason: holiday \}\n/, "away:\n");
    expect(roster).toMatch(/^swaps:\n\ncalendar:/m);
    expect(roster).toMatch(/^ {4}away:\n {2}- id: grace/m);
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const validate = await rota(["validate"], { cwd: dir });
    expect(validate.stderr).not.toContain("error");
    expect(validate.code).toBe(0);
    const env = { ROTA_NOW: "2026-11-23T08:00:00Z" };
    const plan = await rota(["plan"], { cwd: dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    // rota swap writes the first swap under the empty key.
    const out = readSchedule(dir).find((e) => e.id === "2026-12-04/emea")?.people[1] as string;
    const swap = await rota(["swap", "2026-12-04/emea", out, "linus"], { cwd: dir, env });
    expect(swap.code, swap.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toContain(
      `swaps:\n  - { date: 2026-12-04, shift: emea, out: ${out}, in: linus }\n`,
    );
  });

  test("where rota has a default says how to fix it: a value, or no line for the default", async () => {
    const roster = example.replace("shifts: [emea] #", "shifts: #");
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const line = roster.split("\n").findIndex((l) => l.includes("shifts: #")) + 1;
    const result = await rota(["validate"], { cwd: dir });
    expect(result.stderr).toBe(
      `roster.yaml:${line}:13: shifts must be a list, not empty: give it a value, or delete the line for the default\n1 error in roster.yaml\n`,
    );
    expect(result.code).toBe(2);
  });

  test("a person's empty shift list is refused, since it would leave them out of every shift", async () => {
    const roster = example.replace("shifts: [emea] #", "shifts: [] #");
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const line = roster.split("\n").findIndex((l) => l.includes("shifts: [] #")) + 1;
    const result = await rota(["validate"], { cwd: dir });
    expect(result.stderr).toBe(
      `roster.yaml:${line}:13: shifts must not be empty: list the shifts this person may take, or delete the line to let them take any\n1 error in roster.yaml\n`,
    );
    expect(result.code).toBe(2);
  });

  test("inside a swap or time away: a required key says to give it a value, an optional one may go", async () => {
    const roster = example
      .replace(
        "- { from: 2026-12-20, to: 2027-01-03, reason: holiday }",
        "- { from: , to: 2027-01-03, reason: holiday }\n      - from: 2027-02-01\n        reason:",
      )
      .replace(
        "- { date: 2026-12-03, shift: emea, out: linus, in: jony, reason: dentist }",
        "- { date: , shift: , out: , in: , reason: }",
      )
      // An empty entry of a list of text is an entry with no value.
      .replace("dates: [2026-12-24, 2026-12-31]", "dates:\n    - 2026-12-24\n    -")
      .replace("  leadership:\n", "  leadership:\n    roles:\n      -\n");
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const lines = roster.split("\n");
    const at = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
    const away = at("- { from: , to:");
    const reason = at("        reason:");
    const swap = at("- { date: , shift:");
    const date = at("    - 2026-12-24") + 1;
    const role = at("  leadership:") + 2;
    const result = await rota(["validate"], { cwd: dir });
    expect(result.stderr).toBe(
      [
        `roster.yaml:${date}:7: dates[1] must be text, not empty: give it a value`,
        `roster.yaml:${role}:8: roles[0] must be text, not empty: give it a value`,
        `roster.yaml:${away}:17: from must be text, not empty: give it a value`,
        `roster.yaml:${reason}:16: reason must be text, not empty: give it a value, or delete the line for the default`,
        `roster.yaml:${swap}:13: date must be text, not empty: give it a value`,
        `roster.yaml:${swap}:22: shift must be text, not empty: give it a value`,
        `roster.yaml:${swap}:29: out must be text, not empty: give it a value`,
        `roster.yaml:${swap}:35: in must be text, not empty: give it a value`,
        `roster.yaml:${swap}:45: reason must be text, not empty: give it a value, or delete the line for the default`,
        "9 errors in roster.yaml",
        "",
      ].join("\n"),
    );
    expect(result.code).toBe(2);
  });

  test("does not hide the keys of a swap or time away from a misspelt key's suggestion", async () => {
    const roster = example
      .replace("reason: holiday }", "resaon: holiday }")
      .replace("in: jony, reason: dentist }", "inn: jony, reason: dentist }");
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const result = await rota(["validate"], { cwd: dir });
    expect(result.stderr).toContain(
      'unknown key "resaon" in people[0].away[0]; did you mean "reason"?',
    );
    expect(result.stderr).toContain('unknown key "inn" in swaps[0]; did you mean "in"?');
    expect(result.code).toBe(2);
  });
});

describe("a key with no name, or a list or mapping as a key", () => {
  const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");

  test("no name (nothing, ~ or null before the colon): at the key's own place, saying what is missing", async () => {
    const roster = example
      .replace("horizon_weeks: 12", ": 12")
      .replace("  every: 1 month", "  : 3\n  every: 1 month")
      .replace("    email: grace@example.com\n", "    email: grace@example.com\n    ~: 1\n");
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const lines = roster.split("\n");
    const at = (text: string) => lines.indexOf(text) + 1;
    const missing = (place: string) =>
      `a key is missing before the colon in ${place} (an empty key, \`~\` or \`null\`): write the key's name, or delete the line`;
    const result = await rota(["validate"], { cwd: dir });
    expect(result.stderr).toBe(
      [
        `roster.yaml:${at(": 12 # how far ahead `rota plan` schedules")}:1: ${missing("the roster")}`,
        `roster.yaml:${at("  : 3")}:3: ${missing("rules")}`,
        `roster.yaml:${at("    ~: 1")}:5: ${missing('person "grace"')}`,
        "3 errors in roster.yaml",
        "",
      ].join("\n"),
    );
    expect(result.code).toBe(2);
  });

  test("no name in the notes template, schedule.yaml and fixes.yaml: the roster's words, at the key", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    const missing = (place: string) =>
      `a key is missing before the colon in ${place} (an empty key, \`~\` or \`null\`): write the key's name, or delete the line`;
    const lineOf = (text: string, line: string) => text.split("\n").indexOf(line) + 1;
    const template = readFileSync(path.join(ROOT, "templates/notes.md"), "utf8")
      .replace("questions:\n", "~: 1\nquestions:\n")
      .replace("  - id: surprised\n", "  - id: surprised\n    : x\n");
    mkdirSync(path.join(dir, "notes"));
    writeFileSync(path.join(dir, "notes/TEMPLATE.md"), template);
    const planned = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    const schedule = planned
      .replace("version: 1\n", '"": 4\nversion: 1\n')
      .replace('  - {"id": ', '  - {"": 1, "id": ');
    writeFileSync(path.join(dir, "schedule.yaml"), schedule);
    const entry = lineOf(
      schedule,
      schedule.split("\n").find((l) => l.startsWith('  - {"": 1')) ?? "",
    );
    const regenerate = "; schedule.yaml is generated: restore it from git";
    const result = await rota(["validate"], { cwd: dir, env: { ROTA_NOW: NOW } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `notes/TEMPLATE.md:${lineOf(template, "~: 1")}:1: ${missing("the front matter")}\n`,
    );
    expect(result.stderr).toContain(
      `notes/TEMPLATE.md:${lineOf(template, "    : x")}:5: ${missing("a question")}\n`,
    );
    expect(result.stderr).toContain(
      `schedule.yaml:${lineOf(schedule, '"": 4')}:1: ${missing("the schedule")}${regenerate}`,
    );
    expect(result.stderr).toContain(
      `schedule.yaml:${entry}:6: ${missing("an entry")}${regenerate}`,
    );
    expect(result.stderr).not.toContain('unknown key ""');

    writeFileSync(path.join(dir, "schedule.yaml"), planned);
    for (const [fixes, place, line, col] of [
      ["version: 1\n: 2\nfixes:\n", "the file", 2, 1],
      ["version: 1\nfixes:\n  ~:\n    status: done\n", "`fixes`", 3, 3],
      ["version: 1\nfixes:\n  72a0346fd7:\n    null: done\n", "fix 72a0346fd7", 4, 5],
    ] as const) {
      writeFileSync(path.join(dir, "fixes.yaml"), fixes);
      const fix = await rota(["fix"], { cwd: dir, env: { ROTA_NOW: NOW } });
      expect(fix.code, fixes).toBe(2);
      expect(fix.stderr, fixes).toContain(`fixes.yaml:${line}:${col}: ${missing(place)}\n`);
    }
  });

  test("a list or mapping as a key: refused at its place, with no warning from the YAML library", async () => {
    const roster = example
      .replace("horizon_weeks: 12", "? [a, b]\n: 12")
      .replace("  support:\n", "  {support: x}:\n");
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const lines = roster.split("\n");
    const message = "a list or mapping is no key here: write a plain key, as in `name: value`";
    const result = await rota(["validate"], { cwd: dir });
    expect(result.stderr).toBe(
      [
        `roster.yaml:${lines.indexOf("? [a, b]") + 1}:3: ${message}`,
        `roster.yaml:${lines.indexOf("  {support: x}:") + 1}:3: ${message}`,
        "2 errors in roster.yaml",
        "",
      ].join("\n"),
    );
    expect(result.code).toBe(2);
  });
});

describe("did you mean: only what the roster may hold", () => {
  const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");

  test("an id refused as written is not suggested: a reference to it points at it instead", async () => {
    const roster = example
      .replace("  - id: linus\n", "  - id: Linus\n")
      .replace("    roles: [pro] # the support team", "    roles: [Pro] # the support team");
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const lines = roster.split("\n");
    const at = (text: string) => lines.findIndex((line) => line.includes(text)) + 1;
    const id = at("  - id: Linus");
    const seats = lines.flatMap((line, i) => (line.includes("- role: pro") ? [i + 1] : []));
    // Before the swap's day: a swap of a day gone by may name anyone.
    const result = await rota(["validate"], {
      cwd: dir,
      env: { ROTA_NOW: "2026-11-23T08:00:00Z" },
    });
    expect(result.stderr).toBe(
      [
        `roster.yaml:${seats[0]}:15: warning: nobody holds role "pro": this seat will stay empty`,
        `roster.yaml:${seats[1]}:15: warning: nobody holds role "pro": this seat will stay empty`,
        `roster.yaml:${at("pair_with: pro")}:16: warning: nobody holds role "pro": newcomers cannot be paired`,
        `roster.yaml:${at("roles: [Pro]")}:13: roles[0] "Pro" is not a lowercase slug (a-z, 0-9, "-" and "_"); did you mean "pro"?`,
        `roster.yaml:${id}:9: id "Linus" is not a lowercase slug (a-z, 0-9, "-" and "_"); did you mean "linus"?`,
        `roster.yaml:${at("out: linus")}:43: unknown person "linus": it most likely means "Linus", whose id is refused (that id at line ${id})`,
        "3 errors and 3 warnings in roster.yaml",
        "",
      ].join("\n"),
    );
    expect(result.code).toBe(2);
  });
});

describe("a large roster with a few problems deep in it", () => {
  test("the built CLI reports them exactly as reading the whole roster with positions places them", async () => {
    const dir = tempDir();
    const text = generateRoster({ people: 2_000, weeks: 8, shifts: 3, seats: 2 })
      .replace("days: [mon, tue", "days: [mon, mon, tue")
      .replace("{ id: p1500,", "{ id: p1500, colour: red,")
      .replace("{ id: p40,", "{ id: p1999,");
    writeFileSync(path.join(dir, "roster.yaml"), text);
    const { problems } = parseRosterFully(text, "roster.yaml");
    expect(problems.map((p) => p.severity)).toEqual(["warning", "error", "error"]);
    const result = await rota(["validate"], {
      cwd: dir,
      env: { ROTA_NOW: "2026-11-23T06:00:00Z" },
    });
    expect(result.stderr).toBe(
      `${[...problems.map(formatProblem), summarizeProblems(problems, "roster.yaml")].join("\n")}\n`,
    );
    expect(result.code).toBe(2);
  });
});

describe("a roster nested deeper than anyone writes one", () => {
  const base = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
  const line = base.split("\n").length;
  const deep =
    "nested more than 64 levels deep: rota reads files nested up to 64 levels; write it flatter";

  test.each([
    ["flow lists", `x: ${"[".repeat(1000)}${"]".repeat(1000)}\n`, `${line}:4`],
    ["flow mappings", `x: ${"{a: ".repeat(1000)}${"}".repeat(1000)}\n`, `${line}:4`],
    [
      "indented mappings",
      `x:\n${Array.from({ length: 1500 }, (_, i) => `${"  ".repeat(i + 1)}a:`).join("\n")}\n`,
      `${line + 1}:3`,
    ],
    // Deep enough that the yaml package's parser runs out of stack stepping back out.
    [
      "indented mappings stepped back out of",
      `x:\n${Array.from({ length: 2500 }, (_, i) => `${"  ".repeat(i + 1)}a:`).join("\n")}\ny: 1\n`,
      `${line + 1}:3`,
    ],
    [
      "indented lists stepped back out of",
      `x:\n${Array.from({ length: 2500 }, (_, i) => `${"  ".repeat(i + 1)}- a:`).join("\n")}\ny: 1\n`,
      `${line + 1}:3`,
    ],
  ])("%s: one problem where the nesting starts, exit 2", async (_, tail, at) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), `${base}${tail}`);
    const result = await rota(["validate"], { cwd: dir });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `roster.yaml:${at}: ${deep}\n1 error in roster.yaml\n`,
    });
  });

  test("64 levels are read as any roster is", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "roster.yaml"), `${base}x: ${"[".repeat(63)}${"]".repeat(63)}\n`);
    const result = await rota(["validate"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^roster\\.yaml:${line}:1: unknown key "x"`));
  });
});

describe("the roster's own notes template", () => {
  const withTemplate = (template: string): string => {
    const dir = tempDir();
    const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
    writeFileSync(
      path.join(dir, "roster.yaml"),
      example.replace("\nteam: ", `\nnotes:\n  template: ${template}\nteam: `),
    );
    return dir;
  };

  test("missing: a problem at notes.template's line, exit 2, as rota notes would meet it", async () => {
    const dir = withTemplate("notes/MISSING.md");
    const line =
      readFileSync(path.join(dir, "roster.yaml"), "utf8")
        .split("\n")
        .indexOf("  template: notes/MISSING.md") + 1;
    const result = await rota(["validate"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `roster.yaml:${line}:13: notes.template is notes/MISSING.md, but notes/MISSING.md does not exist: create it (\`rota init\` writes one to notes/TEMPLATE.md) or fix the path\n1 error in roster.yaml\n`,
    );
  });

  test("a template that cannot be read: a problem at notes.template's line, with the reason", async () => {
    const dir = withTemplate("support-notes.md");
    const outside = tempDir();
    writeFileSync(path.join(outside, "notes.md"), "---\nquestions: []\n---\n");
    symlinkSync(path.join(outside, "notes.md"), path.join(dir, "support-notes.md"));
    const line =
      readFileSync(path.join(dir, "roster.yaml"), "utf8")
        .split("\n")
        .indexOf("  template: support-notes.md") + 1;
    const result = await rota(["validate"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^roster\\.yaml:${line}:13: notes\\.template is support-notes\\.md: support-notes\\.md is a symbolic link to .*, outside the repository: rota reads the notes template only inside .*\n1 error in roster\\.yaml\n$`,
      ),
    );
  });

  test("a template with problems: each in the template's own file", async () => {
    const dir = withTemplate("support-notes.md");
    writeFileSync(path.join(dir, "support-notes.md"), "---\nquestions: 5\n---\n");
    const result = await rota(["validate"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "support-notes.md:2:12: questions must be a list with at least one question\n1 error in support-notes.md\n",
    );
  });
});
