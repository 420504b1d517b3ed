import { EventEmitter } from "node:events";
import { fstatSync, writeSync } from "node:fs";
import type { Io } from "../context.ts";

/*
 * stdout and stderr for a run of the command line. Where one is a pipe, a
 * socket (what Node and CI runners give a child for its output) or a file (in
 * scripts, `rota who | grep`), text goes straight to the file
 * descriptor with write(2): Node's stream for a pipe is a socket, and making
 * it (with the stream and net modules it needs) costs each start-up more than
 * the rest of a small command's output. A terminal, or anything else, gets
 * Node's own stream, as before.
 *
 * What is written, and in which order, is the same either way; so are the
 * errors: a write that fails is reported as an "error" event, a tick later,
 * as the stream would report it, and later writes are dropped, as after the
 * stream's. A pipe that is not ready (EAGAIN: a non-blocking pipe whose
 * reader is slow) is handed to Node's stream, which waits for it.
 */

type Output = Io["stdout"];

const FAILURE = Symbol("rota.writeFailure");

/**
 * For an output written straight to its descriptor: the error its writes
 * met, if any (null for none), known as soon as it happened. Undefined for
 * anything else (Node's stream, or one handed over to it), whose error
 * arrives a tick or two after the write.
 */
export function writeFailure(output: Output): Error | null | undefined {
  return (output as { [FAILURE]?: () => Error | null | undefined })[FAILURE]?.();
}

/** process.stdout (fd 1) or process.stderr (fd 2), written directly where that is plain. */
export function processOutput(fd: 1 | 2): Output {
  const stream = () => (fd === 1 ? process.stdout : process.stderr);
  let plain = false;
  try {
    const stat = fstatSync(fd);
    plain = stat.isFIFO() || stat.isSocket() || stat.isFile();
  } catch {
    // A closed descriptor: Node's stream says so in its own way.
  }
  return plain ? directOutput(fd, stream) : stream();
}

function directOutput(fd: number, stream: () => Output): Output {
  const events = new EventEmitter();
  /** Node's stream, once the descriptor was not ready: everything goes through it from then on. */
  let handedOver: Output | undefined;
  let failed = false;
  let failure: Error | null = null;

  const handOver = (): Output => {
    if (!handedOver) {
      handedOver = stream();
      // Listeners of ours hear the stream's errors from now on.
      for (const listener of events.listeners("error")) {
        handedOver.on("error", listener as (error: Error) => void);
      }
    }
    return handedOver;
  };

  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const callback = rest.find((each) => typeof each === "function") as
      | ((error?: Error | null) => void)
      | undefined;
    if (handedOver) return (handedOver.write as (...args: unknown[]) => boolean)(chunk, ...rest);
    if (failed) return false;
    const encoding = typeof rest[0] === "string" ? (rest[0] as BufferEncoding) : "utf8";
    let bytes = typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk;
    try {
      while (bytes.length > 0) {
        const written = writeSync(fd, bytes);
        bytes = bytes.subarray(written);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
        const rest = Buffer.from(bytes);
        return (handOver().write as (...args: unknown[]) => boolean)(rest, callback);
      }
      failed = true;
      failure = error as Error;
      process.nextTick(() => {
        callback?.(error as Error);
        events.emit("error", error);
      });
      return false;
    }
    if (callback) process.nextTick(callback);
    return true;
  };

  const output = {
    isTTY: false,
    columns: undefined,
    write,
    [FAILURE]: () => (handedOver ? undefined : failure),
    on(event: string, listener: (...args: unknown[]) => void) {
      events.on(event, listener);
      if (handedOver) handedOver.on(event, listener);
      return output;
    },
    off(event: string, listener: (...args: unknown[]) => void) {
      events.off(event, listener);
      if (handedOver) handedOver.off(event, listener);
      return output;
    },
  };
  // Anything else (a prompt library piping into it, say) gets Node's stream.
  return new Proxy(output, {
    get(target, property, receiver) {
      if (Object.hasOwn(target, property)) return Reflect.get(target, property, receiver);
      const real = handOver();
      const value = Reflect.get(real, property, real);
      return typeof value === "function" ? value.bind(real) : value;
    },
  }) as unknown as Output;
}
