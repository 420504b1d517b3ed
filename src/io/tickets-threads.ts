/**
 * A big export read by several threads at once: the file is cut into
 * ranges (JSON lines: each beginning a line; a JSON document's list: each
 * beginning where a record likely ends, checked), worker threads and the
 * main thread read the ranges (src/io/ticket-ranges.ts: the same code as
 * one thread), and their ticket records are handed on in the file's order.
 * What a range holds does not depend on the bytes before it once the format
 * and where it begins are known, so the records, the row count and where a
 * damaged file breaks are those of one thread reading the whole file.
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
import {
  type PackedRecords,
  type RangeReply,
  type RangeTask,
  readRange,
  unpackRecords,
} from "./ticket-ranges.ts";
import { LineBreak } from "./tickets.ts";

/** Bytes a worker reads at a time: small enough that ranges spread well over the threads. */
const RANGE = 8 * 1024 * 1024;
/** Ranges read ahead of the one whose records are being handed on, per thread (bounds memory). */
const AHEAD = 2;
/**
 * Threads at most, however many cores: each worker holds a heap of its own,
 * and the main thread joins every record however many threads read them,
 * so past a few, more threads would cost memory for little time.
 */
const MOST_THREADS = 4;
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

/**
 * The file's size and where each of its ranges begins: 0, then past each
 * multiple of RANGE, where `boundary` finds one in the bytes read there (its
 * offset in them, or -1 for none, and that multiple is skipped). Undefined
 * when the file is better read in one thread: too small, or one range.
 */
async function rangesOf(
  file: string,
  boundary: (bytes: Buffer) => number,
): Promise<{ size: number; starts: number[] } | undefined> {
  const { size } = await stat(file);
  if (size < 2 * RANGE) return undefined;
  const starts = [0];
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(LOOK);
    for (let nominal = RANGE; nominal < size; nominal += RANGE) {
      const last = starts.at(-1) as number;
      if (nominal <= last) continue;
      const { bytesRead } = await handle.read(buffer, 0, LOOK, nominal);
      const found = boundary(buffer.subarray(0, bytesRead));
      if (found !== -1 && nominal + found < size) starts.push(nominal + found);
    }
  } finally {
    await handle.close();
  }
  return starts.length < 2 ? undefined : { size, starts };
}

/** Just after the first line feed: a line feed always ends a line, whatever came before it (CRLF, LF or a lone CR). */
function afterLineFeed(bytes: Buffer): number {
  const lf = bytes.indexOf(0x0a);
  return lf === -1 ? -1 : lf + 1;
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
  const ranges = await rangesOf(file, afterLineFeed);
  if (ranges === undefined) return undefined;
  const { size, starts } = ranges;
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
  const ranges = await rangesOf(file, likelyRecordEnd);
  if (ranges === undefined) return undefined;
  const { size, starts } = ranges;
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
        checkDocument(joinOuter(head as OuterText, done.outer as OuterText), size);
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

/**
 * The tasks read by `threads` threads: this one and a pool of workers, a
 * few ranges ahead of the one being handed on; each range's records handed
 * to `sink` in file order, then its end to `ended`, which returns the
 * outcome (or undefined to go on to the next range). The main thread, which
 * also joins every record, takes a range whenever it is free to.
 */
function inRanges<T>(
  script: URL,
  tasks: readonly RangeTask[],
  threads: number,
  sink: (record: TicketRecord) => void,
  ended: (reply: Exclude<RangeReply, { records: PackedRecords }>) => T | undefined,
): Promise<T> {
  const count = Math.min(threads, MOST_THREADS, tasks.length);
  const format = (tasks[0] as RangeTask).format;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    /** Replies of ranges not yet handed on, by range. */
    const waiting = new Map<number, RangeReply[]>();
    /** Readers (a worker, or this thread: null) with no range to read. */
    const idle: (Worker | null)[] = [];
    let next = 0;
    let current = 0;
    let settled = false;

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      for (const worker of workers) void worker.terminate();
      outcome();
    };
    const fail = (error: unknown) => finish(() => reject(error));
    const dispatch = (reader: Worker | null) => {
      if (next >= tasks.length || next > current + AHEAD * count) return false;
      const task = tasks[next++] as RangeTask;
      if (reader) reader.postMessage(task);
      else readRange(task, take).then((reply) => take(reply, null), fail);
      return true;
    };
    /** Hands on the current range's replies, in order, as far as they go. */
    const drain = () => {
      for (;;) {
        const replies = waiting.get(current);
        const reply = replies?.shift();
        if (reply === undefined) return;
        if ("records" in reply) {
          unpackRecords(reply.records, format, sink);
          continue;
        }
        waiting.delete(current);
        current++;
        const outcome = ended(reply);
        if (outcome !== undefined) {
          finish(() => resolve(outcome));
          return;
        }
        while (idle.length > 0 && dispatch(idle[0] as Worker | null)) idle.shift();
      }
    };
    /** A reply from a reader; one that ends a range frees the reader for the next. */
    function take(reply: RangeReply, reader?: Worker | null): void {
      if (settled) return;
      let replies = waiting.get(reply.range);
      if (!replies) {
        replies = [];
        waiting.set(reply.range, replies);
      }
      replies.push(reply);
      if (reader !== undefined && !("records" in reply) && !dispatch(reader)) idle.push(reader);
      try {
        drain();
      } catch (error) {
        fail(error);
      }
    }

    for (let i = 1; i < count; i++) {
      const worker = new Worker(script);
      workers.push(worker);
      worker.on("message", (reply: RangeReply) => take(reply, worker));
      worker.on("error", fail);
      dispatch(worker);
    }
    dispatch(null);
  });
}
