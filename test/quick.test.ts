import { copyFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Io } from "../src/context.ts";
import { buildProgram } from "../src/program.ts";
import { quickCall } from "../src/quick.ts";
import { librariesLoaded, ROOT, rota } from "./helpers/cli.ts";
import { tempDir } from "./helpers/tmp.ts";

/** What Commander makes of `argv`: the command it would run with its options, or its error. */
function commanderCall(argv: string[]) {
  const io: Io = {
    cwd: ROOT,
    env: {},
    stdin: process.stdin,
    stdout: { write: () => true } as unknown as Io["stdout"],
    stderr: { write: () => true } as unknown as Io["stderr"],
  };
  const program = buildProgram(io, () => {});
  let call: { command: string; globals: object; options: object } | undefined;
  // Before an action runs, the hook hears what it would run with, and stops it.
  program.hook("preAction", (_program, action) => {
    call = { command: action.name(), globals: program.opts(), options: action.opts() };
    throw new Error("stopped before the action");
  });
  try {
    program.parse(argv, { from: "user" });
  } catch (error) {
    if (call) return call;
    return { error: (error as { code?: string }).code ?? String(error) };
  }
  return { error: "no action ran" };
}

describe("the quick commands, read without Commander", () => {
  test("every call read without Commander is read as Commander reads it", () => {
    // Calls as people write them, options with their values, and every kind of slip among them.
    const value = fc.constantFrom(
      "team.yaml",
      "support",
      "2026-12-24T10:00",
      "",
      "who",
      "-x",
      "--json",
    );
    const part = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(["who"], ["validate"]) },
      {
        weight: 4,
        arbitrary: fc.tuple(
          fc.constantFrom("-C", "--directory", "--roster", "--schedule", "--now", "--at"),
          value,
        ),
      },
      { weight: 3, arbitrary: fc.constantFrom(["--no-color"], ["--json"], ["--next"]) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          ["plan"],
          ["help"],
          ["--color"],
          ["--check"],
          ["-h"],
          ["--help"],
          ["-V"],
          ["--"],
          ["-"],
          [""],
          ["--roster=team.yaml"],
          ["-Csupport"],
          ["team.yaml"],
          ["-x"],
          ["--roster"],
          ["--at"],
        ),
      },
    );
    const token = fc.array(part, { maxLength: 6 }).map((parts) => parts.flat());
    let quick = 0;
    fc.assert(
      fc.property(token, (argv) => {
        const read = quickCall(argv);
        if (read === undefined) return;
        quick += 1;
        expect(commanderCall(argv)).toEqual(read);
      }),
      { numRuns: 3000 },
    );
    // The property said something: many calls were read without Commander.
    expect(quick).toBeGreaterThan(200);
  });

  test.each([
    [["who"], { command: "who", globals: { color: true }, options: {} }],
    [
      ["--roster", "team.yaml", "who", "--json", "--at", "2026-12-24T10:00"],
      {
        command: "who",
        globals: { color: true, roster: "team.yaml" },
        options: { json: true, at: "2026-12-24T10:00" },
      },
    ],
    [
      ["validate", "--json", "-C", "support", "--no-color", "--now", ""],
      {
        command: "validate",
        globals: { color: false, directory: "support", now: "" },
        options: { json: true },
      },
    ],
  ])("%j is read as Commander reads it", (argv, expected) => {
    expect(quickCall(argv)).toEqual(expected);
    expect(commanderCall(argv)).toEqual(expected);
  });

  test.each([
    [[]],
    [["--help"]],
    [["who", "--help"]],
    [["--roster=team.yaml", "who"]],
    [["-Csupport", "who"]],
    [["who", "--roster", "--json"]],
    [["who", "--at"]],
    [["who", "--json", "--json"]],
    [["--roster", "a.yaml", "--roster", "b.yaml", "who"]],
    [["--json", "validate"]],
    [["validate", "--next"]],
    [["who", "now"]],
    [["who", "--"]],
    [["plan"]],
    [["help", "who"]],
  ])("%j is left to Commander", (argv) => {
    expect(quickCall(argv)).toBeUndefined();
  });
});

describe("the quick commands, run", () => {
  /** The libraries among the bundle files a run of rota loads. */
  async function libraries(args: string[], cwd: string): Promise<string[]> {
    const result = await rota(args, { cwd, env: { NODE_DEBUG: "esm,rota", ROTA_NOW: NOW } });
    return librariesLoaded(result.stderr);
  }

  const NOW = "2026-11-23T10:00:00Z";

  function team(): string {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "team.yaml"));
    writeFileSync(path.join(dir, "broken.yaml"), "version: 1\nteam: [\n");
    writeFileSync(path.join(dir, "a-file"), "");
    return dir;
  }

  test("a quick call and the same call read by Commander print the same and exit alike", async () => {
    const dir = team();
    expect(
      (await rota(["--roster", "team.yaml", "plan"], { cwd: dir, env: { ROTA_NOW: NOW } })).code,
    ).toBe(0);
    // Each pair: a call read without Commander, then the same written as only Commander reads it.
    const pairs: [string[], string[]][] = [
      [
        ["--roster", "team.yaml", "who"],
        ["--roster=team.yaml", "who"],
      ],
      [
        ["who", "--json", "--at", "2026-11-24T09:30", "--roster", "team.yaml"],
        ["who", "--json", "--at=2026-11-24T09:30", "--roster=team.yaml"],
      ],
      [
        ["--roster", "team.yaml", "who", "--next", "--no-color"],
        ["--roster=team.yaml", "who", "--next", "--no-color"],
      ],
      [
        ["validate", "--roster", "team.yaml"],
        ["validate", "--roster=team.yaml"],
      ],
      [
        ["validate", "--json", "--roster", "broken.yaml"],
        ["validate", "--json", "--roster=broken.yaml"],
      ],
      [
        ["validate", "--roster", "broken.yaml"],
        ["validate", "--roster=broken.yaml"],
      ],
      [["who"], ["who", "--roster=roster.yaml"]],
      [
        ["--directory", "nowhere", "validate"],
        ["--directory=nowhere", "validate"],
      ],
      [
        ["--roster", "a-file/team.yaml", "who"],
        ["--roster=a-file/team.yaml", "who"],
      ],
      [
        ["--roster", "team.yaml", "--now", "yesterday", "who"],
        ["--roster=team.yaml", "--now=yesterday", "who"],
      ],
    ];
    for (const [quick, commander] of pairs) {
      expect(quickCall(quick), quick.join(" ")).toBeDefined();
      expect(quickCall(commander), commander.join(" ")).toBeUndefined();
      const [a, b] = await Promise.all(
        [quick, commander].map((args) => rota(args, { cwd: dir, env: { ROTA_NOW: NOW } })),
      );
      expect(a, quick.join(" ")).toEqual(b);
    }
  });

  test("rota who and rota validate, called plainly, load no Commander; other calls do", async () => {
    const dir = team();
    expect(await libraries(["--roster", "team.yaml", "who"], dir)).not.toContain("commander");
    expect(await libraries(["validate", "--roster", "team.yaml"], dir)).not.toContain("commander");
    expect(await libraries(["--roster=team.yaml", "who"], dir)).toContain("commander");
    expect(await libraries(["--help"], dir)).toContain("commander");
  });
});
