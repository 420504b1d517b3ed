import { randomBytes } from "node:crypto";
import { rmSync, unlinkSync } from "node:fs";
import { chmod, chown, open, realpath, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { onExit } from "signal-exit";

/**
 * The marker in the name of every temporary file rota writes. A user's own
 * file (a backup such as `roster.yaml.1` or `schedule.yaml.20240101`) never
 * has it, so a file with it is certainly rota's, and the run that holds the
 * file's lock may remove one whose rota is no longer running.
 */
const MARKER = "rota-tmp";

/**
 * The end of a temporary name of the process `pid`: `.rota-tmp-<pid>-<random>`.
 * A run writing many files (the site, the calendars) gives them all one.
 */
export function temporarySuffix(pid = process.pid): string {
  return `.${MARKER}-${pid}-${randomBytes(4).toString("hex")}`;
}

/** The temporary file beside `file` that the process `pid` writes it through. */
export function temporaryName(file: string, pid = process.pid): string {
  return `${file}${temporarySuffix(pid)}`;
}

/** A temporary name: the name it stands for, `.rota-tmp-`, the writer's pid, random hex. */
const TEMPORARY = new RegExp(`^(.+)\\.${MARKER}-([1-9]\\d{0,9})-[0-9a-f]{8}$`);

/**
 * The process that wrote `name`, when it is one of rota's temporary names
 * for the file named `base` (see temporaryName); else undefined.
 */
export function temporaryWriter(base: string, name: string): number | undefined {
  const temporary = temporaryOf(name);
  return temporary?.base === base ? temporary.writer : undefined;
}

/**
 * What `name` is the temporary name of (see temporaryName; a directory's
 * name too) and the process that wrote it, when it is one of rota's; else
 * undefined.
 */
export function temporaryOf(name: string): { base: string; writer: number } | undefined {
  const match = TEMPORARY.exec(name);
  return match ? { base: match[1] as string, writer: Number(match[2]) } : undefined;
}

// Temporary files (and directories, `true`) being written: removed if the
// process stops on a signal (SIGKILL aside, which nothing can catch) or exits
// meanwhile, once every thread writing them has stopped.
const writing = new Map<string, boolean>();
const writers = new Set<() => void>();
let hooked = false;

function hook(): void {
  if (hooked) return;
  hooked = true;
  onExit(() => {
    for (const stop of writers) stop();
    for (const [file, directory] of writing) {
      try {
        if (directory) rmSync(file, { recursive: true, force: true });
        else unlinkSync(file);
      } catch {
        // Renamed already, or gone.
      }
    }
  });
}

/**
 * Removes `tmp` (a directory and all it holds, with `directory`) should the
 * process exit or stop on a signal before `keepOnExit(tmp)`: for a temporary
 * file or directory that is renamed into place once written. Registering one
 * also means that SIGINT and SIGTERM no longer stop the process in the middle
 * of synchronous work: they are handled when it next waits.
 */
export function removeOnExit(tmp: string, directory = false): void {
  writing.set(tmp, directory);
  hook();
}

/** `tmp` was renamed into place (or removed): no longer removed on exit. */
export function keepOnExit(tmp: string): void {
  writing.delete(tmp);
}

/**
 * Registers `stop`, which stops another thread writing temporary files (at
 * once, synchronously, and for good), to run on exit before the temporary
 * files are removed, so that it creates none after. Returns the function that
 * unregisters it.
 */
export function stopOnExit(stop: () => void): () => void {
  writers.add(stop);
  hook();
  return () => writers.delete(stop);
}

/** Errors of chown and chmod that only mean the owner or mode stays as made. */
function isHarmless(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  const root = process.getuid?.() === 0;
  return code === "ENOSYS" || (!root && (code === "EINVAL" || code === "EPERM"));
}

/**
 * Replaces `file` with `content`: written to a temporary file beside the
 * file's real path (through a symbolic link), synced and renamed over it,
 * keeping its mode and, where allowed, its owner. Throws the file system's
 * error; the temporary file is removed on failure.
 */
export async function writeAtomically(file: string, content: string): Promise<void> {
  const real = await realpath(file).catch(() => file);
  const tmp = temporaryName(real);
  const existing = await stat(real).catch(() => undefined);
  removeOnExit(tmp);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    // "wx": a name no other file has, or the write fails rather than follow one.
    handle = await open(tmp, "wx", existing ? existing.mode & 0o7777 : 0o666);
    await handle.writeFile(content, "utf8");
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (existing) {
      await chown(tmp, existing.uid, existing.gid).catch((error: unknown) => {
        if (!isHarmless(error)) throw error;
      });
      // The mode open() was given lost the bits the umask masks.
      await chmod(tmp, existing.mode & 0o7777).catch((error: unknown) => {
        if (!isHarmless(error)) throw error;
      });
    }
    await rename(tmp, real);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw error;
  } finally {
    keepOnExit(tmp);
  }
}

/** The directory and name of the file that writeAtomically writes beside. */
export async function realLocation(file: string): Promise<{ dir: string; base: string }> {
  const real = await realpath(file).catch(() => file);
  return { dir: path.dirname(real), base: path.basename(real) };
}
