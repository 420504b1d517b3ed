import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { parseNote } from "../src/core/notes/note.ts";
import { type CliResult, ROOT, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, bareRemoteOf, cloneOf, git, PLANNED_AT, teamRepo } from "./helpers/git.ts";
import { readSchedule } from "./helpers/repo.ts";

/**
 * Several rota processes at once in one clone, as when a team's scripts, an
 * editor's task and a person at a terminal all run it: every one either
 * succeeds with its work kept, or fails saying so. None may report success
 * for work that is gone.
 */

/** Starts every run at the same moment and waits for all of them. */
function atOnce(runs: (() => Promise<CliResult>)[]): Promise<CliResult[]> {
  return Promise.all(runs.map((run) => run()));
}

const NOTE = "notes/2026/11/2026-11-24-emea-grace.md";

/** A process id that no process has (above Linux's largest, 2^22). */
const DEAD_PID = 4_999_999;

function noteArgs(person: string, text: string): string[] {
  return [
    "notes",
    "--as",
    person,
    "--answer",
    `struggles=${text}`,
    "--answer",
    "fix=x",
    "--answer",
    "handled=1",
    "--answer",
    "mood=3",
  ];
}

function entryTexts(text: string): string[] {
  const parsed = parseNote(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.note.entries.map((entry) => String(entry.answers.struggles));
}

/**
 * Swaps that each apply whatever order they are recorded in (checked by
 * applying them in many orders): different people on different days, most
 * inside the freeze window, so no replan moves another swap's person.
 */
const SWAPS: [string, string, string][] = [
  ["2026-11-18/emea", "luca", "jony"],
  ["2026-11-19/emea", "hedy", "susan"],
  ["2026-11-20/emea", "margaret", "katherine"],
  ["2026-11-25/emea", "ken", "tim"],
  ["2026-11-26/emea", "guido", "steve"],
  ["2026-11-30/emea", "linus", "sheryl"],
  ["2026-12-15/emea", "hedy", "jony"],
  ["2026-12-16/emea", "margaret", "katherine"],
  ["2026-12-21/emea", "susan", "tim"],
  ["2026-12-23/emea", "steve", "sheryl"],
];

const PLANNING = { ROTA_NOW: PLANNED_AT };

/** Every swap is in the roster, the schedule has it, and the schedule is the roster's plan. */
async function expectAllSwapped(dir: string, swaps: [string, string, string][]) {
  const roster = parse(readFileSync(path.join(dir, "roster.yaml"), "utf8")) as {
    swaps?: { date: string; shift: string; out: string; in: string; reason?: string }[];
  };
  const recorded = (roster.swaps ?? []).map((s) => `${s.date}/${s.shift} ${s.out} ${s.in}`);
  // The example roster's own swap, then each of these once, in any order.
  expect(recorded[0]).toBe("2026-12-03/emea linus jony");
  expect(recorded.slice(1).toSorted()).toEqual(swaps.map((s) => s.join(" ")).toSorted());
  const entries = new Map(readSchedule(dir).map((entry) => [entry.id, entry]));
  for (const [occurrence, out, incoming] of swaps) {
    expect(entries.get(occurrence)?.people).toContain(incoming);
    expect(entries.get(occurrence)?.people).not.toContain(out);
  }
  const check = await rota(["plan", "--check"], { cwd: dir, env: PLANNING });
  expect(check.code, check.stdout + check.stderr).toBe(0);
}

/**
 * ROTA_STRESS=N runs every test of runs at once, and of locks left behind,
 * N times in a row (`ROTA_STRESS=50 npx vitest run test/concurrency.test.ts`):
 * a race that loses work once in many runs shows up there.
 */
const ROUNDS = Math.max(1, Math.floor(Number(process.env.ROTA_STRESS ?? 1)) || 1);
const rounds = Array.from({ length: ROUNDS }, (_, i) =>
  ROUNDS === 1 ? "" : ` (round ${i + 1} of ${ROUNDS})`,
);

for (const round of rounds) {
  describe(`rota notes, several at once in one clone${round}`, () => {
    test.each([2, 5, 10])(
      "%i runs for the same shift: every entry is in the note and in its own commit",
      async (n) => {
        const dir = await teamRepo();
        // Most write grace's note (one file); every third writes katherine's,
        // so commits of two files also meet in one index.
        const runs = Array.from({ length: n }, (_, i) => ({
          person: i % 3 === 2 ? "katherine" : "grace",
          text: `entry ${i + 1} of ${n}`,
        }));
        const results = await atOnce(
          runs.map(
            ({ person, text }) =>
              () =>
                rota(noteArgs(person, text), { cwd: dir, env: { ROTA_NOW: AFTER_SHIFTS } }),
          ),
        );
        for (const result of results) {
          expect(result.stderr).toMatch(/committed [0-9a-f]{7} notes\(2026-11-24\/emea\)/);
          expect(result.code, result.stderr).toBe(0);
        }
        for (const person of ["grace", "katherine"]) {
          const file = `notes/2026/11/2026-11-24-emea-${person}.md`;
          const texts = runs.filter((run) => run.person === person).map((run) => run.text);
          if (texts.length === 0) continue;
          // On disk and in the last commit: every entry, once.
          const onDisk = entryTexts(readFileSync(path.join(dir, file), "utf8"));
          expect(onDisk.toSorted()).toEqual(texts.toSorted());
          expect(entryTexts(git(dir, "show", `HEAD:${file}`))).toEqual(onDisk);
          // Commit by commit: each adds exactly one entry and removes none.
          const commits = git(dir, "log", "--reverse", "--format=%H", "--", file)
            .trim()
            .split("\n");
          expect(commits).toHaveLength(texts.length);
          let before: string[] = [];
          for (const commit of commits) {
            expect(git(dir, "show", "--name-only", "--format=", commit).trim()).toBe(file);
            const now = entryTexts(git(dir, "show", `${commit}:${file}`));
            expect(now.slice(0, -1)).toEqual(before);
            before = now;
          }
        }
        expect(git(dir, "status", "--porcelain", "--ignored")).toBe("");
      },
      60_000,
    );

    test("two people, four rounds: both notes are committed, each alone", async () => {
      const dir = await teamRepo();
      for (let round = 0; round < 4; round++) {
        const results = await atOnce(
          ["grace", "katherine"].map(
            (person) => () =>
              rota(noteArgs(person, `round ${round}`), {
                cwd: dir,
                env: { ROTA_NOW: AFTER_SHIFTS },
              }),
          ),
        );
        for (const result of results) expect(result.code, result.stderr).toBe(0);
      }
      const log = git(dir, "log", "--format=%s").trim().split("\n");
      expect(log.filter((s) => s === "notes(2026-11-24/emea): grace")).toHaveLength(4);
      expect(log.filter((s) => s === "notes(2026-11-24/emea): katherine")).toHaveLength(4);
      // Each commit holds one file.
      for (const hash of git(dir, "log", "--format=%H", "-8").trim().split("\n")) {
        expect(git(dir, "show", "--name-only", "--format=", hash).trim().split("\n")).toHaveLength(
          1,
        );
      }
      expect(git(dir, "status", "--porcelain")).toBe("");
      expect(readdirSync(path.join(dir, "notes/2026/11"))).toEqual([
        "2026-11-24-emea-grace.md",
        "2026-11-24-emea-katherine.md",
      ]);
      expect(entryTexts(readFileSync(path.join(dir, NOTE), "utf8"))).toHaveLength(4);
    }, 60_000);
  });

  describe(`rota swap and rota plan, several at once in one clone${round}`, () => {
    test.each([2, 5, 10])(
      "%i swaps at once: every one is recorded and planned",
      async (n) => {
        const dir = await teamRepo();
        const swaps = SWAPS.slice(0, n);
        const results = await atOnce(
          swaps.map((swap) => () => rota(["swap", ...swap], { cwd: dir, env: PLANNING })),
        );
        for (const result of results) {
          expect(result.code, result.stderr).toBe(0);
          expect(result.stderr).toContain("recorded in roster.yaml and replanned schedule.yaml");
        }
        await expectAllSwapped(dir, swaps);
      },
      60_000,
    );

    test("swaps and plans at once: the schedule written last is the plan of the roster written last", async () => {
      const dir = await teamRepo();
      const swaps = SWAPS.slice(0, 5);
      const runs = swaps.flatMap((swap) => [
        () => rota(["swap", ...swap], { cwd: dir, env: PLANNING }),
        () => rota(["plan", "--json"], { cwd: dir, env: PLANNING }),
      ]);
      const results = await atOnce(runs);
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      await expectAllSwapped(dir, swaps);
    }, 60_000);
  });

  describe(`rota notes --push while swaps run in the same clone${round}`, () => {
    test("the rebase of the push waits for the swaps: every swap recorded stays, nothing is left stashed", async () => {
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      // Each try: someone else has pushed, so the push is rejected and rota
      // rebases, carrying the swaps written so far over in git's autostash,
      // while more swaps are started around it.
      for (let attempt = 0; attempt < 2; attempt++) {
        const remote = bareRemoteOf(await teamRepo());
        const dir = cloneOf(remote, "Grace Hopper", "grace@example.com");
        const other = cloneOf(remote, "Katherine Johnson", "katherine@example.com");
        git(other, "commit", "-q", "--allow-empty", "-m", "Pushed meanwhile");
        git(other, "push", "-q");
        // A checkout hook (as git-lfs installs) that takes a moment: the
        // rebase, which runs it after stashing, holds the stash that long.
        const hook = path.join(dir, ".git", "hooks", "post-checkout");
        writeFileSync(hook, "#!/bin/sh\nsleep 0.5\n");
        chmodSync(hook, 0o755);
        const swaps = SWAPS.slice(0, 5);
        const [pushed, ...swapped] = await Promise.all([
          rota([...noteArgs("grace", `try ${attempt}`), "--push"], {
            cwd: dir,
            env: { ROTA_NOW: AFTER_SHIFTS },
          }),
          ...swaps.map((swap, i) =>
            sleep(150 * i).then(() => rota(["swap", ...swap], { cwd: dir, env: PLANNING })),
          ),
        ]);
        expect(pushed?.stderr).toMatch(/^pushed to origin \(after rebasing/m);
        expect(pushed?.code, pushed?.stderr).toBe(0);
        for (const result of swapped) {
          expect(result.code, result.stderr).toBe(0);
          expect(result.stderr).toContain("recorded in roster.yaml and replanned schedule.yaml");
        }
        await expectAllSwapped(dir, swaps);
        expect(existsSync(path.join(dir, ".git", "rebase-merge"))).toBe(false);
        expect(git(dir, "stash", "list")).toBe("");
        expect(git(dir, "status", "--porcelain")).toBe(" M roster.yaml\n M schedule.yaml\n");
        expect(git(remote, "log", "-1", "--format=%s", "main")).toBe(
          "notes(2026-11-24/emea): grace\n",
        );
      }
    }, 60_000);
  });

  describe(`a lock left by a rota that was killed${round}`, () => {
    /** Sets a file's times to `ms` ago. */
    const age = (file: string, ms: number) => {
      const then = new Date(Date.now() - ms);
      utimesSync(file, then, then);
    };

    test("is taken over at once when old, and the temporary files its rota left go", async () => {
      const dir = await teamRepo();
      // `rota swap`, killed while writing: both locks held, a temporary file
      // of each file half-written. Beside them, files that only look alike.
      for (const lock of [".roster.yaml.lock", ".schedule.yaml.lock"]) {
        mkdirSync(path.join(dir, lock));
        age(path.join(dir, lock), 60 * 60_000);
      }
      writeFileSync(
        path.join(dir, `roster.yaml.rota-tmp-${DEAD_PID}-0a1b2c3d`),
        "version: 1\nteam: Ac",
      );
      writeFileSync(
        path.join(dir, `schedule.yaml.rota-tmp-${DEAD_PID}-deadbeef`),
        "# Generated by",
      );
      const lookalikes = ["roster.yaml.bak", "schedule.yaml.20240101", "schedule.yaml.99999999999"];
      for (const name of lookalikes) {
        writeFileSync(path.join(dir, name), "a backup\n");
        age(path.join(dir, name), 3 * 24 * 60 * 60_000);
      }
      const result = await rota(["swap", ...(SWAPS[0] as [string, string, string])], {
        cwd: dir,
        env: PLANNING,
      });
      expect(result.code, result.stderr).toBe(0);
      // Taken over at once: rota says it is waiting after a second of it.
      expect(result.stderr).not.toContain("waiting for another rota");
      expect(result.stderr).toContain(
        "took over .roster.yaml.lock, left 60 min ago by a rota that stopped without releasing it\n" +
          `removed roster.yaml.rota-tmp-${DEAD_PID}-0a1b2c3d, a temporary file left by a rota that stopped while writing roster.yaml\n` +
          "took over .schedule.yaml.lock, left 60 min ago by a rota that stopped without releasing it\n" +
          `removed schedule.yaml.rota-tmp-${DEAD_PID}-deadbeef, a temporary file left by a rota that stopped while writing schedule.yaml\n` +
          // Named as older rotas named their temporary files: said, kept.
          "kept schedule.yaml.20240101: it may be a temporary file left by an older rota while writing schedule.yaml, or a backup; remove it if it is a leftover\n",
      );
      expect(
        readdirSync(dir)
          .filter((name) => /^(roster|schedule)\.yaml\.|\.lock$/.test(name))
          .sort(),
      ).toEqual(lookalikes.toSorted());
      await expectAllSwapped(dir, SWAPS.slice(0, 1));
    });

    test("a backup named like a temporary file is kept, however recent", async () => {
      const dir = await teamRepo();
      // A user's copy of the roster, edited just now, and the lock of a rota
      // killed 30 s ago.
      const backup = path.join(dir, "roster.yaml.1");
      writeFileSync(backup, `${readFileSync(path.join(dir, "roster.yaml"), "utf8")}# my edits\n`);
      mkdirSync(path.join(dir, ".roster.yaml.lock"));
      age(path.join(dir, ".roster.yaml.lock"), 30_000);
      const result = await rota(["swap", ...(SWAPS[0] as [string, string, string])], {
        cwd: dir,
        env: PLANNING,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^took over \.roster\.yaml\.lock, left \d+ s ago/m);
      expect(result.stderr).not.toContain("removed");
      expect(result.stderr).toContain(
        "kept roster.yaml.1: it may be a temporary file left by an older rota while writing roster.yaml, or a backup; remove it if it is a leftover\n",
      );
      expect(readFileSync(backup, "utf8")).toMatch(/# my edits\n$/);
      await expectAllSwapped(dir, SWAPS.slice(0, 1));
    });

    test("only temporary files of rotas that stopped are removed, without a lock taken over too", async () => {
      const dir = await teamRepo();
      // Its lock removed by hand after a rota was killed; and one named as the
      // rota running this test would name it: that rota is running.
      const stopped = `schedule.yaml.rota-tmp-${DEAD_PID}-0123abcd`;
      const running = `schedule.yaml.rota-tmp-${process.pid}-0123abcd`;
      for (const name of [stopped, running]) writeFileSync(path.join(dir, name), "# Generated by");
      const result = await rota(["plan"], { cwd: dir, env: PLANNING });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(
        `removed ${stopped}, a temporary file left by a rota that stopped while writing schedule.yaml\n`,
      );
      expect(existsSync(path.join(dir, stopped))).toBe(false);
      expect(existsSync(path.join(dir, running))).toBe(true);
    });

    test("left moments ago: the next run waits until it is stale, then takes it over", async () => {
      const dir = await teamRepo();
      const lock = path.join(dir, ".schedule.yaml.lock");
      mkdirSync(lock);
      // As if its rota was killed 10 s ago: stale 10 s from now, however
      // long this rota takes to start on a busy machine.
      age(lock, 10_000);
      const result = await rota(["plan"], { cwd: dir, env: PLANNING });
      expect(result.code, result.stderr).toBe(0);
      // It said it was waiting, then took the lock over once it was stale:
      // not refreshed for 20 s or more, never while it was fresh.
      const waiting = result.stderr.indexOf(
        "waiting for another rota to finish with schedule.yaml (lock: .schedule.yaml.lock; one left by a rota that was killed is taken over after 20 s)\n",
      );
      const tookOver = /took over \.schedule\.yaml\.lock, left (\d+) s ago/.exec(result.stderr);
      expect(waiting, result.stderr).toBeGreaterThanOrEqual(0);
      expect(tookOver?.index, result.stderr).toBeGreaterThan(waiting);
      expect(Number(tookOver?.[1])).toBeGreaterThanOrEqual(20);
      expect(existsSync(lock)).toBe(false);
    }, 30_000);
  });
}

describe("a lock lost while its holder was busy", () => {
  test("is noticed before writing: the run stops instead of overwriting another's work", async () => {
    const { withLocks } = await import("../src/io/lock.ts");
    const dir = await teamRepo();
    const file = path.join(dir, "schedule.yaml");
    const lock = path.join(dir, ".schedule.yaml.lock");
    const notices: string[] = [];
    const reporter = {
      notice: (text: string) => notices.push(text),
      display: (f: string) => path.relative(dir, f),
    };
    let wrote = false;
    const run = withLocks([{ file, shown: "schedule.yaml" }], reporter, async (check) => {
      // Planning a huge roster: the thread is busy for longer than half
      // the time after which a lock counts as stale, and meanwhile another
      // run took the lock over (it removed this one's and made its own).
      rmdirSync(lock);
      mkdirSync(lock);
      utimesSync(lock, new Date(Date.now() + 5_000), new Date(Date.now() + 5_000));
      // Held as a long computation holds it, without spending a core on it:
      // no timer, refresh or callback runs until it returns.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_500);
      await check();
      wrote = true;
    });
    await expect(run).rejects.toThrow(
      /^rota lost its lock on schedule\.yaml \(\.schedule\.yaml\.lock: .*\), so it stopped before writing; run it again$/,
    );
    expect(wrote).toBe(false);
  }, 30_000);
});

describe("a note edited by hand while rota notes commits an earlier entry", () => {
  test("the edit is committed on its own and kept, not written over by the new entry", async () => {
    const dir = await teamRepo();
    const env = { ROTA_NOW: AFTER_SHIFTS };
    const first = await rota([...noteArgs("grace", "entry A"), "--no-commit"], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    // A hook that takes its time, during which someone saves the note from
    // an editor, which knows nothing of rota's lock (the hook edits it itself,
    // once, to make that moment certain).
    const hook = path.join(dir, ".git", "hooks", "pre-commit");
    writeFileSync(
      hook,
      `#!/bin/sh\nif [ ! -e .git/edited ]; then touch .git/edited; printf 'Edited by hand.\\n' >> ${NOTE}; fi\n`,
    );
    chmodSync(hook, 0o755);
    const second = await rota(noteArgs("grace", "entry B"), { cwd: dir, env });
    expect(second.code, second.stderr).toBe(0);
    const text = readFileSync(path.join(dir, NOTE), "utf8");
    expect(text).toContain("Edited by hand.");
    expect(entryTexts(text)).toEqual(["entry A", "entry B"]);
    expect(git(dir, "show", `HEAD:${NOTE}`)).toBe(text);
    // Entry A, the edit, entry B: each a commit of its own.
    expect(git(dir, "log", "--format=%s", "-3").trim().split("\n")).toEqual(
      Array(3).fill("notes(2026-11-24/emea): grace"),
    );
    expect(git(dir, "show", "--format=", "HEAD~1")).toContain("\n+Edited by hand.\n");
    expect(git(dir, "status", "--porcelain")).toBe("");
  }, 60_000);
});

describe("a roster saved by hand while rota swap plans", () => {
  test("is read and planned again: the edit and the swap are both kept", async () => {
    const dir = await teamRepo();
    const edit = "# Saved from an editor while the swap was planned.\n";
    const result = await rota(["swap", "2026-11-25/emea", "ken", "tim"], {
      cwd: dir,
      env: {
        ...PLANNING,
        // The roster gets this line just before rota reads it again to write it.
        NODE_OPTIONS: `--require ${path.join(ROOT, "test", "helpers", "edit-at-read.cjs")}`,
        ROTA_TEST_EDIT: "roster.yaml",
        ROTA_TEST_EDIT_TEXT: edit,
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      "roster.yaml changed while the swap was planned: planning it again from it\n",
    );
    const roster = readFileSync(path.join(dir, "roster.yaml"), "utf8");
    expect(roster).toContain(edit);
    expect(roster).toContain("{ date: 2026-11-25, shift: emea, out: ken, in: tim }");
    const check = await rota(["plan", "--check"], { cwd: dir, env: PLANNING });
    expect(check.code, check.stdout + check.stderr).toBe(0);
  }, 60_000);
});
