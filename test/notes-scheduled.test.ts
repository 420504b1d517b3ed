import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { rota } from "./helpers/cli.ts";
import { commitAll } from "./helpers/git.ts";
import { readSchedule } from "./helpers/repo.ts";
import { editRoster, planAndCommit, TINY_NOW, tinyRepo } from "./helpers/tiny-repo.ts";

/**
 * The notes rota report, rota site and rota fix count: those of shifts in
 * schedule.yaml that have started, by people the roster, the schedule or the
 * roster's history knows; every note `rota notes` can write among them.
 */

const env = { ROTA_NOW: TINY_NOW };

/** Writes and commits a note with `rota notes`, at `now`. */
async function writeNote(dir: string, now: string, args: string[], fix: string): Promise<void> {
  const result = await rota(
    [
      "notes",
      ...args,
      "--answer",
      "struggles=Exports",
      "--answer",
      `fix=${fix}`,
      "--answer",
      "handled=5",
    ],
    { cwd: dir, env: { ROTA_NOW: now } },
  );
  expect(result.code, result.stderr).toBe(0);
}

/** A note as a hand (or a script) would put it there: `date`, `shift`, `person`, and a fix. */
function handNote(dir: string, date: string, shift: string, person: string, fix: string): string {
  const file = `notes/${date.slice(0, 4)}/${date.slice(5, 7)}/${date}-${shift}-${person}.md`;
  mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
  writeFileSync(
    path.join(dir, file),
    `---\noccurrence: ${date}/${shift}\ndate: ${date}\nshift: ${shift}\nperson: ${person}\nhandled: 100\n---\n` +
      `<!-- rota:entry ${date}T17:00:00+02:00 -->\n<!-- rota:answer fix text -->${fix}<!-- rota:end fix -->\n`,
  );
  return file;
}

async function fixes(dir: string): Promise<{ stdout: string; stderr: string }> {
  const result = await rota(["fix", "--json"], { cwd: dir, env });
  expect(result.code, result.stderr).toBe(0);
  return { stdout: result.stdout, stderr: result.stderr };
}

describe("notes of shifts that were never served", () => {
  test("a Saturday, a shift not in the schedule, a shift not started and a stranger are skipped at their key", async () => {
    const dir = await tinyRepo();
    await planAndCommit(dir, "2026-10-20T08:00:00+02:00", "Plan ahead");
    const saturday = handNote(dir, "2026-10-10", "day", "bob", "Saturday fix");
    const noShift = handNote(dir, "2026-10-12", "night", "bob", "Night fix");
    const future = handNote(dir, "2026-11-05", "day", "bob", "Future fix");
    const stranger = handNote(dir, "2026-10-05", "day", "zed", "Stranger fix");
    expect(readSchedule(dir).some((e) => e.id === "2026-11-05/day")).toBe(true);
    commitAll(dir, "Notes by hand");
    const report = await rota(["report", "--json"], { cwd: dir, env });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr.split("\n").filter(Boolean)).toEqual(
      [
        `${saturday}:2:1: warning: schedule.yaml has no 2026-10-10/day, so no one served it: notes are written for the shifts in it (\`rota notes --shift\`); the note is skipped`,
        `${noShift}:2:1: warning: schedule.yaml has no 2026-10-12/night, so no one served it: notes are written for the shifts in it (\`rota notes --shift\`); the note is skipped`,
        `${stranger}:5:1: warning: zed is not in the roster, schedule.yaml or the roster's git history: notes are written by the people of the rota; the note is skipped`,
        `${future}:2:1: warning: 2026-11-05/day has not started yet (it starts 2026-11-05T09:00:00+01:00): notes are written after a shift; the note is skipped`,
      ].sort((a, b) => (a < b ? -1 : 1)),
    );
    const json = JSON.parse(report.stdout);
    expect(json.totals.notes).toBe(0);
    expect(json.themes.handled).toMatchObject({ total: 0, shifts: 0 });
    expect(json.fixes.proposed).toBe(0);
    const listed = await fixes(dir);
    expect(listed.stdout).not.toMatch(/Saturday|Night|Future|Stranger/);
    expect(listed.stderr).toContain(`${saturday}:2:1: warning:`);
    const site = await rota(["site", "--out", "public"], { cwd: dir, env });
    expect(site.code, site.stderr).toBe(0);
    expect(site.stderr).toContain(`${stranger}:5:1: warning:`);
    const pages = (await rota(["report", "--format", "html"], { cwd: dir, env })).stdout;
    expect(pages).not.toMatch(/Saturday fix|Stranger fix/);
  });

  test("every note rota notes writes counts: covers, --force, swaps, leavers, renamed ids, shifts since removed", async () => {
    const dir = await tinyRepo();
    const on = (id: string) => readSchedule(dir).find((e) => e.id === id)?.people ?? [];
    expect(on("2026-10-02/day")).toEqual(["bob", "eve"]);
    // A swap onto a shift, recorded ahead of it.
    const swap = await rota(["swap", "2026-10-09/day", "fay", "cy"], {
      cwd: dir,
      env: { ROTA_NOW: "2026-10-01T08:00:00+02:00" },
    });
    expect(swap.code, swap.stderr).toBe(0);
    commitAll(dir, "cy for fay");
    // A second shift, served, then taken out of the roster.
    editRoster(
      dir,
      "rules:",
      `  - { id: late, name: Late desk, days: [mon, tue, wed, thu, fri], start: "17:00", end: "21:00", seats: [{role: any}] }\nrules:`,
    );
    await planAndCommit(dir, "2026-10-02T08:00:00+02:00", "A late desk");
    const late = readSchedule(dir).find((e) => e.shift === "late" && e.date === "2026-10-02");
    expect(late).toBeDefined();
    const latePerson = (late?.people ?? [])[0] as string;
    const after = "2026-10-09T18:00:00+02:00";
    await writeNote(dir, after, ["--as", "eve", "--shift", "2026-10-02/day"], "Eve fix");
    await writeNote(dir, after, ["--as", "dee", "--shift", "2026-10-06/day"], "Dee fix");
    await writeNote(dir, after, ["--as", "cy", "--shift", "2026-10-09/day"], "Swap fix");
    await writeNote(
      dir,
      after,
      ["--as", "ada", "--shift", "2026-10-08/day", "--force"],
      "Force fix",
    );
    await writeNote(dir, after, ["--as", latePerson, "--shift", late?.id as string], "Late fix");
    // Someone added, who sat in with --force, and left before serving a shift of their own.
    editRoster(
      dir,
      "people:\n",
      "people:\n  - { id: gil, name: Gil Scott, email: gil@example.com, team: eng }\n",
    );
    commitAll(dir, "gil joins");
    await writeNote(dir, after, ["--as", "gil", "--shift", "2026-10-07/day", "--force"], "Gil fix");
    editRoster(dir, /^ {2}- \{ id: gil.*\n/m, "");
    editRoster(dir, /^ {2}- \{ id: eve.*\n/m, "");
    editRoster(dir, /^ {2}- \{ id: late.*\n/m, "");
    await planAndCommit(dir, "2026-10-12T08:00:00+02:00", "eve and gil leave; no late desk");
    editRoster(dir, "id: dee, name: Dee Dee", "id: dora, name: Dee Dora");
    await planAndCommit(dir, "2026-10-20T08:00:00+02:00", "dee is dora now");
    expect(readSchedule(dir).flatMap((e) => e.people)).not.toContain("gil");

    const report = await rota(["report", "--json"], { cwd: dir, env });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toBe("");
    const json = JSON.parse(report.stdout);
    expect(json.totals.notes).toBe(6);
    expect(json.themes.handled).toMatchObject({ total: 30, shifts: 6 });
    const listed = await fixes(dir);
    expect(listed.stderr).toBe("");
    for (const fix of ["Eve", "Dee", "Swap", "Force", "Late", "Gil"]) {
      expect(listed.stdout).toContain(`${fix} fix`);
    }
  });

  test("notes older than the schedule, from before rota, are counted with one warning", async () => {
    const dir = await tinyRepo();
    const first = handNote(dir, "2026-09-14", "day", "ada", "Old fix");
    handNote(dir, "2026-09-15", "day", "bob", "Older fix");
    const report = await rota(["report", "--since", "2026-09-01", "--json"], { cwd: dir, env });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toBe(
      `${first}:2:1: warning: this note and 1 other are about shifts before schedule.yaml begins (2026-10-01), which rota cannot check against it; they are counted\n` +
        // The tiny team's plan of 2026-10-01 ends before TINY_NOW.
        "warning: schedule.yaml is planned only through 2026-10-28: the days since have no seats, and nobody is counted as missing a turn in them; run `rota plan`\n",
    );
    expect(JSON.parse(report.stdout).themes.handled).toMatchObject({ total: 200, shifts: 2 });
  });
});
