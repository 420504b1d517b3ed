import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { suiteTempDir } from "./tmp.ts";

/**
 * Debian's Chromium, driven by playwright-core (which downloads no browser of
 * its own). Outside CI a machine without it skips the browser tests and says
 * so; under CI=true they must run, so a missing browser fails them.
 */
export const CHROMIUM = process.env.ROTA_CHROMIUM ?? "/usr/bin/chromium";

export function browserTestsRun(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true") {
    throw new Error(
      `${CHROMIUM} is missing: the site's browser tests need Debian's chromium (apt-get install chromium); .ci/run installs it`,
    );
  }
  console.warn(
    `\n  Skipping the site's browser tests: ${CHROMIUM} is missing (apt-get install chromium, or set ROTA_CHROMIUM).\n`,
  );
  return false;
}

/** A fresh browser profile each time: nothing carries over between runs. */
export async function launchBrowser(options: {
  width: number;
  height: number;
  javaScript?: boolean;
}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(suiteTempDir("rota-chromium-"), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: options.width, height: options.height },
    javaScriptEnabled: options.javaScript ?? true,
  });
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".ics": "text/calendar; charset=utf-8",
  ".css": "text/css",
};

/** Serves a directory on 127.0.0.1 as a static host would (index.html for a directory). */
export async function serveDirectory(
  root: string,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!existsSync(file)) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
    });
    response.end(request.method === "HEAD" ? undefined : readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const channel = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * Differences between how the open page looks with its own `<style>` and
 * with `wholeSheet` in its place: every element's computed style, and its
 * `::before`, `::after` and `::marker`. A page carries only the style blocks
 * of its kind; a rule left out that the page needed shows here.
 */
export async function lookWithWholeSheet(page: Page, wholeSheet: string): Promise<string[]> {
  return page.evaluate((whole) => {
    const style = document.querySelector("style");
    if (!style) return ["the page has no <style>"];
    const look = () => {
      const seen: string[] = [];
      const elements = [...document.body.querySelectorAll("*")];
      [document.documentElement, document.body, ...elements].forEach((element, i) => {
        const own = getComputedStyle(element);
        for (const pseudo of [null, "::before", "::after", "::marker"]) {
          const computed = pseudo === null ? own : getComputedStyle(element, pseudo);
          // A pseudo-element with no content (or a marker off a list item) has no box to style.
          const shown =
            pseudo === null ||
            (pseudo === "::marker"
              ? own.display === "list-item"
              : computed.content !== "none" && computed.content !== "normal");
          let text = `content: ${computed.content}; `;
          if (shown)
            for (const name of computed) text += `${name}: ${computed.getPropertyValue(name)}; `;
          seen.push(
            `${i} <${element.localName} class="${element.getAttribute("class") ?? ""}">${pseudo ?? ""} ${text}`,
          );
        }
      });
      return seen;
    };
    const own = look();
    const ownSheet = style.textContent;
    style.textContent = whole;
    const withWhole = look();
    style.textContent = ownSheet;
    const differences: string[] = [];
    if (own.length !== withWhole.length) differences.push("the number of elements changed");
    own.forEach((line, i) => {
      if (line !== withWhole[i] && differences.length < 5) {
        const other = withWhole[i] ?? "";
        const props = line.split("; ");
        const wholeProps = new Set(other.split("; "));
        differences.push(
          `${line.slice(0, line.indexOf(" ", line.indexOf(">") + 1))}: ${props.filter((p) => !wholeProps.has(p)).join("; ")} (with the whole sheet: ${other
            .split("; ")
            .filter((p) => !props.includes(p))
            .join("; ")})`,
        );
      }
    });
    return differences;
  }, wholeSheet);
}
