import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { parse } from "yaml";
import { BIN, ROOT } from "./cli.ts";
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
  return new Promise((resolve, reject) => {
    const child = spawn("bash", bashArgs(script), { cwd, env: scriptEnv(vars, options) });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
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

/** The `run:` steps of a job, without installing rota (the built CLI is on PATH instead). */
export function githubSteps(job: string): Step[] {
  const workflow = parse(GITHUB);
  const steps = workflow.jobs[job].steps as Step[];
  expect(steps.some((step) => step.name === "Install rota")).toBe(true);
  return steps.filter((step) => step.run !== undefined && step.name !== "Install rota");
}

/** A GitLab job's script as one shell script. */
export function gitlabScript(job: string): string {
  return (parse(GITLAB)[job].script as string[]).join("\n");
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
