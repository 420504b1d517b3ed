import { counted } from "../render/human.ts";
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
  /** Which columns hold people's names (a terminal cuts them no shorter than a name's floor). */
  names?: boolean[];
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
  const sources = desk.sources
    .map((s) => `${s.file} (${s.format}, ${counted(s.rows, "row")})`)
    .join(", ");
  const paragraphs = [
    `${counted(t.conversations, "conversation")} handled on shifts, from ${sources}. Everyone is measured alike, leadership included.`,
  ];
  const unjoined = desk.unmatched.total;
  if (unjoined > 0) {
    paragraphs.push(
      `${counted(unjoined, "row")} ${unjoined === 1 ? "was" : "were"} not joined to a shift: ${desk.unmatched.reasons
        .map(
          (r) =>
            `${r.count} ${r.explanation}${r.examples.length > 0 ? ` (${r.examples.map((e) => `${e.value}: ${e.count}`).join(", ")})` : ""}`,
        )
        .join("; ")}.`,
    );
  } else if (t.rows > 0) {
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
        names: [true],
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

/** How many fixes the front line proposed in the window, how many were done, and the open ones. */
export function fixesSummary(report: Report): string {
  const f = report.fixes;
  if (f.proposed === 0) return "No fixes proposed in the window.";
  return `${counted(f.proposed, "fix", "fixes")} proposed in the window: ${f.done} done, ${f.wontfix} won't be done, ${f.open} open.`;
}

/** The fixes section: proposed vs done, and every open fix, oldest first. */
export function fixesSection(report: Report): PlainSection {
  const names = new Map(report.people.map((p) => [p.id, p.name]));
  const open = report.fixes.openList;
  return {
    id: "fixes",
    title: "Fixes",
    paragraphs: [
      fixesSummary(report),
      open.length === 0
        ? "No fix is open."
        : `${counted(open.length, "fix", "fixes")} open, oldest first. Record what became of one with \`rota fix <id> done|wontfix|link URL\`.`,
    ],
    tables:
      open.length === 0
        ? []
        : [
            {
              caption: "Open fixes, oldest first",
              head: ["Fix", "Id", "Proposed by", "On", "Age (days)", "Links"],
              right: [false, false, false, false, true, false],
              names: [false, false, true, false, false, false],
              rows: open.map((fix) => [
                fix.text,
                fix.id,
                names.get(fix.person) ?? fix.person,
                fix.date,
                String(fix.age),
                fix.links.join(" "),
              ]),
            },
          ],
  };
}

/** The sections after the built-in ones, in order. */
export function extraSections(report: Report): PlainSection[] {
  return [fixesSection(report), helpdeskSection(report)].filter(
    (s): s is PlainSection => s !== undefined,
  );
}
