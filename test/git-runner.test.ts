import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { gitIn } from "../src/io/git.ts";
import { commitAll, initRepo } from "./helpers/git.ts";

/** Taken before any test fakes timers: the bound on a git that should be done. */
const realSetTimeout = globalThis.setTimeout;

/** `promise`, or a failure naming `what` when it has not settled in 10 s of real time. */
function within<T>(what: string, promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const late = realSetTimeout(() => reject(new Error(`${what}: not done after 10 s`)), 10_000);
    promise.then(resolve, reject).finally(() => clearTimeout(late));
  });
}

describe("git as rota runs it", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /**
   * With timers faked, a wait on one never ends: these finish only because
   * git's output ending is what they wait for (simple-git alone waits 50 ms
   * more after a git that printed nothing, and keeps a 50 ms timer after each
   * git exits, which a command then waited for before ending).
   */
  test("a git that prints nothing is done when its output ends, and leaves no timer", async () => {
    const dir = initRepo();
    writeFileSync(path.join(dir, "a.txt"), "a\n");
    commitAll(dir, "first");
    writeFileSync(path.join(dir, "b.txt"), "b\n");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate"] });
    const git = gitIn(dir);
    expect(await within("git add", git.raw(["add", "b.txt"]))).toBe("");
    expect(
      await within("merge-base", git.raw(["merge-base", "--is-ancestor", "HEAD", "HEAD"])),
    ).toBe("");
    expect(await within("update-ref", git.raw(["update-ref", "refs/heads/copy", "HEAD"]))).toBe("");
    expect(await within("ls-files", git.raw(["ls-files", "--unmerged"]))).toBe("");
    // Output that is not empty is read whole, as before.
    expect(await within("rev-parse", git.raw(["rev-parse", "--is-inside-work-tree"]))).toBe(
      "true\n",
    );
    expect(await within("status", git.raw(["status", "--porcelain"]))).toBe("A  b.txt\n");
    expect(vi.getTimerCount()).toBe(0);
  });

  test("a git that fails quietly is still an error", async () => {
    const dir = initRepo();
    writeFileSync(path.join(dir, "a.txt"), "a\n");
    commitAll(dir, "first");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate"] });
    const head = (await within("rev-parse", gitIn(dir).raw(["rev-parse", "HEAD"]))).trim();
    await expect(
      within(
        "merge-base",
        gitIn(dir).raw(["merge-base", "--is-ancestor", head, "refs/heads/none"]),
      ),
    ).rejects.toThrow(/refs\/heads\/none|git exited with code/);
    await expect(
      within(
        "merge-base",
        gitIn(dir).raw([
          "merge-base",
          "--is-ancestor",
          "HEAD~0",
          "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        ]),
      ),
    ).rejects.toThrow();
    expect(vi.getTimerCount()).toBe(0);
  });
});
