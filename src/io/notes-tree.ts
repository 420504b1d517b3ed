import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseNote } from "../core/notes/note.ts";
import { formatProblem, type Problem, sortProblems } from "../core/problems.ts";
import {
  type NoteRecord,
  type NoteRecordOptions,
  noteRecord,
  oneNotePerShift,
} from "../core/report/notes.ts";
import { decodeText } from "../core/text.ts";
import { readInBackground } from "./background-reader.ts";
import { formatBytes } from "./files.ts";
import { checkReadInside, repositoryOf } from "./inside.ts";
import { MAX_NOTE_BYTES, TEAM_TEMPLATE } from "./notes-file.ts";

export interface NotesTree {
  /** Readable notes, in path order. */
  records: NoteRecord[];
  /** One line per note that could not be read, or was read in part. */
  warnings: string[];
}

/** What the notes' folders hold that is not read: a symbolic link, or a folder named as a note is. */
type Skipped = { name: string; what: "link" | "folder" };

/**
 * Every `*.md` below a directory, as `/`-separated relative paths. Symbolic
 * links are not followed, nor folders named `*.md`: each is added to
 * `skipped` instead.
 */
async function listMarkdown(dir: string, skipped: Skipped[], relative = ""): Promise<string[]> {
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
    const markdown = entry.name.endsWith(".md");
    if (entry.isDirectory()) {
      if (markdown) skipped.push({ name, what: "folder" });
      else subdirs.push(name);
    } else if (entry.isFile() && markdown) files.push(name);
    else if (entry.isSymbolicLink()) skipped.push({ name, what: "link" });
  }
  const nested = await Promise.all(subdirs.map((sub) => listMarkdown(dir, skipped, sub)));
  return files.concat(...nested);
}

type Read = { ok: true; bytes: Buffer } | { ok: false; message: string };

/** Most notes are a few KiB: one read into this buffer takes them whole. */
const CHUNK = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads one file synchronously: open, one read, close (and fstat only for a
 * file that fills the buffer, to refuse an oversized one before reading it
 * all). Measured on 50,000 notes on a 2-core machine, this is about five
 * times faster than any pool of asynchronous reads: each of those costs
 * several trips through libuv's thread pool, and the work per file is tiny.
 */
function readSmallFile(file: string, maxBytes: number): Read {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  try {
    const first = readSync(fd, CHUNK, 0, CHUNK.length, 0);
    // Decoded before the next read, so the shared buffer needs no copy.
    if (first < CHUNK.length) return { ok: true, bytes: CHUNK.subarray(0, first) };
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      return {
        ok: false,
        message: `it is ${formatBytes(size)}; rota reads notes up to ${formatBytes(maxBytes)}`,
      };
    }
    const whole = Buffer.allocUnsafe(size);
    CHUNK.copy(whole, 0, 0, first);
    let length = first;
    while (length < size) {
      const read = readSync(fd, whole, length, size - length, length);
      if (read === 0) break;
      length += read;
    }
    return { ok: true, bytes: whole.subarray(0, length) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** What was read: records and warnings (each warning's file relative to the roster). */
interface Part {
  records: NoteRecord[];
  warnings: Problem[];
}

/**
 * Reads every field note below `notes/` beside the roster (except the
 * team's template), and keeps what a report needs of each. A note that
 * cannot be read — not UTF-8 text, no front matter, no way to tell its shift
 * and person — becomes a warning, never an error: one bad file must not hide
 * everyone else's notes.
 *
 * Parsed in this thread, with synchronous reads: on a 2-core machine a worker
 * thread parsing half the notes made a report of 50,000 notes slower, not
 * faster (starting it and copying its records back cost more than the
 * parsing it took over). With `threads` of 2 or more, a second thread only
 * reads many notes' bytes ahead of the parsing (background-reader.ts).
 */
export async function readNotesTree(
  rosterDir: string,
  shiftIds: readonly string[],
  display: (file: string) => string,
  /** `threads`: with two or more, many notes are read by a second thread (io/background-reader.ts). */
  options: { answers?: readonly string[]; threads?: number } = {},
): Promise<NotesTree> {
  const notesDir = path.join(rosterDir, "notes");
  await checkReadInside(await repositoryOf(rosterDir), notesDir, "notes");
  const template = path.relative("notes", TEAM_TEMPLATE).split(path.sep).join("/");
  const skipped: Skipped[] = [];
  const files = (await listMarkdown(notesDir, skipped)).filter((file) => file !== template).sort();
  const part = await readFiles(notesDir, files, shiftIds, options.answers, options.threads ?? 1);
  const shown = (file: string) => display(path.join(rosterDir, ...file.split("/")));
  const { kept, skipped: doubles } = oneNotePerShift(part.records);
  // Each note's warnings in the order of the files' names.
  const problems =
    doubles.length === 0
      ? part.warnings
      : sortProblems([
          ...part.warnings,
          ...doubles.map(({ file, message }) => ({
            file,
            line: 1,
            col: 1,
            severity: "warning" as const,
            message,
          })),
        ]);
  const warnings = [
    ...skipped
      .filter(({ name }) => name !== template)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ name, what }) =>
        what === "link"
          ? `${shown(`notes/${name}`)}: warning: it is a symbolic link; rota reads notes only from plain files and folders inside the repository, so it is skipped`
          : `${shown(`notes/${name}`)}: warning: it is a folder, not a notes file, so it is skipped; notes are markdown files`,
      ),
    ...problems.map((problem) => formatProblem({ ...problem, file: shown(problem.file) })),
  ];
  return { records: kept, warnings };
}

/** Strings from notes up to this length are kept once however many notes repeat them. */
const INTERNED_LENGTH = 200;

/** Notes there must be before a second thread reads them. */
const BACKGROUND_FILES = 1000;

async function readFiles(
  notesDir: string,
  files: readonly string[],
  shiftIds: readonly string[],
  answers: readonly string[] | undefined,
  threads: number,
): Promise<Part> {
  // Strings kept from a note are copied out of its text: a substring would
  // keep the whole file in memory. A short one is kept once for every note
  // that has it (a tag, a date, a shift's end, a person, a one-line answer):
  // 50,000 notes repeat most of theirs, which made a third of their memory.
  const copy = (text: string): string => (text.length < 13 ? text : ` ${text}`.slice(1));
  const kept = new Map<string, string>();
  const own = (text: string): string => {
    if (text.length > INTERNED_LENGTH) return copy(text);
    let one = kept.get(text);
    if (one === undefined) {
      one = copy(text);
      kept.set(one, one);
    }
    return one;
  };
  const recordOptions: NoteRecordOptions = {
    ...(answers ? { answers } : {}),
    intern: own,
  };
  const part: Part = { records: [], warnings: [] };
  const read = (i: number, bytes?: Buffer) => {
    const file = files[i] as string;
    const result: Read = bytes
      ? { ok: true, bytes }
      : readSmallFile(path.join(notesDir, file), MAX_NOTE_BYTES);
    readOne(`notes/${file}`, result, shiftIds, recordOptions, part);
  };
  if (
    threads >= 2 &&
    files.length >= BACKGROUND_FILES &&
    (await readInBackground(
      files.map((file) => path.join(notesDir, file)),
      read,
    ))
  ) {
    return part;
  }
  for (let i = 0; i < files.length; i++) read(i);
  return part;
}

function readOne(
  relative: string,
  read: Read,
  shiftIds: readonly string[],
  options: NoteRecordOptions,
  part: Part,
): void {
  const skipped = (line: number, col: number, message: string) => {
    part.warnings.push({
      file: relative,
      line,
      col,
      severity: "warning",
      message: `${message}; the note is skipped`,
    });
  };
  if (!read.ok) {
    skipped(1, 1, `cannot read it: ${read.message}`);
    return;
  }
  let text: string;
  try {
    text = utf8.decode(read.bytes);
  } catch {
    text = "\0";
  }
  if (text.includes("\0")) {
    const decoded = decodeText(read.bytes);
    if (decoded.ok) skipped(1, 1, "it is not text");
    else skipped(decoded.line, decoded.col, decoded.message);
    return;
  }
  const parsed = parseNote(text, relative);
  if (!parsed.ok) {
    for (const p of parsed.problems) skipped(p.line, p.col, p.message);
    return;
  }
  // One at a time: a damaged note may have more warnings than a call takes arguments.
  for (const warning of parsed.warnings) part.warnings.push(warning);
  const record = noteRecord(relative, parsed.note, shiftIds, options);
  if (record.ok) part.records.push(record.record);
  else skipped(record.line, 1, record.message);
}
