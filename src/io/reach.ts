import { lstatSync, readlinkSync, type Stats, statSync } from "node:fs";
import path from "node:path";
import { shorten } from "../core/text.ts";
import { UsageError } from "../errors.ts";

/**
 * Paths the user gave (`-C`, `--roster`, `--schedule`, init's directory)
 * that no command could follow: through a loop of symbolic links, longer
 * than the system takes, or through a file where a directory belongs. Each
 * is a usage error naming the path and what is wrong with it, before any
 * command reads or locks a file there. A path that does not exist yet is no
 * error here: init creates it, and the others say how to.
 */

/** What a path is, in words: "a directory", "a FIFO", "a device"... */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFile()) return "a file";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}

/** stat(2) of a path: its stats, nothing when it does not exist, or the error code it met. */
function statOf(file: string): { stats?: Stats; code?: string } {
  try {
    // Not `throwIfNoEntry: false`: from Node 22 that also hides ENOTDIR (a file on the way).
    return { stats: statSync(file) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "EIO";
    return code === "ENOENT" ? {} : { code };
  }
}

/** The error code of stat(2) on a path; undefined when it exists or simply does not. */
function statError(file: string): string | undefined {
  return statOf(file).code;
}

/** A message's subject: the path as given, then the part of it at fault when that is another. */
function subject(label: string, part: string): string {
  return part === label ? label : `${shorten(label)}: ${part}`;
}

/** `file` and each directory above it, the outermost first. */
function prefixes(file: string): string[] {
  const all: string[] = [];
  for (let current = file; ; current = path.dirname(current)) {
    all.unshift(current);
    if (path.dirname(current) === current) return all;
  }
}

/**
 * What is wrong with a path that stat(2) refuses with `code`: the part of it
 * at fault (undefined for the path as a whole) and what is wrong with that.
 */
function describeUnreachable(file: string, code: string): { part?: string; why: string } {
  if (code === "ENAMETOOLONG") {
    const longest = path
      .relative(path.parse(file).root, file)
      .split(path.sep)
      .reduce((most, name) => Math.max(most, Buffer.byteLength(name)), 0);
    return {
      why:
        longest > 255
          ? `a name in it is ${longest.toLocaleString("en-US")} bytes long, and file names have at most 255; use a shorter one`
          : `the path is ${file.length.toLocaleString("en-US")} characters long, more than the system can open; use a shorter path`,
    };
  }
  // The first part of the path at fault: stat(2) of each part in turn says which.
  for (const part of prefixes(file)) {
    const partCode = statError(part);
    if (partCode === "ELOOP") {
      return {
        part,
        why: "is a loop of symbolic links (each leads on to another, and back); point one of them at a real directory or file, or remove it",
      };
    }
    if (partCode === "EACCES") {
      return {
        part: path.dirname(part),
        why: "cannot be entered (permission denied); ask for access, or use another directory",
      };
    }
    if (partCode === undefined && part !== file) {
      const stats = statSync(part, { throwIfNoEntry: false });
      if (stats && !stats.isDirectory())
        return { part, why: `is ${kindOf(stats)}, not a directory` };
    }
  }
  return { why: `it cannot be opened (${code}); check the path` };
}

/**
 * Refuses a path no command could follow (see above). `label` says where it
 * came from (`-C ../support`), `display` shows a path as the user reads it;
 * `directory`: the path must be a directory where it exists (what `-C` names);
 * else it must be a file or a directory, and `save` says how to save a pipe or a device's bytes to a file.
 */
export function checkReachable(
  file: string,
  label: string,
  display: (file: string) => string,
  options: { directory?: boolean; save?: string } = {},
): void {
  const { stats, code } = statOf(file);
  if (code !== undefined) {
    const { part, why } = describeUnreachable(file, code);
    throw new UsageError(
      part === undefined
        ? `${shorten(label)}: ${why}`
        : `${subject(label, shorten(display(part)))} ${why}`,
    );
  }
  if (options.directory) {
    if (stats && !stats.isDirectory()) {
      throw new UsageError(`${shorten(label)}: it is ${kindOf(stats)}, not a directory`);
    }
    // A directory that does not exist yet is made (init) or said to be missing,
    // unless a link that leads nowhere stands where it would be.
    const dangling = stats ? undefined : danglingLink(file);
    if (dangling !== undefined) {
      throw new UsageError(
        `${subject(label, shorten(display(dangling.link)))} is a symbolic link to ${shorten(dangling.target)}, which does not exist: create that directory, or point the link at one that exists`,
      );
    }
  } else if (stats) {
    checkIsFile(stats, label, options.save);
  }
}

/**
 * Refuses a pipe (`--roster <(git show main:roster.yaml)`), a socket or a
 * device where rota reads a file: it reads a file (and writes beside it), and
 * a device such as /dev/zero never ends. `save` says how to make the file.
 * A directory is left to the caller, which says what to name in it.
 */
export function checkIsFile(
  stats: Stats,
  label: string,
  save = "save it to one first, e.g. `git show main:roster.yaml > other.yaml`",
): void {
  if (stats.isFile() || stats.isDirectory()) return;
  throw new UsageError(
    `${shorten(label)}: it is ${kindOf(stats)}, not a file; rota reads a file (${save})`,
  );
}

/** The first link on the way to a path that does not exist that leads nowhere, and where it points (as written). */
function danglingLink(file: string): { link: string; target: string } | undefined {
  for (const part of prefixes(file)) {
    let stats: Stats | undefined;
    try {
      stats = lstatSync(part, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (stats === undefined) return undefined;
    if (stats.isSymbolicLink() && !statSync(part, { throwIfNoEntry: false })) {
      return { link: part, target: readlinkSync(part) };
    }
  }
  return undefined;
}
