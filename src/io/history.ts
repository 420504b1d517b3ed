import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { CommitInfo } from "../core/log/history.ts";
import { GitUnavailableError, gitIn, isGitUnavailable } from "./git.ts";

/**
 * Reading the rota's history from git for `rota log`: a few `git log` runs
 * over the roster, the schedule and the notes, plus one `git cat-file` per
 * distinct roster version. Paths are relative to the work tree's root.
 */

export interface FileChange {
  /** A (added), M (modified), D (deleted), T (type changed). */
  status: string;
  path: string;
  /** Blob hashes; all zeros where the file did not exist. */
  before: string;
  after: string;
}

export interface HistoryCommit extends CommitInfo {
  files: FileChange[];
}

export const NO_BLOB = /^0+$/;

const FORMAT = [
  "%x1e%H",
  "%an",
  "%ae",
  "%aI",
  "%cI",
  "%(trailers:key=Rota-Occurrence,valueonly,separator=%x1d)",
  "%(trailers:key=Rota-Person,valueonly,separator=%x1d)",
  "",
].join("%x1f");

function sinceArgs(since: string | undefined): string[] {
  return since ? [`--since=${since}`] : [];
}

const list = (text: string | undefined) =>
  (text ?? "")
    .split("\x1d")
    .map((value) => value.trim())
    .filter((value) => value !== "");

/** Commits that touched any of `paths`, newest first, with the files each changed. */
export async function readCommits(
  root: string,
  paths: readonly string[],
  since?: string,
): Promise<HistoryCommit[]> {
  const output = await gitIn(root).raw([
    "-c",
    "core.quotePath=false",
    "log",
    "-z",
    "--raw",
    "--no-abbrev",
    "--no-renames",
    "--no-merges",
    `--format=${FORMAT}`,
    ...sinceArgs(since),
    "--",
    ...paths,
  ]);
  const commits: HistoryCommit[] = [];
  for (const record of output.split("\x1e")) {
    if (record === "") continue;
    const fields = record.split("\x1f");
    const [commit, author, email, date, committed, occurrences, persons] = fields;
    // git also filters with --since, but silently ignores dates it cannot
    // read (years past 2099, for one): filter here too.
    if (since && Date.parse(committed ?? "") < Date.parse(since)) continue;
    const raw = fields.slice(7).join("\x1f");
    const tokens = raw.split("\0").map((token) => token.replace(/^\n/, ""));
    const files: FileChange[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const meta = /^:\d+ \d+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(tokens[i] as string);
      if (!meta) continue;
      const file = tokens[i + 1];
      i++;
      if (file === undefined) break;
      files.push({
        status: meta[3] as string,
        path: file,
        before: meta[1] as string,
        after: meta[2] as string,
      });
    }
    commits.push({
      commit: commit as string,
      author: author ?? "",
      email: email ?? "",
      date: date ?? "",
      occurrences: list(occurrences),
      persons: list(persons),
      files,
    });
  }
  return commits;
}

/** The occurrence lines each commit added to or removed from the schedule. */
export async function readScheduleDiffs(
  root: string,
  schedule: string,
  since?: string,
): Promise<Map<string, string[]>> {
  const output = await gitIn(root).raw([
    "log",
    "-p",
    "-U0",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-renames",
    "--no-merges",
    "--format=%x1e%H",
    ...sinceArgs(since),
    "--",
    schedule,
  ]);
  const diffs = new Map<string, string[]>();
  for (const record of output.split("\x1e")) {
    if (record === "") continue;
    const lines = record.split("\n");
    const hash = lines[0]?.trim() ?? "";
    diffs.set(
      hash,
      lines.filter((line) => line.startsWith("+  - {") || line.startsWith("-  - {")),
    );
  }
  return diffs;
}

/** The text of a blob (one version of a file). */
export async function readBlob(root: string, blob: string): Promise<string> {
  return gitIn(root).raw(["cat-file", "blob", blob]);
}

/** Whether the repository has any commit yet. */
export async function hasCommits(root: string): Promise<boolean> {
  try {
    await gitIn(root).raw(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
    return true;
  } catch (error) {
    if (isGitUnavailable(error)) throw new GitUnavailableError();
    return false;
  }
}

/**
 * For a shallow clone, the commits at its edge: their parents are missing,
 * so what they changed cannot be known. Empty for a full clone.
 */
export async function shallowEdges(root: string): Promise<Set<string>> {
  const git = gitIn(root);
  const shallow = (await git.raw(["rev-parse", "--is-shallow-repository"])).trim() === "true";
  if (!shallow) return new Set();
  const file = path.resolve(root, (await git.raw(["rev-parse", "--git-path", "shallow"])).trim());
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== ""),
  );
}
