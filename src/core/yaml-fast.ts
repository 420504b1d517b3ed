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

/** One implicit type per tag (js-yaml keeps one per tag): the first matching form constructs. */
const scalar = (tag: string, forms: [RegExp, (text: string) => unknown][]): jsyaml.Type =>
  new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (text: string | null) => forms.some(([test]) => test.test(text ?? "")),
    construct: (text: string | null) => {
      const form = forms.find(([test]) => test.test(text ?? ""));
      return form ? form[1](text ?? "") : text;
    },
  });

const CORE_1_2 = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar("null", [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
    scalar("bool", [
      [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === "t" || text[0] === "T"],
    ]),
    scalar("int", [
      [/^0o[0-7]+$/, (text) => Number.parseInt(text.substring(2), 8)],
      [/^[-+]?[0-9]+$/, (text) => Number.parseInt(text, 10)],
      [/^0x[0-9a-fA-F]+$/, (text) => Number.parseInt(text.substring(2), 16)],
    ]),
    scalar("float", [
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
    ]),
  ],
});

/** Anchors, aliases, tags, merge keys and directives: the yaml package handles those. */
const NEEDS_FULL_PARSER = /(?:^|[\s,[{:-])[&*!][^\s,[\]{}]|<<|^%|\t/m;

/**
 * The data of a plain YAML 1.2 file, read fast; undefined when the file needs
 * the full parser (which then also reports its problems with positions).
 */
export function readPlainYaml(text: string): unknown {
  if (NEEDS_FULL_PARSER.test(text) || nodeSpansLines(text)) return undefined;
  try {
    return jsyaml.load(text, { schema: CORE_1_2, json: false });
  } catch {
    return undefined;
  }
}

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
