import { LINE_CONTROL } from "./controls.ts";

/**
 * Turning the bytes of a file the user wrote into text, refusing what is not
 * UTF-8 text with a position a reader can go to.
 */

export type DecodedText =
  | { ok: true; text: string }
  | { ok: false; line: number; col: number; message: string };

const REPLACEMENT = "\ufffd";

/** Whether bytes start with UTF-8's byte-order mark (EF BB BF). */
export function startsWithBom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Text to match as itself in a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Whether a text holds any of `signs`: asked before a regular expression
 * whose every match holds one, since for a large text (a roster of 50,000
 * people) a string search rules it out faster than the expression.
 */
export function includesAny(text: string, signs: readonly string[]): boolean {
  for (let i = 0; i < signs.length; i++) if (text.includes(signs[i] as string)) return true;
  return false;
}

/** How much of a long value (a path, an argument) a message shows. */
const SHOWN_CHARS = 80;

/** A value as a message shows it: whole, unless it is very long. */
export function shorten(text: string): string {
  const chars = [...text];
  return chars.length <= SHOWN_CHARS ? text : `${chars.slice(0, SHOWN_CHARS - 1).join("")}…`;
}

/** Where the first carriage return alone (an old Mac line break) is, or -1. */
export function loneCarriageReturn(text: string): number {
  return text.includes("\r") ? text.search(/\r(?!\n)/) : -1;
}

/**
 * Text with each carriage return alone made a line feed: YAML 1.2 reads both
 * as a line break, the yaml package only a line feed. One character for one,
 * so every offset, line and column stays where it was.
 */
export function withLineFeeds(text: string): string {
  return loneCarriageReturn(text) === -1 ? text : text.replace(/\r(?!\n)/g, "\n");
}

/** Line and column (1-based, in characters) of a character index in text. */
export function textPosition(text: string, index: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: [...text.slice(lineStart, index)].length + 1 };
}

/**
 * Where decoding replaced an invalid byte: the first U+FFFD in the decoded text
 * that was not a real U+FFFD (EF BF BD) in the bytes.
 */
function firstInvalidByte(
  bytes: Uint8Array,
  text: string,
  bom = startsWithBom(bytes) ? 3 : 0,
): { index: number; byte: number } {
  const encoder = new TextEncoder();
  for (let index = text.indexOf(REPLACEMENT); index !== -1; ) {
    const offset = bom + encoder.encode(text.slice(0, index)).length;
    const genuine =
      bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (!genuine) return { index, byte: bytes[offset] ?? 0 };
    index = text.indexOf(REPLACEMENT, index + 1);
  }
  return { index: 0, byte: bytes[0] ?? 0 };
}

/**
 * Decodes a text file: UTF-8, an optional byte-order mark dropped. Binary
 * content (a NUL byte), UTF-16 and invalid UTF-8 are refused with the position
 * of the first offending character. Text piped in (`from` "stdin") was never
 * saved as a file, so the message says what to send instead.
 */
export function decodeText(bytes: Uint8Array, from: "file" | "stdin" = "file"): DecodedText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const message =
      from === "file"
        ? "the file is saved as UTF-16; save it as UTF-8"
        : "standard input is UTF-16; send UTF-8";
    return { ok: false, line: 1, col: 1, message };
  }
  // Valid UTF-8 (nearly every file) is decoded once: the lenient decoding,
  // which places the first bad byte, only for the rest. Both drop a BOM.
  let text: string;
  let valid = true;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    valid = false;
    text = new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes);
  }
  const nul = text.indexOf("\0");
  if (nul !== -1) {
    return {
      ok: false,
      ...textPosition(text, nul),
      message: `${from === "file" ? "the file" : "standard input"} contains a NUL byte: it is binary, not text`,
    };
  }
  if (!valid) {
    const { index, byte } = firstInvalidByte(bytes, text);
    return {
      ok: false,
      ...textPosition(text, index),
      message: notUtf8Message(byte, from),
    };
  }
  return { ok: true, text };
}

/** What is said of a byte that is not UTF-8, in every file rota reads and on standard input. */
export function notUtf8Message(byte: number, from: "file" | "stdin" = "file"): string {
  const fix = from === "file" ? "save the file as UTF-8" : "send UTF-8";
  return `byte 0x${byte.toString(16).padStart(2, "0")} is not UTF-8; ${fix}`;
}

/**
 * Where the first byte that is not UTF-8 is, in bytes known to hold one that
 * start at a character's start (`first`: at the file's start, where a
 * byte-order mark is not a character): its line and column (1-based, in
 * characters, within these bytes) and the byte.
 */
export function placeNotUtf8(
  bytes: Uint8Array,
  first: boolean,
): { line: number; col: number; byte: number } {
  const text = new TextDecoder("utf-8", { ignoreBOM: !first }).decode(bytes);
  const bom = first && startsWithBom(bytes) ? 3 : 0;
  const { index, byte } = firstInvalidByte(bytes, text, bom);
  return { ...textPosition(text, index), byte };
}

/**
 * A value as one word for a POSIX shell. One holding a control character
 * (a tab, a line break, a bidi control: shown escaped on a terminal, so a
 * pasted command would not hold it) is written in ANSI-C quotes, `$'…'`
 * (bash, zsh, ksh and POSIX.1-2024), with each such character as `\uXXXX`.
 */
export function shellWord(value: string): string {
  if (/^[\w@%+=:,./-]+$/.test(value)) return value;
  if (!LINE_CONTROL.test(value)) return `'${value.replaceAll("'", `'\\''`)}'`;
  const escaped = value
    .replaceAll("\\", "\\\\")
    .replaceAll("'", "\\'")
    .replace(
      new RegExp(LINE_CONTROL.source, "g"),
      (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
    );
  return `$'${escaped}'`;
}
