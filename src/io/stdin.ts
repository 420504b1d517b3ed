import { UsageError } from "../errors.ts";
import { formatBytes } from "./files.ts";

/**
 * Reads a stream to its end, refusing more than `maxBytes` (a stray pipe of
 * a large file must not exhaust memory).
 */
export async function readStream(
  stream: NodeJS.ReadableStream,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buffer =
      typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    length += buffer.length;
    if (length > maxBytes) {
      throw new UsageError(
        `${what} holds more than ${formatBytes(maxBytes)}; rota reads up to that`,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, length);
}
