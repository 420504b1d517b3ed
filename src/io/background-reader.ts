/**
 * Many small files read by a second thread while this one parses those read
 * before: a report or site over 50,000 notes opens, reads and closes 50,000
 * files, the kernel's work, which on two cores need not wait for the
 * parsing, nor the parsing for it.
 *
 * The reader reads each file whole into a batch (a buffer of several files'
 * bytes, handed over when full) and only what is plain: a file it cannot
 * open or read, or one too big for a single read, it leaves to this thread,
 * which reads it as it reads any file alone (so its bytes, or the message
 * for it, are the same). A few batches at most are read ahead.
 */

import { receiveMessageOnPort } from "node:worker_threads";
import { helperThread, waitAsync } from "./threads.ts";

/** Bytes a batch holds at most; a file needing more is left to this thread. */
const BATCH = 512 * 1024;
/** Bytes the reader reads of a file at most: one read. */
const MOST = 64 * 1024;
/** Batches read ahead of the one being parsed. */
const AHEAD = 4;

/** The reader thread (see threads.ts's helperThread). */
const READER = `
const { workerData } = require("node:worker_threads");
const { openSync, readSync, closeSync } = require("node:fs");
const { files, port } = workerData;
// [batches taken by the parsing thread, batches sent]
const counters = new Int32Array(workerData.control);
const BATCH = ${BATCH};
const MOST = ${MOST};
const AHEAD = ${AHEAD};
let bytes = new Uint8Array(BATCH);
let ends = [];
let used = 0;
let sent = 0;
const flush = () => {
  port.postMessage({ ends, bytes: bytes.buffer }, [bytes.buffer]);
  sent += 1;
  Atomics.store(counters, 1, sent);
  Atomics.notify(counters, 1);
  bytes = new Uint8Array(BATCH);
  ends = [];
  used = 0;
  for (;;) {
    const taken = Atomics.load(counters, 0);
    if (sent - taken < AHEAD) break;
    Atomics.wait(counters, 0, taken);
  }
};
for (const file of files) {
  if (BATCH - used < MOST) flush();
  let end = -1;
  let fd = -1;
  try {
    fd = openSync(file, "r");
    const read = readSync(fd, bytes, used, MOST, 0);
    if (read < MOST) end = used + read;
  } catch {
    // Left to the parsing thread, which reads it again and tells why.
  } finally {
    if (fd !== -1) {
      try {
        closeSync(fd);
      } catch {}
    }
  }
  ends.push(end);
  if (end !== -1) used = end;
}
if (ends.length > 0) flush();
`;

/**
 * Reads `files` in order with a second thread, calling `take` for each with
 * its bytes (valid only during the call), or with undefined for a file the
 * caller must read itself. Resolves false, having called nothing, when no
 * thread could be started: the caller reads them all.
 */
export async function readInBackground(
  files: readonly string[],
  take: (index: number, bytes: Buffer | undefined) => void,
): Promise<boolean> {
  const control = new SharedArrayBuffer(8);
  const counters = new Int32Array(control);
  const thread = helperThread(READER, { files, control });
  if (!thread) return false;
  const { worker, port } = thread;
  let stopped = false;
  worker.on("error", () => {
    stopped = true;
  });
  worker.on("exit", () => {
    stopped = true;
  });
  let next = 0;
  try {
    while (next < files.length) {
      const received = receiveMessageOnPort(port);
      if (received) {
        next = takeBatch(received.message as { ends: number[]; bytes: ArrayBuffer }, next, take);
        Atomics.add(counters, 0, 1);
        Atomics.notify(counters, 0);
        continue;
      }
      if (stopped) {
        // The reader ended early (it should not): this thread reads the rest.
        for (; next < files.length; next++) take(next, undefined);
        break;
      }
      await waitAsync(counters, 1, Atomics.load(counters, 1), 100);
    }
  } finally {
    worker.removeAllListeners("exit");
    await worker.terminate();
    port.close();
  }
  return true;
}

/** Hands on one batch's files, from `first`; returns the index after its last. */
function takeBatch(
  batch: { ends: number[]; bytes: ArrayBuffer },
  first: number,
  take: (index: number, bytes: Buffer | undefined) => void,
): number {
  const bytes = Buffer.from(batch.bytes);
  let start = 0;
  batch.ends.forEach((end, i) => {
    if (end === -1) take(first + i, undefined);
    else {
      take(first + i, bytes.subarray(start, end));
      start = end;
    }
  });
  return first + batch.ends.length;
}
