import type { Context } from "../context.ts";
import { checkTimeZone } from "../core/roster/formats.ts";
import { parseTimeArgument } from "../core/time.ts";
import { UsageError } from "../errors.ts";

/**
 * "Now" for a command: `--now` or `ROTA_NOW` when given (a time without an
 * offset is read in `zone`), else the clock. The only place rota reads it.
 */
export function resolveNow(ctx: Context, zone: string): number {
  if (ctx.nowText === undefined) return Date.now();
  const ms = parseTimeArgument(ctx.nowText, zone);
  if (ms === undefined) {
    throw new UsageError(
      `--now/ROTA_NOW: "${ctx.nowText}" is not a time; use ISO 8601 such as 2026-11-23T09:00:00Z or 2026-11-23`,
    );
  }
  return ms;
}

/** A time given on the command line (`--at`, `--from`), read like `--now`. */
export function resolveTimeFlag(flag: string, text: string, zone: string): number {
  const ms = parseTimeArgument(text, zone);
  if (ms === undefined) {
    throw new UsageError(
      `${flag}: "${text}" is not a time; use ISO 8601 such as 2026-11-23T09:00:00Z or 2026-11-23`,
    );
  }
  return ms;
}

/** The zone of the person at the terminal: TZ, else the system's. */
export function viewerZone(ctx: Context): string {
  const fromEnv = ctx.io.env.TZ?.replace(/^:/, "");
  if (fromEnv && !checkTimeZone(fromEnv)) return fromEnv;
  const system = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return system && !checkTimeZone(system) ? system : "UTC";
}
