import { readFile } from "node:fs/promises";
import path from "node:path";
import { FIXES_FILE, type FixState, parseFixes } from "../core/fixes.ts";
import { UsageError } from "../errors.ts";

/** fixes.yaml beside the roster. */
export function fixesPath(rosterPath: string): string {
  return path.join(path.dirname(rosterPath), FIXES_FILE);
}

/** fixes.yaml read (empty when there is none yet); a usage error naming the line when it is broken. */
export async function readFixesFile(file: string, shown: string): Promise<Map<string, FixState>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new UsageError(`${shown}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const parsed = parseFixes(text, shown);
  if (!parsed.ok) throw new UsageError(parsed.message);
  return parsed.fixes;
}
