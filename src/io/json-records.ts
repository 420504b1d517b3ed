/**
 * The records of a big JSON export, one at a time, read as fast as the
 * bytes come. A help-desk export is a document with one long list in it
 * (`[...]`, `{"tickets": [...]}`, `{"_embedded": {"conversations": [...]}}`):
 * this scanner hands the elements of that list to the native `JSON.parse`,
 * as many as a chunk of the file holds at once (a batch, checked by the parse
 * itself), and where a batch will not parse, finds where each element begins
 * and ends by following only strings (and their escapes) and nesting depth,
 * and parses it alone. Everything else in the document
 * (other keys, a side-loaded list) is checked too, so a damaged file is
 * refused with the byte where it breaks, never half read.
 */

import { isAscii } from "node:buffer";

/** A file that is not valid JSON, at `byte` (0-based offset in the file). */
export class JsonBreak extends Error {
  constructor(
    message: string,
    readonly byte: number,
  ) {
    super(message);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** An object on the way to the list: its key being read, and the key of the value now open. */
interface Frame {
  key: string | null;
}

/** Where a list of records may be: which keys, under which parents. */
export interface ListPlaces {
  /** Keys of the top-level object whose array is the list. */
  keys: readonly string[];
  /** Keys of the top-level object that hold an object with the list (`_embedded`). */
  nested: Readonly<Record<string, readonly string[]>>;
}

type Mode =
  /** Outside the list: the document's own structure, kept as text to be checked at the end. */
  | "outer"
  /** In the list, between elements. */
  | "list"
  /** Inside a container (an element, or a value outside the list), until its depth closes. */
  | "value"
  /** In the list, a scalar element (a number, string, literal): checked and ignored. */
  | "scalar";

/**
 * Fed the file's bytes in order (`write`, then `end`); calls `record` with
 * each element of the list that is an object, and `list` once with the key
 * it was found under (undefined for a top-level array).
 */
export class JsonRecordScanner {
  private mode: Mode = "outer";
  /** Bytes before this chunk. */
  private offset = 0;
  private inString = false;
  private escaped = false;
  private depth = 0;
  /** Where the current container (or scalar) began, in the file. */
  private valueStart = 0;
  /** Whether the current container is an element of the list (else a value outside it). */
  private valueIsElement = false;
  /** Pieces of the current container or scalar from earlier chunks. */
  private pieces: Buffer[] = [];
  /** Outer text: the document with the list as [] and other containers as null. */
  private outer = "";
  /** Where the outer text and the file line up again after each stand-in (null, []). */
  private readonly shifts: { outer: number; file: number }[] = [];
  private readonly frames: Frame[] = [];
  /** An outer string being read (a key, or a value), from earlier chunks. */
  private outerString: Buffer[] | undefined;
  private lastString: string | null = null;
  /** In the list: "value" (an element may come), "comma" (after one), "first" (just opened). */
  private expect: "first" | "value" | "comma" = "first";
  private listFound = false;
  private started = false;
  /** Before this byte of the file, records are scanned one by one (a batch failed to parse there). */
  private exactUntil = 0;
  /** How the last batch's last record ended: the brackets closing there. */
  private ending = "";

  /**
   * `asRead`, when given, says of a record parsed from the bytes read as
   * latin1 (one character a byte) whether it is, for its reader, the record
   * the UTF-8 text gives: see `batch`.
   */
  constructor(
    private readonly places: ListPlaces,
    private readonly record: (value: Record<string, unknown>) => void,
    private readonly list: (key: string | undefined) => void,
    private readonly asRead?: (value: Record<string, unknown>) => boolean,
  ) {}

  write(chunk: Buffer): void {
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        i = 3;
        this.outer += "   ";
      }
    }
    const n = chunk.length;
    while (i < n) {
      switch (this.mode) {
        case "value":
          i = this.scanValue(chunk, i);
          break;
        case "list":
          i = this.scanList(chunk, i);
          break;
        case "scalar":
          i = this.scanScalar(chunk, i);
          break;
        default:
          i = this.scanOuter(chunk, i);
      }
    }
    this.offset += n;
  }

  /** The end of the file: the list must have closed, and the document be whole. */
  end(): void {
    checkDocument(this.endOfPart(), this.offset);
  }

  /**
   * The end of the file read from the middle of its list (see `between`):
   * the checks of `end` that need only this part, and the part's outer text
   * (from the list's end on), for `checkDocument` after the text before it.
   */
  endOfPart(): OuterText {
    const at = this.offset;
    if (this.mode === "value" || this.mode === "list" || this.mode === "scalar") {
      throw new JsonBreak(
        this.mode === "list"
          ? "the file ends inside its list of records (cut short?)"
          : "the file ends inside a record (cut short?)",
        at,
      );
    }
    if (this.outerString || this.inString) {
      throw new JsonBreak("the file ends inside a string (cut short?)", at);
    }
    return this.outerText;
  }

  /** The outer text so far (the document with the list as [] and other containers as null). */
  get outerText(): OuterText {
    return { outer: this.outer, shifts: this.shifts };
  }

  /**
   * A scanner that begins at byte `offset` of a file, between two records of
   * its list (after one, before the comma): as a scanner of the whole file
   * is there, once it has read the bytes before. Each part of a file can be
   * read so by its own thread, each checked to end where the next began.
   */
  static between(
    offset: number,
    places: ListPlaces,
    record: (value: Record<string, unknown>) => void,
    asRead?: (value: Record<string, unknown>) => boolean,
  ): JsonRecordScanner {
    const scanner = new JsonRecordScanner(places, record, () => {}, asRead);
    scanner.started = true;
    scanner.offset = offset;
    scanner.exactUntil = offset;
    scanner.mode = "list";
    scanner.expect = "comma";
    scanner.listFound = true;
    return scanner;
  }

  /** Whether the bytes read so far end between two records of the list (after one, before the comma). */
  get afterRecord(): boolean {
    return this.mode === "list" && this.expect === "comma";
  }

  /** Whether a list of records was found. */
  get found(): boolean {
    return this.listFound;
  }

  /** The file byte after a value that began at `byte` and reads as `text`. */
  private offsetAfter(byte: number, text: string): number {
    return byte + Buffer.byteLength(text);
  }

  /** Inside a container: strings and depth only, until it closes. Returns where it stopped. */
  private scanValue(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let i = from;
    let depth = this.depth;
    if (this.inString) {
      i = this.skipString(chunk, i);
      if (this.inString) {
        this.pieces.push(chunk.subarray(from));
        return n;
      }
    }
    for (; i < n; i++) {
      const c = chunk[i] as number;
      if (c === QUOTE) {
        this.inString = true;
        i = this.skipString(chunk, i + 1);
        if (this.inString) break;
        i--;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        depth++;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) {
          this.depth = 0;
          const end = i + 1;
          const startInChunk = this.valueStart - this.offset;
          const text =
            this.pieces.length === 0
              ? chunk.toString("utf8", startInChunk, end)
              : Buffer.concat([...this.pieces, chunk.subarray(0, end)]).toString("utf8");
          this.pieces = [];
          this.finishValue(text);
          return end;
        }
      }
    }
    this.depth = depth;
    const startInChunk = Math.max(0, this.valueStart - this.offset);
    this.pieces.push(chunk.subarray(startInChunk));
    return n;
  }

  /** Past a string's closing quote (inString false), or to the chunk's end (inString true). */
  private skipString(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let i = from;
    if (this.escaped) {
      if (i >= n) return n;
      this.escaped = false;
      i++;
    }
    for (;;) {
      const quote = chunk.indexOf(QUOTE, i);
      const slash = chunk.indexOf(BACKSLASH, i);
      if (slash !== -1 && (quote === -1 || slash < quote)) {
        if (slash + 1 >= n) {
          this.escaped = true;
          return n;
        }
        i = slash + 2;
        continue;
      }
      if (quote === -1) return n;
      this.inString = false;
      return quote + 1;
    }
  }

  private finishValue(text: string): void {
    const byte = this.valueStart;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new JsonBreak(
        describe(error, this.valueIsElement ? "a record" : "a value"),
        byte + positionIn(text, error),
      );
    }
    if (this.valueIsElement) {
      this.mode = "list";
      this.expect = "comma";
      if (value && typeof value === "object" && !Array.isArray(value)) {
        this.record(value as Record<string, unknown>);
      }
    } else {
      this.mode = "outer";
      this.outer += "null";
      this.shifts.push({ outer: this.outer.length, file: this.offsetAfter(byte, text) });
    }
  }

  /** In the list, between elements. */
  private scanList(chunk: Buffer, from: number): number {
    const n = chunk.length;
    for (let i = from; i < n; i++) {
      const c = chunk[i] as number;
      if (isSpace(c)) continue;
      const at = this.offset + i;
      if (c === COMMA) {
        if (this.expect !== "comma") throw new JsonBreak("a comma where a record should be", at);
        this.expect = "value";
        continue;
      }
      if (c === CLOSE_ARRAY) {
        if (this.expect === "value") throw new JsonBreak("a comma before the list's end", at);
        this.mode = "outer";
        // The list stands as [] in the outer text.
        this.outer += "]";
        this.shifts.push({ outer: this.outer.length, file: at + 1 });
        return i + 1;
      }
      if (this.expect === "comma") {
        throw new JsonBreak(
          `"${String.fromCharCode(c)}" where a comma or the list's end should be`,
          at,
        );
      }
      if (c === OPEN_OBJECT && at >= this.exactUntil) {
        const end = this.batch(chunk, i);
        if (end !== -1) return end;
      }
      this.valueStart = at;
      this.valueIsElement = true;
      this.pieces = [];
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        this.mode = "value";
        this.depth = 1;
        return this.scanValue(chunk, i + 1);
      }
      this.mode = "scalar";
      this.inString = c === QUOTE;
      return this.scanScalar(chunk, i + 1);
    }
    return n;
  }

  /**
   * The records from `from` (where one begins) to the last one closing in
   * this chunk, parsed by one JSON.parse as a list: returns where they end,
   * or -1 when they do not parse as one. JSON's grammar reads a text one way
   * only, so when `[` + those bytes + `]` parses, its elements are exactly the
   * records the byte-by-byte scan would find there. A guessed end inside a
   * record or a string fails at the very end of the text, and an earlier one
   * is tried; a failure before the end (damage) or too many guesses leave the
   * scan to read those records, reporting any damage at its byte as always.
   */
  private batch(chunk: Buffer, from: number): number {
    let before = chunk.length;
    // Latin1 is a fraction of UTF-8's decoding, and its one-byte text parses faster.
    const latin1 = this.asRead !== undefined;
    for (let tries = 0; tries < BATCH_PARSES; tries++) {
      const end = batchEnd(chunk, from, before, this.ending);
      if (end === -1) break;
      const text = latin1 ? chunk.toString("latin1", from, end) : chunk.toString("utf8", from, end);
      let values: unknown[];
      try {
        values = JSON.parse(`[${text}]`);
      } catch (error) {
        const position = /position (\d+)/.exec(String((error as Error).message));
        // Not a cut inside a record: damage, for the scan to find.
        if (!position || Number(position[1]) < text.length + 1) break;
        before = end - 1;
        continue;
      }
      // Bytes all ASCII read the same as latin1 and UTF-8: nothing to check.
      if (latin1 && !isAscii(chunk.subarray(from, end)) && !this.sameAsUtf8(values)) {
        values = JSON.parse(`[${chunk.toString("utf8", from, end)}]`) as unknown[];
      }
      this.mode = "list";
      this.expect = "comma";
      this.ending = endingOf(chunk, end, from);
      for (const value of values) {
        if (value && typeof value === "object" && !Array.isArray(value)) {
          this.record(value as Record<string, unknown>);
        }
      }
      return end;
    }
    this.exactUntil = this.offset + chunk.length;
    return -1;
  }

  /**
   * Whether records parsed from latin1 text are those of the UTF-8 text, as
   * far as their reader looks (`asRead`). They are alike but for text: JSON's
   * structure, numbers and literals are ASCII, and every byte of UTF-8 that is
   * not ASCII is one in latin1 too, so the same bytes parse (or fail) the same
   * way, into the same shape; a string (key or value) is ASCII read either
   * way or neither, and when ASCII the same. Where a record has text beyond
   * ASCII that its reader uses, the batch is parsed again as UTF-8.
   */
  private sameAsUtf8(values: unknown[]): boolean {
    const asRead = this.asRead as (value: Record<string, unknown>) => boolean;
    for (const value of values) {
      if (value && typeof value === "object" && !Array.isArray(value)) {
        if (!asRead(value as Record<string, unknown>)) return false;
      }
    }
    return true;
  }

  /** A scalar element of the list: up to the comma or bracket after it. */
  private scanScalar(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let i = from;
    if (this.inString) {
      i = this.skipString(chunk, i);
      if (this.inString) {
        this.pieces.push(chunk.subarray(Math.max(0, this.valueStart - this.offset)));
        return n;
      }
    }
    for (; i < n; i++) {
      const c = chunk[i] as number;
      if (c === COMMA || c === CLOSE_ARRAY || isSpace(c)) {
        const start = Math.max(0, this.valueStart - this.offset);
        const text = Buffer.concat([...this.pieces, chunk.subarray(start, i)]).toString("utf8");
        this.pieces = [];
        this.finishValue(text);
        return i;
      }
    }
    this.pieces.push(chunk.subarray(Math.max(0, this.valueStart - this.offset)));
    return n;
  }

  /** The document around the list: small, so read byte by byte and kept for the final check. */
  private scanOuter(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let i = from;
    if (this.outerString) {
      const start = i;
      i = this.skipString(chunk, i);
      this.outerString.push(chunk.subarray(start, i));
      if (this.inString) return n;
      this.closeOuterString();
    }
    for (; i < n; i++) {
      const c = chunk[i] as number;
      const at = this.offset + i;
      if (c === QUOTE) {
        this.inString = true;
        const end = this.skipString(chunk, i + 1);
        this.outerString = [chunk.subarray(i, end)];
        if (this.inString) return n;
        this.closeOuterString();
        i = end - 1;
        continue;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        const place = this.placeOf(c);
        if (place === "object") {
          this.frames.push({ key: null });
          this.outer += "{";
          continue;
        }
        if (place === "list") {
          this.listFound = true;
          this.mode = "list";
          this.expect = "first";
          this.outer += "[";
          const key = this.frames.length === 0 ? undefined : (this.frames.at(-1)?.key ?? undefined);
          this.list(key);
          return i + 1;
        }
        // Any other container: checked whole, then stands as null.
        this.valueStart = at;
        this.valueIsElement = false;
        this.pieces = [];
        this.mode = "value";
        this.depth = 1;
        return this.scanValue(chunk, i + 1);
      }
      if (c === CLOSE_OBJECT) {
        this.frames.pop();
      } else if (c === COLON) {
        const frame = this.frames.at(-1);
        if (frame) frame.key = this.lastString;
      } else if (c === COMMA) {
        const frame = this.frames.at(-1);
        if (frame) frame.key = null;
      }
      this.outer += String.fromCharCode(c);
    }
    return n;
  }

  private closeOuterString(): void {
    const bytes = Buffer.concat(this.outerString ?? []);
    this.outerString = undefined;
    const text = bytes.toString("utf8");
    try {
      this.lastString = JSON.parse(text) as string;
    } catch {
      this.lastString = null;
    }
    // Kept byte-aligned (multi-byte characters padded) for the final check's positions.
    const padded = bytes.length - text.length;
    this.outer += padded > 0 ? `${text.slice(0, -1)}${" ".repeat(padded)}"` : text;
  }

  /** What a container opening outside the list is: the list, an object on its way, or neither. */
  private placeOf(c: number): "list" | "object" | "other" {
    const frames = this.frames;
    if (this.listFound) return "other";
    if (frames.length === 0) return c === OPEN_ARRAY ? "list" : "object";
    const key = frames.at(-1)?.key;
    if (key === null || key === undefined) return "other";
    if (frames.length === 1) {
      if (c === OPEN_ARRAY && this.places.keys.includes(key)) return "list";
      // Own keys only: a file's "toString" or "__proto__" is no place of a list.
      if (c === OPEN_OBJECT && Object.hasOwn(this.places.nested, key)) return "object";
      return "other";
    }
    if (frames.length === 2 && c === OPEN_ARRAY) {
      const parent = frames[0]?.key;
      if (parent && Object.hasOwn(this.places.nested, parent)) {
        if (this.places.nested[parent]?.includes(key)) return "list";
      }
    }
    return "other";
  }
}

/** The document around the list, as the scanner keeps it: see `outer` and `shifts`. */
export interface OuterText {
  outer: string;
  /** Where the outer text and the file line up again after each stand-in (null, []). */
  shifts: readonly { outer: number; file: number }[];
}

/** The final check of a document's outer text: refused with the byte of the file where it breaks. */
export function checkDocument({ outer, shifts }: OuterText, end: number): void {
  try {
    JSON.parse(outer);
  } catch (error) {
    throw new JsonBreak(describe(error, "the document"), breakOf(error, shifts, end));
  }
}

/** The byte of the file where JSON.parse of the outer text failed. */
function breakOf(error: unknown, shifts: OuterText["shifts"], fallback: number): number {
  const position = /position (\d+)/.exec(String((error as Error).message));
  if (!position) return fallback;
  const at = Number(position[1]);
  let shift = { outer: 0, file: 0 };
  for (const next of shifts) if (next.outer <= at) shift = next;
  return shift.file + (at - shift.outer);
}

/** Two parts' outer texts as one: the second's positions moved past the first's text. */
export function joinOuter(first: OuterText, second: OuterText): OuterText {
  const length = first.outer.length;
  return {
    outer: first.outer + second.outer,
    shifts: [
      ...first.shifts,
      ...second.shifts.map((shift) => ({ outer: shift.outer + length, file: shift.file })),
    ],
  };
}

/** Closing braces looked at for the end of a batch, and batches tried, from a record on. */
const BATCH_TRIES = 64;
const BATCH_PARSES = 4;

/**
 * Where a batch of records starting at `from` may end in this chunk: just
 * after the last `}` before `before` followed (spaces apart) by a comma and
 * a `{`, as a record's closing brace is; -1 when none is found. A record's
 * fields nest the same way from one record to the next, so a brace closing
 * as many containers as the last batch's end did (`ending`) is preferred to
 * one closing a value inside a record. Only a guess: the parse decides.
 */
function batchEnd(chunk: Buffer, from: number, before: number, ending: string): number {
  let close = before;
  let first = -1;
  for (let tries = 0; tries < BATCH_TRIES; tries++) {
    close = chunk.lastIndexOf(CLOSE_OBJECT, close - 1);
    if (close <= from) break;
    if (!beforeNextObject(chunk, close)) continue;
    if (ending === "" || endingOf(chunk, close + 1, from) === ending) return close + 1;
    if (first === -1) first = close + 1;
  }
  return first;
}

/** Whether the `}` at `close` is followed (spaces apart) by a comma and a `{`, as a list's record is by the next. */
function beforeNextObject(chunk: Buffer, close: number): boolean {
  let next = close + 1;
  while (next < chunk.length && isSpace(chunk[next] as number)) next++;
  if (chunk[next] !== COMMA) return false;
  next++;
  while (next < chunk.length && isSpace(chunk[next] as number)) next++;
  return chunk[next] === OPEN_OBJECT;
}

/** The closing brackets and braces just before `end` (spaces apart), back to `from` at most. */
function endingOf(chunk: Buffer, end: number, from: number): string {
  let ending = "";
  for (let i = end - 1; i > from && ending.length < 8; i--) {
    const c = chunk[i] as number;
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) ending += String.fromCharCode(c);
    else if (!isSpace(c)) break;
  }
  return ending;
}

/** JSON.parse's complaint, without its echo of the text. */
function describe(error: unknown, what: string): string {
  const message = String((error as Error).message ?? error);
  const short = message
    .replace(/, "[\s\S]*" is not valid JSON$/, "")
    .replace(/ in JSON at position \d+.*$/, "");
  return `${what} is not valid JSON: ${short}`;
}

/** The byte within `text` where JSON.parse stopped, when it says (0 otherwise). */
function positionIn(text: string, error: unknown): number {
  const position = /position (\d+)/.exec(String((error as Error).message));
  if (!position) return 0;
  return Buffer.byteLength(text.slice(0, Number(position[1])));
}

/**
 * Where a record of a list likely ends in `chunk`: just after a `}` that is
 * followed (spaces apart) by a comma and a `{`, of the first CANDIDATES such,
 * the one closing the most brackets (a record closes its nested fields with
 * it, an object inside a record fewer); -1 when there is none. Only a guess,
 * for a thread to begin reading at: the thread reading the bytes before
 * checks that it ends there between two records.
 */
export function likelyRecordEnd(chunk: Buffer): number {
  let best = -1;
  let closing = 0;
  let close = -1;
  for (let tries = 0; tries < CANDIDATES; ) {
    close = chunk.indexOf(CLOSE_OBJECT, close + 1);
    if (close === -1) break;
    if (!beforeNextObject(chunk, close)) continue;
    tries++;
    const count = endingOf(chunk, close + 1, 0).length;
    if (count > closing) {
      closing = count;
      best = close + 1;
    }
  }
  return best;
}

const CANDIDATES = 64;
