import jsyaml from "js-yaml";

/*
 * A fast reader for well-formed files. The yaml package keeps positions for
 * every node, which costs seconds on a 50,000-person roster; js-yaml reads
 * the same file several times faster. It is given exactly the YAML 1.2 core
 * schema that the yaml package uses (the regular expressions below are
 * yaml's own), so both read every plain scalar the same way. Files that use
 * anchors, aliases, merge keys, tags or directives, or that do not parse,
 * are left to the yaml package (undefined here).
 */

type Form = [RegExp, (text: string) => unknown];

/** How every form below starts (or the empty null). */
const MAY_NOT_BE_TEXT = /^(?:$|[~nNtTfF0-9+.-])/;
const DATE_TEXT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/**
 * The YAML 1.2 core schema's plain scalars other than strings, tag by tag in
 * the order they are tried: within a tag, the first matching form constructs.
 */
const IMPLICIT: [string, Form[]][] = [
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

/** A plain scalar's value, as the schema above resolves it. */
function plainValue(text: string): unknown {
  // Most are names, ids and dates: text that starts no null, bool or number,
  // or a date (no form has a dash after its first character but floats' `e-`).
  if (!MAY_NOT_BE_TEXT.test(text) || DATE_TEXT.test(text)) return text;
  for (const [, forms] of IMPLICIT) {
    for (const [test, construct] of forms) if (test.test(text)) return construct(text);
  }
  return text;
}

/** Anchors, aliases, tags, merge keys and directives: the yaml package handles those. */
const NEEDS_FULL_PARSER = /(?:^|[\s,[{:-])[&*!][^\s,[\]{}]|<<|^%|\t/m;

/**
 * The data of a plain YAML 1.2 file, read fast; undefined when the file needs
 * the full parser (which then also reports its problems with positions).
 */
export function readPlainYaml(text: string): unknown {
  if (NEEDS_FULL_PARSER.test(text)) return undefined;
  const block = readBlockYaml(text);
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

/** A block mapping's key and what follows its colon on the line. */
const BLOCK_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;
/** What follows a key whose value is the block below it: nothing, or a comment. */
const NOTHING = /^ *(?:#.*)?$/;

/** A line holding a node: its indentation and the rest. */
interface BlockLine {
  indent: number;
  text: string;
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
  if (text.includes("\r") || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines: BlockLine[] = [];
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf("\n", from);
    if (to === -1) to = text.length;
    const line = text.slice(from, to);
    from = to + 1;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    // Blank lines and comments, at any indentation: no block scalar is read here.
    if (indent === line.length || line.charCodeAt(indent) === 35) continue;
    lines.push({ indent, text: line.slice(indent) });
  }
  if (lines.length === 0 || (lines[0] as BlockLine).indent !== 0) return undefined;
  const reader = new BlockReader(lines);
  const data = reader.mapping(0);
  return data !== undefined && reader.at === lines.length ? data : undefined;
}

class BlockReader {
  at = 0;
  constructor(private readonly lines: BlockLine[]) {}

  /** The block node starting at the current line, indented by `indent`. */
  private block(indent: number): unknown {
    const line = this.lines[this.at] as BlockLine;
    return line.text.startsWith("- ") ? this.sequence(indent) : this.mapping(indent);
  }

  /** A block mapping whose keys are indented by `indent`; undefined past the simple forms. */
  mapping(indent: number): Record<string, unknown> | undefined {
    const map: Record<string, unknown> = {};
    while (this.at < this.lines.length) {
      const line = this.lines[this.at] as BlockLine;
      if (line.indent < indent) break;
      if (line.indent > indent) return undefined;
      const match = BLOCK_KEY.exec(line.text);
      if (!match) return undefined;
      const key = match[1] as string;
      if (!plainKey(key) || Object.hasOwn(map, key)) return undefined;
      const rest = match[2] ?? "";
      this.at++;
      let value: unknown;
      if (NOTHING.test(rest)) {
        // The block below: indented further, or a sequence at the key's own indentation.
        const next = this.lines[this.at];
        if (next === undefined) return undefined;
        if (next.indent > indent) value = this.block(next.indent);
        else if (next.indent === indent && next.text.startsWith("- ")) {
          value = this.sequence(indent);
        } else return undefined; // an empty value (null): left to the parsers
      } else {
        value = readInlineValue(rest);
      }
      if (value === undefined) return undefined;
      map[key] = value;
    }
    return map;
  }

  /** A block sequence whose dashes are indented by `indent`. */
  private sequence(indent: number): unknown[] | undefined {
    const list: unknown[] = [];
    while (this.at < this.lines.length) {
      const line = this.lines[this.at] as BlockLine;
      if (line.indent < indent) break;
      if (line.indent > indent) return undefined;
      if (!line.text.startsWith("- ")) break; // the mapping around it goes on
      const item = line.text.slice(2);
      const c = item.charCodeAt(0);
      // More spaces after the dash, another dash, or nothing: left to the parsers.
      if (item === "" || c === 32 || c === 45) return undefined;
      let value: unknown;
      if (BLOCK_KEY.test(item)) {
        // A mapping whose keys line up with this first one, after the dash.
        this.lines[this.at] = { indent: indent + 2, text: item };
        value = this.mapping(indent + 2);
      } else {
        this.at++;
        value = readInlineValue(item);
      }
      if (value === undefined) return undefined;
      list.push(value);
    }
    return list;
  }
}

/**
 * A value that ends on its line (with at most a comment after it): a flow
 * collection, a quoted string or a plain scalar as `FlowLine` reads them,
 * where a plain scalar may also hold a colon not followed by a space (a URL);
 * undefined otherwise.
 */
function readInlineValue(text: string): unknown {
  const reader = new FlowLine(text, 0);
  let value: unknown;
  const c = text[0];
  if (c === "{" || c === "[" || c === '"' || c === "'") value = reader.node();
  else {
    BLOCK_PLAIN.lastIndex = 0;
    if (!BLOCK_PLAIN.test(text)) return undefined;
    let end = BLOCK_PLAIN.lastIndex;
    while (text.charCodeAt(end - 1) === 32) end--;
    value = plainValue(text.slice(0, end));
    if (value === null) return undefined;
    reader.at = end;
  }
  if (value === undefined) return undefined;
  return reader.at === text.length || LINE_END.test(text.slice(reader.at)) ? value : undefined;
}

/** A top-level key alone on its line: its value is the block below it. */
const TOP_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +#.*| *)$/;
const BLANK_OR_COMMENT = /^ *(?:#.*)?$/;
/** An item's start: its indentation and dash, up to its flow mapping. */
const FLOW_ITEM = /^ +- (?=\{)/;
/** What may follow a flow mapping on its line: nothing, or a comment. */
const LINE_END = /^(?: +(?:#.*)?)?$/;
/** A flow mapping's key, read as a plain string by both parsers. */
const FLOW_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;

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
 * One line's flow mapping, from `{` at `from` to the end of the line (a
 * comment may follow), or undefined when any of it is beyond the simple
 * forms both parsers read alike.
 */
function readFlowLine(line: string, from: number): unknown {
  if (line.charCodeAt(from) !== 123) return undefined; // {
  const reader = new FlowLine(line, from);
  const value = reader.mapping();
  if (value === undefined) return undefined;
  return reader.at === line.length || LINE_END.test(line.slice(reader.at)) ? value : undefined;
}

/**
 * A reader for the simple flow nodes of one line: mappings with plain keys,
 * sequences, plain scalars of safe characters (no indicator, colon, comma,
 * bracket, quote or `#`; not starting with `-`, `.`, `+`, `?` and the like),
 * and quoted strings without escapes or line breaks. Anything else (a trailing
 * comma, an empty value, a duplicate key) is undefined: left to js-yaml.
 */
class FlowLine {
  constructor(
    private readonly line: string,
    public at: number,
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
      if (colon === -1 || line.charCodeAt(colon + 1) !== 32) return undefined;
      const key = line.slice(this.at, colon);
      if (!plainKey(key) || Object.hasOwn(map, key)) return undefined;
      this.at = colon + 1;
      this.spaces();
      const value = this.node();
      if (value === undefined) return undefined;
      map[key] = value;
      const end = this.afterItem("}");
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
      const end = this.afterItem("]");
      if (end === undefined) return undefined;
      if (end) return list;
    }
  }

  /**
   * Past what follows an item of a flow collection: true at the collection's
   * end (`close`), false after a comma (and spaces) where another item
   * begins, undefined at anything else.
   */
  private afterItem(close: "}" | "]"): boolean | undefined {
    this.spaces();
    const c = this.line[this.at];
    this.at++;
    if (c === close) return true;
    if (c !== ",") return undefined;
    this.spaces();
    return false;
  }

  /** A node, or undefined: never a value itself, since null is written `~` or `null` (refused here). */
  node(): unknown {
    const c = this.line[this.at];
    if (c === "{") return this.mapping();
    if (c === "[") return this.sequence();
    if (c === '"' || c === "'") return this.quoted(c);
    return this.plain();
  }

  private quoted(quote: string): string | undefined {
    const end = this.line.indexOf(quote, this.at + 1);
    if (end === -1) return undefined;
    const text = this.line.slice(this.at + 1, end);
    // An escape, or a doubled single quote: js-yaml's to read.
    if (this.line[end + 1] === quote || (quote === '"' && text.includes("\\"))) return undefined;
    if (!SAFE_TEXT.test(text)) return undefined;
    this.at = end + 1;
    return text;
  }

  private plain(): unknown {
    PLAIN.lastIndex = this.at;
    if (!PLAIN.test(this.line)) return undefined;
    let end = PLAIN.lastIndex;
    while (this.line.charCodeAt(end - 1) === 32) end--;
    const text = this.line.slice(this.at, end);
    this.at = end;
    const value = plainValue(text);
    // null as a value would read as "none here": left to js-yaml.
    return value === null ? undefined : value;
  }
}

/**
 * A plain scalar of safe characters: it starts with a letter, digit or
 * non-ASCII letter, and holds no flow indicator, quote, colon or `#`.
 */
const PLAIN =
  /[A-Za-z0-9\u00C0-\u024F\u0370-\u1FFF\u3040-\u9FFF][A-Za-z0-9 _@./+\-\u00C0-\u024F\u0370-\u1FFF\u3040-\u9FFF]*/y;
/**
 * A block plain scalar of the same characters, and colons that a space does
 * not follow (`https://…`), which in a block value both parsers read as text.
 */
const BLOCK_PLAIN =
  /[A-Za-z0-9\u00C0-\u024F\u0370-\u1FFF\u3040-\u9FFF](?:[A-Za-z0-9 _@./+\-\u00C0-\u024F\u0370-\u1FFF\u3040-\u9FFF]|:(?=[^\s:]))*/y;
/** Quoted text both parsers read as written: printable, no line separators. */
const SAFE_TEXT = /^[\x20-\x7E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]*$/;

/**
 * A line's start: its indentation, sequence dashes and a plain key (one that
 * holds no colon or `#`).
 */
export const LINE_START = /^ *(?:- +|-$)*(?:[^\s"'#[\]{},:][^:#]*:(?= |$))? */;

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
    const start = (LINE_START.exec(line) as RegExpExecArray)[0];
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
