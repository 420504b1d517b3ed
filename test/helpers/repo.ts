import { copyFileSync, cpSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { ROOT, rota } from "./cli.ts";
import { commitAll, initRepo } from "./git.ts";
import { suiteTempDir, tempDir } from "./tmp.ts";

/** "Now" for the tests that plan the example rosters. */
export const NOW = "2026-11-20T09:00:00Z";
export const env = { ROTA_NOW: NOW, TZ: "UTC" };

/** One line of schedule.yaml. */
export interface Entry {
  id: string;
  date: string;
  shift: string;
  start: string;
  end: string;
  people: string[];
  how?: string[];
  /** Per person, the occurrence within min_gap_days before theirs. */
  relaxed?: Record<string, string>;
  rev: number;
  changed: string;
}

export function readSchedule(dir: string): Entry[] {
  return readFileSync(path.join(dir, "schedule.yaml"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("  - {"))
    .map((line) => JSON.parse(line.slice(4)));
}

/** Each roster's repository as plannedRepo makes it, by roster and "now": made once per test file. */
const plannedRepos = new Map<string, Promise<string>>();

/**
 * A roster (a path inside rota's repository) in a fresh git repository,
 * planned and committed: planned once per test file for each roster and
 * "now", then copied, so every test has a repository of its own.
 */
export async function plannedRepo(
  roster: string,
  options: { now?: string; dir?: string } = {},
): Promise<string> {
  const now = options.now ?? NOW;
  const key = `${roster}\n${now}`;
  let source = plannedRepos.get(key);
  if (!source) {
    source = (async () => {
      const dir = suiteTempDir("rota-planned-");
      initRepo(dir);
      copyFileSync(path.join(ROOT, roster), path.join(dir, "roster.yaml"));
      const plan = await rota(["plan"], { cwd: dir, env: { ...env, ROTA_NOW: now } });
      expect(plan.code, plan.stderr).toBe(0);
      commitAll(dir, "Plan the rota");
      return dir;
    })();
    plannedRepos.set(key, source);
  }
  const dir = options.dir ?? tempDir();
  cpSync(await source, dir, { recursive: true });
  return dir;
}

/**
 * Swaps the second person of the first emea occurrence after `after` with the
 * first of `candidates` whom `rota swap` accepts (roster.example.yaml).
 */
export async function swapSomeone(
  dir: string,
  after = "2026-12-07",
): Promise<{ entry: Entry; out: string; incoming: string }> {
  const candidates = ["jony", "susan", "katherine", "luca", "tim", "hedy", "steve"];
  for (const entry of readSchedule(dir).filter((e) => e.shift === "emea" && e.date > after)) {
    const out = entry.people[1] as string;
    for (const incoming of candidates.filter((c) => !entry.people.includes(c))) {
      const result = await rota(["swap", entry.id, out, incoming], { cwd: dir, env });
      if (result.code === 0) return { entry, out, incoming };
    }
  }
  throw new Error("no swap was possible");
}
