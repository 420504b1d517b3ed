import {
  type ChildProcessWithoutNullStreams,
  execFileSync,
  spawn,
  spawnSync,
} from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseNote } from "../src/core/notes/note.ts";
import { BIN, outputOf, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, bareRemoteOf, cloneOf, git, teamRepo } from "./helpers/git.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * `rota notes --push` beside other work in the same clone: other rota notes
 * runs, other pushes, another rota's locks and files git does not track.
 * Whatever happens, no entry is lost without a word, and every message says
 * truthfully where the note is and how to finish.
 */

const GRACE = "notes/2026/11/2026-11-24-emea-grace.md";
const KATHERINE = "notes/2026/11/2026-11-24-emea-katherine.md";
const env = { ROTA_NOW: AFTER_SHIFTS };

function noteArgs(person: string, text: string, ...more: string[]): string[] {
  return ["notes", "--as", person, "--answer", `struggles=${text}`, "--answer", "fix=x", ...more];
}

function entryTexts(text: string): string[] {
  const parsed = parseNote(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.note.entries.map((entry) => String(entry.answers.struggles));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A remote that has moved on since the clone `mine` was made: someone pushed katherine's note. */
async function cloneBehind(): Promise<{ remote: string; mine: string; other: string }> {
  const remote = bareRemoteOf(await teamRepo());
  const mine = cloneOf(remote, "Grace Hopper", "grace@example.com");
  const other = cloneOf(remote, "Katherine Johnson", "katherine@example.com");
  const pushed = await rota(noteArgs("katherine", "Pushed first", "--push"), { cwd: other, env });
  expect(pushed.code, pushed.stderr).toBe(0);
  return { remote, mine, other };
}

/** rota as a process of its own (its own process group, as a terminal's job), with its stderr as it comes. */
function start(args: string[], cwd: string, more: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, ...env, ...more },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  }) as ChildProcessWithoutNullStreams;
  child.stdin.end();
  const result = outputOf(child);
  let stderr = "";
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const said = async (text: string) => {
    while (!stderr.includes(text)) {
      if (child.exitCode !== null)
        throw new Error(`rota ended without saying "${text}":\n${stderr}`);
      await sleep(20);
    }
  };
  return { child, result, said };
}

/** A lock that another rota holds and keeps fresh, until released. */
function holdLock(lock: string): { release(): void } {
  mkdirSync(lock, { recursive: true });
  const refresh = setInterval(() => utimesSync(lock, new Date(), new Date()), 250);
  return {
    release() {
      clearInterval(refresh);
      rmSync(lock, { recursive: true, force: true });
    },
  };
}

/** A directory holding a `git` that runs `script` (sh) first, then the real git: put first on PATH. */
function gitWrapper(script: string): string {
  const real = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  const dir = tempDir("rota-git-");
  const wrapper = path.join(dir, "git");
  writeFileSync(wrapper, `#!/bin/sh\nREAL='${real}'\n${script}\nexec "$REAL" "$@"\n`);
  chmodSync(wrapper, 0o755);
  return `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
}

describe("rota notes --push beside other work in the same clone", () => {
  test("a note written while --push rebases waits for the push, then is written and committed", async () => {
    const { remote, mine } = await cloneBehind();
    // The rebase of the push runs this hook once it has stashed the work
    // tree's changes: the first time, it says so and waits for the test.
    const started = path.join(mine, ".git", "rebase-started");
    const go = path.join(mine, ".git", "rebase-go");
    const wait = `const fs = require("fs"); fs.writeFileSync(process.argv[1], ""); const t = setInterval(() => { if (fs.existsSync(process.argv[2])) clearInterval(t); }, 20)`;
    const hook = path.join(mine, ".git", "hooks", "post-checkout");
    writeFileSync(
      hook,
      `#!/bin/sh\n[ -e '${started}' ] && exit 0\nexec '${process.execPath}' -e '${wait}' '${started}' '${go}'\n`,
    );
    chmodSync(hook, 0o755);
    // Locks of other rotas, which the test lets go one by one: the roster's
    // holds the push before its rebase, the note's the second run before it writes.
    const rosterLock = holdLock(path.join(mine, ".roster.yaml.lock"));
    const noteLock = path.join(mine, "notes/2026/11/.2026-11-24-emea-grace.md.lock");
    try {
      const pushing = start(noteArgs("grace", "A", "--push"), mine);
      await pushing.said("waiting for another rota to finish with roster.yaml");
      const noteHeld = holdLock(noteLock);
      // Another entry to the same note, without --push: it starts before the rebase does.
      const writing = start(noteArgs("grace", "B"), mine);
      await writing.said(`waiting for another rota to finish with ${GRACE}`);
      rosterLock.release();
      while (!existsSync(started)) await sleep(20);
      // The rebase is under way, its stash made: the second run goes on.
      noteHeld.release();
      await writing.said("waiting for another rota to finish with the repository's index");
      writeFileSync(go, "");
      const [a, b] = [await pushing.result, await writing.result];

      expect(a.stderr).toMatch(/^pushed to origin \(after rebasing onto changes pushed meanwhile/m);
      expect(a.code, a.stderr).toBe(0);
      expect(b.stderr).toMatch(/^added an entry to notes\/2026\/11\/2026-11-24-emea-grace\.md/m);
      expect(b.code, b.stderr).toBe(0);
      // Both entries: in the work tree, in the branch; the pushed one on the remote.
      expect(entryTexts(readFileSync(path.join(mine, GRACE), "utf8"))).toEqual(["A", "B"]);
      expect(entryTexts(git(mine, "show", `HEAD:${GRACE}`))).toEqual(["A", "B"]);
      expect(entryTexts(git(remote, "show", `main:${GRACE}`))).toEqual(["A"]);
      expect(git(mine, "status", "--porcelain")).toBe("");
      expect(git(mine, "stash", "list")).toBe("");
      expect(existsSync(path.join(mine, ".rota"))).toBe(false);
    } finally {
      rosterLock.release();
      writeFileSync(go, "");
    }
  }, 60_000);

  test("an entry taken out of the note before its commit is not called safe, and its answers finish it", async () => {
    const dir = await teamRepo();
    const first = await rota(noteArgs("grace", "First"), { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    // Another git command puts the note back as committed between the write and the commit.
    // (The file is the last argument of rota's `git add`.)
    const PATH = gitWrapper(
      `for last; do :; done; [ "$1" = add ] && "$REAL" checkout -q -- "$last"`,
    );
    const result = await rota(noteArgs("grace", "Second"), { cwd: dir, env: { ...env, PATH } });
    const saved = ".rota/recovered/2026-11-24-emea-grace.yaml";
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "rota: the note was written, but the commit failed: git found nothing to commit: the file is as the last commit has it, " +
        `and its entry is not in ${GRACE} any more: something changed the file after rota wrote it\n` +
        `Your answers are saved in ${saved}. To finish, run:\n` +
        `  rota notes --shift 2026-11-24/emea --as grace --answers ${saved}\n`,
    );
    expect(result.stderr).not.toContain("safe");
    expect(result.stderr).not.toContain("hook");

    // As the message says.
    const args = ["notes", "--shift", "2026-11-24/emea", "--as", "grace", "--answers", saved];
    const finished = await rota(args, { cwd: dir, env });
    expect(finished.code, finished.stderr).toBe(0);
    expect(entryTexts(git(dir, "show", `HEAD:${GRACE}`))).toEqual(["First", "Second"]);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("the note's commit rebased and pushed by another push from this clone: rota names the commit on the branch", async () => {
    const { remote, mine, other } = await cloneBehind();
    // As rota pushes, another push from this clone (a `git pull --rebase` and
    // `git push` in another terminal) rebases the note's commit and pushes it;
    // in the second round, someone pushes again then, and rota's push is rejected.
    const once = path.join(mine, ".git", "pushed-meanwhile");
    const PATH = gitWrapper(
      [
        `if [ "$1" = push ] && [ ! -e '${once}'-"$ROUND" ]; then`,
        `  : > '${once}'-"$ROUND"`,
        `  "$REAL" pull -q --rebase && "$REAL" push -q || exit 1`,
        `  if [ "$ROUND" = 2 ]; then`,
        `    cd '${other}' && "$REAL" pull -q && "$REAL" commit -q --allow-empty -m 'Pushed meanwhile' && "$REAL" push -q || exit 1`,
        "    cd - >/dev/null",
        "  fi",
        "fi",
      ].join("\n"),
    );
    const committedAs = (stderr: string) => /^committed ([0-9a-f]{7}) /m.exec(stderr)?.[1];
    const onRemote = (rev: string) => git(remote, "rev-parse", "--short=7", rev).trim();
    const pushBefore = () => {
      git(other, "pull", "-q");
      git(other, "commit", "-q", "--allow-empty", "-m", "Pushed before");
      git(other, "push", "-q");
    };

    const plain = await rota(noteArgs("grace", "Round 1", "--push"), {
      cwd: mine,
      env: { ...env, PATH, ROUND: "1" },
    });
    expect(plain.code, plain.stderr).toBe(0);
    expect(committedAs(plain.stderr)).not.toBe(onRemote("main"));
    expect(plain.stderr).toContain(
      `pushed to origin (rebased meanwhile by another push from this clone); the note's commit is now ${onRemote("main")}\n`,
    );

    pushBefore();
    const rejected = await rota(noteArgs("grace", "Round 2", "--push"), {
      cwd: mine,
      env: { ...env, PATH, ROUND: "2" },
    });
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(git(remote, "log", "-3", "--format=%s", "main")).toBe(
      "Pushed meanwhile\nnotes(2026-11-24/emea): grace\nPushed before\n",
    );
    expect(committedAs(rejected.stderr)).not.toBe(onRemote("main~1"));
    expect(rejected.stderr).toContain(
      `pushed to origin (after rebasing onto changes pushed meanwhile; 2 attempts); the note's commit is now ${onRemote("main~1")}\n`,
    );
  }, 60_000);

  test("a stop while waiting for another rota's lock before the rebase: rota says it was waiting, not rebasing", async () => {
    const { remote, mine } = await cloneBehind();
    // Another rota (a swap, say) holds the roster's lock, and keeps it fresh.
    const lock = path.join(mine, ".roster.yaml.lock");
    const held = holdLock(lock);
    try {
      const run = start(noteArgs("grace", "Mine", "--push"), mine);
      await run.said("waiting for another rota to finish with roster.yaml");
      run.child.kill("SIGTERM");
      const { code, stderr } = await run.result;
      const commit = git(mine, "rev-parse", "--short=7", "main").trim();
      expect(stderr).toContain(
        `rota: the note is committed (${commit}), but not pushed: rota was interrupted before git rebased it onto changes pushed meanwhile, ` +
          "while waiting for another rota to finish with roster.yaml (lock: .roster.yaml.lock)\n" +
          "Your branch and work tree are as they were before the push.\n" +
          "Nothing is lost: the commit is on your branch. To push it: git pull --rebase --autostash && git push\n",
      );
      expect(code).toBe(130);
      expect(git(mine, "log", "-1", "--format=%s", "main")).toBe("notes(2026-11-24/emea): grace\n");
      expect(git(remote, "log", "--format=%s", "main")).not.toContain("grace");
      expect(existsSync(lock)).toBe(true);
    } finally {
      held.release();
    }
  }, 60_000);

  test("a note not committed here, in the way of the same note pushed meanwhile: named, with commands that work", async () => {
    const remote = bareRemoteOf(await teamRepo());
    const mine = cloneOf(remote, "Grace Hopper", "grace@example.com");
    const other = cloneOf(remote, "Katherine Johnson", "katherine@example.com");
    const local = await rota(noteArgs("katherine", "Not committed", "--no-commit"), {
      cwd: mine,
      env,
    });
    expect(local.code, local.stderr).toBe(0);
    const pushed = await rota(noteArgs("katherine", "Pushed", "--push"), { cwd: other, env });
    expect(pushed.code, pushed.stderr).toBe(0);

    const result = await rota(noteArgs("grace", "Mine", "--push"), { cwd: mine, env });
    const commit = git(mine, "rev-parse", "--short=7", "main").trim();
    const aside = `mv -- ${KATHERINE} ${KATHERINE}.mine && git pull --rebase --autostash && git push`;
    expect(result.stderr).toContain(
      `rota: the note is committed (${commit}), but not pushed: ${KATHERINE} is in the way: ` +
        "not committed in this clone, and added by changes pushed meanwhile, so git cannot rebase your branch onto them\n" +
        "Nothing is lost: the commit is on your branch. To push it, move that file aside first (`git pull` stops on it too):\n" +
        `  ${aside}\n` +
        `Then add what is yours in ${KATHERINE}.mine to the pulled file (in a note: your entries, each from its <!-- rota:entry … --> line, after the last entry there), commit, and remove the .mine file.\n`,
    );
    expect(result.code).toBe(1);

    // As the message says.
    const byHand = spawnSync("sh", ["-c", aside], { cwd: mine, encoding: "utf8" });
    expect(byHand.status, byHand.stderr).toBe(0);
    expect(git(remote, "log", "-1", "--format=%s", "main")).toBe("notes(2026-11-24/emea): grace\n");
    expect(entryTexts(readFileSync(path.join(mine, KATHERINE), "utf8"))).toEqual(["Pushed"]);
    expect(entryTexts(readFileSync(path.join(mine, `${KATHERINE}.mine`), "utf8"))).toEqual([
      "Not committed",
    ]);
  }, 60_000);
});
