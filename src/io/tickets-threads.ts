/**
 * A big export read by several threads at once: the file is cut into
 * ranges that each begin a line, worker threads read the ranges (the same
 * code as one thread: see `JsonLines`), and their ticket records come back
 * to be handed on in the file's order. What a range holds does not depend
 * on the lines before it once the format is known, so the records, the row
 * count and the first damaged line (its number counted over the ranges
 * before it) are those of one thread reading the whole file.
 */

import { existsSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { TicketFormat, TicketRecord } from "../core/tickets/formats.ts";
import {
  checkDocument,
  JsonBreak,
  joinOuter,
  likelyRecordEnd,
  type OuterText,
} from "./json-records.ts";
import { LineBreak } from "./tickets.ts";

/** Bytes a worker reads at a time: small enough that ranges spread well over the threads. */
const RANGE = 8 * 1024 * 1024;
/** Ranges read ahead of the one whose records are being handed on, per thread (bounds memory). */
const AHEAD = 2;
/** How far past a range's nominal end its first line break is looked for. */
const LOOK = 1024 * 1024;

/** The worker's script, beside the bundle's entry (dist/tickets-worker.js); none when run from source. */
function workerScript(): URL | undefined {
  const url = new URL(import.meta.url);
  if (!url.pathname.endsWith(".js")) return undefined;
  const script = new URL(
    url.pathname.includes("/chunks/") ? "../tickets-worker.js" : "./tickets-worker.js",
    url,
  );
  return existsSync(fileURLToPath(script)) ? script : undefined;
}

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
 * lengths of their texts) in one typed array, their texts in one string,
 * which a thread copies far faster than objects or lists of values.
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

  /**
   * A record: its flags, its figures, its id's length, its agents' count and
   * their lengths, its time (a number, or its text's length); null values
   * have a flag unset and no number.
   */
  add(record: TicketRecord): void {
    const numbers = this.numbers;
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
    return packed;
  }
}

/** The records `RecordPacker` packed, each handed to `sink`. */
function unpackRecords(
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

/** Where each range begins: after the first line feed past each multiple of RANGE. */
async function lineRanges(file: string, size: number): Promise<number[]> {
  const starts = [0];
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(LOOK);
    for (let nominal = RANGE; nominal < size; nominal += RANGE) {
      const last = starts.at(-1) as number;
      if (nominal <= last) continue;
      const { bytesRead } = await handle.read(buffer, 0, LOOK, nominal);
      const lf = buffer.subarray(0, bytesRead).indexOf(0x0a);
      // A line feed always ends a line, whatever came before it (CRLF, LF or a lone CR).
      if (lf !== -1 && nominal + lf + 1 < size) starts.push(nominal + lf + 1);
    }
  } finally {
    await handle.close();
  }
  return starts;
}

/**
 * Reads JSON lines of a known format with up to `threads` threads; the row
 * count, or the first damaged line (a LineBreak, numbered in the file), or
 * undefined when the file is better read in one thread (small, or no worker
 * script beside this one), having read nothing. `script` is the workers'
 * (dist/tickets-worker.js, found beside this module once built).
 */
export async function readLinesInThreads(
  file: string,
  format: TicketFormat,
  threads: number,
  sink: (record: TicketRecord) => void,
  script = workerScript(),
): Promise<number | LineBreak | undefined> {
  if (script === undefined) return undefined;
  const { size } = await stat(file);
  if (size < 2 * RANGE) return undefined;
  const starts = await lineRanges(file, size);
  if (starts.length < 2) return undefined;
  let linesBefore = 0;
  let rows = 0;
  return inRanges(script, tasksOf("lines", file, format, starts, size), threads, sink, (reply) => {
    if ("broken" in reply)
      return new LineBreak(linesBefore + reply.broken.line, reply.broken.message);
    linesBefore += reply.done.lines;
    rows += reply.done.rows;
    return reply.range === starts.length - 1 ? rows : undefined;
  });
}

/**
 * Reads a JSON document's list of records of a known format with up to
 * `threads` threads, each range but the first beginning where a record
 * likely ends. Returns the row count, or where the file breaks (a
 * JsonBreak, the first in the file), or undefined when the file is better
 * read in one thread, having read nothing; or, when a range did not end
 * where the next began (a guess inside a record), how many records were
 * handed on, all before that range's end: one thread reads the file again
 * and hands on only those after them.
 */
export async function readJsonInThreads(
  file: string,
  format: TicketFormat,
  threads: number,
  sink: (record: TicketRecord) => void,
  script = workerScript(),
): Promise<number | JsonBreak | { handedOn: number } | undefined> {
  if (script === undefined) return undefined;
  const { size } = await stat(file);
  if (size < 2 * RANGE) return undefined;
  const starts = await recordRanges(file, size);
  if (starts.length < 2) return undefined;
  let rows = 0;
  let handedOn = 0;
  let head: OuterText | undefined;
  const counted = (record: TicketRecord) => {
    handedOn++;
    sink(record);
  };
  return inRanges(
    script,
    tasksOf("json", file, format, starts, size),
    threads,
    counted,
    (reply) => {
      if ("broken" in reply) return new JsonBreak(reply.broken.message, reply.broken.byte);
      const { done, range } = reply;
      rows += done.rows;
      if (range === 0) head = done.outer;
      if (range < starts.length - 1) return done.afterRecord && head ? undefined : { handedOn };
      try {
        const whole = joinOuter(head as OuterText, done.outer as OuterText);
        checkDocument(whole.outer, whole.shifts, size);
      } catch (error) {
        if (error instanceof JsonBreak) return error;
        throw error;
      }
      return rows;
    },
  );
}

function tasksOf(
  kind: RangeTask["kind"],
  file: string,
  format: TicketFormat,
  starts: readonly number[],
  size: number,
): RangeTask[] {
  return starts.map((start, range) => ({
    range,
    kind,
    file,
    start,
    end: starts[range + 1] ?? size,
    format,
    last: range === starts.length - 1,
  }));
}

/** Where each range of a JSON document begins: where a record likely ends past each multiple of RANGE. */
async function recordRanges(file: string, size: number): Promise<number[]> {
  const starts = [0];
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(LOOK);
    for (let nominal = RANGE; nominal < size; nominal += RANGE) {
      const last = starts.at(-1) as number;
      if (nominal <= last) continue;
      const { bytesRead } = await handle.read(buffer, 0, LOOK, nominal);
      const end = likelyRecordEnd(buffer.subarray(0, bytesRead));
      if (end !== -1 && nominal + end < size) starts.push(nominal + end);
    }
  } finally {
    await handle.close();
  }
  return starts;
}

/**
 * The tasks read by a pool of up to `threads` workers, a few ranges ahead of
 * the one being handed on; each range's records handed to `sink` in file
 * order, then its end to `ended`, which returns the outcome (or undefined to
 * go on to the next range).
 */
function inRanges<T>(
  script: URL,
  tasks: readonly RangeTask[],
  threads: number,
  sink: (record: TicketRecord) => void,
  ended: (reply: Exclude<RangeReply, { records: PackedRecords }>) => T | undefined,
): Promise<T> {
  const count = Math.min(threads, tasks.length);
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    /** Replies of ranges not yet handed on, by range. */
    const waiting = new Map<number, RangeReply[]>();
    const idle: Worker[] = [];
    let next = 0;
    let current = 0;
    let settled = false;

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      outcome();
    };
    const dispatch = (worker: Worker) => {
      if (next >= tasks.length || next > current + AHEAD * count) return false;
      worker.postMessage(tasks[next++]);
      return true;
    };
    /** Hands on the current range's replies, in order, as far as they go. */
    const drain = () => {
      for (;;) {
        const replies = waiting.get(current);
        const reply = replies?.shift();
        if (reply === undefined) return;
        if ("records" in reply) {
          unpackRecords(reply.records, (tasks[0] as RangeTask).format, sink);
          continue;
        }
        waiting.delete(current);
        current++;
        const outcome = ended(reply);
        if (outcome !== undefined) {
          finish(() => resolve(outcome));
          return;
        }
        while (idle.length > 0 && dispatch(idle[0] as Worker)) idle.shift();
      }
    };

    for (let i = 0; i < count; i++) {
      const worker = new Worker(script);
      workers.push(worker);
      worker.on("message", (reply: RangeReply) => {
        if (settled) return;
        let replies = waiting.get(reply.range);
        if (!replies) {
          replies = [];
          waiting.set(reply.range, replies);
        }
        replies.push(reply);
        if (!("records" in reply) && !dispatch(worker)) idle.push(worker);
        try {
          drain();
        } catch (error) {
          finish(() => reject(error));
        }
      });
      worker.on("error", (error) => finish(() => reject(error)));
      dispatch(worker);
    }
  });
}
