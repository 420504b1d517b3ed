import type { Io } from "../context.ts";

/**
 * How wide standard output's lines may be, for tables meant for people:
 * `COLUMNS` when it is set to a whole number (an explicit choice wins, as
 * most tools honour it), else the terminal's width when standard output is a
 * terminal, else no limit — a pipe or a file gets every line whole, for
 * `grep`, `less -S` and logs, where cutting would lose what was asked for.
 */
export function outputWidth(io: Pick<Io, "env" | "stdout">): number | undefined {
  const columns = io.env.COLUMNS?.trim();
  if (columns && /^[1-9]\d{0,4}$/.test(columns)) return Number(columns);
  if (io.stdout.isTTY && io.stdout.columns && io.stdout.columns > 0) return io.stdout.columns;
  return undefined;
}
