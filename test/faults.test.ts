import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";
import { editFile } from "./helpers/edit.ts";
import { AFTER_SHIFTS, git, teamRepo } from "./helpers/git.ts";
import { tempDir } from "./helpers/tmp.ts";

const NOW = { ROTA_NOW: "2026-11-23T08:00:00Z" };

describe("a process killed while writing leaves the old file or the new one", () => {
  test("writeFileSafely, killed at random moments while replacing a large file", async () => {
    const dir = tempDir();
    // A small program that keeps replacing one file with rota's own writer.
    const script = path.join(dir, "writer.mjs");
    await build({
      stdin: {
        contents: `
          import { writeFileSafely } from ${JSON.stringify(path.join(ROOT, "src/io/write.ts"))};
          const file = process.argv[2];
          const a = "a".repeat(8 * 1024 * 1024), b = "b".repeat(8 * 1024 * 1024);
          for (let i = 0; ; i++) await writeFileSafely(file, i % 2 ? a : b);
        `,
        resolveDir: ROOT,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: script,
      logLevel: "error",
      banner: {
        js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url); const __filename = new URL(import.meta.url).pathname;',
      },
    });
    const target = path.join(dir, "schedule.yaml");
    writeFileSync(target, "old");
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, [script, target], { stdio: "ignore" });
      const closed = new Promise((resolve) => child.on("close", resolve));
      await new Promise((resolve) => setTimeout(resolve, 150 + round * 40));
      child.kill("SIGKILL");
      await closed;
      const text = readFileSync(target, "utf8");
      expect(["old", "a".repeat(8 * 1024 * 1024), "b".repeat(8 * 1024 * 1024)]).toContain(text);
    }
  });

  test("rota plan, killed at random moments: schedule.yaml is the old plan or the new one", async () => {
    const dir = tempDir();
    const { generateRoster } = await import("../bench/generate.mjs");
    const roster = generateRoster({ people: 1000, weeks: 12, shifts: 3, seats: 2 });
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    await rota(["plan"], { cwd: dir, env: NOW });
    const old = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    // A change: someone on the first shift leaves; the new plan differs.
    const leaver = /"people": \["(p\d+)"/.exec(old)?.[1] as string;
    const line = new RegExp(` {2}- \\{ id: ${leaver}, .*\\n`);
    expect(roster).toMatch(line);
    writeFileSync(path.join(dir, "roster.yaml"), roster.replace(line, ""));
    const fresh = await rota(["plan", "--dry-run", "--json"], { cwd: dir, env: NOW });
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toMatch(/ [1-9]\d* changes?/);
    // The lock a killed rota leaves, as it is a minute later: stale, so the
    // next run takes it over at once instead of waiting for it to become so.
    const lock = path.join(dir, ".schedule.yaml.lock");
    const ageLock = () => {
      const then = new Date(Date.now() - 60_000);
      if (existsSync(lock)) utimesSync(lock, then, then);
    };
    for (let round = 0; round < 5; round++) {
      ageLock();
      const child = spawn(process.execPath, [path.join(ROOT, "bin/rota.js"), "plan"], {
        cwd: dir,
        env: { ...process.env, ...NOW },
        stdio: "ignore",
      });
      // Listening first: a fast machine may finish the plan before the kill.
      const closed = new Promise((resolve) => child.on("close", resolve));
      await new Promise((resolve) => setTimeout(resolve, 150 + round * 120));
      child.kill("SIGKILL");
      await closed;
      const text = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
      if (text !== old) {
        // The new plan, whole: it validates and is what a full run writes.
        const check = await rota(["plan", "--check"], { cwd: dir, env: NOW });
        expect(check.code).toBe(0);
      }
    }
    // The next whole run leaves no lock and no temporary file behind (rota's
    // cache, .rota/cache/, may hold the last plan's output, and nothing else).
    ageLock();
    const cache = path.join(dir, ".rota", "cache");
    const aged = new Date(Date.now() - 120_000);
    for (const entry of existsSync(cache) ? readdirSync(cache) : []) {
      utimesSync(path.join(cache, entry), aged, aged);
    }
    await rota(["plan"], { cwd: dir, env: NOW });
    const after = await rota(["plan"], { cwd: dir, env: NOW });
    expect(after.code, after.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([".rota", "roster.yaml", "schedule.yaml"]);
    expect(readdirSync(cache).sort()).toEqual([".gitignore", "plan-output"]);
  }, 120_000);
});

describe("a Ctrl-C or SIGTERM while writing leaves no temporary file and no half-done change", () => {
  /** Runs the built CLI whose `rename`-th rename first sends it `signal` (test/helpers/signal-at-rename.cjs). */
  const signalled = (args: string[], dir: string, rename: number, signal: string) =>
    rota(args, {
      cwd: dir,
      env: {
        ...NOW,
        NODE_OPTIONS: `--require ${path.join(ROOT, "test", "helpers", "signal-at-rename.cjs")}`,
        ROTA_TEST_RENAME: String(rename),
        ROTA_TEST_SIGNAL: signal,
      },
    });

  /** Every path below `dir`, as `/`-separated relative paths. */
  const tree = (dir: string): string[] =>
    (readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join("/"));

  /** A planned example roster whose outputs are written, then a swap that changes them. */
  const changedOutputs = async (command: string) => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    expect((await rota(["plan"], { cwd: dir, env: NOW })).code).toBe(0);
    expect((await rota([command], { cwd: dir, env: NOW })).code).toBe(0);
    const schedule = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    const entry = schedule.split("\n").find((line) => line.includes('"2026-12-09/emea"')) as string;
    const out = JSON.parse(entry.slice(4)).people[1] as string;
    const incoming = out === "hedy" ? "jony" : "hedy";
    const swap = await rota(["swap", "2026-12-09/emea", out, incoming], { cwd: dir, env: NOW });
    expect(swap.code, swap.stderr).toBe(0);
    return dir;
  };

  for (const [command, outDir] of [
    ["site", "public"],
    ["calendar", "calendars"],
  ] as const) {
    test(`rota ${command}, stopped by SIGTERM while renaming its files into place: no temporary file is left`, async () => {
      const dir = await changedOutputs(command);
      const stopped = await signalled([command], dir, 2, "SIGTERM");
      expect(stopped.code).not.toBe(0);
      expect(tree(path.join(dir, outDir)).filter((file) => /tmp/.test(file))).toEqual([]);
      expect(readdirSync(dir).filter((file) => /tmp/.test(file))).toEqual([]);
      // Each file is the old one or the new one: the next run finishes the rest.
      const again = await rota([command], { cwd: dir, env: NOW });
      expect(again.code, again.stderr).toBe(0);
      expect(tree(path.join(dir, outDir)).filter((file) => /tmp/.test(file))).toEqual([]);
    });
  }

  test("rota site removes the temporary files of a rota killed while writing it (kill -9), and only those", async () => {
    const dir = await changedOutputs("site");
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => dead.on("close", resolve));
    const leftovers = [
      `public/index.html.rota-tmp-${dead.pid}-0123abcd`,
      `public/.rota-manifest.rota-tmp-${dead.pid}-0123abcd`,
      `.public.rota-tmp-${dead.pid}-4567cdef/index.html`,
    ];
    const kept = [
      `public/index.html.rota-tmp-${process.pid}-89abcdef`, // its rota is running
      "public/index.html.1", // a backup, whatever it looks like
      `public/notes.txt.rota-tmp-${dead.pid}-0123abcd`, // not a file rota writes
    ];
    for (const file of [...leftovers, ...kept]) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), "half\n");
    }
    const result = await rota(["site"], { cwd: dir, env: NOW });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      "removed 3 temporary files left by a rota that stopped while writing public\n",
    );
    for (const file of leftovers) expect(existsSync(path.join(dir, file)), file).toBe(false);
    expect(existsSync(path.join(dir, `.public.rota-tmp-${dead.pid}-4567cdef`))).toBe(false);
    for (const file of kept) expect(existsSync(path.join(dir, file)), file).toBe(true);
  });

  test("rota swap, Ctrl-C between its two writes: both are written, it says so, exit 130", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    expect((await rota(["plan"], { cwd: dir, env: NOW })).code).toBe(0);
    const schedule = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    const entry = schedule.split("\n").find((line) => line.includes('"2026-12-09/emea"')) as string;
    const out = JSON.parse(entry.slice(4)).people[1] as string;
    const incoming = out === "hedy" ? "jony" : "hedy";
    // The first rename puts the roster with the swap in place.
    const args = ["swap", "2026-12-09/emea", out, incoming, "--reason", "dentist"];
    const stopped = await signalled(args, dir, 1, "SIGINT");
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toBe(
      "rota: interrupted after the swap was recorded in roster.yaml and schedule.yaml; commit both\n",
    );
    expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toContain(
      `out: ${out}, in: ${incoming}, reason: dentist`,
    );
    const after = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    const swapped = after.split("\n").find((line) => line.includes('"2026-12-09/emea"')) as string;
    expect(JSON.parse(swapped.slice(4)).people).toContain(incoming);
    expect(JSON.parse(swapped.slice(4)).people).not.toContain(out);
    // The two agree: the schedule is the plan of the roster as it now is.
    const check = await rota(["plan", "--check"], { cwd: dir, env: NOW });
    expect(check.code, check.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["roster.yaml", "schedule.yaml"]);
  });

  test("rota plan, stopped by SIGTERM or Ctrl-C at many moments while it holds its lock: the lock goes with it", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "examples/olark.yaml"), path.join(dir, "roster.yaml"));
    const lock = path.join(dir, ".schedule.yaml.lock");
    const writing = () => readdirSync(dir).some((name) => name.includes(".rota-tmp-"));
    const left: string[] = [];
    for (let round = 0; round < 16; round++) {
      // No schedule yet: each run plans and writes a whole one.
      rmSync(path.join(dir, "schedule.yaml"), { force: true });
      const child = spawn(process.execPath, [path.join(ROOT, "bin/rota.js"), "plan"], {
        cwd: dir,
        env: { ...process.env, ...NOW },
        stdio: "ignore",
      });
      const closed = new Promise((resolve) => child.on("close", resolve));
      // Half the signals land as the lock is made, half as the plan is
      // written, just before the lock is released; each 0 to 6 ms after.
      const signal = round % 2 === 0 ? "SIGTERM" : "SIGINT";
      const when = round < 8 ? "the lock showed" : "the plan was being written";
      const seen = round < 8 ? () => existsSync(lock) : writing;
      const delay = (Math.floor(round / 2) % 4) * 2;
      const watch = setInterval(() => {
        if (!seen()) return;
        clearInterval(watch);
        setTimeout(() => child.kill(signal), delay);
      }, 0);
      await closed;
      clearInterval(watch);
      if (existsSync(lock) || writing()) left.push(`${signal} ${delay} ms after ${when}`);
      rmSync(lock, { recursive: true, force: true });
    }
    expect(left).toEqual([]);
    // The next run neither waits for a lock nor takes one over.
    const next = await rota(["plan"], { cwd: dir, env: NOW });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/waiting for another rota|took over/);
  }, 120_000);
});

describe("a write that fails says why and loses nothing", () => {
  const asRoot = process.getuid?.() === 0;
  /** Runs the CLI as an unprivileged user when we are root (root ignores permissions). */
  function asUser(args: string[], cwd: string, input?: string) {
    const argv = asRoot
      ? [
          "setpriv",
          "--reuid=nobody",
          "--regid=nogroup",
          "--clear-groups",
          process.execPath,
          path.join(ROOT, "bin/rota.js"),
          ...args,
        ]
      : [process.execPath, path.join(ROOT, "bin/rota.js"), ...args];
    try {
      const stdout = execFileSync(argv[0] as string, argv.slice(1), {
        cwd,
        env: { ...process.env, ...NOW, HOME: cwd },
        encoding: "utf8",
        stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        ...(input === undefined ? {} : { input }),
      });
      return { code: 0, stdout, stderr: "" };
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      return { code: e.status, stdout: e.stdout, stderr: e.stderr };
    }
  }

  test("a read-only directory: exit 1, the reason, and the roster untouched", () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    chmodSync(dir, 0o555);
    chmodSync(path.join(dir, "roster.yaml"), 0o444);
    try {
      const result = asUser(["plan", "--json"], dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^rota: cannot write .*schedule\.yaml: permission denied; check the directory's permissions\n$/m,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(path.join(dir, "schedule.yaml"))).toBe(false);
      expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toBe(
        readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8"),
      );
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  test("a full disk (simulated): exit 1, how to recover, and the old schedule intact", async () => {
    const { vi } = await import("vitest");
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const { runInProcess } = await import("./helpers/in-process.ts");
    expect((await runInProcess(["plan"], { cwd: dir, env: NOW })).code).toBe(0);
    const before = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    editFile(path.join(dir, "roster.yaml"), / {2}- id: tim\n(?: {4}.*\n)+/, "");
    vi.resetModules();
    vi.doMock("../src/io/atomic.ts", async (original) => ({
      ...(await original<typeof import("../src/io/atomic.ts")>()),
      writeAtomically: async () => {
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
          code: "ENOSPC",
        });
      },
    }));
    try {
      const { runInProcess: run } = await import("./helpers/in-process.ts");
      const result = await run(["plan", "--dry-run"], { cwd: dir, env: NOW });
      expect(result.code).toBe(0); // a dry run writes nothing, so nothing fails
      const failed = await run(["plan"], { cwd: dir, env: NOW });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(
        /rota: cannot write .*schedule\.yaml: the disk is full; free some space and run the command again\n$/,
      );
      expect(readFileSync(path.join(dir, "schedule.yaml"), "utf8")).toBe(before);
    } finally {
      vi.doUnmock("../src/io/atomic.ts");
      vi.resetModules();
    }
  });

  test("a swap whose schedule cannot be written (a full disk) puts the roster back: nothing changed", async () => {
    const { vi } = await import("vitest");
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const { runInProcess } = await import("./helpers/in-process.ts");
    expect((await runInProcess(["plan"], { cwd: dir, env: NOW })).code).toBe(0);
    const roster = readFileSync(path.join(dir, "roster.yaml"), "utf8");
    const schedule = readFileSync(path.join(dir, "schedule.yaml"), "utf8");
    vi.resetModules();
    vi.doMock("../src/io/atomic.ts", async (original) => {
      const real = await original<typeof import("../src/io/atomic.ts")>();
      return {
        ...real,
        writeAtomically: async (file: string, ...rest: unknown[]) => {
          if (file.endsWith("schedule.yaml")) {
            throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
              code: "ENOSPC",
            });
          }
          return (real.writeAtomically as (...args: unknown[]) => Promise<void>)(file, ...rest);
        },
      };
    });
    try {
      const { runInProcess: run } = await import("./helpers/in-process.ts");
      const entry = schedule
        .split("\n")
        .find((line) => line.includes('"2026-12-09/emea"')) as string;
      const out = JSON.parse(entry.slice(4)).people[1] as string;
      const incoming = out === "hedy" ? "jony" : "hedy";
      const failed = await run(["swap", "2026-12-09/emea", out, incoming], { cwd: dir, env: NOW });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(
        /^rota: cannot write schedule\.yaml: the disk is full; free some space and run the command again\n/m,
      );
      expect(failed.stderr).toContain("roster.yaml was put back as it was: nothing changed");
      expect(readFileSync(path.join(dir, "roster.yaml"), "utf8")).toBe(roster);
      expect(readFileSync(path.join(dir, "schedule.yaml"), "utf8")).toBe(schedule);
    } finally {
      vi.doUnmock("../src/io/atomic.ts");
      vi.resetModules();
    }
  });

  const ANSWERS_YAML = "struggles: |\n  Typed once,\n  piped in.\nfix: the export\nhandled: 3\n";

  test("a note that cannot be written is refused before its answers are read", async () => {
    const dir = await teamRepo();
    chmodSync(dir, 0o555);
    try {
      const result = asUser(
        ["notes", "--no-commit", "--as", "grace", "--answers", "-"],
        dir,
        ANSWERS_YAML,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "rota: cannot write notes/2026/11/2026-11-20-emea-grace.md: permission denied; check the directory's permissions\n",
      );
      expect(existsSync(path.join(dir, "notes"))).toBe(false);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  test("a full disk (simulated) while writing a note: answers from standard input are saved", async () => {
    const { vi } = await import("vitest");
    const dir = await teamRepo();
    vi.resetModules();
    vi.doMock("../src/io/atomic.ts", async (original) => ({
      ...(await original<typeof import("../src/io/atomic.ts")>()),
      writeAtomically: async () => {
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
          code: "ENOSPC",
        });
      },
    }));
    let failed: Awaited<ReturnType<typeof import("./helpers/in-process.ts").runInProcess>>;
    try {
      const { runInProcess: run } = await import("./helpers/in-process.ts");
      failed = await run(["notes", "--as", "grace", "--answers", "-"], {
        cwd: dir,
        env: { ROTA_NOW: AFTER_SHIFTS },
        input: ANSWERS_YAML,
      });
    } finally {
      vi.doUnmock("../src/io/atomic.ts");
      vi.resetModules();
    }
    const saved = ".rota/recovered/2026-11-24-emea-grace.yaml";
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      new RegExp(
        "rota: cannot write notes/2026/11/2026-11-24-emea-grace\\.md: the disk is full; free some space and run the command again\n" +
          `Your answers are saved in ${saved.replaceAll(".", "\\.")}\\. To finish, run:\n` +
          `  rota notes --shift 2026-11-24/emea --as grace --answers ${saved.replaceAll(".", "\\.")}\n$`,
      ),
    );
    expect(git(dir, "status", "--porcelain")).toBe("");
    // The saved file is an answers file: the command above finishes the note.
    const finished = await rota(
      ["notes", "--shift", "2026-11-24/emea", "--as", "grace", "--answers", saved],
      { cwd: dir, env: { ROTA_NOW: AFTER_SHIFTS } },
    );
    expect(finished.code, finished.stderr).toBe(0);
    const note = readFileSync(path.join(dir, "notes/2026/11/2026-11-24-emea-grace.md"), "utf8");
    expect(note).toContain("Typed once,\npiped in.");
    expect(existsSync(path.join(dir, saved))).toBe(false);
  });

  test("a .gitignore that a full disk left empty is written again: saved answers are never committed", async () => {
    const { saveRecovery } = await import("../src/io/recovery.ts");
    const dir = await teamRepo();
    // What an earlier rota left when the disk filled while it made the folder.
    mkdirSync(path.join(dir, ".rota/recovered"), { recursive: true });
    writeFileSync(path.join(dir, ".rota/recovered/.gitignore"), "");
    const saved = await saveRecovery(dir, "2026-11-24-emea-grace", ANSWERS_YAML);
    expect(saved).toBe(path.join(dir, ".rota/recovered/2026-11-24-emea-grace.yaml"));
    expect(readFileSync(saved as string, "utf8")).toBe(ANSWERS_YAML);
    git(dir, "add", "-A");
    expect(git(dir, "status", "--porcelain", "--untracked-files=all")).toBe("");
  });

  test("answers on standard input that are refused are saved, to be corrected and passed back", async () => {
    const dir = await teamRepo();
    const head = git(dir, "rev-parse", "HEAD").trim();
    const refused = await rota(["notes", "--as", "grace", "--answers", "-"], {
      cwd: dir,
      env: { ROTA_NOW: AFTER_SHIFTS },
      input: ANSWERS_YAML.replace("handled: 3", "handled: many"),
    });
    const saved = ".rota/recovered/2026-11-24-emea-grace.yaml";
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "rota: the answers have problems:\n" +
        '  stdin:5: handled: expected a number, not "many"\n' +
        `Your answers from standard input are saved in ${saved}: correct them there, then run:\n` +
        `  rota notes --shift 2026-11-24/emea --as grace --answers ${saved}\n`,
    );
    expect(git(dir, "rev-parse", "HEAD").trim()).toBe(head);
    expect(git(dir, "status", "--porcelain", "--untracked-files=all")).toBe("");
    // Every piped line is in the file, below a comment saying why it is there.
    const text = readFileSync(path.join(dir, saved), "utf8");
    expect(text.endsWith(ANSWERS_YAML.replace("handled: 3", "handled: many"))).toBe(true);
    writeFileSync(path.join(dir, saved), text.replace("handled: many", "handled: 3"));
    const finished = await rota(
      ["notes", "--shift", "2026-11-24/emea", "--as", "grace", "--answers", saved],
      { cwd: dir, env: { ROTA_NOW: AFTER_SHIFTS } },
    );
    expect(finished.code, finished.stderr).toBe(0);
    const note = readFileSync(path.join(dir, "notes/2026/11/2026-11-24-emea-grace.md"), "utf8");
    expect(note).toContain("Typed once,\npiped in.");
    expect(existsSync(path.join(dir, saved))).toBe(false);
  });

  test("answers on standard input without a required one are saved, to finish with the missing answer", async () => {
    const dir = await teamRepo();
    const head = git(dir, "rev-parse", "HEAD").trim();
    const piped = ANSWERS_YAML.replace("fix: the export\n", "");
    const saved = [
      ".rota/recovered/2026-11-24-emea-grace.yaml",
      ".rota/recovered/2026-11-24-emea-grace-2.yaml",
    ];
    // Piped without flags, and with --answers -: either way stdin is read once.
    for (const [i, args] of [[], ["--answers", "-"]].entries()) {
      const refused = await rota(["notes", "--as", "grace", ...args], {
        cwd: dir,
        env: { ROTA_NOW: AFTER_SHIFTS },
        input: piped,
      });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        new RegExp(
          `\nrota: no answer to 1 required question: fix \\("One thing we should fix"\\)\n` +
            `Your answers from standard input are saved in ${saved[i]?.replaceAll(".", "\\.")}: to finish, run this with your answer in place of …:\n` +
            `  rota notes --shift 2026-11-24/emea --as grace --answers ${saved[i]?.replaceAll(".", "\\.")} --answer fix=…\n$`,
        ),
      );
      const text = readFileSync(path.join(dir, saved[i] as string), "utf8");
      expect(text.endsWith(piped)).toBe(true);
    }
    expect(git(dir, "rev-parse", "HEAD").trim()).toBe(head);
    expect(git(dir, "status", "--porcelain", "--untracked-files=all")).toBe("");
    const finished = await rota(
      [
        ...["notes", "--shift", "2026-11-24/emea", "--as", "grace"],
        ...["--answers", saved[0] as string, "--answer", "fix=the export"],
      ],
      { cwd: dir, env: { ROTA_NOW: AFTER_SHIFTS } },
    );
    expect(finished.code, finished.stderr).toBe(0);
    const note = readFileSync(path.join(dir, "notes/2026/11/2026-11-24-emea-grace.md"), "utf8");
    expect(note).toContain("Typed once,\npiped in.");
    expect(note).toContain("the export");
    expect(existsSync(path.join(dir, saved[0] as string))).toBe(false);
  });
});
