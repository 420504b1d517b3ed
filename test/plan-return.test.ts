import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { rota } from "./helpers/cli.ts";
import { commitAll, initRepo } from "./helpers/git.ts";
import { readSchedule } from "./helpers/repo.ts";

// One desk on weekdays, one seat anyone can take, three people; planned four
// weeks ahead every Monday morning, each plan committed, as the CI job does.
const ROSTER = [
  "version: 1",
  "team: Acme",
  "timezone: Europe/Berlin",
  "horizon_weeks: 4",
  "shifts:",
  '  - { id: desk, days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00", seats: [{ role: any }] }',
  "people:",
  "  - { id: ada, name: Ada }",
  "  - { id: bob, name: Bob }",
  "",
].join("\n");
const CY = "  - { id: cy, name: Cy }\n";
const OFF = ["2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28"];
const BACK = ["2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25"];

const read = (dir: string) => readFileSync(path.join(dir, "schedule.yaml"), "utf8");

async function planAndCommit(dir: string, day: string): Promise<void> {
  const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: `${day}T06:00:00Z` } });
  expect(plan.code, plan.stderr).toBe(0);
  commitAll(dir, `Plan the rota on ${day}`);
}

/**
 * Plans weekly with cy on the roster, then off it for four weeks, then back
 * (as `back`), checking each plan's schedule with `after`.
 */
async function offAndBack(
  back: string,
  after: (dir: string, day: string) => void = () => {},
): Promise<string> {
  const dir = initRepo();
  writeFileSync(path.join(dir, "roster.yaml"), ROSTER + CY);
  await planAndCommit(dir, "2026-11-30");
  writeFileSync(path.join(dir, "roster.yaml"), ROSTER);
  for (const day of OFF) {
    await planAndCommit(dir, day);
    after(dir, day);
  }
  writeFileSync(path.join(dir, "roster.yaml"), ROSTER + back);
  for (const day of BACK) {
    await planAndCommit(dir, day);
    after(dir, day);
  }
  return dir;
}

const count = (dir: string, id: string) =>
  readSchedule(dir).filter((entry) => entry.people.includes(id)).length;

describe("rota plan: someone taken off the roster and put back", () => {
  // Eighteen plans in two repositories, side by side: longer than most tests.
  test("owes nothing for the weeks off the roster, and nobody else is starved", {
    timeout: 180_000,
  }, async () => {
    const written = new Map<string, string>();
    const plain = offAndBack(CY, (dir, day) => written.set(day, read(dir)));
    const away = offAndBack(
      "  - { id: cy, name: Cy, away: [{ from: 2026-12-07, to: 2027-01-03 }] }\n",
    );
    const [dir] = await Promise.all([plain, away]);
    // Sixty weekdays from 30 November to 19 February. Cy's share: a third of
    // the week before she was taken off and of the seven weeks since she is
    // back; Ada's and Bob's: a third of those and half of the four between.
    expect(readSchedule(dir)).toHaveLength(60);
    expect(Math.abs(count(dir, "cy") - 40 / 3)).toBeLessThan(1);
    expect(Math.abs(count(dir, "ada") - 70 / 3)).toBeLessThan(1);
    expect(Math.abs(count(dir, "bob") - 70 / 3)).toBeLessThan(1);
    const ahead = readSchedule(dir).filter((entry) => entry.date >= "2027-01-25");
    for (const id of ["ada", "bob"]) {
      expect(ahead.filter((entry) => entry.people.includes(id)).length).toBeGreaterThan(3);
    }

    // The same rota as had she been on the roster, away for those weeks.
    const people = (d: string) => readSchedule(d).map((entry) => [entry.id, entry.people]);
    expect(people(dir)).toEqual(people(await away));

    // The report owes her what the planner does: a third of the week before and the three since.
    const report = await rota(["report", "--json"], {
      cwd: dir,
      env: { ROTA_NOW: "2027-01-25T06:00:00Z" },
    });
    expect(report.code, report.stderr).toBe(0);
    const rows = JSON.parse(report.stdout).people as { id: string; expected: number }[];
    expect(rows.find((row) => row.id === "cy")?.expected).toBeCloseTo(20 / 3, 1);
    expect(rows.find((row) => row.id === "ada")?.expected).toBeCloseTo(50 / 3, 1);

    // schedule.yaml says why: off the roster from the first plan without her, until she was back.
    for (const [day, text] of written) {
      expect(text).toContain(
        day < "2027-01-04"
          ? '\noff_roster:\n  cy: [{"from": "2026-12-07"}]\n'
          : '\noff_roster:\n  cy: [{"from": "2026-12-07", "to": "2027-01-03"}]\n',
      );
    }
  });

  test("put back the day they were taken off, has no days off the roster", async () => {
    const dir = initRepo();
    writeFileSync(path.join(dir, "roster.yaml"), ROSTER + CY);
    await planAndCommit(dir, "2026-11-30");
    writeFileSync(path.join(dir, "roster.yaml"), ROSTER);
    await planAndCommit(dir, "2026-12-07");
    expect(read(dir)).toContain('\noff_roster:\n  cy: [{"from": "2026-12-07"}]\n');
    writeFileSync(path.join(dir, "roster.yaml"), ROSTER + CY);
    const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2026-12-07T07:00:00Z" } });
    expect(plan.code, plan.stderr).toBe(0);
    expect(read(dir)).not.toContain("off_roster");
  });

  test("a hand-edited off_roster that cannot be read names its line", async () => {
    const dir = initRepo();
    writeFileSync(path.join(dir, "roster.yaml"), ROSTER + CY);
    await planAndCommit(dir, "2026-11-30");
    const text = read(dir).replace(
      "# entries:",
      'off_roster:\n  cy: [{from: "2026-12-14", to: "2026-12-07"}]\n# entries:',
    );
    writeFileSync(path.join(dir, "schedule.yaml"), text);
    const line = text.split("\n").indexOf('  cy: [{from: "2026-12-14", to: "2026-12-07"}]') + 1;
    const validate = await rota(["validate"], {
      cwd: dir,
      env: { ROTA_NOW: "2026-12-07T06:00:00Z" },
    });
    expect(validate.code).toBe(2);
    expect(validate.stderr + validate.stdout).toContain(
      `schedule.yaml:${line}:7: 2026-12-07 is before 2026-12-14`,
    );
    expect(validate.stderr).not.toMatch(/\n\s+at /);
  });
});
