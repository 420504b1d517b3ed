import { EventEmitter } from "node:events";
import { fstatSync, writeSync } from "node:fs";
import type { Io } from "../context.ts";

type Output = Io["stdout"];

/**
 * stdout or stderr for the process. When it is a pipe or a file, rota
 * writes to it with direct system calls, as Node's own stream does there on
 * Linux and macOS, without creating that stream: process.stdout loads Node's
 * stream and network modules, a fifth of a bare `node -e 0` on every run. A
 * terminal (colours, its width, prompts) gets the real stream.
 */
export function processOutput(fd: 1 | 2): Output {
  const stream = () => (fd === 1 ? process.stdout : process.stderr);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFIFO() && !stat.isFile()) return stream();
  } catch {
    return stream();
  }
  // The few members rota uses of a stream that is not a terminal: write, and
  // "error" events (cli.ts watches them); prompts never see it.
  return new FdOutput(fd, stream) as unknown as Output;
}

class FdOutput extends EventEmitter {
  readonly isTTY = false;
  readonly columns = undefined;
  #failed = false;
  #stream: NodeJS.WriteStream | undefined;

  constructor(
    private readonly fd: number,
    private readonly openStream: () => NodeJS.WriteStream,
  ) {
    super();
  }

  write(chunk: string | Uint8Array): boolean {
    if (this.#stream) return this.#stream.write(chunk);
    if (this.#failed) return false;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.fd, bytes, offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
          // A non-blocking pipe that is full: Node's stream waits for it.
          this.#stream = this.openStream();
          this.#forward(this.#stream);
          return this.#stream.write(bytes.subarray(offset));
        }
        // As a stream reports it: once, a moment later; what follows is lost.
        this.#failed = true;
        process.nextTick(() => this.emit("error", error));
        return false;
      }
    }
    return true;
  }

  #forward(stream: NodeJS.WriteStream): void {
    stream.on("error", (error) => this.emit("error", error));
  }
}
