import { confirm, editor, input, number, select } from "@inquirer/prompts";
import type { Io } from "../context.ts";
import { CancelledError, UsageError } from "../errors.ts";
import { editorProblem } from "./editor.ts";

/**
 * Interactive questions in a terminal. This is the only module that imports
 * the prompt library; commands receive a `Prompts` so tests can replace it
 * with scripted answers, and load this module only when they will ask.
 */

type Validate<T> = (value: T) => true | string;

export interface Prompts {
  /** Why the editor for long answers cannot start, or undefined: checked before the first question. */
  editorProblem(): string | undefined;
  /** One line of text. */
  input(options: {
    message: string;
    default?: string;
    validate: Validate<string>;
  }): Promise<string>;
  /** Several lines, written in $EDITOR (or $VISUAL). */
  editor(options: {
    message: string;
    default?: string;
    validate: Validate<string>;
  }): Promise<string>;
  /** A number, or undefined when left empty. */
  number(options: {
    message: string;
    default?: number;
    min?: number;
    max?: number;
    validate: Validate<number | undefined>;
  }): Promise<number | undefined>;
  confirm(options: { message: string; default?: boolean }): Promise<boolean>;
  select<T>(options: {
    message: string;
    choices: { name: string; value: T }[];
    default?: T;
  }): Promise<T>;
}

/** Whether the user pressed Ctrl-C (or closed the terminal) in a prompt. */
function isExit(error: unknown): boolean {
  return error instanceof Error && error.name === "ExitPromptError";
}

/** Prompts on the command's own streams; Ctrl-C becomes a CancelledError (exit 130). */
export function terminalPrompts(io: Io): Prompts {
  const context = { input: io.stdin, output: io.stdout, clearPromptOnDone: false };
  const ask = async <T>(prompt: () => Promise<T>): Promise<T> => {
    try {
      return await prompt();
    } catch (error) {
      if (isExit(error)) throw new CancelledError("cancelled: nothing was written");
      throw error;
    }
  };
  const problem = () => editorProblem(io.env, io.cwd);
  return {
    editorProblem: problem,
    input: (options) =>
      ask(() =>
        input(
          {
            message: options.message,
            ...(options.default !== undefined ? { default: options.default } : {}),
            validate: options.validate,
          },
          context,
        ),
      ),
    editor: (options) => {
      // Checked again at the question: the prompt library would end rota
      // with a stack trace if the editor failed to start.
      const why = problem();
      if (why) return Promise.reject(new UsageError(why));
      return ask(() =>
        editor(
          {
            message: options.message,
            ...(options.default !== undefined ? { default: options.default } : {}),
            postfix: ".md",
            waitForUserInput: true,
            validate: options.validate,
          },
          context,
        ),
      );
    },
    number: (options) =>
      ask(() =>
        number(
          {
            message: options.message,
            ...(options.default !== undefined ? { default: options.default } : {}),
            ...(options.min !== undefined ? { min: options.min } : {}),
            ...(options.max !== undefined ? { max: options.max } : {}),
            step: "any",
            required: false,
            validate: options.validate,
          },
          context,
        ),
      ),
    confirm: (options) =>
      ask(() =>
        confirm(
          {
            message: options.message,
            ...(options.default !== undefined ? { default: options.default } : {}),
          },
          context,
        ),
      ),
    select: <T>(options: { message: string; choices: { name: string; value: T }[]; default?: T }) =>
      ask(() =>
        select<T>(
          {
            message: options.message,
            choices: options.choices,
            ...(options.default !== undefined ? { default: options.default } : {}),
          },
          context,
        ),
      ),
  };
}
