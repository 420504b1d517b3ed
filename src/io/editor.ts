import { spawnSync } from "node:child_process";
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
  const words = (value.trim().match(/(?:\\ |[^ ])+/g) ?? []).map((w) => w.replaceAll("\\ ", " "));
  return { variable, value, program: words[0] ?? "", args: words.slice(1) };
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
 * Opens `text` in the person's editor ($VISUAL, else $EDITOR, else vim) on
 * the terminal and returns what they saved; or why the editor could not
 * start or failed (it exited with an error or a signal), so that the answer
 * can be typed at the prompt instead. The file is private and removed after.
 */
export function editText(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  text: string,
): { ok: true; text: string } | { ok: false; why: string } {
  const problem = editorProblem(env, cwd);
  if (problem) return { ok: false, why: problem };
  const { program, args } = editorCommand(env);
  const dir = mkdtempSync(path.join(tmpdir(), "rota-answer-"));
  const file = path.join(dir, "answer.md");
  try {
    writeFileSync(file, text, { mode: 0o600 });
    const run = spawnSync(program, [...args, file], { stdio: "inherit", cwd, env });
    if (run.error)
      return { ok: false, why: `your editor ${program} could not start (${run.error.message})` };
    if (run.status !== 0) {
      const how = run.signal ? `was stopped (${run.signal})` : `failed (exit code ${run.status})`;
      return { ok: false, why: `your editor ${program} ${how}` };
    }
    try {
      return { ok: true, text: readFileSync(file, "utf8") };
    } catch {
      return { ok: false, why: `your editor ${program} left no answer behind` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
