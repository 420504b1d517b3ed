import { lstatSync, readlinkSync, realpathSync, statSync } from "node:fs";
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
  /** Whether that is inside the boundary (never, for a link that leads nowhere). */
  inside: boolean;
  /** Whether the link is the file itself rather than a directory on the way. */
  last: boolean;
  /**
   * Why a link leads nowhere: what it names does not exist (`missing`), or
   * it is one of a loop of links (`loop`); undefined for a link that leads somewhere.
   */
  broken?: "missing" | "loop";
  /** For a link that leads nowhere, the path it names (resolved beside it), where it can be read. */
  names?: string;
}

/** Why a link leads nowhere, and the path it names. */
function brokenLink(link: string): Pick<Link, "broken" | "names"> {
  let names: string | undefined;
  try {
    names = path.resolve(path.dirname(link), readlinkSync(link));
  } catch {
    names = undefined;
  }
  let loop = false;
  try {
    statSync(link);
  } catch (error) {
    loop = (error as NodeJS.ErrnoException).code === "ELOOP";
  }
  return { broken: loop ? "loop" : "missing", names };
}

/**
 * A link that leads out of a boundary or nowhere, in words for a message
 * after its name: "is a symbolic link to /etc/passwd, outside the repository",
 * "…to support/roster.yaml, which does not exist", "is a loop of symbolic links".
 * `shown` gives a path as the message shows it; `where` names the `boundary`.
 */
export function describeLinkOut(
  out: Link,
  shown: (file: string) => string,
  boundary: string,
  where: string,
): string {
  if (out.broken === "loop") {
    return "is a loop of symbolic links (each leads on to another, and back)";
  }
  if (out.broken === "missing") {
    if (out.names === undefined) return "is a symbolic link to nowhere";
    const outside = isInside(boundary, out.names) ? "" : `, outside ${where}`;
    return `is a symbolic link to ${shown(out.names)}, which does not exist${outside}`;
  }
  return `is a symbolic link to ${out.target === undefined ? "nowhere" : shown(out.target)}, outside ${where}`;
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
      // Nothing further exists, or can be reached (a path too long, a
      // directory that cannot be entered): reading or writing it says so.
      if (code === "ENOENT" || code === "ENOTDIR" || code === "ENAMETOOLONG" || code === "EACCES")
        break;
      throw error;
    }
    if (!isLink) continue;
    const target = realPath(current);
    const last = index === parts.length - 1;
    if (target === undefined) {
      // Nothing beyond a link that leads nowhere can be reached either.
      links.push({ link: current, target, last, inside: false, ...brokenLink(current) });
      break;
    }
    links.push({ link: current, target, last, inside: isInside(realBoundary, target) });
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
  if (!out) return;
  const shown = (at: string) => (isInside(boundary, at) ? path.relative(boundary, at) : at);
  const link = shown(out.link);
  if (out.broken === "loop") {
    throw new UsageError(
      `${link} is a loop of symbolic links (each leads on to another, and back), so rota cannot read ${what} through it; point one of them at a real directory or file, or remove it`,
    );
  }
  if (out.broken === "missing" && out.names !== undefined && isInside(boundary, out.names)) {
    throw new UsageError(
      `${link} is a symbolic link to ${shown(out.names)}, which does not exist: create it, or point the link at ${out.last ? what : "a directory that exists"}`,
    );
  }
  throw new UsageError(
    `${link} ${describeLinkOut(out, shown, boundary, "the repository")}: rota reads ${what} only inside ${boundary}`,
  );
}
