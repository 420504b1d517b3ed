/**
 * What must never reach a terminal raw, written out here rather than taken
 * from rota's source: C0 controls but tab and newline, DEL, C1 controls, the
 * line and paragraph separators, and Unicode's bidi controls.
 */
export const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** The same, tab and newline too, everywhere: what one line may not hold. */
export const LINE_UNSAFE = new RegExp(UNSAFE.source.replace("[", "[\\t\\n"), "gu");

/** Colour codes (SGR sequences). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes are what is looked for
export const COLOURS = /\u001b\[[0-9;]*m/g;
