import { Chalk } from "chalk";
import type { ColorLevel, Context } from "../context.ts";
import { type Problem, summarizeProblems } from "../core/problems.ts";
import { PLAIN, type Style } from "../core/render/style.ts";
import { escapeForeign, ownEscapes } from "./screen.ts";

/**
 * Styles at a stream's colour depth (chalk alone ignores NO_COLOR). The text
 * styled is escaped first and the codes around it marked as rota's own, so a
 * name that holds escape sequences is shown, never obeyed (io/screen.ts).
 */
export function paint(level: ColorLevel): Style {
  if (level === 0) return PLAIN;
  const chalk = new Chalk({ level });
  const style =
    (apply: (text: string) => string) =>
    (text: string): string =>
      ownEscapes(apply(escapeForeign(text)));
  return {
    bold: style((text) => chalk.bold(text)),
    dim: style((text) => chalk.dim(text)),
    red: style((text) => chalk.red(text)),
    yellow: style((text) => chalk.yellow(text)),
    green: style((text) => chalk.green(text)),
    cyan: style((text) => chalk.cyan(text)),
    inverse: style((text) => chalk.inverse(text)),
  };
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
