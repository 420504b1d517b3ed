import { isUtf8 } from "node:buffer";
import { constants, createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { notUtf8Message, placeNotUtf8 } from "../core/text.ts";
import {
  detectCsvFormat,
  detectJsonFormat,
  missingCsvColumns,
  readsAsciiOnly,
  readsCsvColumn,
  TICKET_FORMATS,
  type TicketFormat,
  type TicketRecord,
  ticketRecord,
} from "../core/tickets/formats.ts";
import { UsageError } from "../errors.ts";
import { type ByteSource, CsvRefusal, csvRecords } from "./csv-records.ts";
import { PastLimit, readChunks } from "./files.ts";
import { JsonBreak, JsonRecordScanner } from "./json-records.ts";
import { checkIsFile } from "./reach.ts";

/**
 * Reads a help-desk export from disk, one row at a time: CSV through
 * csv-records (csv-parse's records, found faster), JSON documents through a scanner that hands the
 * records of their list to JSON.parse a chunk of the file at a time (never
 * the whole list at once), JSON lines a read of the file at a time. Each row goes to `sink`
 * as a ticket record; the export itself is never held whole.
 */

/** The lists of records a JSON export can hold, as the vendors name them. */
const LIST_KEYS = [
  "tickets",
  "ticket_metrics",
  "satisfaction_ratings",
  "conversations",
  "results",
  "data",
  "records",
];

/** Where a JSON document's list of records may be. */
export const LIST_PLACES = { keys: LIST_KEYS, nested: { _embedded: ["conversations"] } };

const HEAD_BYTES = 64 * 1024;

/**
 * The largest export rota reads, in GiB: over ten times the largest measured
 * (docs/tickets.md), and a bound on a file that would never end.
 */
const MAX_EXPORT_GIB = 4;
const MAX_EXPORT_BYTES = MAX_EXPORT_GIB * 1024 ** 3;

/** What to do with a pipe, socket or device given as an export. */
export const SAVE_EXPORT =
  "save the export to one first, e.g. `gunzip -c export.csv.gz > export.csv`";

const tooLarge = (shown: string) =>
  new UsageError(
    `--tickets ${shown}: it is larger than ${MAX_EXPORT_GIB} GiB, the most rota reads of one export; export a shorter period, or split it into files each given with --tickets`,
  );

/** The bytes of an export, a read at a time; past MAX_EXPORT_BYTES, PastLimit. */
const exportChunks = (
  file: string,
  options: { highWaterMark?: number; start?: number; end?: number } = {},
) => readChunks(file, MAX_EXPORT_BYTES, options);

/** How the text of an export is encoded, as its byte-order mark says (UTF-8 without one). */
type Encoding = "utf8" | "utf16le" | "utf16be";

/**
 * Bytes read at once. A 1 MiB read's text and records outlive young-generation
 * collections and pile up until a full one: a 500,000-ticket CSV export
 * peaked 70 MB higher, for no less time.
 */
export const READ = 256 * 1024;

/**
 * The start of a file, as text, and its encoding. Only a file of at most
 * MAX_EXPORT_BYTES is read: a directory, a pipe, a socket or a device is refused.
 */
async function head(file: string, shown: string): Promise<{ text: string; encoding: Encoding }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // Without waiting: a named pipe opened for reading waits for a writer, which may never come.
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT"
        ? `--tickets ${shown}: no such file`
        : `--tickets ${shown}: cannot be read (${code ?? String(error)})`,
    );
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) {
      throw new UsageError(`--tickets ${shown}: it is a directory; name an export file in it`);
    }
    checkIsFile(stats, `--tickets ${shown}`, SAVE_EXPORT);
    if (stats.size > MAX_EXPORT_BYTES) throw tooLarge(shown);
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const bytes = buffer.subarray(0, bytesRead);
    const encoding: Encoding =
      bytes[0] === 0xff && bytes[1] === 0xfe
        ? "utf16le"
        : bytes[0] === 0xfe && bytes[1] === 0xff
          ? "utf16be"
          : "utf8";
    if (encoding !== "utf8") {
      // csv-parse reads a UTF-16 CSV; rota's JSON readers take bytes as UTF-8 or Latin-1.
      const text = new TextDecoder(encoding === "utf16le" ? "utf-16le" : "utf-16be").decode(bytes);
      const first = text.trimStart()[0];
      if (first === "{" || first === "[") {
        throw new UsageError(
          `--tickets ${shown}:1:1: the file is saved as UTF-16; rota reads JSON exports as UTF-8: save it as UTF-8`,
        );
      }
      return { text, encoding };
    }
    return { text: bytes.toString("utf8").replace(/^\uFEFF/, ""), encoding };
  } finally {
    await handle.close();
  }
}

function formatFlag(value: string | undefined): TicketFormat | undefined {
  if (value === undefined) return undefined;
  if (!(TICKET_FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(
      `--tickets-format must be one of ${TICKET_FORMATS.join(", ")}, not "${value}"`,
    );
  }
  return value as TicketFormat;
}

/** What an export's first record holds, for a message: its first fields, or none. */
function recordFields(row: Record<string, unknown>): string {
  const keys = Object.keys(row);
  return keys.length === 0 ? "its records have no fields" : `its records have ${namesOf(keys)}`;
}

/**
 * The first few column or field names, for a message: each cut to 40
 * characters, so that a file whose "names" are megabytes long gets a message
 * of a line.
 */
function namesOf(names: readonly string[]): string {
  return names.slice(0, 8).map(cut).join(", ");
}

/** A column or field name cut to 40 characters, for a message. */
const cut = (name: string) => (name.length > 40 ? `${name.slice(0, 39)}…` : name);

/** The longest first line a CSV export may have: its column names. */
const FIRST_LINE_LIMIT = 1 << 20;

/**
 * Refuses a file whose first line runs past `FIRST_LINE_LIMIT` (no line
 * break in it): no help desk's header is that long, and reading such a line
 * whole as the header (megabytes of zero bytes, say) would take minutes.
 */
async function checkFirstLine(file: string, shown: string): Promise<void> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(FIRST_LINE_LIMIT + 1);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead <= FIRST_LINE_LIMIT || head.indexOf(0x0a) !== -1) return;
  } finally {
    await handle.close();
  }
  throw new UsageError(
    `--tickets ${shown}: its first line runs past 1 MiB without a line break; a help desk's CSV export starts with a line of column names (see docs/tickets.md)`,
  );
}

function undetected(shown: string, what: string): UsageError {
  return new UsageError(
    `--tickets ${shown}: cannot tell which help desk exported it (${what}); pass --tickets-format ${TICKET_FORMATS.join("|")}, or see docs/tickets.md for the fields rota reads`,
  );
}

/**
 * Reads one export; returns its format and how many rows it held. An export
 * that is not UTF-8 (Latin-1 or Windows-1252, as spreadsheets save CSV) is
 * refused at its first such byte, however many threads read it: it is
 * checked beside the read, as a whole, and that refusal comes before any other.
 */
export async function readTicketFile(
  file: string,
  shown: string,
  formatText: string | undefined,
  sink: (record: TicketRecord) => void,
  threads = 1,
): Promise<{ format: TicketFormat; rows: number }> {
  const given = formatFlag(formatText);
  const start = await head(file, shown);
  // UTF-16 is read by csv-parse (it knows the byte-order mark), so it is not checked as UTF-8.
  const checked = start.encoding === "utf8" ? notUtf8(file) : Promise.resolve(undefined);
  // Under a format given by --tickets-format: whether any ticket named an agent in that format's fields.
  let tickets = 0;
  let placed = false;
  const counted =
    given === undefined
      ? sink
      : (record: TicketRecord) => {
          if (record.kind === "ticket") {
            tickets++;
            placed ||= record.agents.length > 0;
          }
          sink(record);
        };
  let read: { format: TicketFormat; rows: number };
  try {
    read = await readTicketText(file, shown, start, given, counted, threads);
  } catch (error) {
    const bad = await checked;
    if (bad) throw notUtf8Error(shown, bad, start.text);
    // A file that grew past the limit as it was read (or a pseudo-file without end).
    throw error instanceof PastLimit ? tooLarge(shown) : error;
  }
  const bad = await checked;
  if (bad) throw notUtf8Error(shown, bad, start.text);
  // Another help desk's JSON read as this one's: every ticket would be counted as having no agent.
  if (given !== undefined && tickets > 0 && !placed) {
    throw new UsageError(
      `--tickets ${shown}: --tickets-format ${given}: none of its ${tickets} ${tickets === 1 ? "record names" : "records name"} an agent where a ${given} export does; it may be another help desk's export (leave out --tickets-format for rota to tell, or see docs/tickets.md for the fields each export has)`,
    );
  }
  return read;
}

function notUtf8Error(shown: string, { line, col, byte }: NotUtf8, start: string): UsageError {
  const first = start.trimStart()[0];
  const csv = first !== "{" && first !== "[";
  return new UsageError(
    `--tickets ${shown}:${line}:${col}: ${notUtf8Message(byte)}${csv ? ' (in Excel, "CSV UTF-8 (Comma delimited)")' : ""}`,
  );
}

interface NotUtf8 {
  line: number;
  col: number;
  byte: number;
}

/**
 * The first byte of a file that is not UTF-8, placed; undefined when there
 * is none. Read a chunk at a time, a character cut by a chunk's end carried
 * to the next; resolves (never rejects) once it knows.
 */
async function notUtf8(file: string): Promise<NotUtf8 | undefined> {
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  try {
    for await (const chunk of exportChunks(file, { highWaterMark: READ })) {
      const bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      const whole = bytes.length - cutCharacter(bytes);
      if (!isUtf8(bytes.subarray(0, whole))) return await placeIn(file, offset, bytes);
      offset += whole;
      carry = bytes.subarray(whole);
    }
  } catch {
    // The read says what is wrong with the file.
    return undefined;
  }
  return carry.length > 0 ? placeIn(file, offset, carry) : undefined;
}

/** How many bytes at the end of `bytes` start a character they do not finish (0 to 3). */
function cutCharacter(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > back ? back : 0;
  }
  return 0;
}

/** The first byte that is not UTF-8 in `bytes`, read from `offset`: its line and column in the file. */
async function placeIn(file: string, offset: number, bytes: Buffer): Promise<NotUtf8> {
  const at = placeNotUtf8(bytes, offset === 0);
  if (offset === 0) return at;
  // On the line that runs into these bytes: its characters before them count too.
  let lines = 0;
  let chars = 0;
  let first = true;
  for await (const chunk of createReadStream(file, { end: offset - 1, highWaterMark: 1 << 20 })) {
    for (const b of chunk as Buffer) {
      if (b === 0x0a) {
        lines++;
        chars = 0;
      } else if ((b & 0xc0) !== 0x80) chars++;
    }
    if (first && lines === 0 && (chunk as Buffer).subarray(0, 3).equals(UTF8_BOM)) chars--;
    first = false;
  }
  return { line: lines + at.line, col: at.line > 1 ? at.col : chars + at.col, byte: at.byte };
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function readTicketText(
  file: string,
  shown: string,
  { text: start, encoding }: { text: string; encoding: Encoding },
  given: TicketFormat | undefined,
  sink: (record: TicketRecord) => void,
  threads: number,
): Promise<{ format: TicketFormat; rows: number }> {
  const first = start.trimStart()[0];
  if (first === "[" || first === "{") {
    const line = start.trimStart().split("\n", 1)[0] ?? "";
    let lineRecord: unknown;
    try {
      lineRecord = first === "{" ? JSON.parse(line) : undefined;
    } catch {
      lineRecord = undefined;
    }
    if (lineRecord && typeof lineRecord === "object" && !Array.isArray(lineRecord)) {
      const keys = Object.keys(lineRecord);
      const listKey = LIST_KEYS.find((key) =>
        Array.isArray((lineRecord as Record<string, unknown>)[key]),
      );
      // A whole document on one line ({"tickets": [...]}) is not JSON lines.
      if (listKey === undefined && !keys.includes("_embedded")) {
        return readJsonLines(file, shown, start, given, sink, threads);
      }
    }
    return readJson(file, shown, given, sink, threads);
  }
  return readCsv(file, shown, encoding, given, sink);
}

/**
 * The bytes of a UTF-16 big-endian text as little-endian, which csv-parse
 * reads (Node decodes no big-endian UTF-16): each pair swapped, a byte-order
 * mark included, a pair cut by a read's end completed by the next.
 */
async function* littleEndian(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const chunk of chunks) {
    const bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
    const even = bytes.length - (bytes.length % 2);
    carry = even < bytes.length ? Buffer.from(bytes.subarray(even)) : undefined;
    yield bytes.subarray(0, even).swap16();
  }
  // An odd last byte: csv-parse says what it makes of it.
  if (carry !== undefined) yield carry;
}

async function readCsv(
  file: string,
  shown: string,
  encoding: Encoding,
  given: TicketFormat | undefined,
  sink: (record: TicketRecord) => void,
): Promise<{ format: TicketFormat; rows: number }> {
  const bytes: ByteSource = (chunkSize) => {
    const chunks = exportChunks(file, { highWaterMark: chunkSize });
    return encoding === "utf16be" ? littleEndian(chunks) : chunks;
  };
  // Records come as arrays (no object per row); each becomes a row keyed by
  // the trimmed, lower-cased headers, as csv-parse's `columns` would make it.
  let format = given;
  let rows = 0;
  let headers: string[] | undefined;
  // A full row is one object refilled each time: rows are read, never kept.
  let full: Record<string, string> | undefined;
  await checkFirstLine(file, shown);
  try {
    for await (const batch of csvRecords(bytes, READ)) {
      for (const fields of batch) {
        if (headers === undefined) {
          headers = fields.map((h) => String(h).trim().toLowerCase());
          checkHeaders(shown, headers, given);
          // The columns tell the help desk: an export of a quiet week, a header alone, is read as none.
          format ??= detectCsvFormat(headers);
          if (format === undefined) {
            throw undetected(shown, `its columns are ${namesOf(headers)}`);
          }
          checkRepeatedColumns(shown, fields, headers, format);
          continue;
        }
        const row = rowOf(headers, fields, fields.length >= headers.length ? full : undefined);
        if (fields.length >= headers.length) full = row;
        rows++;
        const record = ticketRecord(format as TicketFormat, row);
        if (record) sink(record);
      }
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof PastLimit) throw error;
    if (error instanceof CsvRefusal) throw refusedCsv(shown, error);
    throw new UsageError(
      `--tickets ${shown}: not a CSV file rota can read: ${(error as Error).message}`,
    );
  }
  if (format === undefined) {
    // An empty file named as JSON is no CSV without its header.
    const json = /\.(?:json|jsonl|ndjson)$/i.test(shown);
    throw undetected(shown, json ? "it is empty" : "it is empty, without even a header line");
  }
  return { format, rows };
}

/**
 * A record csv-parse cannot read, at the line it starts on, with what to do.
 * An unclosed quote is most often a file cut short, or a quote typed in a
 * field by hand without doubling it.
 */
function refusedCsv(shown: string, refusal: CsvRefusal): UsageError {
  const at = `--tickets ${shown}:${refusal.line}`;
  switch (refusal.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new UsageError(
        `${at}: a quote (") in the record starting on this line is never closed, so the file ends inside a field: close the field with a quote, writing a quote inside a field as two (""), or export the file again if it was cut short`,
      );
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
    case "CSV_INVALID_CLOSING_QUOTE":
      return new UsageError(
        `${at}: a field in the record starting on this line goes on after its closing quote (as "ada"x does): put the whole field in quotes, writing a quote inside it as two ("ada""x"), or export the file again`,
      );
    default:
      return new UsageError(
        `${at}: the record starting on this line is not CSV rota can read (${refusal.message}): correct it, or export the file again`,
      );
  }
}

/**
 * Refuses a CSV header rota cannot read rows by: one separated by semicolons
 * (as spreadsheets save CSV where the comma is the decimal mark), or one
 * without the columns the format given by --tickets-format needs.
 */
function checkHeaders(shown: string, headers: readonly string[], given: TicketFormat | undefined) {
  const line = headers.join(",");
  if (line.split(";").length > headers.length) {
    throw new UsageError(
      `--tickets ${shown}: its columns are separated by semicolons (${line.slice(0, 80)}), as spreadsheets save CSV where the comma is the decimal mark; rota reads comma-separated CSV: export it again with commas (in Excel, "CSV UTF-8 (Comma delimited)")`,
    );
  }
  if (given === undefined) return;
  const missing = missingCsvColumns(given, headers);
  if (missing.length > 0) {
    throw new UsageError(
      `--tickets ${shown}: --tickets-format ${given} needs the column${missing.length === 1 ? "" : "s"} ${missing.join(" and ")}, which it lacks (its columns are ${namesOf(headers)}); see docs/tickets.md for the fields each help desk's export has`,
    );
  }
}

/**
 * Refuses a CSV in which a column rota reads for `format` is named twice
 * (as headers are matched, without regard to case or surrounding spaces):
 * a row would hold only the later one's field, even an empty one, and which
 * the help desk meant cannot be told. A repeated column rota does not read
 * makes no difference and is let be.
 */
function checkRepeatedColumns(
  shown: string,
  written: readonly string[],
  headers: readonly string[],
  format: TicketFormat,
) {
  for (const [i, name] of headers.entries()) {
    if (!readsCsvColumn(format, name) || headers.indexOf(name) !== i) continue;
    const at = headers.flatMap((other, j) => (other === name ? [j] : []));
    if (at.length < 2) continue;
    const columns = at.map((j) => `${j + 1} (${JSON.stringify(cut(String(written[j]).trim()))})`);
    throw new UsageError(
      `--tickets ${shown}:1: the column "${cut(name)}" appears ${at.length === 2 ? "twice" : `${at.length} times`}, as columns ${columns.slice(0, -1).join(", ")} and ${columns.at(-1)} (names are matched without regard to case or surrounding spaces), so rota cannot tell which to read: remove or rename ${at.length === 2 ? "one of them" : "all but one"}`,
    );
  }
}

/**
 * A record's fields by header, as csv-parse's `columns` gives them: fields
 * past the headers left out, a short record without the headers it lacks, a
 * header given twice (one rota does not read: checkRepeatedColumns) holding
 * the later field. Into `reuse` when given.
 */
function rowOf(
  headers: readonly string[],
  fields: readonly string[],
  reuse: Record<string, string> | undefined,
): Record<string, string> {
  const row = reuse ?? (Object.create(null) as Record<string, string>);
  const count = Math.min(headers.length, fields.length);
  for (let i = 0; i < count; i++) row[headers[i] as string] = fields[i] as string;
  return row;
}

/** Reads JSON lines; `start` is the file's head, as read to tell what it holds. */
async function readJsonLines(
  file: string,
  shown: string,
  start: string,
  given: TicketFormat | undefined,
  sink: (record: TicketRecord) => void,
  threads: number,
): Promise<{ format: TicketFormat; rows: number }> {
  if (threads > 1) {
    const format = given ?? formatOfFirstLine(start);
    const { readLinesInThreads } = await import("./tickets-threads.ts");
    const rows =
      format === undefined ? undefined : await readLinesInThreads(file, format, threads, sink);
    if (rows instanceof LineBreak) throw lineError(shown, rows);
    if (rows !== undefined && format !== undefined) return { format, rows };
  }
  const lines = new JsonLines(given, 0, (row) => {
    throw undetected(shown, recordFields(row));
  });
  try {
    for await (const batch of lineBatches(file, READ, "latin1")) lines.take(batch, sink);
  } catch (error) {
    if (error instanceof LineBreak) throw lineError(shown, error);
    throw error;
  }
  if (lines.format === undefined) throw undetected(shown, "it holds no records");
  return { format: lines.format, rows: lines.rows };
}

const lineError = (shown: string, error: LineBreak) =>
  new UsageError(`--tickets ${shown}:${error.line}: not a JSON record: ${error.message}`);

/** A line of JSON lines that does not parse: its number (1-based) and JSON.parse's complaint. */
export class LineBreak extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The format the first record of JSON lines tells, found in the file's
 * first 64 KiB as the whole file is read (lines split alike, blank and
 * other lines skipped); undefined where that is not sure (no record whose
 * line ends there, or a line that does not parse), for the file to be read
 * in one thread, which says why.
 */
function formatOfFirstLine(start: string): TicketFormat | undefined {
  const cut = Math.max(start.lastIndexOf("\n"), start.lastIndexOf("\r"));
  if (cut === -1) return undefined;
  for (const line of splitLines(start.slice(0, cut))) {
    if (line.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (!row || typeof row !== "object" || Array.isArray(row)) continue;
    return detectJsonFormat(row as Record<string, unknown>);
  }
  return undefined;
}

/**
 * JSON lines read in order, a batch of lines at a time: each line that is a
 * record becomes a ticket record. `before` is how many lines of the file
 * came before the first batch (0: it is the file's first line, which may
 * begin with a byte order mark).
 */
export class JsonLines {
  rows = 0;
  private number: number;

  constructor(
    public format: TicketFormat | undefined,
    private readonly before: number,
    private readonly undetectable: (row: Record<string, unknown>) => never,
  ) {
    this.number = before;
  }

  /** Lines read so far. */
  get lines(): number {
    return this.number - this.before;
  }

  take(batch: readonly string[], sink: (record: TicketRecord) => void): void {
    // Lines come as latin1 (one character a byte: the line's own bytes). Once
    // the format is known, a line that parses as it is and whose fields read
    // are ASCII is taken from there (see JsonRecordScanner's `sameAsUtf8` for
    // why it is then the same record); any other is read as UTF-8, as always.
    let format = this.format;
    for (const line of batch) {
      const number = ++this.number;
      let row = format !== undefined && number > 1 ? asciiRecord(line, format) : UNREAD;
      if (row === UNREAD) {
        const utf8 = Buffer.from(line, "latin1").toString("utf8");
        const text = number === 1 ? utf8.replace(/^\uFEFF/, "") : utf8;
        if (text.trim() === "") continue;
        try {
          row = JSON.parse(text);
        } catch (error) {
          throw new LineBreak(number, (error as Error).message);
        }
      }
      if (!row || typeof row !== "object" || Array.isArray(row)) continue;
      format ??= detectJsonFormat(row as Record<string, unknown>);
      if (format === undefined) this.undetectable(row as Record<string, unknown>);
      this.format = format;
      this.rows++;
      const record = ticketRecord(format, row as Record<string, unknown>);
      if (record) sink(record);
    }
  }
}

/**
 * The lines of a file in batches, as node:readline gives them with
 * `crlfDelay: Infinity` (CRLF, LF and a lone CR each end a line; an empty
 * last line is none), split a read of the file at a time rather than one
 * event per line.
 */
export async function* lineBatches(
  file: string,
  chunkSize = 1 << 20,
  encoding: "utf8" | "latin1" = "utf8",
  range: { start: number; end: number } | undefined = undefined,
): AsyncGenerator<string[]> {
  let pending: Buffer = Buffer.alloc(0);
  const bytes = { highWaterMark: chunkSize, start: range?.start, end: range?.end };
  for await (const chunk of exportChunks(file, bytes)) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    // Up to the last line feed, or a carriage return the next byte shows is alone.
    const lf = pending.lastIndexOf(0x0a);
    const cr = pending.length < 2 ? -1 : pending.lastIndexOf(0x0d, pending.length - 2);
    const cut = Math.max(lf, cr) + 1;
    if (cut === 0) continue;
    const lines = splitLines(pending.toString(encoding, 0, cut));
    lines.pop();
    pending = pending.subarray(cut);
    yield lines;
  }
  if (pending.length > 0) {
    const lines = splitLines(pending.toString(encoding));
    if (lines.at(-1) === "") lines.pop();
    yield lines;
  }
}

const LINE_BREAK = /\r\n|\n|\r/;

/** Split at each line break; without a carriage return, at each line feed (the same, faster). */
const splitLines = (text: string) =>
  text.includes("\r") ? text.split(LINE_BREAK) : text.split("\n");

/** A line not parsed yet. */
const UNREAD = Symbol("unread");

/**
 * A line read as latin1, parsed as it is: its value when that is sure to be
 * the UTF-8 line's (anything but a record, or a record whose fields read are
 * ASCII); else UNREAD, for the line to be read as UTF-8 (and, when it does
 * not parse, to say why).
 */
function asciiRecord(line: string, format: TicketFormat): unknown {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    return UNREAD;
  }
  if (!row || typeof row !== "object" || Array.isArray(row)) return row;
  return readsAsciiOnly(format, row as Record<string, unknown>) ? row : UNREAD;
}

async function readJson(
  file: string,
  shown: string,
  given: TicketFormat | undefined,
  sink: (record: TicketRecord) => void,
  threads: number,
): Promise<{ format: TicketFormat; rows: number }> {
  let skip = 0;
  if (threads > 1) {
    const format = given ?? (await formatOfFirstRecord(file));
    const { readJsonInThreads } = await import("./tickets-threads.ts");
    const read =
      format === undefined ? undefined : await readJsonInThreads(file, format, threads, sink);
    if (read instanceof JsonBreak) throw await jsonError(file, shown, read);
    if (typeof read === "number" && format !== undefined) return { format, rows: read };
    // A range began inside a record: read again, past the records handed on.
    if (typeof read === "object") skip = read.handedOn;
  }
  let format = given;
  let rows = 0;
  let listKey: string | undefined;
  const scanner = new JsonRecordScanner(
    LIST_PLACES,
    (row) => {
      if (format === undefined) {
        format = detectJsonFormat(row, listKey);
        if (format === undefined) {
          throw undetected(shown, recordFields(row));
        }
      }
      rows++;
      const record = ticketRecord(format, row);
      if (!record) return;
      if (skip > 0) skip--;
      else sink(record);
    },
    (key) => {
      listKey = key;
    },
    // Until the first record tells the format, records are read as UTF-8.
    (row) => format !== undefined && readsAsciiOnly(format, row),
  );
  try {
    for await (const chunk of exportChunks(file, { highWaterMark: READ })) scanner.write(chunk);
    scanner.end();
  } catch (error) {
    if (error instanceof JsonBreak) throw await jsonError(file, shown, error);
    throw error;
  }
  if (!scanner.found) {
    throw undetected(shown, `no list named ${LIST_KEYS.join(", ")} in it`);
  }
  if (format === undefined) throw undetected(shown, "it holds no records");
  return { format, rows };
}

async function jsonError(file: string, shown: string, error: JsonBreak): Promise<UsageError> {
  const line = await lineAt(file, error.byte);
  return new UsageError(
    `--tickets ${shown}:${line}: not JSON rota can read: ${error.message} (byte ${error.byte + 1})`,
  );
}

/**
 * The format the first record of a JSON document tells, found in its first
 * MiB as the whole file is read; undefined where that is not sure (no
 * record there, or damage before one), for the file to be read in one
 * thread, which says why.
 */
async function formatOfFirstRecord(file: string): Promise<TicketFormat | undefined> {
  let first: Record<string, unknown> | undefined;
  let listKey: string | undefined;
  const scanner = new JsonRecordScanner(
    LIST_PLACES,
    (row) => {
      first ??= row;
    },
    (key) => {
      listKey = key;
    },
  );
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(FIRST_RECORD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, FIRST_RECORD_BYTES, 0);
    scanner.write(buffer.subarray(0, bytesRead));
  } catch (error) {
    if (error instanceof JsonBreak) return undefined;
    throw error;
  } finally {
    await handle.close();
  }
  return first && detectJsonFormat(first, listKey);
}

const FIRST_RECORD_BYTES = 1024 * 1024;

/** The line (1-based) of a byte of a file, counted only when a file is refused. */
async function lineAt(file: string, byte: number): Promise<number> {
  let line = 1;
  let seen = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buffer = chunk as Buffer;
    const upto = Math.min(buffer.length, byte - seen);
    let at = buffer.indexOf(0x0a, 0);
    while (at !== -1 && at < upto) {
      line++;
      at = buffer.indexOf(0x0a, at + 1);
    }
    seen += buffer.length;
    if (seen >= byte) break;
  }
  return line;
}
