/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The page.evaluate callbacks below run in the browser, against its DOM.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ALL_STYLES, CONTRAST_PAIRS, PALETTE, styleSheet } from "../src/core/render/html.ts";
import { markdownParsed } from "../src/core/render/markdown.ts";
import {
  browserTestsRun,
  contrastRatio,
  launchBrowser,
  lookWithWholeSheet,
  serveDirectory,
} from "./helpers/browser.ts";
import { ROOT, rota } from "./helpers/cli.ts";
import { editFile } from "./helpers/edit.ts";
import { AFTER_SHIFTS, teamRepo } from "./helpers/git.ts";
import { suiteTempDir } from "./helpers/tmp.ts";

/**
 * rota site, rendered in real headless Chromium: DOM assertions on every kind
 * of page, escaping of hostile names, tags and note text, no script and no
 * external request, and a screenshot of each page kept in test-artifacts/site/.
 */

const at = { ROTA_NOW: AFTER_SHIFTS };
const SCRIPT_NOTE =
  "SSO: customers pasted <script>alert('xss')</script> & \"quotes\" into the form";
const HOSTILE_NAME = `Tim "TBL" Berners-Lee & <i>Co</i>`;
const HOSTILE_TAG = "<b>bold</b>";
/** Markdown a note may hold: rendered, but nothing in it runs or loads. */
const HOSTILE_MARKDOWN =
  'Setting up **SSO** with Okta, see [the guide](https://example.com/sso); [click me](javascript:alert(1)) <img src=x onerror=alert(1)> <script>alert(2)</script> ![pixel](https://tracker.example/p.png) <a href="javascript:alert(3)">x</a>';
const ARTIFACTS = path.join(ROOT, "test-artifacts", "site");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** A short note from each of `people` on their shift, not committed. */
async function shortNotes(dir: string, people: string[]): Promise<void> {
  for (const person of people) {
    const note = await rota(
      ["notes", "--no-commit", "--as", person, "--answer", "struggles=SSO", "--answer", "fix=Docs"],
      { cwd: dir, env: at },
    );
    expect(note.code, note.stderr).toBe(0);
  }
}

let builtSite: Promise<string> | undefined;

/**
 * The example team with a hostile name, three notes (one hostile), and its
 * site, in `dir`: built once per file, then copied as it was written (times
 * and all). Returns the site's directory.
 */
async function siteRepo(dir: string): Promise<string> {
  builtSite ??= buildSiteRepo(suiteTempDir());
  cpSync(await builtSite, dir, { recursive: true, preserveTimestamps: true });
  return path.join(dir, "public");
}

/** Builds the team, its notes and its site in `dir`; returns `dir`. */
async function buildSiteRepo(dir: string): Promise<string> {
  await teamRepo(dir);
  const roster = path.join(dir, "roster.yaml");
  // Steve joins on the day of his first shift; Susan's parental leave starts
  // today, after her shift of the 23rd.
  writeFileSync(
    roster,
    readFileSync(roster, "utf8")
      .replace("name: Tim Berners-Lee", `name: '${HOSTILE_NAME.replaceAll("'", "''")}'`)
      .replace(/(id: steve\n(?: {4}.*\n)*? {4}joined: )2025-01-10/, "$12026-12-01")
      .replace(
        "{ from: 2026-12-07, to: 2026-12-18, reason: parental leave }",
        "{ from: 2026-11-24, to: 2026-12-18, reason: parental leave }",
      ),
  );
  for (const [person, struggles, tags] of [
    ["ada", HOSTILE_MARKDOWN, "sso, billing"],
    ["grace", SCRIPT_NOTE, `sso, ${HOSTILE_TAG}`],
    ["katherine", "Invoices in the wrong currency", "billing"],
  ] as const) {
    const result = await rota(
      [
        "notes",
        "--no-commit",
        "--as",
        person,
        "--answer",
        `struggles=${struggles}`,
        "--answer",
        "fix=Document the SAML metadata URL",
        "--answer",
        "handled=4",
        "--answer",
        `tags=${tags}`,
        "--answer",
        "mood=4",
      ],
      { cwd: dir, env: at },
    );
    expect(result.code, result.stderr).toBe(0);
  }
  const site = await rota(["site"], { cwd: dir, env: at });
  expect(site.code, site.stderr).toBe(0);
  return dir;
}

describe("rota site", () => {
  test("writes the pages and the feeds, all relative; the page of someone who left goes, their feed stays", async () => {
    const dir = suiteTempDir();
    const out = await siteRepo(dir);
    const files = (sub: string) => readdirSync(path.join(out, sub)).sort();
    expect(files(".")).toEqual([
      ".rota-manifest",
      "index.html",
      "notes",
      "people",
      "report.html",
      "team.ics",
    ]);
    expect(files("people")).toContain("ada.html");
    expect(files("people")).toContain("ada.ics");
    expect(files("notes/2026/11")).toEqual([
      "2026-11-23-americas-ada.html",
      "2026-11-24-emea-grace.html",
      "2026-11-24-emea-katherine.html",
      "index.html",
    ]);
    // Nothing points outside the site but the published calendar (webcal://)
    // and the links people wrote in their notes.
    for (const file of ["index.html", "people/ada.html", "report.html", "notes/index.html"]) {
      const text = readFileSync(path.join(out, file), "utf8");
      expect(text).not.toMatch(/<script/i);
      const external = [...text.matchAll(/(?:href|src)="([a-z][a-z0-9+.-]*:[^"]*)"/g)].map(
        (m) => m[1],
      );
      // The report quotes Ada's note, which links to the web.
      const fromNotes =
        file === "report.html" ? ["https://example.com/sso", "https://tracker.example/p.png"] : [];
      for (const url of external.filter((url) => !fromNotes.includes(url as string)))
        expect(url).toMatch(/^webcal:\/\/acme\.github\.io\/support\//);
    }

    // A note's markdown is rendered; the HTML, links and images typed in it are not.
    const ada = readFileSync(path.join(out, "notes/2026/11/2026-11-23-americas-ada.html"), "utf8");
    expect(ada).toContain("<strong>SSO</strong>");
    expect(ada).toContain('<a href="https://example.com/sso" rel="nofollow noopener noreferrer">');
    expect(ada).not.toMatch(/<script|<img|href="javascript|<[^>]*\sonerror=/i);
    expect(ada).toContain("&lt;img src=x onerror=alert(1)&gt;");

    const again = await rota(["site"], { cwd: dir, env: at });
    expect(again.stderr).toMatch(
      /^public: 24 pages and 18 calendar feeds; wrote 0 files, 42 unchanged\n$/,
    );

    const roster = path.join(dir, "roster.yaml");
    editFile(roster, / {2}- id: luca\n(?: {4}.*\n)+/, "");
    writeFileSync(path.join(out, "people", "keep.txt"), "not rota's\n");
    const removed = await rota(["site", "--out", "public"], { cwd: dir, env: at });
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(path.join(out, "people/luca.html"))).toBe(false);
    // His feed stays, as his last: calendars subscribed to it keep hearing of his shifts.
    expect(readFileSync(path.join(out, "people/luca.ics"), "utf8")).toContain(
      "X-WR-CALNAME:Acme support: Luca Pacioli\r\n",
    );
    expect(existsSync(path.join(out, "people/keep.txt"))).toBe(true);
  });

  test("a run with nothing changed but the clock writes nothing; a changed note rewrites only the pages that show it", async () => {
    const dir = suiteTempDir();
    const out = await siteRepo(dir);
    /** Every file below the site, with its inode and modification time. */
    const files = (sub = "."): Map<string, string> =>
      new Map(
        readdirSync(path.join(out, sub), { withFileTypes: true }).flatMap((entry) => {
          const file = path.posix.join(sub, entry.name);
          if (entry.isDirectory()) return [...files(file)];
          const stats = statSync(path.join(out, file), { bigint: true });
          return [[file, `${stats.ino}:${stats.mtimeNs}`] as [string, string]];
        }),
      );
    const changedSince = (before: Map<string, string>) => {
      const after = files();
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      return [...after].filter(([file, stamp]) => before.get(file) !== stamp).map(([f]) => f);
    };
    // The front page says how recent the data is (the notes were written at
    // 18:00), and no page says when the site was built.
    const index = readFileSync(path.join(out, "index.html"), "utf8");
    expect(index).toContain(
      "<footer>Generated by rota from the schedule and notes as of Tue 24 Nov 2026, 18:00 Berlin time.</footer>",
    );
    expect(readFileSync(path.join(out, "report.html"), "utf8")).toContain(
      "<footer>Generated by rota.</footer>",
    );

    const first = files();
    const later = await rota(["site"], {
      cwd: dir,
      env: { ROTA_NOW: "2026-11-24T19:00:00+01:00" },
    });
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).toMatch(/; wrote 0 files, 42 unchanged\n$/);
    expect(changedSince(first)).toEqual([]);

    const note = path.join(dir, "notes/2026/11/2026-11-24-emea-katherine.md");
    editFile(note, "Invoices in the wrong currency", "Invoices in the wrong currency, twice");
    const edited = await rota(["site"], { cwd: dir, env: at });
    expect(edited.code, edited.stderr).toBe(0);
    const rewritten = changedSince(first);
    // Her note's page, and the report, which quotes what customers said.
    expect(rewritten).toContain("notes/2026/11/2026-11-24-emea-katherine.html");
    expect(rewritten.filter((file) => file !== "report.html")).toEqual([
      "notes/2026/11/2026-11-24-emea-katherine.html",
    ]);
    expect(edited.stderr).toMatch(
      new RegExp(`; wrote ${rewritten.length} files?, ${42 - rewritten.length} unchanged\n$`),
    );
  });

  test("a notes template that cannot be read: the site is written, and the warning says why and where", async () => {
    const dir = await teamRepo(suiteTempDir());
    editFile(path.join(dir, "roster.yaml"), "\nteam: ", "\nnotes:\n  template: ask.md\nteam: ");
    writeFileSync(path.join(dir, "ask.md"), "---\nquestions: 5\n---\n");
    const result = await rota(["site"], { cwd: dir, env: at });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      "warning: the notes template cannot be read, so notes show question ids: ask.md:2:12: questions must be a list with at least one question\n",
    );
    expect(existsSync(path.join(dir, "public", "index.html"))).toBe(true);
  });

  test("a note named index.md is left out with a warning, never replacing an index page", async () => {
    const dir = await teamRepo(suiteTempDir());
    await shortNotes(dir, ["grace", "katherine"]);
    renameSync(
      path.join(dir, "notes/2026/11/2026-11-24-emea-grace.md"),
      path.join(dir, "notes/2026/11/index.md"),
    );
    const month = readFileSync(path.join(dir, "notes/2026/11/index.md"), "utf8");
    // Another person's: a second note of grace's would be left out as a copy.
    writeFileSync(path.join(dir, "notes/index.md"), month.replace("person: grace", "person: ada"));
    const site = await rota(["site"], { cwd: dir, env: at });
    expect(site.code, site.stderr).toBe(0);
    for (const [file, index] of [
      ["notes/2026/11/index.md", "notes/2026/11/index.html"],
      ["notes/index.md", "notes/index.html"],
    ]) {
      expect(site.stderr).toContain(
        `warning: ${file}: left out of the site, as its page would replace the index ${index}; rename the note file`,
      );
    }
    const pages = (relative: string) => readFileSync(path.join(dir, "public", relative), "utf8");
    expect(pages("notes/index.html")).toContain("<h1>Field notes</h1>");
    expect(pages("notes/2026/11/index.html")).toContain("<h1>Field notes, November 2026</h1>");
    // As many pages as it says it wrote.
    const html = (readdirSync(path.join(dir, "public"), { recursive: true }) as string[]).filter(
      (file) => file.endsWith(".html"),
    );
    expect(site.stderr).toContain(`public: ${html.length} pages and `);
  });

  test("links to notes named with spaces, #, % and accents, and feeds under a calendar.url with a query", async () => {
    const dir = await teamRepo(suiteTempDir());
    const roster = path.join(dir, "roster.yaml");
    editFile(
      roster,
      "url: https://acme.github.io/support",
      "url: https://acme.github.io/support?key=a%26b&v=1#calendars",
    );
    await shortNotes(dir, ["grace", "katherine"]);
    const odd = "2026-11-24 grace #2 100% é.md";
    renameSync(
      path.join(dir, "notes/2026/11/2026-11-24-emea-grace.md"),
      path.join(dir, "notes/2026/11", odd),
    );
    const site = await rota(["site"], { cwd: dir, env: at });
    expect(site.code, site.stderr).toBe(0);
    const out = path.join(dir, "public");
    expect(existsSync(path.join(out, "notes/2026/11", odd.replace(/\.md$/, ".html")))).toBe(true);

    const pages = (sub: string): string[] =>
      readdirSync(path.join(out, sub), { withFileTypes: true }).flatMap((entry) => {
        const file = path.posix.join(sub, entry.name);
        if (entry.isDirectory()) return pages(file);
        return entry.name.endsWith(".html") ? [file] : [];
      });
    const unescapeHtml = (text: string) =>
      text.replace(/&(amp|quot|#39|lt|gt);/g, (_, name: string) =>
        name === "amp"
          ? "&"
          : name === "quot"
            ? '"'
            : name === "#39"
              ? "'"
              : name === "lt"
                ? "<"
                : ">",
      );
    const links = new Map<string, string[]>();
    for (const page of pages(".")) {
      const text = readFileSync(path.join(out, page), "utf8");
      links.set(
        page,
        [...text.matchAll(/href="([^"]*)"/g)].map((m) => unescapeHtml(m[1] as string)),
      );
    }
    let toOdd = 0;
    for (const [page, hrefs] of links) {
      for (const href of hrefs) {
        if (href.startsWith("#")) continue;
        if (/^[a-z][a-z0-9+.-]*:/.test(href)) {
          expect(href, page).toMatch(
            /^webcal:\/\/acme\.github\.io\/support\/(?:team|people\/[a-z]+)\.ics\?key=a%26b&v=1$/,
          );
          continue;
        }
        const target = fileURLToPath(new URL(href, pathToFileURL(path.join(out, page))));
        expect(existsSync(target), `${page} → ${href}`).toBe(true);
        if (target.endsWith(odd.replace(/\.md$/, ".html"))) toOdd++;
      }
    }
    expect(toOdd).toBeGreaterThanOrEqual(2); // grace's page and the month's index
    expect(links.get("index.html")).toContain(
      "webcal://acme.github.io/support/team.ics?key=a%26b&v=1",
    );
  });

  test("the palette's text colours reach 4.5:1 against their backgrounds (WCAG AA)", () => {
    for (const [foreground, background] of CONTRAST_PAIRS) {
      const ratio = contrastRatio(PALETTE[foreground], PALETTE[background]);
      expect(ratio, `${foreground} on ${background}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

/**
 * axe-core's every rule (WCAG A and AA, and its best practices, among them
 * "scrollable region must have keyboard access") run on a page: none broken.
 * The test puts axe into the page itself; the site has no script of its own.
 */
async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE);
  const { violations, ran } = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: typeof import("axe-core") };
    const result = await axe.run();
    return {
      violations: result.violations.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
      ),
      ran: [
        ...result.passes,
        ...result.inapplicable,
        ...result.incomplete,
        ...result.violations,
      ].map((rule) => rule.id),
    };
  });
  expect(ran).toContain("scrollable-region-focusable");
  expect(ran).toContain("color-contrast");
  expect(violations, page.url()).toEqual([]);
}

/** Every kind of page the site has, each opened at both widths. */
const PAGES = [
  "index.html",
  "people/ada.html",
  "people/tim.html",
  "report.html",
  "notes/index.html",
  "notes/2026/11/index.html",
  "notes/2026/11/2026-11-23-americas-ada.html",
];

describe.runIf(browserTestsRun())("the site in headless Chromium", () => {
  let out: string;
  let server: Awaited<ReturnType<typeof serveDirectory>>;
  let phone: BrowserContext;
  const requests: string[] = [];

  beforeAll(async () => {
    out = await siteRepo(suiteTempDir());
    server = await serveDirectory(out);
    phone = await launchBrowser({ width: 390, height: 844 });
    phone.on("request", (request) => requests.push(request.url()));
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await phone?.close();
    await server?.close();
  });

  async function open(file: string): Promise<Page> {
    const page = await phone.newPage();
    const response = await page.goto(`${server.origin}/${file}`);
    expect(response?.status(), file).toBe(200);
    await page.screenshot({
      path: path.join(ARTIFACTS, `${file.replaceAll("/", "_").replace(/\.html$/, "")}.png`),
      fullPage: true,
    });
    return page;
  }

  /** What every page must be: headings, labelled tables and charts, no script, nothing wider than the phone, no axe-core violation. */
  async function checkPage(page: Page) {
    await expectAccessible(page);
    const facts = await page.evaluate(() => ({
      scripts: document.scripts.length,
      h1: [...document.querySelectorAll("h1")].map((h) => h.textContent?.trim()),
      tablesWithoutHeaders: [...document.querySelectorAll("table")].filter(
        (t) =>
          t.querySelectorAll("thead th[scope=col]").length === 0 ||
          t.querySelectorAll("tbody tr").length !==
            t.querySelectorAll("tbody tr > th[scope=row]:first-child").length ||
          !t.querySelector("caption")?.textContent?.trim(),
      ).length,
      svgsWithoutNames: [...document.querySelectorAll("svg")].filter(
        (svg) =>
          svg.getAttribute("role") !== "img" ||
          !svg.getAttribute("aria-label") ||
          !svg.querySelector(":scope > title")?.textContent,
      ).length,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      lang: document.documentElement.lang,
      links: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href") ?? ""),
    }));
    expect(facts.scripts).toBe(0);
    expect(facts.h1).toHaveLength(1);
    expect(facts.tablesWithoutHeaders).toBe(0);
    expect(facts.svgsWithoutNames).toBe(0);
    expect(facts.overflow).toBeLessThanOrEqual(0);
    expect(facts.lang).toBe("en");
    // Every relative link leads to a file of the site.
    for (const href of facts.links.filter((h) => !/^[a-z]+:/.test(h) && !h.startsWith("#"))) {
      const target = new URL(href, page.url());
      const response = await page.request.fetch(target.href, { method: "HEAD" });
      expect(response.status(), `${page.url()} → ${href}`).toBe(200);
    }
    return facts;
  }

  test("the front page: now on support, this week and the coming weeks, everyone", async () => {
    const page = await open("index.html");
    const facts = await checkPage(page);
    expect(facts.h1).toEqual(["Acme support rota"]);
    await expect(page.locator("#now + p, #now ~ ul").first().textContent()).resolves.toContain(
      "Radia Perlman",
    );
    const captions = await page.locator("table caption").allTextContents();
    expect(captions[0]).toBe("Week of Mon 23 Nov 2026 (this week)");
    expect(captions).toContain("Week of Mon 28 Dec 2026");
    expect(await page.locator("thead").first().locator("th").allTextContents()).toEqual([
      "Day",
      "Shift",
      "Time",
      "People",
    ]);
    expect(facts.links).toContain("team.ics");
    expect(facts.links).toContain("webcal://acme.github.io/support/team.ics");
    expect(facts.links).toContain("people/ada.html");
    expect(facts.links).toContain("report.html");
    expect(facts.links).toContain("notes/index.html");
    // Everyone says where they stand, and why; nobody is overdue in the first month.
    const everyone = page.locator("table", { hasText: "Everyone on the rota" });
    const standing = async (name: string) =>
      (await everyone.locator("tr", { hasText: name }).locator("td").last().textContent())?.trim();
    expect(await standing("Steve Wozniak")).toBe("joins 2026-12-01");
    expect(await standing("Susan Kare")).toBe("away (parental leave) until 2026-12-18");
    expect(await standing("Jony Ive")).toBe("counts from 2026-12: rota began 2026-11-16");
    expect(await standing("Ada Lovelace")).toBe("ok");
    expect(await everyone.locator(".warn").count()).toBe(0);
    await page.close();
  });

  test("a person's page: their shifts, standing and calendar links; a hostile name is text", async () => {
    const page = await open("people/ada.html");
    const facts = await checkPage(page);
    expect(facts.h1).toEqual(["Ada Lovelace"]);
    expect(facts.links).toContain("webcal://acme.github.io/support/people/ada.ics");
    expect(await page.locator('a[download][href="ada.ics"]').count()).toBe(1);
    expect(await page.locator("caption").allTextContents()).toEqual([
      "Ada Lovelace's coming shifts",
      "Ada Lovelace's shifts served, latest first",
    ]);
    const notes = page.locator('a[href="../notes/2026/11/2026-11-23-americas-ada.html"]');
    expect(await notes.count()).toBe(1);
    await page.close();

    const steve = await open("people/steve.html");
    await checkPage(steve);
    const about = await steve.locator("h1 + p").textContent();
    expect(about).toContain("Joins the rota on 2026-12-01.");
    expect(about).not.toContain("No longer in the rota");
    await steve.close();

    const susan = await open("people/susan.html");
    await checkPage(susan);
    expect(await susan.locator(".callout").count()).toBe(0);
    expect(await susan.locator("body").textContent()).toContain(
      "Standing: away (parental leave) until 2026-12-18.",
    );
    await susan.close();

    const tim = await open("people/tim.html");
    const timFacts = await checkPage(tim);
    expect(timFacts.h1).toEqual([HOSTILE_NAME]);
    expect(await tim.locator("h1 i").count()).toBe(0);
    expect(await tim.title()).toBe(`${HOSTILE_NAME}: support shifts`);
    await tim.close();
  });

  test("the report: sections, tables and inline SVG charts", async () => {
    const page = await open("report.html");
    const facts = await checkPage(page);
    expect(facts.h1).toEqual(["Acme support report"]);
    expect(await page.locator("h2").allTextContents()).toEqual([
      "Participation",
      "Teams",
      "Fairness",
      "Notes",
      "Themes",
      "Newcomers",
      "Swaps",
      "Fixes",
    ]);
    expect(await page.locator("svg[role=img]").count()).toBeGreaterThanOrEqual(6);
    // November began before rota did: nobody is overdue for it.
    const jony = page.locator("tr", { hasText: "Jony Ive" }).first();
    expect(await jony.textContent()).toContain("counts from 2026-12: rota began 2026-11-16");
    expect(await page.locator("table", { hasText: "standing" }).locator(".warn").count()).toBe(0);
    // Tags and quotes with markup in them are shown as typed.
    expect(await page.locator("table", { hasText: HOSTILE_TAG }).count()).toBe(1);
    expect(await page.locator("b", { hasText: "bold" }).count()).toBe(0);
    expect(
      await page.locator("blockquote", { hasText: "<script>alert('xss')</script>" }).count(),
    ).toBe(1);
    expect(facts.links).toContain("notes/2026/11/2026-11-24-emea-grace.html");
    await page.close();
  });

  test("the notes: an index by month, a month, and a note whose <script> is text", async () => {
    const index = await open("notes/index.html");
    expect((await checkPage(index)).links).toContain("2026/11/index.html");
    await index.close();
    const month = await open("notes/2026/11/index.html");
    const monthFacts = await checkPage(month);
    expect(monthFacts.h1).toEqual(["Field notes, November 2026"]);
    expect(await month.locator("tbody tr").count()).toBe(3);
    await month.close();

    const note = await open("notes/2026/11/2026-11-24-emea-grace.html");
    const facts = await checkPage(note);
    expect(facts.h1).toEqual(["EMEA day, Tue 24 Nov 2026: Grace Hopper"]);
    expect(await note.locator("h2").first().textContent()).toBe(
      "Written Tue 24 Nov 2026, 18:00 Berlin time",
    );
    expect(await note.locator("h3").first().textContent()).toBe(
      "What did customers struggle with?",
    );
    expect(await note.locator(".answer").first().textContent()).toBe(SCRIPT_NOTE);
    expect(await note.locator(".tag", { hasText: HOSTILE_TAG }).count()).toBe(1);
    await note.close();

    // Markdown is rendered; what would run or load is shown as text or left out.
    const ada = await open("notes/2026/11/2026-11-23-americas-ada.html");
    await checkPage(ada);
    const answer = ada.locator(".answer").first();
    expect(await answer.locator("strong").textContent()).toBe("SSO");
    expect(
      await answer.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href"))),
    ).toEqual(["https://example.com/sso", "https://tracker.example/p.png"]);
    expect(await ada.locator("img, script, [onerror], a[href^='javascript']").count()).toBe(0);
    const text = await answer.textContent();
    expect(text).toContain("[click me](javascript:alert(1))");
    expect(text).toContain("<img src=x onerror=alert(1)>");
    expect(text).toContain("<script>alert(2)</script>");
    await ada.close();
  });

  test("asks for nothing outside the site", () => {
    // One per page opened: the pages load nothing else (styles and charts are inline).
    expect(requests.length).toBe(10);
    expect(requests.filter((url) => !url.startsWith(server.origin))).toEqual([]);
  });

  test("no axe-core violation on any page at 1280 px either", async () => {
    const desktop = await launchBrowser({ width: 1280, height: 900 });
    try {
      for (const file of PAGES) {
        const page = await desktop.newPage();
        await page.goto(`${server.origin}/${file}`);
        await expectAccessible(page);
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        ).toBeLessThanOrEqual(0);
        await page.close();
      }
    } finally {
      await desktop.close();
    }
  });

  test("works without JavaScript, and on a desktop screen", async () => {
    const desktop = await launchBrowser({ width: 1280, height: 900, javaScript: false });
    try {
      for (const file of ["index.html", "report.html"]) {
        const page = await desktop.newPage();
        await page.goto(`${server.origin}/${file}`);
        expect(await page.locator("h1").count()).toBe(1);
        expect(await page.locator("table").count()).toBeGreaterThan(2);
        await page.screenshot({
          path: path.join(ARTIFACTS, `desktop-${file.replace(/\.html$/, "")}.png`),
          fullPage: true,
        });
        await page.close();
      }
    } finally {
      await desktop.close();
    }
  });

  test("each kind of page carries only the rules it uses, and looks exactly as with the whole stylesheet", async () => {
    const whole = styleSheet(ALL_STYLES);
    // Everything markdown can make in a note's answer, added to the note's page.
    const everyMarkdown = markdownParsed(
      "# A heading\n\nA *paragraph* with **bold**, `code`, ~~struck~~ and [a link](https://example.com).\n\n> A quote\n> on two lines\n\n- one\n- two\n\n1. first\n2. second\n\n```\na code block\n```\n\n---\n\nhttps://example.com/linkified",
    ).value;
    for (const width of [390, 1280]) {
      const browser = await launchBrowser({ width, height: 900 });
      try {
        for (const file of PAGES) {
          const page = await browser.newPage();
          await page.goto(`${server.origin}/${file}`);
          if (file.endsWith("-ada.html")) {
            const own = await page.evaluate(() => document.querySelector("style")?.textContent);
            expect(own?.length).toBeLessThan(whole.length / 2);
            await page
              .locator(".answer")
              .first()
              .evaluate(
                (answer, markup) => answer.insertAdjacentHTML("beforeend", markup),
                everyMarkdown,
              );
            expect(
              await page.locator(".answer h4, .answer blockquote, .answer pre, .answer ol").count(),
            ).toBe(4);
          }
          expect(await lookWithWholeSheet(page, whole), `${file} at ${width} px`).toEqual([]);
          await page.close();
        }
      } finally {
        await browser.close();
      }
    }
  }, 120_000);
});
