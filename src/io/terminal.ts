import { Chalk, type ChalkInstance } from "chalk";
import type { ColorLevel, Context } from "../context.ts";
import { type Problem, summarizeProblems } from "../core/problems.ts";

/** A chalk instance at a stream's colour depth (chalk alone ignores NO_COLOR). */
export function paint(level: ColorLevel): ChalkInstance {
  return new Chalk({ level });
}

/**
 * Prints problems to stderr as `FILE:LINE:COL: message` (`warning: ` before a
 * warning's message), then the one-line count.
 */
export function printProblems(ctx: Context, problems: readonly Problem[], file: string): void {
  const c = paint(ctx.color.stderr);
  for (const problem of problems) {
    const where = c.bold(`${problem.file}:${problem.line}:${problem.col}:`);
    const message =
      problem.severity === "warning"
        ? `${c.yellow("warning:")} ${problem.message}`
        : c.red(problem.message);
    ctx.err(`${where} ${message}\n`);
  }
  ctx.err(`${summarizeProblems(problems, file)}\n`);
}
