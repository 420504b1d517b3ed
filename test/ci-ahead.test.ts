import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { fromDay, toDay } from "../src/core/dates.ts";
import { bareOrigin, checkout, githubSteps, gitlabScript, runScript } from "./helpers/ci.ts";
import { ROOT, rota } from "./helpers/cli.ts";
import { editFile } from "./helpers/edit.ts";
import { commitAll, git, initRepo } from "./helpers/git.ts";
import { NOW, plannedRepo } from "./helpers/repo.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * The scheduled run of the CI templates, week after week for four months: it
 * extends schedule.yaml (`rota plan`) and proposes the result for review — a
 * pull request on GitHub (the `gh` CLI, replaced here by a script that records
 * what it is asked), a merge request on GitLab (push options, recorded by the
 * bare origin's hook). Merged each week, the plan stays 12 weeks ahead and the
 * pull-request check passes; left unmerged, the check on main fails before
 * the rota runs out.
 */

/**
 * Sixteen weeks: past the 12-week horizon, so that every day planned was
 * first planned by a weekly run, and past the roster's later gap.
 */
const WEEKS = 16;
/**
 * The weeks whose pull request the check job reviews too (each costs a few
 * seconds): the first ones, the week the later gap comes into the plan, the
 * week after one was left open, and the last (its gap gone by).
 */
const REVIEWED = new Set([1, 2, 4, 6, 16]);
const BRANCH = "rota/plan-ahead";
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.parse(NOW) + days * DAY).toISOString();
/** `planned_until` of a plan made at `now`: 12 weeks (roster.example.yaml's horizon) from today. */
const plannedUntilAt = (now: string) => fromDay(toDay(now.slice(0, 10)) + 84);

/** The days of the known-gap roster on which nobody can take the pro seat: both regulars are away. */
const GAP_DAYS = [
  "2026-12-08",
  "2026-12-09",
  "2026-12-10",
  "2027-03-09",
  "2027-03-10",
  "2027-03-11",
];

function plannedUntil(text: string): string | undefined {
  return /^planned_until: "(.*)"$/m.exec(text)?.[1];
}

/**
 * A `gh` that records its arguments and each pull request's body, and
 * remembers whether a pull request is open (`gh pr list` prints its number).
 */
function fakeGh(): { bin: string; log: string; vars: Record<string, string> } {
  const dir = tempDir();
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const log = path.join(dir, "gh.log");
  writeFileSync(
    path.join(bin, "gh"),
    `#!/bin/sh
printf '%s\\n' "$*" >> "$GH_LOG"
case "$1 $2" in
  "pr list") cat "$GH_OPEN" 2>/dev/null || true ;;
  "pr create")
    if [ -n "$GH_REFUSE" ]; then
      echo "pull request create failed: GraphQL: GitHub Actions is not permitted to create or approve pull requests" >&2
      exit 1
    fi
    echo 7 > "$GH_OPEN"; echo https://github.com/acme/support/pull/7 ;;
esac
while [ $# -gt 0 ]; do
  if [ "$1" = --body-file ]; then cp "$2" "$GH_LOG.body"; fi
  shift
done
`,
  );
  chmodSync(path.join(bin, "gh"), 0o755);
  return { bin, log, vars: { GH_LOG: log, GH_OPEN: path.join(dir, "open") } };
}

/** Records the push options of every push to a bare repository, one block per push. */
function recordPushOptions(bare: string): string {
  const log = path.join(tempDir(), "push-options.log");
  const hook = path.join(bare, "hooks", "pre-receive");
  writeFileSync(
    hook,
    `#!/bin/sh
cat > /dev/null
i=0
while [ "$i" -lt "\${GIT_PUSH_OPTION_COUNT:-0}" ]; do
  eval "printf '%s\\n' \\"\\$GIT_PUSH_OPTION_$i\\"" >> "${log}"
  i=$((i + 1))
done
echo --- >> "${log}"
`,
  );
  chmodSync(hook, 0o755);
  return log;
}

/** What each host does once a week, and how a reviewer merges the proposal. */
interface Host {
  name: "github" | "gitlab";
  /** Runs the scheduled job's commands in a fresh checkout of main at `now`. */
  plan(now: string, vars?: Record<string, string>): ReturnType<typeof runScript>;
  /** The request for review of the last run: its title, what it shows, and whether it replaced an open one. */
  proposal(): { title: string; shows: string; replaced?: boolean };
  /** The reviewer merges it (the host then deletes the branch). */
  merge(): void;
}

function github(bare: string, main = "main"): Host {
  const gh = fakeGh();
  const steps = githubSteps("ahead");
  expect(steps.map((step) => step.name)).toEqual(["Plan ahead", "Propose the plan"]);
  return {
    name: "github",
    plan(now, vars = {}) {
      const dir = checkout(bare, main);
      for (const step of steps) {
        // The weekly run is on the default branch, which GitHub names in GITHUB_REF_NAME.
        const result = runScript(
          step.run as string,
          dir,
          { ROTA_NOW: now, RUNNER_TEMP: tempDir(), GITHUB_REF_NAME: main, ...gh.vars, ...vars },
          { path: gh.bin },
        );
        if (result.code !== 0) return result;
        if (step === steps.at(-1)) return result;
      }
      throw new Error("no steps");
    },
    proposal() {
      const calls = readFileSync(gh.log, "utf8").trim().split("\n");
      const last = calls.at(-1) as string;
      expect(last).toMatch(new RegExp(`^pr (create --base ${main} --head|edit) rota/plan-ahead `));
      return {
        title: /--title (.*) --body-file/.exec(last)?.[1] as string,
        shows: readFileSync(`${gh.log}.body`, "utf8"),
        replaced: last.startsWith("pr edit"),
      };
    },
    merge() {
      git(bare, "update-ref", `refs/heads/${main}`, `refs/heads/${BRANCH}`);
      git(bare, "update-ref", "-d", `refs/heads/${BRANCH}`);
      rmSync(gh.vars.GH_OPEN as string, { force: true });
    },
  };
}

function gitlab(bare: string): Host {
  const options = recordPushOptions(bare);
  const script = gitlabScript("rota-ahead");
  return {
    name: "gitlab",
    plan(now, vars = {}) {
      return runScript(script, checkout(bare, "main"), {
        ROTA_NOW: now,
        ROTA_PUSH_URL: `file://${bare}`,
        ROTA_PLAN_AHEAD: "merge-request",
        CI_DEFAULT_BRANCH: "main",
        CI_SERVER_HOST: "gitlab.example.com",
        ...vars,
      });
    },
    proposal() {
      const pushes = readFileSync(options, "utf8").split("---\n").filter(Boolean);
      const last = (pushes.at(-1) as string).trim().split("\n");
      expect(last).toContain("merge_request.create");
      expect(last).toContain("merge_request.target=main");
      expect(last).toContain("merge_request.remove_source_branch");
      return {
        title: (last.find((o) => o.startsWith("merge_request.title=")) as string).slice(20),
        shows: last.find((o) => o.startsWith("merge_request.description=")) as string,
      };
    },
    merge() {
      git(bare, "update-ref", "refs/heads/main", `refs/heads/${BRANCH}`);
      git(bare, "update-ref", "-d", `refs/heads/${BRANCH}`);
    },
  };
}

/** The pull-request check job of the GitHub workflow, on a branch of origin. */
function checkPullRequest(bare: string, branch: string, now: string) {
  const dir = checkout(bare, branch);
  const summary = path.join(tempDir(), "summary.md");
  for (const step of githubSteps("check")) {
    const result = runScript(step.run as string, dir, {
      ROTA_NOW: now,
      GITHUB_BASE_REF: "main",
      GITHUB_STEP_SUMMARY: summary,
    });
    if (result.code !== 0) return { code: result.code, summary: readFileSync(summary, "utf8") };
  }
  return { code: 0, summary: readFileSync(summary, "utf8") };
}

/**
 * Sixteen weeks on each roster with GitHub's workflow, and seven on the roster
 * with gaps with GitLab's: its commands are the same on any roster, and seven
 * weeks see it open, replace (week 5's left open) and merge its merge requests.
 */
const RUNS = [
  { host: "github", roster: "roster.example.yaml", weeks: WEEKS },
  { host: "github", roster: "test/fixtures/known-gap/roster.yaml", weeks: WEEKS },
  { host: "gitlab", roster: "test/fixtures/known-gap/roster.yaml", weeks: 7 },
] as const;

describe("the weekly run", () => {
  test.each(RUNS)(
    "$host, $weeks weeks on $roster: each week a reviewable change keeps the plan 12 weeks ahead",
    async ({ host: name, roster, weeks }) => {
      const gapRoster = roster.includes("known-gap");
      const work = await plannedRepo(roster);
      const bare = bareOrigin(work);
      const host = name === "github" ? github(bare) : gitlab(bare);
      let open = false;
      for (let week = 1; week <= weeks; week++) {
        const now = at(7 * week);
        const main = git(bare, "rev-parse", "main").trim();
        const run = host.plan(now);
        expect(run.code, `week ${week}: ${run.stderr}`).toBe(0);

        // A change for review: one commit on the branch, on main, touching schedule.yaml alone.
        expect(git(bare, "rev-parse", `${BRANCH}^`).trim()).toBe(main);
        expect(git(bare, "diff", "--name-only", "main", BRANCH)).toBe("schedule.yaml\n");
        const proposed = git(bare, "show", `${BRANCH}:schedule.yaml`);
        expect(plannedUntil(proposed)).toBe(plannedUntilAt(now));
        const { title, shows, replaced } = host.proposal();
        expect(title).toBe(`Plan the rota ahead: it runs out on ${plannedUntilAt(now)}`);
        expect(git(bare, "log", "-1", "--format=%s", BRANCH).trim()).toBe(title);
        if (host.name === "github") {
          // The shifts it adds, as the pull-request check shows them.
          expect(shows).toContain("### Shifts this pull request changes\n\n```diff\n+ ");
          const added = git(bare, "diff", "--unified=0", "main", BRANCH, "--", "schedule.yaml")
            .split("\n")
            .filter((line) => line.startsWith('+  - {"id"')).length;
          expect(shows.match(/^\+ \d{4}-\d\d-\d\d\/\w+: /gm)?.length).toBe(added);
          // A week after one was left open, the fresh plan replaces it.
          expect(replaced).toBe(open);
        } else {
          expect(shows).toContain(
            `planned schedule.yaml ahead: it now runs out on ${plannedUntilAt(now)} (the first day not planned).`,
          );
        }

        if (week === 1) {
          // Run again the same week: the open proposal already says it all.
          const again = host.plan(now);
          expect(again.code, again.stderr).toBe(0);
          expect(again.stdout).toContain(`from ${BRANCH} already proposes this plan.`);
          expect(git(bare, "rev-parse", `${BRANCH}^`).trim()).toBe(main);
        }

        if (host.name === "github" && REVIEWED.has(week)) {
          // Reviewed as any pull request: the check passes, gaps and all.
          const check = checkPullRequest(bare, BRANCH, now);
          expect(check.code, check.summary).toBe(0);
          expect(check.summary).toContain(
            "schedule.yaml is up to date with the roster, planned 12 weeks ahead",
          );
          if (gapRoster) {
            const today = toDay(now.slice(0, 10));
            const known = GAP_DAYS.filter((day) => toDay(day) >= today && toDay(day) < today + 84);
            if (known.length > 0) {
              expect(check.summary).toContain(`### ${known.length} gap`);
            } else {
              expect(check.summary).not.toContain("already in schedule.yaml");
            }
            for (const day of known)
              expect(check.summary).toContain(`- **${day}/day**, pro seat: `);
          }
        }

        if (host.name === "github" && gapRoster && week === 8) {
          // An unrelated pull request on main passes while the known gaps are listed.
          const pr = checkout(bare, "main");
          git(pr, "checkout", "-q", "-b", "email");
          const file = path.join(pr, "roster.yaml");
          editFile(
            file,
            "{ id: linus, name: Linus Torvalds,",
            "{ id: linus, name: Linus Torvalds, email: linus@example.com,",
          );
          commitAll(pr, "Linus's email");
          git(pr, "push", "-q", "origin", "email");
          const check = checkPullRequest(bare, "email", now);
          expect(check.code, check.summary).toBe(0);
          expect(check.summary).toContain("### 3 gaps already in schedule.yaml");
          expect(check.summary).toContain(
            "- **2027-03-09/day**, pro seat: no pro available: 2 away",
          );
        }

        // Week 5's proposal is left open: week 6 replaces it with a fresh one.
        open = week === 5;
        if (!open) host.merge();
      }
      expect(open).toBe(false);

      // Merged every week, the rota never ran out.
      const dir = checkout(bare, "main");
      const end = at(7 * weeks);
      expect(plannedUntil(readFileSync(path.join(dir, "schedule.yaml"), "utf8"))).toBe(
        plannedUntilAt(end),
      );
      const next = await rota(["who", "--next", "--json"], { cwd: dir, env: { ROTA_NOW: end } });
      expect(JSON.parse(next.stdout).shifts.length).toBeGreaterThan(0);
      // Left unmerged for seven weeks, the check on main fails and names the day it runs out.
      const late = await rota(["plan", "--check"], {
        cwd: dir,
        env: { ROTA_NOW: at(7 * weeks + 43) },
      });
      expect(late.code).toBe(1);
      expect(late.stdout).toContain(`schedule.yaml runs out on`);
    },
    600_000,
  );
});

describe("the weekly run, opted out of review or not allowed to propose", () => {
  test.each(["github", "gitlab"] as const)(
    "%s: ROTA_PLAN_AHEAD=push commits the plan to main, and nothing is proposed",
    async (name) => {
      const work = await plannedRepo("roster.example.yaml");
      const bare = bareOrigin(work);
      const host = name === "github" ? github(bare) : gitlab(bare);
      const main = git(bare, "rev-parse", "main").trim();
      const now = at(7);
      const run = host.plan(now, { ROTA_PLAN_AHEAD: "push" });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(
        `Committed to main: Plan the rota ahead: it runs out on ${plannedUntilAt(now)}`,
      );
      expect(git(bare, "rev-parse", "main^").trim()).toBe(main);
      expect(plannedUntil(git(bare, "show", "main:schedule.yaml"))).toBe(plannedUntilAt(now));
      expect(git(bare, "branch", "--list", BRANCH)).toBe("");
      // Nothing left to do the same week.
      const again = host.plan(now, { ROTA_PLAN_AHEAD: "push" });
      expect(again.stdout).toContain("schedule.yaml is already planned ahead: nothing to propose.");
    },
    60_000,
  );

  test("github: on a repository whose default branch is master, the plan is proposed to master, or pushed there", async () => {
    const work = await plannedRepo("roster.example.yaml");
    git(work, "branch", "-q", "-m", "main", "master");
    const bare = path.join(tempDir(), "origin.git");
    git(work, "init", "-q", "--bare", "-b", "master", bare);
    git(work, "remote", "add", "origin", bare);
    git(work, "push", "-q", "origin", "master");
    const master = git(bare, "rev-parse", "master").trim();
    const host = github(bare, "master");
    const run = host.plan(at(7));
    expect(run.code, run.stderr).toBe(0);
    expect(host.proposal().title).toBe(
      `Plan the rota ahead: it runs out on ${plannedUntilAt(at(7))}`,
    );
    expect(git(bare, "rev-parse", `${BRANCH}^`).trim()).toBe(master);

    const pushed = github(bare, "master").plan(at(14), { ROTA_PLAN_AHEAD: "push" });
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain(
      `Committed to master: Plan the rota ahead: it runs out on ${plannedUntilAt(at(14))}`,
    );
    expect(git(bare, "rev-parse", "master^").trim()).toBe(master);
    expect(git(bare, "branch", "--list", "main")).toBe("");
  });

  test.each(["github", "gitlab"] as const)(
    "%s: a schedule.yaml never committed is proposed, not taken for one already planned",
    async (name) => {
      const work = initRepo();
      writeFileSync(
        path.join(work, "roster.yaml"),
        readFileSync(path.join(ROOT, "roster.example.yaml")),
      );
      commitAll(work, "The roster");
      const bare = bareOrigin(work);
      const host = name === "github" ? github(bare) : gitlab(bare);
      const now = at(7);
      const run = host.plan(now);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).not.toContain("nothing to propose");
      expect(git(bare, "diff", "--name-only", "main", BRANCH)).toBe("schedule.yaml\n");
      expect(plannedUntil(git(bare, "show", `${BRANCH}:schedule.yaml`))).toBe(plannedUntilAt(now));
      expect(host.proposal().title).toBe(
        `Plan the rota ahead: it runs out on ${plannedUntilAt(now)}`,
      );
    },
    60_000,
  );

  test("github: when Actions may not open pull requests, the run fails saying how to allow it, the plan on its branch", async () => {
    const work = await plannedRepo("roster.example.yaml");
    const bare = bareOrigin(work);
    const run = github(bare).plan(at(7), { GH_REFUSE: "1" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::Could not open the pull request: set the secret ROTA_PUSH_TOKEN, or allow Settings → Actions → General → "Allow GitHub Actions to create and approve pull requests". The plan is on the branch rota/plan-ahead.',
    );
    expect(plannedUntil(git(bare, "show", `${BRANCH}:schedule.yaml`))).toBe(plannedUntilAt(at(7)));
  });

  test("gitlab: without ROTA_PUSH_TOKEN the scheduled run says what to set", async () => {
    const work = await plannedRepo("roster.example.yaml");
    const bare = bareOrigin(work);
    const run = runScript(gitlabScript("rota-ahead"), checkout(bare, "main"), {
      ROTA_NOW: at(7),
      CI_DEFAULT_BRANCH: "main",
      CI_SERVER_HOST: "gitlab.example.com",
      ROTA_PUSH_TOKEN: "",
      ROTA_PUSH_URL: "",
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "Set the CI/CD variable ROTA_PUSH_TOKEN to a project access token with write_repository",
    );
  });
});
