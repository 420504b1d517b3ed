import type { Problem } from "./core/problems.ts";

/**
 * The errors a command may end with. One handler (`cli.ts`) turns them into a
 * message on stderr and an exit code; none of them prints a stack trace.
 */
export abstract class RotaError extends Error {
  abstract readonly exitCode: number;
}

/** Bad input or usage: a flag, a file the user wrote, a missing answer. Exit code 2. */
export class UsageError extends RotaError {
  readonly exitCode = 2;
}

/** A file the user wrote has problems, each with its position. Exit code 2. */
export class InputError extends RotaError {
  readonly exitCode = 2;
  constructor(
    readonly problems: Problem[],
    message = "",
  ) {
    super(message);
  }
}

/** A check failed or an operation could not complete. Exit code 1. */
export class FailedError extends RotaError {
  readonly exitCode = 1;
}

/** The user stopped the command (Ctrl-C at a prompt). Exit code 130. */
export class CancelledError extends RotaError {
  readonly exitCode = 130;
}

/** A signal (Ctrl-C, SIGTERM) stopped work that was finished safely first. Exit code 130. */
export class InterruptedError extends RotaError {
  readonly exitCode = 130;
}
