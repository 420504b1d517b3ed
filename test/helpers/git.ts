import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { ROOT, rota } from "./cli.ts";
import { tempDir } from "./tmp.ts";

/** Runs git in a directory and returns its output (throws when git fails). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" },
  });
}

/** Settings every test repository gets: an identity, no signing, no background gc. */
export function configure(dir: string, name: string, email: string): void {
  git(dir, "config", "user.name", name);
  git(dir, "config", "user.email", email);
  git(dir, "config", "commit.gpgsign", "false");
  git(dir, "config", "gc.auto", "0");
}

/** A fresh repository on branch main. */
export function initRepo(dir = tempDir(), name = "Ada Lovelace", email = "ada@example.com") {
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  configure(dir, name, email);
  return dir;
}

/** When the example roster was planned: the Monday its schedule starts. */
export const PLANNED_AT = "2026-11-16T08:00:00+01:00";
/** "Now" for notes: after grace and katherine's 2026-11-24/emea, after ada's 2026-11-23/americas. */
export const AFTER_SHIFTS = "2026-11-24T18:00:00+01:00";

/**
 * A team's repository: roster.example.yaml as roster.yaml with the schedule
 * planned for it from 2026-11-16 (test/fixtures/team/schedule.yaml, written
 * by an earlier rota, before schedules recorded why each seat was filled),
 * committed. In it, ada's latest shift by AFTER_SHIFTS is
 * 2026-11-23/americas, and grace and katherine share 2026-11-24/emea. A
 * fixed schedule keeps the tests of notes, logs and reports about those,
 * whatever the planner would choose today; `rota plan` keeps its valid seats.
 */
export async function teamRepo(dir = tempDir()): Promise<string> {
  // Made once per test file, then copied.
  planned ??= (async () => {
    const source = mkdtempSync(path.join(tmpdir(), "rota-team-"));
    initRepo(source);
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(source, "roster.yaml"));
    copyFileSync(
      path.join(ROOT, "test/fixtures/team/schedule.yaml"),
      path.join(source, "schedule.yaml"),
    );
    const check = await rota(["validate"], { cwd: source, env: { ROTA_NOW: PLANNED_AT } });
    if (check.code !== 0) throw new Error(check.stderr);
    git(source, "add", "roster.yaml", "schedule.yaml");
    git(source, "commit", "-q", "-m", "Roster and first plan");
    return source;
  })();
  cpSync(await planned, dir, { recursive: true });
  return dir;
}

let planned: Promise<string> | undefined;

afterAll(() => {
  if (planned) void planned.then((dir) => rmSync(dir, { recursive: true, force: true }));
});

/** A bare repository to push to, holding `source`'s main branch. */
export function bareRemoteOf(source: string): string {
  const remote = path.join(tempDir(), "remote.git");
  git(path.dirname(remote), "init", "-q", "--bare", "-b", "main", remote);
  git(source, "remote", "add", "origin", remote);
  git(source, "push", "-q", "-u", "origin", "main");
  return remote;
}

/** A clone of a remote with its own identity. */
export function cloneOf(remote: string, name: string, email: string): string {
  const dir = path.join(tempDir(), "clone");
  git(path.dirname(dir), "clone", "-q", remote, dir);
  configure(dir, name, email);
  return dir;
}

/** Stages everything and commits; returns the new commit's hash. */
export function commitAll(dir: string, message: string): string {
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
  return git(dir, "rev-parse", "HEAD").trim();
}
