import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from "node:fs";
import { UsageError } from "../errors.ts";

/**
 * What identifies a file's bytes without reading them again: its device,
 * inode, size and the times (to the nanosecond) it was last modified and
 * last changed. Any write to the file changes its change time (ctime), which
 * no one can set back; `settled` says that both times were more than
 * SETTLED_MS before the file was read, so that a write after the read, even
 * one of the same size in the same clock tick as the last, shows in them.
 */
export interface FileStamp {
  id: string;
  settled: boolean;
}

/** How long a file must have been left alone for its stamp to tell its bytes. */
const SETTLED_MS = 2000;

export type ReadResult =
  | { kind: "ok"; bytes: Uint8Array; stamp: FileStamp }
  | { kind: "missing" }
  | { kind: "too-large"; size: number };

/**
 * Reads a whole file the user wrote, refusing one larger than `maxBytes`
 * before reading it (a hostile or mistaken path must not exhaust memory).
 * `shown` is the file as messages name it.
 */
export async function readUserFile(
  file: string,
  maxBytes: number,
  shown = file,
): Promise<ReadResult> {
  // Synchronous calls: a command waits for its input in any case, and they
  // spare a start-up the thread pool and the fs/promises module.
  let fd: number;
  try {
    // Without waiting: a named pipe opened for reading waits for a writer,
    // which may never come (and a process waiting in open(2) hears no Ctrl-C).
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent of the path is a file, so the file cannot exist.
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    if (code === "EISDIR") throw new UsageError(`${shown} is a directory, not a file`);
    if (code === "EACCES") throw new UsageError(`cannot read ${shown}: permission denied`);
    throw error;
  }
  try {
    const stat = fstatSync(fd, { bigint: true });
    // Taken before the bytes are read: a write meanwhile changes the file's.
    const changedMs = Number(
      (stat.ctimeNs > stat.mtimeNs ? stat.ctimeNs : stat.mtimeNs) / 1_000_000n,
    );
    const stamp = {
      id: `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`,
      settled: changedMs < Date.now() - SETTLED_MS,
    };
    const size = Number(stat.size);
    if (stat.isDirectory()) throw new UsageError(`${shown} is a directory, not a file`);
    if (size > maxBytes) return { kind: "too-large", size };
    // Read until the end, but never more than one byte past the limit: a file
    // that grows meanwhile (or a device such as /dev/urandom) is still refused.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= maxBytes) {
      // Not zero-filled: only the bytes read are kept.
      const chunk = Buffer.allocUnsafe(
        Math.min(Math.max(size - length, 64 * 1024), maxBytes + 1 - length),
      );
      const bytesRead = readWaiting(fd, chunk);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > maxBytes) return { kind: "too-large", size: length };
    // A file read in one piece (most are) is not copied into another.
    const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
    return { kind: "ok", bytes, stamp };
  } finally {
    closeSync(fd);
  }
}

/** A file that went on past the bytes a reader takes of it. */
export class PastLimit extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

/**
 * A file's bytes a read at a time, as a read stream gives them (from `start`,
 * up to `end` when given), but never more than `maxBytes` of them: one more
 * throws PastLimit. A file that grows as it is read, or a pseudo-file that
 * never ends, is refused rather than read forever.
 */
export async function* readChunks(
  file: string,
  maxBytes: number,
  options: { highWaterMark?: number; start?: number; end?: number } = {},
): AsyncGenerator<Buffer> {
  const start = options.start ?? 0;
  // `end` is inclusive for a read stream: one byte past the limit is read, to tell it is there.
  const end = Math.min((options.end ?? Number.POSITIVE_INFINITY) - 1, start + maxBytes);
  let read = 0;
  for await (const chunk of createReadStream(file, {
    highWaterMark: options.highWaterMark,
    start,
    end,
  })) {
    read += (chunk as Buffer).length;
    if (read > maxBytes) throw new PastLimit(maxBytes);
    yield chunk as Buffer;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * One read of a descriptor opened without waiting: a pipe with a writer
 * that has not written yet says EAGAIN, and is read again a moment later (a
 * pipe with no writer reads as empty at once). Files read as they always do.
 */
function readWaiting(fd: number, chunk: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
