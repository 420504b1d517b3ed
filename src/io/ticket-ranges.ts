/**
 * A range of a big export, read as one thread reads those bytes (JSON lines
 * through `JsonLines`, a JSON document's list through its scanner, begun
 * between two records), its ticket records packed to cross between threads;
 * by the worker threads of src/io/tickets-threads.ts, and by the main thread
 * beside them.
 */

import { createReadStream } from "node:fs";
import {
  readsAsciiOnly,
  type TicketFormat,
  type TicketRecord,
  ticketRecord,
} from "../core/tickets/formats.ts";
import { JsonBreak, JsonRecordScanner, type OuterText } from "./json-records.ts";
import { JsonLines, LIST_PLACES, LineBreak, lineBatches, READ } from "./tickets.ts";

/** Records packed before they are sent: each message costs the threads a little besides its bytes. */
const SEND = 4096;

/** What a worker is asked: the records of bytes start..end of a file. */
export interface RangeTask {
  range: number;
  /** JSON lines, or a JSON document's list of records. */
  kind: "lines" | "json";
  file: string;
  start: number;
  end: number;
  format: TicketFormat;
  /** Whether the range ends the file (a JSON document's end is checked there). */
  last: boolean;
}

/** What a worker says of a range when it is read: the counts, and for JSON where it ended. */
export interface RangeDone {
  lines: number;
  rows: number;
  /** JSON: whether the range ended between two records of the list. */
  afterRecord?: boolean;
  /** JSON: the document's outer text: up to the list (the first range), from its end (the last). */
  outer?: OuterText;
}

/** What a worker says of a range: some records, then its end (or where it broke). */
export type RangeReply =
  | { range: number; records: PackedRecords }
  | { range: number; done: RangeDone }
  | { range: number; broken: { line: number; byte: number; message: string } };

/**
 * Ticket records packed to cross between threads: their numbers (and the
 * lengths of their texts) in one typed array (moved, not copied), their
 * texts in one string: two values to copy between threads, not an object
 * per record.
 */
export interface PackedRecords {
  numbers: Float64Array;
  text: string;
}

/** Which of a record's values are set, one bit (or two) each. */
const TICKET = 1;
const FIRST_REPLY = 2;
const RESOLUTION = 4;
const RESOLVED = 8;
const RESOLVED_YES = 16;
const SATISFIED = 32;
const SATISFIED_YES = 64;
const ID = 128;
const AT_TEXT = 256;
const AT_NUMBER = 512;

/** Records packed as they come, for `PackedRecords`. */
export class RecordPacker {
  private numbers: number[] = [];
  private texts: string[] = [];
  /** Records added since the last take. */
  count = 0;

  /**
   * A record: its flags, its figures, its id's length, its agents' count and
   * their lengths, its time (a number, or its text's length); null values
   * have a flag unset and no number.
   */
  add(record: TicketRecord): void {
    const numbers = this.numbers;
    this.count++;
    let flags = record.kind === "ticket" ? TICKET : 0;
    if (record.firstReplyMinutes !== null) flags |= FIRST_REPLY;
    if (record.resolutionMinutes !== null) flags |= RESOLUTION;
    if (record.resolved !== null) flags |= record.resolved ? RESOLVED | RESOLVED_YES : RESOLVED;
    if (record.satisfied !== null) {
      flags |= record.satisfied ? SATISFIED | SATISFIED_YES : SATISFIED;
    }
    if (record.id !== null) flags |= ID;
    if (record.kind === "ticket") {
      if (typeof record.at === "string") flags |= AT_TEXT;
      else if (typeof record.at === "number") flags |= AT_NUMBER;
    }
    numbers.push(flags);
    if (record.firstReplyMinutes !== null) numbers.push(record.firstReplyMinutes);
    if (record.resolutionMinutes !== null) numbers.push(record.resolutionMinutes);
    if (record.id !== null) this.text(record.id);
    if (record.kind !== "ticket") return;
    numbers.push(record.agents.length);
    for (const agent of record.agents) this.text(agent);
    if (typeof record.at === "string") this.text(record.at);
    else if (typeof record.at === "number") numbers.push(record.at);
  }

  private text(value: string): void {
    this.numbers.push(value.length);
    this.texts.push(value);
  }

  /** The records added since the last take, packed. */
  take(): PackedRecords {
    const packed = { numbers: Float64Array.from(this.numbers), text: this.texts.join("") };
    this.numbers = [];
    this.texts = [];
    this.count = 0;
    return packed;
  }
}

/** The records `RecordPacker` packed, each handed to `sink`. */
export function unpackRecords(
  { numbers, text }: PackedRecords,
  vendor: TicketFormat,
  sink: (record: TicketRecord) => void,
): void {
  let i = 0;
  let at = 0;
  const textOf = () => {
    const length = numbers[i++] as number;
    at += length;
    return text.slice(at - length, at);
  };
  while (i < numbers.length) {
    const flags = numbers[i++] as number;
    const firstReplyMinutes = flags & FIRST_REPLY ? (numbers[i++] as number) : null;
    const resolutionMinutes = flags & RESOLUTION ? (numbers[i++] as number) : null;
    const resolved = flags & RESOLVED ? (flags & RESOLVED_YES) !== 0 : null;
    const satisfied = flags & SATISFIED ? (flags & SATISFIED_YES) !== 0 : null;
    const id = flags & ID ? textOf() : null;
    if (!(flags & TICKET)) {
      sink({
        kind: "supplement",
        vendor,
        id,
        firstReplyMinutes,
        resolutionMinutes,
        resolved,
        satisfied,
      });
      continue;
    }
    const count = numbers[i++] as number;
    const agents: string[] = [];
    for (let k = 0; k < count; k++) agents.push(textOf());
    const time = flags & AT_TEXT ? textOf() : flags & AT_NUMBER ? (numbers[i++] as number) : null;
    sink({
      kind: "ticket",
      vendor,
      id,
      agents,
      at: time,
      firstReplyMinutes,
      resolutionMinutes,
      resolved,
      satisfied,
    });
  }
}

/**
 * Sends the records packed so far, once there are SEND of them (or
 * `always`): each message costs the threads a little besides its bytes.
 */
function send(post: Post, range: number, packer: RecordPacker, always = false): void {
  if (!always && packer.count < SEND) return;
  post({ range, records: packer.take() });
}

/** Where a range's replies go: to the main thread from a worker, or straight to it. */
export type Post = (reply: RangeReply) => void;

/** Reads a range, its records to `post` as they come; the reply that ends it, returned. */
export function readRange(task: RangeTask, post: Post): Promise<RangeReply> {
  return task.kind === "lines" ? readLines(task, post) : readJson(task, post);
}

async function readLines(task: RangeTask, post: Post): Promise<RangeReply> {
  // Past the file's first line, no line is its first (which may begin with a byte order mark).
  const before = task.start === 0 ? 0 : 1;
  const lines = new JsonLines(task.format, before, () => {
    throw new Error("the format is known before a range is read");
  });
  const packer = new RecordPacker();
  const pack = (record: TicketRecord) => packer.add(record);
  try {
    for await (const batch of lineBatches(task.file, READ, "latin1", task)) {
      lines.take(batch, pack);
      send(post, task.range, packer);
    }
    send(post, task.range, packer, true);
  } catch (error) {
    if (!(error instanceof LineBreak)) throw error;
    return {
      range: task.range,
      broken: { line: error.line - before, byte: 0, message: error.message },
    };
  }
  return { range: task.range, done: { lines: lines.lines, rows: lines.rows } };
}

async function readJson(task: RangeTask, post: Post): Promise<RangeReply> {
  const { format } = task;
  const packer = new RecordPacker();
  let rows = 0;
  const record = (row: Record<string, unknown>) => {
    rows++;
    const ticket = ticketRecord(format, row);
    if (ticket) packer.add(ticket);
  };
  const asRead = (row: Record<string, unknown>) => readsAsciiOnly(format, row);
  const scanner =
    task.start === 0
      ? new JsonRecordScanner(LIST_PLACES, record, () => {}, asRead)
      : JsonRecordScanner.between(task.start, LIST_PLACES, record, asRead);
  const done: RangeDone = { lines: 0, rows: 0 };
  try {
    const bytes = { start: task.start, end: task.end - 1, highWaterMark: READ };
    for await (const chunk of createReadStream(task.file, bytes)) {
      scanner.write(chunk as Buffer);
      send(post, task.range, packer);
    }
    send(post, task.range, packer, true);
    if (task.last) done.outer = scanner.endOfPart();
  } catch (error) {
    if (!(error instanceof JsonBreak)) throw error;
    return { range: task.range, broken: { line: 0, byte: error.byte, message: error.message } };
  }
  done.rows = rows;
  done.afterRecord = scanner.afterRecord;
  if (task.start === 0) done.outer = scanner.outerText;
  return { range: task.range, done };
}
