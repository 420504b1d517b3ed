/** A problem found in a file the user wrote, with its position (1-based). */
export interface Problem {
  file: string;
  line: number;
  col: number;
  severity: "error" | "warning";
  message: string;
}

/** Problems in the order a reader meets them: by file, line, column. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1),
  );
}

/**
 * What to say of a key with no name (`: 4`, `~: 4`, `"": 4`), which the data
 * holds as "": every file rota reads says it the same way, naming `place`
 * ("the roster", "a question").
 */
export function namelessKey(place: string): string {
  return `a key is missing before the colon in ${place} (an empty key, \`~\` or \`null\`): write the key's name, or delete the line`;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((problem) => problem.severity === "error");
}

/** `FILE:LINE:COL: message`, with `warning: ` before the message of a warning. */
export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.col}`;
  return problem.severity === "warning"
    ? `${where}: warning: ${problem.message}`
    : `${where}: ${problem.message}`;
}

/** The one-line count after a list of problems: "2 errors and 1 warning in roster.yaml". */
export function summarizeProblems(problems: readonly Problem[], file: string): string {
  const errors = problems.filter((problem) => problem.severity === "error").length;
  const warnings = problems.length - errors;
  const parts = [];
  if (errors > 0) parts.push(plural(errors, "error"));
  if (warnings > 0) parts.push(plural(warnings, "warning"));
  if (parts.length === 0) return `no problems in ${file}`;
  return `${parts.join(" and ")} in ${file}`;
}

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
