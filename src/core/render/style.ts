import { escapeControls, screenText } from "../controls.ts";

/** Text styling for terminal output, injected so that rendering stays pure. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  inverse(text: string): string;
}

const same = (text: string) => text;

/** No styling: for pipes, files, NO_COLOR and tests. */
export const PLAIN: Style = {
  bold: same,
  dim: same,
  red: same,
  yellow: same,
  green: same,
  cyan: same,
  inverse: same,
};

/** Display width of one character: 0 for combining marks, 2 for wide ones (East Asian, emoji). */
export function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x300) return 1;
  if (/^(?:\p{Mn}|\p{Me})$/u.test(char) || (code >= 0x200b && code <= 0x200f)) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/**
 * Characters on screen: rota's colour codes take none, combining marks none,
 * wide characters two, and a control from elsewhere as much as its escape.
 */
export function visibleLength(text: string): number {
  const plain = screenText(text);
  // Most text is narrow: one character, one column.
  if (!/[^ -\u02ff]/.test(plain)) return plain.length;
  let width = 0;
  for (const char of plain) width += charWidth(char);
  return width;
}

export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visibleLength(text)));
}

export function padStart(text: string, width: number): string {
  return " ".repeat(Math.max(0, width - visibleLength(text))) + text;
}

/** Rows of cells as aligned columns; `align` has "r" for right-aligned columns. */
export function columns(rows: string[][], align = "", gap = "  "): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 && align[i] !== "r"
          ? cell
          : align[i] === "r"
            ? padStart(cell, widths[i] ?? 0)
            : padEnd(cell, widths[i] ?? 0),
      )
      .join(gap)
      .trimEnd(),
  );
}

/**
 * Escapes text for a markdown table cell or line, so that it stays text: no
 * HTML, no character reference (`&#x202E;`), no link, image, emphasis, code,
 * strikethrough or table, no heading (nor a heading's closing `#`s) and no
 * list. Only what could make markup is escaped, so that the file reads well
 * as text too: `(53%)` and `#409` stay as written (without `[`, a parenthesis
 * links nothing; a `#` before a word opens no heading). `<`, `>` and `&` become character references rather than
 * backslash escapes: GFM links a web address by itself, and the address may
 * take a backslash in (`https://x.y\<b>`), which would leave the `<` free to
 * start HTML. Control characters are shown escaped as the terminal shows
 * them (`\u001b`, `\u202e`): a backslash before a letter is text in markdown.
 */
export function escapeMarkdown(text: string): string {
  return escapeControls(
    text
      .replace(/[\\`*_[\]<>|~&]/g, (char) => MARKDOWN_REFERENCES[char] ?? `\\${char}`)
      .replace(/#+(?=\s|$)/g, (hashes) => hashes.replaceAll("#", "\\#"))
      .replace(/(^|\n)([ \t]*)([+\-=])/g, "$1$2\\$3")
      .replace(/(^|\n)([ \t]*\d+)([.)])/g, "$1$2\\$3"),
  );
}

const MARKDOWN_REFERENCES: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;" };
