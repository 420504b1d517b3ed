import { commandContext } from "./command-context.ts";
import type { Io } from "./context.ts";
import { formatProblem, summarizeProblems } from "./core/problems.ts";
import { InputError, RotaError, UsageError } from "./errors.ts";
import { forScreen } from "./io/screen.ts";
import { processOutput, writeFailure } from "./io/stdio.ts";
import { type QuickCall, quickCall } from "./quick.ts";

// This module is all that loads for a start-up, with the command's own code:
// Commander's program (program.ts) only where the arguments need it, and each
// command's code (and the libraries it needs) inside its action.

function processIo(): Io {
  return {
    // Read when a command first needs it, inside main()'s handling of errors:
    // `rota --help` needs none.
    get cwd() {
      return currentDirectory();
    },
    env: process.env,
    // process.stdin is created on first access, which costs start-up time;
    // most commands never read it.
    get stdin() {
      return process.stdin;
    },
    stdout: processOutput(1),
    stderr: processOutput(2),
  };
}

/** The process's working directory; a directory removed under the shell is the user's to fix. */
function currentDirectory(): string {
  try {
    return process.cwd();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new UsageError(
      "the current directory no longer exists (it was removed or moved away); " +
        "cd into one that exists and run the command again",
    );
  }
}

/**
 * Runs rota with arguments (without `node rota`) and returns the exit code.
 * Every error ends here: a user's mistake prints a message, never a stack trace
 * (unless ROTA_DEBUG=1).
 */
export async function main(argv = process.argv.slice(2), io: Io = processIo()): Promise<number> {
  const output = watchOutput(io);
  let exitCode: number;
  try {
    const quick = quickCall(argv);
    exitCode = quick
      ? await runQuick(quick, io)
      : await (await import("./program.ts")).runProgram(argv, io);
  } catch (error) {
    exitCode = reportError(error, io);
  }
  return output.settle(exitCode);
}

/** A quick command (quick.ts), run as its Commander action would run it. */
async function runQuick({ command, globals, options }: QuickCall, io: Io): Promise<number> {
  if (command === "who") {
    const { runWho } = await import("./commands/who.ts");
    return runWho(commandContext(io, globals, command), options);
  }
  const { runValidate } = await import("./commands/validate.ts");
  return runValidate(commandContext(io, globals, command), options);
}

/**
 * Errors writing to stdout and stderr, all handled here. A reader that stops
 * early (`rota plan | head -1`) closes the pipe: that is no error, so output
 * stops, the command still finishes what it does (a schedule, a commit) and
 * its own exit code stands. Any other failure to write stdout (a full disk,
 * `rota schema > /dev/full`) loses output the user asked for: exit 1 with a
 * message. Nothing is left to say when stderr itself fails.
 */
function watchOutput(io: Io): { settle(code: number): Promise<number> } {
  for (const stream of [io.stdout, io.stderr]) {
    // Once per stream, for good: an error reported after main() returns (a
    // pipe closed late) must not become an uncaught exception.
    if (watched.has(stream)) continue;
    watched.add(stream);
    stream.on("error", () => {});
  }
  let failure: NodeJS.ErrnoException | undefined;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") failure ??= error;
  };
  io.stdout.on("error", onError);
  return {
    async settle(code) {
      // A write straight to the descriptor has failed or not by now. A
      // stream's failure is reported a tick or two after it: let that happen
      // (the wait costs a start-up a quarter of a millisecond).
      const direct = writeFailure(io.stdout);
      if (direct === undefined) await new Promise((resolve) => setImmediate(resolve));
      else if (direct) onError(direct);
      io.stdout.off("error", onError);
      if (!failure) return code;
      const reason = WRITE_ERRORS[failure.code ?? ""] ?? failure.message;
      io.stderr.write(`rota: cannot write the output: ${reason}\n`);
      return Math.max(code, 1);
    },
  };
}

const watched = new WeakSet<object>();

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: "no space left on the device; free some space and run the command again",
  EDQUOT: "the disk quota is exceeded",
  EIO: "an input/output error on the device",
  EBADF: "standard output is closed",
  EAGAIN: "standard output is not ready to take more (a non-blocking pipe)",
};

function reportError(error: unknown, io: Io): number {
  const debug = io.env.ROTA_DEBUG === "1";
  // Messages quote arguments and files: nothing in them reaches the terminal raw.
  const stderr = { write: (text: string) => io.stderr.write(forScreen(text)) };
  if (error instanceof RotaError) {
    if (error instanceof InputError) {
      for (const problem of error.problems) stderr.write(`${formatProblem(problem)}\n`);
      const file = error.problems[0]?.file;
      if (file) stderr.write(`${summarizeProblems(error.problems, file)}\n`);
    }
    if (error.message) stderr.write(`rota: ${error.message}\n`);
    if (debug && error.stack) stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`rota: internal error: ${message}\n`);
  if (debug && error instanceof Error && error.stack) {
    stderr.write(`${error.stack}\n`);
  } else {
    stderr.write(
      "This is a bug in rota. Run again with ROTA_DEBUG=1 for details, and report it.\n",
    );
  }
  return 1;
}
