// What the bench removes while it runs is moved aside here and deleted only
// when the bench ends. On ext4 without a journal (this machine's disk), the
// kernel skips every inode freed in the last minute (six while its inode
// table is unwritten) when it picks one for a new file, one by one: a run
// creating 50,000 files just after 50,000 were deleted spent 10–15 s of
// system time in that scan (`recently_deleted()` in fs/ext4/ialloc.c), a
// cost of the bench's own deleting, not of the command timed. A rename
// frees no inode. The trash is written to disk once deleted, and a bench
// started within the minute after waits it out.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** When a bench last deleted its trash (ms since the epoch), for the next one to wait on. */
const DELETED = path.join(os.tmpdir(), `rota-bench-deleted-${process.getuid?.() ?? "user"}`);
/** How long after a deletion (written to disk) new files are slow to make: a minute, and a margin. */
const SLOW_AFTER_DELETING_MS = 75_000;

let trash;
let count = 0;

/** Moves a file or directory out of the way (into the bench's trash), if it exists. */
export function setAside(target) {
  if (!existsSync(target)) return;
  trash ??= mkdtempSync(path.join(os.tmpdir(), "rota-bench-trash-"));
  renameSync(target, path.join(trash, String(count++)));
}

process.on("exit", () => {
  if (!trash) return;
  rmSync(trash, { recursive: true, force: true });
  // Written to disk, the freed inodes are skipped for a minute, not six.
  spawnSync("sync", [], { stdio: "ignore" });
  writeFileSync(DELETED, String(Date.now()));
});

/**
 * How long to wait before timing anything, in ms: what is left of the
 * minute after an earlier bench deleted its trash (0 when none did lately),
 * during which the cases that create many files would pay for its deleting.
 */
export function waitAfterDeleting(now = Date.now()) {
  let deleted;
  try {
    deleted = Number(readFileSync(DELETED, "utf8"));
  } catch {
    return 0;
  }
  if (!Number.isFinite(deleted) || deleted > now) return 0;
  return Math.max(0, deleted + SLOW_AFTER_DELETING_MS - now);
}
