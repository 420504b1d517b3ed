import type { Dirent } from "node:fs";
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { lstat, mkdir, readdir, readFile, rm, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import { FailedError, UsageError } from "../errors.ts";
import { keepOnExit, removeOnExit, temporaryOf, temporarySuffix } from "./atomic.ts";
import { type BackgroundWriter, makeHolds, startWriter } from "./background-writer.ts";
import { type Protected, realPathOf } from "./outputs.ts";
import { kindOf } from "./reach.ts";
import { describeWriteError, isRunning } from "./write.ts";

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
  /**
   * The folder of rota's or git's own data a file to be written there would
   * be in (`.git`, the field notes), if any: asked of every folder below the
   * directory (a `people/` that is a link into `.git`, say).
   */
  within?: (file: string) => Promise<string | undefined>;
  /** A path as the user should read it. */
  display?: (file: string) => string;
  onWritten?: () => void;
  /** Says what the writing did beside the files (leftovers it removed). */
  notice?: (text: string) => void;
  /**
   * Threads the writing may use (ROTA_THREADS, see io/threads.ts): with two
   * or more, a new directory of many files is written by a second thread
   * while this one renders (io/background-writer.ts).
   */
  threads?: number;
}

/** Files written between two looks for a signal (see heedSignals). */
const SIGNAL_EVERY = 256;

/**
 * Lets a signal that arrived meanwhile (Ctrl-C, SIGTERM) be handled: the
 * writing is synchronous, and a signal is only heard between tasks. Its
 * handler (see atomic.ts's removeOnExit) removes the temporary files and
 * stops the process.
 */
function heedSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Files a new directory must hold before a second thread writes them. */
const BACKGROUND_FILES = 1000;

/**
 * The absolute path of a relative one below a directory; throws when it would
 * land outside (ids are slugs, but a path is never trusted to stay inside).
 */
export function below(dir: string, relative: string): string {
  const full = path.join(dir, ...relative.split("/"));
  // The root of the file system ends in its separator already.
  if (!full.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep)) {
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
    const inside = await options.within?.(path.join(folder, "x"));
    if (inside) {
      problems.push(
        `${display(folder)}: its files would be ${inside}; choose another ${options.flag} or remove the link`,
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
  return parseManifest(await readIfExists(file));
}

/** A manifest's text (undefined: none) as `readManifest` reads it. */
function parseManifest(text: string | undefined): Manifest {
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

/**
 * Sets the command's own list in the manifest to `list(manifest as it is
 * now)`, keeping the other commands' lists as they are on disk at that
 * moment, not as they were when this run began: `rota calendar` and
 * `rota site` writing into one directory at once would otherwise each
 * write back the other's list as it first read it, and a file the other
 * began writing meanwhile would be listed nowhere, never to be removed.
 * Read and written under a lock on the manifest, held only for that.
 */
async function updateManifest(
  file: string,
  options: OutputOptions,
  list: (now: Manifest) => string[],
  suffix: string,
): Promise<void> {
  const { withLocks } = await import("./lock.ts");
  const display = options.display ?? ((each: string) => each);
  const request = {
    file,
    lockPath: path.join(path.dirname(file), `${MANIFEST}.lock`),
    shown: display(file),
  };
  const reporter = { notice: (text: string) => options.notice?.(text), display };
  await withLocks([request], reporter, async (check) => {
    const onDisk = await readIfExists(file);
    const now = parseManifest(onDisk);
    const text = renderManifest({ ...now, [options.owner]: list(now) });
    if (text === onDisk) return;
    await check();
    replaceFile(file, text, suffix);
  });
}

/** Writes a file atomically (a temporary file beside it, then a rename). */
function replaceFile(full: string, text: string | Buffer, suffix: string): void {
  const temporary = `${full}${suffix}`;
  removeOnExit(temporary);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, full);
  } catch (error) {
    // The message says what failed; a temporary file that cannot be removed
    // either (its directory gone) is not what the user needs to hear.
    try {
      rmSync(temporary, { force: true });
    } catch {}
    throw new FailedError(describeWriteError(full, error));
  } finally {
    keepOnExit(temporary);
  }
}

/** Write buffer, likewise: one file's bytes at a time, never a new buffer per file. */
let encoded = Buffer.allocUnsafe(256 * 1024);

/** A text's UTF-8 bytes, in the shared write buffer (valid until the next call). */
function encode(text: string): Buffer {
  // No UTF-16 unit takes more than 3 bytes in UTF-8 (a surrogate pair, two
  // units, takes 4), so a buffer of 3 bytes a unit always holds the text:
  // one pass over it, without measuring it first.
  // A text too long for that (the site's report of years of notes) is
  // measured first: three bytes a unit would keep tens of megabytes for the
  // rest of the run, most of them never used.
  if (encoded.length < text.length * 3) {
    const size = Buffer.byteLength(text, "utf8");
    if (encoded.length < size) encoded = Buffer.allocUnsafe(size);
  }
  return encoded.subarray(0, encoded.write(text, 0, "utf8"));
}

/** Whether a file holds exactly these bytes (the writer thread asks the same). */
const holds = makeHolds({ openSync, readSync, closeSync });

/**
 * Writes files below a directory, each atomically, skipping those whose
 * content is already the same (so that a regeneration changes no file's
 * time), then removes the files this command wrote there before and no longer
 * writes, as its manifest lists them.
 *
 * Every target is checked before the first write, so a device in the way
 * writes nothing. A file's text may be rendered only when read (the site's
 * pages are): each is rendered, compared with what is on disk and, when it
 * differs, written to a temporary file beside its target; only once every
 * file is rendered are the temporary files renamed into place, so a
 * rendering error changes nothing, and memory holds one file at a time.
 *
 * A directory that does not exist yet is built whole in a temporary
 * directory beside it, then renamed into place: it appears complete or not
 * at all, and each file costs no rename of its own.
 *
 * Nothing is fsynced: every file is regenerated from the committed inputs,
 * so a process killed part-way leaves each file old or new (and a new
 * directory absent), and after a power cut the next run writes again what
 * differs.
 */
export async function writeOutputFiles(
  dir: string,
  files: readonly OutputFile[],
  options: OutputOptions,
  /** Whether a directory that does not exist may be built aside and renamed into place. */
  build = true,
): Promise<WriteReport> {
  const report: WriteReport = { written: [], unchanged: [], removed: [] };
  const targets = files.map((file) => below(dir, file.path));
  const manifestFile = path.join(dir, MANIFEST);
  const listings = await checkTargets(dir, [...targets, manifestFile], options);
  const suffix = temporarySuffix();
  const leftovers = removeLeftovers(dir, listings);
  if (leftovers > 0) {
    const display = options.display ?? ((file: string) => file);
    options.notice?.(
      `removed ${leftovers === 1 ? "a temporary file" : `${leftovers} temporary files`} left by a rota that stopped while writing ${display(dir)}\n`,
    );
  }
  if (build && !listings.has(dir)) {
    const built = await buildDirectory(dir, files, targets, options, suffix);
    if (built) return built;
    // Something took its name meanwhile: write into it file by file (or fail
    // as that way fails).
    return writeOutputFiles(dir, files, options, false);
  }
  const present = (full: string) => listings.get(path.dirname(full))?.has(path.basename(full));

  // The manifest lists a file before it is written, so that a run that stops
  // half-way still knows what it may have written.
  const before = await readManifest(manifestFile);
  const writing = files.map((file) => file.path);
  const previous = before[options.owner] ?? [];
  for (const folder of new Set([dir, ...targets.map((full) => path.dirname(full))])) {
    try {
      await mkdir(folder, { recursive: true });
    } catch (error) {
      throw new FailedError(describeWriteError(folder, error));
    }
  }
  await updateManifest(
    manifestFile,
    options,
    (now) => [...(now[options.owner] ?? []), ...previous, ...writing],
    suffix,
  );

  // Synchronous calls, one file after another: with tens of thousands of
  // small files, a pool of asynchronous writes spends more time handing each
  // call to libuv's threads than the file system spends on it. With many
  // files and threads to spare, one second thread compares and writes them,
  // in order (io/background-writer.ts); those handed to it may each have a
  // temporary file until it tells which it wrote.
  const staged: string[] = [];
  const writer = backgroundWriter(files.length, options.threads, (temporary) =>
    temporary.endsWith(suffix) ? temporary.slice(0, -suffix.length) : dir,
  );
  const handed: string[] = [];
  try {
    for (let i = 0; i < files.length; i++) {
      const full = targets[i] as string;
      const text = (files[i] as OutputFile).text;
      if (writer) {
        handed.push(full);
        removeOnExit(`${full}${suffix}`);
        const waiting = writer.write(`${full}${suffix}`, text, present(full) ? full : undefined);
        if (waiting) await waiting;
      } else {
        const bytes = encode(text);
        if (present(full) && holds(full, bytes)) {
          report.unchanged.push(full);
        } else {
          removeOnExit(`${full}${suffix}`);
          try {
            writeFileSync(`${full}${suffix}`, bytes);
          } catch (error) {
            throw new FailedError(describeWriteError(full, error));
          } finally {
            staged.push(full);
          }
        }
      }
      options.onWritten?.();
      if (i % SIGNAL_EVERY === SIGNAL_EVERY - 1) await heedSignals();
    }
    if (writer) {
      await writer.finish();
      writer.written().forEach((written, i) => {
        const full = handed[i] as string;
        if (written) staged.push(full);
        else {
          keepOnExit(`${full}${suffix}`);
          report.unchanged.push(full);
        }
      });
      handed.length = 0;
    }
    // A Ctrl-C while the files were written stops the run here, before any
    // is renamed into place (their temporary files removed on the way out).
    await heedSignals();
    while (staged.length > 0) {
      const full = staged[staged.length - 1] as string;
      try {
        renameSync(`${full}${suffix}`, full);
      } catch (error) {
        throw new FailedError(describeWriteError(full, error));
      }
      keepOnExit(`${full}${suffix}`);
      staged.pop();
      report.written.push(full);
    }
  } catch (error) {
    // The writer stops before what it wrote is removed.
    await writer?.stop();
    throw error;
  } finally {
    for (const full of [...handed, ...staged]) {
      rmSync(`${full}${suffix}`, { force: true });
      keepOnExit(`${full}${suffix}`);
    }
  }
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
  await updateManifest(manifestFile, options, () => writing, suffix);
  // And one while they were renamed, once they all are.
  await heedSignals();
  return report;
}

/**
 * Removes rota's temporary files (see atomic.ts's temporaryName) of the files
 * it writes, in the folders listed, and the temporary directory a new `dir`
 * is built in, whose rota is no longer running: left by one killed while
 * writing (SIGKILL, or the machine stopping; other signals remove their own).
 * The process id in the name tells whose each is, so one that another rota
 * is writing is left alone. Returns how many were removed.
 */
function removeLeftovers(dir: string, listings: ReadonlyMap<string, Map<string, Dirent>>): number {
  let removed = 0;
  const remove = (full: string, recursive: boolean) => {
    try {
      rmSync(full, { recursive });
      removed += 1;
    } catch {
      // Gone already, or not ours to remove: left.
    }
  };
  for (const [folder, entries] of listings) {
    for (const [name, entry] of entries) {
      const temporary = temporaryOf(name);
      if (!temporary || !entry.isFile()) continue;
      if (!REMOVABLE.test(temporary.base) && temporary.base !== MANIFEST) continue;
      if (!isRunning(temporary.writer)) remove(path.join(folder, name), false);
    }
  }
  const parent = path.dirname(dir);
  const stage = `.${path.basename(dir)}`;
  let beside: Dirent[] = [];
  try {
    beside = readdirSync(parent, { withFileTypes: true });
  } catch {
    // No parent yet: nothing was built beside it.
  }
  for (const entry of beside) {
    const temporary = temporaryOf(entry.name);
    if (temporary?.base !== stage || !entry.isDirectory()) continue;
    if (!isRunning(temporary.writer)) remove(path.join(parent, entry.name), true);
  }
  return removed;
}

/**
 * Builds a directory that does not exist yet: every file in a temporary
 * directory beside it, then one rename. Returns undefined, having removed
 * what it built, when the directory appeared in the meantime.
 */
async function buildDirectory(
  dir: string,
  files: readonly OutputFile[],
  targets: readonly string[],
  options: OutputOptions,
  suffix: string,
): Promise<WriteReport | undefined> {
  const parent = path.dirname(dir);
  const stage = path.join(parent, `.${path.basename(dir)}${suffix}`);
  const made = new Set<string>([stage]);
  // Every target is below `dir` (see `below`): the same path below the stage,
  // without a path.relative and a path.join for each of 50,000 files.
  const prefix = dir + path.sep;
  const inStage = (full: string) =>
    full.startsWith(prefix)
      ? stage + full.slice(dir.length)
      : path.join(stage, path.relative(dir, full));
  let writer: BackgroundWriter | undefined;
  try {
    try {
      mkdirSync(parent, { recursive: true });
      removeOnExit(stage, true);
      mkdirSync(stage);
    } catch (error) {
      throw new FailedError(describeWriteError(dir, error));
    }
    writer = backgroundWriter(files.length, options.threads, (file) =>
      file.startsWith(stage + path.sep) ? dir + file.slice(stage.length) : dir,
    );
    /** Writes a file, or queues it for the writer (a promise when it had to wait first). */
    const write = (full: string, text: string): Promise<void> | undefined => {
      const file = inStage(full);
      const folder = path.dirname(file);
      try {
        if (!made.has(folder)) {
          mkdirSync(folder, { recursive: true });
          made.add(folder);
        }
        if (writer) return writer.write(file, text);
        writeFileSync(file, encode(text));
      } catch (error) {
        if (error instanceof FailedError) throw error; // the writer's, told already
        throw new FailedError(describeWriteError(full, error));
      }
      return undefined;
    };
    for (let i = 0; i < files.length; i++) {
      const waiting = write(targets[i] as string, (files[i] as OutputFile).text);
      if (waiting) await waiting;
      options.onWritten?.();
      if (i % SIGNAL_EVERY === SIGNAL_EVERY - 1) await heedSignals();
    }
    const manifest = renderManifest({ [options.owner]: files.map((f) => f.path) });
    const waiting = write(path.join(dir, MANIFEST), manifest);
    if (waiting) await waiting;
    if (writer) {
      const finishing = writer;
      writer = undefined;
      await finishing.finish();
    }
    await heedSignals();
    try {
      renameSync(stage, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST" || code === "ENOTEMPTY" || code === "ENOTDIR") {
        rmSync(stage, { recursive: true, force: true });
        return undefined;
      }
      throw new FailedError(describeWriteError(dir, error));
    }
  } catch (error) {
    // The writer stops before what it wrote is removed.
    await writer?.stop();
    rmSync(stage, { recursive: true, force: true });
    throw error;
  } finally {
    keepOnExit(stage);
  }
  return { written: [...targets].sort(), unchanged: [], removed: [] };
}

/**
 * A second thread to write many files, when there are threads to spare (and
 * one can be had; otherwise this one writes). A write it fails is told as
 * this thread tells one, naming the file the user knows (`target` of the
 * path it was given).
 */
function backgroundWriter(
  count: number,
  threads: number | undefined,
  target: (file: string) => string,
): BackgroundWriter | undefined {
  if (count < BACKGROUND_FILES || (threads ?? 1) < 2) return undefined;
  return startWriter((file, error) => new FailedError(describeWriteError(target(file), error)));
}
