import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type SimpleGit, simpleGit } from "simple-git";
import { shellWord } from "../core/text.ts";
import { FailedError } from "../errors.ts";

/**
 * simple-git bound to a directory; argument arrays only, never shell strings.
 * Any non-zero exit is an error: simple-git alone lets one pass when git
 * printed nothing on stderr (as `git symbolic-ref -q` does on a detached HEAD).
 */
export function gitIn(cwd: string): SimpleGit {
  return simpleGit({
    baseDir: cwd,
    binary: "git",
    maxConcurrentProcesses: 4,
    // Done when git's output has ended, not also 50 ms after git exits: that
    // timer outlived the command, and every command that ran git waited for it
    // before ending. (A process a hook leaves behind holding git's output open
    // is waited for either way: Node does not end while that pipe is open.)
    completion: { onClose: true, onExit: false },
    errors: (error, result) => {
      // git could not be started at all: say so, not "spawn git ENOENT" and its stack.
      if (error instanceof Error && /\bspawn\b.*\b(?:ENOENT|EACCES)\b/.test(error.message)) {
        return new Error(GIT_UNAVAILABLE);
      }
      if (error) return error;
      if (result.exitCode === 0) return undefined;
      const stderr = Buffer.concat(result.stdErr).toString("utf8").trim();
      // As text: simple-git would turn an Error into "Error: …" in its message.
      return Buffer.from(stderr || `git exited with code ${result.exitCode}`);
    },
  }).outputHandler(endOfOutputAsData);
}

/**
 * simple-git waits 50 ms more after a git that printed nothing, in case its
 * output comes late; yet it has waited for that output to end, after which
 * nothing can come. Most of what rota runs is quiet (`git add`, `merge-base
 * --is-ancestor`, an unset `git config`): each cost a command 50 ms. The end
 * of the output is told to simple-git as data of no bytes, which ends that
 * wait.
 */
function endOfOutputAsData(_command: string, stdout: NodeJS.ReadableStream): void {
  stdout.once("end", () => stdout.emit("data", NO_BYTES));
}

const NO_BYTES = Buffer.alloc(0);

const GIT_UNAVAILABLE =
  "git is not installed, or not on PATH: rota runs git for this; install git (https://git-scm.com) and run the command again";

/** git could not be run: missing, or not on PATH. Exit 1, with that said. */
export class GitUnavailableError extends FailedError {
  constructor() {
    super(GIT_UNAVAILABLE);
  }
}

/** Whether a git command failed because git itself could not be started. */
export function isGitUnavailable(error: unknown): boolean {
  return (
    error instanceof GitUnavailableError ||
    (error instanceof Error && error.message.includes(GIT_UNAVAILABLE))
  );
}

/** For a catch that turns git's "no" into an answer: a missing git is no answer. */
export function unlessUnavailable<T>(answer: T): (error: unknown) => T {
  return (error) => {
    if (isGitUnavailable(error)) throw new GitUnavailableError();
    return answer;
  };
}

/**
 * What git said, on one line, without its `fatal: ` and `error: ` prefixes
 * and hints. Git wraps its longer messages over several lines: a line that
 * goes on with a lowercase word, or that follows the end of a sentence, is
 * joined with a space; other lines (each its own message) with "; ".
 */
export function gitMessage(error: unknown): string {
  if (isGitUnavailable(error)) return GIT_UNAVAILABLE;
  const text = error instanceof Error ? error.message : String(error);
  let message = "";
  // A carriage return ends a progress line ("Rebasing (1/1)\r") as a newline would.
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("hint:")) continue;
    const prefixed = /^(?:fatal|error|warning|remote): /.test(line);
    const said = line.replace(/^(?:fatal|error): /, "");
    if (message === "") message = said;
    else {
      const continues = !prefixed && (/^[a-z]/.test(raw) || /[.!?]$/.test(message));
      message += `${continues ? " " : "; "}${said}`;
    }
  }
  return message || "git failed";
}

/**
 * The top directory of the work tree holding `dir`, or undefined outside any.
 * Without git at all it throws, unless the caller can do without git.
 */
export async function workTreeRoot(
  dir: string,
  options: { needGit?: boolean } = {},
): Promise<string | undefined> {
  try {
    const root = (await gitIn(dir).raw(["rev-parse", "--show-toplevel"])).trim();
    return root === "" ? undefined : root;
  } catch (error) {
    if (options.needGit === false) return undefined;
    if (isGitUnavailable(error)) throw new GitUnavailableError();
    refusedOwnership(error);
    return undefined;
  }
}

/**
 * Where git refuses a repository owned by another user (its "dubious
 * ownership" check): a failure saying so and how to allow it, not the "not a
 * git repository" git's refusal would otherwise read as, whose `git init`
 * changes nothing.
 */
function refusedOwnership(error: unknown): void {
  const text = error instanceof Error ? error.message : String(error);
  // The path as git prints it, quotes and all, to the line's last quote.
  const found = /detected dubious ownership in repository at '(.*)'$/m.exec(text);
  if (!found) return;
  const at = found[1] as string;
  throw new FailedError(
    `git refuses the repository at ${at}: it belongs to another user (git's "dubious ownership" check). ` +
      `If you trust it, allow it with \`git config --global --add safe.directory ${shellWord(at)}\`, or run rota as its owner`,
  );
}

/**
 * Why a commit cannot be made in this work tree now, in words that say what
 * to do, or undefined when it can: a detached HEAD, a rebase, merge,
 * cherry-pick or revert in progress, or no identity to commit as.
 */
export async function commitBlocker(root: string): Promise<string | undefined> {
  const git = gitIn(root);
  const states: [string, string, string][] = [
    ["rebase-merge", "a rebase is in progress", "git rebase --continue` or `git rebase --abort"],
    [
      "rebase-apply",
      "a rebase or `git am` is in progress",
      "git rebase --continue` or `git rebase --abort",
    ],
    ["MERGE_HEAD", "a merge is in progress", "git merge --continue` or `git merge --abort"],
    [
      "CHERRY_PICK_HEAD",
      "a cherry-pick is in progress",
      "git cherry-pick --continue` or `git cherry-pick --abort",
    ],
    ["REVERT_HEAD", "a revert is in progress", "git revert --continue` or `git revert --abort"],
  ];
  const paths = (await git.raw(["rev-parse", ...states.flatMap(([name]) => ["--git-path", name])]))
    .split("\n")
    .filter((line) => line !== "");
  for (const [index, [, what, how]] of states.entries()) {
    const file = paths[index];
    if (file && existsSync(path.resolve(root, file))) {
      return `${what} in ${root}: finish it first (\`${how}\`), or pass --no-commit to only write the note`;
    }
  }
  try {
    await git.raw(["symbolic-ref", "-q", "HEAD"]);
  } catch {
    const at = await git.raw(["rev-parse", "--short", "HEAD"]).catch(() => "");
    // A branch that has this commit, where there is one: main, master or another.
    const holding = await git
      .raw(["for-each-ref", "--format=%(refname:short)", "--contains", "HEAD", "refs/heads/"])
      .catch(() => "");
    const branch = holding.split("\n").find((name) => name !== "") ?? "<branch>";
    return `HEAD is detached${at.trim() ? ` at ${at.trim()}` : ""}: switch to a branch first (\`git switch ${branch}\`), or pass --no-commit to only write the note`;
  }
  try {
    await git.raw(["var", "GIT_COMMITTER_IDENT"]);
  } catch {
    return 'git does not know who you are: run `git config user.name "Your Name"` and `git config user.email you@example.com`, or pass --no-commit';
  }
  return undefined;
}

/** Whether .gitignore keeps a path out of git. */
export async function isIgnored(root: string, file: string): Promise<boolean> {
  try {
    return (await gitIn(root).checkIgnore([file])).length > 0;
  } catch {
    return false;
  }
}

export interface PushTarget {
  /** The current branch. */
  branch: string;
  remote: string;
  /** The branch on the remote it tracks (`refs/heads/main`); undefined when it has no upstream yet. */
  merge?: string;
}

/**
 * Where `git push` would send the current branch: its upstream, or else the
 * only remote (or `origin`). A string says why there is nowhere to push.
 */
export async function pushTarget(root: string): Promise<PushTarget | string> {
  const git = gitIn(root);
  const branch = (await git.raw(["symbolic-ref", "--short", "HEAD"])).trim();
  try {
    const remote = (await git.raw(["config", "--get", `branch.${branch}.remote`])).trim();
    const merge = (await git.raw(["config", "--get", `branch.${branch}.merge`])).trim();
    if (remote !== "" && remote !== "." && merge !== "") return { branch, remote, merge };
  } catch {
    // No upstream: fall back to a remote.
  }
  const remotes = (await git.raw(["remote"])).split("\n").filter((name) => name !== "");
  if (remotes.length === 0) {
    return "this repository has no remote to push to: add one (`git remote add origin URL`), or leave out --push";
  }
  const remote = remotes.includes("origin")
    ? "origin"
    : remotes.length === 1
      ? remotes[0]
      : undefined;
  if (!remote) {
    return `branch ${branch} has no upstream and there are several remotes (${remotes.join(", ")}): set one with \`git branch --set-upstream-to REMOTE/${branch}\``;
  }
  return { branch, remote };
}

/**
 * Commits one file and nothing else: whatever else is staged or changed in
 * the work tree stays as it was. Returns the new commit's hash.
 *
 * A new file is made known to git with `--intent-to-add`, not staged: `git
 * commit --only` takes its content for this commit alone. Were it staged, a
 * commit that fails (a hook refusing it) would leave it in the index, and
 * the user's next `git commit`, or another one made meanwhile, would carry
 * the note under its own message.
 */
export async function commitOnly(root: string, file: string, message: string[]): Promise<string> {
  const git = gitIn(root);
  await whileLocked(() => git.raw(["add", "--intent-to-add", "--", file]));
  const output = await whileLocked(() =>
    git.raw(["commit", "--only", ...message.flatMap((part) => ["-m", part]), "--", file]),
  ).catch(async (error: unknown) => {
    const code = /^git exited with code (\d+)$/.exec(gitMessage(error))?.[1];
    if (code === undefined) throw error;
    // git says "nothing to commit" on standard output, not as an error: the
    // file is as the last commit has it (put back since it was written).
    const status = await git.raw(["status", "--porcelain", "--", file]).catch(() => "unknown");
    if (status.trim() === "") throw new NothingToCommitError();
    // git says nothing of its own when a hook refuses the commit in silence.
    throw new Error(
      `git commit exited with code ${code} without saying why: a hook (pre-commit or commit-msg) may have refused the commit`,
    );
  });
  // The hash from git's own summary line ("[main 1a2b3c4] …"): HEAD may have
  // moved on already if another rota commits in the same clone.
  const short = /^\[[^\]]*?([0-9a-f]{7,})\]/m.exec(output)?.[1];
  return (await git.raw(["rev-parse", short ?? "HEAD"])).trim();
}

/** A commit of one file that git did not make because the file is as the last commit has it. */
export class NothingToCommitError extends Error {
  constructor() {
    super("git found nothing to commit: the file is as the last commit has it");
  }
}

/**
 * Whether `file` (from the work tree's root, with `/`) differs from its last
 * commit, or was never committed: its content as `git add` would store it
 * (line-ending filters applied) against HEAD's. Takes no lock on the index.
 */
export async function isUncommitted(root: string, file: string): Promise<boolean> {
  const git = gitIn(root);
  const [committed, current] = await Promise.all([
    git.raw(["rev-parse", "--verify", "--quiet", `HEAD:${file}`]).catch(unlessUnavailable("")),
    git.raw(["hash-object", "--", file]),
  ]);
  return committed.trim() !== current.trim();
}

/**
 * Runs a git command again while another git process in the same clone holds
 * the index lock (two `rota notes` at once): up to about five seconds.
 */
async function whileLocked<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const locked = /index\.lock|Another git process seems to be running/.test(gitMessage(error));
      if (!locked || attempt >= 25) throw error;
      await new Promise((resolve) =>
        setTimeout(resolve, 50 + attempt * 10 + Math.floor(Math.random() * 50)),
      );
    }
  }
}

/**
 * Uncommitted changes that a rebase stashed and could not put back: git left
 * both versions in `files` (from the work tree's root; none when it could not
 * apply them at all) and kept the changes in the stash entry `stash`
 * (`stash@{0}`).
 */
export interface LeftInStash {
  files: string[];
  stash: string;
}

/**
 * A rebase that failed and that `git rebase --abort` could not undo either:
 * the clone is left in the middle of it, HEAD detached, and the branch still
 * where it was before the rebase.
 */
export interface StuckRebase {
  /** Why `git rebase --abort` failed. */
  message: string;
  /** The rebase's own directory (`.git/rebase-merge`), absolute. */
  dir: string;
  /** The commit that holds the uncommitted changes the rebase stashed; undefined when it stashed none. */
  autostash?: string;
}

/** A local commit a rebase stopped on: its hash (as it is on the branch, the rebase aborted) and subject. */
export interface ConflictIn {
  commit: string;
  subject: string;
}

export type PushResult =
  | {
      ok: true;
      attempts: number;
      rebased: boolean;
      leftInStash?: LeftInStash;
      /** The followed commit as it is on the branch pushed (after any rebase, this run's or another's). */
      commit?: string;
    }
  /**
   * `conflicts`: the paths (from the work tree's root) a failed rebase stopped
   * on; `conflictIn`: the local commit it stopped on.
   */
  | {
      ok: false;
      message: string;
      conflicts?: string[];
      conflictIn?: ConflictIn;
      /**
       * Set when a signal (`stopped`) ended the push early: what git was doing
       * then, or "waiting" when it was between git commands or waiting for a
       * lock (`message` says which) before `next`. Git is let finish; a rebase
       * it did not finish is aborted.
       */
      interrupted?: "pushing" | "fetching" | "rebasing" | "waiting";
      next?: "pushing" | "rebasing";
      /** Set when the stop came while waiting for another rota's lock; `message` names it. */
      waited?: boolean;
      /**
       * Untracked files in the work tree that what was pushed meanwhile adds:
       * the rebase could not start over them (nor can `git pull --rebase`).
       */
      inTheWay?: string[];
      /** Whether the branch was rebased onto the remote before it ended. */
      rebased?: boolean;
      leftInStash?: LeftInStash;
      /** Set when the failed rebase could not be aborted: the clone is still in it. */
      stuck?: StuckRebase;
      /** The followed commit as it is on the branch now. */
      commit?: string;
    };

/**
 * Whether a push was refused because someone pushed first: git's own
 * verdict, or the remote's when two pushes raced for the branch (its
 * `[remote rejected]` line says "failed to update ref"; the reason, "cannot
 * lock ref" or "incorrect old value", may be on a `remote:` line before it).
 */
export function isRejected(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  if (/\[rejected\]|\(fetch first\)|non-fast-forward/.test(text)) return true;
  return (
    /\[remote rejected\]/.test(text) &&
    /cannot lock ref|incorrect old value|failed to update ref/.test(text)
  );
}

/** The paths (from the work tree's root) git left unmerged, with both versions in them. */
async function unmergedPaths(git: SimpleGit): Promise<string[]> {
  const listed = await git.raw(["diff", "--name-only", "-z", "--diff-filter=U"]).catch(() => "");
  return listed.split("\0").filter(Boolean);
}

/** The commit `refs/stash` names, or "" when there is no stash. */
async function stashTop(git: SimpleGit): Promise<string> {
  return (await git.raw(["rev-parse", "-q", "--verify", "refs/stash"]).catch(() => "")).trim();
}

/**
 * The directory of a rebase in progress in the work tree at `root`
 * (`rebase-merge`, or `rebase-apply` for an older kind), absolute, with the
 * commit its `--autostash` made; undefined when no rebase is in progress.
 */
async function rebaseInProgress(
  git: SimpleGit,
  root: string,
): Promise<{ dir: string; autostash?: string } | undefined> {
  const paths = (
    await git.raw(["rev-parse", "--git-path", "rebase-merge", "--git-path", "rebase-apply"])
  )
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => path.resolve(root, line));
  const dir = paths.find((candidate) => existsSync(candidate));
  if (dir === undefined) return undefined;
  const autostash = await readFile(path.join(dir, "autostash"), "utf8").then(
    (text) => text.trim() || undefined,
    () => undefined,
  );
  return { dir, ...(autostash ? { autostash } : {}) };
}

/**
 * What `commit` is on the branch `tip` now: itself while the branch has it,
 * else the commit a rebase made of it, this run's or another's in the same
 * clone (which may have pushed it already): one on `tip` that `commit`'s
 * parents do not have, with its author, author time and message (a rebase
 * keeps all three) and the same files changed. `commit` itself when there is none.
 */
async function commitOnBranch(git: SimpleGit, commit: string, tip: string): Promise<string> {
  const base = await git.raw(["merge-base", commit, tip]).catch(() => "");
  if (base.trim() === commit) return commit;
  const identity = "%an%x00%ae%x00%at%x00%B";
  const wanted = await git.raw(["show", "-s", `--format=${identity}`, commit]);
  const filesOf = async (hash: string) =>
    git.raw(["diff-tree", "--root", "--no-commit-id", "--name-only", "-r", "-z", hash]);
  const files = await filesOf(commit);
  const parents = (await git.raw(["rev-parse", `${commit}^@`])).split("\n").filter(Boolean);
  const listed = await git.raw(["log", `--format=%x1e%H%x00${identity}`, tip, "--not", ...parents]);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the record separator is what is split at
  for (const record of listed.split(/\x1e/)) {
    const at = record.indexOf("\0");
    if (at <= 0 || record.slice(at + 1).trimEnd() !== wanted.trimEnd()) continue;
    const hash = record.slice(0, at);
    if ((await filesOf(hash)) === files) return hash;
  }
  return commit;
}

/**
 * Untracked files (not ignored) in the work tree that `base` has and the
 * branch does not: a rebase onto `base` refuses to start over them, and so
 * does `git pull --rebase`, autostash or not.
 */
async function untrackedInTheWay(git: SimpleGit, base: string): Promise<string[]> {
  const split = (text: string) => text.split("\0").filter(Boolean);
  const added = new Set(
    split(await git.raw(["diff", "--name-only", "-z", "HEAD", base]).catch(() => "")),
  );
  if (added.size === 0) return [];
  const untracked = split(
    await git.raw(["ls-files", "--others", "--exclude-standard", "-z"]).catch(() => ""),
  );
  return untracked.filter((file) => added.has(file));
}

/**
 * Pushes the current branch. When the remote has moved on (someone else
 * pushed first), fetches, rebases onto it (stashing and restoring unrelated
 * changes in the work tree) and tries again, a few times. `git rebase
 * --autostash` succeeds even when the stashed changes conflict with what it
 * rebased onto: it leaves the files conflicted and the changes in the stash.
 * That is reported as `leftInStash`, and no further rebase is tried over it.
 * A rebase that fails is aborted; when the abort fails too, the clone is left
 * in the rebase, reported as `stuck`, with the commit holding the stashed changes.
 */
export async function pushWithRebase(
  root: string,
  target: PushTarget,
  options: {
    attempts?: number;
    /** A commit to follow through the rebases: the result's `commit` is what it is on the branch. */
    commit?: string;
    /**
     * Runs the whole push, from the first `git push` to the last, fetches and
     * rebases included, e.g. holding the lock that every writer of a note
     * takes: a note written while the rebase runs stops it, and is taken
     * back when the rebase is aborted.
     */
    serialise?: <T>(work: () => Promise<T>) => Promise<T>;
    /**
     * Runs the rebase, from stashing the work tree's changes to putting them
     * back: it must hold every lock that writers of files in the work tree
     * take, or a change written meanwhile is stashed away or blocks the rest.
     */
    serialiseRebase?: <T>(work: () => Promise<T>) => Promise<T>;
    /**
     * Whether to stop (a Ctrl-C held off): checked after each git command, so
     * that nothing more starts; the git command running is let finish, and a
     * rebase that did not is aborted, putting the branch and changes back.
     */
    stopped?: () => boolean;
  } = {},
): Promise<PushResult> {
  const serialise = options.serialise ?? ((work) => work());
  const stopped = options.stopped ?? (() => false);
  const git = gitIn(root);
  let began = false;
  const pushing = async (): Promise<PushResult> => {
    began = true;
    const result = await pushAndRebase(git, root, target, options);
    if (!options.commit) return result;
    // Where the branch is now; with the clone stuck in a rebase, HEAD is not on it.
    const tip = `refs/heads/${target.branch}`;
    return { ...result, commit: await commitOnBranch(git, options.commit, tip) };
  };
  // A wait for the lock that `stopped` ended throws: nothing was started.
  return serialise(pushing).catch((error: unknown): PushResult => {
    if (began || !stopped()) throw error;
    return {
      ok: false,
      message: gitMessage(error),
      interrupted: "waiting",
      next: "pushing",
      waited: true,
      ...(options.commit ? { commit: options.commit } : {}),
    };
  });
}

/** The attempts of pushWithRebase: each a push, and when it is rejected a fetch and a rebase. */
async function pushAndRebase(
  git: SimpleGit,
  root: string,
  target: PushTarget,
  options: Parameters<typeof pushWithRebase>[2] = {},
): Promise<PushResult> {
  const attempts = options.attempts ?? 4;
  const serialiseRebase = options.serialiseRebase ?? ((work) => work());
  let rebased = false;
  let leftInStash: LeftInStash | undefined;
  const kept = () => (leftInStash ? { leftInStash } : {});
  const stopped = options.stopped ?? (() => false);
  const interrupted = (when: "pushing" | "fetching" | "rebasing", message: string) =>
    ({ ok: false, message, interrupted: when, rebased, ...kept() }) as const;
  const waiting = (next: "pushing" | "rebasing", message: string, waited = false) =>
    ({
      ok: false,
      message,
      interrupted: "waiting",
      next,
      rebased,
      ...(waited ? { waited } : {}),
      ...kept(),
    }) as const;
  for (let attempt = 1; ; attempt++) {
    if (stopped()) return waiting("pushing", "interrupted before pushing");
    try {
      await git.raw(
        target.merge
          ? ["push", "--", target.remote, `HEAD:${target.merge}`]
          : ["push", "--set-upstream", "--", target.remote, target.branch],
      );
      return { ok: true, attempts: attempt, rebased, ...kept() };
    } catch (error) {
      if (stopped()) return interrupted("pushing", gitMessage(error));
      // Another rebase would stop on the files the stash left conflicted.
      if (!isRejected(error) || attempt >= attempts || leftInStash)
        return { ok: false, message: gitMessage(error), ...kept() };
    }
    const onto = target.merge ? "@{upstream}" : `${target.remote}/${target.branch}`;
    const fetched = await git.raw(["fetch", "--", target.remote]).then(
      () => undefined,
      (error: unknown) => gitMessage(error),
    );
    if (stopped()) return interrupted("fetching", fetched ?? "interrupted after fetching");
    if (fetched !== undefined) {
      return {
        ok: false,
        message: `the push was rejected and fetching what was pushed meanwhile failed: ${fetched}`,
        ...kept(),
      };
    }
    let began = false;
    const failed = await serialiseRebase(async (): Promise<RebaseFailure | undefined> => {
      began = true;
      const before = await stashTop(git);
      let base = onto;
      try {
        if (stopped()) throw new Error("interrupted before rebasing");
        base = (await git.raw(["rev-parse", "--verify", onto])).trim();
        await git.raw(["rebase", "--autostash", base]);
      } catch (error) {
        const conflicts = await unmergedPaths(git);
        // The local commit git stopped on: it is on the branch as it was, by this hash.
        const [stoppedOn = "", subject = ""] = (
          await git.raw(["show", "-s", "--format=%H%x00%s", "REBASE_HEAD"]).catch(() => "")
        )
          .trim()
          .split("\0");
        const conflictIn =
          conflicts.length > 0 && stoppedOn !== "" ? { commit: stoppedOn, subject } : undefined;
        const stoppedAt: RebaseFailure = {
          message: gitMessage(error),
          conflicts,
          ...(conflictIn ? { conflictIn } : {}),
        };
        const rebasing = await rebaseInProgress(git, root);
        if (rebasing) {
          try {
            // git's index lock held a moment by another git (an editor's) is waited out.
            await whileLocked(() => git.raw(["rebase", "--abort"]));
          } catch (abortError) {
            const stuck: StuckRebase = { message: gitMessage(abortError), ...rebasing };
            return { ...stoppedAt, stuck };
          }
        }
        // The abort puts the stashed changes back; where it cannot, git keeps them in the stash.
        leftInStash = await autostashLeft(git, before);
        if (conflicts.length === 0 && !stopped()) {
          const inTheWay = await untrackedInTheWay(git, base);
          if (inTheWay.length > 0) return { ...stoppedAt, inTheWay };
        }
        return stoppedAt;
      }
      rebased = true;
      leftInStash = await autostashLeft(git, before);
      return undefined;
    }).catch((error: unknown): RebaseFailure => {
      if (!stopped()) throw error;
      // A wait for the work tree's locks that `stopped` ended: no rebase started.
      return { message: gitMessage(error), conflicts: [], ...(began ? {} : { waited: true }) };
    });
    if (failed !== undefined) {
      const stuck = failed.stuck ? { stuck: failed.stuck } : {};
      if (failed.waited) return waiting("rebasing", failed.message, true);
      if (stopped()) return { ...interrupted("rebasing", failed.message), ...stuck };
      return {
        ok: false,
        message: `the push was rejected and rebasing onto the remote failed: ${failed.message}`,
        conflicts: failed.conflicts,
        ...(failed.conflictIn ? { conflictIn: failed.conflictIn } : {}),
        ...(failed.inTheWay ? { inTheWay: failed.inTheWay } : {}),
        ...stuck,
        ...kept(),
      };
    }
  }
}

/** Why a rebase of pushWithRebase failed, and what it left. */
interface RebaseFailure {
  message: string;
  conflicts: string[];
  conflictIn?: ConflictIn;
  stuck?: StuckRebase;
  /** Untracked files in the work tree that the rebase would have overwritten. */
  inTheWay?: string[];
  /** Set when the rebase did not start: a stop came while waiting for the work tree's locks. */
  waited?: boolean;
}

/**
 * After a rebase with `--autostash`: whether it left the stashed changes in
 * the stash (a new stash entry since `before`), with the files it left
 * conflicted. Undefined when they were put back.
 */
async function autostashLeft(git: SimpleGit, before: string): Promise<LeftInStash | undefined> {
  const top = await stashTop(git);
  if (top === before) return undefined;
  const unmerged = await unmergedPaths(git);
  const list = await git.raw(["stash", "list", "--format=%gd%x00%H"]).catch(() => "");
  const entry = list
    .split("\n")
    .map((line) => line.split("\0"))
    .find(([, hash]) => hash === top)?.[0];
  return { files: unmerged, stash: entry ?? "stash@{0}" };
}

/** The git directory of the work tree at `root` (`.git`, or a worktree's own), absolute. */
export async function gitDirOf(root: string): Promise<string> {
  return (await gitIn(root).raw(["rev-parse", "--absolute-git-dir"])).trim();
}

/** Whether git holds a file (named relative to `cwd`) as unmerged: a merge stopped on it. */
export async function isUnmerged(cwd: string, file: string): Promise<boolean> {
  try {
    return (await gitIn(cwd).raw(["ls-files", "--unmerged", "--", file])).trim() !== "";
  } catch {
    return false;
  }
}

/** Whether a directory is inside a git work tree. */
export async function isGitWorkTree(cwd: string): Promise<boolean> {
  try {
    return (await gitIn(cwd).raw(["rev-parse", "--is-inside-work-tree"])).trim() === "true";
  } catch (error) {
    refusedOwnership(error);
    return unlessUnavailable(false)(error);
  }
}

/** The commit a revision names (full hash), or undefined when it names none. */
export async function resolveCommit(cwd: string, revision: string): Promise<string | undefined> {
  // A revision that starts with "-" would be read as an option.
  if (revision.startsWith("-") || revision.trim() === "") return undefined;
  try {
    const hash = (
      await gitIn(cwd).raw(["rev-parse", "--verify", "--quiet", `${revision}^{commit}`])
    ).trim();
    return /^[0-9a-f]{40,64}$/.test(hash) ? hash : undefined;
  } catch (error) {
    return unlessUnavailable(undefined)(error);
  }
}

/** Whether commit `a` is an ancestor of (or the same as) commit `b`. */
export async function isAncestor(cwd: string, a: string, b: string): Promise<boolean> {
  // `merge-base --is-ancestor` answers by exit code alone, which simple-git
  // does not report; the merge base of an ancestor is itself.
  try {
    return (await gitIn(cwd).raw(["merge-base", a, b])).trim() === a;
  } catch {
    return false;
  }
}

/**
 * A file's text at a commit, the file named relative to `cwd`; undefined when
 * the file did not exist in that commit.
 */
export async function readFileAtCommit(
  cwd: string,
  commit: string,
  file: string,
): Promise<string | undefined> {
  return readPathAtCommit(cwd, commit, `./${file}`);
}

/**
 * A file's text at a commit, the file named as git names it in a tree
 * (relative to the work tree's root, or `./`-relative to `cwd`); undefined
 * when the file did not exist in that commit.
 */
export async function readPathAtCommit(
  cwd: string,
  commit: string,
  file: string,
): Promise<string | undefined> {
  const git = gitIn(cwd);
  let blob: string;
  try {
    blob = (await git.raw(["rev-parse", "--verify", "--quiet", `${commit}:${file}`])).trim();
  } catch (error) {
    return unlessUnavailable(undefined)(error);
  }
  if (!/^[0-9a-f]{40,64}$/.test(blob)) return undefined;
  return git.raw(["cat-file", "blob", blob]);
}

/** One commit's change to a file followed through moves. */
export interface FileStep {
  commit: string;
  /** Its first parent; undefined for a root commit or at the edge of a shallow clone. */
  parent?: string;
  /** The file's path at the parent and at the commit, relative to the work tree's root. */
  from: string;
  to: string;
  /** Whether its content changed: a commit that only moved it did not. */
  changed: boolean;
}

const RAW_LINE = /^:\d+ \d+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/;

/**
 * The commits on the first-parent line of `range` (default HEAD) that changed
 * a file, newest first, following it through moves (`git mv`, or a delete and
 * add of the same content) with git's rename detection. `file` is named
 * relative to the work tree's root, or `./`-relative to `cwd`.
 */
export async function followFile(cwd: string, file: string, range = "HEAD"): Promise<FileStep[]> {
  let output: string;
  try {
    output = await gitIn(cwd).raw([
      "-c",
      "core.quotePath=false",
      "log",
      "--first-parent",
      "-m",
      "--follow",
      "-z",
      "--raw",
      "--no-abbrev",
      "--format=%x1e%H %P",
      range,
      "--",
      file,
    ]);
  } catch (error) {
    return unlessUnavailable([])(error); // no commits yet
  }
  const steps: FileStep[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the record separator is what is split at
  for (const record of output.split(/\x1e/)) {
    const tokens = record.split("\0").map((token) => token.replace(/^\n+/, ""));
    const [commit, parent] = (tokens[0] ?? "").trim().split(" ") as [string, string | undefined];
    if (!/^[0-9a-f]{40,64}$/.test(commit)) continue;
    const index = tokens.findIndex((token) => RAW_LINE.test(token));
    const meta = RAW_LINE.exec(tokens[index] ?? "");
    if (!meta) continue;
    const moved = meta[3] === "R" || meta[3] === "C";
    const from = tokens[index + 1] ?? "";
    const to = moved ? (tokens[index + 2] ?? "") : from;
    steps.push({
      commit,
      ...(parent ? { parent } : {}),
      from,
      to,
      changed: meta[1] !== meta[2],
    });
  }
  return steps;
}

/**
 * Where a file (named relative to `cwd`) was at an earlier commit, relative
 * to the work tree's root, following it through the moves since; `./file`
 * when it has not moved since (or git knows nothing of it).
 */
export async function pathAtCommit(cwd: string, file: string, commit: string): Promise<string> {
  const steps = await followFile(cwd, `./${file}`, `${commit}..HEAD`);
  return steps.at(-1)?.from ?? `./${file}`;
}

/**
 * The commits on the first-parent line after `from` (undefined: from the
 * first) up to `to` that changed a file's content, oldest first, each with
 * its first parent (none for the first commit) and where the file was at
 * both: one per merge to the branch, as `lastCommitChanging` counts them. A
 * commit that only moved the file changed nothing.
 */
export async function commitsChanging(
  cwd: string,
  file: string,
  from: string | undefined,
  to: string,
): Promise<FileStep[]> {
  const at = await pathAtCommit(cwd, file, to);
  if (from === undefined) {
    // From the first commit: one without a parent (the root) counts when it added the file.
    return (await followFile(cwd, at, to)).filter((step) => step.changed).reverse();
  }
  return (await followFile(cwd, at, `${from}..${to}`))
    .filter((step) => step.changed && !!step.parent)
    .reverse();
}

export interface FileChange {
  /** The last commit (following first parents from HEAD) that changed the file. */
  commit: string;
  /** Its first parent; undefined for a root commit or at the edge of a shallow clone. */
  parent?: string;
  /** Where the file was at the parent and at the commit, relative to the work tree's root. */
  from: string;
  to: string;
  /** Whether the history is shallow, so that a missing parent may only be missing here. */
  shallow: boolean;
}

/**
 * The last commit on the current branch's first-parent line that changed a
 * file's content (a merge counts with everything it brought in; a commit
 * that only moved the file is no change), or undefined when no commit has
 * it. Reads only local history, so it works offline and tells a shallow
 * clone's cut-off apart from a real first commit.
 */
export async function lastCommitChanging(
  cwd: string,
  file: string,
): Promise<FileChange | undefined> {
  const steps = await followFile(cwd, `./${file}`);
  const last = steps.find((step) => step.changed) ?? steps.at(-1);
  if (!last) return undefined;
  const shallow =
    (
      await gitIn(cwd)
        .raw(["rev-parse", "--is-shallow-repository"])
        .catch(() => "false")
    ).trim() === "true";
  return { ...last, shallow };
}
