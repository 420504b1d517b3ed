import type { Context } from "../context.ts";
import { own } from "./screen.ts";

export interface Progress {
  /** Count `n` more items done. */
  tick(n?: number): void;
  /** Clear the line. */
  done(): void;
}

/**
 * Back to the start of the line, and clear it: marked as rota's own when
 * first drawn, since marking reads the system's random source, which a
 * command that draws no progress (stderr not a terminal) need not load.
 */
let clearLine: string | undefined;

const SILENT: Progress = { tick() {}, done() {} };

/**
 * Progress on stderr for long work (`label: 1,234 / 50,000`), redrawn at most
 * ten times a second, only when stderr is a terminal: in CI and in pipes rota
 * stays silent. `now` is injectable for tests.
 */
export function startProgress(
  ctx: Context,
  label: string,
  total: number,
  now: () => number = () => Date.now(),
): Progress {
  if (!ctx.io.stderr.isTTY || total < 2) return SILENT;
  let count = 0;
  let last = 0;
  let shown = false;
  const format = (n: number) => n.toLocaleString("en-US");
  const clear = () => {
    clearLine ??= own("\r\u001b[2K");
    return clearLine;
  };
  const draw = () => {
    ctx.err(`${clear()}${label}: ${format(count)} / ${format(total)}`);
    shown = true;
  };
  return {
    tick(n = 1) {
      count += n;
      const t = now();
      if (t - last >= 100 || count >= total) {
        last = t;
        draw();
      }
    },
    done() {
      if (shown) ctx.err(clear());
    },
  };
}
