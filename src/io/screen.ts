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

// Made on first use (reading the system's random source costs start-up
// time): until then, no text can hold an own sequence, so every control
// character is foreign.
let tagged: { tag: string; ownOrControl: RegExp; untaggedEsc: RegExp } | undefined;

function tagging(): NonNullable<typeof tagged> {
  if (!tagged) {
    const random = new Uint16Array(TAG_LENGTH);
    globalThis.crypto.getRandomValues(random);
    const tag = String.fromCharCode(...[...random].map((n) => TAG_FIRST + (n % TAG_SIZE)));
    tagged = {
      tag,
      ownOrControl: new RegExp(`${tag}([\\s\\S])|[${CONTROL_CLASS}]`, "g"),
      untaggedEsc: new RegExp(`(?<!${tag})\\u001b`, "g"),
    };
  }
  return tagged;
}

const CONTROL_CHAR = new RegExp(`[${CONTROL_CLASS}]`, "g");

/** rota's own sequences and every control character; only control characters before any. */
const ownOrControl = (): RegExp => tagged?.ownOrControl ?? CONTROL_CHAR;

/** Control characters of rota's own, marked to reach the terminal as they are. */
export function own(sequence: string): string {
  const { tag } = tagging();
  return sequence.replace(CONTROL_CHAR, (char) => tag + char);
}

/** Every escape sequence rota wrote after `text` was escaped: marked as its own. */
export function ownEscapes(text: string): string {
  const { tag, untaggedEsc } = tagging();
  return text.replace(untaggedEsc, `${tag}\u001b`);
}

/** Text with every control character escaped, except those marked as rota's own. */
export function escapeForeign(text: string): string {
  return text.replace(ownOrControl(), (match, ownChar: string | undefined) =>
    typeof ownChar === "string" ? match : escapeControl(match),
  );
}

/** What reaches the terminal: rota's own sequences, and everything else escaped. */
export function forScreen(text: string): string {
  return text.replace(ownOrControl(), (match, ownChar: string | undefined) =>
    typeof ownChar === "string" ? ownChar : escapeControl(match),
  );
}
