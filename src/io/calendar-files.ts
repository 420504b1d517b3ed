import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { FailedError } from "../errors.ts";
import { writeFileSafely } from "./write.ts";

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
): Promise<WriteReport> {
  const report: WriteReport = { written: [], unchanged: [], removed: [] };
  const targets = files.map((file) => ({ full: below(dir, file.path), text: file.text }));
  for (const { full, text } of targets) {
    if ((await readIfExists(full)) === text) {
      report.unchanged.push(full);
      continue;
    }
    await writeFileSafely(full, text);
    report.written.push(full);
  }
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
