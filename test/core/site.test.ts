import { describe, expect, test } from "vitest";
import { buildReport } from "../../src/core/report/figures.ts";
import type { NoteRecord } from "../../src/core/report/notes.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import type { ScheduleEntry } from "../../src/core/schedule/schedule.ts";
import { renderSite, type SiteFile } from "../../src/core/site/site.ts";
import { ENTRIES, NOTES, NOW, PLANNED_UNTIL, ROSTER } from "../helpers/report-fixture.ts";

/**
 * The site's pages as HTML, rendered in memory from the hand-worked report
 * fixture (test/helpers/report-fixture.ts); test/site.test.ts opens the
 * written site in a browser.
 */

const ROSTER_WITH_FEEDS: Roster = {
  ...ROSTER,
  calendar: { url: "https://tiny.example/rota" },
};

function site(
  options: { roster?: Roster; entries?: ScheduleEntry[]; notes?: NoteRecord[] } = {},
): Map<string, string> {
  const roster = options.roster ?? ROSTER_WITH_FEEDS;
  const entries = options.entries ?? ENTRIES;
  const notes = options.notes ?? NOTES;
  const report = buildReport({ roster, entries, plannedUntil: PLANNED_UNTIL, notes, now: NOW });
  const files: SiteFile[] = renderSite({
    roster,
    entries,
    plannedUntil: PLANNED_UNTIL,
    report,
    notes,
    now: NOW,
    prompts: { struggles: "What did customers struggle with?" },
  });
  return new Map(files.map((file) => [file.path, file.text]));
}

const page = (pages: Map<string, string>, path: string): string => {
  const text = pages.get(path);
  if (text === undefined) throw new Error(`no ${path} among ${[...pages.keys()].join(", ")}`);
  return text;
};

describe("the site's pages", () => {
  test("a note's markdown is rendered, and nothing typed in it runs, loads or links anywhere but the web", () => {
    const hostile = [
      "Setting up **SSO**: see [the guide](https://example.com/sso)",
      "",
      "- [click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)",
      '- <img src=x onerror="alert(2)"> <script>alert(3)</script> <a href="javascript:alert(4)">a</a>',
      "- ![pixel](https://tracker.example/p.png) <iframe src=https://evil.example></iframe>",
      "",
      "# A heading of its own",
    ].join("\n");
    const notes = NOTES.map((note) =>
      note.file.endsWith("2026-01-05-day-ann.md")
        ? { ...note, entries: [{ ...note.entries[0], answers: { struggles: hostile } }] }
        : note,
    ) as NoteRecord[];
    const text = page(
      site({ notes }),
      "notes/2026/01/2026-01-05-day-ann.md".replace(/\.md$/, ".html"),
    );
    const answer = /<div class="answer">([\s\S]*?)<\/div>/.exec(text)?.[1] ?? "";
    expect(answer).toContain("<strong>SSO</strong>");
    expect(answer).toContain(
      '<a href="https://example.com/sso" rel="nofollow noopener noreferrer">the guide</a>',
    );
    expect(answer).toContain("<ul>");
    // The page keeps one h1 and its outline: a note's heading is an h4.
    expect(answer).toContain("<h4>A heading of its own</h4>");
    expect(text.match(/<h1/g)).toHaveLength(1);
    // Every tag typed is text; links only to http(s); no image is loaded.
    expect(answer).not.toMatch(
      /<(?:script|img|iframe)|<[^>]*\son[a-z]+=|href="(?:javascript|data):/i,
    );
    expect(answer).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    expect(answer).toContain("&lt;script&gt;alert(3)&lt;/script&gt;");
    expect(answer).toContain("[click](javascript:alert(1))");
    const hrefs = [...answer.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    // An address written out becomes a plain link, as any web address in a note does.
    expect(hrefs).toEqual([
      "https://example.com/sso",
      "https://tracker.example/p.png",
      "https://evil.example",
    ]);
  });

  test("no page changes with the clock alone: the same data an hour later gives the same pages", () => {
    const render = (now: number) => {
      const report = buildReport({
        roster: ROSTER_WITH_FEEDS,
        entries: ENTRIES,
        plannedUntil: PLANNED_UNTIL,
        notes: NOTES,
        now,
      });
      return renderSite({
        roster: ROSTER_WITH_FEEDS,
        entries: ENTRIES,
        plannedUntil: PLANNED_UNTIL,
        report,
        notes: NOTES,
        now,
        prompts: {},
      }).map((file) => [file.path, file.text]);
    };
    const pages = render(NOW);
    expect(render(NOW + 60_000)).toEqual(pages);
    // Only the front page names a time: the latest change to the schedule or a note.
    const latest = Math.max(
      ...ENTRIES.map((entry) => Date.parse(entry.changed)),
      ...NOTES.flatMap((note) => note.entries.map((entry) => Date.parse(entry.written))),
    );
    const index = new Map(pages as [string, string][]).get("index.html") ?? "";
    const when = new Intl.DateTimeFormat("en-GB", {
      timeZone: "UTC",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      day: "numeric",
      month: "short",
    }).formatToParts(latest);
    const part = (type: string) => when.find((p) => p.type === type)?.value;
    expect(index).toContain(`${part("day")} ${part("month")} `);
    expect(index).toContain(`, ${part("hour")}:${part("minute")} UTC time.</footer>`);
    for (const [path, text] of pages) {
      if (path !== "index.html")
        expect(text, path).toContain("<footer>Generated by rota.</footer>");
    }
  });

  test("dates and times as people read them, in the team's zone; counts that agree with their nouns", () => {
    const pages = site();
    const index = page(pages, "index.html");
    // The front page says how recent its data is, never when it was built.
    expect(index).toMatch(
      /<footer>Generated by rota from the schedule and notes as of \w{3} \d{1,2} \w{3} 2026, \d{2}:\d{2} UTC time\.<\/footer>/,
    );
    expect(index).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    const note = page(pages, "notes/2026/01/2026-01-26-day-ann.html");
    expect(note).toContain("<h1>Day, Mon 26 Jan 2026: ");
    expect(note).toContain("Entry 1, written Mon 26 Jan 2026, 17:00 UTC time");
    expect(note).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    expect(page(pages, "notes/2026/01/index.html")).toContain("<h1>Field notes, January 2026</h1>");
    expect(page(pages, "report.html")).toContain("From Mon 5 Jan 2026 to Wed 4 Mar 2026.");
    // cat served once, ann four times.
    expect(page(pages, "people/cat.html")).toContain(" 1 shift served in the report's window.");
    expect(page(pages, "people/ann.html")).toMatch(/ \d+ shifts served in the report's window\./);
    expect(page(pages, "notes/index.html")).toContain(
      `${NOTES.length} notes, written after shifts`,
    );
  });

  test("the week is ordered by each shift's local date, then its time, wherever its zone", () => {
    // Thursday's late shift in Los Angeles starts after Friday's early shift
    // in Auckland has: by instant they would read Fri, Thu.
    const roster: Roster = {
      ...ROSTER_WITH_FEEDS,
      shifts: [
        ...ROSTER.shifts,
        {
          id: "late",
          name: "Late",
          days: ["thu"],
          start: "20:00",
          end: "23:00",
          timezone: "America/Los_Angeles",
          seats: [{ role: "any" }],
        },
        {
          id: "early",
          name: "Early",
          days: ["fri"],
          start: "08:00",
          end: "12:00",
          timezone: "Pacific/Auckland",
          seats: [{ role: "any" }],
        },
      ],
    };
    const entries: ScheduleEntry[] = [
      ...ENTRIES,
      {
        id: "2026-03-05/late",
        date: "2026-03-05",
        shift: "late",
        start: "2026-03-05T20:00:00-08:00",
        end: "2026-03-05T23:00:00-08:00",
        people: ["eve"],
        rev: 0,
        changed: "2026-01-01T00:00:00Z",
      },
      {
        id: "2026-03-06/early",
        date: "2026-03-06",
        shift: "early",
        start: "2026-03-06T08:00:00+13:00",
        end: "2026-03-06T12:00:00+13:00",
        people: ["bob"],
        rev: 0,
        changed: "2026-01-01T00:00:00Z",
      },
    ];
    const index = page(site({ roster, entries }), "index.html");
    const week =
      /<caption>Week of Mon 2 Mar 2026 \(this week\)<\/caption>([\s\S]*?)<\/table>/.exec(
        index,
      )?.[1] ?? "";
    const days = [...week.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(days).toEqual(["Mon 2 Mar", "Thu 5 Mar", "Fri 6 Mar"]);
    // The same on a person's page: bob serves both, the earlier date first.
    const bob = page(
      site({
        roster,
        entries: entries.map((e) => (e.id === "2026-03-05/late" ? { ...e, people: ["bob"] } : e)),
      }),
      "people/bob.html",
    );
    const coming =
      /<caption>Bob&#39;s coming shifts<\/caption>([\s\S]*?)<\/table>/.exec(bob)?.[1] ?? "";
    expect(
      [...coming.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]).slice(0, 2),
    ).toEqual(["Thu 5 Mar 2026", "Fri 6 Mar 2026"]);
  });

  test("beside each webcal:// link, the https address to paste and the steps for Google, Outlook and Apple", () => {
    const pages = site();
    for (const [file, feed] of [
      ["index.html", "team.ics"],
      ["people/ann.html", "people/ann.ics"],
    ] as const) {
      const text = page(pages, file);
      expect(text).toContain(`href="webcal://tiny.example/rota/${feed}"`);
      expect(text).toContain(`<code>https://tiny.example/rota/${feed}</code>`);
      for (const app of ["Google Calendar", "Outlook", "Apple Calendar"])
        expect(text).toContain(`<dt>${app}</dt>`);
    }
    // Without a published address there is nothing to paste: the page says how to get one.
    const local = page(site({ roster: ROSTER }), "index.html");
    expect(local).not.toContain("webcal:");
    expect(local).toContain("set <code>calendar.url</code> in the roster");
  });

  test("every table names its scroll region by its caption and can be reached by keyboard, and labels each cell for a phone", () => {
    const report = page(site(), "report.html");
    const regions = [
      ...report.matchAll(/<div class="table-wrap"([^>]*)><table>\n<caption>([^<]*)<\/caption>/g),
    ];
    expect(regions.length).toBeGreaterThan(3);
    for (const [, attributes, caption] of regions)
      expect(attributes).toBe(` role="region" tabindex="0" aria-label="${caption}"`);
    expect(report).toContain('<td data-label="Standing">');
  });
});
