import { createInterface } from "node:readline";
import { input, number, select } from "@inquirer/prompts";
import type { Io } from "../context.ts";
import { CONTROL, escapeControls } from "../core/controls.ts";
import { CancelledError } from "../errors.ts";
import { editorCommand, editText } from "./editor.ts";

/**
 * Interactive questions in a terminal. This is the only module that imports
 * the prompt library; commands receive a `Prompts` so tests can replace it
 * with scripted answers, and load this module only when they will ask.
 */

type Validate<T> = (value: T) => true | string;

export interface Prompts {
  /** One line of text. */
  input(options: {
    message: string;
    default?: string;
    validate: Validate<string>;
  }): Promise<string>;
  /**
   * Several lines: typed at the prompt (a line holding only "." ends the
   * answer), or written in the editor when $VISUAL or $EDITOR is set or the
   * person types ":e". An editor that cannot start or fails leaves the
   * answer to be typed at the prompt.
   */
  long(options: { message: string; default?: string; validate: Validate<string> }): Promise<string>;
  /** A number, or undefined when left empty. */
  number(options: {
    message: string;
    default?: number;
    /** Checks the bounds too: the question's, in rota's words. */
    validate: Validate<number | undefined>;
  }): Promise<number | undefined>;
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
  return {
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
    long: (options) => askLong(io, options),
    number: (options) =>
      ask(() =>
        number(
          {
            message: shown(options.message),
            ...(options.default !== undefined ? { default: options.default } : {}),
            // The question's bounds are checked by `validate`, in rota's words
            // (the library's own check says "between 0 and Infinity").
            step: "any",
            required: false,
            validate: checked(options.validate),
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

/** The line that ends a long answer typed at the prompt. */
export const END_OF_ANSWER = ".";
/** The line that opens the editor instead. */
export const OPEN_EDITOR = ":e";

/**
 * A long answer: in the editor when the person has chosen one ($VISUAL or
 * $EDITOR), else typed at the prompt, where ":e" opens the editor with what
 * was typed so far. An editor that cannot start or fails says why and leaves
 * the answer, as far as it got, to be typed at the prompt; an answer the
 * question refuses is asked again at the prompt.
 */
async function askLong(
  io: Io,
  options: { message: string; default?: string; validate: Validate<string> },
): Promise<string> {
  const write = (text: string) => io.stdout.write(text);
  write(`? ${shown(options.message)}\n`);
  let useEditor = editorCommand(io.env).variable !== undefined;
  let draft: string[] = [];
  for (;;) {
    let answer: string | undefined;
    if (useEditor) {
      useEditor = false;
      const edited = await editText(
        io.env,
        io.cwd,
        draft.length > 0 ? draft.join("\n") : (options.default ?? ""),
      );
      // An editor saves a final newline, and maybe blank lines around the
      // answer: dropped, as from an answer typed here, so the lines counted
      // below are the answer's.
      if (edited.ok) answer = trimEnd(edited.text.split(/\r?\n/)).join("\n");
      else if (edited.interrupted) throw new CancelledError("cancelled: nothing was written");
      else write(`  ${shown(edited.why)}: type the answer here instead.\n`);
    }
    if (answer === undefined) {
      const typed = await typeLines(io, draft, options.default);
      draft = typed.lines;
      if (typed.editor) {
        useEditor = true;
        continue;
      }
      answer =
        typed.lines.length === 0 && options.default !== undefined
          ? options.default
          : typed.lines.join("\n");
    }
    const verdict = options.validate(answer);
    if (verdict === true) {
      const count = answer === "" ? 0 : answer.split("\n").length;
      write(
        `  (${count === 0 ? "no answer" : `answer kept: ${count} ${count === 1 ? "line" : "lines"}`})\n`,
      );
      return answer;
    }
    write(`  > ${shown(verdict)}\n`);
    draft = answer === "" ? [] : answer.split("\n");
  }
}

/**
 * Reads lines typed at the terminal until one holds only "." (or the input
 * ends), or ":e" asks for the editor. `kept` are lines typed earlier, shown
 * again and continued. Ctrl-C cancels as in every other prompt.
 */
function typeLines(
  io: Io,
  kept: readonly string[],
  fallback: string | undefined,
): Promise<{ lines: string[]; editor: boolean }> {
  const write = (text: string) => io.stdout.write(text);
  const keeps =
    fallback !== undefined && fallback !== ""
      ? ` (a "${END_OF_ANSWER}" straight away keeps "${shown(fallback.split("\n")[0] ?? "").slice(0, 40)}")`
      : "";
  write(
    `  Type your answer over as many lines as you like; end it with a line holding only "${END_OF_ANSWER}"${keeps}.\n  Type ${OPEN_EDITOR} on a line of its own to write it in your editor instead.\n`,
  );
  for (const line of kept) write(`  | ${shown(line)}\n`);
  return new Promise((resolve, reject) => {
    const lines = [...kept];
    const rl = createInterface({
      input: io.stdin,
      output: io.stdout,
      terminal: io.stdout.isTTY === true,
      prompt: "  | ",
    });
    let settled = false;
    const finish = (editor: boolean) => {
      if (settled) return;
      settled = true;
      rl.close();
      resolve({ lines: trimEnd(lines), editor });
    };
    rl.on("line", (line) => {
      const trimmed = line.trim();
      if (trimmed === END_OF_ANSWER) finish(false);
      else if (trimmed === OPEN_EDITOR) finish(true);
      else {
        lines.push(line);
        rl.prompt();
      }
    });
    rl.on("SIGINT", () => {
      if (settled) return;
      settled = true;
      rl.close();
      write("\n");
      reject(new CancelledError("cancelled: nothing was written"));
    });
    // Ctrl-D (or the end of the input) ends the answer as "." does.
    rl.on("close", () => {
      if (!settled) write("\n");
      finish(false);
    });
    rl.prompt();
  });
}

/** Lines without the empty ones at the start and the end. */
function trimEnd(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? "").trim() === "") start++;
  while (end > start && (lines[end - 1] ?? "").trim() === "") end--;
  return lines.slice(start, end);
}
