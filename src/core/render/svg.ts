import { html, type SafeHtml } from "./html.ts";

/**
 * Charts as inline SVG: no script, no external file, text that scales with
 * the page. Each is an image with a title (read by screen readers) and sits
 * beside a table with the same numbers, so nothing is only in a picture.
 */

// Narrow enough that a phone (about 360 px of content) scales a chart down
// only a little: its 15 px labels stay at least 12 px on screen.
const WIDTH = 440;
const ROW = 26;
const LABEL = 150;
const LABEL_CHARS = 17;

function format(value: number): string {
  const rounded = Math.round(value * 10) / 10 + 0;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** Horizontal bars, one per item, with its label and value. */
export function barChart(
  title: string,
  items: readonly { label: string; value: number; warn?: boolean }[],
): SafeHtml {
  const labelWidth = LABEL;
  const valueWidth = 44;
  const span = WIDTH - labelWidth - valueWidth;
  const max = Math.max(0, ...items.map((item) => item.value));
  const height = Math.max(1, items.length) * ROW + 4;
  return html`<svg role="img" aria-label="${title}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title>${items.map(
    (item, i) => {
      const y = i * ROW + 2;
      const w = max > 0 ? Math.max(item.value > 0 ? 1 : 0, (item.value / max) * span) : 0;
      return html`<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${truncate(item.label, LABEL_CHARS)}</text><rect class="bar${item.warn ? " warn" : ""}" x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}"></rect><text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 18}">${format(item.value)}</text>`;
    },
  )}</svg>`;
}

/** Bars either side of zero: above (right) or below (left) a share. */
export function divergingChart(
  title: string,
  items: readonly { label: string; value: number }[],
): SafeHtml {
  const labelWidth = LABEL;
  // Room for a value's text (`+0.6`) beyond the longest bar on either side.
  const span = (WIDTH - labelWidth - 88) / 2;
  const zero = labelWidth + 44 + span;
  const max = Math.max(0.5, ...items.map((item) => Math.abs(item.value)));
  const height = Math.max(1, items.length) * ROW + 4;
  return html`<svg role="img" aria-label="${title}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title><line class="axis" x1="${zero}" x2="${zero}" y1="0" y2="${height}"></line>${items.map(
    (item, i) => {
      const y = i * ROW + 2;
      const w = (Math.abs(item.value) / max) * span;
      const x = item.value < 0 ? zero - w : zero;
      const textX = item.value < 0 ? x - 4 : zero + w + 4;
      return html`<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${truncate(item.label, LABEL_CHARS)}</text><rect class="bar${item.value < 0 ? " warn" : ""}" x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}"></rect><text x="${textX.toFixed(1)}" y="${y + 18}" text-anchor="${item.value < 0 ? "end" : "start"}">${item.value > 0 ? "+" : ""}${format(item.value)}</text>`;
    },
  )}</svg>`;
}

/** Columns over time (months), with the first and last month labelled and the maximum marked. */
export function columnChart(
  title: string,
  labels: readonly string[],
  values: readonly (number | null)[],
): SafeHtml {
  const height = 140;
  const top = 22;
  const bottom = 24;
  const plot = height - top - bottom;
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  // A column is at most 56 wide: a month or two are columns, not a block.
  const step = labels.length > 0 ? Math.min(56, WIDTH / labels.length) : WIDTH;
  const right = Math.max(step * labels.length, 200);
  const gap = step > 6 ? Math.min(4, step * 0.2) : 0;
  return html`<svg role="img" aria-label="${title}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${title}</title><line class="axis" x1="0" x2="${WIDTH}" y1="${top + plot}" y2="${top + plot}"></line>${values.map(
    (value, i) => {
      const h = max > 0 && value !== null ? (value / max) * plot : 0;
      return html`<rect class="bar" x="${(i * step + gap / 2).toFixed(1)}" y="${(top + plot - h).toFixed(1)}" width="${Math.max(0.5, step - gap).toFixed(1)}" height="${h.toFixed(1)}"><title>${labels[i] ?? ""}: ${value === null ? "none" : format(value)}</title></rect>`;
    },
  )}<text class="muted" x="0" y="${height - 5}">${labels[0] ?? ""}</text>${labels.length > 1 ? html`<text class="muted" x="${right}" y="${height - 5}" text-anchor="end">${labels[labels.length - 1]}</text>` : ""}<text class="muted" x="0" y="15">max ${format(max)}</text></svg>`;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
