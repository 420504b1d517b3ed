import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, git, teamRepo } from "./helpers/git.ts";

const env = { ROTA_NOW: AFTER_SHIFTS };
const ANSWERS = [
  "--answer",
  "struggles=SSO",
  "--answer",
  "fix=The SAML docs",
  "--answer",
  "mood=4",
];

interface ReportPerson {
  id: string;
  served: number;
  overdue: boolean;
  notes: { written: number; missing: string[] };
}

async function people(dir: string): Promise<Map<string, ReportPerson>> {
  const result = await rota(["report", "--json"], { cwd: dir, env });
  expect(result.code, result.stderr).toBe(0);
  const report = JSON.parse(result.stdout) as { people: ReportPerson[] };
  return new Map(report.people.map((p) => [p.id, p]));
}

function entry(dir: string, id: string): { people: string[]; served?: string[] } {
  const line = readFileSync(path.join(dir, "schedule.yaml"), "utf8")
    .split("\n")
    .find((l) => l.includes(`"id": "${id}"`));
  return JSON.parse((line as string).slice(4));
}

describe("rota swap --cover", () => {
  test("a cover of a shift that has ended credits whoever served: report, notes, calendars", async () => {
    const dir = await teamRepo();
    const before = await people(dir);
    expect(before.get("katherine")?.notes.missing).toContain("2026-11-24/emea");

    // A plain swap of a shift that has ended points to --cover.
    const swap = await rota(["swap", "2026-11-24/emea", "katherine", "luca"], { cwd: dir, env });
    expect(swap.code).toBe(2);
    expect(swap.stderr).toContain("rota swap --cover 2026-11-24/emea katherine luca");

    const cover = await rota(
      ["swap", "--cover", "2026-11-24/emea", "katherine", "luca", "--reason", "ill"],
      { cwd: dir, env },
    );
    expect(cover.code, cover.stderr).toBe(0);
    expect(cover.stdout).toContain("Luca Pacioli served instead of Katherine Johnson");
    expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toContain(
      "{ date: 2026-11-24, shift: emea, out: katherine, in: luca, reason: ill }",
    );
    // The plan stays as it was; who served is beside it.
    expect(entry(dir, "2026-11-24/emea")).toMatchObject({
      people: ["grace", "katherine"],
      served: ["grace", "luca"],
    });
    git(dir, "commit", "-q", "-am", "Luca covered for Katherine");

    const after = await people(dir);
    expect(after.get("luca")?.served).toBe((before.get("luca")?.served ?? 0) + 1);
    expect(after.get("katherine")?.served).toBe((before.get("katherine")?.served ?? 0) - 1);
    expect(after.get("katherine")?.notes.missing).not.toContain("2026-11-24/emea");
    expect(after.get("luca")?.notes.missing).toContain("2026-11-24/emea");

    // The person who covered writes the notes without --force.
    const notes = await rota(["notes", "--as", "luca", "--shift", "2026-11-24/emea", ...ANSWERS], {
      cwd: dir,
      env,
    });
    expect(notes.code, notes.stderr).toBe(0);
    const noted = await people(dir);
    expect(noted.get("luca")?.notes.missing).not.toContain("2026-11-24/emea");
    expect(noted.get("luca")?.notes.written).toBe(1);
    // ...and their latest shift is the one they covered.
    const absent = await rota(["notes", "--as", "katherine", "--shift", "2026-11-24/emea"], {
      cwd: dir,
      env,
    });
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain("(on it: grace, luca)");

    // Calendars: the shift is in the coverer's feed, not in the absent person's.
    const calendar = await rota(["calendar"], { cwd: dir, env });
    expect(calendar.code, calendar.stderr).toBe(0);
    const feed = (id: string) =>
      readFileSync(path.join(dir, "calendars/people", `${id}.ics`), "utf8");
    const start = "DTSTART;TZID=Europe/Berlin:20261124T090000";
    expect(feed("luca")).toContain(start);
    expect(feed("katherine")).not.toContain(start);

    const log = await rota(["log"], { cwd: dir, env });
    expect(log.stdout).toContain("swap 2026-11-24/emea: katherine → luca (ill)");

    // explain names whoever served the seat, and whose seat it was.
    const explain = await rota(["explain", "2026-11-24/emea"], { cwd: dir, env });
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toMatch(/Luca Pacioli +served, covering for Katherine Johnson \(ill\)/);
    expect(explain.stdout).not.toMatch(/Katherine Johnson +served/);
    const json = await rota(["explain", "2026-11-24/emea", "--json"], { cwd: dir, env });
    const seats = JSON.parse(json.stdout).seats as { person: string; servedBy?: string }[];
    expect(seats.map((seat) => seat.servedBy ?? seat.person)).toEqual(["grace", "luca"]);
  });

  test("who, in words and in JSON, names whoever covers a shift under way", async () => {
    const dir = await teamRepo();
    const during = { ROTA_NOW: "2026-11-24T12:00:00Z" };
    const cover = await rota(
      ["swap", "--cover", "2026-11-24/emea", "katherine", "luca", "--reason", "ill"],
      { cwd: dir, env: during },
    );
    expect(cover.code, cover.stderr).toBe(0);
    const who = await rota(["who"], { cwd: dir, env: during });
    expect(who.stdout).toContain("Grace Hopper, Luca Pacioli");
    const json = await rota(["who", "--json"], { cwd: dir, env: during });
    const shifts = JSON.parse(json.stdout).shifts as { id: string; people: string[] }[];
    expect(shifts.find((shift) => shift.id === "2026-11-24/emea")?.people).toEqual([
      "grace",
      "luca",
    ]);
  });

  test("plan shows whoever covers, in text, markdown and JSON, as who does; schedule.yaml keeps both", async () => {
    const dir = await teamRepo();
    const during = { ROTA_NOW: "2026-11-24T12:00:00Z" };
    const cover = await rota(
      ["swap", "--cover", "2026-11-24/emea", "katherine", "luca", "--reason", "ill"],
      { cwd: dir, env: during },
    );
    expect(cover.code, cover.stderr).toBe(0);
    git(dir, "commit", "-q", "-am", "Luca covers for Katherine");
    const recorded = entry(dir, "2026-11-24/emea");

    const who = await rota(["who", "--json"], { cwd: dir, env: during });
    const covered = (JSON.parse(who.stdout).shifts as { id: string }[]).find(
      (shift) => shift.id === "2026-11-24/emea",
    );
    expect(covered).toMatchObject({ people: ["grace", "luca"] });
    const json = await rota(["plan", "--dry-run", "--json"], { cwd: dir, env: during });
    expect(json.code, json.stderr).toBe(0);
    const shifts = JSON.parse(json.stdout).shifts as { id: string }[];
    expect(shifts.find((shift) => shift.id === "2026-11-24/emea")).toEqual(covered);

    // Luca at the terminal: the shift he covers is his.
    git(dir, "config", "user.email", "luca@example.com");
    const text = await rota(["plan", "--dry-run"], { cwd: dir, env: during });
    expect(text.stdout).toMatch(
      /Tue 24 Nov +EMEA day +09:00–17:00 +Grace Hopper, Luca Pacioli +◀ you\n/,
    );
    expect(text.stdout).not.toMatch(/Tue 24 Nov .*Katherine Johnson/);
    const md = await rota(["plan", "--dry-run", "--format", "md"], { cwd: dir, env: during });
    expect(md.stdout).toContain(
      "| Tue 24 Nov | EMEA day | 09:00–17:00 | Grace Hopper, Luca Pacioli |",
    );

    // The plan itself is unchanged: the schedule keeps who was planned beside who served.
    const check = await rota(["plan", "--check"], { cwd: dir, env: during });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const plan = await rota(["plan"], { cwd: dir, env: during });
    expect(plan.code, plan.stderr).toBe(0);
    expect(entry(dir, "2026-11-24/emea")).toEqual(recorded);
    expect(recorded).toMatchObject({
      people: ["grace", "katherine"],
      served: ["grace", "luca"],
    });
  });

  test("a cover is refused, in the words swap and explain use, when it cannot be", async () => {
    const dir = await teamRepo();
    const notStarted = await rota(["swap", "--cover", "2026-11-25/emea", "ada", "luca"], {
      cwd: dir,
      env,
    });
    expect(notStarted.code).toBe(2);
    expect(notStarted.stderr).toContain("has not started yet");

    const notThere = await rota(["swap", "--cover", "2026-11-24/emea", "ada", "luca"], {
      cwd: dir,
      env,
    });
    expect(notThere.code).toBe(2);
    expect(notThere.stderr).toContain(
      "ada did not serve 2026-11-24/emea (served by: grace, katherine)",
    );

    // guido takes only the EMEA shift.
    const ineligible = await rota(["swap", "--cover", "2026-11-24/americas", "radia", "guido"], {
      cwd: dir,
      env,
    });
    expect(ineligible.code).toBe(2);
    expect(ineligible.stderr).toBe(
      "rota: cannot record the cover of 2026-11-24/americas: guido takes only shift emea, not americas\n",
    );
    expect(git(dir, "status", "--porcelain")).toBe("");
  });
});
