import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import { UsageError } from "../errors.ts";

/**
 * Threads a command may use (to read a big export, to write a new site or
 * feed directory): `ROTA_THREADS` when set (1: this thread alone), else as
 * many as the machine has cores for this process.
 */
export function threadsAllowed(value: string | undefined): number {
  if (value === undefined || value === "") return availableParallelism();
  if (!/^[1-9]\d{0,2}$/.test(value.trim())) {
    throw new UsageError(
      `ROTA_THREADS must be a whole number of threads, 1 or more (1: no worker threads), not "${value}"`,
    );
  }
  return Number(value.trim());
}

/**
 * A helper thread running `code`, CommonJS evaluated from its text (no file
 * of its own to find, so it runs from the sources too), with `data` and a
 * port of its own (`workerData.port`); undefined when no thread can be had
 * (a permission model forbidding them). It needs none of this process's
 * flags (nor a test runner's), and its young generation is kept small: it
 * only moves bytes between files and buffers.
 */
export function helperThread(
  code: string,
  data: Record<string, unknown>,
): { worker: Worker; port: MessagePort } | undefined {
  const { port1, port2 } = new MessageChannel();
  try {
    const worker = new Worker(code, {
      eval: true,
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
      workerData: { ...data, port: port2 },
      transferList: [port2],
    });
    return { worker, port: port1 };
  } catch {
    port1.close();
    return undefined;
  }
}

/**
 * `Atomics.waitAsync` (ES2024, in Node since 16; not in this project's
 * TypeScript library): resolves once `array[index]` is notified or no longer
 * `value`, or after `timeout` ms. A thread that waits this way still hears
 * its event loop (a worker that stopped), as `Atomics.wait` would not.
 */
export async function waitAsync(
  array: Int32Array,
  index: number,
  value: number,
  timeout: number,
): Promise<void> {
  const wait = (
    Atomics as unknown as {
      waitAsync(
        array: Int32Array,
        index: number,
        value: number,
        timeout: number,
      ): { async: boolean; value: Promise<string> | string };
    }
  ).waitAsync(array, index, value, timeout);
  if (wait.async) await wait.value;
}
