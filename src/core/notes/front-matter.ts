import type { YamlText } from "../yaml.ts";

/*
 * A fast reader for the front matter `rota notes` writes: one `key: value`
 * per line, each value a plain word (`2026-11-23`, `2026-11-23/emea`, `ada`),
 * a decimal number, or a flow list of plain words (`[sso, billing]`). A
 * report reads tens of thousands of notes, and the yaml package costs about
 * a tenth of a millisecond per note; this costs a few microseconds. Anything
 * else — quotes, comments, blank lines, nested values, a word that YAML 1.2's
 * core schema would read as something other than text (`true`, `null`,
 * `0x1F`, `1e3`) — returns undefined, and the yaml package reads it instead,
 * so both always agree (the tests compare them).
 */

const KEY = /^([a-z_][a-z0-9_-]*): (.*)$/;
/**
 * A plain word: starts with a letter, digit or `_`; no spaces or YAML
 * indicators inside; a colon anywhere but at its end (`isPlainWord` checks that).
 * One class repeated, not a choice: a repeated choice overflows the stack on
 * a value of megabytes.
 */
const WORD = /^[\p{L}\p{N}_][\p{L}\p{N}_./+:-]*$/u;
const INTEGER = /^-?(?:0|[1-9][0-9]{0,14})$/;
const DECIMAL = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/** Words the core schema reads as null, booleans or numbers (yaml's own patterns, joined). */
const NOT_TEXT =
  /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))?$/;
/** The common case of WORD, without the cost of Unicode property classes. */
const ASCII_WORD = /^[A-Za-z0-9_][A-Za-z0-9_./+:-]*$/;

/** Whether the text has the shape of a plain word (WORD), whatever YAML reads it as. */
export function isPlainWord(text: string): boolean {
  return !text.endsWith(":") && (ASCII_WORD.test(text) || WORD.test(text));
}

function word(text: string): string | undefined {
  if (!isPlainWord(text)) return undefined;
  return NOT_TEXT.test(text) ? undefined : text;
}

function value(text: string): unknown {
  if (INTEGER.test(text) || DECIMAL.test(text)) {
    const number = Number(text);
    // -0 reads back as 0 in the yaml package only for "-0" integers; leave it to it.
    return Object.is(number, -0) ? undefined : number;
  }
  if (text.startsWith("[") && text.endsWith("]")) {
    const inner = text.slice(1, -1);
    if (inner.trim() === "") return inner === "" ? [] : undefined;
    const items: string[] = [];
    for (const part of inner.split(", ")) {
      // A `:` inside a flow list may start a pair: left to the yaml package.
      const item = part.includes(":") ? undefined : word(part);
      if (item === undefined) return undefined;
      items.push(item);
    }
    return items;
  }
  return word(text);
}

/**
 * The front matter's data, when it is in the simple form rota writes;
 * undefined otherwise (the caller then uses the yaml package). `locate`
 * gives the line of a top-level key.
 */
export function readSimpleFrontMatter(yaml: string): YamlText | undefined {
  if (yaml === "") return undefined;
  const lines = yaml.endsWith("\n") ? yaml.slice(0, -1).split("\n") : yaml.split("\n");
  const data: Record<string, unknown> = {};
  const lineOf = new Map<string, number>();
  for (const [index, line] of lines.entries()) {
    const match = KEY.exec(line);
    if (!match) return undefined;
    const [, key, text] = match as unknown as [string, string, string];
    if (lineOf.has(key) || key === "__proto__") return undefined;
    const parsed = value(text);
    if (parsed === undefined) return undefined;
    data[key] = parsed;
    lineOf.set(key, index + 1);
  }
  return {
    value: data,
    locate: (path) => ({ line: lineOf.get(String(path[0])) ?? 1, col: 1 }),
    asWritten: () => undefined,
  };
}
