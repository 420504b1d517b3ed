import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { CommitInfo } from "../core/log/history.ts";
import { FailedError } from "../errors.ts";
import { gitIn, unlessUnavailable } from "./git.ts";

/**
 * Reading the rota's history from git for `rota log`: a few `git log` runs
 * over the roster, the schedule and the notes, plus one `git cat-file` per
 * distinct roster version. Paths are relative to the work tree's root.
 */

export interface FileChange {
  /** A (added), M (modified), D (deleted), T (type changed), R (moved, from `from`). */
  status: string;
  path: string;
  /** R: where the file was before. */
  from?: string;
  /** Blob hashes; all zeros where the file did not exist. */
  before: string;
  after: string;
}

export interface HistoryCommit extends CommitInfo {
  files: FileChange[];
}

export const NO_BLOB = /^0+$/;

/**
 * Each commit's fields, every one ended by a NUL: the one character that no
 * name, address or trailer can hold, so an author named `x\x1fy` cannot
 * forge the fields after theirs. `-z` ends the paths of `--raw` with NULs too.
 */
const FORMAT = [
  "%H",
  "%an",
  "%ae",
  "%aI",
  "%cI",
  "%(trailers:key=Rota-Occurrence,valueonly,separator=%x1d)",
  "%(trailers:key=Rota-Person,valueonly,separator=%x1d)",
  "",
].join("%x00");
const FIELDS = 7;
const HASH = /^[0-9a-f]{40,64}$/;
const RAW = /^:\d+ \d+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/;

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
  const tokens = output.split("\0");
  const commits: HistoryCommit[] = [];
  // Read in order: a commit's fields by their count, then its files, each a
  // `:mode mode blob blob status` token and a path token (which may hold anything).
  let i = 0;
  while (i < tokens.length) {
    const hash = (tokens[i] as string).replace(/^\n/, "");
    if (!HASH.test(hash)) {
      i++;
      continue;
    }
    const [, author, email, date, committed, occurrences, persons] = tokens.slice(i, i + FIELDS);
    i += FIELDS;
    const files: FileChange[] = [];
    while (i < tokens.length) {
      const token = (tokens[i] as string).replace(/^\n/, "");
      if (token === "") {
        i++;
        continue;
      }
      const meta = RAW.exec(token);
      if (!meta) break;
      const file = tokens[i + 1];
      i += 2;
      if (file === undefined) break;
      files.push({
        status: meta[3] as string,
        path: file,
        before: meta[1] as string,
        after: meta[2] as string,
      });
    }
    // git also filters with --since, but silently ignores dates it cannot
    // read (years past 2099, for one): filter here too.
    if (since && Date.parse(committed ?? "") < Date.parse(since)) continue;
    commits.push({
      commit: hash,
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

/**
 * The occurrence lines each commit added to or removed from the schedule (at
 * any of the paths it has had).
 */
export async function readScheduleDiffs(
  root: string,
  schedules: readonly string[],
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
    ...schedules,
  ]);
  const diffs = new Map<string, string[]>();
  // A record starts a line; inside a diff every line starts with a sign or a
  // header word, so a \x1e in the schedule's text cannot start one.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the record separator is what is split at
  for (const record of output.split(/^\x1e/m)) {
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

/** A file a commit moved (git's rename detection), relative to the work tree's root. */
export interface FileMove {
  from: string;
  to: string;
}

/**
 * The files each of `commits` moved, by git's rename detection over the
 * whole commit (the paths `readCommits` reads see a move as a delete and an
 * add, or an add alone), through one `git diff-tree`.
 */
export async function readMoves(
  root: string,
  commits: readonly string[],
): Promise<Map<string, FileMove[]>> {
  const moves = new Map<string, FileMove[]>();
  // A few hundred at a time, to stay within any command line's length.
  for (let start = 0; start < commits.length; start += 500) {
    const output = await gitIn(root).raw([
      "-c",
      "core.quotePath=false",
      "log",
      "--no-walk=unsorted",
      "-M",
      "-z",
      "--raw",
      "--no-abbrev",
      "--diff-filter=R",
      "--format=%x1e%H",
      ...commits.slice(start, start + 500),
    ]);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the record separator is what is split at
    for (const record of output.split(/\x1e/)) {
      const tokens = record.split("\0").map((token) => token.replace(/^\n+/, ""));
      const commit = (tokens[0] ?? "").trim();
      if (!HASH.test(commit)) continue;
      const found: FileMove[] = [];
      for (let i = 1; i < tokens.length; i++) {
        const meta = RAW.exec(tokens[i] as string);
        if (meta?.[3] !== "R") continue;
        const from = tokens[i + 1];
        const to = tokens[i + 2];
        if (from !== undefined && to !== undefined) found.push({ from, to });
        i += 2;
      }
      if (found.length > 0) moves.set(commit, found);
    }
  }
  return moves;
}

/**
 * The texts of many blobs through one `git cat-file --batch`; a blob that
 * cannot be read is left out (a missing object, git failing).
 */
export async function readBlobs(
  root: string,
  blobs: readonly string[],
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const wanted = [...new Set(blobs)].filter((blob) => HASH.test(blob));
  if (wanted.length === 0) return texts;
  const read = await new Promise<boolean>((resolve) => {
    const child = spawn("git", ["cat-file", "--batch"], {
      cwd: root,
      stdio: ["pipe", "pipe", "ignore"],
    });
    // `<hash> blob <size>\n<content>\n` for each, or `<name> missing\n`:
    // each blob's bytes are gathered as they come, with no copy of the whole.
    let pending: Buffer = Buffer.alloc(0);
    let blob: { hash: string; bytes: Buffer; filled: number } | undefined;
    let skip = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      pending = Buffer.alloc(0);
      while (data.length > 0) {
        if (skip > 0) {
          const skipped = Math.min(skip, data.length);
          skip -= skipped;
          data = data.subarray(skipped);
        } else if (blob) {
          const taken = Math.min(blob.bytes.length - blob.filled, data.length);
          data.copy(blob.bytes, blob.filled, 0, taken);
          blob.filled += taken;
          data = data.subarray(taken);
          if (blob.filled === blob.bytes.length) {
            texts.set(blob.hash, blob.bytes.toString("utf8"));
            blob = undefined;
            skip = 1; // the line end after the content
          }
        } else {
          const eol = data.indexOf(10);
          if (eol === -1) {
            pending = Buffer.from(data);
            break;
          }
          const [hash, type, size] = data.subarray(0, eol).toString("latin1").split(" ");
          data = data.subarray(eol + 1);
          if (size === undefined || hash === undefined) continue; // missing
          const length = Number(size);
          if (type === "blob" && length > 0) {
            blob = { hash, bytes: Buffer.alloc(length), filled: 0 };
          } else {
            if (type === "blob") texts.set(hash, "");
            skip = length + 1;
          }
        }
      }
    });
    child.on("error", () => resolve(false));
    child.stdin.on("error", () => undefined); // git gone: its exit says so
    child.on("close", (code) => resolve(code === 0));
    child.stdin.end(`${wanted.join("\n")}\n`);
  });
  if (!read) {
    // Each on its own, as before: what can be read is.
    texts.clear();
    await Promise.all(
      wanted.map((blob) =>
        readBlob(root, blob).then(
          (text) => texts.set(blob, text),
          () => undefined,
        ),
      ),
    );
  }
  return texts;
}

/** The text of a blob (one version of a file). */
export async function readBlob(root: string, blob: string): Promise<string> {
  return gitIn(root).raw(["cat-file", "blob", blob]);
}

/**
 * Whether the repository has any commit yet: false only where HEAD's branch
 * has none (a new repository). A HEAD naming a commit git cannot read (a
 * damaged repository) is an error, not an empty history: read as none,
 * `rota calendar` would delete the feeds that only the history keeps (those
 * of people gone from the roster, with their cancellations), and `rota log`
 * would say there is nothing to show.
 */
export async function hasCommits(root: string): Promise<boolean> {
  const git = gitIn(root);
  const named = (args: string[]): Promise<string | undefined> =>
    git.raw(args).then((out) => out.trim(), unlessUnavailable(undefined));
  if ((await named(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])) !== undefined) {
    return true;
  }
  // An object name that is no commit git can read, or a branch whose ref
  // file holds no object name at all (git itself then reads it as unborn).
  let damaged = await named(["rev-parse", "--verify", "--quiet", "HEAD"]);
  const head = damaged === undefined ? await named(["rev-parse", "--git-path", "HEAD"]) : undefined;
  if (head !== undefined) {
    // git cannot name the branch of a broken ref (symbolic-ref fails): HEAD's file does.
    let branch: string | undefined;
    try {
      branch = /^ref: (refs\/\S+)\s*$/.exec(readFileSync(path.resolve(root, head), "utf8"))?.[1];
    } catch {
      // No HEAD file: a repository git reads some other way; as it says.
    }
    const file = branch && (await named(["rev-parse", "--git-path", branch]));
    if (branch && file && existsSync(path.resolve(root, file))) damaged = branch;
  }
  if (damaged === undefined) return false;
  throw new FailedError(
    `git cannot read the commit HEAD names (${damaged}) in ${root}: the repository is damaged; \`git fsck\` says what is wrong. rota reads no history from it until HEAD names a commit again`,
  );
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

/**
 * What each commit on the current branch's first-parent line did to the
 * schedule, oldest first: the occurrence lines it removed and added (a merge
 * counts with everything it brought in, as its first-parent diff shows).
 * The schedule is followed through moves: a commit that only moved it
 * removed and added nothing.
 */
export async function readScheduleChanges(
  root: string,
  schedule: string,
): Promise<{ removed: string[]; added: string[] }[]> {
  // Newest first and reversed here: git follows a file back only as it walks back.
  const output = await gitIn(root).raw([
    "log",
    "--first-parent",
    "-m",
    "--follow",
    "-p",
    "-U0",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--format=%x1e%H",
    "--",
    schedule,
  ]);
  const changes: { removed: string[]; added: string[] }[] = [];
  for (const record of output.split("\x1e")) {
    if (record === "") continue;
    const removed: string[] = [];
    const added: string[] = [];
    for (const line of record.split("\n")) {
      if (line.startsWith("-  - {")) removed.push(line.slice(5));
      else if (line.startsWith("+  - {")) added.push(line.slice(5));
    }
    changes.push({ removed, added });
  }
  return changes.reverse();
}

/**
 * Every commit that changed a file, newest first, with its first parent, the
 * file's version before it (its blob) and the lines it removed from the file
 * (merges, which git shows without a diff here, are left out). The file is
 * followed through moves, which remove nothing.
 */
export async function readRemovedLines(
  root: string,
  file: string,
): Promise<{ commit: string; parent?: string; before?: string; removed: string[] }[]> {
  const output = await gitIn(root).raw([
    "log",
    "-p",
    "-U0",
    "--no-merges",
    "--follow",
    "--full-index",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--format=%x1e%H %P",
    "--",
    file,
  ]);
  const commits: { commit: string; parent?: string; before?: string; removed: string[] }[] = [];
  for (const record of output.split("\x1e")) {
    if (record === "") continue;
    const lines = record.split("\n");
    const [commit, parent] = (lines[0] ?? "").trim().split(" ") as [string, string | undefined];
    // The header's `index <before>..<after>` names the version before, wherever the file was then.
    const before = /^index ([0-9a-f]{40,64})\.\./m.exec(record)?.[1];
    const removed = lines.filter((line) => line.startsWith("-") && !line.startsWith("--- "));
    commits.push({
      commit,
      ...(parent ? { parent } : {}),
      ...(before && !NO_BLOB.test(before) ? { before } : {}),
      removed,
    });
  }
  return commits;
}
