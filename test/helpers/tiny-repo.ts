import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { rota } from "./cli.ts";
import { commitAll, initRepo } from "./git.ts";

/**
 * A tiny team with one weekday shift, planned on 2026-10-01: eve serves
 * 2026-10-02/day and 2026-10-08/day, dee 2026-10-06/day, bob 2026-10-01 to
 * 2026-10-09 every other weekday (on 2026-10-02, 06 and 08).
 */
export const TINY_ROSTER = `version: 1
team: Tiny
timezone: Europe/Berlin
horizon_weeks: 4
shifts:
  - { id: day, name: Day desk, days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00", seats: [{role: pro}, {role: any}] }
rules: { min_gap_days: 3, every: 1 month }
teams: { support: { roles: [pro], min_gap_days: 0 } }
people:
  - { id: ada, name: Ada Lovelace, email: ada@example.com, team: support, joined: 2025-01-01 }
  - { id: bob, name: Bob Builder, email: bob@example.com, team: support, joined: 2025-01-01 }
  - { id: cy, name: Cy Twombly, email: cy@example.com, team: eng, joined: 2025-01-01 }
  - { id: dee, name: Dee Dee, email: dee@example.com, team: eng, joined: 2025-01-01 }
  - { id: eve, name: Eve Online, email: eve@example.com, team: design, joined: 2025-01-01, helpdesk: "E. Online" }
  - { id: fay, name: Fay Wray, email: fay@example.com, team: leadership, joined: 2025-01-01 }
`;

/** "Now" for reports on the tiny team: after every October shift. */
export const TINY_NOW = "2026-11-03T12:00:00+01:00";

/** Plans the roster as it is at `now` and commits it. */
export async function planAndCommit(dir: string, now: string, message: string): Promise<void> {
  const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: now } });
  expect(plan.code, plan.stderr).toBe(0);
  commitAll(dir, message);
}

/** Edits roster.yaml, checking that the edit took. */
export function editRoster(dir: string, from: string | RegExp, to: string): void {
  const file = path.join(dir, "roster.yaml");
  const text = readFileSync(file, "utf8");
  const edited = text.replace(from, to);
  expect(edited).not.toBe(text);
  writeFileSync(file, edited);
}

/** The tiny team's repository, planned and committed. */
export async function tinyRepo(): Promise<string> {
  const dir = initRepo();
  writeFileSync(path.join(dir, "roster.yaml"), TINY_ROSTER);
  await planAndCommit(dir, "2026-10-01T08:00:00+02:00", "Plan the rota");
  return dir;
}

/** The tiny team after eve left (2026-10-12) and dee's id was renamed dora (2026-10-20). */
export async function tinyRepoWithLeavers(): Promise<string> {
  const dir = await tinyRepo();
  editRoster(dir, /^ {2}- \{ id: eve.*\n/m, "");
  await planAndCommit(dir, "2026-10-12T08:00:00+02:00", "eve leaves");
  editRoster(dir, "id: dee, name: Dee Dee", "id: dora, name: Dee Dora");
  await planAndCommit(dir, "2026-10-20T08:00:00+02:00", "dee is dora now");
  return dir;
}
