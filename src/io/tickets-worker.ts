/**
 * A worker thread of `readLinesInThreads` and `readJsonInThreads`: reads the
 * ranges of a file it is given, as one thread would read those bytes, and
 * sends their ticket records back packed, a read of the file at a time.
 */

import { createReadStream } from "node:fs";
import { parentPort } from "node:worker_threads";
import { readsAsciiOnly, type TicketRecord, ticketRecord } from "../core/tickets/formats.ts";
import { JsonBreak, JsonRecordScanner } from "./json-records.ts";
import { JsonLines, LIST_PLACES, LineBreak, lineBatches, READ } from "./tickets.ts";
import {
  type RangeDone,
  type RangeReply,
  type RangeTask,
  RecordPacker,
} from "./tickets-threads.ts";

const port = parentPort;
if (port) {
  port.on("message", (task: RangeTask) => {
    const read = task.kind === "lines" ? readLines(task) : readJson(task);
    void read.then((reply) => port.postMessage(reply));
  });
}

/** Sends the records packed so far. */
function send(range: number, packer: RecordPacker): void {
  const records = packer.take();
  parentPort?.postMessage({ range, records } satisfies RangeReply, [
    records.numbers.buffer as ArrayBuffer,
  ]);
}

async function readLines(task: RangeTask): Promise<RangeReply> {
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
      send(task.range, packer);
    }
  } catch (error) {
    if (!(error instanceof LineBreak)) throw error;
    return {
      range: task.range,
      broken: { line: error.line - before, byte: 0, message: error.message },
    };
  }
  return { range: task.range, done: { lines: lines.lines, rows: lines.rows } };
}

async function readJson(task: RangeTask): Promise<RangeReply> {
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
      send(task.range, packer);
    }
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
