import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { rota } from "./helpers/cli.ts";
import { commitAll, initRepo } from "./helpers/git.ts";
import { readSchedule } from "./helpers/repo.ts";

// Two pros and two guests on one weekday shift with a pro seat and an any
// seat: planned on Monday 2026-11-23, Wednesday 2026-11-25 is grace and linus.
const ROSTER = `version: 1
team: Acme
timezone: Europe/Berlin
horizon_weeks: 4
shifts:
  - id: emea
    name: EMEA day
    days: [mon, tue, wed, thu, fri]
    start: "09:00"
    end: "17:00"
    seats: [{ role: pro }, { role: any }]
people:
  - { id: ada, name: Ada Lovelace, email: ada@example.com, roles: [pro], joined: 2025-01-10 }
  - { id: grace, name: Grace Hopper, email: grace@example.com, roles: [pro], joined: 2025-01-10 }
  - { id: linus, name: Linus Torvalds, email: linus@example.com, joined: 2025-01-10 }
  - { id: hedy, name: Hedy Lamarr, email: hedy@example.com, joined: 2025-01-10 }
`;
const PLANNED = { ROTA_NOW: "2026-11-23T10:00:00Z" };
/** After 2026-11-25/emea has ended. */
const AFTER = { ROTA_NOW: "2026-11-25T18:00:00Z" };
const OCCURRENCE = "2026-11-25/emea";

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");

/** The team planned and committed, then schedule.yaml edited by hand to put grace in both seats of OCCURRENCE. */
async function graceTwice(): Promise<{ dir: string; line: number; col: number }> {
  const dir = initRepo();
  writeFileSync(path.join(dir, "roster.yaml"), ROSTER);
  const plan = await rota(["plan"], { cwd: dir, env: PLANNED });
  expect(plan.code, plan.stderr).toBe(0);
  commitAll(dir, "Plan the rota");
  const lines = read(dir, "schedule.yaml").split("\n");
  const line = lines.findIndex((l) => l.includes(`"id": "${OCCURRENCE}"`)) + 1;
  const edited = (lines[line - 1] as string).replace(
    '"people": ["grace", "linus"]',
    '"people": ["grace", "grace"]',
  );
  expect(edited).not.toBe(lines[line - 1]);
  lines[line - 1] = edited;
  writeFileSync(path.join(dir, "schedule.yaml"), lines.join("\n"));
  // The second "grace" of the list.
  const col = edited.indexOf('"grace"', edited.indexOf('"grace"') + 1) + 1;
  return { dir, line, col };
}

describe("one person in two seats of one occurrence (schedule.yaml edited by hand)", () => {
  test("validate warns at the second seat: run rota plan for one to come; counted once for one started", async () => {
    const { dir, line, col } = await graceTwice();
    const validate = await rota(["validate"], { cwd: dir, env: PLANNED });
    expect(validate.stderr).toBe(
      [
        `schedule.yaml:${line}:${col}: warning: grace is in two seats of ${OCCURRENCE}; run \`rota plan\` to fill the other seat`,
        "1 warning in schedule.yaml",
        "roster.yaml (and schedule.yaml) is valid: 1 shift, 4 people",
        "",
      ].join("\n"),
    );
    expect(validate.code).toBe(0);

    const started = await rota(["validate", "--json"], { cwd: dir, env: AFTER });
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toEqual([
      {
        file: "schedule.yaml",
        line,
        col,
        severity: "warning",
        message: `grace is in two seats of ${OCCURRENCE}, which has started: it counts as one shift served (the past is not rewritten)`,
      },
    ]);
  });

  test("still to come: --check fails, and rota plan fills the other seat, saying why", async () => {
    const { dir } = await graceTwice();
    const check = await rota(["plan", "--check", "--fail-on-gaps"], { cwd: dir, env: PLANNED });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      `~ ${OCCURRENCE}: grace, grace → grace, linus (grace is in two seats of it)`,
    );

    const plan = await rota(["plan"], { cwd: dir, env: PLANNED });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain(
      `~ ${OCCURRENCE}: Grace Hopper, Grace Hopper → Grace Hopper, Linus Torvalds (grace is in two seats of it)`,
    );
    const entry = readSchedule(dir).find((e) => e.id === OCCURRENCE);
    expect(entry?.people).toEqual(["grace", "linus"]);
    expect(entry?.rev).toBe(1);
    const after = await rota(["validate"], { cwd: dir, env: PLANNED });
    expect(after.stderr).toBe("roster.yaml (and schedule.yaml) is valid: 1 shift, 4 people\n");
  });

  test("started: rota plan keeps it as written; rota who, report and calendar count grace once", async () => {
    const { dir } = await graceTwice();
    const check = await rota(["plan", "--check"], { cwd: dir, env: AFTER });
    expect(check.code, check.stdout).toBe(0);
    const schedule = read(dir, "schedule.yaml");
    const plan = await rota(["plan"], { cwd: dir, env: AFTER });
    expect(plan.code, plan.stderr).toBe(0);
    const kept = schedule.split("\n").find((l) => l.includes(`"id": "${OCCURRENCE}"`));
    expect(read(dir, "schedule.yaml").split("\n")).toContain(kept);

    const who = await rota(["who", "--json", "--at", "2026-11-25T10:00"], {
      cwd: dir,
      env: AFTER,
    });
    expect(JSON.parse(who.stdout).shifts[0]).toMatchObject({ id: OCCURRENCE, people: ["grace"] });
    const whoText = await rota(["who", "--at", "2026-11-25T10:00"], { cwd: dir, env: AFTER });
    expect(whoText.stdout).toMatch(/EMEA day {2}\S+ {2}Grace Hopper\n/);

    const report = await rota(["report", "--json"], { cwd: dir, env: AFTER });
    expect(report.code, report.stderr).toBe(0);
    const served = JSON.parse(report.stdout).people.find((p: { id: string }) => p.id === "grace");
    expect(served.served).toBe(1);

    const calendar = await rota(["calendar", "--out", "cal"], { cwd: dir, env: AFTER });
    expect(calendar.code, calendar.stderr).toBe(0);
    const feed = read(dir, "cal/people/grace.ics").split("\r\n");
    const uids = feed.filter((l) => l.startsWith("UID:"));
    expect(new Set(uids).size).toBe(uids.length);
    expect(feed.filter((l) => l.endsWith(":20261125T090000")).length).toBe(1);
  });
});

describe("a swap in the roster onto someone already on the occurrence", () => {
  const swap = "swaps: [{ date: 2026-11-25, shift: emea, out: linus, in: grace }]\n";
  const message = `grace is already on ${OCCURRENCE} (on it: grace, linus): the swap from linus does nothing; fix its in or remove it`;

  async function swapOntoGrace(): Promise<string> {
    const dir = initRepo();
    writeFileSync(path.join(dir, "roster.yaml"), ROSTER);
    await rota(["plan"], { cwd: dir, env: PLANNED });
    writeFileSync(path.join(dir, "roster.yaml"), ROSTER + swap);
    return dir;
  }

  test("validate warns at the swap's in, as rota swap refuses it", async () => {
    const dir = await swapOntoGrace();
    const line = ROSTER.split("\n").length;
    const col = swap.indexOf("in: grace") + 5;
    const validate = await rota(["validate"], { cwd: dir, env: PLANNED });
    expect(validate.stderr).toBe(
      `roster.yaml:${line}:${col}: warning: ${message}\n1 warning in roster.yaml\nroster.yaml (and schedule.yaml) is valid: 1 shift, 4 people\n`,
    );
    expect(validate.code).toBe(0);
  });

  test("rota plan warns and leaves the occurrence as planned: the swap does nothing", async () => {
    const dir = await swapOntoGrace();
    const schedule = read(dir, "schedule.yaml");
    const plan = await rota(["plan", "--json"], { cwd: dir, env: PLANNED });
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout).warnings).toEqual([
      { id: OCCURRENCE, person: "grace", message },
    ]);
    expect(read(dir, "schedule.yaml")).toBe(schedule);
    const check = await rota(["plan", "--check"], { cwd: dir, env: PLANNED });
    expect(check.code, check.stdout).toBe(0);

    const report = await rota(["report", "--json"], { cwd: dir, env: AFTER });
    const served = JSON.parse(report.stdout).people.find((p: { id: string }) => p.id === "grace");
    expect(served.served).toBe(1);
  });
});
