import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { parse, type Tags, YAMLSeq } from "yaml";
import { BIN, outputOf, ROOT } from "./cli.ts";
import { git } from "./git.ts";
import { env } from "./repo.ts";
import { tempDir } from "./tmp.ts";

/**
 * Running the CI templates `rota init` writes, for real: their shell in
 * temporary repositories (a bare "origin", shallow clones as CI makes them),
 * with the built CLI standing in for the installed one.
 */

export const GITHUB = readFileSync(path.join(ROOT, "templates/github-workflow.yml"), "utf8");
export const GITLAB = readFileSync(path.join(ROOT, "templates/gitlab-ci.yml"), "utf8");

export interface Step {
  name?: string;
  uses?: string;
  run?: string;
}

/** A directory with a `rota` that runs the built CLI, to put first on PATH. */
function rotaOnPath(): string {
  const bin = path.join(tempDir(), "bin");
  mkdirSync(bin);
  const shim = path.join(bin, "rota");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  return bin;
}

/**
 * Runs a script as GitHub runs `run:` (bash -e -o pipefail) and GitLab its
 * script; `path` goes first on PATH, before the built CLI.
 */
export function runScript(
  script: string,
  cwd: string,
  vars: Record<string, string>,
  options: { path?: string } = {},
) {
  const result = spawnSync("bash", bashArgs(script), {
    cwd,
    encoding: "utf8",
    env: scriptEnv(vars, options),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * runScript, leaving this process free meanwhile: for scripts that talk to
 * endpoints the test itself serves (a chat webhook, a mail server).
 */
export function runScriptAsync(
  script: string,
  cwd: string,
  vars: Record<string, string>,
  options: { path?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return outputOf(spawn("bash", bashArgs(script), { cwd, env: scriptEnv(vars, options) }));
}

function bashArgs(script: string): string[] {
  return ["--noprofile", "--norc", "-eo", "pipefail", "-c", script];
}

function scriptEnv(vars: Record<string, string>, options: { path?: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...env,
    ...vars,
    PATH: [options.path, rotaOnPath(), process.env.PATH].filter(Boolean).join(":"),
    GIT_AUTHOR_NAME: "CI",
    GIT_AUTHOR_EMAIL: "ci@example.com",
    GIT_COMMITTER_NAME: "CI",
    GIT_COMMITTER_EMAIL: "ci@example.com",
  };
}

/** The placeholder for rota's GitHub Action in the workflow `rota init` writes. */
export const ACTION = "your-org/rota@v1";

/** The placeholder for rota's CI/CD component in the pipeline `rota init --ci gitlab` writes. */
export const GITLAB_COMPONENT = "$CI_SERVER_FQDN/your-group/rota/rota@v0.1.0";

/**
 * The steps of a job that run shell, as bash scripts: `run:` steps as they
 * are, and rota's GitHub Action (which every job uses to install rota) as the
 * `rota <command>` it runs, with the built CLI on PATH standing in for the
 * installed one; an action step that only installs runs nothing.
 */
export function githubSteps(job: string): Step[] {
  const workflow = parse(GITHUB);
  const steps = workflow.jobs[job].steps as (Step & {
    with?: { command?: string; roster?: string };
  })[];
  const actions = steps.filter((step) => step.uses === ACTION);
  expect(actions.length, `job ${job} installs rota with ${ACTION}`).toBe(1);
  return steps.flatMap((step): Step[] => {
    if (step.uses === ACTION) {
      const command = step.with?.command ?? "validate";
      const roster = step.with?.roster ?? "roster.yaml";
      return command === "" ? [] : [{ name: step.name, run: `rota --roster ${roster} ${command}` }];
    }
    return step.run === undefined ? [] : [step];
  });
}

/** GitLab's `!reference [job, key]`, read as `{ reference: [job, key] }`. */
const gitlabTags: Tags = [
  {
    tag: "!reference",
    collection: "seq",
    nodeClass: YAMLSeq,
    identify: () => false,
    resolve: (seq) => ({ reference: (seq as YAMLSeq).toJSON() }),
  },
];

/** A GitLab pipeline, parsed with GitLab's own tags. */
export function parseGitlab(text: string) {
  return parse(text, { customTags: gitlabTags });
}

/** The GitLab pipeline `rota init --ci gitlab` writes, parsed. */
export function gitlabConfig() {
  return parseGitlab(GITLAB);
}

/** A GitLab job's script as one shell script. */
export function gitlabScript(job: string): string {
  return (gitlabConfig()[job].script as string[]).join("\n");
}

/** A bare "origin" holding `work`'s main, which accepts push options as GitLab does. */
export function bareOrigin(work: string): string {
  const bare = path.join(tempDir(), "origin.git");
  git(work, "init", "-q", "--bare", "-b", "main", bare);
  // GitLab accepts push options (-o ci.skip); a bare repository must be told to.
  git(bare, "config", "receive.advertisePushOptions", "true");
  git(work, "remote", "add", "origin", bare);
  git(work, "push", "-q", "origin", "main");
  return bare;
}

/** A shallow clone of one branch, as actions/checkout and GitLab runners make by default. */
export function checkout(bare: string, branch: string): string {
  const dir = path.join(tempDir(), "checkout");
  git(path.dirname(dir), "clone", "-q", "--depth", "1", "--branch", branch, `file://${bare}`, dir);
  return dir;
}
