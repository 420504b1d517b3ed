import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { BIN, rota } from "./helpers/cli.ts";
import { commitAll, git } from "./helpers/git.ts";
import { env, plannedRepo } from "./helpers/repo.ts";
import { suiteTempDir, tempDir } from "./helpers/tmp.ts";

/**
 * Files damaged on their way through editors, truncated copies and merges:
 * every command refuses them with the line, the column and the way back,
 * instead of crashing or quietly publishing half a rota.
 */

const COMMANDS = [["validate"], ["plan", "--check"], ["who"], ["calendar"], ["site"]];
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");

function noStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at |internal error|Error:/);
}

let planned: string;
beforeAll(async () => {
  planned = await plannedRepo("roster.example.yaml", { dir: suiteTempDir() });
});

/** A copy of the example team's repository, planned and committed. */
function teamRepo(): string {
  const dir = tempDir();
  cpSync(planned, dir, { recursive: true });
  return dir;
}

/** Every command on a damaged schedule.yaml: exit 2, the problem on stderr. */
async function expectRefused(dir: string, problem: RegExp): Promise<void> {
  await Promise.all(
    COMMANDS.map(async (args) => {
      const result = await rota(args, { cwd: dir, env });
      expect(result.code, `rota ${args.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(problem);
      noStackTrace(result.stderr);
    }),
  );
}

/** The line of schedule.yaml holding an occurrence (1-based) and the text with it replaced. */
function editEntry(text: string, id: string, edit: (line: string) => string): [number, string] {
  const lines = text.split("\n");
  const index = lines.findIndex((line) => line.includes(`{"id": "${id}"`));
  expect(index).toBeGreaterThan(0);
  lines[index] = edit(lines[index] as string);
  return [index + 1, lines.join("\n")];
}

describe("a hand-edited schedule.yaml is checked for what it means, not only its form", () => {
  const ID = "2026-11-23/emea";
  const cases: [string, (line: string) => string, string, RegExp][] = [
    [
      "an hour that does not exist",
      (line) => line.replace('"start": "2026-11-23T09:00', '"start": "2026-11-23T25:00'),
      "start",
      /start 2026-11-23T25:00:00\+01:00 is not a real time: there is no hour 25/,
    ],
    [
      "a minute that does not exist",
      (line) => line.replace('"end": "2026-11-23T17:00', '"end": "2026-11-23T17:61'),
      "end",
      /end 2026-11-23T17:61:00\+01:00 is not a real time: there is no minute 61/,
    ],
    [
      "an offset no zone has",
      (line) => line.replace('T09:00:00+01:00"', 'T09:00:00+99:00"'),
      "start",
      /start 2026-11-23T09:00:00\+99:00 is not a real time: \+99:00 is not an offset from UTC/,
    ],
    [
      "a day February does not have",
      (line) => line.replaceAll("2026-11-23", "2027-02-30"),
      "date",
      /2027-02-30 is not a real date: February 2027 has 28 days/,
    ],
    [
      "an end before its start",
      (line) => line.replace('"end": "2026-11-23T17:00', '"end": "2026-11-23T08:00'),
      "end",
      /end 2026-11-23T08:00:00\+01:00 is not after start 2026-11-23T09:00:00\+01:00/,
    ],
    [
      "a date that is not the start's",
      (line) =>
        line
          .replaceAll('"2026-11-23', '"2026-11-24')
          .replace('"start": "2026-11-24', '"start": "2026-11-23'),
      "date",
      /date 2026-11-24 is not the day the shift starts \(start 2026-11-23T09:00:00\+01:00\)/,
    ],
    [
      "an id that is not its date and shift",
      (line) => line.replace(`"id": "${ID}"`, '"id": "2026-11-23/americas"'),
      "id",
      /id must be "2026-11-23\/emea"/,
    ],
  ];

  test.each(cases)(
    "%s: every command refuses it with its line and column",
    async (_, edit, key, message) => {
      const dir = teamRepo();
      const [line, text] = editEntry(read(dir, "schedule.yaml"), ID, edit);
      writeFileSync(path.join(dir, "schedule.yaml"), text);
      const col = (text.split("\n")[line - 1] as string).indexOf(`"${key}": `) + key.length + 5;
      await expectRefused(
        dir,
        new RegExp(
          `^schedule\\.yaml:${line}:${col}: ${message.source}; schedule\\.yaml is generated: restore it from git \\(\`git checkout -- schedule\\.yaml\`, or from an earlier commit if the damage was committed\\) and run \`rota plan\`$`,
          "m",
        ),
      );
    },
  );

  test.each(["people", "rev", "shift"])(
    "a key given twice on one line (%s) is refused at the second, not read as the last",
    async (key) => {
      const dir = teamRepo();
      const other = key === "people" ? ["linus", "ken"] : key === "rev" ? 7 : "americas";
      // The key at the end of the line again, with another value.
      const [line, text] = editEntry(read(dir, "schedule.yaml"), ID, (entry) =>
        entry.replace(/\}$/, `, "${key}": ${JSON.stringify(other)}}`),
      );
      writeFileSync(path.join(dir, "schedule.yaml"), text);
      const col = (text.split("\n")[line - 1] as string).lastIndexOf(`"${key}"`) + 1;
      await expectRefused(
        dir,
        new RegExp(
          `^schedule\\.yaml:${line}:${col}: duplicate key "${key}": a key may appear only once`,
          "m",
        ),
      );
    },
  );

  test("a duplicated occurrence is refused at the copy, naming the first", async () => {
    const dir = teamRepo();
    const lines = read(dir, "schedule.yaml").split("\n");
    const index = lines.findIndex((line) => line.includes(`{"id": "${ID}"`));
    lines.splice(index + 2, 0, lines[index] as string);
    writeFileSync(path.join(dir, "schedule.yaml"), lines.join("\n"));
    await expectRefused(
      dir,
      new RegExp(
        `^schedule\\.yaml:${index + 3}:12: duplicate occurrence "${ID}" \\(first at line ${index + 1}\\)`,
        "m",
      ),
    );
  });
});

describe("a schedule.yaml cut short is refused, not half published", () => {
  test("rota plan writes the number of entries before them", async () => {
    const dir = teamRepo();
    const text = read(dir, "schedule.yaml");
    const entries = text.split("\n").filter((line) => line.startsWith("  - {")).length;
    expect(text).toContain(`\n# entries: ${entries}\nshifts:\n`);
  });

  test("cut at a line boundary: every command says where it ends and how many are missing", async () => {
    const dir = teamRepo();
    const lines = read(dir, "schedule.yaml").split("\n");
    const countLine = lines.findIndex((line) => line.startsWith("# entries: ")) + 1;
    const total = Number(lines[countLine - 1]?.slice(11));
    const kept = lines.slice(0, countLine + 1 + 40);
    writeFileSync(path.join(dir, "schedule.yaml"), `${kept.join("\n")}\n`);
    await expectRefused(
      dir,
      new RegExp(
        `^schedule\\.yaml:${kept.length + 1}:1: the file ends after 40 of the ${total} entries that line ${countLine} counts: it was cut short; `,
        "m",
      ),
    );
    // Nothing was published from it.
    expect(git(dir, "status", "--porcelain")).toBe(" M schedule.yaml\n");
  });

  test("lines added beyond the count are refused at the count", async () => {
    const dir = teamRepo();
    const text = read(dir, "schedule.yaml");
    const count = text.split("\n").findIndex((line) => line.startsWith("# entries: ")) + 1;
    writeFileSync(
      path.join(dir, "schedule.yaml"),
      text.replace(/# entries: (\d+)/, (_, n) => `# entries: ${Number(n) - 1}`),
    );
    const result = await rota(["validate"], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^schedule\\.yaml:${count}:1: line ${count} counts \\d+ entries but the file has \\d+: lines were added by hand or by a merge; `,
        "m",
      ),
    );
  });

  test("a schedule written before rota counted its entries is read as before, and rota plan adds the count", async () => {
    const dir = teamRepo();
    const old = read(dir, "schedule.yaml").replace(/# entries: \d+\n/, "");
    writeFileSync(path.join(dir, "schedule.yaml"), old);
    commitAll(dir, "A schedule from an older rota");
    const validate = await rota(["validate"], { cwd: dir, env });
    expect(validate.code, validate.stderr).toBe(0);
    const plan = await rota(["plan"], { cwd: dir, env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(git(dir, "diff", "--numstat")).toBe("1\t0\tschedule.yaml\n");
  });
});

/**
 * A repository where two branches each recorded a swap, on neighbouring
 * occurrences, and were merged: both roster.yaml and schedule.yaml conflict.
 */
async function conflictedRepo(): Promise<string> {
  const dir = teamRepo();
  git(dir, "switch", "-q", "-c", "theirs");
  const theirs = await rota(["swap", "2026-11-24/americas", "ada", "radia"], { cwd: dir, env });
  expect(theirs.code, theirs.stderr).toBe(0);
  commitAll(dir, "Radia takes Ada's shift");
  git(dir, "switch", "-q", "main");
  const ours = await rota(["swap", "2026-11-24/emea", "luca", "tim"], { cwd: dir, env });
  expect(ours.code, ours.stderr).toBe(0);
  commitAll(dir, "Tim takes Luca's shift");
  expect(() => git(dir, "merge", "-q", "theirs")).toThrow();
  expect(git(dir, "diff", "--name-only", "--diff-filter=U")).toBe("roster.yaml\nschedule.yaml\n");
  return dir;
}

/** Resolves the roster as people would here: both swaps stay, the markers go. */
function keepBothSwaps(dir: string): void {
  const file = path.join(dir, "roster.yaml");
  const text = readFileSync(file, "utf8").replace(/^(?:<{7}|={7}|>{7}).*\n/gm, "");
  expect(text).toContain("out: luca, in: tim");
  expect(text).toContain("out: ada, in: radia");
  writeFileSync(file, text);
  git(dir, "add", "roster.yaml");
}

/** Who is on an occurrence in schedule.yaml. */
function peopleOn(dir: string, id: string): string[] {
  const line = read(dir, "schedule.yaml")
    .split("\n")
    .find((l) => l.includes(`{"id": "${id}"`)) as string;
  return JSON.parse(line.slice(4)).people;
}

/** The commands inside backquotes in a message, in order. */
const quoted = (message: string) => [...message.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);

/** Runs a command as the message spells it: git, or the built rota. */
async function runAdvice(dir: string, command: string): Promise<void> {
  const [program, ...args] = command.split(" ");
  if (program === "git") git(dir, ...args);
  else if (program === "rota") {
    const result = await rota(args, { cwd: dir, env });
    expect(result.code, `${command}: ${result.stderr}`).toBe(0);
  } else throw new Error(`not a command: ${command}`);
}

describe("merge conflicts are recognised and the way out works", () => {
  test("in roster.yaml: the conflict and its markers' lines, before any YAML error", async () => {
    const dir = await conflictedRepo();
    const lines = read(dir, "roster.yaml").split("\n");
    const at = (marker: string) => lines.findIndex((line) => line.startsWith(marker)) + 1;
    const [start, middle, end] = [at("<<<<<<< "), at("======="), at(">>>>>>> ")];
    for (const args of [
      ["validate"],
      ["plan"],
      ["who"],
      ["calendar"],
      ["swap", "2026-11-25/emea", "a", "b"],
    ]) {
      const result = await rota(args, { cwd: dir, env });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toBe(
        `roster.yaml:${start}:1: unresolved merge conflict, lines ${start}–${end} (<<<<<<< at ${start}, ======= at ${middle}, >>>>>>> at ${end}): edit the lines to what the roster should say and delete the marker lines, then \`git add roster.yaml\`\n1 error in roster.yaml\n`,
      );
    }
  });

  test("in schedule.yaml: take either side and replan, with commands that work on an unmerged path", async () => {
    const dir = await conflictedRepo();
    keepBothSwaps(dir);
    const start =
      read(dir, "schedule.yaml")
        .split("\n")
        .findIndex((l) => l.startsWith("<<<<<<< ")) + 1;

    const refused = await rota(["plan"], { cwd: dir, env });
    expect(refused.code).toBe(2);
    const [first, summary] = refused.stderr.split("\n");
    expect(first).toMatch(
      new RegExp(
        `^schedule\\.yaml:${start}:1: merge conflict in schedule\\.yaml \\(lines ${start}–\\d+\\): it is generated, so do not edit it; take either side whole and plan again: `,
      ),
    );
    expect(summary).toBe("1 error in schedule.yaml");
    // The advice that failed before: git refuses to check out an unmerged path.
    expect(() => git(dir, "checkout", "--", "schedule.yaml")).toThrow(/unmerged/);

    const commands = quoted(first as string);
    expect(commands).toEqual([
      "git checkout --theirs -- schedule.yaml",
      "--ours",
      "rota plan",
      "git add schedule.yaml",
    ]);
    for (const command of commands.filter((c) => c !== "--ours")) await runAdvice(dir, command);
    git(dir, "commit", "-q", "--no-edit");
    expect((await rota(["plan", "--check"], { cwd: dir, env })).code).toBe(0);
    expect((await rota(["validate"], { cwd: dir, env })).code).toBe(0);
    // The merged schedule holds both swaps that the merged roster records.
    expect(peopleOn(dir, "2026-11-24/emea")).toContain("tim");
    expect(peopleOn(dir, "2026-11-24/americas")).toEqual(["radia"]);
  });

  test("--ours works the same way", async () => {
    const dir = await conflictedRepo();
    keepBothSwaps(dir);
    for (const command of [
      "git checkout --ours -- schedule.yaml",
      "rota plan",
      "git add schedule.yaml",
    ]) {
      await runAdvice(dir, command);
    }
    git(dir, "commit", "-q", "--no-edit");
    expect((await rota(["plan", "--check"], { cwd: dir, env })).code).toBe(0);
    expect(peopleOn(dir, "2026-11-24/emea")).toContain("tim");
    expect(peopleOn(dir, "2026-11-24/americas")).toEqual(["radia"]);
  });

  test("markers committed by mistake: restore from a commit before them", async () => {
    const dir = await conflictedRepo();
    keepBothSwaps(dir);
    commitAll(dir, "A merge committed with its conflict");
    const result = await rota(["validate"], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^schedule\.yaml:\d+:1: merge-conflict markers in schedule\.yaml \(lines \d+–\d+\): it is generated, so do not edit it; restore it from a commit before the conflict \(`git log -- schedule\.yaml`, then `git checkout COMMIT -- schedule\.yaml`\) and run `rota plan`$/m,
    );
    const before = git(dir, "log", "--format=%H", "-1", "HEAD^", "--", "schedule.yaml").trim();
    git(dir, "checkout", before, "--", "schedule.yaml");
    expect((await rota(["plan"], { cwd: dir, env })).code).toBe(0);
    expect((await rota(["validate"], { cwd: dir, env })).code).toBe(0);
  });
});

describe("a named pipe where a file should be", () => {
  test("with nothing writing to it, every command refuses it at once, saying what it is", async () => {
    const dir = teamRepo();
    rmSync(path.join(dir, "schedule.yaml"));
    execFileSync("mkfifo", [path.join(dir, "schedule.yaml")]);
    // Before, open(2) waited for a writer forever, holding the schedule's lock;
    // then it was read as empty, "the schedule must be a mapping".
    await expectRefused(
      dir,
      /^rota: schedule\.yaml: it is a FIFO, not a file; rota reads a file \(restore it from git: `git checkout -- schedule\.yaml`\)\n$/,
    );
    const plan = await rota(["plan"], { cwd: dir, env });
    expect(plan.code).toBe(2);
  });

  test("with a writer, it is read whole: answers from a shell's <(…) arrive late and are kept", () => {
    const dir = teamRepo();
    const line = read(dir, "schedule.yaml").match(
      /"id": "2026-11-20\/americas".*"people": \["(\w+)"/,
    );
    const person = line?.[1] as string;
    const answers = `<(sleep 0.3; printf 'struggles: from a pipe\\nfix: f\\n')`;
    const result = spawnSync(
      "bash",
      [
        "-c",
        `"$0" "$1" notes --as ${person} --shift 2026-11-20/americas --answers ${answers}`,
        process.execPath,
        BIN,
      ],
      {
        cwd: dir,
        env: { ...process.env, ...env, ROTA_NOW: "2026-11-20T23:00:00Z" },
        encoding: "utf8",
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(read(dir, `notes/2026/11/2026-11-20-americas-${person}.md`)).toContain("from a pipe");
  });
});

describe("a shift taken out of the roster, its occurrences still in schedule.yaml", () => {
  test("its times are shown in the offset schedule.yaml recorded, not as the roster's zone or UTC", async () => {
    const dir = teamRepo();
    // The Americas day (09:00–17:00 New York) renamed: its planned occurrences name a shift gone.
    const roster = read(dir, "roster.yaml").replace("  - id: americas\n", "  - id: americas2\n");
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const id = "2026-11-24/americas";
    // The day after it: an occurrence served, kept in the schedule's history.
    const after = { ...env, ROTA_NOW: "2026-11-25T12:00:00Z" };
    expect(read(dir, "schedule.yaml")).toContain(
      `"start": "2026-11-24T09:00:00-05:00", "end": "2026-11-24T17:00:00-05:00"`,
    );

    const explain = await rota(["explain", id], { cwd: dir, env: after });
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toContain(
      `${id}: americas (no longer in the roster), Tue 24 Nov 2026, 09:00–17:00 UTC-05:00\n`,
    );

    const calendar = await rota(["calendar"], { cwd: dir, env: after });
    expect(calendar.code, calendar.stderr).toBe(0);
    const team = read(dir, "calendars/team.ics").replace(/\r\n /g, "");
    expect(team).toContain("DESCRIPTION:americas: Tue 24 Nov 2026\\, 09:00–17:00 (UTC-05:00)\\n");

    const site = await rota(["site"], { cwd: dir, env: after });
    expect(site.code, site.stderr).toBe(0);
    expect(read(dir, "public/index.html")).toContain(
      '<td data-label="Shift">americas</td><td data-label="Time">09:00–17:00 UTC-05:00</td>',
    );
  });
});
