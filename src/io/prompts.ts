import { confirm, editor, input, number, select } from "@inquirer/prompts";
import type { Io } from "../context.ts";
import { CONTROL, escapeControls } from "../core/controls.ts";
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

/**
 * What a prompt shows comes from the notes template and earlier notes, which
 * anyone who can commit may write: the prompt library writes it to the
 * terminal itself, so it is escaped here (as io/screen.ts does for the rest).
 * A default that holds a control character is not offered: accepting it would
 * be refused anyway.
 */
const shown = escapeControls;
const checked =
  <T>(validate: Validate<T>) =>
  (value: T): true | string => {
    const result = validate(value);
    return result === true ? result : shown(result);
  };
const offered = (value: string | undefined) =>
  value === undefined || CONTROL.test(value) ? {} : { default: value };

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
            message: shown(options.message),
            ...offered(options.default),
            validate: checked(options.validate),
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
            message: shown(options.message),
            ...(options.default !== undefined ? { default: options.default } : {}),
            postfix: ".md",
            waitForUserInput: true,
            validate: checked(options.validate),
          },
          context,
        ),
      );
    },
    number: (options) =>
      ask(() =>
        number(
          {
            message: shown(options.message),
            ...(options.default !== undefined ? { default: options.default } : {}),
            ...(options.min !== undefined ? { min: options.min } : {}),
            ...(options.max !== undefined ? { max: options.max } : {}),
            step: "any",
            required: false,
            validate: checked(options.validate),
          },
          context,
        ),
      ),
    confirm: (options) =>
      ask(() =>
        confirm(
          {
            message: shown(options.message),
            ...(options.default !== undefined ? { default: options.default } : {}),
          },
          context,
        ),
      ),
    select: <T>(options: { message: string; choices: { name: string; value: T }[]; default?: T }) =>
      ask(() =>
        select<T>(
          {
            message: shown(options.message),
            choices: options.choices.map((choice) => ({ ...choice, name: shown(choice.name) })),
            ...(options.default !== undefined ? { default: options.default } : {}),
          },
          context,
        ),
      ),
  };
}
