import path from "node:path";
import type { Context } from "../context.ts";
import { renderFeeds } from "../core/calendar/feeds.ts";
import { formatProblem, plural } from "../core/problems.ts";
import { notesReplacingIndexes, renderSite } from "../core/site/site.ts";
import { InputError } from "../errors.ts";
import { writeOutputFiles } from "../io/calendar-files.ts";
import { readCalendarHistory } from "../io/calendar-history.ts";
import { loadNotesTemplate } from "../io/notes-file.ts";
import { checkOutputDirectory, protectedFiles, protectedFolderOf } from "../io/outputs.ts";
import { threadsAllowed } from "../io/threads.ts";
import { loadReport } from "./report.ts";

export interface SiteOptions {
  out?: string;
}

/**
 * `rota site`: the static site (the rota, a page per person with their
 * calendar, the report, the notes) and the calendar feeds beside it, all
 * rendered in memory first, then written; the pages and feeds it wrote
 * before and no longer writes are removed, anything else in the directory is
 * left (see the manifest in io/calendar-files.ts).
 */
export async function runSite(ctx: Context, options: SiteOptions): Promise<number> {
  const rosterDir = path.dirname(ctx.rosterPath);
  const outDir = options.out ? path.resolve(ctx.cwd, options.out) : path.join(rosterDir, "public");
  const threads = threadsAllowed(ctx.io.env.ROTA_THREADS);
  await checkOutputDirectory(ctx, outDir, "--out", options.out, { writesNotes: true });
  const loaded = await loadReport(ctx, {}, { allAnswers: true });
  const { report, roster, schedule, now, notes } = loaded;
  let prompts: Record<string, string> = {};
  try {
    const { template } = await loadNotesTemplate(ctx, roster, loaded.rosterFile);
    prompts = Object.fromEntries(template.questions.map((q) => [q.id, q.prompt]));
  } catch (error) {
    // The site still shows each answer under its question id.
    const why =
      error instanceof InputError
        ? error.problems.map(formatProblem).join("; ")
        : (error as Error).message;
    ctx.err(`warning: the notes template cannot be read, so notes show question ids: ${why}\n`);
  }

  const clashing = notesReplacingIndexes(notes);
  for (const { note, index } of clashing) {
    ctx.err(
      `warning: ${note.file}: left out of the site, as its page would replace the index ${index}; rename the note file as rota names notes, notes/YYYY/MM/<date>-<shift>-<person>.md\n`,
    );
  }
  const left = new Set(clashing.map(({ note }) => note));
  const pages = renderSite({
    roster,
    entries: schedule.entries,
    ...(schedule.plannedUntil ? { plannedUntil: schedule.plannedUntil } : {}),
    report,
    notes: left.size === 0 ? notes : notes.filter((note) => !left.has(note)),
    now,
    prompts,
  });
  const { history, warning } = await readCalendarHistory(ctx, roster, schedule);
  if (warning) ctx.err(`warning: ${warning}\n`);
  const feeds = renderFeeds(roster, schedule, history);
  // Pages are rendered as they are written (see writeOutputFiles): never all at once.
  const files = [...pages, feeds.team, ...feeds.people, ...feeds.departed];

  const written = await writeOutputFiles(outDir, files, {
    threads,
    owner: "site",
    flag: "--out",
    protect: protectedFiles(ctx),
    display: ctx.display,
    within: (file) => protectedFolderOf(ctx, file),
    notice: (text) => ctx.err(text),
  });

  const parts = [`wrote ${plural(written.written.length, "file")}`];
  if (written.unchanged.length > 0) parts.push(`${written.unchanged.length} unchanged`);
  if (written.removed.length > 0) parts.push(`removed ${written.removed.length}`);
  ctx.err(
    `${ctx.display(outDir)}: ${plural(pages.length, "page")} and ${plural(feeds.people.length + feeds.departed.length + 1, "calendar feed")}; ${parts.join(", ")}\n`,
  );
  return 0;
}
