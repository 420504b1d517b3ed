import { parseTimeArgument } from "../core/time.ts";
import { notATime } from "./clock.ts";

/** A time given on the command line (`--at`, `--from`), read like `--now`. */
export function resolveTimeFlag(flag: string, text: string, zone: string): number {
  const ms = parseTimeArgument(text, zone);
  if (ms === undefined) throw notATime(flag, text);
  return ms;
}
