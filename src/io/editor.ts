import { spawn } from "node:child_process";
import {
  accessSync,
  constants,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { onExit } from "signal-exit";
import { holdingSignals } from "./signals.ts";

/**
 * The editor that long answers open in, as the prompt library starts it:
 * `$VISUAL`, else `$EDITOR`, else vim (notepad on Windows), split at spaces
 * (a backslash keeps one), the first word the program.
 */
export function editorCommand(env: Readonly<Record<string, string | undefined>>): {
  variable: "VISUAL" | "EDITOR" | undefined;
  value: string;
  program: string;
  args: string[];
} {
  const variable = env.VISUAL ? "VISUAL" : env.EDITOR ? "EDITOR" : undefined;
  const value =
    (variable && env[variable]) || (process.platform.startsWith("win") ? "notepad" : "vim");
  const words = commandWords(value.trim()).map((w) => w.replaceAll("\\ ", " "));
  return { variable, value, program: words[0] ?? "", args: words.slice(1) };
}

/**
 * A command line's words as written: split at spaces, where a backslash
 * before a space keeps it in the word. Read character by character: an
 * expression that repeats a choice overflows the stack on a value of
 * megabytes.
 */
export function commandWords(line: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let at = 0; at < line.length; at++) {
    if (line.charCodeAt(at) === 32) {
      if (start >= 0) words.push(line.slice(start, at));
      start = -1;
      continue;
    }
    if (start < 0) start = at;
    // "\ " is one piece of the word.
    if (line.charCodeAt(at) === 92 && line.charCodeAt(at + 1) === 32) at++;
  }
  if (start >= 0) words.push(line.slice(start));
  return words;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the editor cannot be started, in words that say how to fix it, or
 * undefined when it can (or when rota cannot tell, as on Windows). The prompt
 * library starts it without handling a failure to start, which would end
 * rota with a stack trace: so rota looks for the program first.
 */
export function editorProblem(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string | undefined {
  if (process.platform === "win32") return undefined;
  const { variable, value, program } = editorCommand(env);
  let found: boolean;
  if (program === "") found = false;
  else if (program.includes("/")) found = isExecutableFile(path.resolve(cwd, program));
  else {
    found = (env.PATH ?? "")
      .split(path.delimiter)
      .filter((dir) => dir !== "")
      .some((dir) => isExecutableFile(path.join(dir, program)));
  }
  if (found) return undefined;
  const what = variable
    ? `$${variable} is ${JSON.stringify(value)}, and ${program === "" ? "names no program" : `${program} is not a program rota can start`}`
    : `neither $VISUAL nor $EDITOR is set, and ${program} is not installed`;
  const name = variable ?? "EDITOR";
  return `your editor cannot start: ${what} (set ${name} to an editor you have, e.g. \`export ${name}=nano\`)`;
}

/**
 * How an edit ended: the text saved, or why there is none; `interrupted` when
 * Ctrl-C or SIGTERM reached rota meanwhile.
 */
export type Edited = { ok: true; text: string } | { ok: false; why: string; interrupted: boolean };

/**
 * Opens `text` in the person's editor ($VISUAL, else $EDITOR, else vim) on
 * the terminal and returns what they saved; or why the editor could not
 * start or failed (it exited with an error or a signal), so that the answer
 * can be typed at the prompt instead; or that Ctrl-C or SIGTERM reached rota
 * meanwhile (the editor is stopped too). The file is private and removed on
 * every way out, a signal that ends rota at once included.
 */
export async function editText(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  text: string,
): Promise<Edited> {
  const problem = editorProblem(env, cwd);
  if (problem) return { ok: false, why: problem, interrupted: false };
  const { program, args } = editorCommand(env);
  const dir = mkdtempSync(path.join(tmpdir(), "rota-answer-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const forget = onExit(remove);
  const file = path.join(dir, "answer.md");
  const failed = (why: string) => ({ ok: false as const, why, interrupted: false });
  try {
    writeFileSync(file, text, { mode: 0o600 });
    // Not spawnSync: while it runs no signal handler can, so Ctrl-C would end
    // rota at once and leave the file behind.
    const { run, interrupted } = await holdingSignals(async (interrupted, stop) => {
      const run = await runEditor(program, [...args, file], cwd, env, stop);
      return { run, interrupted: interrupted() };
    });
    // An editor ended by SIGINT had the terminal's Ctrl-C, which rota had
    // too: its own handler may come a moment after the editor's exit.
    if (interrupted || run.signal === "SIGINT") {
      return { ok: false, why: "rota was interrupted", interrupted: true };
    }
    if (run.error) return failed(`your editor ${program} could not start (${run.error.message})`);
    if (run.status !== 0) {
      const how = run.signal ? `was stopped (${run.signal})` : `failed (exit code ${run.status})`;
      return failed(`your editor ${program} ${how}`);
    }
    try {
      return { ok: true, text: readFileSync(file, "utf8") };
    } catch {
      return failed(`your editor ${program} left no answer behind`);
    }
  } finally {
    forget();
    remove();
  }
}

/**
 * Runs the editor on the terminal until it exits; aborting `stop` ends it
 * (SIGTERM), as when rota itself is stopped.
 */
function runEditor(
  program: string,
  args: string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  stop: AbortSignal,
): Promise<{ error?: Error; status: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: "inherit", cwd, env, signal: stop });
    child.on("error", (error) => {
      // Stopped through `stop`: its exit follows.
      if (error.name !== "AbortError") resolve({ error, status: null, signal: null });
    });
    child.on("exit", (status, signal) => resolve({ status, signal }));
  });
}
