import { mkdir } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { FailedError } from "../errors.ts";

/**
 * Writes a file atomically (temporary file, fsync, rename): a reader, or a
 * process killed mid-write, sees the old file or the new one, never a part.
 */
export async function writeFileSafely(file: string, content: string): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, content, { encoding: "utf8" });
  } catch (error) {
    throw new FailedError(describeWriteError(file, error));
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
