import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { buildProgram } from "../src/program.ts";
import { BIN, librariesLoaded, ROOT, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, git, teamRepo } from "./helpers/git.ts";
import { tempDir } from "./helpers/tmp.ts";

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
const COMMANDS = [
  "init",
  "validate",
  "plan",
  "who",
  "swap",
  "explain",
  "calendar",
  "notes",
  "log",
  "schema",
];
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

/** An Io on this process's streams, for building the program in the test. */
function processIo() {
  return {
    cwd: ROOT,
    env: {},
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  };
}

describe("help and version", () => {
  test("--version prints the package version", async () => {
    const result = await rota(["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  test("--help lists every command with an example of each", async () => {
    const result = await rota(["--help"]);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
      expect(result.stdout).toMatch(new RegExp(`\\$ rota .*\\b${command}\\b`));
    }
  });

  test.each(COMMANDS)("rota %s --help shows an example", async (command) => {
    const result = await rota([command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Examples:");
    expect(result.stdout).toMatch(new RegExp(`\\$ rota ${command}`));
  });

  test("rota help <command> shows what rota <command> --help shows", async () => {
    for (const command of ["validate", "swap", "schema"]) {
      const [help, flag] = await Promise.all([rota(["help", command]), rota([command, "--help"])]);
      expect(help).toEqual(flag);
      expect(help.stdout).toContain(`Usage: rota ${command}`);
      expect(help.stdout).toContain("Examples:");
    }
    const { stdout } = await rota(["help", "plan"]);
    expect(stdout).toMatch(/^ {2}--rebalance +recompute every future seat/m);
  });

  test("a command's options, help and action are defined when it runs or its help is shown", () => {
    const io = processIo();
    const program = buildProgram(io, () => {});
    const plan = program.commands.find((command) => command.name() === "plan");
    // Defining every command's costs each start-up: none is defined yet.
    expect(plan?.options).toHaveLength(0);
    // The program's help lists each command with its arguments and [options],
    // read off its definition, and still defines none of them.
    const help = program.helpInformation();
    expect(help).toMatch(/^ {2}plan \[options\] +extend and repair schedule\.yaml/m);
    expect(help).toMatch(/^ {2}swap \[options\] <occurrence> <out> <in> /m);
    expect(help).toMatch(/^ {2}schema +print the roster's JSON Schema/m);
    expect(plan?.options).toHaveLength(0);
    // A command's own help defines it.
    expect(plan?.helpInformation()).toMatch(/^ {2}--rebalance /m);
    expect(plan?.options.map((option) => option.long)).toContain("--rebalance");
  });

  test("the program's help lists each command as it reads once every command is defined", () => {
    const io = processIo();
    const listed = buildProgram(io, () => {}).helpInformation();
    const program = buildProgram(io, () => {});
    // Each command's own help defines it: then the program's help lists the commands themselves.
    for (const command of program.commands) command.helpInformation();
    expect(
      program.commands.every(
        (command) =>
          command.options.length > 0 || command.name() === "schema" || command.name() === "help",
      ),
    ).toBe(true);
    expect(listed).toBe(program.helpInformation());
  });

  test("no arguments: usage on stderr, exit 2", async () => {
    const result = await rota([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: rota");
  });

  test("an unknown command or flag is a usage error (2) with a suggestion", async () => {
    const command = await rota(["validat"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toBe(
      "rota: unknown command 'validat'; did you mean validate?\n(run `rota --help` for usage)\n",
    );
    // In rota's own words, on one line, and pointing at the command's help.
    const flag = await rota(["plan", "--chek"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(
      "rota: unknown option '--chek'; did you mean --check?\n(run `rota plan --help` for usage)\n",
    );
    const missing = await rota(["swap"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "rota: missing required argument 'occurrence'\n(run `rota swap --help` for usage)\n",
    );
  });

  test("rota help <unknown> is the same usage error as rota <unknown>, suggestion and all", async () => {
    for (const name of ["validat", "bogus"]) {
      const [help, direct] = await Promise.all([rota(["help", name]), rota([name])]);
      expect(help).toEqual(direct);
      expect(help.code).toBe(2);
      expect(help.stdout).toBe("");
      expect(help.stderr).toMatch(new RegExp(`^rota: unknown command '${name}'[;\n]`));
    }
    expect((await rota(["help", "validat"])).stderr).toContain("; did you mean validate?");
    const bare = await rota(["help"]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^Usage: rota /);
    expect(bare.stdout).toMatch(/^ {2}help \[command\] +display help for command$/m);
  });
});

describe("global conventions", () => {
  test("-C runs as if started in another directory", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const result = await rota(["-C", dir, "validate"], { cwd: ROOT });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("is valid");
  });

  test("a working directory removed under the shell: exit 2 saying so, no stack trace; --help still runs", () => {
    // The shell removes the directory it runs in, then starts rota there.
    const run = (...args: string[]) => {
      const dir = path.join(tempDir(), "gone");
      mkdirSync(dir);
      return spawnSync(
        "sh",
        [
          "-c",
          'cd "$1" && rmdir "$1" && shift && exec "$@"',
          "sh",
          dir,
          process.execPath,
          BIN,
          ...args,
        ],
        { encoding: "utf8", env: { ...process.env, ROTA_DEBUG: "" } },
      );
    };
    for (const command of [["who"], ["validate"], ["plan"], ["notes"], ["-C", ROOT, "who"]]) {
      const result = run(...command);
      expect(result, command.join(" ")).toMatchObject({
        status: 2,
        stdout: "",
        stderr:
          "rota: the current directory no longer exists (it was removed or moved away); cd into one that exists and run the command again\n",
      });
    }
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: rota /);
  });

  test("--roster picks the file; paths in messages are relative to where rota ran", async () => {
    const result = await rota(["--roster", "test/fixtures/invalid/22-version-2.yaml", "validate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^test\/fixtures\/invalid\/22-version-2\.yaml:1:10: /);
  });

  test("a -C, --roster or --schedule path that cannot be followed is named, with what is wrong, exit 2", async () => {
    const dir = tempDir();
    symlinkSync("b", path.join(dir, "a"));
    symlinkSync("a", path.join(dir, "b"));
    writeFileSync(path.join(dir, "file"), "not a directory\n");
    const loop =
      "a is a loop of symbolic links (each leads on to another, and back); point one of them at a real directory or file, or remove it";
    const cases: [string[], string][] = [
      ...[
        "validate",
        "plan",
        "who",
        "report",
        "log",
        "swap 2026-12-03/emea ada grace",
        "notes",
      ].map((command): [string[], string] => [["-C", "a", ...command.split(" ")], `-C a: ${loop}`]),
      [["--roster", "a/roster.yaml", "plan"], `--roster a/roster.yaml: ${loop}`],
      [["--schedule", "a/schedule.yaml", "who"], `--schedule a/schedule.yaml: ${loop}`],
      [["init", "a"], loop],
      [["-C", "file", "validate"], "-C file: it is a file, not a directory"],
      [
        ["--roster", "file/roster.yaml", "validate"],
        "--roster file/roster.yaml: file is a file, not a directory",
      ],
      [["init", "file/team"], "file/team: file is a file, not a directory"],
      [
        ["-C", "x/".repeat(3000), "validate"],
        `-C ${"x/".repeat(38)}…: the path is ${path.resolve(dir, "x/".repeat(3000)).length.toLocaleString("en-US")} characters long, more than the system can open; use a shorter path`,
      ],
      [
        ["-C", "x".repeat(300), "plan"],
        `-C ${"x".repeat(76)}…: a name in it is 300 bytes long, and file names have at most 255; use a shorter one`,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await rota(args, { cwd: dir });
      expect(result, args.join(" ").slice(0, 60)).toEqual({
        code: 2,
        stdout: "",
        stderr: `rota: ${message}\n`,
      });
    }
    expect(readdirSync(dir).sort()).toEqual(["a", "b", "file"]);
  });

  test("a -C or init directory that is a link to nowhere, and a roster that is a pipe or a device: named, exit 2", async () => {
    const dir = tempDir();
    symlinkSync("../team-support", path.join(dir, "support"));
    const dangling =
      "support is a symbolic link to ../team-support, which does not exist: create that directory, or point the link at one that exists";
    const notFile = (label: string, kind: string) =>
      `${label}: it is ${kind}, not a file; rota reads a file (save it to one first, e.g. \`git show main:roster.yaml > other.yaml\`)`;
    spawnSync("mkfifo", [path.join(dir, "pipe")]);
    const cases: [string[], string][] = [
      [["init", "support", "--team", "Acme", "--timezone", "UTC"], dangling],
      [["-C", "support", "validate"], `-C support: ${dangling}`],
      [["--roster", "/dev/null", "validate"], notFile("--roster /dev/null", "a device")],
      [["--roster", "pipe", "validate"], notFile("--roster pipe", "a FIFO")],
      [["--schedule", "pipe", "who"], notFile("--schedule pipe", "a FIFO")],
    ];
    for (const [args, message] of cases) {
      const result = await rota(args, { cwd: dir });
      expect(result, args.join(" ")).toEqual({ code: 2, stdout: "", stderr: `rota: ${message}\n` });
    }
    expect(readdirSync(dir).sort()).toEqual(["pipe", "support"]);
  });

  test("a flag that goes with another is refused without it, in every command, exit 2", async () => {
    const dir = await teamRepo();
    const env = { ROTA_NOW: AFTER_SHIFTS };
    for (const [args, message] of [
      [["plan", "--fail-on-gaps"], "--fail-on-gaps goes with --check"],
      [["calendar", "--send"], "--send emails the invites: pass it with --invites"],
      [["calendar", "--state", "sent.json"], "--state is for --send"],
      [
        ["calendar", "--since", "HEAD"],
        "--since chooses what invites cover: pass it with --invites",
      ],
      [["notify", "today", "--json"], "--json prints what would be sent: pass it with --dry-run"],
      [
        ["notify", "digest", "--dry-run", "--tickets-format", "zendesk"],
        "--tickets-format goes with --tickets",
      ],
      [
        ["notify", "today", "--dry-run", "--tickets-format", "zendesk"],
        "--tickets-format is for notify digest, not today",
      ],
      [["report", "--tickets-format", "bogus"], "--tickets-format goes with --tickets"],
      [
        ["report", "--period", "week", "--tickets-format", "zendesk"],
        "--tickets-format goes with --tickets",
      ],
    ] as const) {
      const result = await rota([...args], { cwd: dir, env });
      expect(result, args.join(" ")).toMatchObject({
        code: 2,
        stdout: "",
        stderr: `rota: ${message}\n`,
      });
    }
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("a missing roster says how to create one, exit 2, no stack trace", async () => {
    const dir = tempDir();
    const result = await rota(["validate"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "rota: roster.yaml not found: run `rota init` to create a roster, or pass --roster FILE (or -C DIR)\n",
    );
  });

  test("rota who before any plan says to plan, exit 2, rather than that nobody is on", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    for (const args of [["who"], ["who", "--json"], ["who", "--next"]]) {
      const result = await rota(args, { cwd: dir });
      expect(result).toMatchObject({
        code: 2,
        stdout: "",
        stderr:
          "rota: schedule.yaml not found: run `rota plan` first; rota who reads who is on from it\n",
      });
    }
    const env = { ROTA_NOW: "2026-11-23T08:00:00Z", TZ: "Europe/Berlin", NO_COLOR: "1" };
    expect((await rota(["plan"], { cwd: dir, env })).code).toBe(0);
    expect((await rota(["who", "--json"], { cwd: dir, env })).code).toBe(0);
    // A next shift in another year than the time asked about carries its year.
    const before = await rota(["who", "--next", "--at", "2025-12-31T12:00:00Z"], { cwd: dir, env });
    expect(before.stdout).toMatch(
      /^Next after Wed 31 Dec 2025 13:00 Berlin time\n {2}\S.* Mon 23 Nov 2026 09:00–17:00 /,
    );
    const same = await rota(["who", "--next", "--at", "2026-11-23T20:00:00Z"], { cwd: dir, env });
    expect(same.stdout).toMatch(/\n {2}\S.* Tue 24 Nov 09:00–17:00 /);
  });

  test("a --now or ROTA_NOW that is not a time is a usage error", async () => {
    const args = ["--roster", "roster.example.yaml", "validate"];
    const flag = await rota(["--now", "yesterday", ...args]);
    expect(flag).toMatchObject({
      code: 2,
      stderr:
        '--now/ROTA_NOW: "yesterday" is not a time; use ISO 8601 such as 2026-11-23T09:00:00Z or 2026-11-23\n'.replace(
          /^/,
          "rota: ",
        ),
    });
    const env = await rota(args, { env: { ROTA_NOW: "2026-13-45" } });
    expect(env.code).toBe(2);
    const offset = await rota(args, { env: { ROTA_NOW: "2026-11-24T10:00+25:00" } });
    expect(offset.code).toBe(2);
    const ok = await rota(args, { env: { ROTA_NOW: "2026-11-23T09:00" } });
    expect(ok.code).toBe(0);
    // Commands that read no time refuse it all the same, and init writes nothing.
    const dir = tempDir();
    for (const command of [["log"], ["schema"], ["init", dir, "--timezone", "UTC"]]) {
      const result = await rota(["--now", "yesterday", ...command]);
      expect(result.stderr, command[0]).toContain('--now/ROTA_NOW: "yesterday" is not a time');
      expect(result.code, command[0]).toBe(2);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  test("rota init refuses --roster and --schedule, whose names its CI job would not read", async () => {
    for (const flag of ["--roster", "--schedule"]) {
      const dir = tempDir();
      const result = await rota([flag, "team.yaml", "init", dir, "--timezone", "UTC"]);
      expect(result.stderr).toBe(
        `rota: ${flag}: rota init writes roster.yaml (and the CI job that reads it by that name), not another file; run it without ${flag}; nothing was written\n`,
      );
      expect(result.code).toBe(2);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  test("ROTA_DEBUG=1 adds the stack trace", async () => {
    const dir = tempDir();
    const result = await rota(["validate"], { cwd: dir, env: { ROTA_DEBUG: "1" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  const invalid = ["--roster", "test/fixtures/invalid/22-version-2.yaml", "validate"];

  test("no colour without a terminal", async () => {
    expect((await rota(invalid)).stderr).not.toMatch(ANSI);
  });

  test("FORCE_COLOR forces colour; --no-color and NO_COLOR turn it off", async () => {
    expect((await rota(invalid, { env: { FORCE_COLOR: "1" } })).stderr).toMatch(ANSI);
    expect(
      (await rota([...invalid, "--no-color"], { env: { FORCE_COLOR: "1" } })).stderr,
    ).not.toMatch(ANSI);
    expect((await rota(invalid, { env: { FORCE_COLOR: "1", NO_COLOR: "1" } })).stderr).not.toMatch(
      ANSI,
    );
  });

  test("data on stdout, messages on stderr", async () => {
    const schema = await rota(["schema"]);
    expect(schema.stderr).toBe("");
    expect(JSON.parse(schema.stdout).title).toBe("rota roster");
    const validate = await rota(["validate", "--roster", "roster.example.yaml"]);
    expect(validate.stdout).toBe("");
    expect(validate.stderr).toBe("roster.example.yaml is valid: 2 shifts, 17 people\n");
  });

  test("ROTA_DEBUG=1 shows a stack trace that names the TypeScript sources", async () => {
    const plain = await rota(["validate", "--roster", "missing.yaml"]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    const debug = await rota(["validate", "--roster", "missing.yaml"], {
      env: { ROTA_DEBUG: "1" },
    });
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^\s+at .*src\/(io|commands)\/[\w-]+\.ts:\d+:\d+/m);
    expect(debug.stderr).not.toMatch(/dist\/(cli|chunks)/);
  });

  test("quick commands never create stdin, which only costs start-up time", async () => {
    const trap = path.join(ROOT, "test", "helpers", "trap-stdin.cjs");
    const env = { NODE_OPTIONS: `--require ${trap}` };
    // The trap works: importing node:process as a module (as chalk does) trips it.
    const { spawnSync } = await import("node:child_process");
    const control = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", 'import "node:process"; console.error("done")'],
      { env: { ...process.env, ...env }, encoding: "utf8" },
    );
    expect(control.stderr).toBe("trap: stdin created\ndone\n");
    for (const args of [["--help"], ["validate", "--roster", "roster.example.yaml"]]) {
      const result = await rota(args, { env });
      expect(result.code).toBe(0);
      expect(result.stderr).not.toContain("trap: stdin created");
    }
  });

  test("into pipes, validate, who and help make no stream for stdout or stderr, load no fs/promises, and print the same", async () => {
    const trap = path.join(ROOT, "test", "helpers", "trap-stdio.cjs");
    const env = { NODE_OPTIONS: `--require ${trap}`, ROTA_NOW: "2026-11-23T09:00:00Z" };
    // The trap works: console.log makes process.stdout.
    const control = spawnSync(process.execPath, ["-e", 'console.log("done")'], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    expect(control.stderr).toContain("trap: stdout created\n");
    const promises = spawnSync(process.execPath, ["-e", 'require("node:fs/promises")'], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    expect(promises.stderr).toBe("trap: fs/promises loaded\n");
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    expect((await rota(["plan"], { cwd: dir, env: { ROTA_NOW: env.ROTA_NOW } })).code).toBe(0);
    for (const args of [
      ["validate"],
      ["who"],
      ["who", "--json"],
      ["validate", "--json"],
      // Commander asks how wide stdout is, and whether it shows colour.
      ["--help"],
      ["plan", "--help"],
      ["--bogus"],
    ]) {
      const plain = await rota(args, { cwd: dir, env: { ROTA_NOW: env.ROTA_NOW } });
      const trapped = await rota(args, { cwd: dir, env });
      expect(trapped.stderr, args.join(" ")).not.toContain("trap:");
      expect(trapped).toEqual(plain);
      expect(plain.stdout + plain.stderr).not.toBe("");
    }
  });

  test("a non-blocking pipe with a slow reader gets every byte, in order", () => {
    // The pipe is made small and non-blocking, and read only once rota has
    // filled it (and a moment more): its writes meet EAGAIN, and must wait for
    // the reader. Waiting for the pipe to fill, not a fixed time, holds on a
    // loaded machine, where rota may start writing late.
    const script = [
      "import array, fcntl, os, subprocess, sys, termios, time",
      "r, w = os.pipe()",
      "fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ",
      "os.set_blocking(w, False)",
      "p = subprocess.Popen(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)",
      "os.close(w)",
      "def queued():",
      "    n = array.array('i', [0])",
      "    fcntl.ioctl(r, termios.FIONREAD, n)",
      "    return n[0]",
      "deadline = time.time() + 30",
      "while queued() < 4096 and p.poll() is None and time.time() < deadline:",
      "    time.sleep(0.01)",
      "time.sleep(0.3)",
      "out = b''",
      "while True:",
      "    chunk = os.read(r, 65536)",
      "    if not chunk: break",
      "    out += chunk",
      "err = p.stderr.read()",
      "code = p.wait()",
      "sys.stdout.buffer.write(out)",
      "sys.stderr.buffer.write(err)",
      "sys.exit(code)",
    ].join("\n");
    const run = (env: NodeJS.ProcessEnv = process.env) =>
      spawnSync("python3", ["-c", script, process.execPath, BIN, "schema"], {
        cwd: ROOT,
        env,
        encoding: "utf8",
      });
    const result = run();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const expected = spawnSync(process.execPath, [BIN, "schema"], { cwd: ROOT, encoding: "utf8" });
    expect(expected.stdout.length).toBeGreaterThan(4096 * 2);
    expect(result.stdout).toBe(expected.stdout);
    // The output still in Node's stream when the command is done is waited for.
    const told = run({ ...process.env, NODE_DEBUG: "rota" });
    expect(told.status).toBe(0);
    expect(told.stdout).toBe(expected.stdout);
    expect(told.stderr).toMatch(/waiting for [\w, ]*WriteWrap[\w, ]* before exiting/);
    expect(told.stderr).not.toContain("exiting at once");
  });

  test("a command with nothing left in flight exits at once, its output and exit code whole", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const env = {
      ...process.env,
      ROTA_NOW: "2026-11-23T09:00:00Z",
      NODE_DEBUG: "rota",
      TZ: "UTC",
    };
    expect((await rota(["plan"], { cwd: dir, env: { ROTA_NOW: env.ROTA_NOW } })).code).toBe(0);
    writeFileSync(path.join(dir, "broken.yaml"), "version: 1\nteam: [\n");
    // stderr into a file: Node writes a file synchronously, with no handle left open.
    const run = (args: string[]) => {
      const log = path.join(dir, "stderr.txt");
      const fd = openSync(log, "w");
      try {
        const result = spawnSync(process.execPath, [BIN, ...args], {
          cwd: dir,
          env,
          stdio: ["ignore", "pipe", fd],
          encoding: "utf8",
        });
        return { code: result.status, stdout: result.stdout, stderr: readFileSync(log, "utf8") };
      } finally {
        closeSync(fd);
      }
    };
    const who = run(["who", "--json"]);
    expect(who.code).toBe(0);
    expect(JSON.parse(who.stdout).at).toBe("2026-11-23T09:00:00Z");
    expect(who.stderr).toContain("nothing in flight: exiting at once");
    const broken = run(["validate", "--roster", "broken.yaml"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^broken\.yaml:\d+:\d+: /m);
    expect(broken.stderr).toContain("nothing in flight: exiting at once");
    // Both streams pipes, both written to (as in CI and under the tests): the
    // pipes' handles are no write in flight.
    const piped = spawnSync(process.execPath, [BIN, "plan", "--dry-run"], {
      cwd: dir,
      env,
      encoding: "utf8",
    });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toContain("Fairness");
    expect(piped.stderr).toContain("dry run: nothing written");
    expect(piped.stderr).toContain("nothing in flight: exiting at once");
  });

  /** The libraries among the sources of the bundle files a validation of `roster` loads. */
  async function librariesValidateLoads(roster: string): Promise<string[]> {
    const result = await rota(["validate", "--roster", roster], {
      env: { NODE_DEBUG: "esm,rota", ROTA_NOW: "2026-11-23T09:00:00Z" },
    });
    expect(result.code).toBe(0);
    return librariesLoaded(result.stderr);
  }

  test("rota validate loads no YAML library, nor luxon, for a well-formed roster written line by line", async () => {
    const libraries = await librariesValidateLoads("roster.example.yaml");
    expect(libraries.filter((name) => /^(luxon|yaml|js-yaml)$/.test(name))).toEqual([]);
  });

  test("rota validate loads js-yaml, but not the yaml package, for a well-formed roster with a list over several lines", async () => {
    const libraries = await librariesValidateLoads("examples/automattic.yaml");
    expect(libraries).toContain("js-yaml");
    expect(libraries).not.toContain("yaml");
  });

  test("rota plan, planning or replaying, loads no simple-git: it asks git for the email alone", async () => {
    const dir = await teamRepo();
    // Ada, by the repository's user.email, is pointed out however the plan is shown.
    const env = { NODE_DEBUG: "rota", ROTA_NOW: AFTER_SHIFTS, COLUMNS: "200" };
    // Planned and written; planned again, unchanged, and kept to replay; replayed.
    for (const run of ["written", "unchanged", "replayed"]) {
      const result = await rota(["plan"], { cwd: dir, env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout, run).toMatch(/Ada Lovelace.* {2}◀ you\n/);
      expect(librariesLoaded(result.stderr), run).not.toContain("simple-git");
      expect(/chunks\/plan-full-\w+\.js/.test(result.stderr), run).toBe(run !== "replayed");
    }
  });

  test("npx rota works from the repository, and keeps the dist/ built already", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    // A fresh npm cache, as on a new machine: npx installs the clone as a
    // directory there, which runs its `prepare`. Rebuilding dist/ then would
    // break every rota command running from it meanwhile.
    const built = statSync(path.join(ROOT, "dist/cjs/cli.js")).mtimeMs;
    const { stdout } = await promisify(execFile)("npx", ["--no-install", "rota", "--version"], {
      cwd: ROOT,
      env: { ...process.env, npm_config_cache: tempDir() },
    });
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(statSync(path.join(ROOT, "dist/cjs/cli.js")).mtimeMs).toBe(built);
  });
});

describe("output that cannot be written, and git that cannot be run", () => {
  /** Runs the built CLI with stdout going to a file descriptor of our choosing. */
  function rotaTo(
    args: string[],
    stdout: number | "pipe",
    options: { cwd?: string; closeStdout?: boolean } = {},
  ): Promise<{ code: number | null; stderr: string }> {
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ROTA_NOW: "2026-11-20T09:00:00Z" },
      stdio: ["ignore", stdout, "pipe"],
    });
    // Closing our end at once: every write rota makes meets a closed pipe.
    if (options.closeStdout) child.stdout?.destroy();
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    return new Promise((resolve) => {
      child.on("close", (code) => resolve({ code, stderr }));
    });
  }

  const full = existsSync("/dev/full") ? test : test.skip;

  full("a full disk: a message and exit 1, no stack trace (rota schema > /dev/full)", async () => {
    const fd = openSync("/dev/full", "w");
    try {
      for (const args of [
        ["schema"],
        ["--help"],
        ["validate", "--roster", "roster.example.yaml", "--json"],
      ]) {
        const result = await rotaTo(args, fd);
        expect(result.code, args.join(" ")).toBe(1);
        expect(result.stderr).toBe(
          "rota: cannot write the output: no space left on the device; free some space and run the command again\n",
        );
      }
    } finally {
      closeSync(fd);
    }
  });

  test("output written straight to a descriptor that refuses it: a message and exit 1", async () => {
    // A file open only for reading: each write(2) fails (EBADF), and rota,
    // writing to a file without Node's stream, knows at once.
    const file = path.join(tempDir(), "out.txt");
    writeFileSync(file, "");
    const fd = openSync(file, "r");
    try {
      for (const args of [
        ["schema"],
        ["--help"],
        ["validate", "--roster", "roster.example.yaml", "--json"],
      ]) {
        const result = await rotaTo(args, fd);
        expect(result.code, args.join(" ")).toBe(1);
        expect(result.stderr).toBe("rota: cannot write the output: standard output is closed\n");
      }
    } finally {
      closeSync(fd);
    }
  });

  test("a reader that stops early (rota plan | head -1): quiet, and the command still does its work", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const result = await rotaTo(["plan"], "pipe", { cwd: dir, closeStdout: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^\d+ shifts planned through \S+, 0 gaps, 0 changes, \d+ new; wrote schedule\.yaml\n$/,
    );
    expect(existsSync(path.join(dir, "schedule.yaml"))).toBe(true);
  });

  test("through a shell, as people type it: rota plan | head -1", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const script = `set -o pipefail; "${process.execPath}" "${BIN}" plan --json | head -c 1 >/dev/null; echo "rota: $?" >&2`;
    const result = spawnSync("bash", ["-c", script], {
      cwd: dir,
      env: { ...process.env, ROTA_NOW: "2026-11-20T09:00:00Z" },
      encoding: "utf8",
    });
    expect(result.stderr).toMatch(/wrote schedule\.yaml\nrota: 0\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at |Error/);
    // Messages into a closed pipe: nothing to say, and the exit code is the command's.
    const quiet = spawnSync(
      "bash",
      ["-c", `set -o pipefail; "${process.execPath}" "${BIN}" validate 2>&1 | head -c 0`],
      { cwd: dir, env: { ...process.env, ROTA_NOW: "2026-11-20T09:00:00Z" }, encoding: "utf8" },
    );
    expect(quiet.status).toBe(0);
  });

  test("git missing: the command that needs it says so, exit 1; the rest work without it", async () => {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const env = { PATH: tempDir() };
    const plan = await rota(["plan"], {
      cwd: dir,
      env: { ...env, ROTA_NOW: "2026-11-20T09:00:00Z" },
    });
    expect(plan.code, plan.stderr).toBe(0);
    const message =
      "rota: git is not installed, or not on PATH: rota runs git for this; install git (https://git-scm.com) and run the command again\n";
    for (const args of [
      ["log"],
      ["calendar", "--invites"],
      ["notes", "--as", "ada", "--shift", "2026-11-20/americas", "--answer", "fix=x"],
    ]) {
      const result = await rota(args, {
        cwd: dir,
        env: { ...env, ROTA_NOW: "2026-11-21T09:00:00Z" },
      });
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stderr, args.join(" ")).toBe(message);
    }
  });
});
