import { CONTROL_CLASS, escapeControl } from "../controls.ts";
import { remembered } from "../remembered.ts";

/**
 * HTML for the report and the static site, written without a template
 * engine: the `html` tagged template escapes every interpolated value with
 * `escapeHtml`, the one escaping function, unless the value is already HTML
 * (`SafeHtml`, made only by `html` itself or `raw`). A name, tag or note
 * holding `<script>` is therefore shown as text wherever it appears.
 */

/**
 * Text made safe for an element's content or a quoted attribute value. A
 * control character (an escape sequence, a bidi override: see
 * core/controls.ts) is shown escaped as the terminal shows it (`\u001b`,
 * `\u202e`), so a page reads as the text was stored, never reordered.
 */
export function escapeHtml(text: string): string {
  // Most text (names, dates, numbers) has nothing to escape: no new string.
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeOne) : text;
}

const UNSAFE = new RegExp(`[&<>"'${CONTROL_CLASS}]`);
const UNSAFE_ALL = new RegExp(UNSAFE.source, "g");

const escapeOne = (char: string): string => ESCAPES[char] ?? escapeControl(char);

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** A piece of HTML that is already escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue =
  | string
  | number
  | SafeHtml
  | null
  | undefined
  | false
  | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) {
    let out = "";
    for (const item of value as readonly HtmlValue[]) out += render(item);
    return out;
  }
  return escapeHtml(typeof value === "string" ? value : String(value));
}

/** HTML from a template: every `${value}` is escaped unless it is `SafeHtml`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? "");
  }
  return new SafeHtml(out);
}

/**
 * A relative link to a file, from its `/`-separated path: each segment
 * percent-encoded, so that a space, `#`, `?` or `%` in a file name stays part
 * of the name instead of ending the path or being read as an escape.
 */
export function hrefPath(path: string): string {
  return path
    .split("/")
    .map((segment) => (segment === "." || segment === ".." ? segment : encodeURIComponent(segment)))
    .join("/");
}

/** Markup rota itself produced (never text from a file or a person). */
/** Text whose `backticked` parts (a command to run) are set as code; every part escaped. */
export function withCode(text: string): HtmlValue[] {
  const parts = text.split("`");
  if (parts.length % 2 === 0) return [text]; // an odd backtick is just a character
  return parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part));
}

export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * The palette: every pair of text and background colour used, so a test can
 * check each contrast ratio (at least 4.5:1, WCAG AA for normal text).
 */
export const PALETTE = {
  text: "#1b1b1f",
  muted: "#50535a",
  background: "#ffffff",
  surface: "#f2f4f7",
  link: "#1c4fb8",
  accent: "#1c4fb8",
  warn: "#a3261c",
  warnSurface: "#fdecea",
  good: "#1d6b35",
} as const;

/** [foreground, background] pairs the pages use, for the contrast test. */
export const CONTRAST_PAIRS: [keyof typeof PALETTE, keyof typeof PALETTE][] = [
  ["text", "background"],
  ["text", "surface"],
  ["muted", "background"],
  ["muted", "surface"],
  ["link", "background"],
  ["link", "surface"],
  ["accent", "background"],
  ["warn", "background"],
  ["warn", "warnSurface"],
  ["text", "warnSurface"],
  ["good", "background"],
];

/**
 * The stylesheet, rule by rule, each rule in the block of the page parts it
 * styles. A page carries only the blocks its kind uses (see `renderPage`):
 * 50,000 note pages each repeating every rule were most of the site's bytes.
 * Rules keep one order, so any subset cascades as the whole sheet does.
 */
const RULES: readonly (readonly [StyleBlock, string])[] = [
  ["base", ":root { color-scheme: light; }"],
  ["base", "* { box-sizing: border-box; }"],
  [
    "base",
    `body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: ${PALETTE.text}; background: ${PALETTE.background}; }`,
  ],
  ["base", `a { color: ${PALETTE.link}; text-underline-offset: 2px; }`],
  [
    "base",
    `a:focus-visible, [tabindex]:focus-visible { outline: 3px solid ${PALETTE.accent}; outline-offset: 2px; }`,
  ],
  [
    "base",
    `.skip { position: absolute; left: -999px; top: 0; background: ${PALETTE.background}; padding: .5rem; }`,
  ],
  ["base", ".skip:focus { left: .5rem; }"],
  ["base", "header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }"],
  [
    "base",
    `header nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: .75rem 0; border-bottom: 1px solid ${PALETTE.surface}; }`,
  ],
  ["base", "header nav a { font-weight: 600; }"],
  ["base", "h1 { font-size: 1.6rem; line-height: 1.25; margin: 1.25rem 0 .5rem; }"],
  ["base", "h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; }"],
  ["base", "h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }"],
  ["base", "p, ul, dl { margin: .5rem 0; }"],
  ["base", `.muted, footer { color: ${PALETTE.muted}; }`],
  ["base", "footer { font-size: .875rem; padding: 2rem 1rem; }"],
  ["table", ".table-wrap { overflow-x: auto; margin: .5rem 0 1rem; }"],
  [
    "table",
    `.table-wrap:focus-visible { outline: 3px solid ${PALETTE.accent}; outline-offset: 2px; }`,
  ],
  [
    "table",
    "table { border-collapse: collapse; min-width: 100%; font-variant-numeric: tabular-nums; }",
  ],
  ["table", "caption { text-align: left; font-weight: 600; padding: .25rem 0; }"],
  [
    "table",
    `th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid ${PALETTE.surface}; }`,
  ],
  ["table", `thead th { background: ${PALETTE.surface}; }`],
  ["table", "tbody th { font-weight: 600; white-space: nowrap; }"],
  ["table", "tbody th.wrap { white-space: normal; }"],
  ["table", "td.num, th.num { text-align: right; }"],
  ["table", "td.nowrap { white-space: nowrap; }"],
  ["status", `.warn { color: ${PALETTE.warn}; font-weight: 600; }`],
  ["status", `.good { color: ${PALETTE.good}; }`],
  [
    "callout",
    `.callout { background: ${PALETTE.warnSurface}; color: ${PALETTE.text}; border-left: 4px solid ${PALETTE.warn}; padding: .5rem .75rem; }`,
  ],
  ["now", `.now { background: ${PALETTE.surface}; padding: .75rem 1rem; border-radius: .5rem; }`],
  ["now", ".now h2 { margin-top: 0; }"],
  [
    "tag",
    `.tag { display: inline-block; background: ${PALETTE.surface}; border-radius: .25rem; padding: 0 .35rem; margin: 0 .25rem .25rem 0; }`,
  ],
  ["answer", ".answer { overflow-wrap: anywhere; margin: .25rem 0 1rem; }"],
  ["answer", ".answer > :first-child { margin-top: 0; }"],
  ["answer", ".answer h4 { font-size: 1rem; margin: .75rem 0 .25rem; }"],
  ["answer", `.answer blockquote { border-left-color: ${PALETTE.muted}; }`],
  [
    "answer",
    `.answer pre { background: ${PALETTE.surface}; padding: .5rem; overflow-x: auto; white-space: pre-wrap; }`,
  ],
  [
    "code",
    `code { background: ${PALETTE.surface}; padding: 0 .2rem; border-radius: .2rem; font-size: .95em; }`,
  ],
  ["feed", ".feed { margin: .25rem 0 .75rem; }"],
  [
    "feed",
    ".feed code { display: inline-block; max-width: 100%; overflow-wrap: anywhere; user-select: all; padding: .15rem .4rem; }",
  ],
  ["feed", "details.steps { margin: .5rem 0 1rem; }"],
  ["feed", `details.steps summary { cursor: pointer; font-weight: 600; color: ${PALETTE.link}; }`],
  ["feed", "details.steps dl { margin: .5rem 0; }"],
  ["feed", "details.steps dt { font-weight: 600; margin-top: .5rem; }"],
  ["feed", "details.steps dd { margin: 0 0 0 1rem; }"],
  [
    "quote",
    `blockquote { margin: .25rem 0 .5rem; padding-left: .75rem; border-left: 3px solid ${PALETTE.surface}; }`,
  ],
  ["chart", "figure { margin: 1rem 0; }"],
  ["chart", "figcaption { font-weight: 600; }"],
  ["chart", "svg { max-width: 100%; height: auto; display: block; }"],
  ["chart", `svg text { fill: ${PALETTE.text}; font: 15px system-ui, sans-serif; }`],
  ["chart", `svg .muted { fill: ${PALETTE.muted}; }`],
  ["chart", `svg .bar { fill: ${PALETTE.accent}; }`],
  ["chart", `svg .bar.warn { fill: ${PALETTE.warn}; }`],
  ["chart", `svg .axis { stroke: ${PALETTE.muted}; stroke-width: 1; }`],
  [
    "chart",
    ".charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0 1.5rem; }",
  ],
  ["feed", ".actions { display: flex; flex-wrap: wrap; gap: .5rem; }"],
  [
    "feed",
    `.button { display: inline-block; padding: .5rem .9rem; border: 2px solid ${PALETTE.link}; border-radius: .4rem; font-weight: 600; text-decoration: none; }`,
  ],
];

/** Rules for narrow screens (a phone), inside one media query. */
const NARROW_RULES: readonly (readonly [StyleBlock, string])[] = [
  ["base", "body { font-size: 15px; }"],
  ["table", ".table-wrap { overflow-x: visible; }"],
  [
    "table",
    ".table-wrap table, .table-wrap tbody, .table-wrap tr, .table-wrap th, .table-wrap td { display: block; min-width: 0; }",
  ],
  [
    "table",
    ".table-wrap thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }",
  ],
  ["table", ".table-wrap caption { display: block; }"],
  [
    "table",
    `.table-wrap tr { border: 1px solid ${PALETTE.surface}; border-radius: .4rem; margin: 0 0 .5rem; padding: .35rem .6rem; }`,
  ],
  [
    "table",
    ".table-wrap th, .table-wrap td { border: 0; padding: .1rem 0; text-align: left; white-space: normal; }",
  ],
  ["table", ".table-wrap tbody th { font-size: 1.05rem; }"],
  [
    "table",
    `.table-wrap td[data-label]::before { content: attr(data-label) ": "; color: ${PALETTE.muted}; font-weight: 600; }`,
  ],
  ["table", "td.num, th.num { text-align: left; }"],
];

/**
 * The parts of a page that have their own rules: every page has `base` (the
 * page shell, headings, paragraphs, the footer); the rest go with the markup
 * that uses them.
 */
export type StyleBlock =
  | "base"
  | "table" // `table()`: a table that becomes cards on a phone
  | "status" // `.warn`, `.good`
  | "callout" // `.callout`
  | "now" // the front page's "on support now"
  | "tag" // `.tag`
  | "answer" // a note's answer, rendered markdown
  | "code" // `<code>`
  | "feed" // a calendar's subscribe and download links, and the steps
  | "quote" // `<blockquote>`
  | "chart"; // figures and inline SVG charts

/** Every block: a page that may show anything (the whole stylesheet). */
export const ALL_STYLES: readonly StyleBlock[] = [
  "base",
  "table",
  "status",
  "callout",
  "now",
  "tag",
  "answer",
  "code",
  "feed",
  "quote",
  "chart",
];

/**
 * The stylesheet of a page kind: the rules of the given blocks (and `base`),
 * in the whole sheet's order. Made once per kind.
 */
export function styleSheet(blocks: readonly StyleBlock[]): string {
  return sheetOf(blocks.join());
}

/** The stylesheet of the blocks named, comma-separated (see `styleSheet`). */
const sheetOf = remembered((names: string) => {
  const wanted = new Set(["base", ...names.split(",")]);
  const pick = (rules: readonly (readonly [StyleBlock, string])[]) =>
    rules.filter(([block]) => wanted.has(block)).map(([, rule]) => rule);
  const narrow = pick(NARROW_RULES);
  return `${pick(RULES).join("")}${
    narrow.length > 0
      ? `@media (max-width: 40rem) {${narrow.map((rule) => `  ${rule}`).join("")}}`
      : ""
  }`;
});

export interface PageOptions {
  title: string;
  /** The way back to the site's root from this page: "", "../", "../../../". */
  root?: string;
  /** Site navigation; none for a standalone page. */
  nav?: boolean;
  /** The page's body, inside <main>. */
  body: SafeHtml;
  /**
   * The style blocks this kind of page uses: its `<style>` holds only their
   * rules, so a page stays self-contained without repeating the whole sheet.
   */
  styles: readonly StyleBlock[];
  /** Said in the footer: when the page was generated, as people read it (`Tue 24 Nov 2026, 10:00`). */
  generated?: string;
  /**
   * Said in the footer instead, for a page that must not change with the
   * clock alone: the latest change in the data it shows.
   */
  asOf?: string;
}

/**
 * A whole page: no script, no external asset (a Content-Security-Policy
 * forbids both, as a second line of defence behind escaping), inline CSS,
 * readable on a phone.
 */
export function renderPage(options: PageOptions): string {
  const footer =
    options.generated !== undefined
      ? ` on ${options.generated}`
      : options.asOf !== undefined
        ? ` from the schedule and notes as of ${options.asOf}`
        : "";
  return `${PAGE_START}${escapeHtml(options.title)}${pageShell(options)}${options.body.value}
</main>
<footer>Generated by rota${escapeHtml(footer)}.</footer>
</body>
</html>
`;
}

const PAGE_START = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>`;

const shells = new Map<string, string>();

/**
 * A page's markup from its title to its body: the same for every page of a
 * kind at one depth (50,000 notes share a handful), so made once.
 */
function pageShell(options: PageOptions): string {
  const root = options.root ?? "";
  const key = `${options.nav ? root : "\u0000"}\u0000${options.styles.join()}`;
  let shell = shells.get(key);
  if (shell === undefined) {
    const nav = options.nav
      ? html`<header><nav aria-label="Site"><a href="${root}index.html">Rota</a><a href="${root}report.html">Report</a><a href="${root}notes/index.html">Notes</a></nav></header>`
      : "";
    shell = html`</title>
<style>${raw(styleSheet(options.styles))}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
${nav}
<main id="main">
`.value;
    shells.set(key, shell);
  }
  return shell;
}

/**
 * A table that fits the screen: on a desktop, in a region that scrolls
 * sideways if it must (focusable and named by its caption, so a keyboard can
 * scroll it too); on a phone each row becomes a card, every cell under its
 * column's heading, so no column (a standing, an overdue count) is ever off
 * the screen. Row headings stay on one line when they are dates; names wrap
 * when they must, rather than squeeze every other column.
 */
export function table(options: {
  caption: string;
  /** Column headings; a heading starting with `#` is right-aligned (numbers). */
  head: string[];
  /** Rows; the first cell of each is a row heading (`<th scope="row">`). */
  rows: HtmlValue[][];
  /** Hide the caption visually? Never: captions name tables for everyone. */
}): SafeHtml {
  const numeric = options.head.map((heading) => heading.startsWith("#"));
  const heading = (text: string) => (text.startsWith("#") ? text.slice(1) : text);
  // Each cell is labelled with its column's heading: escaped once, not once a row.
  const labels = options.head.map((h) => raw(escapeHtml(heading(h))));
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="${options.caption}"><table>
<caption>${options.caption}</caption>
<thead><tr>${options.head.map((h, i) => html`<th scope="col"${numeric[i] ? raw(' class="num"') : ""}>${heading(h)}</th>`)}</tr></thead>
<tbody>
${options.rows.map(
  (row) =>
    html`<tr>${row.map((cell, i) =>
      i === 0
        ? html`<th scope="row"${isDate(cell) ? "" : raw(' class="wrap"')}>${cell}</th>`
        : html`<td data-label="${labels[i] ?? ""}"${numeric[i] ? raw(' class="num"') : isDate(cell) ? raw(' class="nowrap"') : ""}>${cell}</td>`,
    )}</tr>\n`,
)}</tbody>
</table></div>`;
}

/** A date alone in a cell (`2026-11-24`, `Tue 24 Nov 2026`): kept on one line. */
function isDate(cell: HtmlValue): boolean {
  return (
    typeof cell === "string" &&
    (/^\d{4}-\d{2}-\d{2}$/.test(cell) ||
      /^[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2}( \d{4})?$/.test(cell))
  );
}
