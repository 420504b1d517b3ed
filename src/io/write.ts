import { lstat, mkdir, readdir, realpath, unlink } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { FailedError } from "../errors.ts";

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
    await writeFileAtomic(file, content, { encoding: "utf8" });
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
 * Whether `name` is one of write-file-atomic's temporary names for `base`:
 * `<base>.<n>`, n a 32-bit hash in decimal (its `getTmpname`).
 */
export function isTemporaryName(base: string, name: string): boolean {
  if (!name.startsWith(`${base}.`)) return false;
  const suffix = name.slice(base.length + 1);
  return /^(?:0|[1-9]\d{0,9})$/.test(suffix) && Number(suffix) <= 0xffffffff;
}

/**
 * Files beside `file` named as writeFileSafely names its temporary files,
 * plain files only, with when each was last changed (epoch ms).
 */
export async function findLeftovers(file: string): Promise<{ path: string; mtimeMs: number }[]> {
  // write-file-atomic writes beside the file's real path.
  const real = await realpath(file).catch(() => file);
  const dir = path.dirname(real);
  const base = path.basename(real);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const found: { path: string; mtimeMs: number }[] = [];
  for (const name of names.filter((n) => isTemporaryName(base, n)).sort()) {
    const leftover = path.join(dir, name);
    const info = await lstat(leftover).catch(() => undefined);
    if (info?.isFile()) found.push({ path: leftover, mtimeMs: info.mtimeMs });
  }
  return found;
}

/**
 * Removes the temporary files that a write of `file` left when its process
 * was killed mid-write (SIGKILL, or the machine stopping; other signals
 * clean up by themselves): those findLeftovers finds that were changed at or
 * after `since` (epoch ms), so that an old file that merely looks like one
 * is kept. Only call it while no other process can be writing `file`
 * (holding its lock). Returns the paths removed.
 */
export async function removeLeftovers(file: string, since: number): Promise<string[]> {
  const removed: string[] = [];
  for (const leftover of await findLeftovers(file)) {
    if (leftover.mtimeMs < since) continue;
    try {
      await unlink(leftover.path);
      removed.push(leftover.path);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}
