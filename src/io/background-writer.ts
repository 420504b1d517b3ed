/**
 * Files written by a second thread while this one renders the next: the site
 * and the feeds create tens of thousands of small files, and each creation is
 * the kernel's work (an inode, a directory entry, the page cache), which on
 * two cores need not wait for the rendering, nor the rendering for it.
 *
 * This thread encodes each file's text into a batch (a buffer of several
 * files' bytes) and hands the batch to the writer, which writes its files in
 * order (a file given one to compare with only if that one's bytes differ,
 * as a regenerated directory's are compared) and hands the buffer back to be
 * filled again: a few batches are ever in flight, so memory holds a few
 * megabytes more, not the files.
 *
 * Batches go out by `postMessage`; buffers and failures come back through a
 * port read with `receiveMessageOnPort` (no event needed); a wait for a
 * batch to be written is an `Atomics.waitAsync` on a counter the writer
 * bumps, so that this thread hears meanwhile if the writer stops.
 */

import { type MessagePort, receiveMessageOnPort, type Worker } from "node:worker_threads";
import { stopOnExit } from "./atomic.ts";
import { helperThread, waitAsync } from "./threads.ts";

/** Bytes a batch is filled to before it is handed over. */
const BATCH = 512 * 1024;
/** Batches at most in flight (being written, or waiting to be). */
const IN_FLIGHT = 8;

/**
 * Makes `holds(file, bytes)`: whether a file holds exactly these bytes, by
 * one open, reads compared as they come (through one 256 KiB buffer, however
 * large the file: the site's report is 15 MB), one read past the end (so that
 * a longer file differs) and one close. The writer thread runs this same
 * function from its text (see WRITER), so it uses nothing but its argument
 * and globals.
 */
export function makeHolds(
  fs: Pick<typeof import("node:fs"), "openSync" | "readSync" | "closeSync">,
): (file: string, bytes: Uint8Array) => boolean {
  const scratch = Buffer.allocUnsafe(256 * 1024);
  return (file, bytes) => {
    let fd: number;
    try {
      fd = fs.openSync(file, "r");
    } catch {
      return false;
    }
    try {
      let length = 0;
      while (length <= bytes.length) {
        const wanted = Math.min(scratch.length, bytes.length + 1 - length);
        const read = fs.readSync(fd, scratch, 0, wanted, length);
        if (read === 0) break;
        if (length + read > bytes.length) return false;
        if (!scratch.subarray(0, read).equals(bytes.subarray(length, length + read))) return false;
        length += read;
      }
      return length === bytes.length;
    } catch {
      return false;
    } finally {
      fs.closeSync(fd);
    }
  };
}

/** The writer thread (see threads.ts's helperThread). */
const WRITER = `
const { workerData } = require("node:worker_threads");
const { writeFileSync } = require("node:fs");
const done = new Int32Array(workerData.control);
const port = workerData.port;
let failed = false;
const holds = (${makeHolds.toString()})(require("node:fs"));
port.on("message", (batch) => {
  // For each file: 1 written, 0 the same bytes already there (not written).
  const written = [];
  if (!failed) {
    const bytes = new Uint8Array(batch.bytes);
    let start = 0;
    for (let i = 0; i < batch.files.length; i++) {
      // 0 idle, 1 writing a file, 2 stopped by the other thread (see stopNow).
      if (Atomics.compareExchange(done, 1, 0, 1) !== 0) {
        failed = true;
        break;
      }
      const end = batch.ends[i];
      const text = bytes.subarray(start, end);
      const same = batch.compare[i];
      if (same !== null && holds(same, text)) written.push(0);
      else {
        try {
          writeFileSync(batch.files[i], text);
          written.push(1);
        } catch (error) {
          failed = true;
          port.postMessage({ file: batch.files[i], code: error.code, message: error.message });
        }
      }
      Atomics.store(done, 1, 0);
      Atomics.notify(done, 1);
      if (failed) break;
      start = end;
    }
  }
  port.postMessage({ free: batch.bytes, written }, [batch.bytes]);
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
`;

interface Batch {
  files: string[];
  /** For each file, one whose bytes are compared first (none written if the same), or null. */
  compare: (string | null)[];
  ends: number[];
  bytes: ArrayBuffer;
}

/** What the writer sends back: a buffer to fill again (and what it wrote), or the write that failed. */
type Reply =
  | { free: ArrayBuffer; written: number[] }
  | { file: string; code?: string; message: string };

/** The error a failed write is told as: the file (as the writer was given it) and what the system said. */
export type WriteFailure = (file: string, error: NodeJS.ErrnoException) => Error;

/**
 * A writer thread, or undefined when no thread can be had (a permission
 * model forbidding them). Its failures are thrown as `failure` makes them;
 * one not about a file (the thread stopping early) names the file "".
 */
export function startWriter(failure: WriteFailure): BackgroundWriter | undefined {
  // Batches written, and whether the writer is writing a file (see stopNow).
  const control = new SharedArrayBuffer(8);
  const thread = helperThread(WRITER, { control });
  return thread && new BackgroundWriter(thread, new Int32Array(control), failure);
}

export class BackgroundWriter {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  /** Batches written so far, bumped by the writer. */
  readonly #done: Int32Array;
  readonly #failed: WriteFailure;
  #sent = 0;
  readonly #free: ArrayBuffer[] = [];
  #failure: Error | undefined;
  #batch: Batch | undefined;
  #buffer: Buffer | undefined;
  #used = 0;
  /** Whether each file so far was written (false: the same bytes were there), in order. */
  readonly #written: boolean[] = [];
  /** Unregisters stopNow from what runs on exit. */
  readonly #forget: () => void;

  constructor(
    thread: { worker: Worker; port: MessagePort },
    done: Int32Array,
    failure: WriteFailure,
  ) {
    this.#worker = thread.worker;
    this.#port = thread.port;
    this.#done = done;
    this.#failed = failure;
    // Its temporary files are removed on exit (a Ctrl-C): it stops first.
    this.#forget = stopOnExit(() => this.stopNow());
    // Heard while this thread waits (see #waitFor): a writer that stops
    // early fails the writing rather than leaving it waiting.
    this.#worker.on("error", (error) => {
      this.#failure ??= failure("", error as NodeJS.ErrnoException);
    });
    this.#worker.on("exit", () => {
      this.#failure ??= failure(
        "",
        new Error("the thread writing the files stopped before it had written them all"),
      );
    });
  }

  /**
   * Queues a file's text to be written (to a path whose folder exists). With
   * `unlessIn`, not written if that file holds the same bytes (`written()`
   * tells). Returns a promise, to be awaited before the next, only when it
   * had to wait for a batch to be written first; throws (or rejects with)
   * the first write that failed.
   */
  write(file: string, text: string, unlessIn?: string): Promise<void> | undefined {
    if (this.#ready()) {
      this.#queue(file, text, unlessIn);
      return undefined;
    }
    return this.#drain().then(() => this.#queue(file, text, unlessIn));
  }

  /** Waits for every queued file to be written; throws the first write that failed. */
  async finish(): Promise<void> {
    try {
      this.#flush();
      await this.#waitFor(this.#sent);
      this.#check();
    } finally {
      await this.stop();
    }
  }

  /** After `finish()`: for each file queued, in order, whether it was written. */
  written(): readonly boolean[] {
    return this.#written;
  }

  /** Stops the writer: what it is writing is finished, the rest dropped. */
  async stop(): Promise<void> {
    this.#worker.removeAllListeners("exit");
    await this.#worker.terminate();
    this.#forget();
  }

  /**
   * Stops the writer at once, from a handler that cannot wait (the process
   * exiting on a signal): the file it is writing is finished, and it creates
   * none after this returns.
   */
  stopNow(): void {
    // Bounded, should the writer have died in the middle of a file.
    for (let tries = 0; tries < 40; tries++) {
      if (Atomics.compareExchange(this.#done, 1, 0, 2) !== 1) return;
      Atomics.wait(this.#done, 1, 1, 50);
    }
  }

  /** Whether a batch's buffer is at hand, or may be made, should the next file need one. */
  #ready(): boolean {
    this.#collect();
    return this.#free.length > 0 || this.#sent - Atomics.load(this.#done, 0) < IN_FLIGHT;
  }

  async #drain(): Promise<void> {
    while (!this.#ready()) {
      this.#check();
      await this.#waitFor(Atomics.load(this.#done, 0) + 1);
    }
    this.#check();
  }

  #queue(file: string, text: string, unlessIn: string | undefined): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8 (see calendar-files.ts's
    // encode); a text that may not fit a batch is measured, so that the
    // site's report (15 MB) does not take a buffer of 45.
    let most = text.length * 3;
    if (most > BATCH) most = Buffer.byteLength(text, "utf8");
    if (this.#buffer && this.#used + most > this.#buffer.length) this.#flush();
    if (!this.#buffer) this.#start(most);
    const buffer = this.#buffer as Buffer;
    const batch = this.#batch as Batch;
    this.#used += buffer.write(text, this.#used, "utf8");
    batch.files.push(file);
    batch.compare.push(unlessIn ?? null);
    batch.ends.push(this.#used);
    if (this.#used >= BATCH) this.#flush();
  }

  #start(most: number): void {
    this.#check();
    const size = Math.max(BATCH, most);
    const bytes =
      size === BATCH ? (this.#free.pop() ?? new ArrayBuffer(BATCH)) : new ArrayBuffer(size);
    this.#buffer = Buffer.from(bytes);
    this.#batch = { files: [], compare: [], ends: [], bytes };
    this.#used = 0;
  }

  #flush(): void {
    const batch = this.#batch;
    if (!batch) return;
    this.#batch = undefined;
    this.#buffer = undefined;
    this.#port.postMessage(batch, [batch.bytes]);
    this.#sent += 1;
  }

  /**
   * Until the writer has written `count` batches, or failed, or stopped:
   * waiting without blocking, so that the writer's own end is heard.
   */
  async #waitFor(count: number): Promise<void> {
    for (;;) {
      const done = Atomics.load(this.#done, 0);
      if (done >= count || this.#failure) return;
      await waitAsync(this.#done, 0, done, 100);
    }
  }

  /** Takes in what the writer sent back: buffers to reuse, a failure. */
  #collect(): void {
    for (;;) {
      const received = receiveMessageOnPort(this.#port);
      if (!received) return;
      const reply = received.message as Reply;
      if ("free" in reply) {
        // A buffer made larger for one large file (the site's report) is
        // let go rather than kept for the rest of the run.
        if (reply.free.byteLength === BATCH) this.#free.push(reply.free);
        for (const flag of reply.written) this.#written.push(flag === 1);
      } else {
        this.#failure ??= this.#failed(
          reply.file,
          Object.assign(new Error(reply.message), { code: reply.code }),
        );
      }
    }
  }

  #check(): void {
    this.#collect();
    if (this.#failure) throw this.#failure;
  }
}
