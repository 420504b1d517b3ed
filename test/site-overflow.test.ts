/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The page.evaluate callbacks below run in the browser, against its DOM.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ALL_STYLES, styleSheet } from "../src/core/render/html.ts";
import {
  browserTestsRun,
  launchBrowser,
  lookWithWholeSheet,
  serveDirectory,
} from "./helpers/browser.ts";
import { ROOT, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, teamRepo } from "./helpers/git.ts";
import { suiteTempDir } from "./helpers/tmp.ts";

/**
 * The example team's site with a week of notes, at 390 px and 1280 px: a
 * long name wraps in its column and no page is wider than the screen. And a
 * table wider than a 1280 px screen (a name with a word longer than any
 * column can hold): the table scrolls
 * sideways inside its own region, which a keyboard reaches with Tab and
 * scrolls with the arrow keys; axe-core finds nothing wrong, among its
 * rules "scrollable region must have keyboard access". Screenshots of the
 * pages at 390 px and 1280 px (and of the HTML report with each help desk's
 * export) go to test-artifacts/site-overflow/ for a person to look at.
 */

const at = { ROTA_NOW: AFTER_SHIFTS };
/** A long name wraps in its column... */
const LONG_NAME =
  "Augusta Ada King-Noel Countess of Lovelace Baroness Wentworth Daughter of Lord Byron Analyst of the Analytical Engine and First Programmer";
/** ...but one word longer than the screen is wide cannot: its table scrolls. */
const UNBREAKABLE =
  "Hubert Blaine Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeitbeschutzenvonangreifendurchihrraubgierigfeinde Sr.";
const ARTIFACTS = path.join(ROOT, "test-artifacts", "site-overflow");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const FIXTURES = path.join(ROOT, "test/fixtures/tickets");

async function violations(page: Page): Promise<{ violations: string[]; passed: string[] }> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: typeof import("axe-core") };
    const result = await axe.run();
    return {
      violations: result.violations.map(
        (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target).join(", ")}`,
      ),
      passed: result.passes.map((rule) => rule.id),
    };
  });
}

describe.runIf(browserTestsRun())("a table wider than the screen", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof serveDirectory>>;
  let desktop: BrowserContext;
  let phone: BrowserContext;

  beforeAll(async () => {
    dir = await teamRepo(suiteTempDir());
    const roster = path.join(dir, "roster.yaml");
    const text = readFileSync(roster, "utf8");
    writeFileSync(roster, text.replace("name: Ada Lovelace", `name: ${LONG_NAME}`));
    // A week of notes: everyone who served writes one.
    for (const person of ["ada", "grace", "katherine"]) {
      const note = await rota(
        [
          "notes",
          "--no-commit",
          "--as",
          person,
          "--answer",
          "struggles=SSO set-up with **Okta**: customers could not find the metadata URL",
          "--answer",
          "fix=Document the SAML metadata URL",
          "--answer",
          "handled=6",
          "--answer",
          "tags=sso, billing",
          "--answer",
          "mood=4",
        ],
        { cwd: dir, env: at },
      );
      expect(note.code, note.stderr).toBe(0);
    }
    const site = await rota(["site"], { cwd: dir, env: at });
    expect(site.code, site.stderr).toBe(0);
    // The HTML report with an export of each help desk, beside the site.
    const tickets = [
      "freshdesk.csv",
      "front.csv",
      "generic.csv",
      "helpscout.json",
      "intercom.json",
      "zendesk.csv",
    ].flatMap((file) => ["--tickets", path.join(FIXTURES, file)]);
    const report = await rota(["report", "--format", "html", ...tickets], { cwd: dir, env: at });
    expect(report.code, report.stderr).toBe(0);
    writeFileSync(path.join(dir, "public", "helpdesk.html"), report.stdout);
    server = await serveDirectory(path.join(dir, "public"));
    desktop = await launchBrowser({ width: 1280, height: 900 });
    phone = await launchBrowser({ width: 390, height: 844 });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await desktop?.close();
    await phone?.close();
    await server?.close();
  });

  test("every page at 390 px and 1280 px: no axe-core violation, nothing wider than the screen", async () => {
    const pages = [
      "index.html",
      "people/ada.html",
      "report.html",
      "notes/index.html",
      "notes/2026/11/2026-11-24-emea-grace.html",
      "helpdesk.html",
    ];
    for (const [name, context] of [
      ["390", phone],
      ["1280", desktop],
    ] as const) {
      for (const file of pages) {
        const page = await context.newPage();
        await page.goto(`${server.origin}/${file}`);
        expect((await violations(page)).violations, `${file} at ${name} px`).toEqual([]);
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
          `${file} at ${name} px`,
        ).toBeLessThanOrEqual(0);
        await page.screenshot({
          path: path.join(
            ARTIFACTS,
            `${name}-${file.replaceAll("/", "_").replace(/\.html$/, "")}.png`,
          ),
          fullPage: true,
        });
        await page.close();
      }
    }
  }, 120_000);
  test("long names, and the report with every help desk's export, look exactly as with the whole stylesheet", async () => {
    for (const [name, context] of [
      ["390", phone],
      ["1280", desktop],
    ] as const) {
      for (const file of [
        "index.html",
        "people/ada.html",
        "notes/2026/11/index.html",
        "helpdesk.html",
      ]) {
        const page = await context.newPage();
        await page.goto(`${server.origin}/${file}`);
        expect(
          await lookWithWholeSheet(page, styleSheet(ALL_STYLES)),
          `${file} at ${name} px`,
        ).toEqual([]);
        await page.close();
      }
    }
  }, 120_000);

  test("scrolls inside a named region that Tab reaches and the arrow keys scroll; axe finds nothing", async () => {
    const roster = path.join(dir, "roster.yaml");
    const text = readFileSync(roster, "utf8");
    writeFileSync(roster, text.replace("name: Grace Hopper", `name: ${UNBREAKABLE}`));
    const site = await rota(["site"], { cwd: dir, env: at });
    expect(site.code, site.stderr).toBe(0);
    const page = await desktop.newPage();
    await page.goto(`${server.origin}/index.html`);
    const regions = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>(".table-wrap")]
        .filter((region) => region.scrollWidth > region.clientWidth)
        .map((region) => ({
          role: region.getAttribute("role"),
          tabindex: region.getAttribute("tabindex"),
          label: region.getAttribute("aria-label"),
          caption: region.querySelector("caption")?.textContent,
        })),
    );
    // The long name makes the table of everyone wider than the screen, not the page.
    expect(regions.map((r) => r.caption)).toContain("Everyone on the rota");
    for (const region of regions) {
      expect(region).toMatchObject({ role: "region", tabindex: "0", label: region.caption });
    }
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);

    // From the top of the page, Tab reaches the region, and the arrow keys scroll it.
    let reached = false;
    for (let step = 0; step < 300 && !reached; step++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(
        () =>
          document.activeElement?.classList.contains("table-wrap") === true &&
          document.activeElement.getAttribute("aria-label") === "Everyone on the rota",
      );
    }
    expect(reached).toBe(true);
    for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
    // Scrolling by key may be animated: wait for it (a busy machine is slow to).
    await page
      .waitForFunction(() => (document.activeElement as HTMLElement).scrollLeft > 0, undefined, {
        timeout: 10_000,
      })
      .catch(() => undefined);
    expect(
      await page.evaluate(() => (document.activeElement as HTMLElement).scrollLeft),
    ).toBeGreaterThan(0);

    const axe = await violations(page);
    expect(axe.passed).toContain("scrollable-region-focusable");
    expect(axe.violations).toEqual([]);
    await page.close();
  });
});
