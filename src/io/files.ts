import { open } from "node:fs/promises";
import { UsageError } from "../errors.ts";

export type ReadResult =
  | { kind: "ok"; bytes: Uint8Array }
  | { kind: "missing" }
  | { kind: "too-large"; size: number };

/**
 * Reads a whole file the user wrote, refusing one larger than `maxBytes`
 * before reading it (a hostile or mistaken path must not exhaust memory).
 */
export async function readUserFile(file: string, maxBytes: number): Promise<ReadResult> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent of the path is a file, so the file cannot exist.
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    if (code === "EISDIR") throw new UsageError(`${file} is a directory, not a file`);
    if (code === "EACCES") throw new UsageError(`cannot read ${file}: permission denied`);
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new UsageError(`${file} is a directory, not a file`);
    if (stat.size > maxBytes) return { kind: "too-large", size: stat.size };
    // Read until the end, but never more than one byte past the limit: a file
    // that grows meanwhile (or a device such as /dev/urandom) is still refused.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= maxBytes) {
      const chunk = Buffer.alloc(
        Math.min(Math.max(stat.size - length, 64 * 1024), maxBytes + 1 - length),
      );
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > maxBytes) return { kind: "too-large", size: length };
    return { kind: "ok", bytes: Buffer.concat(chunks, length) };
  } finally {
    await handle.close();
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
