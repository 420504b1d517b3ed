import { randomBytes } from "node:crypto";
import { unlinkSync } from "node:fs";
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

/** The temporary file beside `file` that the process `pid` writes it through. */
export function temporaryName(file: string, pid = process.pid): string {
  return `${file}.${MARKER}-${pid}-${randomBytes(4).toString("hex")}`;
}

/**
 * The process that wrote `name`, when it is one of rota's temporary names
 * for the file named `base` (see temporaryName); else undefined.
 */
export function temporaryWriter(base: string, name: string): number | undefined {
  if (!name.startsWith(`${base}.${MARKER}-`)) return undefined;
  const match = /^([1-9]\d{0,9})-[0-9a-f]{8}$/.exec(name.slice(base.length + MARKER.length + 2));
  return match ? Number(match[1]) : undefined;
}

// Temporary files being written: removed if the process stops on a signal
// (SIGKILL aside, which nothing can catch) or exits meanwhile.
const writing = new Set<string>();
let hooked = false;

function removeOnExit(tmp: string): void {
  writing.add(tmp);
  if (hooked) return;
  hooked = true;
  onExit(() => {
    for (const file of writing) {
      try {
        unlinkSync(file);
      } catch {
        // Renamed already, or gone.
      }
    }
  });
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
    writing.delete(tmp);
  }
}

/** The directory and name of the file that writeAtomically writes beside. */
export async function realLocation(file: string): Promise<{ dir: string; base: string }> {
  const real = await realpath(file).catch(() => file);
  return { dir: path.dirname(real), base: path.basename(real) };
}
