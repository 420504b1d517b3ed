import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { rota } from "./helpers/cli.ts";
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
