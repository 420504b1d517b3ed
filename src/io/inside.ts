import { lstatSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.ts";

/**
 * Keeping rota inside the repository. What rota reads and writes — the
 * roster, the schedule, notes and the notes template — is in a repository
 * anyone with a pull request can change, and CI runs rota on it: a symbolic
 * link committed as `notes` or `roster.yaml` must not make rota read the
 * runner's files into a published site or a log, nor write notes elsewhere.
 */

/** Whether `file` is `dir` or below it, by their paths. */
export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * The repository a directory is in: the nearest directory up from it that
 * holds `.git` (a directory, or a file in a worktree or a submodule), else
 * the directory itself. Found without running git, which most commands do
 * not otherwise need.
 */
export async function repositoryOf(dir: string): Promise<string> {
  const start = path.resolve(dir);
  for (let current = start; ; ) {
    let found: boolean;
    try {
      found = statSync(path.join(current, ".git"), { throwIfNoEntry: false }) !== undefined;
    } catch {
      found = false;
    }
    if (found) return current;
    const parent = path.dirname(current);
    if (parent === current) return start;
    current = parent;
  }
}

/** A path with every link resolved (as realpath(3) does); undefined where that fails. */
function realPath(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/** A symbolic link on the way to a file: where it is, and where it leads. */
export interface Link {
  link: string;
  /** The real path it leads to; undefined when it leads nowhere. */
  target: string | undefined;
  /** Whether that is inside the boundary. */
  inside: boolean;
  /** Whether the link is the file itself rather than a directory on the way. */
  last: boolean;
}

/**
 * The symbolic links on the way from `boundary` down to `file` (`file`
 * below `boundary`), the file itself included, each with where it leads
 * and whether that is inside the boundary. Stops where the path does not
 * exist any further.
 */
export async function linksOnTheWay(boundary: string, file: string): Promise<Link[]> {
  const realBoundary = realPath(boundary) ?? boundary;
  const parts = path
    .relative(boundary, file)
    .split(path.sep)
    .filter((part) => part !== "");
  const links: Link[] = [];
  let current = boundary;
  for (const [index, part] of parts.entries()) {
    current = path.join(current, part);
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") break; // nothing further exists
      throw error;
    }
    if (!isLink) continue;
    const target = realPath(current);
    links.push({
      link: current,
      target,
      last: index === parts.length - 1,
      inside: target !== undefined && isInside(realBoundary, target),
    });
  }
  return links;
}

/**
 * The first symbolic link on the way to `file` that leads out of `boundary`
 * (or nowhere); undefined when there is none.
 */
export async function linkOut(boundary: string, file: string): Promise<Link | undefined> {
  return (await linksOnTheWay(boundary, file)).find((link) => !link.inside);
}

/**
 * Refuses to read `file` (`what`: "the roster", "notes"…) from outside the
 * repository `boundary`: by its path, or through a symbolic link that leads
 * out of it. Links that stay inside are followed.
 */
export async function checkReadInside(boundary: string, file: string, what: string): Promise<void> {
  if (!isInside(boundary, file)) {
    throw new UsageError(
      `${file} is outside the repository: rota reads ${what} only inside ${boundary}`,
    );
  }
  const out = await linkOut(boundary, file);
  if (out) {
    throw new UsageError(
      `${path.relative(boundary, out.link)} is a symbolic link to ${out.target ?? "nowhere"}, outside the repository: rota reads ${what} only inside ${boundary}`,
    );
  }
}
