import path from "node:path";
import type { Context } from "../context.ts";
import type { PersonOnRecord } from "../core/calendar/history.ts";
import { escapeControls, toJson } from "../core/controls.ts";
import { firstOfMonth, fromDay, partsOf, toDay } from "../core/dates.ts";
import { buildReport, defaultSince, type Report } from "../core/report/figures.ts";
import type { NoteRecord } from "../core/report/notes.ts";
import { renderReportHtml } from "../core/report/render-html.ts";
import { renderReportMarkdown } from "../core/report/render-markdown.ts";
import { renderReportText } from "../core/report/render-terminal.ts";
import type { Roster } from "../core/roster/model.ts";
import { type Schedule, servedBy } from "../core/schedule/schedule.ts";
import type { HelpdeskFigures } from "../core/tickets/join.ts";
import { dayOf, parseIsoInstant } from "../core/time.ts";
import { FailedError, InputError, UsageError } from "../errors.ts";
import { readDepartedPeople } from "../io/calendar-history.ts";
import { fixesPath, readFixesFile } from "../io/fixes-file.ts";
import { readScheduledNotes } from "../io/notes-checked.ts";
import { checkOutputFile } from "../io/outputs.ts";
import { checkReachable } from "../io/reach.ts";
import { loadRoster } from "../io/roster-file.ts";
import { readScheduleFile } from "../io/schedule-file.ts";
import { paint } from "../io/terminal.ts";
import { threadsAllowed } from "../io/threads.ts";
import { resolveTimeFlag } from "../io/time-flags.ts";
import { outputWidth } from "../io/width.ts";
import { writeFileSafely } from "../io/write.ts";

export interface ReportOptions {
  since?: string;
  until?: string;
  format?: string;
  json?: boolean;
  out?: string;
  tickets?: string[];
  ticketsFormat?: string;
  period?: string;
}

const PERIODS = ["week", "month"] as const;

const FORMATS = ["terminal", "md", "json", "html"] as const;

/** The answers the report reads; the site keeps every answer, for its note pages. */
const REPORT_ANSWERS = ["struggles", "fix", "handled", "mood"];
type Format = (typeof FORMATS)[number];

/** --format, else --json, else the --out file's extension, else the terminal. */
function formatOf(options: ReportOptions): Format {
  if (options.format !== undefined) {
    // "markdown" is what --out's .markdown extension says too.
    const format = options.format === "markdown" ? "md" : options.format;
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be terminal, md, json or html, not "${options.format}"`);
    }
    if (options.json && format !== "json") {
      throw new UsageError(`--json and --format ${options.format} disagree: pass one of them`);
    }
    return format as Format;
  }
  if (options.json) return "json";
  const extension = options.out ? path.extname(options.out).toLowerCase() : "";
  if (extension === ".md" || extension === ".markdown") return "md";
  if (extension === ".json") return "json";
  if (extension === ".html" || extension === ".htm") return "html";
  return "terminal";
}

/** A `--since`/`--until` date (or time) as the roster's local date. */
function dateFlag(flag: string, text: string | undefined, roster: Roster): string | undefined {
  if (text === undefined) return undefined;
  const zone = roster.timezone;
  return fromDay(dayOf(resolveTimeFlag(flag, text, zone), zone));
}

/**
 * Refuses a `--since` given without `--until` that is after today, where the
 * window then ends: a window that ends before it begins reports nothing.
 */
function checkSinceAlone(since: string, today: string) {
  if (since <= today) return;
  throw new UsageError(
    `--since ${since} is after the report's end, today ${today}: give a --since on or before ${today}, or a later --until too`,
  );
}

export interface LoadedReport {
  report: Report;
  roster: Roster;
  /** The roster as read: its path as shown, and its text. */
  rosterFile: { file: string; text: string };
  schedule: Schedule;
  now: number;
  notes: NoteRecord[];
  /** People on the schedule no longer in the roster, as its git history last recorded them. */
  departed: ReadonlyMap<string, PersonOnRecord>;
}

/** The report's figures from the files beside the roster; warnings about notes go to stderr. */
export async function loadReport(
  ctx: Context,
  window: { since?: string; until?: string } = {},
  options: { allAnswers?: boolean } = {},
): Promise<LoadedReport> {
  const loaded = await loadRoster(ctx);
  const { roster, now } = loaded;
  const since = dateFlag("--since", window.since, roster);
  const until = dateFlag("--until", window.until, roster);
  if (since !== undefined && until !== undefined && until < since) {
    throw new UsageError(`--until (${until}) is before --since (${since})`);
  }
  const today = fromDay(dayOf(now, roster.timezone));
  if (since !== undefined && until === undefined) checkSinceAlone(since, today);
  const scheduleFile = await readScheduleFile(ctx);
  if (!scheduleFile.schedule) throw new InputError(scheduleFile.problems);
  if (!scheduleFile.exists) {
    throw new UsageError(
      `${scheduleFile.file} not found: run \`rota plan\` (and commit schedule.yaml) first; the report reads who served from it`,
    );
  }
  if (until !== undefined && since === undefined) {
    // Without --since the window starts on the schedule's first day, or today if that is earlier.
    const start = fromDay(defaultSince(scheduleFile.schedule.entries, toDay(today)));
    if (until < start) {
      const met = start === today ? "today" : "the schedule's first day";
      throw new UsageError(
        `--until ${until} is before the report's start, ${met} ${start}: give an --until on or after ${start}, or an earlier --since too`,
      );
    }
  }
  const tree = await readScheduledNotes(ctx, roster, scheduleFile.schedule, now, {
    ...(options.allAnswers ? {} : { answers: REPORT_ANSWERS }),
    threads: threadsAllowed(ctx.io.env.ROTA_THREADS),
  });
  const c = paint(ctx.color.stderr);
  for (const warning of tree.warnings) ctx.err(`${c.yellow(warning)}\n`);
  const plannedUntil = scheduleFile.schedule.plannedUntil;
  if (plannedUntil !== undefined && plannedUntil <= today) {
    const through = fromDay(toDay(plannedUntil) - 1);
    ctx.err(
      `${c.yellow(`warning: ${scheduleFile.file} is planned only through ${through}: the days since have no seats, and nobody is counted as missing a turn in them; run \`rota plan\``)}\n`,
    );
  }
  const fixesFile = fixesPath(ctx.rosterPath);
  const fixes = await readFixesFile(fixesFile, ctx.display(fixesFile));
  // People who served and are no longer in the roster: who they were, from git.
  const listed = new Set(roster.people.map((person) => person.id));
  const gone = new Set<string>();
  for (const entry of scheduleFile.schedule.entries) {
    if (!((parseIsoInstant(entry.start) ?? Number.POSITIVE_INFINITY) < now)) continue;
    for (const id of servedBy(entry)) if (!listed.has(id)) gone.add(id);
  }
  let departed: Awaited<ReturnType<typeof readDepartedPeople>> = new Map();
  try {
    departed = await readDepartedPeople(ctx, gone);
  } catch (error) {
    if (!(error instanceof FailedError)) throw error;
    ctx.err(`${c.yellow(`warning: ${error.message}; they are shown by id`)}\n`);
  }
  const report = buildReport({
    roster,
    entries: scheduleFile.schedule.entries,
    ...(scheduleFile.schedule.plannedUntil
      ? { plannedUntil: scheduleFile.schedule.plannedUntil }
      : {}),
    ...(scheduleFile.schedule.countedFrom
      ? { countedFrom: scheduleFile.schedule.countedFrom }
      : {}),
    ...(scheduleFile.schedule.offRoster ? { offRoster: scheduleFile.schedule.offRoster } : {}),
    notes: tree.records,
    now,
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    fixes,
    departed,
  });
  const rosterFile = { file: loaded.file, text: loaded.text };
  return {
    report,
    roster,
    rosterFile,
    schedule: scheduleFile.schedule,
    now,
    notes: tree.records,
    departed,
  };
}

/**
 * The window of `--period week|month`: the week (7 days back, as `rota
 * notify digest` does) or the month up to `--until` (default today), unless
 * `--since` says where it starts.
 */
function periodWindow(
  period: string,
  options: ReportOptions,
  roster: Roster,
  now: number,
): { since: string; until: string } {
  if (!(PERIODS as readonly string[]).includes(period)) {
    throw new UsageError(`--period must be week or month, not "${period}"`);
  }
  const today = fromDay(dayOf(now, roster.timezone));
  const until = dateFlag("--until", options.until, roster) ?? today;
  const since = dateFlag("--since", options.since, roster);
  if (since !== undefined && options.until === undefined) checkSinceAlone(since, today);
  if (since !== undefined) return { since, until };
  const last = toDay(until);
  if (period === "week") return { since: fromDay(last - 7), until };
  const { year, month, dayOfMonth } = partsOf(last);
  const previous = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
  const first = firstOfMonth(previous.year, previous.month);
  const length = firstOfMonth(year, month) - first;
  return { since: fromDay(first + Math.min(dayOfMonth, length)), until };
}

/**
 * `rota report --period week|month`: the digest `rota notify digest` sends,
 * for that period, as markdown or an HTML page to commit or post.
 */
async function runDigest(
  ctx: Context,
  options: ReportOptions,
  format: Format,
  outFile: string | undefined,
): Promise<number> {
  const { roster, now } = await loadRoster(ctx);
  const window = periodWindow(options.period as string, options, roster, now);
  const loaded = await loadReport(ctx, window);
  const report: Report = options.tickets?.length
    ? {
        ...loaded.report,
        helpdesk: await joinTickets(ctx, loaded, options.tickets, options.ticketsFormat),
      }
    : loaded.report;
  const { digestMessage } = await import("../core/notify/build.ts");
  const { linksFor } = await import("./notify.ts");
  const rosterDir = path.dirname(ctx.rosterPath);
  const linkBase = outFile ? path.dirname(outFile) : ctx.io.cwd;
  const links = await linksFor(ctx, roster);
  const message = digestMessage(
    {
      roster,
      schedule: loaded.schedule,
      now,
      noteLink:
        links.noteLink ??
        ((file) => relativeLink(linkBase, path.join(rosterDir, ...file.split("/")))),
      ...(links.reportLink ? { reportLink: links.reportLink } : {}),
    },
    report,
    loaded.notes,
  );
  const generated = report.now;
  let text: string;
  switch (format) {
    case "json": {
      const { event, key, subject, blocks, people } = message;
      text = `${toJson({ event, key, subject, window: report.window, blocks, people, fixes: report.fixes, helpdesk: report.helpdesk })}\n`;
      break;
    }
    case "md": {
      const { renderMessageMarkdown } = await import("../core/notify/page.ts");
      text = renderMessageMarkdown(message, generated);
      break;
    }
    case "html": {
      const { renderMessageHtml } = await import("../core/notify/page.ts");
      text = renderMessageHtml(message, generated);
      break;
    }
    case "terminal": {
      const { plainText } = await import("../core/notify/message.ts");
      text = `${plainText(message)}\n`;
      if (outFile) text = escapeControls(text);
      break;
    }
  }
  await emit(ctx, outFile, text);
  return 0;
}

/** The rendered report (or digest): written to `--out`'s file, or printed. */
async function emit(ctx: Context, outFile: string | undefined, text: string): Promise<void> {
  if (outFile) {
    await writeFileSafely(outFile, text);
    ctx.err(`wrote ${ctx.display(outFile)}\n`);
  } else {
    ctx.out(text);
  }
}

/** `--tickets-format` names the format of the `--tickets` exports: alone, it reads nothing. */
export function checkTicketsFormat(options: { tickets?: string[]; ticketsFormat?: string }): void {
  if (options.ticketsFormat !== undefined && options.tickets === undefined) {
    throw new UsageError("--tickets-format goes with --tickets");
  }
}

/** Reads each `--tickets` export, streaming, and joins its rows to the shifts served. */
export async function joinTickets(
  ctx: Context,
  loaded: LoadedReport,
  files: readonly string[],
  format: string | undefined,
): Promise<HelpdeskFigures> {
  const { TicketJoin } = await import("../core/tickets/join.ts");
  const { readTicketFile, SAVE_EXPORT } = await import("../io/tickets.ts");
  const join = new TicketJoin({
    roster: loaded.roster,
    entries: loaded.schedule.entries,
    now: loaded.now,
    since: loaded.report.window.since,
    until: loaded.report.window.until,
    departed: loaded.departed,
  });
  const threads = threadsAllowed(ctx.io.env.ROTA_THREADS);
  // Every export is checked before the first is read: a pipe or a device in the list is refused at once.
  for (const file of files) {
    const full = path.resolve(ctx.cwd, file);
    checkReachable(full, `--tickets ${ctx.display(full)}`, ctx.display, { save: SAVE_EXPORT });
  }
  for (const file of files) {
    const full = path.resolve(ctx.cwd, file);
    const shown = ctx.display(full);
    const read = await readTicketFile(full, shown, format, (record) => join.add(record), threads);
    join.source(path.basename(full), read.format, read.rows);
  }
  return join.figures();
}

/** A path relative to a directory, with `/`, for a link in markdown or HTML. */
export function relativeLink(fromDir: string, to: string): string {
  return path.relative(fromDir, to).split(path.sep).join("/");
}

/**
 * `rota report`: participation, fairness, notes and themes over a window, in
 * the terminal, as markdown (REPORT.md), JSON or one HTML page; `--out`
 * writes the file atomically instead of printing.
 */
export async function runReport(ctx: Context, options: ReportOptions): Promise<number> {
  const format = formatOf(options);
  checkTicketsFormat(options);
  const outFile = options.out ? path.resolve(ctx.cwd, options.out) : undefined;
  if (outFile && options.out) {
    const inputs = (options.tickets ?? []).map((file) => ({
      path: path.resolve(ctx.cwd, file),
      what: `the --tickets export ${file}`,
    }));
    const example =
      format === "html" ? "report.html" : format === "json" ? "report.json" : "REPORT.md";
    await checkOutputFile(ctx, outFile, "--out", options.out, inputs, example);
  }
  if (options.period !== undefined) return runDigest(ctx, options, format, outFile);
  const loaded = await loadReport(ctx, options);
  const report: Report = options.tickets?.length
    ? {
        ...loaded.report,
        helpdesk: await joinTickets(ctx, loaded, options.tickets, options.ticketsFormat),
      }
    : loaded.report;
  const rosterDir = path.dirname(ctx.rosterPath);
  // Links to note files are relative to where the output will be read from.
  const linkBase = outFile ? path.dirname(outFile) : ctx.io.cwd;
  const link = (file: string) => relativeLink(linkBase, path.join(rosterDir, ...file.split("/")));
  let text: string;
  switch (format) {
    case "json":
      text = `${toJson(report)}\n`;
      break;
    case "md":
      text = renderReportMarkdown(report, { link });
      break;
    case "html":
      text = renderReportHtml(report, { link });
      break;
    case "terminal":
      // A file gets whole lines, as a pipe does; a terminal, lines that fit it.
      text = renderReportText(report, paint(outFile ? 0 : ctx.color.stdout), {
        link,
        width: outFile ? undefined : outputWidth(ctx.io),
      });
      // Printed, it passes io/screen.ts; written, it is read with `cat` later.
      if (outFile) text = escapeControls(text);
      break;
  }
  await emit(ctx, outFile, text);
  return 0;
}
