import { readFileSync, writeFileSync } from "node:fs";

/**
 * Replaces `from` with `to` in a file, as String#replace does, and fails the
 * test when `from` is not there: an edit that misses would leave the test
 * checking the unedited file, asserting nothing about the edit.
 */
export function editFile(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, "utf8");
  const found = typeof from === "string" ? text.includes(from) : text.search(from) !== -1;
  if (!found) throw new Error(`${file} holds no ${String(from)} to replace`);
  writeFileSync(file, text.replace(from, to));
}
