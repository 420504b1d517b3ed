import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, test } from "vitest";
import { escapeHtml, html, raw } from "../../src/core/render/html.ts";
import { buildReport } from "../../src/core/report/figures.ts";
import { renderReportHtml } from "../../src/core/report/render-html.ts";
import { markdownHref, renderReportMarkdown } from "../../src/core/report/render-markdown.ts";
import { renderReportText } from "../../src/core/report/render-terminal.ts";
import { bar, sparkline } from "../../src/core/report/words.ts";
import { ENTRIES, NOTES, NOW, PLANNED_UNTIL, ROSTER } from "../helpers/report-fixture.ts";

const HOSTILE_NAME = 'Ann <script>alert("name")</script> & | *Co* [x](y)';
const HOSTILE_TAG = "<b>tag</b>";
const HOSTILE_TEXT = "SSO <script>alert('note')</script> & \"quotes\"";

/** The fixture with a name, a tag and note text that would break naive markup. */
function hostileReport() {
  const roster = {
    ...ROSTER,
    people: ROSTER.people.map((p) => (p.id === "ann" ? { ...p, name: HOSTILE_NAME } : p)),
  };
  const notes = NOTES.map((note) =>
    note.person === "ann"
      ? {
          ...note,
          tags: [...note.tags, HOSTILE_TAG],
          entries: note.entries.map((entry) =>
            entry.answers.struggles
              ? { ...entry, answers: { ...entry.answers, struggles: HOSTILE_TEXT } }
              : entry,
          ),
        }
      : note,
  );
  return buildReport({ roster, entries: ENTRIES, plannedUntil: PLANNED_UNTIL, notes, now: NOW });
}

type Node = { type: string; children?: Node[]; value?: string; url?: string; depth?: number };

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

function textOf(node: Node): string {
  if (node.value !== undefined) return node.value;
  return (node.children ?? []).map(textOf).join("");
}

describe("the markdown report", () => {
  const report = hostileReport();
  const text = renderReportMarkdown(report, { link: (file) => `../${file}` });
  const tree = fromMarkdown(text, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  }) as unknown as Node;

  test("parses as GFM: the headings and tables of every section", () => {
    const headings: string[] = [];
    const tables: string[][] = [];
    walk(tree, (node) => {
      if (node.type === "heading") headings.push(`${node.depth} ${textOf(node)}`);
      if (node.type === "table") {
        const header = node.children?.[0];
        tables.push((header?.children ?? []).map(textOf));
      }
    });
    expect(headings).toEqual([
      "1 Tiny & Co support report, 2026-01-05 to 2026-03-04",
      "2 Participation",
      "2 Teams",
      "2 Fairness",
      "2 Notes",
      "2 Themes",
      "3 Tags",
      "3 What customers struggled with",
      "3 One thing to fix",
      "3 Conversations handled",
      "3 How shifts felt",
      "2 Newcomers",
      "2 Swaps",
      "2 Fixes",
    ]);
    expect(tables[0]).toEqual([
      "Person",
      "Team",
      "Served",
      "Last served",
      "Next shift",
      "Quota",
      "Standing",
    ]);
    // The last: the fixes still open, oldest first.
    expect(tables[tables.length - 1]).toEqual([
      "Fix",
      "Id",
      "Proposed by",
      "On",
      "Age (days)",
      "Links",
    ]);
    expect(tables).toHaveLength(10);
  });

  test("names, tags and quotes stay text, whole, in their cells", () => {
    const cells: string[] = [];
    const html: string[] = [];
    walk(tree, (node) => {
      if (node.type === "tableCell") cells.push(textOf(node));
      if (node.type === "html") html.push(node.value ?? "");
    });
    expect(html).toEqual([]);
    expect(cells).toContain(HOSTILE_NAME);
    expect(cells).toContain(HOSTILE_TAG);
    // The participation row of ann still has its seven cells.
    const rows: string[][] = [];
    walk(tree, (node) => {
      if (node.type === "tableRow") rows.push((node.children ?? []).map(textOf));
    });
    const ann = rows.find((row) => row[0] === HOSTILE_NAME);
    expect(ann).toHaveLength(7);
  });

  test("quotes link to their note files, relative to where the report lives", () => {
    const links: { url: string; text: string }[] = [];
    walk(tree, (node) => {
      if (node.type === "link") links.push({ url: node.url ?? "", text: textOf(node) });
    });
    expect(links).toContainEqual({
      url: "../notes/2026/01/2026-01-26-day-ann.md",
      text: "2026-01-26/day",
    });
    const paragraphs: string[] = [];
    walk(tree, (node) => {
      if (node.type === "listItem") paragraphs.push(textOf(node));
    });
    expect(paragraphs.some((p) => p.includes(`“${HOSTILE_TEXT}”`))).toBe(true);
    expect(markdownHref("../notes/a (b).md")).toBe("../notes/a%20%28b%29.md");
  });
});

describe("the terminal report", () => {
  test("tables with bar charts and sparklines", () => {
    const text = renderReportText(
      buildReport({
        roster: ROSTER,
        entries: ENTRIES,
        plannedUntil: PLANNED_UNTIL,
        notes: NOTES,
        now: NOW,
      }),
    );
    expect(text).toContain("Tiny & Co support report, 2026-01-05 to 2026-03-04");
    expect(text).toContain(
      "9 shifts served by 4 of 5 active people; 56% with notes; 1 overdue; fairness spread 4 shifts.",
    );
    expect(text).toMatch(
      /Ann +eng +4 +█{12} +2026-03-02 +2026-03-23 +every 1 month: served in 2026-03 +ok/,
    );
    expect(text).toMatch(
      /Eve +eng +0 +never +— +every 1 month: none in 2026-03 +overdue: missed 2026-02; no seat could be found in 2026-03/,
    );
    expect(text).toContain("#billing      3  ████████████  █▄·");
    expect(text).toContain(
      "“SSO login loops with Azure AD” — Ann, 2026-01-26  notes/2026/01/2026-01-26-day-ann.md",
    );
    expect(text).not.toContain("\u001b[");
  });

  test("bars and sparklines", () => {
    expect(bar(5, 10, 4)).toBe("██");
    expect(bar(1, 10, 4)).toBe("▍");
    expect(bar(0, 10, 4)).toBe("");
    expect(sparkline([0, 1, 2, 4, null])).toBe("·▂▄█·");
  });
});

describe("HTML", () => {
  test("one escaping function, applied to every interpolated value", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
    const name = "<script>alert(1)</script>";
    expect(html`<p title="${name}">${name}${raw("<br>")}${[name, 1]}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;script&gt;alert(1)&lt;/script&gt;1</p>',
    );
  });

  test("a standing that names a command sets it as code", () => {
    // Eve served in February, and nothing is served or planned for her in March.
    const entries = [
      ...ENTRIES,
      {
        ...(ENTRIES[0] as (typeof ENTRIES)[number]),
        id: "2026-02-25/day",
        date: "2026-02-25",
        start: "2026-02-25T09:00:00Z",
        end: "2026-02-25T17:00:00Z",
        people: ["eve"],
      },
    ];
    const report = buildReport({
      roster: ROSTER,
      entries,
      plannedUntil: PLANNED_UNTIL,
      notes: [],
      now: NOW,
    });
    expect(report.people.find((p) => p.id === "eve")?.standing.status).toBe("unplaced");
    const page = renderReportHtml(report);
    expect(page).toContain("no seat could be found: see <code>rota plan</code> warnings");
    expect(page).not.toMatch(/class="warn">no seat/);
    expect(renderReportMarkdown(report)).toContain(
      "no seat could be found: see \\`rota plan\\` warnings",
    );
  });

  test("the report page carries no script and no markup from the data", () => {
    const page = renderReportHtml(hostileReport(), { link: (file) => file });
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain(
      "Ann &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; | *Co* [x](y)",
    );
    // A quote is a note's markdown, rendered with its tags as text.
    expect(page).toContain(
      "SSO &lt;script&gt;alert('note')&lt;/script&gt; &amp; &quot;quotes&quot;",
    );
    expect(page).toContain("&lt;b&gt;tag&lt;/b&gt;");
    expect(page).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });
});
