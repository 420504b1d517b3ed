/*
 * Reads YAML line by line, without a parser, where a file holds only forms
 * whose reading is plain: block mappings and lists whose every value ends on
 * its line, and flow collections of one line. What it reads is what the yaml
 * package (YAML 1.2, core schema) reads; anything else is undefined here, and
 * left to js-yaml or the yaml package (yaml-fast.ts, yaml.ts). It loads no
 * YAML library: js-yaml's set-up and its first, cold parse cost a small
 * command's start-up more than the rest of its reading.
 */

import { includesAny } from "./text.ts";

export type Form = [RegExp, (text: string) => unknown];

/** How every form below starts (or the empty null). */
export const MAY_NOT_BE_TEXT = /^(?:$|[~nNtTfF0-9+.-])/;

/** `MAY_NOT_BE_TEXT`, by character code: asked of every value of a large roster. */
export function mayNotBeText(text: string): boolean {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  return c < 128 && STARTS_A_FORM[c] === 1;
}
/** By character code, 1 where a form may start: `0-9 ~ n N t T f F + . -`. */
const STARTS_A_FORM = new Uint8Array(128);
for (const c of "0123456789~nNtTfF+.-") STARTS_A_FORM[c.charCodeAt(0)] = 1;

/**
 * Whether text is a date, `[0-9]{4}-[0-9]{2}-[0-9]{2}` (the roster's `DATE`),
 * by character code.
 */
export function isDateText(text: string): boolean {
  if (text.length !== 10) return false;
  for (let i = 0; i < 10; i++) {
    const c = text.charCodeAt(i);
    if (i === 4 || i === 7 ? c !== 45 : c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The YAML 1.2 core schema's plain scalars other than strings, tag by tag in
 * the order they are tried: within a tag, the first matching form constructs.
 */
export const IMPLICIT: [string, Form[]][] = [
  ["null", [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]],
  ["bool", [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === "t" || text[0] === "T"]]],
  [
    "int",
    [
      [/^0o[0-7]+$/, (text) => Number.parseInt(text.substring(2), 8)],
      [/^[-+]?[0-9]+$/, (text) => Number.parseInt(text, 10)],
      [/^0x[0-9a-fA-F]+$/, (text) => Number.parseInt(text.substring(2), 16)],
    ],
  ],
  [
    "float",
    [
      [
        /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
        (text) =>
          text.slice(-3).toLowerCase() === "nan"
            ? Number.NaN
            : text[0] === "-"
              ? Number.NEGATIVE_INFINITY
              : Number.POSITIVE_INFINITY,
      ],
      [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, Number.parseFloat],
      [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, Number.parseFloat],
    ],
  ],
];

/** A plain scalar's value, as the YAML 1.2 core schema resolves it. */
export function plainValue(text: string): unknown {
  // Most are names, ids and dates: text that starts no null, bool or number,
  // or a date (no form has a dash after its first character but floats' `e-`).
  if (!mayNotBeText(text) || isDateText(text)) return text;
  // The forms starting with a letter are null, true and false: 4 or 5 letters.
  const letter = text.charCodeAt(0) | 32;
  if (letter >= 97 && letter <= 122 && text.length !== 4 && text.length !== 5) return text;
  const common = commonForm(text);
  if (common !== undefined) return common;
  for (const [, forms] of IMPLICIT) {
    for (const [test, construct] of forms) if (test.test(text)) return construct(text);
  }
  return text;
}

/**
 * The commonest forms, as IMPLICIT reads them, read by character code:
 * `true`, `false`, digits alone (an int) and digits with a point among or
 * after them (a float); undefined for anything else. Each of IMPLICIT's expressions is
 * compiled when first used, which costs a quick command time and memory for
 * a roster's `version: 1` or `weight: 0.5`.
 */
function commonForm(text: string): number | boolean | undefined {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text.length === 0) return undefined;
  let point = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && point === -1 && i > 0) point = i;
    else if (c < 48 || c > 57) return undefined;
  }
  return point === -1 ? Number.parseInt(text, 10) : Number.parseFloat(text);
}

/** Anchors, aliases, tags, merge keys and directives: the yaml package handles those. */
export const NEEDS_FULL_PARSER = /(?:^|[\s,[{:-])[&*!][^\s,[\]{}]|<<|^%|\t/m;

/** What every match of NEEDS_FULL_PARSER holds one of. */
const FULL_PARSER_SIGNS = ["&", "*", "!", "<<", "%", "\t"];

/**
 * Whether a text needs the full parser (`NEEDS_FULL_PARSER`), looking first
 * for the characters its every match holds: most rosters have none, and a
 * string search finds that faster than the expression tried at every place.
 */
export function needsFullParser(text: string): boolean {
  return includesAny(text, FULL_PARSER_SIGNS) && NEEDS_FULL_PARSER.test(text);
}

/** A block mapping's key and what follows its colon on the line. */
const BLOCK_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;
/** What follows a key whose value is the block below it: nothing, or a comment. */
const NOTHING = /^ *(?:#.*)?$/;

/**
 * The lines holding a node, as places in the text (no line is cut out of it:
 * a large roster has 50,000): where each one's node starts after its
 * indentation, where the line ends, and the indentation.
 */
interface BlockLines {
  starts: Int32Array;
  ends: Int32Array;
  indents: Int32Array;
  count: number;
}

/**
 * A file of block mappings and sequences whose every value fits on its line
 * (a plain scalar of safe characters, a quoted string without escapes, a flow
 * collection that `FlowLine` reads) read line by line, without js-yaml, whose
 * set-up and first parse cost a small command's start-up more than the rest
 * of its reading. Undefined at anything else (a block scalar, a value over
 * several lines, an empty value, a document marker, a duplicate key): the
 * whole file is then read the usual way, which also finds its problems.
 */
export function readBlockYaml(text: string): Record<string, unknown> | undefined {
  return needsFullParser(text) ? undefined : readBlock(text);
}

/** `readBlockYaml` for a text known to need no full parser. */
export function readBlock(text: string): Record<string, unknown> | undefined {
  if (text.includes("\r") || text.charCodeAt(0) === 0xfeff) return undefined;
  // As many places as the text has lines, at most.
  let most = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) most++;
  const lines: BlockLines = {
    starts: new Int32Array(most),
    ends: new Int32Array(most),
    indents: new Int32Array(most),
    count: 0,
  };
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf("\n", from);
    if (to === -1) to = text.length;
    let start = from;
    while (text.charCodeAt(start) === 32) start++;
    // Blank lines and comments, at any indentation: no block scalar is read here.
    if (start < to && text.charCodeAt(start) !== 35) {
      lines.starts[lines.count] = start;
      lines.ends[lines.count] = to;
      lines.indents[lines.count] = start - from;
      lines.count++;
    }
    from = to + 1;
  }
  if (lines.count === 0 || lines.indents[0] !== 0) return undefined;
  const reader = new BlockReader(text, lines);
  const data = reader.mapping(0);
  return data !== undefined && reader.at === lines.count ? data : undefined;
}

class BlockReader {
  at = 0;
  private depth = 0;
  private readonly count: number;
  constructor(
    private readonly text: string,
    private readonly lines: BlockLines,
  ) {
    this.count = lines.count;
  }

  /** Whether the line at `at` holds a sequence's item: `- ` after its indentation. */
  private isItem(at: number): boolean {
    const start = this.lines.starts[at] as number;
    return (
      this.text.charCodeAt(start) === 45 && // -
      this.text.charCodeAt(start + 1) === 32 &&
      start + 1 < (this.lines.ends[at] as number)
    );
  }

  /**
   * The block node starting at the current line, indented by `indent`;
   * undefined past MAX_DEPTH, where the parsers say how deep a file may nest.
   */
  private block(indent: number): unknown {
    if (this.depth >= MAX_DEPTH) return undefined;
    this.depth++;
    const value = this.isItem(this.at) ? this.sequence(indent) : this.mapping(indent);
    this.depth--;
    return value;
  }

  /** A block mapping whose keys are indented by `indent`; undefined past the simple forms. */
  mapping(indent: number): Record<string, unknown> | undefined {
    const { starts, ends, indents } = this.lines;
    const map: Record<string, unknown> = {};
    while (this.at < this.count) {
      const lineIndent = indents[this.at] as number;
      if (lineIndent < indent) break;
      if (lineIndent > indent) return undefined;
      const match = BLOCK_KEY.exec(this.text.slice(starts[this.at], ends[this.at]));
      if (!match) return undefined;
      const key = match[1] as string;
      if (!plainKey(key) || Object.hasOwn(map, key)) return undefined;
      const rest = match[2] ?? "";
      this.at++;
      let value: unknown;
      if (NOTHING.test(rest)) {
        // The block below: indented further, or a sequence at the key's own indentation.
        if (this.at === this.count) return undefined;
        const next = indents[this.at] as number;
        if (next > indent) value = this.block(next);
        else if (next === indent && this.isItem(this.at)) value = this.block(indent);
        else return undefined; // an empty value (null): left to the parsers
      } else {
        value = readInlineValue(rest, 0, rest.length);
      }
      if (value === undefined) return undefined;
      map[key] = value;
    }
    return map;
  }

  /** A block sequence whose dashes are indented by `indent`. */
  private sequence(indent: number): unknown[] | undefined {
    const { starts, ends, indents } = this.lines;
    const text = this.text;
    const list: unknown[] = [];
    while (this.at < this.count) {
      const lineIndent = indents[this.at] as number;
      if (lineIndent < indent) break;
      if (lineIndent > indent) return undefined;
      if (!this.isItem(this.at)) break; // the mapping around it goes on
      const item = (starts[this.at] as number) + 2;
      const end = ends[this.at] as number;
      const c = text.charCodeAt(item);
      // More spaces after the dash, another dash, or nothing: left to the parsers.
      if (item === end || c === 32 || c === 45) return undefined;
      let value: unknown;
      // A key starts with a letter or `_`: a flow collection, a quote or a digit is no key.
      if (isKeyStart(c) && BLOCK_KEY.test(text.slice(item, end))) {
        // A mapping whose keys line up with this first one, after the dash.
        starts[this.at] = item;
        indents[this.at] = indent + 2;
        value = this.block(indent + 2);
      } else {
        this.at++;
        value = readInlineValue(text, item, end);
      }
      if (value === undefined) return undefined;
      list.push(value);
    }
    return list;
  }
}

/** Whether a character code starts a block mapping's key, `[A-Za-z_]` (see BLOCK_KEY). */
const isKeyStart = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;

/**
 * A value from `from` to the end of its line at `end` (with at most a comment
 * after it): a flow collection, a quoted string or a plain scalar as
 * `FlowLine` reads them, where a plain scalar may also hold a colon not
 * followed by a space (a URL); undefined otherwise.
 */
function readInlineValue(text: string, from: number, end: number): unknown {
  const reader = new FlowLine(text, from, end);
  let value: unknown;
  const c = text[from];
  if (c === "{" || c === "[" || c === '"' || c === "'") value = reader.node();
  else {
    let to = plainEnd(text, from, true);
    if (to === -1 || to > end) return undefined;
    while (text.charCodeAt(to - 1) === 32) to--;
    value = plainValue(text.slice(from, to));
    if (value === null) return undefined;
    reader.at = to;
  }
  if (value === undefined || reader.at > end) return undefined;
  return reader.at === end || LINE_END.test(text.slice(reader.at, end)) ? value : undefined;
}

/** What may follow a flow mapping on its line: nothing, or a comment. */
const LINE_END = /^(?: +(?:#.*)?)?$/;
/** A flow mapping's key, read as a plain string by both parsers. */
const FLOW_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;

/** The keys seen read as plain strings by both parsers, each checked once. */
const plainKeys = new Set<string>();

/** Whether a key reads as its text in both parsers (not null, true, a number; not `__proto__`). */
function plainKey(key: string): boolean {
  if (plainKeys.has(key)) return true;
  if (!FLOW_KEY.test(key) || key === "__proto__" || plainValue(key) !== key) return false;
  if (plainKeys.size < 1000) plainKeys.add(key);
  return true;
}

/**
 * The same keys, by first character (ASCII): a line's key is known again by
 * comparing it in place, without cutting it out of the line and hashing it
 * (a 50,000-person roster repeats a handful of keys 300,000 times).
 */
const keysByFirst = new Array<string[] | undefined>(128).fill(undefined);
let keysKnown = 0;

/** The plain key from `from` to `to` on the line; undefined when it is not one (see `plainKey`). */
function keyAt(line: string, from: number, to: number): string | undefined {
  const first = line.charCodeAt(from);
  const known = first < 128 ? keysByFirst[first] : undefined;
  if (known !== undefined) {
    for (let i = 0; i < known.length; i++) {
      const key = known[i] as string;
      if (key.length === to - from && line.startsWith(key, from)) return key;
    }
  }
  const key = line.slice(from, to);
  if (!plainKey(key)) return undefined;
  if (keysKnown < 1000 && first < 128) {
    keysKnown++;
    if (known === undefined) keysByFirst[first] = [key];
    else known.push(key);
  }
  return key;
}

/**
 * One line's flow mapping, from `{` at `from` to the end of the line (a
 * comment may follow), or undefined when any of it is beyond the simple
 * forms both parsers read alike.
 */
export function readFlowLine(line: string, from: number): unknown {
  if (line.charCodeAt(from) !== 123) return undefined; // {
  const reader = new FlowLine(line, from);
  const value = reader.mapping();
  if (value === undefined) return undefined;
  return reader.at === line.length || LINE_END.test(line.slice(reader.at)) ? value : undefined;
}

/** How deep collections nest before the fast readers leave a file to the parsers. */
const MAX_DEPTH = 32;

/**
 * A reader for the simple flow nodes of one line: mappings with plain keys,
 * sequences, plain scalars of safe characters (no indicator, colon, comma,
 * bracket, quote or `#`; not starting with `-`, `.`, `+`, `?` and the like),
 * and quoted strings without escapes or line breaks. Anything else (a trailing
 * comma, an empty value, a duplicate key) is undefined: left to js-yaml.
 */
class FlowLine {
  private depth = 0;

  /**
   * `line` may be a whole text, read from `at` to `end` (its line's end,
   * which is a line break or the text's end).
   */
  constructor(
    private readonly line: string,
    public at: number,
    private readonly end = line.length,
  ) {}

  private spaces(): void {
    while (this.line.charCodeAt(this.at) === 32) this.at++;
  }

  mapping(): Record<string, unknown> | undefined {
    const line = this.line;
    this.at++; // {
    this.spaces();
    const map: Record<string, unknown> = {};
    if (line[this.at] === "}") {
      this.at++;
      return map;
    }
    for (;;) {
      const colon = line.indexOf(":", this.at);
      if (colon === -1 || colon >= this.end || line.charCodeAt(colon + 1) !== 32) return undefined;
      const key = keyAt(line, this.at, colon);
      if (key === undefined || Object.hasOwn(map, key)) return undefined;
      this.at = colon + 1;
      this.spaces();
      const value = this.node();
      if (value === undefined) return undefined;
      map[key] = value;
      const end = this.afterItem(125); // }
      if (end === undefined) return undefined;
      if (end) return map;
    }
  }

  private sequence(): unknown[] | undefined {
    const line = this.line;
    this.at++; // [
    this.spaces();
    const list: unknown[] = [];
    if (line[this.at] === "]") {
      this.at++;
      return list;
    }
    for (;;) {
      const value = this.node();
      if (value === undefined) return undefined;
      list.push(value);
      const end = this.afterItem(93); // ]
      if (end === undefined) return undefined;
      if (end) return list;
    }
  }

  /**
   * Past what follows an item of a flow collection: true at the collection's
   * end (`close`), false after a comma (and spaces) where another item
   * begins, undefined at anything else.
   */
  private afterItem(close: number): boolean | undefined {
    this.spaces();
    const c = this.line.charCodeAt(this.at);
    this.at++;
    if (c === close) return true;
    if (c !== 44) return undefined; // ,
    this.spaces();
    return false;
  }

  /** A node, or undefined: never a value itself, since null is written `~` or `null` (refused here). */
  node(): unknown {
    const c = this.line.charCodeAt(this.at);
    if (c === 123 || c === 91) {
      // Collections nested deeper than anyone writes are js-yaml's to refuse.
      if (this.depth >= MAX_DEPTH) return undefined;
      this.depth++;
      const value = c === 123 ? this.mapping() : this.sequence(); // { or [
      this.depth--;
      return value;
    }
    if (c === 34) return this.quoted('"');
    if (c === 39) return this.quoted("'");
    return this.plain();
  }

  private quoted(quote: string): string | undefined {
    const end = this.line.indexOf(quote, this.at + 1);
    if (end === -1 || end >= this.end) return undefined;
    const text = this.line.slice(this.at + 1, end);
    // An escape, or a doubled single quote: js-yaml's to read.
    if (this.line[end + 1] === quote || (quote === '"' && text.includes("\\"))) return undefined;
    if (!SAFE_TEXT.test(text)) return undefined;
    this.at = end + 1;
    return text;
  }

  private plain(): unknown {
    let end = plainEnd(this.line, this.at);
    if (end === -1) return undefined;
    while (this.line.charCodeAt(end - 1) === 32) end--;
    const text = this.line.slice(this.at, end);
    this.at = end;
    const value = plainValue(text);
    // null as a value would read as "none here": left to js-yaml.
    return value === null ? undefined : value;
  }
}

/** ASCII characters that may start a plain scalar (1), and go on one (2 or 1). */
const PLAIN_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const char = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(char)) PLAIN_ASCII[c] = 1;
  else if (/[ _@./+-]/.test(char)) PLAIN_ASCII[c] = 2;
}

/** Non-ASCII letters a plain scalar may start with or hold (PLAIN's ranges). */
const plainLetter = (c: number): boolean =>
  (c >= 0xc0 && c <= 0x24f) || (c >= 0x370 && c <= 0x1fff) || (c >= 0x3040 && c <= 0x9fff);

/**
 * Where the plain scalar of safe characters starting at `from` ends (as PLAIN
 * reads it: trailing spaces included), or -1 when none starts there; with
 * `colons`, as BLOCK_PLAIN reads it. Read character by character: this is
 * most of a large roster's values, and a value of megabytes would overflow
 * the stack of a regular expression that repeats a choice.
 */
export function plainEnd(line: string, from: number, colons = false): number {
  const first = line.charCodeAt(from);
  if (!(first < 128 ? PLAIN_ASCII[first] === 1 : plainLetter(first))) return -1;
  let end = from + 1;
  for (;;) {
    const c = line.charCodeAt(end);
    if (c < 128 ? PLAIN_ASCII[c] === 0 : !plainLetter(c)) {
      if (!colons || c !== 58 || !TEXT_AFTER_COLON.test(line.charAt(end + 1))) return end;
    }
    end++;
  }
}

/** What a colon inside a block plain scalar is followed by: no space, line break or colon. */
const TEXT_AFTER_COLON = /^[^\s:]$/;

/**
 * A plain scalar of safe characters: it starts with a letter, digit or
 * non-ASCII letter, and holds no flow indicator, quote, colon or `#`.
 */
export const PLAIN =
  /[A-Za-z0-9\u00C0-\u024F\u0370-\u1FFF\u3040-\u9FFF][A-Za-z0-9 _@./+\-\u00C0-\u024F\u0370-\u1FFF\u3040-\u9FFF]*/y;
/**
 * A block plain scalar of the same characters, and colons that a space does
 * not follow (`https://…`), which in a block value both parsers read as text.
 * `plainEnd(text, from, true)` reads the same, character by character.
 */
export const BLOCK_PLAIN =
  /[A-Za-z0-9\u00C0-\u024F\u0370-\u1FFF\u3040-\u9FFF](?:[A-Za-z0-9 _@./+\-\u00C0-\u024F\u0370-\u1FFF\u3040-\u9FFF]|:(?=[^\s:]))*/y;
/** Quoted text both parsers read as written: printable, no line separators. */
const SAFE_TEXT = /^[\x20-\x7E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]*$/;
