import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import pkg from "../../package.json" with { type: "json" };
import type { FileStamp } from "./files.ts";
import { linksOnTheWay } from "./inside.ts";

/*
 * rota's cache: `.rota/cache/` beside the roster, where commands keep what
 * saves them work next time (who's index of the roster, plan's last output).
 * Everything in it is a cache: a file that cannot be read, written or trusted
 * is simply not used. The directory ignores itself through its own
 * `.gitignore`, so no team has to change theirs, and nothing is read or
 * written through a symbolic link on the way to it (a `.rota` committed as a
 * link could otherwise send writes out of the repository).
 */

const IGNORE = "# rota's cache: never committed\n*\n";

/** The cache directory of the roster at `rosterPath`. */
export function cacheDirOf(rosterPath: string): string {
  return path.join(path.dirname(rosterPath), ".rota", "cache");
}

/** Whether the way to the cache holds no link (what does not exist yet holds none). */
async function noLinks(rosterPath: string, file: string): Promise<boolean> {
  return linksOnTheWay(path.dirname(rosterPath), file)
    .then((links) => links.length === 0)
    .catch(() => false);
}

/** The cache directory when it can be used: there is no link on the way to it. */
export async function usableCacheDir(rosterPath: string): Promise<string | undefined> {
  const dir = cacheDirOf(rosterPath);
  return (await noLinks(rosterPath, dir)) ? dir : undefined;
}

/** A cache file's text; undefined when it is missing, unreadable or reached through a link. */
export async function readCacheFile(rosterPath: string, name: string): Promise<string | undefined> {
  const file = path.join(cacheDirOf(rosterPath), name);
  if (!(await noLinks(rosterPath, file))) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** A cache file's bytes, as `readCacheFile` reads its text. */
export async function readCacheBytes(
  rosterPath: string,
  name: string,
): Promise<Buffer | undefined> {
  const file = path.join(cacheDirOf(rosterPath), name);
  if (!(await noLinks(rosterPath, file))) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Removes a cache file no longer used, where there is one; says nothing when it cannot. */
export async function removeCacheFile(rosterPath: string, name: string): Promise<void> {
  const file = path.join(cacheDirOf(rosterPath), name);
  try {
    if (await noLinks(rosterPath, file)) rmSync(file, { force: true });
  } catch {}
}

/**
 * Keeps a cache file, atomically (a reader sees the old text or the new one),
 * in the git-ignored cache directory. Says nothing when it cannot: the next
 * run does the work again.
 */
export async function writeCacheFile(
  rosterPath: string,
  name: string,
  content: string | Uint8Array,
): Promise<void> {
  const dir = cacheDirOf(rosterPath);
  const file = path.join(dir, name);
  const temporary = path.join(
    dir,
    `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    if (!(await noLinks(rosterPath, file))) return;
    mkdirSync(dir, { recursive: true });
    // Made just now: a link put there in between is not followed.
    if (!(await noLinks(rosterPath, file))) return;
    const ignore = path.join(dir, ".gitignore");
    try {
      writeFileSync(ignore, IGNORE, { flag: "wx" });
    } catch {}
    let ignored: boolean;
    try {
      ignored =
        lstatSync(ignore).isFile() && readFileSync(ignore, "utf8").split("\n").includes("*");
    } catch {
      ignored = false;
    }
    if (!ignored) return;
    writeFileSync(temporary, content, { flag: "wx" });
    renameSync(temporary, file);
    removeLeftovers(dir, name);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {}
  }
}

/** A run killed between writing and renaming leaves its temporary file: gone a minute later. */
function removeLeftovers(dir: string, name: string): void {
  const prefix = `.${name}.`;
  const now = Date.now();
  for (const entry of readdirSync(dir)) {
    if (!entry.startsWith(prefix) || !entry.endsWith(".tmp")) continue;
    const leftover = path.join(dir, entry);
    let stats: Stats | undefined;
    try {
      stats = lstatSync(leftover);
    } catch {}
    if (stats?.isFile() && now - stats.mtimeMs > 60_000) rmSync(leftover, { force: true });
  }
}

/** The key of a file's bytes, for what the cache keeps of it. */
export function digestOf(bytes: Uint8Array): string {
  // Loaded only here: most runs find their index by the file's stamp, and
  // node:crypto costs a start-up more than the rest of a small `rota who`.
  const { createHash } = process.getBuiltinModule("node:crypto");
  return createHash("sha256").update(bytes).digest("hex");
}

/** A file as read (io/files.ts), whose bytes a cache file is kept for. */
export interface CacheSource {
  bytes: Uint8Array;
  stamp?: FileStamp;
}

const digests = new WeakMap<Uint8Array, string>();

/** The SHA-256 of the source's bytes, computed once. */
function digestOfSource(source: CacheSource): string {
  let digest = digests.get(source.bytes);
  if (digest === undefined) {
    digest = digestOf(source.bytes);
    digests.set(source.bytes, digest);
  }
  return digest;
}

/**
 * What the cache keeps of a file (an index of the roster, of the schedule):
 * its data when it was made by this rota, in this `format`, from these bytes;
 * else undefined, and the file is read in full. The bytes are known the same
 * by the file's stamp, when the file had been left alone for a while when
 * both were read, or else by their SHA-256. `restamp` says the data holds an
 * older stamp of the same bytes (a checkout wrote them again): kept again, the
 * next run is spared the hash.
 */
export async function readKeyedCacheFile(
  rosterPath: string,
  name: string,
  format: number,
  source: CacheSource,
): Promise<{ data: Record<string, unknown>; restamp: boolean } | undefined> {
  let data: unknown;
  try {
    data = JSON.parse((await readCacheFile(rosterPath, name)) ?? "null");
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  const keyed = data as Record<string, unknown>;
  if (keyed.format !== format || keyed.rota !== pkg.version) return undefined;
  const stamp = source.stamp?.settled ? source.stamp.id : undefined;
  if (stamp !== undefined && keyed.stamp === stamp) return { data: keyed, restamp: false };
  if (keyed.sha256 !== digestOfSource(source)) return undefined;
  return { data: keyed, restamp: stamp !== undefined };
}

/** Keeps what `readKeyedCacheFile` reads back for the same format and bytes. */
export async function writeKeyedCacheFile(
  rosterPath: string,
  name: string,
  format: number,
  source: CacheSource,
  data: object,
): Promise<void> {
  const stamp = source.stamp?.settled ? source.stamp.id : undefined;
  const content = { format, rota: pkg.version, sha256: digestOfSource(source), stamp, ...data };
  await writeCacheFile(rosterPath, name, JSON.stringify(content));
}
