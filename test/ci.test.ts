import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import {
  ACTION,
  bareOrigin,
  checkout,
  GITHUB,
  GITLAB,
  GITLAB_COMPONENT,
  githubSteps,
  gitlabConfig,
  gitlabScript,
  parseGitlab,
  runScript,
  runScriptAsync,
  type Step,
} from "./helpers/ci.ts";
import { ROOT, rota } from "./helpers/cli.ts";
import { editFile } from "./helpers/edit.ts";
import { type FakeChat, type FakeSmtp, startFakeChat, startFakeSmtp } from "./helpers/endpoints.ts";
import { commitAll, git } from "./helpers/git.ts";
import { GUARD_IMPORT } from "./helpers/net-guard.ts";
import { plannedRepo, swapSomeone } from "./helpers/repo.ts";
import { suiteTempDir, tempDir } from "./helpers/tmp.ts";

/**
 * The CI templates `rota init` writes: the GitHub workflow against the
 * workflow schema, and the shell of both run for real in temporary
 * repositories (a bare "origin", shallow clones as CI makes them), with the
 * built CLI standing in for the installed one. The weekly run that keeps the
 * plan ahead is in ci-ahead.test.ts.
 */

interface Origin {
  origin: string;
  swap: Awaited<ReturnType<typeof swapSomeone>>;
}

let madeOrigin: Promise<Origin> | undefined;

/**
 * An "origin" with main planned from roster.example.yaml, and a branch `swap`
 * whose one commit swaps a shift (as a pull request would): made once per
 * file, then copied, so each test pushes to an origin of its own.
 */
async function origin(): Promise<Origin> {
  madeOrigin ??= makeOrigin();
  const made = await madeOrigin;
  const bare = path.join(tempDir(), "origin.git");
  cpSync(made.origin, bare, { recursive: true });
  return { origin: bare, swap: made.swap };
}

async function makeOrigin(): Promise<Origin> {
  const work = await plannedRepo("roster.example.yaml");
  const bare = bareOrigin(work);
  git(work, "checkout", "-q", "-b", "swap");
  const swap = await swapSomeone(work);
  commitAll(work, "Swap a shift");
  git(work, "push", "-q", "origin", "swap");
  const kept = path.join(suiteTempDir(), "origin.git");
  cpSync(bare, kept, { recursive: true });
  return { origin: kept, swap };
}

/** A GitHub Actions expression, as the workflow writes it. */
const expression = (inner: string) => `\${{ ${inner} }}`;

/** Whether a run is on the repository's default branch, whatever it is called. */
const ON_DEFAULT = "github.ref_name == github.event.repository.default_branch";

/** What GitHub knows of a run: the event, its branch, and the event's payload. */
interface Run {
  event: "push" | "pull_request" | "schedule" | "workflow_dispatch";
  branch: string;
  payload: Record<string, unknown>;
}

/**
 * A job's `if:` evaluated for a run, as GitHub does for the expressions the
 * workflow uses (contexts, '…' strings, ==, !=, !, &&, || and parentheses;
 * `cancelled()` is false). A missing value is '': a scheduled run's event
 * names no repository, so it has no default branch to compare with.
 */
function jobRuns(condition: string, run: Run): boolean {
  const contexts: Record<string, unknown> = {
    github: {
      event_name: run.event,
      ref: `refs/heads/${run.branch}`,
      ref_name: run.branch,
      event: run.payload,
    },
    vars: {},
  };
  const value = (name: string): string => {
    let node: unknown = contexts;
    for (const key of name.split(".")) node = (node as Record<string, unknown> | undefined)?.[key];
    return typeof node === "string" ? node : "";
  };
  const js = condition.replace(
    /'((?:[^']|'')*)'|([A-Za-z_][\w.]*)(\(\))?/g,
    (_, text: string | undefined, name: string | undefined, call: string | undefined) => {
      if (text !== undefined) return JSON.stringify(text.replaceAll("''", "'"));
      if (call) return name === "cancelled" ? "false" : "true";
      return JSON.stringify(value(name as string));
    },
  );
  expect(js).toMatch(/^[\s"!=&|()\w*./-]*$/);
  return Boolean(new Function(`return ${js.replaceAll("==", "===").replaceAll("!===", "!==")};`)());
}

/** The jobs of the GitHub workflow a run starts, and whether the run starts at all. */
function jobsFor(run: Run): string[] {
  const workflow = parse(GITHUB);
  if (run.event === "push") {
    const push = workflow.on.push ?? {};
    if (push.branches && !push.branches.includes(run.branch)) return [];
    if (push["branches-ignore"]?.includes(run.branch)) return [];
  }
  return Object.entries(workflow.jobs as Record<string, { if?: string }>)
    .filter(([, job]) => job.if === undefined || jobRuns(job.if, run))
    .map(([id]) => id);
}

describe("the GitHub workflow", () => {
  test("is valid according to the workflow schema (@action-validator)", () => {
    expect(validateWorkflow(GITHUB).errors).toEqual([]);
  });

  test("runs on pull requests, on pushes, weekly and hourly, never on its own pushes", () => {
    const workflow = parse(GITHUB);
    expect(Object.keys(workflow.on)).toEqual([
      "pull_request",
      "push",
      "schedule",
      "workflow_dispatch",
    ]);
    expect(workflow.on.push).toEqual({ "branches-ignore": ["rota/plan-ahead", "calendars"] });
    expect(workflow.on.schedule).toEqual([{ cron: "17 5 * * 1" }, { cron: "7 * * * *" }]);
    // Only a pull request's runs cancel each other; on main each job says what runs alone.
    expect(workflow.concurrency).toEqual({
      group: `rota-${expression("github.event_name == 'pull_request' && github.ref || github.run_id")}`,
      "cancel-in-progress": true,
    });
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(workflow.jobs.check.if).toBe("github.event_name == 'pull_request'");
    expect(workflow.jobs.ahead.if).toBe(
      `github.event.schedule == '17 5 * * 1' || (github.event_name == 'workflow_dispatch' && ${ON_DEFAULT})`,
    );
    expect(workflow.jobs.ahead.concurrency).toEqual({
      group: "rota-ahead",
      "cancel-in-progress": false,
    });
    expect(workflow.jobs.ahead.permissions).toEqual({
      contents: "write",
      "pull-requests": "write",
    });
    expect(workflow.jobs.pages.permissions).toMatchObject({ pages: "write", "id-token": "write" });
    expect(workflow.jobs.branch.permissions).toEqual({ contents: "write" });
    // Publishing waits for the weekly plan, and runs when it was skipped
    // (every push), but not hourly; the newest main wins.
    for (const job of ["pages", "branch"]) {
      expect(workflow.jobs[job].needs).toBe("ahead");
      expect(workflow.jobs[job].if).toContain(
        `!cancelled() && github.event_name != 'pull_request' && github.event.schedule != '7 * * * *' && (github.event_name == 'schedule' || ${ON_DEFAULT}) && `,
      );
      expect(workflow.jobs[job].concurrency).toEqual({
        group: "rota-publish",
        "cancel-in-progress": true,
      });
    }
    // Telling people: never from a pull request, one run at a time, never cancelled.
    const notify = workflow.jobs.notify;
    expect(notify.if).toBe(
      `github.event_name != 'pull_request' && (github.event_name == 'schedule' || ${ON_DEFAULT})`,
    );
    expect(notify.concurrency).toEqual({ group: "rota-notify", "cancel-in-progress": false });
    expect(notify.permissions).toBeUndefined();
    const uses = (notify.steps as (Step & { with?: Record<string, unknown>; if?: string })[])
      .filter((step) => step.uses)
      .map((step) => [step.uses, step.with, step.if]);
    expect(uses).toEqual([
      ["actions/checkout@v4", { "fetch-depth": 0 }, undefined],
      [
        "actions/cache/restore@v4",
        {
          path: ".rota",
          key: `rota-notify-${expression("github.run_id")}`,
          "restore-keys": "rota-notify-",
        },
        "steps.channels.outputs.on == 'true'",
      ],
      [ACTION, { command: "" }, "steps.channels.outputs.on == 'true'"],
      [
        "actions/cache/save@v4",
        { path: ".rota", key: `rota-notify-${expression("github.run_id")}` },
        "always() && steps.channels.outputs.on == 'true'",
      ],
    ]);
    // Secrets reach this job only, by name.
    for (const [name, value] of Object.entries(notify.env as Record<string, string>)) {
      if (name.startsWith("ROTA_") && !["ROTA_NOTIFY_AT", "ROTA_SEND_INVITES"].includes(name)) {
        expect(value).toBe(expression(`secrets.${name}`));
      }
    }
    for (const job of ["check", "ahead", "pages", "branch"]) {
      expect(JSON.stringify(workflow.jobs[job])).not.toContain("secrets.ROTA_SLACK");
    }
  });

  test.each(["main", "master", "trunk"])(
    "runs its jobs for the default branch, whatever it is called: %s",
    (main) => {
      const repository = { default_branch: main };
      const weekly = { schedule: "17 5 * * 1" };
      const hourly = { schedule: "7 * * * *" };
      // A scheduled run is on the default branch, and its event names no repository.
      expect(jobsFor({ event: "schedule", branch: main, payload: weekly })).toEqual([
        "ahead",
        "pages",
        "notify",
      ]);
      expect(jobsFor({ event: "schedule", branch: main, payload: hourly })).toEqual(["notify"]);
      expect(jobsFor({ event: "push", branch: main, payload: { repository } })).toEqual([
        "pages",
        "notify",
      ]);
      expect(
        jobsFor({ event: "workflow_dispatch", branch: main, payload: { repository } }),
      ).toEqual(["ahead", "pages", "notify"]);
      expect(jobsFor({ event: "pull_request", branch: "swap", payload: { repository } })).toEqual([
        "check",
      ]);
      // Other branches: nothing is planned, published or announced from them.
      for (const branch of ["swap", "rota/plan-ahead", "calendars"]) {
        expect(jobsFor({ event: "push", branch, payload: { repository } })).toEqual([]);
        expect(jobsFor({ event: "workflow_dispatch", branch, payload: { repository } })).toEqual(
          [],
        );
      }
    },
  );

  test("publishes from the whole history (people who left, shifts that came back)", () => {
    const workflow = parse(GITHUB);
    for (const job of ["pages", "branch"]) {
      const checkout = (workflow.jobs[job].steps as Step[])[0] as Step & { with?: object };
      expect(checkout.uses).toBe("actions/checkout@v4");
      expect(checkout.with).toMatchObject({ "fetch-depth": 0 });
    }
    const gitlab = gitlabConfig();
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
    editFile(
      roster,
      "\nswaps:",
      "\n  - { id: new-hire, name: New Hire, team: engineering, joined: 2026-11-01 }\n\nswaps:",
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
  const config = gitlabConfig();

  test("checks merge requests, plans ahead on a schedule and publishes from the default branch", () => {
    expect(config.stages).toEqual(["check", "plan", "publish", "notify"]);
    expect(config["rota-check"].rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
    ]);
    expect(config["rota-ahead"].stage).toBe("plan");
    expect(config["rota-ahead"].rules).toEqual([
      {
        if: '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $ROTA_WEEKLY == "true"',
      },
    ]);
    for (const job of ["pages", "rota-branch"]) {
      expect(config[job].stage).toBe("publish");
      expect(config[job].rules[0].if).toMatch(
        /^\(\$CI_PIPELINE_SOURCE == "push" \|\| \(\$CI_PIPELINE_SOURCE == "schedule" && \$ROTA_WEEKLY == "true"\)\) && \$CI_COMMIT_BRANCH == \$CI_DEFAULT_BRANCH && /,
      );
    }
    expect(config.pages.artifacts.paths).toEqual(["public"]);
    // Every job installs rota through rota's CI/CD component.
    expect(config.include).toEqual([
      {
        component: GITLAB_COMPONENT,
        inputs: { releases: "https://github.com/your-org/rota/releases/download" },
      },
    ]);
    expect(config.default).toBeUndefined();
    for (const job of ["rota-check", "rota-ahead", "pages", "rota-branch", "rota-notify"]) {
      expect(config[job].extends, job).toBe(".rota");
    }
    // The notify job looks for channels before installing.
    expect(config["rota-notify"].before_script[1]).toEqual({
      reference: [".rota", "before_script"],
    });
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

/**
 * The notify jobs of both templates, run as CI runs them on main: against a
 * local chat endpoint and mail server, a clone with the whole history, and
 * the state kept between runs in .rota/ (as the CI cache keeps it).
 */
describe("the notify job", () => {
  let chat: FakeChat;
  let smtp: FakeSmtp;
  beforeAll(async () => {
    chat = await startFakeChat();
    smtp = await startFakeSmtp();
  });
  afterAll(async () => {
    await chat.close();
    await smtp.close();
  });

  /** main with a swap merged after the plan, cloned whole, as the job checks it out. */
  async function mainWithASwap(): Promise<{
    dir: string;
    swap: Awaited<ReturnType<typeof swapSomeone>>;
  }> {
    const work = await plannedRepo("roster.example.yaml");
    const swap = await swapSomeone(work, "2026-11-30");
    commitAll(work, "Swap a shift");
    const bare = bareOrigin(work);
    const dir = path.join(tempDir(), "main");
    git(path.dirname(dir), "clone", "-q", "--branch", "main", `file://${bare}`, dir);
    return { dir, swap };
  }

  const vars = () => ({
    ROTA_NOW: "2026-12-01T09:30:00Z",
    ROTA_SLACK_WEBHOOK: chat.url("/slack/T000/B000/sekrit"),
    ROTA_SMTP_URL: smtp.url,
    ROTA_NOTIFY_RETRY_MS: "5",
    NODE_OPTIONS: `--import=${GUARD_IMPORT}`,
  });

  test("GitHub: today, reminders, the change, the digest and invites, once however often it runs", async () => {
    const { dir, swap } = await mainWithASwap();
    const [channels, send] = githubSteps("notify");
    expect(channels?.name).toBe("Look for notify channels");
    const output = path.join(tempDir(), "output");
    writeFileSync(output, "");
    expect(runScript(channels?.run as string, dir, { GITHUB_OUTPUT: output }).code).toBe(0);
    expect(readFileSync(output, "utf8")).toBe("on=true\n");

    const env = {
      ...vars(),
      RUNNER_TEMP: tempDir(),
      ROTA_NOTIFY_AT: "",
      ROTA_SEND_INVITES: "true",
      WEEKLY: "true",
    };
    const chatBefore = chat.received.length;
    const mailBefore = smtp.mails.length;
    const first = await runScriptAsync(send?.run as string, dir, env);
    expect(first.code, first.stderr).toBe(0);
    expect(`${first.stdout}${first.stderr}`).not.toContain("sekrit");
    const posted = chat.received.slice(chatBefore).map((r) => JSON.stringify(r.body));
    expect(posted.some((text) => /on support today/i.test(text))).toBe(true);
    expect(posted.some((text) => /said|themes|notes missing/i.test(text))).toBe(true);
    const mailed = smtp.mails.slice(mailBefore);
    // The swap: the one who left it and the one who took it, by email.
    const people = (await import("yaml")).parse(readFileSync(path.join(dir, "roster.yaml"), "utf8"))
      .people as { id: string; email?: string }[];
    const email = (id: string) => people.find((p) => p.id === id)?.email as string;
    const to = mailed.map((m) => m.to[0]);
    expect(to).toContain(email(swap.out));
    expect(to).toContain(email(swap.incoming));
    expect(mailed.some((m) => /method=CANCEL/i.test(m.raw))).toBe(true);
    expect(mailed.some((m) => /method=REQUEST/i.test(m.raw))).toBe(true);
    expect(existsSync(path.join(dir, ".rota/notify-state.json"))).toBe(true);

    // The next hour's run (and one that comes twice) sends nothing again.
    const sentChat = chat.received.length;
    const sentMail = smtp.mails.length;
    for (const now of ["2026-12-01T10:07:00Z", "2026-12-01T10:07:30Z"]) {
      const again = await runScriptAsync(send?.run as string, dir, {
        ...env,
        ROTA_NOW: now,
        WEEKLY: "false",
      });
      expect(again.code, again.stderr).toBe(0);
    }
    expect(chat.received.length).toBe(sentChat);
    expect(smtp.mails.length).toBe(sentMail);
  });

  test("GitHub: a roster without notify: channels skips the job", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    const roster = path.join(dir, "roster.yaml");
    editFile(roster, /^notify:.*\n(?:(?: .*)?\n)*/m, "");
    expect(readFileSync(roster, "utf8")).not.toMatch(/^notify:/m);
    const [channels] = githubSteps("notify");
    const output = path.join(tempDir(), "output");
    writeFileSync(output, "");
    const result = runScript(channels?.run as string, dir, { GITHUB_OUTPUT: output });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("The roster has no notify: channels; nothing to send.");
    expect(readFileSync(output, "utf8")).toBe("");
  });

  test("GitLab: never in a merge request, one at a time, the state in the cache; its script sends once", async () => {
    const config = gitlabConfig();
    const job = config["rota-notify"];
    expect(job.rules).toEqual([
      {
        if: '($CI_PIPELINE_SOURCE == "push" || $CI_PIPELINE_SOURCE == "schedule") && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
      },
    ]);
    expect(job.resource_group).toBe("rota-notify");
    expect(job.variables).toEqual({ GIT_DEPTH: 0 });
    expect(job.cache).toEqual({
      key: "rota-notify",
      paths: [".rota/"],
      policy: "pull-push",
      when: "always",
    });
    const { dir } = await mainWithASwap();
    const env = { ...vars(), ROTA_WEEKLY: "true" };
    const before = chat.received.length;
    const first = await runScriptAsync(gitlabScript("rota-notify"), dir, env);
    expect(first.code, first.stderr).toBe(0);
    expect(chat.received.length).toBeGreaterThan(before);
    const after = chat.received.length;
    const again = await runScriptAsync(gitlabScript("rota-notify"), dir, {
      ...env,
      ROTA_WEEKLY: "",
    });
    expect(again.code, again.stderr).toBe(0);
    expect(chat.received.length).toBe(after);

    // The guard in before_script ends the job when there are no channels.
    const bare = await plannedRepo("roster.example.yaml");
    const roster = path.join(bare, "roster.yaml");
    editFile(roster, /^notify:.*\n(?:(?: .*)?\n)*/m, "");
    const guard = (job.before_script as string[])[0] as string;
    const skipped = runScript(`${guard}\necho installing`, bare, {});
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toBe("The roster has no notify: channels; nothing to send.\n");
  });
});

/** rota's GitHub Action, which the workflow's jobs use to install rota. */
describe("the GitHub Action (action.yml)", () => {
  const source = readFileSync(path.join(ROOT, "action.yml"), "utf8");
  const action = parse(source);
  const steps = action.runs.steps as (Step & { env?: Record<string, string>; if?: string })[];

  test("is valid according to the action metadata schema (@action-validator)", () => {
    expect(validateAction(source).errors).toEqual([]);
    // And the check is real: a composite step without its shell is refused.
    expect(validateAction(source.replace("      shell: bash\n", "")).errors).not.toEqual([]);
  });

  test("takes command, roster, version and node-version; sets up that Node, installs, runs", () => {
    expect(action.runs.using).toBe("composite");
    const defaults = Object.fromEntries(
      Object.entries(action.inputs as Record<string, { default: string }>).map(([name, input]) => [
        name,
        input.default,
      ]),
    );
    expect(defaults).toEqual({
      command: "validate",
      roster: "roster.yaml",
      version: "",
      "node-version": "22",
    });
    expect(steps.map((step) => step.uses ?? step.name)).toEqual([
      "actions/setup-node@v4",
      "Install rota",
      `rota ${expression("inputs.command")}`,
    ]);
    expect(steps[0]).toMatchObject({ with: { "node-version": expression("inputs.node-version") } });
    // Inputs reach the shell as variables, never spliced into it.
    for (const step of steps.filter((step) => step.run)) {
      expect(step.run).not.toContain("${{");
    }
    expect(steps[2]?.if).toBe("inputs.command != ''");
  });

  test("runs `rota <command>` on the roster it is given, and fails as rota does", async () => {
    const dir = await plannedRepo("roster.example.yaml");
    const run = steps[2]?.run as string;
    const check = runScript(run, dir, { ROTA_COMMAND: "plan --check", ROTA_ROSTER: "roster.yaml" });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout + check.stderr).toContain("schedule.yaml is up to date: no changes");
    writeFileSync(path.join(dir, "broken.yaml"), "team: [\n");
    const broken = runScript(run, dir, { ROTA_COMMAND: "validate", ROTA_ROSTER: "broken.yaml" });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("broken.yaml:");
  });

  test("installs what rota's release workflow attaches to a release (valid workflow)", () => {
    const release = readFileSync(path.join(ROOT, ".github/workflows/release.yml"), "utf8");
    expect(validateWorkflow(release).errors).toEqual([]);
    expect(parse(release).on).toEqual({ push: { tags: ["v*.*.*"] } });
    // npm pack names the tarball rota-<version>.tgz; the action fetches it from v<version>.
    expect(release).toContain('gh release create "$GITHUB_REF_NAME" rota-*.tgz');
    expect(steps[1]?.run).toContain("/releases/download/v$1/rota-$1.tgz");
  });

  test("is what every job of the workflow installs rota with", () => {
    for (const job of Object.keys(parse(GITHUB).jobs)) githubSteps(job);
    expect(GITHUB).not.toContain("npm install");
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
      expect(result.stderr).toContain(
        ci ? "replace your-group/rota with the GitLab project" : `replace ${ACTION}`,
      );
    }
    const none = tempDir();
    expect((await rota(["init", "--ci", "none", "--timezone", "UTC"], { cwd: none })).code).toBe(0);
    expect(spawnSync("ls", ["-A", none], { encoding: "utf8" }).stdout).toBe(
      ".gitignore\nnotes\nroster.schema.json\nroster.yaml\n",
    );
  });

  test("GitLab: doing what rota init says installs rota from the team's releases and plans every week", async () => {
    const dir = tempDir();
    const result = await rota(["init", "--timezone", "UTC", "--ci", "gitlab"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    // Every placeholder init names, replaced as it says.
    expect(result.stderr).toContain(
      "replace your-group/rota with the GitLab project your team keeps rota in, and your-org/rota in releases: with the repository your team gets rota's releases from, e.g. acme/rota.",
    );
    const file = path.join(dir, ".gitlab-ci.yml");
    editFile(file, /your-group\/rota/g, "acme/rota");
    editFile(file, /your-org\/rota/g, "acme/rota");
    const written = parseGitlab(readFileSync(file, "utf8"));
    expect(JSON.stringify(written)).not.toMatch(/your-(org|group)/);
    // The component's .rota job, with the inputs the pipeline gives it, installs from them.
    const [specDoc, jobDoc] = readFileSync(path.join(ROOT, "templates/rota.yml"), "utf8").split(
      /^---$/m,
    );
    const defaults = parse(specDoc as string).spec.inputs as Record<string, { default: string }>;
    const inputs = { ...written.include[0].inputs };
    const input = (name: string) => inputs[name] ?? defaults[name]?.default;
    const fake = tempDir();
    writeFileSync(path.join(fake, "npm"), '#!/bin/sh\necho "npm $*"\n', { mode: 0o755 });
    writeFileSync(path.join(fake, "rota"), "#!/bin/sh\necho 9.9.9\n", { mode: 0o755 });
    const install = runScript(
      (parse(jobDoc as string)[".rota"].before_script as string[]).join("\n"),
      tempDir(),
      { ROTA_VERSION: input("version"), ROTA_RELEASES: input("releases") },
      { path: fake },
    );
    expect(install.stdout).toContain(
      `npm install --global --no-audit --no-fund https://github.com/acme/rota/releases/download/v${input("version")}/`,
    );
    // The weekly jobs run on the schedule init describes.
    expect(result.stderr).toContain(
      'create a pipeline schedule on the default branch (Build → Pipeline schedules, e.g. "17 5 * * 1") with the variable ROTA_WEEKLY=true',
    );
    expect(result.stderr).toContain("ROTA_PUSH_TOKEN");
    for (const job of ["rota-ahead", "pages"]) {
      const rules = JSON.stringify(written[job].rules);
      expect(rules).toContain('$ROTA_WEEKLY == \\"true\\"');
      for (const [, name, value] of rules.matchAll(/\$(ROTA_\w+) == \\"(\w+)\\"/g)) {
        if (name !== "ROTA_PUBLISH") expect(result.stderr).toContain(`${name}=${value}`);
      }
    }
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
    // A name every object answers to is no CI host either.
    for (const name of ["toString", "__proto__"]) {
      const result = await rota(["init", "--ci", name], { cwd: dir });
      expect(result.stderr).toBe(`rota: --ci must be github, gitlab or none, not "${name}"\n`);
      expect(result.code).toBe(2);
    }
  });
});
