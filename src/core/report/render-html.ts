import {
  type HtmlValue,
  hrefPath,
  html,
  renderPage,
  type SafeHtml,
  type StyleBlock,
  table,
  withCode,
} from "../render/html.ts";
import { counted, everyPeriod, humanDate, humanInstant, humanMonth } from "../render/human.ts";
import { markdownInline } from "../render/markdown.ts";
import { barChart, columnChart, divergingChart } from "../render/svg.ts";
import type { Report, ThemeFigures } from "./figures.ts";
import { extraSections } from "./sections.ts";
import {
  decimal,
  decimalCount,
  headline,
  NOTHING_RECURS,
  percent,
  quotaNow,
  signed,
  standing,
  teamName,
  themeCount,
} from "./words.ts";

export interface HtmlOptions {
  /** A note file (`notes/…md`) as a link from the page. */
  link?: (file: string) => string;
  /** A person's page, when there is one (the site). */
  personHref?: (id: string) => string | undefined;
}

/** How many tags get a chart of their own. */
const TAG_CHARTS = 6;

/**
 * The report's sections as HTML: the same figures as the other formats, each
 * table with its headings and caption, the charts as inline SVG beside them.
 */
export function renderReportBody(report: Report, options: HtmlOptions = {}): SafeHtml {
  const link = options.link ?? ((file: string) => file);
  const names = new Map(report.people.map((p) => [p.id, p.name]));
  const person = (id: string): HtmlValue => {
    const href = options.personHref?.(id);
    const label = names.get(id) ?? id;
    return href ? html`<a href="${href}">${label}</a>` : label;
  };
  const t = report.totals;
  const { themes } = report;
  const monthLabels = themes.months.map((month) => humanMonth(month, "short"));
  const measured = report.people.filter((p) => p.expected > 0 || p.served > 0);

  const quotes = (title: string, id: string, list: ThemeFigures[]) =>
    html`<h3 id="${id}">${title}</h3>${
      list.length === 0
        ? html`<p>${NOTHING_RECURS}</p>`
        : html`<ul>${list.map(
            (theme) =>
              html`<li><strong>${theme.term}</strong> (${themeCount(theme.count)})${theme.quotes.map(
                (quote) =>
                  html`<blockquote><p>“${markdownInline(quote.text)}”</p><p class="muted">— ${person(quote.person)}, <a href="${hrefPath(link(quote.file))}">${quote.occurrence}</a></p></blockquote>`,
              )}</li>`,
          )}</ul>`
    }`;

  return html`<h1>${report.team} support report</h1>
<p class="muted">From ${humanDate(report.window.since)} to ${humanDate(report.window.until)}.</p>
<p>${headline(report)}</p>

<h2 id="participation">Participation</h2>
${table({
  caption: "Shifts served per person, their quota and standing",
  head: ["Person", "Team", "#Served", "Last served", "Next shift", "Quota", "Standing"],
  rows: report.people.map((p) => [
    person(p.id),
    teamName(p.team),
    p.served,
    p.lastServed ? humanDate(p.lastServed.date) : "never",
    p.nextShift ? humanDate(p.nextShift.date) : "—",
    p.quota ? `every ${everyPeriod(p.quota.every)}: ${quotaNow(p.quota)}` : "—",
    p.overdue ? html`<span class="warn">${withCode(standing(p))}</span>` : withCode(standing(p)),
  ]),
})}
<figure>${barChart(
    "Shifts served per person",
    report.people.map((p) => ({ label: p.name, value: p.served, warn: p.overdue })),
  )}<figcaption>Shifts served per person (overdue people in red)</figcaption></figure>

<h2 id="teams">Teams</h2>
${table({
  caption: "Shifts served per team",
  head: ["Team", "#People", "#Served", "#Per person", "#Overdue", "#With notes"],
  rows: report.teams.map((team) => [
    teamName(team.id),
    team.active,
    team.served,
    team.active === 0 ? "—" : decimal(team.served / team.active),
    team.overdue > 0 ? html`<span class="warn">${team.overdue}</span>` : 0,
    percent(team.notesShare),
  ]),
})}
<figure>${barChart(
    "Shifts served per team",
    report.teams.map((team) => ({ label: teamName(team.id), value: team.served })),
  )}<figcaption>Shifts served per team</figcaption></figure>

<h2 id="fairness">Fairness</h2>
<p>Shifts served in the window against each person's fair share of them (each day's seats divided as evenly as roles, shift lists, availability, weights and min_gap_days allow). Spread: ${decimalCount(report.fairness.spread, "shift")} (largest minus smallest difference); standard deviation ${decimal(report.fairness.stdDev)}.</p>
${table({
  caption: "Served against fair share",
  head: ["Person", "#Served", "#Fair share", "#Difference"],
  rows: measured.map((p) => [person(p.id), p.served, decimal(p.expected), signed(p.deviation)]),
})}
<figure>${divergingChart(
    "Difference from fair share, in shifts",
    measured.map((p) => ({ label: p.name, value: p.deviation })),
  )}<figcaption>Difference from fair share, in shifts (below the share in red)</figcaption></figure>

<h2 id="notes">Notes</h2>
<p>${t.withNotes} of ${counted(t.shifts, "served shift")} ${t.withNotes === 1 ? "has" : "have"} notes (${percent(t.notesShare)}).</p>
${
  report.people.some((p) => p.notes.missing.length > 0)
    ? table({
        caption: "Served shifts without notes",
        head: ["Person", "#Without notes", "Latest without"],
        rows: report.people
          .filter((p) => p.notes.missing.length > 0)
          .map((p) => [
            person(p.id),
            p.notes.missing.length,
            p.notes.missing.slice(-3).reverse().join(", "),
          ]),
      })
    : ""
}

<h2 id="themes">Themes</h2>
<h3 id="tags">Tags</h3>
${
  themes.tags.length === 0
    ? html`<p>No tags in the window's notes.</p>`
    : html`${table({
        caption: "Tags in the notes",
        head: ["Tag", "#Notes"],
        rows: themes.tags.map((tag) => [tag.tag, tag.count]),
      })}<div class="charts">${themes.tags
        .slice(0, TAG_CHARTS)
        .map(
          (tag) =>
            html`<figure>${columnChart(`Notes tagged ${tag.tag}, by month`, monthLabels, tag.byMonth)}<figcaption>#${tag.tag} by month</figcaption></figure>`,
        )}</div>`
}
${quotes("What customers struggled with", "struggles", themes.struggles)}
${quotes("One thing to fix", "fix", themes.fix)}
<h3 id="handled">Conversations handled</h3>
<p>${decimal(themes.handled.total)} ${themes.handled.total === 1 ? "conversation" : "conversations"} over ${counted(themes.handled.shifts, "shift")} that gave a count.</p>
<figure>${columnChart("Conversations handled by month", monthLabels, themes.handled.byMonth)}<figcaption>Conversations handled by month</figcaption></figure>
<h3 id="mood">How shifts felt</h3>
<p>${themes.mood.average === null ? "No shift said how it felt." : `${decimal(themes.mood.average)} on average (1 rough to 5 great) over ${counted(themes.mood.count, "shift")}.`}</p>
${
  themes.mood.count > 0
    ? html`<figure>${barChart(
        "How shifts felt, from 1 (rough) to 5 (great)",
        themes.mood.distribution.map((count, i) => ({ label: String(i + 1), value: count })),
      )}<figcaption>How many shifts felt 1 (rough) to 5 (great)</figcaption></figure>
${table({
  caption: "Conversations and mood by month",
  head: ["Month", "#Conversations", "#Mood"],
  rows: themes.months.map((month, i) => [
    humanMonth(month),
    decimal(themes.handled.byMonth[i] ?? 0),
    themes.mood.byMonth[i] === null || themes.mood.byMonth[i] === undefined
      ? "—"
      : decimal(themes.mood.byMonth[i] as number),
  ]),
})}`
    : ""
}

<h2 id="newcomers">Newcomers</h2>
${
  report.newcomers.length === 0
    ? html`<p>Nobody joined in the window.</p>`
    : table({
        caption: "Newcomers' first shifts",
        head: ["Person", "Joined", "First shift", "#Days after joining", "On time"],
        rows: report.newcomers.map((n) => [
          person(n.id),
          n.joined,
          n.firstShift
            ? html`${n.firstShift.id}${n.firstShift.served ? "" : " (planned)"}${
                n.firstShift.with.length > 0
                  ? html` with ${n.firstShift.with.map((id, i) => html`${i > 0 ? ", " : ""}${person(id)}`)}`
                  : ""
              }`
            : "none yet",
          n.daysAfterJoining ?? "—",
          n.onTime === null
            ? "—"
            : n.onTime
              ? `yes (within ${n.within})`
              : html`<span class="warn">no (within ${n.within})</span>`,
        ]),
      })
}

<h2 id="swaps">Swaps</h2>
${
  report.swaps.length === 0
    ? html`<p>No swaps in the window.</p>`
    : table({
        caption: "Swaps made",
        head: ["Shift", "Out", "In", "Status", "Reason"],
        rows: report.swaps.map((s) => [
          s.occurrence,
          person(s.out),
          person(s.in),
          s.status === "not-applied" ? "not in the schedule" : s.status,
          s.reason ?? "",
        ]),
      })
}
${extraSections(report).map(
  (section) =>
    html`<h2 id="${section.id}">${section.title}</h2>${section.paragraphs.map((p) => html`<p>${p}</p>`)}${section.tables.map(
      (t) =>
        table({
          caption: t.caption,
          head: t.head.map((h, i) => (t.right[i] && i > 0 ? `#${h}` : h)),
          rows: t.rows,
        }),
    )}`,
)}`;
}

/** The style blocks the report's body uses (see renderReportBody). */
export const REPORT_STYLES: readonly StyleBlock[] = ["table", "status", "code", "quote", "chart"];

/** `rota report --format html`: one self-contained page. */
export function renderReportHtml(report: Report, options: HtmlOptions = {}): string {
  return renderPage({
    title: `${report.team} support report`,
    styles: REPORT_STYLES,
    body: renderReportBody(report, options),
    generated: humanInstant(report.now),
  });
}
