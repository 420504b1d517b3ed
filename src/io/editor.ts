import { accessSync, constants, statSync } from "node:fs";
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
} {
  const variable = env.VISUAL ? "VISUAL" : env.EDITOR ? "EDITOR" : undefined;
  const value =
    (variable && env[variable]) || (process.platform.startsWith("win") ? "notepad" : "vim");
  const program = (value.trim().match(/^(?:\\ |[^ ])+/)?.[0] ?? "").replaceAll("\\ ", " ");
  return { variable, value, program };
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
  return `long answers are written in your editor, but ${what}: set ${name} to an editor you have (e.g. \`export ${name}=nano\`), or pass the long answers with --answer ID=…`;
}
