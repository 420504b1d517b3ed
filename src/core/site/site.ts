import { feedUrl, webcalUrl } from "../calendar/settings.ts";
import { type Day, mondayOf, toDay } from "../dates.ts";
import { type Answer, answerTo } from "../notes/template.ts";
import { type ResolvedShift, resolveShift } from "../plan/shifts.ts";
import { remembered } from "../remembered.ts";
import {
  escapeHtml,
  type HtmlValue,
  hrefPath,
  html,
  raw,
  renderPage,
  type SafeHtml,
  type StyleBlock,
  table,
  withCode,
} from "../render/html.ts";
import { counted, everyPeriod, humanInstant, humanMonth } from "../render/human.ts";
import { markdownHtml } from "../render/markdown.ts";
import { formatDay, formatSpan, otherZone, zoneCity } from "../render/rota.ts";
import type { Report } from "../report/figures.ts";
import { latestNumber, type NoteRecord } from "../report/notes.ts";
import { REPORT_STYLES, renderReportBody } from "../report/render-html.ts";
import { quotaNow, standing, teamName } from "../report/words.ts";
import type { Roster } from "../roster/model.ts";
import { type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import { dayOf, parseIsoInstant } from "../time.ts";

/**
 * The static site: plain HTML files that any static host serves (GitHub or
 * GitLab Pages), with no server, no script and no external asset. Pure:
 * every page is rendered in memory, and the command writes them.
 *
 *   index.html                    now on support, this week and the coming weeks, everyone
 *   people/<id>.html              a person's shifts, standing and calendar links
 *   report.html                   the report, charts as inline SVG
 *   notes/index.html              the notes by month
 *   notes/YYYY/MM/index.html      one month's notes
 *   notes/…/<note>.html           one note (the same path as its .md source)
 *
 * The calendar feeds sit beside the pages, where `rota calendar --out` puts
 * them (`team.ics`, `people/<id>.ics`), so the published URLs do not change.
 */

export interface SiteInput {
  roster: Roster;
  entries: readonly ScheduleEntry[];
  plannedUntil?: string;
  report: Report;
  notes: readonly NoteRecord[];
  /** Epoch milliseconds. */
  now: number;
  /** The notes template's question prompts, by id. */
  prompts: Readonly<Record<string, string>>;
  /** How many weeks the front page shows (default 6: this week and five more). */
  weeks?: number;
}

export interface SiteFile {
  /** `/`-separated, below the site's directory. */
  path: string;
  /**
   * The page, rendered when read (again at each read): 50,000 notes make
   * some 300 MB of pages, so the command writes each as it is rendered
   * instead of holding them all.
   */
  readonly text: string;
}

/**
 * A page rendered when its text is read. A class, not an object literal with
 * a getter: each literal's getter is its own closure, which V8 keeps in the
 * object's hidden class, so 50,000 pages made 50,000 hidden classes (some
 * 25 MB); these share one.
 */
class LazyPage implements SiteFile {
  readonly path: string;
  readonly #render: () => string;
  constructor(path: string, render: () => string) {
    this.path = path;
    this.#render = render;
  }
  get text(): string {
    return this.#render();
  }
}

function lazy(path: string, render: () => string): SiteFile {
  return new LazyPage(path, render);
}

interface Timed {
  entry: ScheduleEntry;
  start: number;
  end: number;
}

/**
 * A shift is listed under its local date: order by that date, then by when
 * it starts (a shift in another zone can start the evening before, in the
 * team's zone, a shift dated the day before it).
 */
function byLocalDate(a: Timed, b: Timed): number {
  return (
    (a.entry.date < b.entry.date ? -1 : a.entry.date > b.entry.date ? 1 : 0) ||
    a.start - b.start ||
    (a.entry.id < b.entry.id ? -1 : 1)
  );
}

/*
 * The style blocks each kind of page uses (see styleSheet in render/html.ts):
 * a browser test checks that each page looks the same with the whole sheet.
 */
const FRONT_STYLES: readonly StyleBlock[] = ["table", "status", "now", "code", "feed"];
const PERSON_STYLES: readonly StyleBlock[] = ["table", "status", "callout", "code", "feed"];
const NOTES_STYLES: readonly StyleBlock[] = ["table", "tag", "code"];
const MONTH_STYLES: readonly StyleBlock[] = ["table", "tag"];
const NOTE_STYLES: readonly StyleBlock[] = ["tag", "code", "answer", "quote"];

/** A note's page, beside where its source would be: `notes/2026/11/x.md` → `notes/2026/11/x.html`. */
export function notePagePath(file: string): string {
  return file.replace(/\.md$/, ".html");
}

/** The page of a month's notes: `2026-11` → `notes/2026/11/index.html`. */
function monthPagePath(month: string): string {
  return `notes/${month.slice(0, 4)}/${month.slice(5, 7)}/index.html`;
}

/**
 * The notes whose page would be one of the site's indexes (a note file named
 * index.md in notes/ or in a month's folder) and would replace it, each with
 * the index it would replace: the site leaves these out, for pages never to
 * collide.
 */
export function notesReplacingIndexes(
  notes: readonly NoteRecord[],
): { note: NoteRecord; index: string }[] {
  const indexes = new Set(["notes/index.html"]);
  for (const note of notes) indexes.add(monthPagePath(note.date.slice(0, 7)));
  return notes
    .map((note) => ({ note, index: notePagePath(note.file) }))
    .filter(({ index }) => indexes.has(index));
}

/** Every page of the site. */
export function renderSite(input: SiteInput): SiteFile[] {
  const { roster, report, now } = input;
  const zone = roster.timezone;
  const today = dayOf(now, zone);
  const shifts = new Map<string, ResolvedShift>(
    roster.shifts.map((shift) => [shift.id, resolveShift(shift, zone)]),
  );
  // People removed from the roster keep the name the report gives them (its
  // history's), but not a page: removing someone takes their page down.
  const names = new Map(report.people.map((p) => [p.id, p.name]));
  for (const person of roster.people) names.set(person.id, person.name);
  const paged = new Set(roster.people.map((p) => p.id));
  /** An instant in the team's zone, saying which: `Tue 24 Nov 2026, 18:00 Berlin time`. */
  const city = zoneCity(zone);
  // Each written time and each day is put in words once, however many pages
  // show it: notes written at the end of one shift share their time, and
  // every note's day is on its own page and on its month's.
  const at = remembered((iso) => `${humanInstant(iso, zone)} ${city} time`);
  const noteDay = remembered(dayInWords);
  const entryDay = remembered((date: string) => formatDay(toDay(date)));
  // No page shows the time of the run, so that a run with nothing changed
  // writes nothing: the front page says how recent the data is instead.
  const asOf = latestChange(input.entries, input.notes);
  const timed: Timed[] = input.entries
    .map((entry) => ({
      entry,
      start: parseIsoInstant(entry.start) ?? Number.NaN,
      end: parseIsoInstant(entry.end) ?? Number.NaN,
    }))
    .filter((item) => !Number.isNaN(item.start))
    .sort((a, b) => a.start - b.start || (a.entry.id < b.entry.id ? -1 : 1));
  const noteByKey = new Map<string, NoteRecord>();
  for (const note of input.notes) {
    const key = `${note.occurrence}\u0000${note.person}`;
    if (!noteByKey.has(key)) noteByKey.set(key, note);
  }

  /** A person's name, linked to their page when they have one. */
  const personLink =
    (root: string) =>
    (id: string): HtmlValue =>
      paged.has(id)
        ? html`<a href="${root}people/${id}.html">${names.get(id) ?? id}</a>`
        : (names.get(id) ?? id);
  const peopleList = (ids: readonly string[], root: string, open = 0): HtmlValue => {
    const link = personLink(root);
    const items: HtmlValue[] = ids.map((id, i) => html`${i > 0 ? ", " : ""}${link(id)}`);
    if (open > 0)
      items.push(html`${ids.length > 0 ? ", " : ""}<span class="warn">${open} open</span>`);
    return items.length > 0 ? items : html`<span class="warn">nobody</span>`;
  };
  const when = (entry: ScheduleEntry) => {
    const shift = shifts.get(entry.shift);
    const other = otherZone(entry, shift, zone);
    // `Berlin time`; an offset (`UTC-05:00`) needs no word after it.
    return `${formatSpan(entry, shift)}${other === undefined ? "" : ` ${other}${shift ? " time" : ""}`}`;
  };
  const shiftName = (id: string) => shifts.get(id)?.name ?? id;

  const files: SiteFile[] = [];

  // index.html
  const onNow = timed.filter((item) => item.start <= now && now < item.end);
  const firstWeek = mondayOf(today);
  const plannedUntil = input.plannedUntil ? toDay(input.plannedUntil) : undefined;
  const lastDay = Math.min(
    firstWeek + 7 * (input.weeks ?? 6),
    plannedUntil ?? Number.POSITIVE_INFINITY,
  );
  const weeks = new Map<Day, Timed[]>();
  for (const item of timed) {
    const day = toDay(item.entry.date);
    if (day < firstWeek || day >= lastDay) continue;
    const week = mondayOf(day);
    const list = weeks.get(week) ?? [];
    list.push(item);
    weeks.set(week, list);
  }
  for (const list of weeks.values()) list.sort(byLocalDate);
  const feedLinks = (feed: string, fromRoot: string, label: string): SafeHtml => {
    const base = roster.calendar?.url;
    const subscribe = base ? webcalUrl(base, feed) : undefined;
    const address = base ? feedUrl(base, feed) : undefined;
    const local =
      feed.startsWith("people/") && fromRoot === "../" ? feed.slice(7) : `${fromRoot}${feed}`;
    return html`<p class="actions">${
      subscribe ? html`<a class="button" href="${subscribe}">Subscribe to ${label}</a>` : ""
    }<a class="button" href="${local}" download>Download ${label} (.ics)</a></p>${
      subscribe && address
        ? html`<p class="feed">The calendar's address, to paste into a calendar app: <code>${address}</code></p>
<details class="steps"><summary>How to subscribe in Google Calendar, Outlook or Apple Calendar</summary><dl>
<dt>Google Calendar</dt><dd>On a computer, open Google Calendar; beside <strong>Other calendars</strong> choose <strong>+</strong>, then <strong>From URL</strong>; paste the address above and choose <strong>Add calendar</strong>. It appears on your phone too.</dd>
<dt>Outlook</dt><dd>In Outlook on the web or the new Outlook, open the calendar and choose <strong>Add calendar</strong>, then <strong>Subscribe from web</strong>; paste the address above, name the calendar and choose <strong>Import</strong>.</dd>
<dt>Apple Calendar</dt><dd>On a Mac, choose <strong>File</strong>, <strong>New Calendar Subscription</strong>, paste the address above and choose <strong>Subscribe</strong>. On an iPhone or iPad, tap <strong>Subscribe</strong> on this page, or go to <strong>Settings</strong>, <strong>Calendar</strong>, <strong>Accounts</strong>, <strong>Add Account</strong>, <strong>Other</strong>, <strong>Add Subscribed Calendar</strong> and paste it.</dd>
</dl><p class="muted">A subscribed calendar follows every change to the rota; calendar apps check for changes every few hours. A downloaded file does not change.</p></details>`
        : html`<p class="muted">To subscribe instead, add this file's published address to your calendar app (set <code>calendar.url</code> in the roster for a subscribe link).</p>`
    }`;
  };

  files.push(
    lazy("index.html", () =>
      renderPage({
        title: `${roster.team} support rota`,
        nav: true,
        styles: FRONT_STYLES,
        ...(asOf ? { asOf: at(asOf) } : {}),
        body: html`<h1>${roster.team} support rota</h1>
<section class="now" aria-labelledby="now"><h2 id="now">On support now</h2>${
          onNow.length === 0
            ? html`<p>Nobody is on a shift right now.${
                timed.find((item) => item.start > now)
                  ? html` Next: ${(() => {
                      const next = timed.find((item) => item.start > now) as Timed;
                      return html`${shiftName(next.entry.shift)}, ${formatDay(toDay(next.entry.date))} ${when(next.entry)}: ${peopleList(next.entry.people, "", next.entry.open ?? 0)}`;
                    })()}.`
                  : ""
              }</p>`
            : html`<ul>${onNow.map(
                (item) =>
                  html`<li>${shiftName(item.entry.shift)} (${when(item.entry)}): ${peopleList(servedBy(item.entry), "", item.entry.open ?? 0)}</li>`,
              )}</ul>`
        }</section>
<h2 id="weeks">This week and the coming weeks</h2>
<p class="muted">Times are local to each shift: ${zoneCity(zone)} time unless noted.</p>
${
  weeks.size === 0
    ? html`<p>Nothing is planned from this week on: run <code>rota plan</code>.</p>`
    : [...weeks.entries()].map(([week, list]) =>
        table({
          caption: `Week of ${formatDay(week)}${week === firstWeek ? " (this week)" : ""}`,
          head: ["Day", "Shift", "Time", "People"],
          rows: list.map((item) => [
            formatDay(toDay(item.entry.date), false),
            shiftName(item.entry.shift),
            when(item.entry),
            peopleList(servedBy(item.entry), "", item.entry.open ?? 0),
          ]),
        }),
      )
}
<h2 id="calendar">The team calendar</h2>
${feedLinks("team.ics", "", "the team calendar")}
<h2 id="people">Everyone</h2>
${table({
  caption: "Everyone on the rota",
  head: ["Person", "Team", "Next shift", "Standing"],
  // Everyone in the rota today or about to join it: people who left are on the report.
  rows: report.people
    .filter((p) => p.standing.status !== "left")
    .map((p) => [
      personLink("")(p.id),
      teamName(p.team),
      p.nextShift ? `${formatDay(toDay(p.nextShift.date))}, ${shiftName(p.nextShift.shift)}` : "—",
      p.overdue ? html`<span class="warn">${withCode(standing(p))}</span>` : withCode(standing(p)),
    ]),
})}
<p><a href="report.html">The report</a>: who has served, who is overdue, fairness and what customers keep saying. <a href="notes/index.html">The field notes</a>.</p>`,
      }),
    ),
  );

  // people/<id>.html
  for (const person of report.people) {
    if (!paged.has(person.id)) continue;
    files.push(lazy(`people/${person.id}.html`, () => personPage(person)));
  }
  // Each person's shifts, in the order of `timed`: one pass, not one per person.
  const byPerson = new Map<string, Timed[]>();
  for (const item of timed) {
    for (const id of new Set(servedBy(item.entry))) {
      const list = byPerson.get(id);
      if (list) list.push(item);
      else byPerson.set(id, [item]);
    }
  }
  function personPage(person: Report["people"][number]): string {
    const mine = [...(byPerson.get(person.id) ?? [])].sort(byLocalDate);
    const coming = mine.filter((item) => item.start >= now);
    const past = mine.filter((item) => item.start < now).reverse();
    const shown = past.slice(0, 100);
    const others = (item: Timed): HtmlValue => {
      const ids = servedBy(item.entry).filter((id) => id !== person.id);
      return ids.length === 0 && !item.entry.open
        ? "—"
        : peopleList(ids, "../", item.entry.open ?? 0);
    };
    return renderPage({
      title: `${person.name}: support shifts`,
      root: "../",
      nav: true,
      styles: PERSON_STYLES,
      body: html`<h1>${person.name}</h1>
<p>${person.team ? html`Team ${person.team}. ` : ""}${person.weight !== 1 ? `Weight ${person.weight}. ` : ""}${
        person.quota
          ? `Serves every ${everyPeriod(person.quota.every)}: ${quotaNow(person.quota)}.`
          : "No quota."
      } ${counted(person.served, "shift")} served in the report's window.${
        person.standing.status === "joining"
          ? ` Joins the rota on ${person.joined}.`
          : person.standing.status === "left"
            ? ` No longer in the rota: left on ${person.left}.`
            : ""
      }</p>
${
  person.overdue
    ? html`<p class="callout">Overdue: ${withCode(standing(person).replace(/^overdue: /, ""))}.</p>`
    : ["away", "unplaced", "unknown"].includes(person.standing.status)
      ? html`<p>Standing: ${withCode(person.standing.summary)}.</p>`
      : ""
}
<h2 id="calendar">Calendar</h2>
${feedLinks(`people/${person.id}.ics`, "../", `${person.name}'s shifts`)}
<h2 id="coming">Coming shifts</h2>
${
  coming.length === 0
    ? html`<p>None planned.</p>`
    : table({
        caption: `${person.name}'s coming shifts`,
        head: ["Date", "Shift", "Time", "With"],
        rows: coming.map((item) => [
          entryDay(item.entry.date),
          shiftName(item.entry.shift),
          when(item.entry),
          others(item),
        ]),
      })
}
<h2 id="served">Shifts served</h2>
${
  past.length === 0
    ? html`<p>None yet.</p>`
    : html`${table({
        caption: `${person.name}'s shifts served, latest first`,
        head: ["Date", "Shift", "With", "Notes"],
        rows: shown.map((item) => {
          const note = noteByKey.get(`${item.entry.id}\u0000${person.id}`);
          return [
            entryDay(item.entry.date),
            shiftName(item.entry.shift),
            others(item),
            note
              ? html`<a href="../${hrefPath(notePagePath(note.file))}">notes</a>`
              : html`<span class="muted">none</span>`,
          ];
        }),
      })}${past.length > shown.length ? html`<p class="muted">And ${counted(past.length - shown.length, "earlier shift")}.</p>` : ""}`
}
<p><a href="../index.html">Back to the rota</a></p>`,
    });
  }

  // report.html
  files.push(
    lazy("report.html", () =>
      renderPage({
        title: `${roster.team} support report`,
        nav: true,
        styles: REPORT_STYLES,
        body: renderReportBody(report, {
          link: (file) => notePagePath(file),
          personHref: (id) => (paged.has(id) ? `people/${id}.html` : undefined),
        }),
      }),
    ),
  );

  // notes/index.html, notes/YYYY/MM/index.html, and one page per note.
  const byMonth = new Map<string, NoteRecord[]>();
  for (const note of input.notes) {
    const month = note.date.slice(0, 7);
    const list = byMonth.get(month) ?? [];
    list.push(note);
    byMonth.set(month, list);
  }
  const months = [...byMonth.keys()].sort().reverse();
  files.push(
    lazy("notes/index.html", () =>
      renderPage({
        title: `${roster.team} field notes`,
        root: "../",
        nav: true,
        styles: NOTES_STYLES,
        body: html`<h1>Field notes</h1>
<p>${counted(input.notes.length, "note")}, written after shifts with <code>rota notes</code>.</p>
${
  months.length === 0
    ? html`<p>No notes yet.</p>`
    : table({
        caption: "Notes by month, latest first",
        head: ["Month", "#Notes", "Tags"],
        rows: months.map((month) => {
          const list = byMonth.get(month) ?? [];
          return [
            html`<a href="${month.slice(0, 4)}/${month.slice(5, 7)}/index.html">${humanMonth(month)}</a>`,
            list.length,
            topTags(list, 5).map((tag) => html`<span class="tag">${tag}</span>`),
          ];
        }),
      })
}`,
      }),
    ),
  );
  for (const month of months) {
    const list = [...(byMonth.get(month) ?? [])].sort((a, b) =>
      a.date === b.date ? (a.file < b.file ? -1 : 1) : a.date < b.date ? -1 : 1,
    );
    const root = "../../../";
    const monthName = humanMonth(month);
    const monthPath = monthPagePath(month);
    files.push(
      lazy(monthPath, () =>
        renderPage({
          title: `Field notes, ${monthName}`,
          root,
          nav: true,
          styles: MONTH_STYLES,
          body: html`<h1>Field notes, ${monthName}</h1>
${table({
  caption: `The notes of ${monthName}`,
  head: ["Note", "Shift", "Person", "Tags", "#Handled", "#Mood"],
  rows: list.map((note) => [
    html`<a href="${root}${hrefPath(notePagePath(note.file))}">${noteDay(note.date)}</a>`,
    shiftName(note.shift),
    personLink(root)(note.person),
    note.tags.map((tag) => html`<span class="tag">${tag}</span>`),
    latestNumber(note, "handled") ?? "—",
    latestNumber(note, "mood") ?? "—",
  ]),
})}
<p><a href="${root}notes/index.html">All months</a></p>`,
        }),
      ),
    );
    for (const note of list) {
      files.push(lazy(notePagePath(note.file), () => notePage(note, month, monthName)));
    }
  }
  // A note's page is built as one string: 50,000 of them, each through nested
  // templates and arrays of pieces, made much of the site's garbage. Every
  // value is escaped as the `html` template escapes it.
  const answerHeading = remembered(
    (id: string) => `<h3>${escapeHtml(answerTo(input.prompts, id) ?? id)}</h3><div class="answer">`,
  );
  const writtenAt = remembered((iso: string) => escapeHtml(at(iso)));
  function notePage(note: NoteRecord, month: string, monthName: string): string {
    const depth = note.file.split("/").length - 1;
    const noteRoot = "../".repeat(depth);
    const name = names.get(note.person) ?? note.person;
    const person = html`${personLink(noteRoot)(note.person)}`.value;
    let body = `<h1>${escapeHtml(shiftName(note.shift))}, ${escapeHtml(noteDay(note.date))}: ${person}</h1>
<p class="muted">Occurrence ${escapeHtml(note.occurrence)}. Source: <code>${escapeHtml(note.file)}</code>.</p>
`;
    if (note.tags.length > 0) {
      body += "<p>Tags: ";
      for (const tag of note.tags) body += `<span class="tag">${escapeHtml(tag)}</span>`;
      body += "</p>";
    }
    body += "\n";
    note.entries.forEach((entry, i) => {
      const written = writtenAt(entry.written);
      body += `<section aria-labelledby="entry-${i + 1}"><h2 id="entry-${i + 1}">${
        note.entries.length > 1 ? `Entry ${i + 1}, written ${written}` : `Written ${written}`
      }</h2>`;
      for (const [id, answer] of Object.entries(entry.answers)) {
        body += `${answerHeading(id)}${answerHtml(answer).value}</div>`;
      }
      body += "</section>";
    });
    body += `
<p><a href="${noteRoot}notes/${escapeHtml(month.slice(0, 4))}/${escapeHtml(month.slice(5, 7))}/index.html">The notes of ${escapeHtml(monthName)}</a></p>`;
    return renderPage({
      title: `${shiftName(note.shift)}, ${noteDay(note.date)}: ${name}`,
      root: noteRoot,
      nav: true,
      styles: NOTE_STYLES,
      body: raw(body),
    });
  }
  return files;
}

/**
 * The latest change the site shows, as an ISO instant: the last time the
 * schedule changed (an entry's `changed`) or a note was written.
 */
function latestChange(
  entries: readonly ScheduleEntry[],
  notes: readonly NoteRecord[],
): string | undefined {
  let latest: string | undefined;
  let latestMs = Number.NEGATIVE_INFINITY;
  const consider = (iso: string) => {
    const ms = parseIsoInstant(iso);
    if (ms !== undefined && ms > latestMs) {
      latestMs = ms;
      latest = iso;
    }
  };
  for (const entry of entries) consider(entry.changed);
  for (const note of notes) for (const entry of note.entries) consider(entry.written);
  return latest;
}

/** An answer on its note's page: text as markdown (see markdown.ts), anything else in words. */
function answerHtml(answer: Answer): SafeHtml {
  if (Array.isArray(answer)) return html`<p>${answer.join(", ")}</p>`;
  if (typeof answer === "boolean") return html`<p>${answer ? "yes" : "no"}</p>`;
  if (typeof answer === "string") return markdownHtml(answer);
  return html`<p>${String(answer)}</p>`;
}

/** A note's date (`YYYY-MM-DD`) as a day: `Tue 24 Nov 2026`. */
function dayInWords(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? formatDay(toDay(date)) : date;
}

function topTags(notes: readonly NoteRecord[], count: number): string[] {
  const counts = new Map<string, number>();
  for (const note of notes)
    for (const tag of note.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, count)
    .map(([tag]) => tag);
}
