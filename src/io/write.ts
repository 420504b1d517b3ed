import { lstat, mkdir, readdir, unlink } from "node:fs/promises";
import path from "node:path";
import { FailedError } from "../errors.ts";
import { realLocation, temporaryWriter, writeAtomically } from "./atomic.ts";

/**
 * Writes a file atomically (temporary file, fsync, rename): a reader, or a
 * process killed mid-write, sees the old file or the new one, never a part.
 */
export async function writeFileSafely(
  file: string,
  content: string,
  /** The file as messages name it. */
  shown = file,
): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeAtomically(file, content);
  } catch (error) {
    throw new FailedError(describeWriteError(shown, error));
  }
}

/** A write failure in words, with what to do about it. */
export function describeWriteError(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return `cannot write ${file}: permission denied; check the directory's permissions`;
    case "EROFS":
      return `cannot write ${file}: the file system is read-only`;
    case "ENOSPC":
      return `cannot write ${file}: the disk is full; free some space and run the command again`;
    case "EDQUOT":
      return `cannot write ${file}: disk quota exceeded`;
    case "ENOTDIR":
      return `cannot write ${file}: a parent of it is a file, not a directory`;
    default:
      return `cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Whether `name` looks like a temporary file of `base` as rota wrote them
 * before its temporary names carried a marker (write-file-atomic's
 * `<base>.<n>`, n a 32-bit hash in decimal). A user's backup
 * (`roster.yaml.1`) looks the same, so such a file is never removed.
 */
export function isOlderTemporaryName(base: string, name: string): boolean {
  if (!name.startsWith(`${base}.`)) return false;
  const suffix = name.slice(base.length + 1);
  return /^(?:0|[1-9]\d{0,9})$/.test(suffix) && Number(suffix) <= 0xffffffff;
}

/** A file that a write of another file may have left behind. */
export interface Leftover {
  path: string;
  /** The process that wrote it, for one of rota's own temporary files. */
  writer?: number;
}

/**
 * Files beside `file` that writes of it may have left, plain files only:
 * rota's own temporary files (with the process that wrote each), and files
 * named like the temporary files of rota before their names were marked.
 */
export async function findLeftovers(file: string): Promise<Leftover[]> {
  const { dir, base } = await realLocation(file);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const found: Leftover[] = [];
  for (const name of names.sort()) {
    const writer = temporaryWriter(base, name);
    if (writer === undefined && !isOlderTemporaryName(base, name)) continue;
    const leftover = path.join(dir, name);
    const info = await lstat(leftover).catch(() => undefined);
    if (info?.isFile())
      found.push(writer === undefined ? { path: leftover } : { path: leftover, writer });
  }
  return found;
}

/** Whether the process `pid` is running (on this machine). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: running, as another user.
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * Removes rota's own temporary files of `file` whose rota is no longer
 * running: left by one killed mid-write (SIGKILL, or the machine stopping;
 * other signals clean up by themselves). Files that only look like
 * temporary files are kept. Only call it while no other process can be
 * writing `file` (holding its lock). Returns the paths removed.
 */
export async function removeLeftovers(file: string): Promise<string[]> {
  const removed: string[] = [];
  for (const leftover of await findLeftovers(file)) {
    if (leftover.writer === undefined || isRunning(leftover.writer)) continue;
    try {
      await unlink(leftover.path);
      removed.push(leftover.path);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}
