import { readTimeArgument } from "../core/time.ts";
import { notATime, withinYears } from "./clock.ts";

/** A time given on the command line (`--at`, `--from`), read like `--now`. */
export function resolveTimeFlag(flag: string, text: string, zone: string): number {
  const read = readTimeArgument(text, zone);
  if (typeof read !== "number") throw notATime(flag, text, read);
  return withinYears(flag, text, read);
}
