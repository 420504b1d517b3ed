import { rmdir } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.ts";
import { renderFeeds } from "../core/calendar/feeds.ts";
import { plural } from "../core/problems.ts";
import { SLUG } from "../core/roster/formats.ts";
import { renderSite } from "../core/site/site.ts";
import { listDirectory, writeOutputFiles } from "../io/calendar-files.ts";
import { loadNotesTemplate } from "../io/notes-file.ts";
import { loadReport } from "./report.ts";

export interface SiteOptions {
  out?: string;
}

const PERSON_FILE = /^([a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?)\.(?:html|ics)$/;

/**
 * `rota site`: the static site (the rota, a page per person with their
 * calendar, the report, the notes) and the calendar feeds beside it, all
 * rendered in memory first, then written; pages and feeds of people and
 * notes that are gone are removed, anything else in the directory is left.
 */
export async function runSite(ctx: Context, options: SiteOptions): Promise<number> {
  const { report, roster, schedule, now, notes } = await loadReport(ctx, {}, { allAnswers: true });
  let prompts: Record<string, string> = {};
  try {
    const { template } = await loadNotesTemplate(ctx, roster, ctx.display(ctx.rosterPath));
    prompts = Object.fromEntries(template.questions.map((q) => [q.id, q.prompt]));
  } catch (error) {
    // The site still shows each answer under its question id.
    ctx.err(
      `warning: the notes template cannot be read, so notes show question ids: ${(error as Error).message}\n`,
    );
  }
  const rosterDir = path.dirname(ctx.rosterPath);
  const outDir = options.out ? path.resolve(ctx.cwd, options.out) : path.join(rosterDir, "public");

  const pages = renderSite({
    roster,
    entries: schedule.entries,
    ...(schedule.plannedUntil ? { plannedUntil: schedule.plannedUntil } : {}),
    report,
    notes,
    now,
    prompts,
  });
  const feeds = renderFeeds(roster, schedule);
  const files = [...pages, feeds.team, ...feeds.people].map((file) => ({
    path: file.path,
    text: file.text,
  }));

  const keep = new Set(files.map((file) => path.join(outDir, ...file.path.split("/"))));
  const emptied: string[] = [];
  const written = await writeOutputFiles(outDir, files, async () => {
    const stale: string[] = [];
    for (const name of await listDirectory(path.join(outDir, "people"))) {
      const full = path.join(outDir, "people", name);
      if (PERSON_FILE.test(name) && !keep.has(full)) stale.push(full);
    }
    // Note pages of notes that are gone (rota's own: .html below notes/).
    const walk = async (dir: string): Promise<boolean> => {
      let remaining = 0;
      for (const name of await listDirectory(dir)) {
        const full = path.join(dir, name);
        if (name.endsWith(".html")) {
          if (keep.has(full)) remaining++;
          else stale.push(full);
        } else if (SLUG.test(name) && (await walk(full))) {
          emptied.push(full);
        } else {
          remaining++;
        }
      }
      return remaining === 0;
    };
    await walk(path.join(outDir, "notes"));
    return stale;
  });
  for (const dir of emptied) await rmdir(dir).catch(() => undefined);

  const parts = [`wrote ${plural(written.written.length, "file")}`];
  if (written.unchanged.length > 0) parts.push(`${written.unchanged.length} unchanged`);
  if (written.removed.length > 0) parts.push(`removed ${written.removed.length}`);
  ctx.err(
    `${ctx.display(outDir)}: ${plural(pages.length, "page")} and ${plural(feeds.people.length + 1, "calendar feed")}; ${parts.join(", ")}\n`,
  );
  return 0;
}
