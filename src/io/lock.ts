import * as fs from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import lockfile from "proper-lockfile";
import { FailedError, InterruptedError } from "../errors.ts";
import { keepOnExit, removeOnExit } from "./atomic.ts";
import { findLeftovers, removeLeftovers } from "./write.ts";

/**
 * Locks that serialise rota's read-modify-writes of shared files: two runs
 * at once in one clone take turns instead of one overwriting the other's work.
 *
 * A lock is a directory (made with mkdir, which is atomic), by default
 * `.<name>.lock` beside the file it guards, so it lives on the same file
 * system and dies with the directory. The holder refreshes its time every
 * REFRESH_MS; one not refreshed for STALE_MS was left by a rota that was
 * killed, and the next run takes it over (and removes the temporary files
 * that rota left half-written, known by the marker in their names).
 */

/** A lock not refreshed for this long was left by a rota that stopped without releasing it. */
export const STALE_MS = 20_000;
/**
 * How often a held lock is refreshed. Planning holds the JavaScript thread
 * for seconds on a large roster, so refreshing often leaves a wide margin
 * before the lock could look stale: the thread may be busy for up to
 * STALE_MS - REFRESH_MS.
 */
const REFRESH_MS = 2_000;
/** How long to wait for a lock that another rota holds and keeps refreshing. */
const WAIT_MS = 5 * 60_000;
/** How long to wait before saying that rota is waiting. */
const QUIET_MS = 1_000;

export interface LockRequest {
  /** The file whose read-modify-write the lock serialises, absolute. */
  file: string;
  /** The lock directory; default `.<name>.lock` beside the file. */
  lockPath?: string;
  /** The file as messages name it. */
  shown: string;
}

/** Where messages about locks go, and how paths are shown in them. */
export interface LockReporter {
  notice(text: string): void;
  display(file: string): string;
}

export function defaultLockPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.lock`);
}

type Done = (error: NodeJS.ErrnoException | null) => void;

/**
 * The lock directories this process made and has not removed, with what
 * tells each from one made there later (its inode and birth time): its own
 * to remove whatever their time.
 */
const made = new Map<string, string>();

/** What tells a directory from another made at the same path later, or undefined when there is none. */
function identity(dir: string): string | undefined {
  try {
    const found = fs.statSync(dir);
    return `${found.dev}:${found.ino}:${found.birthtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * The file system proper-lockfile makes and removes lock directories with:
 * node's, except that a lock directory is made, or removed, and registered
 * for removal on exit (or unregistered) in one synchronous step. A SIGTERM or
 * Ctrl-C is handled between steps, so whenever it comes, a lock this process
 * holds is registered and rota's own exit handler removes it (see atomic.ts's
 * removeOnExit). proper-lockfile's removal on exit alone misses a lock made
 * but not yet recorded (while it probes the lock's time) or dropped from its
 * records but not yet removed.
 *
 * A lock of another rota is removed only when found stale, and proper-lockfile
 * found it so a moment before: time enough for a second rota to take the same
 * stale lock over and make its own, which the first would then remove, and
 * both would hold the lock (and one overwrite the other's work). So it is
 * moved aside first (a rename: whatever is there, in one step) and looked at
 * where it went: one refreshed meanwhile is put back for its holder, whose
 * lock it is (ELOCKED: this rota waits its turn), and only a stale one goes.
 */
export const lockFs = {
  ...fs,
  mkdir(dir: string, done: Done): void {
    try {
      fs.mkdirSync(dir);
    } catch (error) {
      process.nextTick(done, error as NodeJS.ErrnoException);
      return;
    }
    made.set(dir, identity(dir) ?? "");
    removeOnExit(dir, true);
    process.nextTick(done, null);
  },
  rmdir(dir: string, done: Done): void {
    try {
      if (made.has(dir)) fs.rmdirSync(dir);
      else if (!removeStale(dir)) {
        const held = Object.assign(new Error(`${dir} is held by another rota`), {
          code: "ELOCKED",
        });
        process.nextTick(done, held);
        return;
      }
    } catch (error) {
      // Gone already: whatever is made there next is not this process's to remove.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        made.delete(dir);
        keepOnExit(dir);
      }
      process.nextTick(done, error as NodeJS.ErrnoException);
      return;
    }
    made.delete(dir);
    keepOnExit(dir);
    process.nextTick(done, null);
  },
};

/**
 * Removes another rota's lock found stale, or puts it back (false) when it
 * is stale no longer: taken over by a third rota meanwhile. Throws ENOENT
 * when it is gone already.
 */
function removeStale(dir: string): boolean {
  const aside = `${dir}.stale-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
  fs.renameSync(dir, aside);
  if (fs.statSync(aside).mtimeMs < Date.now() - STALE_MS) {
    // Whatever it is: a lock directory, or a file someone left at its path.
    fs.rmSync(aside, { recursive: true, force: true });
    return true;
  }
  fs.renameSync(aside, dir);
  return false;
}

interface Held {
  request: LockRequest;
  lockPath: string;
  release?: () => Promise<void>;
  compromised?: Error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The lock's last refresh, or undefined when there is no lock. */
async function lockTime(lockPath: string): Promise<number | undefined> {
  try {
    return (await stat(lockPath)).mtimeMs;
  } catch {
    return undefined;
  }
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

async function acquire(held: Held, reporter: LockReporter, stop?: AbortSignal): Promise<void> {
  const { request, lockPath } = held;
  const shownLock = reporter.display(lockPath);
  const started = Date.now();
  let announced = false;
  const stopped = () =>
    new InterruptedError(
      announced
        ? `stopped while waiting for another rota to finish with ${request.shown} (lock: ${shownLock})`
        : `stopped before taking the lock on ${request.shown} (${shownLock})`,
    );
  for (let attempt = 0; ; attempt++) {
    if (stop?.aborted) throw stopped();
    const before = await lockTime(lockPath);
    try {
      held.release = await lockfile.lock(request.file, {
        lockfilePath: lockPath,
        realpath: false,
        stale: STALE_MS,
        update: REFRESH_MS,
        retries: 0,
        fs: lockFs,
        onCompromised: (error) => {
          // The default throws from a timer; rota checks before each write instead.
          held.compromised = error;
          // Another rota may have taken it over: on exit, its lock is not this one's to remove.
          made.delete(lockPath);
          keepOnExit(lockPath);
        },
      });
    } catch (error) {
      const code = errorCode(error);
      if (code === "ENOENT" && attempt === 0) {
        // The file's directory does not exist yet: the write would make it.
        await mkdir(path.dirname(lockPath), { recursive: true }).catch(() => undefined);
        continue;
      }
      if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
        // No lock can be made where the file is, so nothing can be written
        // there either: there is no write to protect, and the write itself,
        // if one is needed, says why it failed.
        return;
      }
      if (code !== "ELOCKED") {
        throw new FailedError(
          `cannot lock ${request.shown} (${shownLock}): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const waited = Date.now() - started;
      if (waited > WAIT_MS) {
        const refreshed = await lockTime(lockPath);
        throw new FailedError(
          `${request.shown} is still in use by another rota after ${seconds(waited)} ` +
            `(its lock ${shownLock} was refreshed ${refreshed === undefined ? "just now" : `${seconds(Date.now() - refreshed)} ago`}): ` +
            `run again when it has finished; if no rota is running, remove ${shownLock}`,
        );
      }
      if (!announced && waited >= QUIET_MS) {
        announced = true;
        reporter.notice(
          `waiting for another rota to finish with ${request.shown} (lock: ${shownLock}; one left by a rota that was killed is taken over after ${seconds(STALE_MS)})\n`,
        );
      }
      // Ctrl-C ends the wait at once: the holder may keep it for minutes.
      await delay(20 + Math.floor(Math.random() * 80), undefined, { signal: stop }).catch(
        () => undefined,
      );
      continue;
    }
    const tookOver = before !== undefined && before < Date.now() - STALE_MS;
    if (tookOver) {
      // A rota stopped while holding this lock (killed, or its machine
      // lost power): whatever it was writing was left half-done.
      reporter.notice(
        `took over ${shownLock}, left ${seconds(Date.now() - before)} ago by a rota that stopped without releasing it\n`,
      );
    }
    // Rota's own temporary files of this file whose rota has stopped; with
    // the lock held, no other rota can be writing one.
    for (const leftover of await removeLeftovers(request.file)) {
      reporter.notice(
        `removed ${reporter.display(leftover)}, a temporary file left by a rota that stopped while writing ${request.shown}\n`,
      );
    }
    if (tookOver) {
      // Named as rota named its temporary files before they were marked, but
      // so is a backup (`roster.yaml.1`): said, never removed.
      for (const leftover of await findLeftovers(request.file)) {
        if (leftover.writer !== undefined) continue;
        reporter.notice(
          `kept ${reporter.display(leftover.path)}: it may be a temporary file left by an older rota while writing ${request.shown}, or a backup; remove it if it is a leftover\n`,
        );
      }
    }
    return;
  }
}

/**
 * Runs `work` holding a lock on each file, taken in the order given (callers
 * keep one order: a note, the repository, the roster, the schedule, fixes.yaml).
 * Waits while another rota holds one. `work` awaits the `check` it is given
 * right before writing, which fails if a lock was lost meanwhile. When `stop`
 * is aborted (a Ctrl-C the caller holds off) before every lock is taken, the
 * wait ends with an InterruptedError and `work` does not run.
 */
export async function withLocks<T>(
  requests: readonly LockRequest[],
  reporter: LockReporter,
  work: (check: () => Promise<void>) => Promise<T>,
  stop?: AbortSignal,
): Promise<T> {
  const held: Held[] = [];
  // The longest time the thread was busy while holding the locks: planning a
  // very large roster holds it for seconds, and no refresh runs meanwhile.
  let lastTick = Date.now();
  let longestBusy = 0;
  const ticker = setInterval(() => {
    longestBusy = Math.max(longestBusy, Date.now() - lastTick);
    lastTick = Date.now();
  }, REFRESH_MS / 4);
  ticker.unref();
  const check = async () => {
    if (Math.max(longestBusy, Date.now() - lastTick) > STALE_MS / 2) {
      // Long enough for another run to find the lock stale and take it:
      // let the overdue refresh run, which finds out whether it did.
      await sleep(REFRESH_MS + 500);
    }
    for (const lock of held) {
      // Removed and made again by another rota (taking it over as stale, or
      // by hand): not this one's any more, whether or not a refresh has seen it.
      const own = made.get(lock.lockPath);
      if (lock.release && own && !lock.compromised && identity(lock.lockPath) !== own) {
        lock.compromised = new Error("it was removed and made again meanwhile");
        made.delete(lock.lockPath);
        keepOnExit(lock.lockPath);
      }
      if (lock.compromised) {
        throw new FailedError(
          `rota lost its lock on ${lock.request.shown} (${reporter.display(lock.lockPath)}: ${lock.compromised.message}), so it stopped before writing; run it again`,
        );
      }
    }
  };
  try {
    for (const request of requests) {
      const lockPath = request.lockPath ?? defaultLockPath(request.file);
      // The same file twice (--schedule naming the roster): one lock.
      if (held.some((lock) => lock.lockPath === lockPath)) continue;
      const lock: Held = { request, lockPath };
      held.push(lock);
      await acquire(lock, reporter, stop);
    }
    lastTick = Date.now();
    longestBusy = 0;
    return await work(check);
  } finally {
    clearInterval(ticker);
    for (const lock of held.reverse()) {
      await lock.release?.().catch(() => undefined);
    }
  }
}

/** Locks on files, reported on the command's standard error with paths as the user reads them. */
export function withFileLocks<T>(
  ctx: { err(text: string): void; display(file: string): string },
  files: readonly string[],
  work: (check: () => Promise<void>) => Promise<T>,
  stop?: AbortSignal,
): Promise<T> {
  const requests = files.map((file) => ({ file, shown: ctx.display(file) }));
  return withLocks(requests, { notice: (text) => ctx.err(text), display: ctx.display }, work, stop);
}
