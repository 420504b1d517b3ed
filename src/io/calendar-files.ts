import { randomBytes } from "node:crypto";
import type { Dirent } from "node:fs";
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { FailedError, UsageError } from "../errors.ts";
import { kindOf, type Protected, realPathOf } from "./outputs.ts";
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
 * The list of what rota wrote in an output directory, by command, so that it
 * removes only its own files: a page, a feed or an invite it wrote and no
 * longer writes. Anything else in the directory is never removed, whatever
 * its name.
 */
export const MANIFEST = ".rota-manifest";

/** The commands that write output directories; each keeps its own list. */
export type Owner = "calendar" | "site" | "invites";
const OWNERS: readonly Owner[] = ["calendar", "invites", "site"];

/** What rota writes, so what a manifest may list: nothing else is ever removed. */
const REMOVABLE = /\.(?:ics|html|json)$/;

export interface OutputOptions {
  /** The command writing: its list in the manifest is the one updated. */
  owner: Owner;
  /** The flag that chose the directory (`--out`, `--invites`), for messages. */
  flag: string;
  /** Files never to be written over (the roster, the schedule). */
  protect?: readonly Protected[];
  /** A path as the user should read it. */
  display?: (file: string) => string;
  onWritten?: () => void;
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

/** The entries of a directory by name, or undefined when it does not exist. */
async function entriesOf(dir: string): Promise<Map<string, Dirent> | undefined> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return new Map(entries.map((entry) => [entry.name, entry]));
  } catch {
    return undefined;
  }
}

/**
 * Before anything is written: every directory on the way to a target is a
 * directory (or not there yet), every target is a plain file (or not there
 * yet), and none is the roster or the schedule. Returns what each existing
 * directory holds. Throws a UsageError listing every problem.
 */
async function checkTargets(
  dir: string,
  targets: readonly string[],
  options: OutputOptions,
): Promise<Map<string, Map<string, Dirent>>> {
  const display = options.display ?? ((file: string) => file);
  const advice = `move it away or choose another ${options.flag}`;
  const problems: string[] = [];
  const folders = new Set<string>();
  for (const target of targets) {
    for (let folder = path.dirname(target); ; folder = path.dirname(folder)) {
      if (folders.has(folder)) break;
      folders.add(folder);
      if (folder === dir || folder.length <= dir.length) break;
    }
  }
  const listings = new Map<string, Map<string, Dirent>>();
  const missing = new Set<string>();
  for (const folder of [...folders].sort((a, b) => a.length - b.length)) {
    if (missing.has(path.dirname(folder))) {
      missing.add(folder);
      continue;
    }
    let stats: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      stats = await stat(folder);
    } catch {
      missing.add(folder);
      continue;
    }
    if (!stats.isDirectory()) {
      problems.push(
        `${display(folder)} is ${kindOf(stats)}, where rota needs a directory: ${advice}`,
      );
      missing.add(folder);
      continue;
    }
    listings.set(folder, (await entriesOf(folder)) ?? new Map());
  }
  const protect = await Promise.all(
    (options.protect ?? []).map(async (entry) => ({
      ...entry,
      real: await realPathOf(entry.path),
    })),
  );
  const realFolders = new Map<string, string>();
  for (const target of targets) {
    const folder = path.dirname(target);
    const listing = listings.get(folder);
    if (!listing) continue;
    let real = realFolders.get(folder);
    if (real === undefined) {
      real = await realPathOf(folder);
      realFolders.set(folder, real);
    }
    const hit = protect.find((entry) => entry.real === path.join(real, path.basename(target)));
    if (hit) {
      problems.push(
        `${display(target)} is ${hit.what}, where rota would write a file: choose another ${options.flag}`,
      );
      continue;
    }
    const entry = listing.get(path.basename(target));
    if (!entry || entry.isFile()) continue;
    let stats: Awaited<ReturnType<typeof stat>> | undefined;
    if (entry.isSymbolicLink()) {
      stats = await stat(target).catch(() => undefined);
      if (!stats || stats.isFile()) continue; // a dangling link, or a link to a file: replaced
    } else {
      stats = await lstat(target);
    }
    problems.push(`${display(target)} is ${kindOf(stats)}, where rota writes a file: ${advice}`);
  }
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return listings;
}

type Manifest = Partial<Record<Owner, string[]>>;

/** Whether a manifest's entry is a path rota could have written below the directory. */
function isOwnPath(relative: unknown): relative is string {
  return (
    typeof relative === "string" &&
    REMOVABLE.test(relative) &&
    !relative.startsWith("/") &&
    !relative.includes("\\") &&
    !relative.includes("\0") &&
    relative.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..")
  );
}

/** Reads the manifest; one that is missing or unreadable lists nothing, so nothing is removed. */
async function readManifest(file: string): Promise<Manifest> {
  const text = await readIfExists(file);
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
  const manifest: Manifest = {};
  for (const owner of OWNERS) {
    const list = (value as Record<string, unknown>)[owner];
    if (Array.isArray(list)) manifest[owner] = list.filter(isOwnPath);
  }
  return manifest;
}

function renderManifest(manifest: Manifest): string {
  const body: Record<string, unknown> = {
    about:
      "The files rota wrote in this directory, by command. rota removes a file only when it is listed here and it no longer writes it; it never removes anything else.",
    version: 1,
  };
  for (const owner of OWNERS) {
    const list = manifest[owner];
    if (list && list.length > 0) body[owner] = [...new Set(list)].sort();
  }
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** Writes a file atomically (a temporary file beside it, then a rename). */
async function replaceFile(full: string, text: string, suffix: string): Promise<void> {
  const temporary = `${full}${suffix}`;
  try {
    await writeFile(temporary, text, "utf8");
    await rename(temporary, full);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw new FailedError(describeWriteError(full, error));
  }
}

/**
 * Writes files below a directory, each atomically, skipping those whose
 * content is already the same (so that a regeneration changes no file's
 * time), then removes the files this command wrote there before and no longer
 * writes, as its manifest lists them. Everything is rendered before this is
 * called and every target is checked before the first write, so a rendering
 * error or a device in the way writes nothing.
 */
export async function writeOutputFiles(
  dir: string,
  files: readonly OutputFile[],
  options: OutputOptions,
): Promise<WriteReport> {
  const report: WriteReport = { written: [], unchanged: [], removed: [] };
  const targets = files.map((file) => ({ full: below(dir, file.path), text: file.text }));
  const manifestFile = path.join(dir, MANIFEST);
  const listings = await checkTargets(
    dir,
    [...targets.map(({ full }) => full), manifestFile],
    options,
  );
  const present = (full: string) => listings.get(path.dirname(full))?.has(path.basename(full));
  const suffix = `.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;

  // The manifest lists a file before it is written, so that a run that stops
  // half-way still knows what it may have written.
  const before = await readManifest(manifestFile);
  const writing = files.map((file) => file.path);
  const previous = before[options.owner] ?? [];
  const during = renderManifest({ ...before, [options.owner]: [...previous, ...writing] });
  const onDisk = present(manifestFile) ? await readIfExists(manifestFile) : undefined;
  for (const folder of new Set([dir, ...targets.map(({ full }) => path.dirname(full))])) {
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw new FailedError(describeWriteError(folder, error));
    }
  }
  if (during !== onDisk) await replaceFile(manifestFile, during, suffix);

  // 50,000 personal feeds are 50,000 files: written several at a time, each
  // atomically, but more cheaply than write-file-atomic (which resolves the
  // real path, and reads and restores owner and mode, for every file): a
  // temporary file beside it, then a rename. They are regenerated from the
  // committed schedule, so they skip fsync; a crash leaves old or new files.
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < targets.length; i = next++) {
      const { full, text } = targets[i] as { full: string; text: string };
      if (present(full) && (await readIfExists(full)) === text) {
        report.unchanged.push(full);
      } else {
        await replaceFile(full, text, suffix);
        report.written.push(full);
      }
      options.onWritten?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, targets.length) }, worker));
  report.written.sort();
  report.unchanged.sort();

  // Only this command's own files that it no longer writes, and not one that
  // another command (rota site and rota calendar in one directory) still lists.
  const keep = new Set(writing);
  for (const owner of OWNERS) {
    if (owner !== options.owner) for (const file of before[owner] ?? []) keep.add(file);
  }
  const gone = [...new Set(previous)].filter((file) => !keep.has(file)).sort();
  for (const relative of gone) {
    const full = path.join(dir, ...relative.split("/"));
    let stats: Awaited<ReturnType<typeof lstat>>;
    try {
      stats = await lstat(full);
    } catch {
      continue; // removed already
    }
    // Replaced since by something rota does not write: left alone.
    if (!stats.isFile()) continue;
    try {
      await rm(full, { force: true });
    } catch (error) {
      throw new FailedError(`cannot remove ${full}: ${(error as Error).message}`);
    }
    report.removed.push(full);
    // Folders it emptied (a month of notes, a person's invites) go too.
    for (let folder = path.dirname(full); folder !== dir; folder = path.dirname(folder)) {
      if (
        !(await rmdir(folder).then(
          () => true,
          () => false,
        ))
      )
        break;
    }
  }
  const after = renderManifest({ ...before, [options.owner]: writing });
  if (after !== during) await replaceFile(manifestFile, after, suffix);
  return report;
}
