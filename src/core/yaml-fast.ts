import jsyaml from "js-yaml";
import { type Form, IMPLICIT, needsFullParser, readBlock, readFlowLine } from "./yaml-block.ts";

/*
 * A fast reader for well-formed files. The yaml package keeps positions for
 * every node, which costs seconds on a 50,000-person roster; js-yaml reads
 * the same file several times faster. It is given exactly the YAML 1.2 core
 * schema that the yaml package uses (the regular expressions below are
 * yaml's own), so both read every plain scalar the same way. Files that use
 * anchors, aliases, merge keys, tags or directives, or that do not parse,
 * are left to the yaml package (undefined here).
 */

/** One implicit type per tag (js-yaml keeps one per tag): the first matching form constructs. */
const scalar = (tag: string, forms: Form[]): jsyaml.Type =>
  new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (text: string | null) => forms.some(([test]) => test.test(text ?? "")),
    construct: (text: string | null) => {
      const form = forms.find(([test]) => test.test(text ?? ""));
      return form ? form[1](text ?? "") : text;
    },
  });

const CORE_1_2 = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: IMPLICIT.map(([tag, forms]) => scalar(tag, forms)),
});

/**
 * The data of a plain YAML 1.2 file, read fast; undefined when the file needs
 * the full parser (which then also reports its problems with positions).
 */
export function readPlainYaml(text: string): unknown {
  if (needsFullParser(text) || holdsSurrogateEscape(text)) return undefined;
  const block = readBlock(text);
  if (block !== undefined) return block;
  const flow = readFlowLists(text);
  // Lists read line by line hold one whole node a line, and their key starts
  // a line of its own: whether a node spans lines is a question for the rest.
  if (nodeSpansLines(flow ? flow.text : text)) return undefined;
  if (flow) {
    try {
      const data = jsyaml.load(flow.text, { schema: CORE_1_2, json: false });
      if (withLists(data, flow.lists)) return data;
    } catch {
      // The whole file, read below, says whether it parses.
    }
  }
  try {
    return jsyaml.load(text, { schema: CORE_1_2, json: false });
  } catch {
    return undefined;
  }
}

/**
 * An escape of half of a surrogate pair (`\uD83D`): whether its other half
 * follows is the yaml package's to tell, and to place when it does not
 * (yaml.ts). Such escapes are rare, so any sends the file there.
 */
const SURROGATE_ESCAPE = /\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])/;

function holdsSurrogateEscape(text: string): boolean {
  return text.includes("\\") && SURROGATE_ESCAPE.test(text);
}

/** A top-level key alone on its line: its value is the block below it. */
const TOP_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +#.*| *)$/;
const BLANK_OR_COMMENT = /^ *(?:#.*)?$/;
/** An item's start: its indentation and dash, up to its flow mapping. */
const FLOW_ITEM = /^ +- (?=\{)/;

/**
 * Top-level lists written one flow mapping a line (`  - { id: ada, … }`, the
 * way generators and most people write a large roster's people) are read
 * here line by line, where js-yaml spends most of its time on a 50,000-person
 * roster. Only a list whose every item reads the simple way (see `FlowLine`)
 * is taken out; js-yaml reads the rest of the file, with each such list left
 * empty (`key: []`) to keep the keys in order. Undefined when there is none.
 */
export function readFlowLists(
  text: string,
): { text: string; lists: Map<string, unknown[]> } | undefined {
  const lines = text.split("\n");
  const lists = new Map<string, unknown[]>();
  const kept: string[] = [];
  let at = 0;
  while (at < lines.length) {
    const line = lines[at] as string;
    const key = TOP_KEY.exec(line)?.[1];
    at++;
    if (key === undefined || key === "__proto__" || lists.has(key)) {
      kept.push(line);
      continue;
    }
    let end = at;
    let indent: string | undefined;
    const items: unknown[] = [];
    for (; end < lines.length; end++) {
      const item = lines[end] as string;
      // The common line first: an item at the list's indentation.
      let value =
        indent !== undefined && item.startsWith(indent)
          ? readFlowLine(item, indent.length)
          : undefined;
      if (value === undefined) {
        if (BLANK_OR_COMMENT.test(item)) continue;
        const start = FLOW_ITEM.exec(item);
        if (!start) {
          if (item[0] !== " ") break; // the next top-level key: the list ends
          items.length = 0;
          break;
        }
        indent ??= start[0];
        value = start[0] === indent ? readFlowLine(item, indent.length) : undefined;
      }
      if (value === undefined) {
        items.length = 0;
        break;
      }
      items.push(value);
    }
    if (items.length === 0) {
      kept.push(line);
      continue;
    }
    lists.set(key, items);
    kept.push(`${key}: []`);
    at = end;
  }
  return lists.size > 0 ? { text: kept.join("\n"), lists } : undefined;
}

/** Puts the lists read line by line in their places; false when the data has no room for them. */
function withLists(data: unknown, lists: Map<string, unknown[]>): boolean {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return false;
  const record = data as Record<string, unknown>;
  for (const key of lists.keys()) {
    const empty = record[key];
    if (!Array.isArray(empty) || empty.length > 0) return false;
  }
  for (const [key, items] of lists) record[key] = items;
  return true;
}

/**
 * A line's start: its indentation, sequence dashes and a plain key (one that
 * holds no colon or `#`). What `lineStart` reads.
 */
export const LINE_START = /^ *(?:- +|-$)*(?:[^\s"'#[\]{},:][^:#]*:(?= |$))? */;

/** What may start a plain key in LINE_START. */
const KEY_START = /^[^\s"'#[\]{},:]$/;

/**
 * The start of a line as LINE_START matches it, read character by character:
 * a regular expression that repeats a choice overflows the stack on a line of
 * megabytes (a few million dashes).
 */
export function lineStart(line: string): string {
  let at = 0;
  while (line.charCodeAt(at) === 32) at++;
  // Dashes, each followed by spaces or the line's end.
  while (line.charCodeAt(at) === 45) {
    const next = line.charCodeAt(at + 1);
    if (next !== 32 && at + 1 !== line.length) break;
    at++;
    while (line.charCodeAt(at) === 32) at++;
  }
  if (KEY_START.test(line.charAt(at))) {
    // The key runs to the first colon or `#`: a colon followed by a space or the line's end.
    let end = at + 1;
    for (; end < line.length; end++) {
      const c = line.charCodeAt(end);
      if (c === 58 || c === 35) break; // : or #
    }
    const colon = line.charCodeAt(end) === 58;
    if (colon && (end + 1 === line.length || line.charCodeAt(end + 1) === 32)) at = end + 1;
  }
  while (line.charCodeAt(at) === 32) at++;
  return line.slice(0, at);
}

const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:\s|$)/;

/**
 * Whether a node goes on past its line with its next lines indented no
 * further than its parent: a quoted string, a flow collection or a plain
 * scalar. js-yaml accepts those lines, where the yaml package (and YAML 1.2)
 * refuses them: such files are left to the yaml package, so that every
 * command reads a roster alike. Block scalars (`|`, `>`) are read alike by
 * both.
 */
function nodeSpansLines(text: string): boolean {
  let blockAt = -1; // a block scalar's lines are indented beyond this column
  let openAt = -1; // so are those of a node left open on an earlier line
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf("\n", from);
    if (to === -1) to = text.length;
    const line = text.slice(from, to);
    from = to + 1;
    const indent = line.length - line.trimStart().length;
    if (blockAt >= 0) {
      if (indent === line.length || indent > blockAt) continue;
      blockAt = -1;
    }
    if (openAt >= 0) {
      if (indent === line.length || indent > openAt) continue;
      openAt = -1;
    }
    if (DOCUMENT_MARKER.test(line)) continue;
    const start = lineStart(line);
    const value = line.slice(start.length);
    if (value === "" || value[0] === "#") continue;
    if (start.trim() === "") return true; // it continues a line before, under-indented
    if (value[0] === "|" || value[0] === ">") blockAt = indent;
    else if (!valueEndsOnItsLine(value)) {
      // Its next lines go beyond the key's column, or the dash's.
      const key = start.search(/[^\s-]/);
      openAt = key >= 0 ? key : start.lastIndexOf("-");
    }
  }
  return false;
}

/**
 * Whether a value (from its first character) ends on its line, with at most
 * a comment after it: no quoted string or flow collection left open, no
 * mapping inside a compact value.
 */
export function valueEndsOnItsLine(value: string): boolean {
  let at = 0;
  let depth = 0;
  let nodeStart = true;
  while (at < value.length) {
    const c = value[at] as string;
    if (nodeStart && (c === '"' || c === "'")) {
      const end = closingQuote(value, at);
      if (end === -1) return false;
      at = end + 1;
      nodeStart = false;
      continue;
    }
    if (c === "#" && (at === 0 || value[at - 1] === " ")) return depth === 0;
    if (c === "{" || c === "[") {
      if (!nodeStart && depth === 0) return false;
      depth++;
      nodeStart = true;
    } else if (c === "}" || c === "]") {
      if (depth === 0) return false;
      depth--;
      nodeStart = false;
    } else if (c === "," && depth > 0) {
      nodeStart = true;
    } else if (c === ":" && (value[at + 1] === " " || value[at + 1] === undefined)) {
      if (depth === 0) return false; // a mapping in a compact value
      nodeStart = true;
    } else if (c !== " ") {
      nodeStart = false;
    }
    at++;
  }
  return depth === 0;
}

/** Where the quote opened at `from` closes on the line, or -1. */
function closingQuote(line: string, from: number): number {
  const quote = line[from];
  for (let at = from + 1; at < line.length; at++) {
    const c = line[at];
    if (quote === '"' && c === "\\") at++;
    else if (c === quote) {
      if (quote === "'" && line[at + 1] === "'") at++;
      else return at;
    }
  }
  return -1;
}
