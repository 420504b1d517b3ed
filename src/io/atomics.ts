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
