import { OneByteText } from "../one-byte.ts";
import { charWidth, visibleLength } from "./style.ts";

/**
 * Tables and text that fit the width of a terminal. Where a table is wider,
 * it is narrowed in three steps, each only as far as needed:
 *
 *   1. bar charts (decorations) are left out;
 *   2. text columns — names, shifts, reasons, summaries — are cut short with
 *      "…", the widest first, never below each column's floor;
 *   3. whole columns are left out, least important first, each table naming
 *      its order (and the cuts of step 2 start again from whole cells).
 *
 * Dates, figures and ids are never cut (a list of ids leaves out whole ids:
 * see `wholeItems`). Without a width (a pipe or a file),
 * every table is as wide as its content.
 */

const ESC = "\u001b";
// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes are what is kept whole
const SGR = /^\u001b\[[0-9;]*m/;
const RESET = `${ESC}[0m`;
const ELLIPSIS = "…";

/** How one column of a table behaves when the table is too wide. */
export interface Column {
  /** Right-aligned, and padded even in the last column: figures. */
  right?: boolean;
  /** Text that may be cut short with "…", to no fewer than this many characters. Absent: never cut. */
  min?: number;
  /** A bar chart: left out before anything is cut. */
  decoration?: boolean;
  /** Left out when cutting is not enough: the lowest first. Absent: always kept. */
  drop?: number;
}

/**
 * The floor of a column of people's names: a name is never cut shorter than
 * this, so that it stays recognisable (docs/commands.md says so).
 */
export const NAME_MIN = 16;

/** A cell: text, or text with its own way of being cut (a list of names shortens each name). */
export type Cell = string | { text: string; cut: (width: number) => string };

export interface FitOptions {
  /** The terminal's width in characters; undefined for no limit. */
  width?: number | undefined;
  /** Before every line (counted in the width). */
  indent?: string;
  /** Between columns. */
  gap?: string;
}

function textOf(cell: Cell | undefined): string {
  return cell === undefined ? "" : typeof cell === "string" ? cell : cell.text;
}

/** Text of characters one column wide each, none of them a control or a colour code. */
const NARROW = /^[ -~\u00a0-\u02ff\u2013\u2014\u2026]*$/;

/** `visibleLength`, answered at once for the usual cell of plain narrow text. */
function widthOf(text: string): number {
  return NARROW.test(text) ? text.length : visibleLength(text);
}

/**
 * Rows of cells (the first usually the header) as aligned lines, narrowed to
 * fit `width` as the module comment says.
 */
export function fitTable(rows: Cell[][], columns: Column[], options: FitOptions = {}): string[] {
  const indent = options.indent ?? "";
  const gap = options.gap ?? "  ";
  let count = columns.length;
  for (const row of rows) if (row.length > count) count = row.length;
  // Each cell's width on screen, measured once (a plan prints tens of thousands
  // of rows), in one array of `count` places a row; a place past a row's end stays 0.
  const lengths = new Int32Array(rows.length * count);
  const natural: number[] = new Array<number>(count).fill(0);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Cell[];
    for (let i = 0; i < row.length; i++) {
      const length = widthOf(textOf(row[i]));
      lengths[r * count + i] = length;
      if (length > (natural[i] as number)) natural[i] = length;
    }
  }
  const spec = (i: number): Column => columns[i] ?? {};
  const all = [...Array(count).keys()];
  const available = options.width === undefined ? undefined : options.width - visibleLength(indent);
  const total = (shown: number[], widths: number[]) =>
    shown.reduce((sum, i) => sum + (widths[i] ?? 0), 0) + gap.length * (shown.length - 1);

  let shown = all;
  let widths = natural;
  if (available !== undefined && total(all, natural) > available) {
    // 1. Bar charts go first.
    shown = all.filter((i) => !spec(i).decoration);
    // 2. and 3.: cut what can be cut; where even that is not enough, leave out a column.
    const droppable = shown
      .filter((i) => spec(i).drop !== undefined)
      .sort((a, b) => (spec(a).drop ?? 0) - (spec(b).drop ?? 0) || a - b);
    for (;;) {
      const cut = cutWidths(shown, natural, spec, available - gap.length * (shown.length - 1));
      widths = cut.widths;
      const next = droppable.shift();
      if (cut.fits || next === undefined) break;
      shown = shown.filter((i) => i !== next);
    }
  }

  const last = shown[shown.length - 1];
  const right = shown.map((i) => spec(i).right === true);
  const lines = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Cell[];
    const at = r * count;
    let line = "";
    for (let k = 0; k < shown.length; k++) {
      const i = shown[k] as number;
      const cell = row[i];
      const width = widths[i] ?? 0;
      let text = textOf(cell);
      let length = i < row.length ? (lengths[at + i] as number) : 0;
      if (length > width) {
        text = typeof cell === "object" ? cell.cut(width) : cutText(text, width);
        length = widthOf(text);
      }
      if (k > 0) line += gap;
      line += padded(text, length, width, right[k] as boolean, i === last);
    }
    lines[r] = finished(line, indent);
  }
  return lines;
}

/**
 * A cell's text in its column: padded to the column's width on the left when
 * it is right-aligned, on the right unless it ends the line.
 */
function padded(
  text: string,
  length: number,
  width: number,
  right: boolean,
  ends: boolean,
): string {
  const pad = width > length ? spaces(width - length) : "";
  return right ? pad + text : ends ? text : text + pad;
}

/** A table's line as printed: no spaces at its end, and an indent only before text. */
function finished(line: string, indent: string): string {
  const trimmed = line.trimEnd();
  return trimmed === "" ? "" : indent + trimmed;
}

/**
 * `fitTable` for a table of text given column by column (each column a list
 * of the same length, its header first): the same lines. A table of 50,000
 * rows is then a few lists, not 50,000 of them; where it is too wide for
 * `width`, it is narrowed as `fitTable` narrows it.
 */
export function fitColumns(
  cells: readonly (readonly string[])[],
  columns: Column[],
  options: FitOptions = {},
): string[] {
  const count = cells.length;
  const rowCount = cells[0]?.length ?? 0;
  const indent = options.indent ?? "";
  const gap = options.gap ?? "  ";
  const available = options.width === undefined ? undefined : options.width - visibleLength(indent);
  let fits = count === columns.length && cells.every((column) => column.length === rowCount);
  // Each cell's width on screen, measured once, and each column's widest.
  const lengths = new Int32Array(fits ? rowCount * count : 0);
  const natural = new Array<number>(count).fill(0);
  for (let i = 0; fits && i < count; i++) {
    const column = cells[i] as readonly string[];
    let widest = 0;
    for (let r = 0; r < rowCount; r++) {
      const length = widthOf(column[r] as string);
      lengths[i * rowCount + r] = length;
      if (length > widest) widest = length;
    }
    natural[i] = widest;
  }
  if (fits && available !== undefined) {
    let total = gap.length * (count - 1);
    for (const width of natural) total += width;
    fits = total <= available;
  }
  if (!fits) {
    // Narrowed (or of uneven columns): as rows, the one way tables are narrowed.
    const rows: Cell[][] = [];
    for (let r = 0; r < rowCount; r++) rows.push(cells.map((column) => column[r] ?? ""));
    return fitTable(rows, columns, options);
  }
  const last = count - 1;
  const right = columns.map((column) => column.right === true);
  const lines = new Array<string>(rowCount);
  for (let r = 0; r < rowCount; r++) {
    let line = "";
    for (let i = 0; i < count; i++) {
      const text = (cells[i] as readonly string[])[r] as string;
      const length = lengths[i * rowCount + r] as number;
      const width = natural[i] as number;
      if (i > 0) line += gap;
      line += padded(text, length, width, right[i] as boolean, i === last);
    }
    lines[r] = finished(line, indent);
  }
  return lines;
}

/**
 * `widthOf` for text whose every character is one byte in Latin-1 (colour
 * codes included); -1 for any other text, which `OneByteLines` cannot hold.
 */
export function oneByteWidth(text: string): number {
  let narrow = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return -1;
    if (c < 0x20 || (c > 0x7e && c < 0xa0)) narrow = false;
  }
  return narrow ? text.length : visibleLength(text);
}

/**
 * Aligned lines of one-byte text (see `oneByteWidth`), cell by cell, as
 * `fitColumns` lays them out when its table fits, as one `OneByteText` (the
 * indent and the gap are one-byte text too).
 */
export class OneByteLines extends OneByteText {
  /** Where the text of the current line starts, after its indent. */
  private start = 0;
  private lines = 0;

  constructor(
    private readonly indent: string,
    private readonly gap: string,
    capacity: number,
  ) {
    super(capacity);
  }

  /** Starts a line (after a line break, unless it is the first). */
  line(): void {
    if (this.lines++ > 0) this.put("\n");
    this.put(this.indent);
    this.start = this.at;
  }

  /** A cell `length` wide on screen in a column `width` wide, as `padded` places it. */
  cell(text: string, length: number, width: number, right: boolean, ends: boolean, first: boolean) {
    if (!first) this.put(this.gap);
    const pad = width > length ? width - length : 0;
    if (right) this.spaces(pad);
    this.put(text);
    if (!right && !ends) this.spaces(pad);
  }

  /** Ends a line as `finished` does: no spaces at its end, no indent before nothing. */
  finish(): void {
    const bytes = this.bytes;
    while (this.at > this.start && isTrimmed(bytes[this.at - 1] as number)) this.at--;
    if (this.at === this.start) this.at -= this.indent.length;
  }
}

/** Whether `trimEnd` removes this one-byte character: tab to carriage return, space, no-break space. */
function isTrimmed(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

/** Runs of spaces by length, made once each: a table of 50,000 rows pads every cell. */
const SPACES: string[] = [""];

function spaces(count: number): string {
  if (count > 256 || !Number.isInteger(count)) return " ".repeat(count);
  while (SPACES.length <= count) SPACES.push(" ".repeat(SPACES.length));
  return SPACES[count] as string;
}

/**
 * The widths of the shown columns when the text columns are cut, the widest
 * first ("water-filling" from the top), so that they sum to at most `room`;
 * `fits` is false when even the floors do not.
 */
function cutWidths(
  shown: number[],
  natural: number[],
  spec: (i: number) => Column,
  room: number,
): { widths: number[]; fits: boolean } {
  const widths = [...natural];
  const cuttable = shown.filter((i) => spec(i).min !== undefined);
  const floor = (i: number) => Math.min(natural[i] ?? 0, spec(i).min ?? 0);
  const sum = (level: number) =>
    shown.reduce(
      (total, i) =>
        total +
        (cuttable.includes(i)
          ? Math.min(natural[i] ?? 0, Math.max(level, floor(i)))
          : (natural[i] ?? 0)),
      0,
    );
  const top = Math.max(0, ...cuttable.map((i) => natural[i] ?? 0));
  if (sum(top) <= room) return { widths, fits: true };
  if (sum(0) > room) {
    for (const i of cuttable) widths[i] = floor(i);
    return { widths, fits: false };
  }
  // The highest level at which everything fits; the room left over goes
  // back, a character each, to the leftmost columns cut to that level.
  let level = top;
  while (level > 0 && sum(level) > room) level--;
  let spare = room - sum(level);
  for (const i of cuttable) {
    const width = Math.min(natural[i] ?? 0, Math.max(level, floor(i)));
    widths[i] = width;
    if (spare > 0 && width === level && width < (natural[i] ?? 0)) {
      widths[i] = width + 1;
      spare--;
    }
  }
  return { widths, fits: true };
}

/**
 * Text cut to at most `width` characters on screen, ending in "…" where it
 * was cut; colour codes are kept, and closed where the cut dropped theirs.
 */
export function cutText(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  let i = 0;
  for (; i < text.length; ) {
    if (text[i] === ESC) {
      const code = SGR.exec(text.slice(i));
      if (code) {
        out += code[0];
        i += code[0].length;
        continue;
      }
    }
    const char = String.fromCodePoint(text.codePointAt(i) ?? 0);
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
    i += char.length;
  }
  out = out.replace(/[\s,;:–-]+$/u, "");
  return `${out}${ELLIPSIS}${text.includes(ESC, i) ? RESET : ""}`;
}

/**
 * Items joined by `separator` (names on a shift), cut to `width` by
 * shortening the longest items first, each to no fewer than `min`
 * characters, so that every item keeps a recognisable start; then cut at the
 * end. `paint` styles an item after it is cut.
 */
export function cutList(
  items: readonly string[],
  width: number,
  options: {
    separator?: string;
    min?: number;
    paint?: (item: string, index: number) => string;
  } = {},
): string {
  const separator = options.separator ?? ", ";
  const min = options.min ?? 6;
  const paint = options.paint ?? ((item: string) => item);
  const lengths = items.map((item) => visibleLength(item));
  const room = width - separator.length * Math.max(0, items.length - 1);
  const floors = lengths.map((length) => Math.min(length, min));
  const sum = (level: number) =>
    lengths.reduce(
      (total, length, i) => total + Math.min(length, Math.max(level, floors[i] ?? 0)),
      0,
    );
  let level = Math.max(0, ...lengths);
  while (level > 0 && sum(level) > room) level--;
  const shortened = items.map((item, i) =>
    paint(cutText(item, Math.min(lengths[i] ?? 0, Math.max(level, floors[i] ?? 0))), i),
  );
  return cutText(shortened.join(separator), width);
}

/**
 * Items that are never cut (occurrence ids), joined by ", ", as a cell that
 * shortens by leaving out whole items from its end and saying how many:
 * "2026-12-11/emea, 2026-12-09/emea, +1 more". `min` is its narrowest form,
 * the first item and the count of the rest: the floor its column needs so
 * that no item is cut.
 */
export function wholeItems(items: readonly string[]): { cell: Cell; min: number } {
  const text = items.join(", ");
  const shortened = (kept: number) =>
    `${items.slice(0, kept).join(", ")}, +${items.length - kept} more`;
  if (items.length < 2) return { cell: text, min: visibleLength(text) };
  return {
    cell: {
      text,
      cut: (width) => {
        for (let kept = items.length - 1; kept > 1; kept--) {
          const line = shortened(kept);
          if (visibleLength(line) <= width) return line;
        }
        return shortened(1);
      },
    },
    min: visibleLength(shortened(1)),
  };
}

/**
 * Prose wrapped at word boundaries to `width` (no limit when undefined):
 * `indent` before the first line, `hanging` before the others. A word longer
 * than a line stays whole.
 */
export function wrapText(
  text: string,
  width: number | undefined,
  indent = "",
  hanging = indent,
): string[] {
  if (width === undefined || visibleLength(indent + text) <= width) return [indent + text];
  const lines: string[] = [];
  let line = indent;
  let empty = true;
  for (const word of text.split(/ +/)) {
    if (!empty && visibleLength(`${line} ${word}`) > width) {
      lines.push(line);
      line = hanging + word;
    } else {
      line = empty ? line + word : `${line} ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
