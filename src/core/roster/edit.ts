import { isMap, isPair, isScalar, isSeq, type Node, parseDocument } from "yaml";
import { loneCarriageReturn, withLineFeeds } from "../text.ts";
import { DATE } from "./formats.ts";
import type { Swap } from "./model.ts";

/**
 * Edits of roster.yaml that keep everything else byte for byte: comments,
 * blank lines, quoting and flow or block style. The yaml Document API finds
 * where things are; the change is spliced into the original text, because
 * re-serialising the whole document would reformat the user's file.
 */

/**
 * Plain scalars every reader takes as the same string: a letter, then letters,
 * digits, spaces and `. _ - / ( ) '`. YAML 1.1 readers (PyYAML, older editors
 * and tools) take much else plain for something other than a string: `10:30`
 * for the number 630, `1_000` for 1000, `2026-03-01` for a date, `=` and `<<`
 * for keys of their own, and a `?` in a flow mapping for an error.
 */
const PLAIN = /^\p{L}[\p{L}\p{M}\p{N} ._\-/()']*$/u;

/** Words that YAML 1.1 or 1.2 readers take for a boolean or null, in any case. */
const SPECIAL_WORD = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

/**
 * A value inside a flow mapping: plain when every YAML reader, 1.1 or 1.2,
 * reads it back as the same string there; double-quoted otherwise. JSON
 * strings are YAML.
 */
function scalar(value: string): string {
  return PLAIN.test(value) && !value.endsWith(" ") && !SPECIAL_WORD.test(value)
    ? value
    : JSON.stringify(value);
}

/** A swap as one flow mapping: `{ date: 2026-12-03, shift: emea, out: ada, in: grace }`. */
export function swapText(swap: Swap): string {
  const fields: [string, string | undefined][] = [
    ["date", swap.date],
    ["shift", swap.shift],
    ["out", swap.out],
    ["in", swap.in],
    ["reason", swap.reason],
  ];
  const body = fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    // The date is written as the roster's own dates are: YAML 1.1 readers take it for a date.
    .map(([key, value]) => `${key}: ${key === "date" && DATE.test(value) ? value : scalar(value)}`)
    .join(", ");
  return `{ ${body} }`;
}

/**
 * Appends a swap to the roster's `swaps:` list (creating it if needed). A
 * roster whose lines end in a carriage return alone is edited with line feeds
 * there, and written back with carriage returns when it had no line feed.
 */
export function addSwapToRosterText(text: string, swap: Swap): string {
  if (loneCarriageReturn(text) !== -1) {
    const edited = addSwapToRosterText(withLineFeeds(text), swap);
    return text.includes("\n") ? edited : edited.replaceAll("\n", "\r");
  }
  const doc = parseDocument(text, { version: "1.2" });
  const item = swapText(swap);
  const root = doc.contents;
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const ensureEnd = text.length === 0 || text.endsWith("\n") ? text : `${text}${newline}`;
  if (!isMap(root)) throw new Error("the roster is not a mapping");
  const pair = root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === "swaps");
  if (!pair) {
    // Before a document end marker (`...`), if the file has one: after it, the
    // list would start a second document.
    const end = /^\.\.\.[ \t\r]*(?:#.*)?$/m.exec(ensureEnd);
    const at = end?.index ?? ensureEnd.length;
    return `${ensureEnd.slice(0, at)}${newline}swaps:${newline}  - ${item}${newline}${ensureEnd.slice(at)}`;
  }

  const key = pair.key as Node;
  const value = pair.value as Node | null;
  // A null's tag (`swaps: !!null ~`) would tag the list put in its place: it
  // goes (comments kept), and the roster without it takes the swap.
  if (isScalar(value) && value.value === null && value.tag && value.range && key.range) {
    const before = text.slice(key.range[1], value.range[0]);
    const untagged = before.replace(/[ \t]*(?:#.*|!\S*)/g, (token) =>
      token.trimStart().startsWith("#") ? token : "",
    );
    if (untagged !== before) {
      const rest = `${text.slice(0, key.range[1])}${untagged}${text.slice(value.range[0])}`;
      return addSwapToRosterText(rest, swap);
    }
  }
  const keyStart = key.range?.[0] ?? 0;
  const keyLineStart = text.lastIndexOf("\n", keyStart - 1) + 1;
  const keyIndent = text.slice(keyLineStart, keyStart);
  const childIndent = `${keyIndent}  `;

  if (isSeq(value) && !value.flow && value.items.length > 0) {
    // A block list: a new line after the last item, its `-` placed and spaced
    // like the first item's. Only those: an anchor or tag after the first `-`
    // would be copied to the new item (a duplicate anchor is an error).
    const dash = value.range?.[0] ?? 0;
    const dashLineStart = text.lastIndexOf("\n", dash - 1) + 1;
    const dashIndent = text.slice(dashLineStart, dash);
    const spacing = /^-[ \t]+(?=\S)/.exec(text.slice(dash, dash + 80))?.[0] ?? "- ";
    const marker = /^[ \t]*$/.test(dashIndent) ? `${dashIndent}${spacing}` : `${childIndent}- `;
    const first = value.items[0] as Node;
    const firstStart = first.range?.[0] ?? 0;
    const last = value.items[value.items.length - 1] as Node;
    // A block item's range runs on to the start of the next key: go back to
    // its last character, so the new item follows its line.
    let lastEnd = last.range?.[1] ?? firstStart;
    while (lastEnd > (last.range?.[0] ?? 0) && /\s/.test(text[lastEnd - 1] as string)) lastEnd--;
    const lineEnd = text.indexOf("\n", lastEnd);
    const at = lineEnd === -1 ? ensureEnd.length : lineEnd + 1;
    const base = lineEnd === -1 ? ensureEnd : text;
    return `${base.slice(0, at)}${marker}${item}${newline}${base.slice(at)}`;
  }

  if (isSeq(value) && value.flow && value.range) {
    const open = value.range[0];
    const close = value.range[1] - 1;
    // A flow list with items or comments takes the swap before its `]`.
    if (text[close] === "]" && text.slice(open + 1, close).trim() !== "") {
      return addToFlowList(text, value.items as Node[], open, close, item, newline, childIndent);
    }
  }

  // Empty (`swaps:`), null (`swaps: ~`) or `swaps: []`: that value becomes a block list.
  const lines = [`${childIndent}- ${item}`];
  // `swaps: ~` or `swaps: null` is replaced; an empty value has no text to replace.
  const valueStart = value?.range && value.range[1] > value.range[0] ? value.range[0] : undefined;
  if (valueStart === undefined || !value?.range) {
    // Before the key line's break, the whole of it: a CRLF's CR stays with its LF.
    const keyLineEnd = text.slice(keyStart).search(/\r?\n/);
    const at = keyLineEnd === -1 ? ensureEnd.length - newline.length : keyStart + keyLineEnd;
    const base = keyLineEnd === -1 ? ensureEnd : text;
    return `${base.slice(0, at)}${newline}${lines.join(newline)}${base.slice(at)}`;
  }
  const valueEnd = value.range[1];
  // Keep a comment after the value on its line.
  return `${text.slice(0, valueStart).trimEnd()}${newline}${lines.join(newline)}${text.slice(valueEnd)}`;
}

/**
 * The text with `item` added to the flow list between `open` (its `[`) and
 * `close` (its `]`), all else as it was. Where the `]` starts a line, the item
 * gets a line of its own before it, indented like the last item's; otherwise
 * it follows the last item on its line.
 */
function addToFlowList(
  text: string,
  items: readonly Node[],
  open: number,
  close: number,
  item: string,
  newline: string,
  childIndent: string,
): string {
  const last = items[items.length - 1];
  const lastEnd = last?.range?.[1] ?? open + 1;
  // After the last item, past spaces, line breaks and comments: a comma, if it has one.
  const after = /^(?:\s|#[^\n]*)*/.exec(text.slice(lastEnd, close))?.[0].length ?? 0;
  const comma = text[lastEnd + after] === ",";
  const closeLine = text.lastIndexOf("\n", close - 1) + 1;
  if (last && !/^[ \t]*$/.test(text.slice(closeLine, close))) {
    return `${text.slice(0, lastEnd)}, ${item}${text.slice(lastEnd)}`;
  }
  const lastStart = last?.range?.[0] ?? open;
  const lastLine = text.lastIndexOf("\n", lastStart - 1) + 1;
  // An item on the `[`'s line is indented as the list's own key's items would be.
  const indent =
    last && lastLine > open ? (/^[ \t]*/.exec(text.slice(lastLine))?.[0] ?? "") : childIndent;
  const line = `${indent}${item}${comma ? "," : ""}${newline}`;
  const head =
    last && !comma
      ? `${text.slice(0, lastEnd)},${text.slice(lastEnd, closeLine)}`
      : text.slice(0, closeLine);
  return `${head}${line}${text.slice(closeLine)}`;
}
