import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
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
