import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { FailedError } from "../errors.ts";
import { describeWriteError } from "./write.ts";

/** A file to write below a directory: a `/`-separated relative path and its text. */
export interface OutputFile {
  path: string;
  text: string;
}

export interface WriteReport {
  /** Absolute paths written (their content changed or they were new). */
  written: string[];
  /** Absolute paths whose content was already the same. */
  unchanged: string[];
  /** Absolute paths removed. */
  removed: string[];
}

/**
 * The absolute path of a relative one below a directory; throws when it would
 * land outside (ids are slugs, but a path is never trusted to stay inside).
 */
export function below(dir: string, relative: string): string {
  const full = path.join(dir, ...relative.split("/"));
  if (!full.startsWith(dir + path.sep)) {
    throw new FailedError(`refusing to write ${full}: it is outside ${dir}`);
  }
  return full;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Writes files below a directory, each atomically, skipping those whose content
 * is already the same (so that a regeneration changes no file's time), then
 * removes the files `stale` picks among those present: everything is rendered
 * before this is called, so a rendering error writes nothing.
 */
export async function writeOutputFiles(
  dir: string,
  files: readonly OutputFile[],
  stale: () => Promise<string[]> = async () => [],
  onWritten: () => void = () => {},
): Promise<WriteReport> {
  const report: WriteReport = { written: [], unchanged: [], removed: [] };
  const targets = files.map((file) => ({ full: below(dir, file.path), text: file.text }));
  // 50,000 personal feeds are 50,000 files: written several at a time, each
  // atomically, but more cheaply than write-file-atomic (which resolves the
  // real path, and reads and restores owner and mode, for every file): a
  // temporary file beside it, then a rename. They are regenerated from the
  // committed schedule, so they skip fsync; a crash leaves old or new files.
  // What is there already, one listing per directory: a new file needs no read.
  const present = new Set<string>();
  for (const dir of new Set(targets.map(({ full }) => path.dirname(full)))) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new FailedError(describeWriteError(dir, error));
    }
    for (const name of await listDirectory(dir)) present.add(path.join(dir, name));
  }
  const suffix = `.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const { full, text } = targets[i] as { full: string; text: string };
      if (present.has(full) && (await readIfExists(full)) === text) {
        report.unchanged.push(full);
      } else {
        const temporary = `${full}${suffix}`;
        try {
          await writeFile(temporary, text, "utf8");
          await rename(temporary, full);
        } catch (error) {
          await rm(temporary, { force: true }).catch(() => {});
          throw new FailedError(describeWriteError(full, error));
        }
        report.written.push(full);
      }
      onWritten();
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, targets.length) }, worker));
  report.written.sort();
  report.unchanged.sort();
  for (const full of await stale()) {
    try {
      await rm(full, { force: true });
    } catch (error) {
      throw new FailedError(`cannot remove ${full}: ${(error as Error).message}`);
    }
    report.removed.push(full);
  }
  return report;
}

/** The names in a directory, or none when it does not exist. */
export async function listDirectory(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}
