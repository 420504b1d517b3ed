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
 * Removes the temporary files that a write of `file` left when its process
 * was killed mid-write (SIGKILL, or the machine stopping; other signals
 * clean up by themselves): plain files beside it named as writeFileSafely
 * names them, changed at or after `since` (epoch ms), so that an old file
 * that merely looks like one is kept. Only call it while no other process
 * can be writing `file` (holding its lock). Returns the paths removed.
 */
export async function removeLeftovers(file: string, since: number): Promise<string[]> {
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
  const removed: string[] = [];
  for (const name of names.filter((n) => isTemporaryName(base, n)).sort()) {
    const leftover = path.join(dir, name);
    const info = await lstat(leftover).catch(() => undefined);
    if (!info?.isFile() || info.mtimeMs < since) continue;
    try {
      await unlink(leftover);
      removed.push(leftover);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}
