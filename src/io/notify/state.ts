import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { emptyLedger, type Ledger, parseLedger, renderLedger } from "../../core/notify/ledger.ts";
import { FailedError, UsageError } from "../../errors.ts";
import { writeFileSafely } from "../write.ts";

/**
 * The notify state file: what was sent, so that a run that comes twice or
 * late sends nothing twice. Written after every message that went out, so
 * that a run stopped halfway never sends those again. A lock file beside it
 * keeps two runs from sending at once.
 */

/** A lock older than this was left by a run that died: it is taken over. */
const STALE_LOCK_MS = 15 * 60_000;

export interface StateFile {
  ledger: Ledger;
  save(now: number): Promise<void>;
  release(): Promise<void>;
}

export async function readState(file: string, display: string): Promise<Ledger> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === "ENOENT") return emptyLedger();
    // A path the user chose, or made a directory: theirs to mend, as a --state directory is.
    if (code === "EISDIR") {
      throw new UsageError(
        `${display} is a directory, not the state file: it records what rota notify has sent; move the directory away, or pass --state with a file`,
      );
    }
    throw new FailedError(`cannot read ${display}: ${(error as Error).message}`);
  }
  const ledger = parseLedger(text);
  if (typeof ledger === "string") {
    throw new FailedError(
      `${display} cannot be read (${ledger}): it records what rota notify has sent; remove it to start afresh (messages due now may then go again)`,
    );
  }
  return ledger;
}

/** An error in words, without the path Node puts in its message (the caller names it). */
function describeError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ? `${code}: ${message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "")}` : message;
}

/** Opens the state for a run that sends: locked until `release`. */
export async function openState(file: string, display: string): Promise<StateFile> {
  const lock = `${file}.lock`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new FailedError(`cannot create the directory of ${display}: ${(error as Error).message}`);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, "wx");
      try {
        await handle.writeFile(`${process.pid}\n`);
      } catch (error) {
        // A full disk: the lock this run could not finish is not left behind.
        await handle.close().catch(() => undefined);
        await rm(lock, { force: true });
        throw error;
      }
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        // Not another run: the directory refuses the lock (read-only, full, not a real directory).
        throw new FailedError(
          `cannot create ${display}.lock, which keeps two runs from sending at once (${describeError(error)}); make its directory writable or pass --state with another file`,
        );
      }
      if (attempt > 0) {
        throw new FailedError(
          `another rota notify is sending (${display}.lock exists); if none is, remove the lock and run again`,
        );
      }
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age < STALE_LOCK_MS) {
        throw new FailedError(
          `another rota notify is sending (${display}.lock exists); if none is, remove the lock and run again`,
        );
      }
      await rm(lock, { force: true });
    }
  }
  let ledger: Ledger;
  try {
    ledger = await readState(file, display);
  } catch (error) {
    await rm(lock, { force: true });
    throw error;
  }
  // Channels send side by side; their saves are written one after another.
  let saving: Promise<void> = Promise.resolve();
  return {
    ledger,
    save: (now) => {
      saving = saving.then(() => writeFileSafely(file, renderLedger(ledger, now)));
      return saving;
    },
    release: () => rm(lock, { force: true }),
  };
}
