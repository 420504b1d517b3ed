import { CONTROL_CLASS, escapeControl, TAG_FIRST, TAG_LENGTH, TAG_SIZE } from "../core/controls.ts";

/**
 * Where rota's output meets a terminal: everything written to stdout and
 * stderr passes through `forScreen`. Text from a roster, a note file, a file
 * name or git's history (an author's name, a roster of the past) may hold
 * escape sequences that retitle the terminal of whoever runs rota, clear it,
 * or hide a line of the audit trail; here they are shown escaped (`\u001b`).
 * rota's own sequences, colours and the progress line, pass: each of their
 * control characters follows a tag that is random for this run, so no file
 * can hold it (core/controls.ts).
 */

const TAG = (() => {
  const random = new Uint16Array(TAG_LENGTH);
  globalThis.crypto.getRandomValues(random);
  return String.fromCharCode(...[...random].map((n) => TAG_FIRST + (n % TAG_SIZE)));
})();

const OWN_OR_CONTROL = new RegExp(`${TAG}([\\s\\S])|[${CONTROL_CLASS}]`, "g");
const UNTAGGED_ESC = new RegExp(`(?<!${TAG})\\u001b`, "g");
const CONTROL_CHAR = new RegExp(`[${CONTROL_CLASS}]`, "g");

/** Control characters of rota's own, marked to reach the terminal as they are. */
export function own(sequence: string): string {
  return sequence.replace(CONTROL_CHAR, (char) => TAG + char);
}

/** Every escape sequence rota wrote after `text` was escaped: marked as its own. */
export function ownEscapes(text: string): string {
  return text.replace(UNTAGGED_ESC, `${TAG}\u001b`);
}

/** Text with every control character escaped, except those marked as rota's own. */
export function escapeForeign(text: string): string {
  return text.replace(OWN_OR_CONTROL, (match, ownChar: string | undefined) =>
    ownChar === undefined ? escapeControl(match) : match,
  );
}

/** What reaches the terminal: rota's own sequences, and everything else escaped. */
export function forScreen(text: string): string {
  return text.replace(OWN_OR_CONTROL, (match, ownChar: string | undefined) =>
    ownChar === undefined ? escapeControl(match) : ownChar,
  );
}
