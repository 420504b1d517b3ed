import { close, fstat, open, read } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseNote } from "../core/notes/note.ts";
import { formatProblem } from "../core/problems.ts";
import { type NoteRecord, noteRecord } from "../core/report/notes.ts";
import { decodeText } from "../core/text.ts";
import { formatBytes } from "./files.ts";
import { MAX_NOTE_BYTES, TEAM_TEMPLATE } from "./notes-file.ts";

export interface NotesTree {
  /** Readable notes, in path order. */
  records: NoteRecord[];
  /** One line per note that could not be read, or was read in part. */
  warnings: string[];
}

/** Files read at once: enough to keep the disk and the thread pool busy, few enough for file handles. */
const CONCURRENCY = 64;

/** Every `*.md` below a directory (not following symbolic links), as `/`-separated relative paths. */
async function listMarkdown(dir: string, relative = ""): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(path.join(dir, relative), { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
  const files: string[] = [];
  const subdirs: string[] = [];
  for (const entry of entries) {
    const name = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) subdirs.push(name);
    else if (entry.isFile() && entry.name.endsWith(".md")) files.push(name);
  }
  const nested = await Promise.all(subdirs.map((sub) => listMarkdown(dir, sub)));
  return files.concat(...nested);
}

type Read = { ok: true; bytes: Buffer } | { ok: false; message: string };

/**
 * Reads one file with the callback API: open, fstat, one read, close. The
 * size is known before reading, so an oversized file is refused unread, and
 * it costs fewer trips through the thread pool than fs/promises' readFile.
 */
function readSmallFile(file: string, maxBytes: number): Promise<Read> {
  return new Promise((resolve) => {
    open(file, "r", (openError, fd) => {
      if (openError) return resolve({ ok: false, message: openError.message });
      const finish = (result: Read) => close(fd, () => resolve(result));
      fstat(fd, (statError, stat) => {
        if (statError) return finish({ ok: false, message: statError.message });
        if (stat.size > maxBytes) {
          return finish({
            ok: false,
            message: `it is ${formatBytes(stat.size)}; rota reads notes up to ${formatBytes(maxBytes)}`,
          });
        }
        const buffer = Buffer.allocUnsafe(stat.size);
        const fill = (offset: number) => {
          if (offset >= buffer.length) return finish({ ok: true, bytes: buffer });
          read(fd, buffer, offset, buffer.length - offset, offset, (readError, bytesRead) => {
            if (readError) return finish({ ok: false, message: readError.message });
            if (bytesRead === 0) return finish({ ok: true, bytes: buffer.subarray(0, offset) });
            fill(offset + bytesRead);
          });
        };
        fill(0);
      });
    });
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads every field note below `notes/` beside the roster (except the
 * team's template), in parallel with bounded concurrency, and keeps what a
 * report needs of each. A note that cannot be read — not UTF-8 text, no
 * front matter, no way to tell its shift and person — becomes a warning,
 * never an error: one bad file must not hide everyone else's notes.
 */
export async function readNotesTree(
  rosterDir: string,
  shiftIds: readonly string[],
  display: (file: string) => string,
): Promise<NotesTree> {
  const notesDir = path.join(rosterDir, "notes");
  const template = path.relative("notes", TEAM_TEMPLATE).split(path.sep).join("/");
  const files = (await listMarkdown(notesDir)).filter((file) => file !== template).sort();
  const results: ({ record?: NoteRecord; warnings: string[] } | undefined)[] = new Array(
    files.length,
  );
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const relative = `notes/${files[index] as string}`;
      const absolute = path.join(rosterDir, ...relative.split("/"));
      results[index] = readOne(
        relative,
        display(absolute),
        await readSmallFile(absolute, MAX_NOTE_BYTES),
        shiftIds,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  const records: NoteRecord[] = [];
  const warnings: string[] = [];
  for (const result of results) {
    if (!result) continue;
    if (result.record) records.push(result.record);
    warnings.push(...result.warnings);
  }
  return { records, warnings };
}

function readOne(
  relative: string,
  shown: string,
  read: Read,
  shiftIds: readonly string[],
): { record?: NoteRecord; warnings: string[] } {
  const skipped = (line: number, col: number, message: string) => ({
    warnings: [
      formatProblem({
        file: shown,
        line,
        col,
        severity: "warning",
        message: `${message}; the note is skipped`,
      }),
    ],
  });
  if (!read.ok) return skipped(1, 1, `cannot read it: ${read.message}`);
  let text: string;
  try {
    text = utf8.decode(read.bytes);
  } catch {
    text = "\0";
  }
  if (text.includes("\0")) {
    const decoded = decodeText(read.bytes);
    return decoded.ok
      ? skipped(1, 1, "it is not text")
      : skipped(decoded.line, decoded.col, decoded.message);
  }
  const parsed = parseNote(text, shown);
  if (!parsed.ok) {
    return {
      warnings: parsed.problems.map((p) =>
        formatProblem({ ...p, severity: "warning", message: `${p.message}; the note is skipped` }),
      ),
    };
  }
  const warnings = parsed.warnings.map((p) => formatProblem(p));
  const record = noteRecord(relative, parsed.note, shiftIds);
  if (!record.ok) return { warnings: [...warnings, ...skipped(1, 1, record.message).warnings] };
  return { record: record.record, warnings };
}
