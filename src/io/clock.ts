import type { Context } from "../context.ts";
import { parseIsoInstant } from "../core/instant.ts";
import { checkTimeZone } from "../core/roster/formats.ts";
import { shorten } from "../core/text.ts";
import { UsageError } from "../errors.ts";

type TimeModule = typeof import("../core/time.ts");

/**
 * The time-zone code (luxon), loaded by `prepareClock` only when `--now` is a
 * local time: a quick command such as `rota validate` never loads it.
 */
let timeModule: TimeModule | undefined;

/** Loads what `resolveNow` needs for this run's `--now`/`ROTA_NOW`, if anything. */
export async function prepareClock(ctx: Context): Promise<void> {
  const text = ctx.nowText?.trim();
  if (text === undefined || parseIsoInstant(text) !== undefined) return;
  timeModule ??= await import("../core/time.ts");
}

/**
 * "Now" for a command: `--now` or `ROTA_NOW` when given (a time without an
 * offset is read in `zone`), else the clock. The only place rota reads it.
 * Call `prepareClock` first.
 */
export function resolveNow(ctx: Context, zone: string): number {
  if (ctx.nowText === undefined) return Date.now();
  const text = ctx.nowText.trim();
  const exact = parseIsoInstant(text);
  if (exact !== undefined) return withinYears("--now/ROTA_NOW", ctx.nowText, exact);
  if (!timeModule) throw new Error("resolveNow: call prepareClock first");
  const read = timeModule.readTimeArgument(text, zone);
  if (typeof read !== "number") throw notATime("--now/ROTA_NOW", ctx.nowText, read);
  return withinYears("--now/ROTA_NOW", ctx.nowText, read);
}

/**
 * For a command that reads no time: a `--now`/`ROTA_NOW` that is not one is
 * refused all the same, as every command refuses it.
 */
export async function checkNowText(ctx: Context): Promise<void> {
  if (ctx.nowText === undefined) return;
  await prepareClock(ctx);
  resolveNow(ctx, "UTC");
}

/**
 * The usage error for a time flag whose value is not a time, or (given
 * `problem`) is written as one that cannot be read.
 */
export function notATime(flag: string, text: string, problem?: string): UsageError {
  const shown = shorten(text);
  if (problem !== undefined) return new UsageError(`${flag}: "${shown}": ${problem}`);
  return new UsageError(
    `${flag}: "${shown}" is not a time; use ISO 8601 such as 2026-11-23T09:00:00Z or 2026-11-23`,
  );
}

/** The first and last instants rota writes: years 0000 to 9999 in UTC, as ISO 8601 writes them. */
const FIRST_INSTANT = -62_167_219_200_000;
const LAST_INSTANT = 253_402_300_799_999;

/**
 * A time read from `flag`, refused where it falls outside the years rota
 * writes (`--at 0000-01-01` in a zone ahead of UTC is in the year -1 there).
 */
export function withinYears(flag: string, text: string, ms: number): number {
  if (ms >= FIRST_INSTANT && ms <= LAST_INSTANT) return ms;
  throw notATime(
    flag,
    text,
    "it falls outside the years 0000 to 9999 (in UTC), which rota reads and writes",
  );
}

/** The zone of the person at the terminal: TZ, else the system's. */
export function viewerZone(ctx: Context): string {
  return viewer(ctx).zone;
}

/**
 * The viewer's zone, and whether it is the zone this process's Date uses
 * (so that its local fields give wall times there; see io/local-time.ts).
 * `systemZone` names the system's zone when TZ is not set.
 */
export function viewer(
  ctx: Context,
  systemZone: () => string | undefined = () => Intl.DateTimeFormat().resolvedOptions().timeZone,
): { zone: string; inProcess: boolean } {
  const raw = ctx.io.env.TZ;
  const sameTz = raw === process.env.TZ;
  const fromEnv = raw?.replace(/^:/, "");
  if (fromEnv && !checkTimeZone(fromEnv))
    return { zone: fromEnv, inProcess: sameTz && raw === fromEnv };
  // A TZ that names no zone still sways Intl: only without one is the system asked.
  const system =
    raw === undefined && process.env.TZ === undefined
      ? systemZone()
      : Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (system && !checkTimeZone(system))
    return { zone: system, inProcess: sameTz && raw === undefined };
  return { zone: "UTC", inProcess: false };
}
