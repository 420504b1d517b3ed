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

/** What a worker is asked: the lines of bytes start..end of a file. */
export interface LinesTask {
  range: number;
  file: string;
  start: number;
  end: number;
  format: TicketFormat;
}

/** What a worker says of a range: some records, then its end (or its first damaged line). */
export type LinesReply =
  | { range: number; records: PackedRecords }
  | { range: number; done: { lines: number; rows: number } }
  | { range: number; broken: { line: number; message: string } };

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
  const ends = [...starts.slice(1), size];
  const count = Math.min(threads, starts.length);

  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    /** Replies of ranges not yet handed on, by range. */
    const waiting = new Map<number, LinesReply[]>();
    let next = 0;
    let current = 0;
    let linesBefore = 0;
    let rows = 0;
    let settled = false;

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      outcome();
    };
    const dispatch = (worker: Worker) => {
      if (next >= starts.length || next > current + AHEAD * count) return false;
      const range = next++;
      const task: LinesTask = {
        range,
        file,
        start: starts[range] as number,
        end: ends[range] as number,
        format,
      };
      worker.postMessage(task);
      return true;
    };
    const idle: Worker[] = [];
    /** Hands on the current range's replies, in order, as far as they go. */
    const drain = () => {
      for (;;) {
        const replies = waiting.get(current);
        if (!replies || replies.length === 0) return;
        const reply = replies.shift() as LinesReply;
        if ("records" in reply) {
          unpackRecords(reply.records, format, sink);
        } else if ("broken" in reply) {
          const { line, message } = reply.broken;
          finish(() => resolve(new LineBreak(linesBefore + line, message)));
          return;
        } else {
          waiting.delete(current);
          linesBefore += reply.done.lines;
          rows += reply.done.rows;
          current++;
          while (idle.length > 0 && dispatch(idle[0] as Worker)) idle.shift();
          if (current === starts.length) {
            finish(() => resolve(rows));
            return;
          }
        }
      }
    };

    for (let i = 0; i < count; i++) {
      const worker = new Worker(script);
      workers.push(worker);
      worker.on("message", (reply: LinesReply) => {
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
