// What the bench removes while it runs is moved aside here and deleted only
// when the bench ends. On ext4 without a journal (this machine's disk), the
// kernel skips every inode freed in the last minute (six while its inode
// table is unwritten) when it picks one for a new file, one by one: a run
// creating 50,000 files just after 50,000 were deleted spent 10–15 s of
// system time in that scan (`recently_deleted()` in fs/ext4/ialloc.c), a
// cost of the bench's own deleting, not of the command timed. A rename
// frees no inode.

import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

let trash;
let count = 0;

/** Moves a file or directory out of the way (into the bench's trash), if it exists. */
export function setAside(target) {
  if (!existsSync(target)) return;
  trash ??= mkdtempSync(path.join(os.tmpdir(), "rota-bench-trash-"));
  renameSync(target, path.join(trash, String(count++)));
}

process.on("exit", () => {
  if (trash) rmSync(trash, { recursive: true, force: true });
});
