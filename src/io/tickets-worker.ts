/**
 * A worker thread of src/io/tickets-threads.ts: reads the ranges of a file
 * it is given (src/io/ticket-ranges.ts) and sends their records back.
 */

import { parentPort } from "node:worker_threads";
import { type RangeReply, type RangeTask, readRange } from "./ticket-ranges.ts";

const port = parentPort;
if (port) {
  const post = (reply: RangeReply) => {
    const transfer = "records" in reply ? [reply.records.numbers.buffer as ArrayBuffer] : [];
    port.postMessage(reply, transfer);
  };
  port.on("message", (task: RangeTask) => {
    void readRange(task, post).then(post);
  });
}
