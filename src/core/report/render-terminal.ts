import {
  type Cell,
  type Column,
  cutText,
  fitTable,
  NAME_MIN,
  wholeItems,
  wrapText,
} from "../render/fit.ts";
import { counted } from "../render/human.ts";
import { PLAIN, type Style, visibleLength } from "../render/style.ts";
import type { Quote, Report, ThemeFigures } from "./figures.ts";
import { extraSections } from "./sections.ts";
import {
  bar,
  decimal,
  decimalCount,
  headline,
  lastMonths,
  NOTHING_RECURS,
  percent,
  quotaNow,
  signed,
  sparkline,
  standing,
  teamName,
  themeCount,
} from "./words.ts";

/** How many months the terminal's trend columns show. */
const TREND_MONTHS = 12;
const BAR = 12;

export interface TerminalOptions {
  /** A note file as the reader can open it (relative to where they are). */
  link?: (file: string) => string;
  /** The terminal's width: tables and prose fit it (see `fitTable`); no limit when absent. */
  width?: number | undefined;
}

/**
 * The report for a terminal: tables, small bar charts and sparklines, fit to
 * the terminal's width. Where a table is too wide, the bar charts go first,
 * then long text is cut, then columns are left out — participation: the
 * quota, the team, the last shift served, the next shift, in that order;
 * newcomers: the days after joining, then the day they joined.
 */
export function renderReportText(
  report: Report,
  style: Style = PLAIN,
  options: TerminalOptions = {},
): string {
  const link = options.link ?? ((file: string) => file);
  const out: string[] = [];
  const names = new Map(report.people.map((p) => [p.id, p.name]));
  const name = (id: string) => names.get(id) ?? id;
  const width = options.width;
  const head = (cells: string[]) => cells.map((cell) => style.dim(cell));
  const table = (rows: Cell[][], columns: Column[]) =>
    fitTable(rows, columns, { width, indent: "  " });
  const prose = (text: string, indent = "", paint = (line: string) => line) =>
    wrapText(text, width, indent).map((line) => paint(line));

  out.push(
    style.bold(`${report.team} support report, ${report.window.since} to ${report.window.until}`),
    ...prose(headline(report)),
  );

  // Participation.
  const maxServed = Math.max(1, ...report.people.map((p) => p.served));
  out.push("", style.bold("Participation"));
  out.push(
    ...table(
      [
        head(["Person", "Team", "Served", "", "Last served", "Next shift", "Quota", "Standing"]),
        ...report.people.map((p) => [
          p.active ? p.name : style.dim(p.name),
          teamName(p.team),
          String(p.served),
          style.cyan(bar(p.served, maxServed, BAR)),
          p.lastServed?.date ?? "never",
          p.nextShift?.date ?? "—",
          p.quota ? `every ${p.quota.every}: ${quotaNow(p.quota)}` : "—",
          p.overdue ? style.red(style.bold(standing(p))) : standing(p),
        ]),
      ],
      [
        { min: NAME_MIN },
        { min: 8, drop: 2 },
        { right: true },
        { decoration: true },
        { drop: 3 },
        { drop: 4 },
        { min: 16, drop: 1 },
        { min: 40 },
      ],
    ),
  );

  // Teams.
  const maxTeam = Math.max(1, ...report.teams.map((t) => t.served));
  out.push("", style.bold("Teams"));
  out.push(
    ...table(
      [
        head(["Team", "People", "Served", "", "Per person", "Overdue", "With notes"]),
        ...report.teams.map((t) => [
          teamName(t.id),
          String(t.active),
          String(t.served),
          style.cyan(bar(t.served, maxTeam, BAR)),
          t.active === 0 ? "—" : decimal(t.served / t.active),
          t.overdue > 0 ? style.red(String(t.overdue)) : "0",
          percent(t.notesShare),
        ]),
      ],
      [
        { min: 12 },
        { right: true },
        { right: true },
        { decoration: true },
        { right: true },
        { right: true },
        { right: true },
      ],
    ),
  );

  // Fairness.
  const measured = report.people.filter((p) => p.expected > 0 || p.served > 0);
  const maxDev = Math.max(0.5, ...measured.map((p) => Math.abs(p.deviation)));
  out.push(
    "",
    style.bold("Fairness"),
    ...prose(
      `Shifts served against each person's fair share of the window (each day's seats divided as evenly as roles, shift lists, availability, weights and min_gap_days allow). Spread ${decimalCount(report.fairness.spread, "shift")} (largest minus smallest difference), standard deviation ${decimal(report.fairness.stdDev)}.`,
      "  ",
      style.dim,
    ),
  );
  out.push(
    ...table(
      [
        head(["Person", "Served", "Fair share", "Difference", ""]),
        ...measured.map((p) => {
          const barWidth = 8;
          const below = p.deviation < 0 ? bar(-p.deviation, maxDev, barWidth) : "";
          const above = p.deviation > 0 ? bar(p.deviation, maxDev, barWidth) : "";
          return [
            p.name,
            String(p.served),
            decimal(p.expected),
            signed(p.deviation),
            `${" ".repeat(barWidth - [...below].length)}${style.yellow(below)}│${style.cyan(above)}`,
          ];
        }),
      ],
      [{ min: NAME_MIN }, { right: true }, { right: true }, { right: true }, { decoration: true }],
    ),
  );

  // Notes.
  const t = report.totals;
  out.push(
    "",
    style.bold("Notes"),
    `  ${t.withNotes} of ${t.shifts} served shifts have notes (${percent(t.notesShare)}).`,
  );
  const missing = report.people.filter((p) => p.notes.missing.length > 0);
  if (missing.length > 0) {
    const maxMissing = Math.max(...missing.map((p) => p.notes.missing.length));
    // Occurrence ids are never cut: a narrow column leaves out the older ones.
    const latest = missing.map((p) => wholeItems(p.notes.missing.slice(-3).reverse()));
    out.push(
      ...table(
        [
          head(["Person", "Without notes", "", "Latest without"]),
          ...missing.map((p, i) => [
            p.name,
            String(p.notes.missing.length),
            style.yellow(bar(p.notes.missing.length, maxMissing, BAR)),
            latest[i]?.cell ?? "",
          ]),
        ],
        [
          { min: NAME_MIN },
          { right: true },
          { decoration: true },
          { min: Math.max(...latest.map((ids) => ids.min)) },
        ],
      ),
    );
  }

  // Themes.
  const { themes } = report;
  out.push("", style.bold("Themes"));
  if (themes.tags.length > 0) {
    const shown = lastMonths(themes.months, themes.months, TREND_MONTHS).months;
    const maxTag = Math.max(...themes.tags.map((tag) => tag.count));
    out.push(
      ...table(
        [
          head([
            "Tag",
            "Notes",
            "",
            `By month, ${shown[0] ?? ""} to ${shown[shown.length - 1] ?? ""}`,
          ]),
          ...themes.tags
            .slice(0, 15)
            .map((tag) => [
              `#${tag.tag}`,
              String(tag.count),
              style.cyan(bar(tag.count, maxTag, BAR)),
              sparkline(lastMonths(themes.months, tag.byMonth, TREND_MONTHS).values),
            ]),
        ],
        [{ min: 12 }, { right: true }, { decoration: true }, {}],
      ),
    );
    if (themes.tags.length > 15)
      out.push(style.dim(`  … and ${themes.tags.length - 15} more tags`));
  } else {
    out.push("  No tags in the window's notes.");
  }
  // A quote on one line with who said it and the note's path; where that is
  // too wide, the quote on its own line (cut to fit), then who and when, then
  // the path (never cut: it is what to open).
  const quoteLines = (quote: Quote): string[] => {
    const who = `— ${name(quote.person)}, ${quote.date}`;
    const file = style.dim(link(quote.file));
    const line = `      “${quote.text}” ${who}  ${file}`;
    if (width === undefined || visibleLength(line) <= width) return [line];
    const text = `      “${cutText(quote.text, Math.max(12, width - 8))}”`;
    const by = `        ${cutText(who, Math.max(12, width - 8))}`;
    const both = `${by}  ${file}`;
    return visibleLength(both) <= width ? [text, both] : [text, by, `        ${file}`];
  };
  const themeLines = (title: string, list: ThemeFigures[]) => {
    out.push("", `  ${style.bold(title)}`);
    if (list.length === 0) out.push(`    ${NOTHING_RECURS}`);
    for (const theme of list) {
      out.push(`    ${style.bold(theme.term)} ${style.dim(`(${themeCount(theme.count)})`)}`);
      for (const quote of theme.quotes) out.push(...quoteLines(quote));
    }
  };
  themeLines("What customers struggled with", themes.struggles);
  themeLines("One thing to fix", themes.fix);

  const handled = lastMonths(themes.months, themes.handled.byMonth, TREND_MONTHS);
  out.push(
    "",
    `  ${style.bold("Conversations handled")}: ${decimal(themes.handled.total)} over ${counted(themes.handled.shifts, "shift")} with a count${themes.handled.shifts > 0 ? ` (${decimal(themes.handled.total / themes.handled.shifts)} a shift)` : ""}`,
    `    by month: ${sparkline(handled.values)}  ${style.dim(`${handled.months[0] ?? ""} to ${handled.months[handled.months.length - 1] ?? ""}`)}`,
  );
  const mood = themes.mood;
  out.push(
    "",
    `  ${style.bold("How shifts felt")} (1 rough to 5 great): ${mood.average === null ? "no answers" : `${decimal(mood.average)} on average over ${counted(mood.count, "shift")}`}`,
  );
  if (mood.count > 0) {
    const maxMood = Math.max(...mood.distribution);
    const width = String(maxMood).length;
    mood.distribution.forEach((count, i) => {
      out.push(
        `    ${i + 1}  ${String(count).padStart(width)} ${style.cyan(bar(count, maxMood, BAR))}`.trimEnd(),
      );
    });
  }

  // Newcomers and swaps.
  out.push("", style.bold("Newcomers"));
  if (report.newcomers.length === 0) out.push("  Nobody joined in the window.");
  else {
    // The occurrence id stays whole; what follows it is cut, or left out.
    const firstShift = (shift: Report["newcomers"][number]["firstShift"]): Cell => {
      if (!shift) return "none yet";
      const rest = `${shift.served ? "" : " (planned)"}${shift.with.length > 0 ? ` with ${shift.with.map(name).join(", ")}` : ""}`;
      if (rest === "") return shift.id;
      return {
        text: `${shift.id}${rest}`,
        cut: (room) =>
          room >= shift.id.length + 4
            ? `${shift.id}${cutText(rest, room - shift.id.length)}`
            : shift.id,
      };
    };
    const longestId = Math.max(0, ...report.newcomers.map((n) => n.firstShift?.id.length ?? 0));
    out.push(
      ...table(
        [
          head(["Person", "Joined", "First shift", "Days after joining", "On time"]),
          ...report.newcomers.map((n) => [
            n.name,
            n.joined,
            firstShift(n.firstShift),
            n.daysAfterJoining === null ? "—" : String(n.daysAfterJoining),
            n.onTime === null
              ? "—"
              : n.onTime
                ? `yes (within ${n.within})`
                : style.red(`no (within ${n.within})`),
          ]),
        ],
        [
          { min: NAME_MIN },
          { drop: 2 },
          { min: Math.max(24, longestId) },
          { right: true, drop: 1 },
          {},
        ],
      ),
    );
  }
  out.push("", style.bold("Swaps"));
  if (report.swaps.length === 0) out.push("  No swaps in the window.");
  else {
    out.push(
      ...table(
        [
          head(["Shift", "Out", "In", "Status", "Reason"]),
          ...report.swaps.map((s) => [
            s.occurrence,
            name(s.out),
            name(s.in),
            s.status === "not-applied" ? style.yellow("not in the schedule") : s.status,
            s.reason ?? "",
          ]),
        ],
        [{}, { min: NAME_MIN }, { min: NAME_MIN }, {}, { min: 12 }],
      ),
    );
  }
  for (const section of extraSections(report)) {
    out.push("", style.bold(section.title));
    for (const paragraph of section.paragraphs) out.push(...prose(paragraph, "  "));
    for (const t of section.tables) {
      out.push("", `  ${style.dim(t.caption)}`);
      out.push(
        ...table(
          [head(t.head), ...t.rows],
          // Figures stay whole; text is cut, the first column and people's names last.
          t.right.map((right, i) =>
            right ? { right } : { min: t.names?.[i] ? NAME_MIN : i === 0 ? 16 : 10 },
          ),
        ),
      );
    }
  }
  return `${out.join("\n")}\n`;
}
