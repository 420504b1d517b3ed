import { screenLength } from "../controls.ts";

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

/** Characters on screen, ignoring rota's colour codes (wide characters count once). */
export function visibleLength(text: string): number {
  return screenLength(text);
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
 * HTML, no character reference (`&#x202E;`), no link, emphasis or table.
 * `<`, `>` and `&` become character references rather than backslash escapes:
 * GFM links a web address by itself, and the address may take a backslash in
 * (`https://x.y\<b>`), which would leave the `<` free to start HTML.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(
    /[\\`*_{}[\]<>()#+!|~&]/g,
    (char) => MARKDOWN_REFERENCES[char] ?? `\\${char}`,
  );
}

const MARKDOWN_REFERENCES: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;" };
