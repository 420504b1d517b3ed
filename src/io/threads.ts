import { availableParallelism } from "node:os";
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
