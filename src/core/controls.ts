/**
 * Characters that act instead of showing. ESC starts the sequences that
 * retitle a terminal, clear it, move its cursor or write to its clipboard;
 * U+009B is the same in one character; the other C0 and C1 controls and DEL
 * are not text at all; U+2028 and U+2029 break lines where a reader expects
 * one; and Unicode's bidi controls make text read in another order than it is
 * stored. Text from a roster, a note, a template or git's history may hold
 * any of them: single-line fields refuse them, and whatever rota prints shows
 * them escaped (`\u001b`), never raw.
 */

/** The character class of every such character except tab and newline, as regex source. */
export const CONTROL_CLASS =
  "\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";

/** One such character, tab and newline excepted. */
export const CONTROL = new RegExp(`[${CONTROL_CLASS}]`);

/** One such character, tab and newline included: what a single line may not hold. */
export const LINE_CONTROL = new RegExp(`[\\t\\n${CONTROL_CLASS}]`);

/** Every such character, tab and newline excepted (global: for replace and matchAll). */
export const CONTROLS = new RegExp(`[${CONTROL_CLASS}]`, "g");
const LINE_CONTROLS = new RegExp(`[\\t\\n${CONTROL_CLASS}]`, "g");

const hex = (char: string) => (char.codePointAt(0) ?? 0).toString(16).padStart(4, "0");

/**
 * A character as it is escaped in JSON (`\n`, `\u001b`, `\u202e`), so that text
 * escaped for a terminal reads the same as in rota's JSON output.
 */
export function escapeControl(char: string): string {
  if (char < " ") return JSON.stringify(char).slice(1, -1);
  return `\\u${hex(char)}`;
}

/** Text with every control character escaped; tab and newline kept. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, escapeControl);
}

/** Text on one line: every control character escaped, tab and newline too. */
export function oneLine(text: string): string {
  return text.replace(LINE_CONTROLS, escapeControl);
}

/** `U+202E (a bidi control, …)`: a control character named for a message. */
export function describeControl(char: string): string {
  const code = `U+${hex(char).toUpperCase()}`;
  if (char === "\u2028") return `${code} (a line separator)`;
  if (char === "\u2029") return `${code} (a paragraph separator)`;
  if (char === "\n") return `${code} (a line break)`;
  if (char === "\t") return `${code} (a tab)`;
  if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(char)) {
    return `${code} (a bidi control, which makes text read differently than it is stored)`;
  }
  return `${code} (a control character)`;
}

/**
 * rota's own control sequences (colours, clearing a progress line) are
 * each marked, character by character, with a tag of eight private-use
 * characters, random for each run (io/screen.ts), so that the one place where
 * output meets a terminal can tell them from text that came from a file or
 * from git: a file cannot hold a tag it cannot know.
 */
export const TAG_LENGTH = 8;
/** The range tags are drawn from: Unicode's private use area. */
export const TAG_FIRST = 0xe000;
export const TAG_SIZE = 0x1900;

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes are what is measured
const OWN_COLOUR = /(?:[\ue000-\uf8ff]{8})?\u001b\[[0-9;]*m/g;

/**
 * The text as it reaches the screen, for measuring: colour codes gone (rota's
 * own, tagged or, while a table is laid out, not tagged yet), and any other
 * control character shown as its escape.
 */
export function screenText(text: string): string {
  const shown = text.includes("\u001b") ? text.replace(OWN_COLOUR, "") : text;
  return escapeControls(shown);
}

/**
 * Escapes, for JSON, what JSON.stringify leaves raw: C1 controls, U+2028,
 * U+2029 and bidi controls. The data reads back the same; the text holds
 * nothing that acts on a terminal or ends a line in JavaScript.
 */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(CONTROLS, escapeControl);
}
