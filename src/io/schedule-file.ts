import { statSync } from "node:fs";
import path from "node:path";
import type { Context } from "../context.ts";
import { findConflicts } from "../core/conflict.ts";
import type { Problem } from "../core/problems.ts";
import { readCanonicalSchedule, renderSchedule, type Schedule } from "../core/schedule/schedule.ts";
import { decodeText } from "../core/text.ts";
import { type FileStamp, formatBytes, readUserFile } from "./files.ts";
import { checkReadInside, isInside, repositoryOf } from "./inside.ts";
import { checkIsFile } from "./reach.ts";

/** schedule.yaml is generated; even ten years of daily shifts stay far below this. */
export const MAX_SCHEDULE_BYTES = 128 * 1024 * 1024;

export interface ScheduleFile {
  /** Absolute path. */
  path: string;
  /** As the user should read it. */
  file: string;
  exists: boolean;
  schedule?: Schedule;
  /** The text read, when the file exists and is text, and its bytes. */
  text?: string;
  bytes?: Uint8Array;
  /** Whether the file is as `rota plan` writes it (read without a YAML parser). */
  canonical?: boolean;
  problems: Problem[];
}

/** `--schedule`, else schedule.yaml beside the roster. */
export function schedulePath(ctx: Context): string {
  return ctx.schedulePath ?? path.join(path.dirname(ctx.rosterPath), "schedule.yaml");
}

/** Reads schedule.yaml; a missing file is an empty schedule, a broken one has problems. */
export async function readScheduleFile(ctx: Context): Promise<ScheduleFile> {
  const read = await readScheduleText(ctx);
  return "text" in read ? scheduleFromText(read) : read.file;
}

/** schedule.yaml's text and bytes, read; or, when there is none to read, the file as read. */
export type ScheduleText = {
  path: string;
  file: string;
  text: string;
  bytes: Uint8Array;
  stamp?: FileStamp;
};

/**
 * Reads schedule.yaml's bytes as text: `{ file }` when it is missing, too
 * large or not text (with its problem), else its text for `scheduleFromText`.
 */
export async function readScheduleText(
  ctx: Context,
): Promise<ScheduleText | { file: ScheduleFile }> {
  const absolute = schedulePath(ctx);
  const file = ctx.display(absolute);
  const repository = await repositoryOf(path.dirname(ctx.rosterPath));
  // `--schedule` may name any file; beside the roster, links must stay inside.
  if (isInside(repository, absolute)) await checkReadInside(repository, absolute, "the schedule");
  const result = await readUserFile(absolute, MAX_SCHEDULE_BYTES);
  if (result.kind !== "missing" && result.kind !== "too-large" && result.bytes.length === 0) {
    // Empty, or a FIFO or device read without waiting: only the latter is refused as such.
    const stats = statSync(absolute, { throwIfNoEntry: false });
    if (stats) checkIsFile(stats, file, `restore it from git: \`git checkout -- ${file}\``);
  }
  if (result.kind === "missing") {
    return {
      file: { path: absolute, file, exists: false, schedule: { entries: [] }, problems: [] },
    };
  }
  const fail = (line: number, col: number, message: string) => ({
    file: {
      path: absolute,
      file,
      exists: true,
      problems: [{ file, line, col, severity: "error" as const, message }],
    },
  });
  if (result.kind === "too-large") {
    return fail(
      1,
      1,
      `the schedule is ${formatBytes(result.size)}; rota reads schedules up to ${formatBytes(MAX_SCHEDULE_BYTES)}`,
    );
  }
  const decoded = decodeText(result.bytes);
  if (!decoded.ok) return fail(decoded.line, decoded.col, decoded.message);
  return { path: absolute, file, text: decoded.text, bytes: result.bytes, stamp: result.stamp };
}

/** The schedule in a text read by `readScheduleText`, or its problems. */
export async function scheduleFromText(read: ScheduleText): Promise<ScheduleFile> {
  const { path: absolute, file, text, bytes } = read;
  const canonical = readCanonicalSchedule(text);
  if (canonical) {
    return {
      path: absolute,
      file,
      exists: true,
      schedule: canonical,
      text,
      bytes,
      canonical: true,
      problems: [],
    };
  }
  // Edited by hand: the yaml package reads it and places every problem.
  const { parseSchedule } = await import("../core/schedule/schedule-yaml.ts");
  let unmerged = false;
  if (findConflicts(text).length > 0) {
    // How to resolve it depends on whether git is still merging it.
    const { isUnmerged } = await import("./git.ts");
    unmerged = await isUnmerged(path.dirname(absolute), path.basename(absolute));
  }
  const parsed = parseSchedule(text, file, { unmerged });
  return parsed.ok
    ? { path: absolute, file, exists: true, schedule: parsed.schedule, text, bytes, problems: [] }
    : { path: absolute, file, exists: true, text, bytes, problems: parsed.problems };
}

/**
 * Writes schedule.yaml atomically; `text` is the schedule's text when already
 * rendered, `shown` the file as messages name it.
 */
export async function writeScheduleFile(
  absolute: string,
  schedule: Schedule,
  text = renderSchedule(schedule),
  shown = absolute,
): Promise<void> {
  // Loaded here: commands that only read the schedule need no writer.
  const { writeFileSafely } = await import("./write.ts");
  await writeFileSafely(absolute, text, shown);
}
