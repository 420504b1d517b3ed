import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { CsvError, parse as parseCsv } from "csv-parse";

/**
 * The records of a big CSV export, as csv-parse reads them with rota's
 * options (below), in batches. csv-parse follows every byte through a state
 * machine, most of the time a 500,000-ticket export takes; this reader splits
 * the records it can tell apart for certain with string searches (fields
 * plain or quoted, on one line or many) and hands the rest of the file to
 * csv-parse at the first record it is not sure of: a record opening with a
 * character csv-parse would trim other than a space, a quote closed by
 * anything but a comma, spaces or the line's end, or anything csv-parse
 * refuses. A file whose first line is not plain text ending in a line feed
 * (or CRLF) is csv-parse's from its first byte. When csv-parse refuses a
 * file, its own reading of the whole file gives the message, so a damaged
 * file is refused with the same words however it is read, at the line the
 * record it refused starts on (CsvRefusal).
 */

export const CSV_OPTIONS = {
  bom: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  trim: true,
} as const;

/** What csv-parse may trim (its list of white space, all of which this is). */
const WHITE = /\s/;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** Records handed on at once. */
const BATCH = 1024;

/** Why the records are csv-parse's from here on: a record this reader is not sure of. */
const UNSURE = -1;
/** The record goes on past the text read so far. */
const MORE = -2;

/** Splits records off `text` from `from`; see `next`. */
class Splitter {
  /** Where the record being read ends (after its record delimiter), when `next` returns a record. */
  end = 0;

  constructor(readonly crlf: boolean) {}

  /**
   * The record starting at `from` (null for an empty line csv-parse skips),
   * with `end` after it; or UNSURE, or MORE when `text` ends first and the
   * file does not (`last` false).
   */
  next(text: string, from: number, last: boolean): string[] | null | typeof UNSURE | typeof MORE {
    const n = text.length;
    const fields: string[] = [];
    let i = from;
    for (;;) {
      while (i < n && text.charCodeAt(i) === SPACE) i++;
      if (i >= n) {
        if (!last) return MORE;
        // The file ends: spaces alone are no field (nor a record, when first).
        if (fields.length === 0) {
          this.end = n;
          return null;
        }
        fields.push("");
        this.end = n;
        return fields;
      }
      let c = text.charCodeAt(i);
      let value: string;
      if (c === QUOTE) {
        // A quoted field: "" is a quote; it closes at a quote followed by a
        // comma, the record's end, the file's end or spaces.
        let start = i + 1;
        value = "";
        for (;;) {
          const quote = text.indexOf('"', start);
          if (quote === -1) return last ? UNSURE : MORE;
          if (quote + 1 >= n) {
            if (!last) return MORE;
            value += text.slice(start, quote);
            i = quote + 1;
            break;
          }
          if (text.charCodeAt(quote + 1) === QUOTE) {
            value += text.slice(start, quote + 1);
            start = quote + 2;
            continue;
          }
          value += text.slice(start, quote);
          i = quote + 1;
          break;
        }
        while (i < n && text.charCodeAt(i) === SPACE) i++;
        if (i >= n) {
          if (!last) return MORE;
          fields.push(value);
          this.end = n;
          return fields;
        }
        c = text.charCodeAt(i);
        if (c === COMMA) {
          fields.push(value);
          i++;
          continue;
        }
        const ends = this.delimiterAt(text, i);
        if (ends === MORE) return last ? UNSURE : MORE;
        if (ends === 0) return UNSURE;
        fields.push(value);
        this.end = i + ends;
        return fields;
      }
      // Unquoted: from its first character to the comma or record
      // delimiter. csv-parse trims the white space before it byte by byte,
      // which only for spaces is sure to be the same.
      if (
        (c < 0x21 || c > 0x7e) &&
        this.delimiterAt(text, i) === 0 &&
        WHITE.test(text[i] as string)
      ) {
        return UNSURE;
      }
      const start = i;
      let ends = 0;
      for (; i < n; i++) {
        c = text.charCodeAt(i);
        if (c === COMMA) break;
        if (c === LF || c === CR) {
          ends = this.delimiterAt(text, i);
          if (ends === MORE) return last ? UNSURE : MORE;
          if (ends !== 0) break;
        }
      }
      if (i >= n && !last) return MORE;
      value = text.slice(start, i);
      // csv-parse trims the end as String#trimEnd does; most fields end in no white space.
      const lastCode = i > start ? text.charCodeAt(i - 1) : 0x41;
      if (lastCode < 0x21 || lastCode > 0x7e) value = value.trimEnd();
      if (i < n && c === COMMA) {
        fields.push(value);
        i++;
        continue;
      }
      // The record's (or the file's) end. An empty line is skipped.
      if (fields.length === 0 && i === start) {
        this.end = i + ends;
        return null;
      }
      fields.push(value);
      this.end = i + ends;
      return fields;
    }
  }

  /** The length of the record delimiter at `i` (0 for none). */
  private delimiterAt(text: string, i: number): number | typeof MORE {
    const c = text.charCodeAt(i);
    if (!this.crlf) return c === LF ? 1 : 0;
    if (c !== CR) return 0;
    if (i + 1 >= text.length) return MORE;
    return text.charCodeAt(i + 1) === LF ? 2 : 0;
  }
}

/**
 * The record delimiter csv-parse finds from a file's first bytes, when its
 * first line is plain (printable ASCII, no quote) and ends in one: then
 * csv-parse has found it there and keeps it; otherwise undefined.
 */
function delimiterOf(head: Buffer): "\n" | "\r\n" | undefined {
  const lf = head.indexOf(LF);
  if (lf === -1) return undefined;
  const crlf = lf > 0 && head[lf - 1] === CR;
  const end = crlf ? lf - 1 : lf;
  for (let i = 0; i < end; i++) {
    const c = head[i] as number;
    if (c < 0x20 || c > 0x7e || c === QUOTE) return undefined;
  }
  return crlf ? "\r\n" : "\n";
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** csv-parse reading `source`, with rota's options and any given. */
function parserOf(source: AsyncIterable<Buffer>, options: Record<string, unknown>) {
  const parser = parseCsv({ ...CSV_OPTIONS, ...options });
  // A pipe does not pass on its source's error: the parser would wait for the rest for ever.
  const input = Readable.from(source).on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  return parser;
}

/** csv-parse's records of `source`, with rota's options and any given. */
async function* parsed(
  source: AsyncIterable<Buffer>,
  options: Record<string, unknown>,
): AsyncGenerator<string[][]> {
  let batch: string[][] = [];
  for await (const record of parserOf(source, options) as AsyncIterable<string[]>) {
    batch.push(record);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * A file csv-parse refuses: its words, and the line the record it refused
 * starts on. csv-parse's own line is where it stopped, which for a quote
 * never closed is the file's end, and it counts a CRLF inside quotes twice.
 */
export class CsvRefusal extends Error {
  /** csv-parse's name for the problem, e.g. CSV_QUOTE_NOT_CLOSED. */
  readonly code: string;

  constructor(
    error: CsvError,
    readonly line: number,
  ) {
    super(error.message);
    this.code = error.code;
  }
}

/** What csv-parse says of the whole file, when it refuses it. */
async function refusal(bytes: ByteSource): Promise<Error | undefined> {
  /** Where the last record csv-parse gave ends, in bytes from the file's start. */
  let end = 0;
  try {
    // As each record is read: a stream that fails drops the records it holds unread.
    const onRecord = (record: string[], { bytes }: { bytes: number }) => {
      end = bytes;
      return record;
    };
    for await (const _ of parserOf(bytes(), { on_record: onRecord })) {
      // Read to the end: only whether it breaks, and where, matters.
    }
  } catch (error) {
    if (!(error instanceof CsvError)) return error as Error;
    return new CsvRefusal(error, await recordLine(bytes, end));
  }
  return undefined;
}

/**
 * The line (from 1) of the first character at or after byte `from` that is
 * not white space: where the record after `from` starts, csv-parse skipping
 * empty lines and trimming spaces. A line ends at LF, CRLF or a lone CR, as
 * csv-parse's record delimiters do; a UTF-16 file (its byte-order mark
 * first, big-endian swapped already) is read a code unit at a time.
 */
async function recordLine(bytes: ByteSource, from: number): Promise<number> {
  let line = 1;
  let width = 0;
  let at = 0;
  let previous = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of bytes()) {
    const buffer = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    if (width === 0) {
      if (buffer.length < 2) {
        carry = Buffer.from(buffer);
        continue;
      }
      width = buffer[0] === 0xff && buffer[1] === 0xfe ? 2 : 1;
    }
    let i = 0;
    for (; i + width <= buffer.length; i += width, at += width) {
      const unit = width === 1 ? (buffer[i] as number) : buffer.readUInt16LE(i);
      if (unit === LF) {
        if (previous !== CR) line++;
      } else if (unit === CR) {
        line++;
      } else if (at >= from && unit !== SPACE && unit !== TAB && unit !== 0xfeff) {
        return line;
      }
      previous = unit;
    }
    carry = Buffer.from(buffer.subarray(i));
  }
  return line;
}

/**
 * A file's bytes, a read of `chunkSize` (or a read stream's default) at a
 * time, read afresh from its start at each call.
 */
export type ByteSource = (chunkSize?: number) => AsyncIterable<Buffer>;

const fileBytes =
  (file: string): ByteSource =>
  (chunkSize) =>
    createReadStream(file, { highWaterMark: chunkSize });

/**
 * The records of a CSV file (or of the bytes `source` gives), in batches,
 * exactly as csv-parse with `CSV_OPTIONS` gives them; a file it refuses
 * throws its error, and an error of the source is thrown as it is.
 */
export async function* csvRecords(
  source: string | ByteSource,
  chunkSize = 1 << 20,
): AsyncGenerator<string[][]> {
  const bytes = typeof source === "string" ? fileBytes(source) : source;
  const chunks = bytes(chunkSize)[Symbol.asyncIterator]();
  /** What reading the file threw, as against what csv-parse says of its bytes. */
  let unread: { error: unknown } | undefined;
  let pending: Buffer = Buffer.alloc(0);
  let splitter: Splitter | undefined;
  let started = false;
  let done = false;
  /** The rest of the file for csv-parse: what is pending, then the chunks not read yet. */
  async function* rest(): AsyncGenerator<Buffer> {
    if (pending.length > 0) yield pending;
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (error) {
        unread = { error };
        throw error;
      }
      if (next.done) return;
      yield next.value;
    }
  }
  const handOver = async function* (options: Record<string, unknown>) {
    try {
      yield* parsed(rest(), options);
    } catch (error) {
      if (unread) throw unread.error;
      throw (await refusal(bytes)) ?? error;
    }
  };
  // Stopped early (a file rota cannot place), the file is closed all the same.
  try {
    while (!done) {
      const { value, done: over } = await chunks.next();
      if (over) done = true;
      else pending = pending.length === 0 ? (value as Buffer) : Buffer.concat([pending, value]);
      if (!started) {
        // Enough of the file to see its first line (or all of it).
        if (!done && pending.indexOf(LF) === -1 && pending.length < 1 << 16) continue;
        started = true;
        const bom = pending.subarray(0, 3).equals(BOM);
        const delimiter = delimiterOf(bom ? pending.subarray(3) : pending);
        if (delimiter === undefined) {
          yield* handOver({});
          return;
        }
        if (bom) pending = pending.subarray(3);
        splitter = new Splitter(delimiter === "\r\n");
      }
      const cut = done ? pending.length : pending.lastIndexOf(LF) + 1;
      if (cut === 0) continue;
      const text = pending.toString("utf8", 0, cut);
      let batch: string[][] = [];
      let at = 0;
      for (;;) {
        if (at >= text.length) break;
        const record = (splitter as Splitter).next(text, at, done);
        if (record === MORE) break;
        if (record === UNSURE) {
          if (batch.length > 0) yield batch;
          pending = pending.subarray(Buffer.byteLength(text.slice(0, at)));
          // From a record's start, as csv-parse is there: its BOM and record delimiter found.
          yield* handOver({ bom: false, record_delimiter: splitter?.crlf ? "\r\n" : "\n" });
          return;
        }
        at = (splitter as Splitter).end;
        if (record !== null && batch.push(record) >= BATCH) {
          // Handed on a few at a time: a read's records, kept whole until
          // read, would outlive young-generation collections and fill the heap.
          yield batch;
          batch = [];
        }
      }
      pending = pending.subarray(at === text.length ? cut : Buffer.byteLength(text.slice(0, at)));
      if (batch.length > 0) yield batch;
    }
  } finally {
    await chunks.return?.();
  }
}
