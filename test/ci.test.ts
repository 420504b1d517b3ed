import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import {
  bareOrigin,
  checkout,
  GITHUB,
  GITLAB,
  githubSteps,
  gitlabScript,
  runScript,
  type Step,
} from "./helpers/ci.ts";
import { rota } from "./helpers/cli.ts";
import { commitAll, git } from "./helpers/git.ts";
import { plannedRepo, swapSomeone } from "./helpers/repo.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * The CI templates `rota init` writes: the GitHub workflow against the
 * workflow schema, and the shell of both run for real in temporary
 * repositories (a bare "origin", shallow clones as CI makes them), with the
 * built CLI standing in for the installed one. The weekly run that keeps the
 * plan ahead is in ci-ahead.test.ts.
 */

/**
 * An "origin" with main planned from roster.example.yaml, and a branch `swap`
 * whose one commit swaps a shift (as a pull request would).
 */
async function origin(): Promise<{
  origin: string;
  swap: Awaited<ReturnType<typeof swapSomeone>>;
}> {
  const work = await plannedRepo("roster.example.yaml");
  const bare = bareOrigin(work);
  git(work, "checkout", "-q", "-b", "swap");
  const swap = await swapSomeone(work);
  commitAll(work, "Swap a shift");
  git(work, "push", "-q", "origin", "swap");
  return { origin: bare, swap };
}

describe("the GitHub workflow", () => {
  test("is valid according to the workflow schema (@action-validator)", () => {
    expect(validateWorkflow(GITHUB).errors).toEqual([]);
  });

  test("runs on pull requests, on pushes to main and weekly, never on its own pushes", () => {
    const workflow = parse(GITHUB);
    expect(Object.keys(workflow.on)).toEqual([
      "pull_request",
      "push",
      "schedule",
      "workflow_dispatch",
    ]);
    expect(workflow.on.push).toEqual({ branches: ["main"] });
    expect(workflow.on.schedule).toEqual([{ cron: "17 5 * * 1" }]);
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(workflow.jobs.check.if).toBe("github.event_name == 'pull_request'");
    expect(workflow.jobs.ahead.if).toBe(
      "(github.event_name == 'schedule' || github.event_name == 'workflow_dispatch') && github.ref == 'refs/heads/main'",
    );
    expect(workflow.jobs.ahead.permissions).toEqual({
      contents: "write",
      "pull-requests": "write",
    });
    expect(workflow.jobs.pages.permissions).toMatchObject({ pages: "write", "id-token": "write" });
    expect(workflow.jobs.branch.permissions).toEqual({ contents: "write" });
    // Publishing waits for the weekly plan, and runs when it was skipped (every push).
    for (const job of ["pages", "branch"]) {
      expect(workflow.jobs[job].needs).toBe("ahead");
      expect(workflow.jobs[job].if).toMatch(
        /^!cancelled\(\) && github.event_name != 'pull_request' && github.ref == 'refs\/heads\/main' && /,
      );
    }
  });

  test("publishes from the whole history (people who left, shifts that came back)", () => {
    const workflow = parse(GITHUB);
    for (const job of ["pages", "branch"]) {
      const checkout = (workflow.jobs[job].steps as Step[])[0] as Step & { with?: object };
      expect(checkout.uses).toBe("actions/checkout@v4");
      expect(checkout.with).toMatchObject({ "fetch-depth": 0 });
    }
    const gitlab = parse(GITLAB);
    expect(gitlab.pages.variables).toEqual({ GIT_DEPTH: 0 });
    expect(gitlab["rota-branch"].variables).toEqual({ GIT_DEPTH: 0 });
  });

  test("on a pull request: validate, plan --check, and the changed shifts in the job summary", async () => {
    const { origin: bare, swap } = await origin();
    const dir = checkout(bare, "swap");
    const summary = path.join(tempDir(), "summary.md");
    for (const step of githubSteps("check")) {
      const result = runScript(step.run as string, dir, {
        GITHUB_BASE_REF: "main",
        GITHUB_STEP_SUMMARY: summary,
      });
      expect(result.code, `${step.name}: ${result.stderr}`).toBe(0);
    }
    const text = readFileSync(summary, "utf8");
    expect(text).toContain("schedule.yaml is up to date with the roster, planned 12 weeks ahead");
    expect(text).toContain("### Shifts this pull request changes");
    const before = swap.entry.people;
    const after = before.map((id) => (id === swap.out ? swap.incoming : id));
    expect(text).toContain(`- ${swap.entry.id}: ${before.join(", ")}\n`);
    expect(text).toContain(`+ ${swap.entry.id}: ${after.join(", ")}\n`);
  });

  test("a pull request that changes the roster without replanning fails the check", async () => {
    const { origin: bare } = await origin();
    const dir = checkout(bare, "main");
    const roster = path.join(dir, "roster.yaml");
    writeFileSync(
      roster,
      readFileSync(roster, "utf8").replace(
        "\nswaps:",
        "\n  - { id: new-hire, name: New Hire, team: engineering, joined: 2026-11-01 }\n\nswaps:",
      ),
    );
    const summary = path.join(tempDir(), "summary.md");
    const [validate, check] = githubSteps("check");
    expect(runScript(validate?.run as string, dir, {}).code).toBe(0);
    const result = runScript(check?.run as string, dir, {
      GITHUB_BASE_REF: "main",
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.code).toBe(1);
    expect(readFileSync(summary, "utf8")).toMatch(
      /### schedule\.yaml is stale: `rota plan` would change \d+ occurrences?/,
    );
  });

  test("on main: the calendars for Pages, or committed to the calendars branch once", async () => {
    const { origin: bare } = await origin();
    const pages = checkout(bare, "main");
    const [write] = githubSteps("pages");
    expect(write?.run).toBe("rota site --out _site");
    expect(runScript(write?.run as string, pages, {}).code).toBe(0);
    expect(readFileSync(path.join(pages, "_site/team.ics"), "utf8")).toContain("BEGIN:VCALENDAR");
    expect(readFileSync(path.join(pages, "_site/index.html"), "utf8")).toContain(
      "<h1>Acme support rota</h1>",
    );

    const [commit] = githubSteps("branch");
    for (const round of [1, 2]) {
      const dir = checkout(bare, "main");
      const result = runScript(commit?.run as string, dir, { RUNNER_TEMP: tempDir() });
      expect(result.code, result.stderr).toBe(0);
      if (round === 2) expect(result.stdout).toContain("The site and calendars are unchanged.");
    }
    const files = git(bare, "ls-tree", "-r", "--name-only", "calendars").split("\n");
    expect(files).toContain("team.ics");
    expect(files).toContain("people/ada.ics");
    expect(files).toContain("people/ada.html");
    expect(files).toContain("report.html");
    expect(git(bare, "rev-list", "--count", "calendars").trim()).toBe("1");
    expect(git(bare, "log", "-1", "--format=%s", "calendars").trim()).toBe(
      `Site and calendars for ${git(bare, "rev-parse", "main").trim()}`,
    );
    expect(git(bare, "show", "calendars:team.ics")).toBe(
      readFileSync(path.join(pages, "_site/team.ics"), "utf8"),
    );
  });
});

describe("the GitLab CI file", () => {
  const config = parse(GITLAB);

  test("checks merge requests, plans ahead on a schedule and publishes from the default branch", () => {
    expect(config.stages).toEqual(["check", "plan", "publish"]);
    expect(config["rota-check"].rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
    ]);
    expect(config["rota-ahead"].stage).toBe("plan");
    expect(config["rota-ahead"].rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' },
    ]);
    for (const job of ["pages", "rota-branch"]) {
      expect(config[job].stage).toBe("publish");
      expect(config[job].rules[0].if).toMatch(
        /^\(\$CI_PIPELINE_SOURCE == "push" \|\| \$CI_PIPELINE_SOURCE == "schedule"\) && \$CI_COMMIT_BRANCH == \$CI_DEFAULT_BRANCH && /,
      );
    }
    expect(config.pages.artifacts.paths).toEqual(["public"]);
    expect(config.default.before_script.join("\n")).toContain(
      'npm install --global --no-audit --no-fund "$ROTA_PACKAGE"',
    );
  });

  test("its scripts run: the merge-request check, Pages and the calendars branch", async () => {
    const { origin: bare, swap } = await origin();
    const script = gitlabScript;

    const mr = checkout(bare, "swap");
    const check = runScript(script("rota-check"), mr, {
      CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
    });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain("### Shifts this merge request changes");
    expect(check.stdout).toContain(`+ ${swap.entry.id}: `);

    const pages = checkout(bare, "main");
    expect(runScript(script("pages"), pages, {}).code).toBe(0);
    expect(readFileSync(path.join(pages, "public/team.ics"), "utf8")).toContain("BEGIN:VCALENDAR");
    expect(readFileSync(path.join(pages, "public/report.html"), "utf8")).toContain(
      "<h1>Acme support report</h1>",
    );

    const main = checkout(bare, "main");
    const branch = runScript(script("rota-branch"), main, {
      ROTA_PUSH_URL: `file://${bare}`,
      CI_COMMIT_SHA: git(main, "rev-parse", "HEAD").trim(),
      CI_SERVER_HOST: "gitlab.example.com",
    });
    expect(branch.code, branch.stderr).toBe(0);
    expect(git(bare, "ls-tree", "-r", "--name-only", "calendars")).toContain("people/ada.ics");
  });
});

describe("rota init writes the CI job", () => {
  test("the GitHub workflow by default, GitLab's with --ci gitlab, none with --ci none", async () => {
    for (const [ci, file, template] of [
      [undefined, ".github/workflows/rota.yml", GITHUB],
      ["gitlab", ".gitlab-ci.yml", GITLAB],
    ] as const) {
      const dir = tempDir();
      const args = ["init", "--team", "Acme", "--timezone", "UTC", ...(ci ? ["--ci", ci] : [])];
      const result = await rota(args, { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(readFileSync(path.join(dir, file), "utf8")).toBe(template);
      expect(result.stderr).toContain("ROTA_PACKAGE");
    }
    const none = tempDir();
    expect((await rota(["init", "--ci", "none", "--timezone", "UTC"], { cwd: none })).code).toBe(0);
    expect(spawnSync("ls", ["-A", none], { encoding: "utf8" }).stdout).toBe(
      ".gitignore\nnotes\nroster.schema.json\nroster.yaml\n",
    );
  });

  test("never overwrites a CI file without --force", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, ".github/workflows"), { recursive: true });
    writeFileSync(path.join(dir, ".github/workflows/rota.yml"), "# ours\n");
    const result = await rota(["init", "--timezone", "UTC"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "rota: .github/workflows/rota.yml already exists; nothing was written (pass --force to overwrite)\n",
    );
    expect(readFileSync(path.join(dir, ".github/workflows/rota.yml"), "utf8")).toBe("# ours\n");
    expect((await rota(["init", "--ci", "bitbucket"], { cwd: dir })).stderr).toBe(
      'rota: --ci must be github, gitlab or none, not "bitbucket"\n',
    );
  });
});
