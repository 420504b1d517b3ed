import { type SimpleGit, simpleGit } from "simple-git";

/** simple-git bound to a directory; argument arrays only, never shell strings. */
export function gitIn(cwd: string): SimpleGit {
  return simpleGit({ baseDir: cwd, binary: "git", maxConcurrentProcesses: 4 });
}

/** `git config user.email` as seen from a directory, or undefined. */
export async function gitUserEmail(cwd: string): Promise<string | undefined> {
  try {
    const value = (await gitIn(cwd).getConfig("user.email")).value;
    return value?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Whether a directory is inside a git work tree. */
export async function isGitWorkTree(cwd: string): Promise<boolean> {
  try {
    return (await gitIn(cwd).raw(["rev-parse", "--is-inside-work-tree"])).trim() === "true";
  } catch {
    return false;
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
  } catch {
    return undefined;
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
  const git = gitIn(cwd);
  let blob: string;
  try {
    blob = (await git.raw(["rev-parse", "--verify", "--quiet", `${commit}:./${file}`])).trim();
  } catch {
    return undefined;
  }
  if (!/^[0-9a-f]{40,64}$/.test(blob)) return undefined;
  return git.raw(["cat-file", "blob", blob]);
}

export interface FileChange {
  /** The last commit (following first parents from HEAD) that changed the file. */
  commit: string;
  /** Its first parent; undefined for a root commit or at the edge of a shallow clone. */
  parent?: string;
  /** Whether the history is shallow, so that a missing parent may only be missing here. */
  shallow: boolean;
}

/**
 * The last commit on the current branch's first-parent line that changed a
 * file (a merge counts with everything it brought in), or undefined when no
 * commit has it. Reads only local history, so it works offline and tells a
 * shallow clone's cut-off apart from a real first commit.
 */
export async function lastCommitChanging(
  cwd: string,
  file: string,
): Promise<FileChange | undefined> {
  const git = gitIn(cwd);
  let line: string;
  try {
    line = (
      await git.raw(["log", "-1", "--first-parent", "--format=%H %P", "--", `./${file}`])
    ).trim();
  } catch {
    return undefined; // no commits yet
  }
  if (line === "") return undefined;
  const [commit, parent] = line.split(" ") as [string, string | undefined];
  const shallow =
    (await git.raw(["rev-parse", "--is-shallow-repository"]).catch(() => "false")).trim() ===
    "true";
  return { commit, ...(parent ? { parent } : {}), shallow };
}
