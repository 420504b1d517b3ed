/**
 * A worker thread of `readLinesInThreads`: reads the ranges of JSON lines it
 * is given, as one thread would read them, and sends their ticket records
 * back packed, a read of the file at a time.
 */

import { parentPort } from "node:worker_threads";
import type { TicketRecord } from "../core/tickets/formats.ts";
import { JsonLines, LineBreak, lineBatches, READ } from "./tickets.ts";
import { type LinesReply, type LinesTask, RecordPacker } from "./tickets-threads.ts";

const port = parentPort;
if (port) {
  port.on("message", (task: LinesTask) => {
    void readRange(task).then((reply) => port.postMessage(reply));
  });
}

async function readRange(task: LinesTask): Promise<LinesReply> {
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
      const records = packer.take();
      parentPort?.postMessage({ range: task.range, records } satisfies LinesReply, [
        records.numbers.buffer as ArrayBuffer,
      ]);
    }
  } catch (error) {
    if (!(error instanceof LineBreak)) throw error;
    return { range: task.range, broken: { line: error.line - before, message: error.message } };
  }
  return { range: task.range, done: { lines: lines.lines, rows: lines.rows } };
}
