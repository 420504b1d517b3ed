import { counted } from "../render/human.ts";
import type { PersonFigures, QuotaFigures, Report } from "./figures.ts";

/**
 * The report in words, shared by every format so that the terminal, the
 * markdown and the site say the same thing the same way.
 */

/** `42%`; an em dash when there is nothing to divide. */
export function percent(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 100)}%`;
}

/** `1.5`, `2`, `-0.3`: at most one decimal. */
export function decimal(value: number): string {
  const rounded = Math.round(value * 10) / 10 + 0;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** `1 shift`, `1.5 shifts`: a figure as `decimal` shows it, and the noun that agrees with that. */
export function decimalCount(value: number, one: string, other = `${one}s`): string {
  return counted(Number(decimal(value)), one, other);
}

/** `+1.2`, `-0.4`, `0`. */
export function signed(value: number): string {
  const text = decimal(value);
  return value > 0.05 ? `+${text}` : text;
}

/** Where a person stands in the current quota period, in a few words. */
export function quotaNow(quota: QuotaFigures | null): string {
  if (!quota) return "no quota";
  const { period, status } = quota.current;
  switch (status) {
    case "served":
      return `served in ${period}`;
    case "planned":
      return `planned in ${period}`;
    case "due":
      return `due by ${quota.current.until}`;
    case "unplanned":
      return `none in ${period}`;
    case "exempt":
      return `none owed in ${period}`;
    case "unknown":
      return `not counted in ${period}`;
  }
}

/** The standing in words (`overdue: missed 2026-10`, `ok`), or `—` without a quota. */
export function standing(person: PersonFigures): string {
  return person.standing.status === "no-quota" ? "—" : person.standing.summary;
}

/** How many notes a theme is in: `2 notes`. */
export function themeCount(count: number): string {
  return `${count} ${count === 1 ? "note" : "notes"}`;
}

/** Said where no answer recurs. */
export const NOTHING_RECURS =
  "Nothing recurs yet: a theme needs two people, or one person on two shifts.";

export function teamName(id: string | null): string {
  return id ?? "(no team)";
}

/**
 * Who served: "by 15 of 16 active people". People who served in the window
 * and are not active now (they have left, or are no longer on the roster)
 * are named apart, so the count of the active is never more than them.
 */
function servedByWhom(report: Report): string {
  const t = report.totals;
  const serving = report.people.filter((p) => p.served > 0);
  const active = serving.filter((p) => p.active).length;
  const left = serving.filter((p) => !p.active && p.left !== null).length;
  const removed = serving.filter((p) => !p.onRoster).length;
  const other = serving.length - active - left - removed;
  const apart = [
    ...(left > 0 ? [`${left} who ${left === 1 ? "has" : "have"} left`] : []),
    ...(removed > 0 ? [`${removed} no longer on the roster`] : []),
    ...(other > 0 ? [`${other} not active now`] : []),
  ];
  return `by ${active} of ${t.active} active ${t.active === 1 ? "person" : "people"}${apart.map((part) => ` and ${part}`).join("")}`;
}

/** The one-paragraph summary that opens every format. */
export function headline(report: Report): string {
  const t = report.totals;
  const served = `${t.shifts} ${t.shifts === 1 ? "shift" : "shifts"} served`;
  const parts = [
    `${served} ${servedByWhom(report)}`,
    `${percent(t.notesShare)} with notes`,
    `${t.overdue} overdue`,
    `fairness spread ${decimalCount(report.fairness.spread, "shift")}`,
  ];
  return `${parts.join("; ")}.`;
}

/** The months of a series to show: the last `count` (all of them when fewer). */
export function lastMonths<T>(months: readonly string[], values: readonly T[], count: number) {
  const start = Math.max(0, months.length - count);
  return { months: months.slice(start), values: values.slice(start) };
}

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A horizontal bar of block characters, `width` characters for `max`. */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0 || value <= 0) return "";
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return "█".repeat(Math.floor(eighths / 8)) + (EIGHTHS[eighths % 8] ?? "");
}

const LEVELS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/** A sparkline: one block per value, `·` for nothing. */
export function sparkline(values: readonly (number | null)[]): string {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  return values
    .map((value) => {
      if (value === null || value <= 0 || max === 0) return "·";
      return LEVELS[Math.min(7, Math.floor((value / max) * 7.999))] ?? "█";
    })
    .join("");
}
