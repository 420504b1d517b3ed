import * as fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { lockFs, withLocks } from "../src/io/lock.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * Two rotas taking over one stale lock at once: the lock's holder is the
 * one that made the lock directory, and no other removes it while it holds it.
 */
/** fixes.yaml in a new directory, with a lock left by a rota that was killed a minute ago. */
function staleLock(): { file: string; lock: string } {
  const dir = tempDir();
  const lock = path.join(dir, ".fixes.yaml.lock");
  fs.mkdirSync(lock);
  const then = new Date(Date.now() - 60_000);
  fs.utimesSync(lock, then, then);
  return { file: path.join(dir, "fixes.yaml"), lock };
}

describe("a stale lock taken over by two rotas at once", () => {
  const stat = lockFs.stat;
  afterEach(() => {
    lockFs.stat = stat;
  });

  test("the later one leaves the first one's new lock alone, and waits for it", async () => {
    const { file, lock } = staleLock();

    // This rota finds it stale; before it removes it, another takes it over:
    // removes it and makes its own.
    let theirs: number | undefined;
    lockFs.stat = ((target: fs.PathLike, ...rest: unknown[]) => {
      const done = rest.at(-1) as (error: Error | null, stats?: fs.Stats) => void;
      stat(target, (error, found) => {
        if (!error && String(target) === lock && theirs === undefined) {
          fs.rmdirSync(lock);
          fs.mkdirSync(lock);
          theirs = fs.statSync(lock).ino;
        }
        done(error, found);
      });
    }) as typeof fs.stat;

    const notices: string[] = [];
    let worked = false;
    const running = withLocks(
      [{ file, shown: "fixes.yaml" }],
      { notice: (text) => notices.push(text), display: (shown) => path.basename(shown) },
      async () => {
        worked = true;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(theirs).toBeDefined();
    // The other rota's lock is where it made it, and this one waits.
    expect(fs.statSync(lock).ino).toBe(theirs);
    expect(worked).toBe(false);

    // The other rota finishes: this one takes its turn.
    fs.rmdirSync(lock);
    await running;
    expect(worked).toBe(true);
    expect(fs.existsSync(lock)).toBe(false);
    expect(notices.join("")).not.toContain("took over");
  });

  test("a file left where the lock goes is taken over like a lock, and nothing is left beside it", async () => {
    const { file, lock } = staleLock();
    fs.rmdirSync(lock);
    fs.writeFileSync(lock, "left here\n");
    const then = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, then, then);
    let worked = false;
    await withLocks(
      [{ file, shown: "fixes.yaml" }],
      { notice: () => {}, display: (shown) => path.basename(shown) },
      async () => {
        worked = true;
      },
    );
    expect(worked).toBe(true);
    expect(fs.readdirSync(path.dirname(lock))).toEqual([]);
  });

  test("a stale lock no one else takes is removed, and this rota's own lock whatever its time", async () => {
    const { file, lock } = staleLock();
    const notices: string[] = [];
    await withLocks(
      [{ file, shown: "fixes.yaml" }],
      { notice: (text) => notices.push(text), display: (shown) => path.basename(shown) },
      async () => {
        expect(fs.statSync(lock).mtimeMs).toBeGreaterThan(Date.now() - 20_000);
      },
    );
    expect(notices.join("")).toMatch(/^took over \.fixes\.yaml\.lock, left 60 s ago/);
    expect(fs.existsSync(lock)).toBe(false);
  });

  test("the first one, its lock made again by another meanwhile, stops before writing and leaves it", async () => {
    const dir = tempDir();
    const file = path.join(dir, "fixes.yaml");
    const lock = path.join(dir, ".fixes.yaml.lock");
    const running = withLocks(
      [{ file, shown: "fixes.yaml" }],
      { notice: () => undefined, display: (shown) => path.basename(shown) },
      async (check) => {
        await check();
        // Another rota, finding it stale a moment ago, removes it and makes its own.
        fs.rmdirSync(lock);
        fs.mkdirSync(lock);
        await check();
      },
    );
    await expect(running).rejects.toThrow(
      "rota lost its lock on fixes.yaml (.fixes.yaml.lock: it was removed and made again meanwhile), so it stopped before writing; run it again",
    );
    // The other rota's lock is its own to remove.
    expect(fs.existsSync(lock)).toBe(true);
  });
});
