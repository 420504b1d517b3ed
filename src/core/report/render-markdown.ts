import { counted } from "../render/human.ts";
import { escapeMarkdown } from "../render/style.ts";
import type { Report, ThemeFigures } from "./figures.ts";
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

export interface MarkdownOptions {
  /** A note file as a relative link from where the markdown will live. */
  link?: (file: string) => string;
}

const TREND_MONTHS = 12;
const BAR = 10;

/** A link target: every path segment percent-encoded, so `(`, `)` and spaces cannot end it. */
export function markdownHref(path: string): string {
  return path
    .split("/")
    .map((segment) =>
      segment === ".." || segment === "."
        ? segment
        : encodeURIComponent(segment).replace(/[()]/g, (c) => (c === "(" ? "%28" : "%29")),
    )
    .join("/");
}

/**
 * The report as GitHub-flavoured markdown, to commit as REPORT.md or post in
 * a job summary: the same sections as the terminal, as tables, with every
 * name, tag and quote escaped and each quote linked to its note file.
 */
export function renderReportMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const link = options.link ?? ((file: string) => file);
  const md = escapeMarkdown;
  const names = new Map(report.people.map((p) => [p.id, p.name]));
  const name = (id: string) => md(names.get(id) ?? id);
  const out: string[] = [];
  const table = (header: string[], align: string, rows: string[][]) => {
    out.push(
      "",
      `| ${header.join(" | ")} |`,
      `| ${header.map((_, i) => (align[i] === "r" ? "---:" : "---")).join(" | ")} |`,
      ...rows.map((row) => `| ${row.map((cell) => (cell === "" ? " " : cell)).join(" | ")} |`),
    );
  };

  out.push(
    `# ${md(report.team)} support report, ${report.window.since} to ${report.window.until}`,
    "",
    md(headline(report)),
  );

  out.push("", "## Participation");
  const maxServed = Math.max(1, ...report.people.map((p) => p.served));
  table(
    ["Person", "Team", "Served", "Last served", "Next shift", "Quota", "Standing"],
    "  r",
    report.people.map((p) => [
      md(p.name),
      md(teamName(p.team)),
      `${p.served} ${bar(p.served, maxServed, BAR)}`.trim(),
      p.lastServed?.date ?? "never",
      p.nextShift?.date ?? "—",
      p.quota ? md(`every ${p.quota.every}: ${quotaNow(p.quota)}`) : "—",
      p.overdue ? `**${md(standing(p))}**` : md(standing(p)),
    ]),
  );

  out.push("", "## Teams");
  table(
    ["Team", "People", "Served", "Per person", "Overdue", "With notes"],
    " rrrrr",
    report.teams.map((t) => [
      md(teamName(t.id)),
      String(t.active),
      String(t.served),
      t.active === 0 ? "—" : decimal(t.served / t.active),
      t.overdue > 0 ? `**${t.overdue}**` : "0",
      percent(t.notesShare),
    ]),
  );

  out.push(
    "",
    "## Fairness",
    "",
    md(
      `Shifts served in the window against each person's fair share of them (each day's seats divided as evenly as roles, shift lists, availability, weights and min_gap_days allow). Spread: ${decimalCount(report.fairness.spread, "shift")} (largest minus smallest difference); standard deviation ${decimal(report.fairness.stdDev)}.`,
    ),
  );
  table(
    ["Person", "Served", "Fair share", "Difference"],
    " rrr",
    report.people
      .filter((p) => p.expected > 0 || p.served > 0)
      .map((p) => [md(p.name), String(p.served), decimal(p.expected), signed(p.deviation)]),
  );

  const t = report.totals;
  out.push(
    "",
    "## Notes",
    "",
    `${t.withNotes} of ${t.shifts} served shifts have notes (${percent(t.notesShare)}).`,
  );
  const missing = report.people.filter((p) => p.notes.missing.length > 0);
  if (missing.length > 0) {
    table(
      ["Person", "Without notes", "Latest without"],
      " r",
      missing.map((p) => [
        md(p.name),
        String(p.notes.missing.length),
        p.notes.missing.slice(-3).reverse().map(md).join(", "),
      ]),
    );
  }

  const { themes } = report;
  out.push("", "## Themes", "", "### Tags");
  if (themes.tags.length === 0) out.push("", "No tags in the window's notes.");
  else {
    const shown = lastMonths(themes.months, themes.months, TREND_MONTHS).months;
    const maxTag = Math.max(...themes.tags.map((tag) => tag.count));
    table(
      ["Tag", "Notes", `By month, ${shown[0]} to ${shown[shown.length - 1]}`],
      " r",
      themes.tags.map((tag) => [
        md(tag.tag),
        `${tag.count} ${bar(tag.count, maxTag, BAR)}`,
        sparkline(lastMonths(themes.months, tag.byMonth, TREND_MONTHS).values),
      ]),
    );
  }
  const quotes = (title: string, list: ThemeFigures[]) => {
    out.push("", `### ${title}`, "");
    if (list.length === 0) out.push(NOTHING_RECURS);
    for (const theme of list) {
      out.push(`- **${md(theme.term)}** (${themeCount(theme.count)})`);
      for (const quote of theme.quotes) {
        out.push(
          `  - “${md(quote.text)}” — ${name(quote.person)}, [${md(quote.occurrence)}](${markdownHref(link(quote.file))})`,
        );
      }
    }
  };
  quotes("What customers struggled with", themes.struggles);
  quotes("One thing to fix", themes.fix);

  out.push(
    "",
    "### Conversations handled",
    "",
    `${decimal(themes.handled.total)} ${themes.handled.total === 1 ? "conversation" : "conversations"} over ${counted(themes.handled.shifts, "shift")} that gave a count.`,
  );
  const handled = lastMonths(themes.months, themes.handled.byMonth, TREND_MONTHS);
  const moods = lastMonths(themes.months, themes.mood.byMonth, TREND_MONTHS);
  if (handled.months.length > 0) {
    table(
      ["Month", "Conversations", "Mood"],
      " rr",
      handled.months.map((month, i) => [
        month,
        decimal(handled.values[i] ?? 0),
        moods.values[i] === null || moods.values[i] === undefined
          ? "—"
          : decimal(moods.values[i] as number),
      ]),
    );
  }
  const mood = themes.mood;
  out.push(
    "",
    "### How shifts felt",
    "",
    mood.average === null
      ? "No shift said how it felt."
      : `${decimal(mood.average)} on average (1 rough to 5 great) over ${counted(mood.count, "shift")}.`,
  );
  if (mood.count > 0) {
    const maxMood = Math.max(...mood.distribution);
    table(
      ["Felt", "Shifts"],
      " r",
      mood.distribution.map((count, i) => [String(i + 1), `${count} ${bar(count, maxMood, BAR)}`]),
    );
  }

  out.push("", "## Newcomers");
  if (report.newcomers.length === 0) out.push("", "Nobody joined in the window.");
  else {
    table(
      ["Person", "Joined", "First shift", "Days after joining", "On time"],
      "   r",
      report.newcomers.map((n) => [
        md(n.name),
        n.joined,
        n.firstShift
          ? `${md(n.firstShift.id)}${n.firstShift.served ? "" : " (planned)"}${n.firstShift.with.length > 0 ? ` with ${n.firstShift.with.map(name).join(", ")}` : ""}`
          : "none yet",
        n.daysAfterJoining === null ? "—" : String(n.daysAfterJoining),
        n.onTime === null
          ? "—"
          : n.onTime
            ? `yes (within ${n.within})`
            : `**no** (within ${n.within})`,
      ]),
    );
  }
  out.push("", "## Swaps");
  if (report.swaps.length === 0) out.push("", "No swaps in the window.");
  else {
    table(
      ["Shift", "Out", "In", "Status", "Reason"],
      "",
      report.swaps.map((s) => [
        md(s.occurrence),
        name(s.out),
        name(s.in),
        s.status === "not-applied" ? "not in the schedule" : s.status,
        md(s.reason ?? ""),
      ]),
    );
  }
  for (const section of extraSections(report)) {
    out.push("", `## ${md(section.title)}`);
    for (const paragraph of section.paragraphs) out.push("", md(paragraph));
    for (const t of section.tables) {
      out.push("", `**${md(t.caption)}**`);
      table(
        t.head.map(md),
        t.right.map((r) => (r ? "r" : " ")).join(""),
        t.rows.map((row) => row.map(md)),
      );
    }
  }
  out.push("", `_Generated by \`rota report\` at ${report.now}._`);
  return `${out.join("\n")}\n`;
}
