import type { HelpdeskStats } from "../tickets/join.ts";
import type { Report } from "./figures.ts";
import { percent, teamName } from "./words.ts";

/**
 * Report sections that every format shows alike (terminal, markdown, HTML):
 * plain text paragraphs and tables, which each renderer escapes and lays out
 * its own way.
 */
export interface PlainTable {
  caption: string;
  head: string[];
  /** Which columns are numbers (right-aligned). */
  right: boolean[];
  rows: string[][];
}

export interface PlainSection {
  id: string;
  title: string;
  paragraphs: string[];
  tables: PlainTable[];
}

function minutes(value: number | null): string {
  if (value === null) return "—";
  if (value < 60) return `${Math.round(value)} min`;
  const hours = value / 60;
  return hours < 48 ? `${Math.round(hours * 10) / 10} h` : `${Math.round(hours / 24)} d`;
}

const STAT_HEAD = ["Conversations", "First reply (median)", "Resolved", "Satisfaction"];

function statCells(stats: HelpdeskStats): string[] {
  return [
    String(stats.conversations),
    minutes(stats.firstReply.medianMinutes),
    stats.resolution.known === 0
      ? "—"
      : `${stats.resolution.resolved} of ${stats.resolution.known}`,
    stats.satisfaction.rated === 0
      ? "—"
      : `${percent(stats.satisfaction.share)} of ${stats.satisfaction.rated}`,
  ];
}

/** The help-desk section, when `--tickets` gave exports. */
export function helpdeskSection(report: Report): PlainSection | undefined {
  const desk = report.helpdesk;
  if (!desk) return undefined;
  const t = desk.totals;
  const sources = desk.sources.map((s) => `${s.file} (${s.format}, ${s.rows} rows)`).join(", ");
  const paragraphs = [
    `${t.conversations} conversations handled on shifts, from ${sources}. Everyone is measured alike, leadership included.`,
  ];
  if (desk.unmatched.total > 0) {
    paragraphs.push(
      `${desk.unmatched.total} rows were not joined to a shift: ${desk.unmatched.reasons
        .map(
          (r) =>
            `${r.count} ${r.explanation}${r.examples.length > 0 ? ` (${r.examples.map((e) => `${e.value}: ${e.count}`).join(", ")})` : ""}`,
        )
        .join("; ")}.`,
    );
  } else {
    paragraphs.push("Every row was joined to a shift.");
  }
  const right = [false, true, true, true, true, true];
  return {
    id: "helpdesk",
    title: "Help desk",
    paragraphs,
    tables: [
      {
        caption: "Conversations per person on the shifts they served",
        head: ["Person", "Shifts", ...STAT_HEAD],
        right: [false, true, true, true, true, true],
        rows: desk.people
          .filter((p) => p.conversations > 0 || report.people.find((r) => r.id === p.id)?.served)
          .map((p) => [p.name, String(p.shifts), ...statCells(p)]),
      },
      {
        caption: "Per team",
        head: ["Team", ...STAT_HEAD],
        right,
        rows: desk.teams.map((team) => [teamName(team.id), ...statCells(team)]),
      },
      {
        caption: "Per shift",
        head: ["Shift", ...STAT_HEAD],
        right,
        rows: desk.shifts.map((s) => [s.name, ...statCells(s)]),
      },
    ],
  };
}

/** The sections after the built-in ones, in order. */
export function extraSections(report: Report): PlainSection[] {
  return [helpdeskSection(report)].filter((s): s is PlainSection => s !== undefined);
}
