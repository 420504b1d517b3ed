/**
 * The textual pieces a field-notes file is made of, shared by templates
 * (reading) and notes (writing and reading): YAML front matter between `---`
 * lines, and the HTML-comment markers that delimit each entry and each answer.
 *
 * Markers are HTML comments, so rendered markdown hides them, and they carry
 * the question id, so a reader finds every answer by id. An answer's own text
 * never contains the marker prefix `<!-- rota:` (it is escaped, reversibly),
 * so no answer can end another answer early or start a fake entry, whatever
 * markdown, `---`, HTML or YAML-looking text it holds. Nor does it hold a line
 * that git's merge-conflict markers start (a pasted diff, say): those are
 * escaped too, or the note would be taken for one git left conflicted.
 */

import { type ConflictBlock, findConflicts } from "../conflict.ts";

/** The start of every marker; answer text containing it is escaped. */
export const MARKER_PREFIX = "<!-- rota:";

/** `<!-- rota:entry 2026-11-23T17:05:00+01:00 -->`: the line that starts each entry. */
export function entryMarker(written: string): string {
  return `${MARKER_PREFIX}entry ${written} -->`;
}

/** `<!-- rota:answer struggles long -->`: what precedes an answer. */
export function answerStart(id: string, type: string): string {
  return `${MARKER_PREFIX}answer ${id} ${type} -->`;
}

/** `<!-- rota:end struggles -->`: what follows an answer. */
export function answerEnd(id: string): string {
  return `${MARKER_PREFIX}end ${id} -->`;
}

/** An entry's marker line; its group is the time the entry was written. */
export const ENTRY_MARKER = /^<!-- rota:entry (\S+) -->[ \t]*$/;
/** An answer's start marker; its groups are the question id and type. */
export const ANSWER_START = /<!-- rota:answer ([a-z0-9][a-z0-9_-]*) ([a-z]+) -->/;

/**
 * A line git would take for a merge-conflict marker (`<<<<<<< HEAD`, `=======`,
 * `>>>>>>> topic`, `|||||||`: see core/conflict.ts), after any backslashes.
 */
const CONFLICT_LINE = /^(\\*)(<{7}|\|{7}|={7}|>{7})(?=[ \t\r]|$)/gm;
/** The same line escaped: one backslash more at its start. */
const ESCAPED_CONFLICT_LINE = /^\\(\\*)(<{7}|\|{7}|={7}|>{7})(?=[ \t\r]|$)/gm;

/**
 * Escapes text placed in a note so it cannot contain a marker: `<!-- rota:`
 * becomes `<!--\ rota:`, and a run of backslashes there gains one more, so
 * that `unescapeText` restores the original exactly. A line that looks like a
 * merge-conflict marker gains a backslash at its start in the same way
 * (`\=======`, which markdown shows as `=======`).
 */
export function escapeText(text: string): string {
  return text.replace(/<!--(\\*) rota:/g, "<!--\\$1 rota:").replace(CONFLICT_LINE, "\\$1$2");
}

/** The inverse of `escapeText`. */
export function unescapeText(text: string): string {
  // Most answers hold nothing escaped: skip the regular expressions for them.
  if (!text.includes("\\")) return text;
  return text.replace(/<!--\\(\\*) rota:/g, "<!--$1 rota:").replace(ESCAPED_CONFLICT_LINE, "$1$2");
}

/**
 * The conflicted parts git left in a note or a template. A lone `=======`
 * line is not one: in text added by hand it is a markdown heading's
 * underline; git always writes a `<<<<<<<` or `>>>>>>>` line with it.
 * (Answers hold no such lines: rota escapes them, see `escapeText`.)
 */
export function markdownConflicts(text: string): ConflictBlock[] {
  return findConflicts(text).filter(
    (block) => !(block.start === block.middle && block.end === undefined),
  );
}

/** Text with Windows line ends and a byte-order mark removed. */
export function normalizeNewlines(text: string): string {
  const unmarked = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return unmarked.includes("\r") ? unmarked.replace(/\r\n?/g, "\n") : unmarked;
}

export interface FrontMatter {
  /** The YAML between the `---` lines (with its final newline). */
  yaml: string;
  /** Everything after the closing `---` line. */
  body: string;
  /** 1-based line of the first YAML line. */
  yamlLine: number;
  /** 1-based line of the first body line. */
  bodyLine: number;
}

/** The line that opens front matter. */
const OPENING = /^---[ \t]*\n/;

/** Whether text opens front matter (a first line of ---), closed or not. */
export function opensFrontMatter(text: string): boolean {
  return OPENING.test(text);
}

/**
 * Splits `---\n<yaml>---\n<body>` (the text's newlines already normalized).
 * Undefined when the text does not start with a front matter block.
 */
export function splitFrontMatter(text: string): FrontMatter | undefined {
  const open = OPENING.exec(text);
  if (!open) return undefined;
  const close = /^---[ \t]*$/m;
  const rest = text.slice(open[0].length);
  // An empty front matter (`---\n---\n`) closes on the very first line.
  const match = close.exec(rest);
  if (!match) return undefined;
  const yaml = rest.slice(0, match.index);
  const afterClose = match.index + match[0].length;
  const body = rest.slice(afterClose).replace(/^\n/, "");
  const yamlLines = yaml === "" ? 0 : yaml.split("\n").length - 1;
  return { yaml, body, yamlLine: 2, bodyLine: 3 + yamlLines };
}

/**
 * The 1-based line of character indexes in text. Asked in increasing order,
 * as a scan asks, each line break is counted once: a text with a problem on
 * every line costs its length, not its length times its lines.
 */
export function lineCounter(text: string): (index: number) => number {
  let from = 0;
  let line = 1;
  return (index) => {
    if (index < from) {
      from = 0;
      line = 1;
    }
    for (let i = text.indexOf("\n", from); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
      line++;
      from = i + 1;
    }
    return line;
  };
}
