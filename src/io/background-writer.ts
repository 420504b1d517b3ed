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

import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from "node:worker_threads";
import { waitAsync } from "./atomics.ts";

/** Bytes a batch is filled to before it is handed over. */
const BATCH = 512 * 1024;
/** Batches at most in flight (being written, or waiting to be). */
const IN_FLIGHT = 8;

/** The writer thread: CommonJS, evaluated from this text (no file of its own to find). */
const WRITER = `
const { workerData } = require("node:worker_threads");
const { closeSync, openSync, readSync, writeFileSync } = require("node:fs");
const done = new Int32Array(workerData.control);
const port = workerData.port;
let failed = false;
let scratch = Buffer.allocUnsafe(256 * 1024);
// As calendar-files.ts's holds(): whether a file holds exactly these bytes.
const holds = (file, bytes) => {
  if (scratch.length < bytes.length + 1) scratch = Buffer.allocUnsafe(bytes.length + 1);
  let fd;
  try {
    fd = openSync(file, "r");
  } catch {
    return false;
  }
  try {
    let length = 0;
    while (length <= bytes.length) {
      const read = readSync(fd, scratch, length, bytes.length + 1 - length, length);
      if (read === 0) break;
      length += read;
    }
    return length === bytes.length && scratch.subarray(0, length).equals(bytes);
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
};
port.on("message", (batch) => {
  // For each file: 1 written, 0 the same bytes already there (not written).
  const written = [];
  if (!failed) {
    const bytes = new Uint8Array(batch.bytes);
    let start = 0;
    for (let i = 0; i < batch.files.length; i++) {
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
          break;
        }
      }
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

/** A write the writer thread could not make: the file and the error, as `writeFileSync` threw it. */
export class BackgroundWriteError extends Error {
  constructor(
    readonly file: string,
    readonly error: NodeJS.ErrnoException,
  ) {
    super(error.message);
  }
}

export class BackgroundWriter {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  /** Batches written so far, bumped by the writer. */
  readonly #done: Int32Array;
  #sent = 0;
  readonly #free: ArrayBuffer[] = [];
  #failure: BackgroundWriteError | undefined;
  #batch: Batch | undefined;
  #buffer: Buffer | undefined;
  #used = 0;
  /** Whether each file so far was written (false: the same bytes were there), in order. */
  readonly #written: boolean[] = [];

  constructor() {
    const control = new SharedArrayBuffer(4);
    this.#done = new Int32Array(control);
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = new Worker(WRITER, {
      eval: true,
      // The writer needs none of this process's flags (nor a test runner's).
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
      workerData: { control, port: port2 },
      transferList: [port2],
    });
    // Heard while this thread waits (see #waitFor): a writer that stops
    // early, however, fails the writing rather than leaving it waiting.
    this.#worker.on("error", (error) => {
      this.#failure ??= new BackgroundWriteError("", error as NodeJS.ErrnoException);
    });
    this.#worker.on("exit", () => {
      this.#failure ??= new BackgroundWriteError(
        "",
        new Error("the thread writing the files stopped before it had written them all"),
      );
    });
  }

  /** Whether a file may be queued now; if not, await `drain()` first. */
  ready(): boolean {
    this.#collect();
    return this.#free.length > 0 || this.#sent - Atomics.load(this.#done, 0) < IN_FLIGHT;
  }

  /** Waits until a file may be queued (a batch written); throws the first write that failed. */
  async drain(): Promise<void> {
    while (!this.ready()) {
      this.#check();
      await this.#waitFor(Atomics.load(this.#done, 0) + 1);
    }
    this.#check();
  }

  /**
   * Queues a file's text to be written (to a path whose folder exists); see
   * `ready()`. With `unlessIn`, not written if that file holds the same bytes
   * (`written()` tells).
   */
  write(file: string, text: string, unlessIn?: string): void {
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
  }

  #start(most: number): void {
    this.#check();
    const reused = this.#free.pop();
    const size = Math.max(BATCH, most);
    const bytes = reused && reused.byteLength >= size ? reused : new ArrayBuffer(size);
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
        this.#free.push(reply.free);
        for (const flag of reply.written) this.#written.push(flag === 1);
      } else {
        this.#failure ??= new BackgroundWriteError(
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
