import type { Context } from "../context.ts";
import type { Problem } from "../core/problems.ts";
import type { Roster } from "../core/roster/model.ts";
import { MAX_ROSTER_BYTES, parseRoster } from "../core/roster/parse.ts";
import { decodeText } from "../core/text.ts";
import { UsageError } from "../errors.ts";
import { formatBytes, readUserFile } from "./files.ts";

export interface RosterFile {
  /** The roster as the user should read its path in messages. */
  file: string;
  /** The text read, for commands that rewrite it (swap keeps comments and layout). */
  text: string;
  roster?: Roster;
  problems: Problem[];
}

/**
 * Reads and validates the context's roster. A missing file is a usage error
 * that says how to create one; problems inside the file are returned, not thrown.
 */
export async function readRosterFile(ctx: Context): Promise<RosterFile> {
  const file = ctx.display(ctx.rosterPath);
  const result = await readUserFile(ctx.rosterPath, MAX_ROSTER_BYTES);
  if (result.kind === "missing") {
    throw new UsageError(
      `${file} not found: run \`rota init\` to create a roster, or pass --roster FILE (or -C DIR)`,
    );
  }
  if (result.kind === "too-large") {
    return {
      file,
      text: "",
      problems: [
        {
          file,
          line: 1,
          col: 1,
          severity: "error",
          message: `the roster is ${formatBytes(result.size)}; rota reads rosters up to ${formatBytes(MAX_ROSTER_BYTES)}`,
        },
      ],
    };
  }
  const decoded = decodeText(result.bytes);
  if (!decoded.ok) {
    const { line, col, message } = decoded;
    return { file, text: "", problems: [{ file, line, col, severity: "error", message }] };
  }
  return { file, text: decoded.text, ...parseRoster(decoded.text, file) };
}
