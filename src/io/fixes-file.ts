import path from "node:path";
import { FIXES_FILE, type FixState, parseFixes } from "../core/fixes.ts";
import { decodeText } from "../core/text.ts";
import { InputError } from "../errors.ts";
import { formatBytes, readUserFile } from "./files.ts";
import { checkReadInside, repositoryOf } from "./inside.ts";

/** Far more than any team's fixes (50,000 of them are some 5 MiB). */
const MAX_FIXES_BYTES = 64 * 1024 * 1024;

/** fixes.yaml beside the roster. */
export function fixesPath(rosterPath: string): string {
  return path.join(path.dirname(rosterPath), FIXES_FILE);
}

/**
 * fixes.yaml read (empty when there is none yet). A broken one is an input
 * error with each problem at its line and column: the same checks as the
 * roster's (a link out of the repository, a directory, text that is not
 * UTF-8, merge-conflict markers), as several people commit it.
 */
export async function readFixesFile(file: string, shown: string): Promise<Map<string, FixState>> {
  await checkReadInside(await repositoryOf(path.dirname(file)), file, FIXES_FILE);
  const result = await readUserFile(file, MAX_FIXES_BYTES, shown);
  if (result.kind === "missing") return new Map();
  const fail = (line: number, col: number, message: string): never => {
    throw new InputError([{ file: shown, line, col, severity: "error", message }]);
  };
  if (result.kind === "too-large") {
    return fail(
      1,
      1,
      `the file is ${formatBytes(result.size)}; rota reads ${FIXES_FILE} up to ${formatBytes(MAX_FIXES_BYTES)}`,
    );
  }
  const decoded = decodeText(result.bytes);
  if (!decoded.ok) return fail(decoded.line, decoded.col, decoded.message);
  const parsed = parseFixes(decoded.text, shown);
  if (!parsed.ok) throw new InputError(parsed.problems);
  return parsed.fixes;
}
