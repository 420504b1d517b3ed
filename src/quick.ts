import type { GlobalOptions } from "./command-context.ts";

/*
 * The quick commands, `rota who` and `rota validate`, as people and CI jobs
 * call them: run without Commander, whose program (every command's options
 * and help) costs a start-up several milliseconds to load and build, more
 * than some of these commands take to run.
 *
 * Only arguments whose meaning to Commander is beyond doubt are read here:
 * the command, its own options after it and the global options anywhere,
 * each option given once, as a flag or as a flag and its value in two
 * arguments (`--roster team.yaml`). Anything else (`--roster=team.yaml`, a
 * value starting with "-", an option twice, an argument too many, --help) is
 * left to Commander, which reads it, or says what is wrong with it, as
 * before. A test holds this reading to Commander's (test/quick.test.ts).
 */

/** A quick command's options, each by its flag: its key, and whether it takes a value. */
type Flags = ReadonlyMap<string, { key: string; value: boolean }>;

function flags(entries: [flag: string, key: string, value: boolean][]): Flags {
  return new Map(entries.map(([flag, key, value]) => [flag, { key, value }]));
}

/** The global options (program.ts defines them for Commander). */
const GLOBAL: Flags = flags([
  ["-C", "directory", true],
  ["--directory", "directory", true],
  ["--roster", "roster", true],
  ["--schedule", "schedule", true],
  ["--now", "now", true],
  ["--no-color", "color", false],
]);

/** The quick commands' own options (program.ts defines them for Commander). */
export const QUICK_COMMANDS = new Map<string, Flags>([
  [
    "who",
    flags([
      ["--at", "at", true],
      ["--next", "next", false],
      ["--json", "json", false],
    ]),
  ],
  ["validate", flags([["--json", "json", false]])],
]);

export interface QuickCall {
  command: string;
  globals: GlobalOptions;
  /** The command's options as Commander gives them: a value, or true for a flag. */
  options: Record<string, string | boolean>;
}

/** The call `argv` makes of a quick command, or undefined when Commander must read it. */
export function quickCall(argv: readonly string[]): QuickCall | undefined {
  const given: Record<string, string | boolean> = {};
  const options: Record<string, string | boolean> = {};
  let command: string | undefined;
  let own: Flags | undefined;
  for (let at = 0; at < argv.length; ) {
    const arg = argv[at] as string;
    if (!arg.startsWith("-")) {
      // The command, and nothing else: who and validate take no arguments.
      if (command !== undefined) return undefined;
      own = QUICK_COMMANDS.get(arg);
      if (own === undefined) return undefined;
      command = arg;
      at += 1;
      continue;
    }
    // Commander reads the global options before the command and after it.
    const global = GLOBAL.get(arg);
    const option = global ?? own?.get(arg);
    const into = global ? given : options;
    if (option === undefined || Object.hasOwn(into, option.key)) return undefined;
    if (option.value) {
      const value = argv[at + 1];
      if (value === undefined || value.startsWith("-")) return undefined;
      into[option.key] = value;
      at += 2;
    } else {
      into[option.key] = !arg.startsWith("--no-");
      at += 1;
    }
  }
  if (command === undefined) return undefined;
  const globals: GlobalOptions = { color: given.color !== false };
  for (const key of ["directory", "roster", "schedule", "now"] as const) {
    const value = given[key];
    if (typeof value === "string") globals[key] = value;
  }
  return { command, globals, options };
}
