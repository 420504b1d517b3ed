import { isDeepStrictEqual } from "node:util";
import { type Anchor, type Path, parseYaml } from "../yaml.ts";

/**
 * Places a few problems in a large roster without reading all of it again
 * with positions. The roster was read fast (yaml-fast.ts) and checked; only
 * the parts that hold a problem are cut out, whole lines at a time (the
 * top-level keys they are under and, in a top-level list such as `people`,
 * the entries they are in), and read with positions. A line keeps its text,
 * so a place in the cut-out text is the same line and column in the file.
 *
 * The cut is checked: the parts must read back as exactly the data read
 * before, every top-level key must be accounted for, and the cut-out text
 * must read without a problem. Anything unusual (a layout this light
 * scanner does not follow) returns undefined, and the caller reads the whole
 * file with positions instead.
 */

export type Locate = (path: Path, anchor?: Anchor) => { line: number; col: number };

/** A run of whole lines of the file, from `start` (0-based line) to before `end`. */
interface Lines {
  start: number;
  end: number;
}

interface Entry {
  key: string;
  lines: Lines;
  /** The lines before the first item, and each item, when the value is a block list. */
  list?: { head: Lines; items: Lines[] };
}

const DOCUMENT_START = /^---(?:[ \t]|$)/;
const DOCUMENT_END = /^\.\.\.(?:[ \t]|$)/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?\r?$/;
/** A key's first character when it is plain. */
const PLAIN_KEY_START = /^[A-Za-z0-9_]$/;
/** Whitespace other than spaces and tabs, which ends a plain key's line. */
const OTHER_SPACE = /^[^\S \t]$/;
/** A key whose value starts on a later line (nothing but a comment after the colon). */
const VALUE_BELOW = /:[ \t]*(?:#.*)?\r?$/;
const ITEM = /^( *)-(?:[ \t]|\r?$)/;

/**
 * The key a top-level line starts with, plain or quoted; undefined when it
 * starts none. Read character by character: a regular expression that
 * repeats a choice overflows the stack on a line of megabytes.
 */
function keyOf(line: string): string | undefined {
  const quote = line[0];
  if (quote === '"' || quote === "'") {
    const close = closingQuote(line, quote);
    if (close === -1 || !keyEndsAt(line, close + 1)) return undefined;
    const inside = line.slice(1, close);
    if (quote === "'") return inside.replaceAll("''", "'");
    try {
      return JSON.parse(`"${inside}"`) as string;
    } catch {
      return undefined;
    }
  }
  if (!PLAIN_KEY_START.test(line.charAt(0))) return undefined;
  // Words, with spaces or tabs between them, up to the colon.
  let end = 1;
  let at = 1;
  for (; at < line.length; at++) {
    const c = line[at] as string;
    if (c === ":" || c === "#") break;
    if (c === " " || c === "\t") continue;
    if (OTHER_SPACE.test(c)) return undefined;
    end = at + 1;
  }
  return keyEndsAt(line, at) ? line.slice(0, end) : undefined;
}

/**
 * Where a quoted key's closing quote is: `\` escapes the next character in
 * double quotes (not a line break), `''` is a quote in single quotes; -1
 * when there is none.
 */
function closingQuote(line: string, quote: string): number {
  for (let at = 1; at < line.length; at++) {
    const c = line[at];
    if (quote === '"' && c === "\\") {
      if (at + 1 === line.length || LINE_BREAK.test(line.charAt(at + 1))) return -1;
      at++;
    } else if (c === quote) {
      if (quote === "'" && line[at + 1] === "'") at++;
      else return at;
    }
  }
  return -1;
}

/** Line breaks, which `.` does not match. */
const LINE_BREAK = /^[\n\r\u2028\u2029]$/;

/**
 * Whether a key's text ends at `at`: spaces or tabs, its colon, then a space,
 * a tab or the line's end (a carriage return may come before it).
 */
function keyEndsAt(line: string, at: number): boolean {
  let colon = at;
  while (line[colon] === " " || line[colon] === "\t") colon++;
  if (line[colon] !== ":") return false;
  const after = line[colon + 1];
  const end = after === undefined || (after === "\r" && colon + 2 === line.length);
  return end || after === " " || after === "\t";
}

/** The top-level entries of a block mapping, by lines; undefined for any other layout. */
function scan(lines: string[]): { prelude: Lines; entries: Entry[] } | undefined {
  let first = 0;
  while (first < lines.length) {
    const line = lines[first] as string;
    if (BLANK_OR_COMMENT.test(line) || (first === 0 && DOCUMENT_START.test(line))) first++;
    else break;
  }
  const entries: Entry[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i] as string;
    const c = line.charCodeAt(0);
    // Indented lines, blank lines, comments and the items of a list at column 0 continue an entry.
    if (line.length === 0 || c === 32 || c === 35 || c === 13 || ITEM.test(line)) {
      if (i === first) return undefined;
      continue;
    }
    if (DOCUMENT_START.test(line) || DOCUMENT_END.test(line)) return undefined;
    const key = keyOf(line);
    if (key === undefined) return undefined;
    const previous = entries[entries.length - 1];
    if (previous) previous.lines.end = i;
    entries.push({ key, lines: { start: i, end: lines.length } });
  }
  for (const entry of entries) entry.list = listOf(lines, entry);
  return { prelude: { start: 0, end: first }, entries };
}

/** The items of an entry whose value is a block list, each by lines. */
function listOf(lines: string[], entry: Entry): Entry["list"] {
  const { start, end } = entry.lines;
  if (!VALUE_BELOW.test(lines[start] as string)) return undefined;
  let at = start + 1;
  while (at < end && BLANK_OR_COMMENT.test(lines[at] as string)) at++;
  const item = at < end ? ITEM.exec(lines[at] as string) : null;
  if (!item) return undefined;
  const indent = (item[1] as string).length;
  const head = { start, end: at };
  const items: Lines[] = [];
  for (let i = at; i < end; i++) {
    const line = lines[i] as string;
    const match = ITEM.exec(line);
    if (match && (match[1] as string).length === indent) {
      const last = items[items.length - 1];
      if (last) last.end = i;
      items.push({ start: i, end });
      continue;
    }
    if (BLANK_OR_COMMENT.test(line)) continue;
    // Content less indented than the items: not a layout followed here.
    let spaces = 0;
    while (line.charCodeAt(spaces) === 32) spaces++;
    if (spaces <= indent && !(spaces === indent && line[spaces] === "-")) return undefined;
  }
  return { head, items };
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A locator for `paths` in a roster whose data (read fast) is `data`, or
 * undefined when the parts cannot be cut out and checked (see above).
 */
export function locateIn(
  text: string,
  data: Record<string, unknown>,
  paths: readonly Path[],
  file: string,
): Locate | undefined {
  const lines = text.split("\n");
  const scanned = scan(lines);
  if (!scanned) return undefined;
  const { prelude, entries } = scanned;
  const keys = Object.keys(data);
  if (entries.length !== keys.length) return undefined;
  const byKey = new Map(entries.map((entry) => [entry.key, entry]));
  if (byKey.size !== entries.length || keys.some((key) => !byKey.has(key))) return undefined;

  // What to keep: the first entry (where the roster starts), and each path's
  // entry; of a block list, its first item (where the list starts) and each
  // path's item.
  const kept = new Map<Entry, Set<number>>();
  const keep = (entry: Entry | undefined) => {
    if (entry && !kept.has(entry)) kept.set(entry, new Set([0]));
    return entry;
  };
  keep(entries[0]);
  for (const path of paths) {
    const entry = keep(byKey.get(String(path[0])));
    const index = path[1];
    if (entry?.list && typeof index === "number" && index < entry.list.items.length)
      kept.get(entry)?.add(index);
  }

  // The cut-out text, and where each of its runs of lines starts in the file.
  const runs: { at: number; from: number }[] = [];
  const parts: string[] = [];
  let count = 0;
  const take = ({ start, end }: Lines) => {
    if (end <= start) return;
    runs.push({ at: count, from: start });
    parts.push(lines.slice(start, end).join("\n"));
    count += end - start;
  };
  const ranks = new Map<Entry, Map<number, number>>();
  take(prelude);
  for (const entry of entries) {
    const items = kept.get(entry);
    if (!items) continue;
    if (!entry.list) {
      take(entry.lines);
      continue;
    }
    take(entry.list.head);
    const sorted = [...items].sort((a, b) => a - b);
    ranks.set(entry, new Map(sorted.map((index, rank) => [index, rank])));
    for (const index of sorted) take(entry.list.items[index] as Lines);
  }
  const cut = parts.join("\n");

  const parsed = parseYaml(cut, file);
  if (!parsed.ok) return undefined;
  const { value, locate } = parsed.yaml;
  if (!isMapping(value) || Object.keys(value).length !== kept.size) return undefined;
  for (const [entry, items] of kept) {
    if (!Object.hasOwn(value, entry.key)) return undefined;
    const read = value[entry.key];
    const before = data[entry.key];
    if (!entry.list) {
      if (!isDeepStrictEqual(read, before)) return undefined;
      continue;
    }
    const sorted = [...items].sort((a, b) => a - b);
    if (
      !Array.isArray(read) ||
      !Array.isArray(before) ||
      read.length !== sorted.length ||
      before.length !== entry.list.items.length
    )
      return undefined;
    if (sorted.some((index, rank) => !isDeepStrictEqual(read[rank], before[index])))
      return undefined;
  }

  const lineIn = (line: number): number => {
    // The last run starting at or before the line (runs are in order).
    let low = 0;
    let high = runs.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((runs[middle] as { at: number }).at <= line - 1) low = middle;
      else high = middle - 1;
    }
    const run = runs[low] as { at: number; from: number };
    return run.from + (line - 1 - run.at) + 1;
  };
  return (path, anchor) => {
    const entry = byKey.get(String(path[0]));
    const rank = entry ? ranks.get(entry) : undefined;
    let inCut = path;
    if (rank && typeof path[1] === "number") {
      // An index past the end stays past the end of the cut-out list.
      inCut = [path[0] as string, rank.get(path[1]) ?? Number.MAX_SAFE_INTEGER, ...path.slice(2)];
    }
    const { line, col } = locate(inCut, anchor);
    return { line: lineIn(line), col };
  };
}
