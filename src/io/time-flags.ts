import { parseTimeArgument } from "../core/time.ts";
import { UsageError } from "../errors.ts";

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
