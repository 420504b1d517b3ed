import { parseYaml } from "../yaml.ts";
import { lineStart, readPlainYaml, valueEndsOnItsLine } from "../yaml-fast.ts";

/**
 * The rosters of the past, read as data for `rota log`: many versions of one
 * file that differ in a few lines each. A version is cut into its top-level
 * keys and, where a key holds a block sequence (people, swaps, shifts), into
 * its items; a piece whose text an earlier version had already is not read
 * again, so reading a history costs what changed in it, not its size times
 * its length. Identical pieces give the very same objects, which lets the
 * comparison skip them at once.
 *
 * The data is what the yaml package reads from the whole file (null where it
 * does not parse). Pieces are read with the fast reader, which reads plain
 * YAML as the yaml package does; a file it cannot read, or that does not
 * fall apart into pieces cleanly (anything at the left margin but comments
 * and simple keys, a key twice, a piece that does not read on its own), is
 * read whole by the yaml package instead.
 */

/** A complex key (`? key`): such texts are left to the yaml package, as are `__proto__` and CRLF. */
const QUESTION = /(?:^|[\s,[{])\?(?:[ \t]|$)/m;
/** A line that starts a top-level key. */
const KEY_LINE = /^[A-Za-z_][\w-]*:(?: |$)/;
/** A key with nothing after it on its line but a comment: a block value follows. */
const HEADER = /^[A-Za-z_][\w-]*:[ ]*(?:#.*)?$/;
const QUIET = /^[ ]*(?:#.*)?$/;
/** Past this many unread items, the whole key is read in one go. */
const BATCH = 64;

type Raw = Record<string, unknown>;
const isMap = (value: unknown): value is Raw =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The one key and its value of a piece's text, or undefined when it is not one mapping entry. */
function entryOf(data: unknown): [string, unknown] | undefined {
  if (!isMap(data)) return undefined;
  const keys = Object.keys(data);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return [key, data[key]];
}

/**
 * A version of the roster that does not parse as YAML (or whose text could
 * not be read), and why, in words: "it does not parse as YAML (line 3:7: …)".
 */
export class UnreadableRoster {
  constructor(readonly why: string) {}
}

/**
 * A version of the roster as `rota log` compares it: its data (null for an
 * empty file), or an UnreadableRoster saying why it has none. `text` is
 * undefined where git could not give it.
 */
export function readRosterVersion(
  versions: RosterVersions,
  text: string | undefined,
  file: string,
): unknown {
  if (text === undefined) return new UnreadableRoster("its text could not be read from git");
  const data = versions.read(text, file);
  if (data !== null) return data;
  // Rarely here: null is an empty file, or one that does not parse; the parser tells which.
  const yaml = parseYaml(text, file);
  if (yaml.ok) return null;
  const first = yaml.problems[0];
  if (first === undefined) return new UnreadableRoster("it does not parse as YAML");
  const message = first.message.length > 80 ? `${first.message.slice(0, 79)}…` : first.message;
  return new UnreadableRoster(
    `it does not parse as YAML (line ${first.line}:${first.col}: ${message})`,
  );
}

export class RosterVersions {
  /** Pieces read so far, by their text: a top-level entry, or one item of a sequence. */
  private readonly entries = new Map<string, [string, unknown]>();
  private readonly items = new Map<string, unknown>();

  /** The data of one version of the roster; null when it does not parse. */
  read(text: string, file: string): unknown | null {
    const pieces = unusual(text) ? undefined : this.byPieces(text);
    if (pieces !== undefined) return pieces;
    const yaml = parseYaml(text, file);
    return yaml.ok ? yaml.yaml.value : null;
  }

  private byPieces(text: string): Raw | undefined {
    const lines = new Lines(text);
    const starts: number[] = [];
    for (let n = 0; n < lines.count; n++) {
      const first = lines.first(n);
      if (first === "" || first === "#") continue;
      if (first === " ") {
        if (starts.length === 0 && !QUIET.test(lines.line(n))) return undefined;
        continue;
      }
      if (!KEY_LINE.test(lines.line(n))) return undefined;
      starts.push(n);
    }
    if (starts.length === 0) return undefined;
    const data: Raw = {};
    for (let s = 0; s < starts.length; s++) {
      const entry = this.entry(lines, starts[s] as number, starts[s + 1] ?? lines.count);
      if (!entry) return undefined;
      const [key, value] = entry;
      if (Object.hasOwn(data, key)) return undefined; // a duplicate key: the yaml package says where
      data[key] = value;
    }
    return data;
  }

  /** One top-level key, lines [start, end), read whole or item by item. */
  private entry(lines: Lines, start: number, end: number): [string, unknown] | undefined {
    const itemStarts = HEADER.test(lines.line(start)) ? sequenceItems(lines, start, end) : [];
    if (itemStarts.length === 0) return this.whole(lines.text(start, end));
    const head = this.whole(lines.text(start, itemStarts[0] as number));
    if (!head || head[1] !== null) return undefined;
    const texts = itemStarts.map((from, i) => lines.text(from, itemStarts[i + 1] ?? end));
    const unread = texts.filter((item) => !this.items.has(item));
    if (unread.length > BATCH) {
      // Mostly new: one read of the whole key, its items matched to their texts.
      const all = this.whole(lines.text(start, end));
      if (!all || !Array.isArray(all[1]) || all[1].length !== texts.length) return undefined;
      const values = all[1];
      texts.forEach((item, i) => {
        if (!this.items.has(item)) this.items.set(item, values[i]);
      });
    } else {
      for (const item of unread) {
        const value = oneLineNodes(item) ? readPlainYaml(item) : undefined;
        if (!Array.isArray(value) || value.length !== 1) return undefined;
        this.items.set(item, value[0]);
      }
    }
    return [head[0], texts.map((item) => this.items.get(item))];
  }

  private whole(text: string): [string, unknown] | undefined {
    let entry = this.entries.get(text);
    if (!entry) {
      entry = oneLineNodes(text) ? entryOf(readPlainYaml(text)) : undefined;
      if (!entry) return undefined;
      this.entries.set(text, entry);
    }
    return entry;
  }
}

/**
 * Whether every line of a piece holds whole nodes (see `valueEndsOnItsLine`),
 * without block scalars either: a piece read alone must not rely on the
 * lines around it.
 */
function oneLineNodes(text: string): boolean {
  for (const line of text.split("\n")) {
    const start = lineStart(line);
    const value = line.slice(start.length);
    if (value === "" || value[0] === "#") continue;
    if (start.trim() === "") return false; // a line that continues the one before
    if (value[0] === "|" || value[0] === ">" || !valueEndsOnItsLine(value)) return false;
  }
  return true;
}

function unusual(text: string): boolean {
  return (
    text.includes("\r") || text.includes("__proto__") || (text.includes("?") && QUESTION.test(text))
  );
}

/** A text's lines by their offsets, without splitting it up. */
class Lines {
  /** Where each line starts, and one past the end. */
  private readonly starts: number[] = [0];
  readonly count: number;
  constructor(private readonly source: string) {
    for (let at = source.indexOf("\n"); at !== -1; at = source.indexOf("\n", at + 1)) {
      this.starts.push(at + 1);
    }
    this.count = this.starts.length;
    this.starts.push(source.length + 1);
  }
  /** The first character of line n, or "" when it is empty. */
  first(n: number): string {
    const at = this.starts[n] as number;
    return at < (this.starts[n + 1] as number) - 1 ? (this.source[at] as string) : "";
  }
  line(n: number): string {
    return this.text(n, n + 1);
  }
  /** Lines [from, to) as they are in the text, without the last line end. */
  text(from: number, to: number): string {
    return this.source.slice(this.starts[from], (this.starts[to] as number) - 1);
  }
}

/**
 * Where the items of a block sequence under a top-level key start: every line
 * with the first item's indentation and a `-`. Empty when the key holds
 * anything else (a mapping, a flow value, a sequence at the left margin).
 */
function sequenceItems(lines: Lines, start: number, end: number): number[] {
  const starts: number[] = [];
  let indent = -1;
  for (let n = start + 1; n < end; n++) {
    const line = lines.line(n);
    if (QUIET.test(line)) continue;
    const at = line.length - line.trimStart().length;
    if (indent === -1) indent = at;
    if (at < indent) return [];
    if (at === indent) {
      if (line[at] !== "-" || (line[at + 1] !== " " && line.length !== at + 1)) return [];
      starts.push(n);
    }
  }
  return starts;
}
