import path from "node:path";
import type { Context } from "../context.ts";
import { toJson } from "../core/controls.ts";
import { parseIsoInstant } from "../core/instant.ts";
import { type Cell, cutList, fitTable } from "../core/render/fit.ts";
import { occurrenceJson, zoneCity } from "../core/render/rota.ts";
import { PLAIN, visibleLength } from "../core/render/style.ts";
import { type ScheduleEntry, servedBy } from "../core/schedule/schedule.ts";
import { InputError, UsageError } from "../errors.ts";
import { type CacheSource, usableCacheDir } from "../io/cache.ts";
import { prepareClock, resolveNow, viewer as viewerOf } from "../io/clock.ts";
import { readUserFile } from "../io/files.ts";
import { checkReadInside, repositoryOf } from "../io/inside.ts";
import { formatInProcessZone, systemZone } from "../io/local-time.ts";
import { type RosterIndex, readRosterIndex, writeRosterIndex } from "../io/roster-index.ts";
import { readScheduleText, scheduleFromText } from "../io/schedule-file.ts";
import { entryLines, readScheduleIndex, writeScheduleIndex } from "../io/schedule-index.ts";
import { outputWidth } from "../io/width.ts";

export interface WhoOptions {
  at?: string;
  next?: boolean;
  json?: boolean;
}

/** Who is on at an instant, and who comes next, from schedule entries. */
export function whoIsOn(
  entries: readonly ScheduleEntry[],
  at: number,
): { now: ScheduleEntry[]; next: ScheduleEntry[] } {
  return whoIsOnBy(
    entries,
    (entry) => parseIsoInstant(entry.start) ?? Number.NaN,
    (entry) => parseIsoInstant(entry.end) ?? Number.NaN,
    at,
  );
}

/** `whoIsOn` over any items with a start and an end, in their order. */
function whoIsOnBy<T>(
  items: readonly T[],
  startOf: (item: T) => number,
  endOf: (item: T) => number,
  at: number,
): { now: T[]; next: T[] } {
  const now: T[] = [];
  let nextStart = Number.POSITIVE_INFINITY;
  let next: T[] = [];
  for (const entry of items) {
    const start = startOf(entry);
    // The end matters only for what has started (a year ahead is planned).
    if (start <= at) {
      if (at < endOf(entry)) now.push(entry);
    } else if (start > at) {
      if (start < nextStart) {
        nextStart = start;
        next = [entry];
      } else if (start === nextStart) {
        next.push(entry);
      }
    }
  }
  return { now, next };
}

/** Rosters larger than this are never indexed (rota does not read them). */
const MAX_INDEXED_BYTES = 32 * 1024 * 1024;

/**
 * What `who` needs of the roster: from the index kept beside it when that
 * matches the roster's bytes, else read (and refused when it has errors) and
 * indexed for the next run (by `save`, once the command goes through).
 */
async function rosterForWho(
  ctx: Context,
): Promise<{ index: RosterIndex; save?: () => Promise<void> }> {
  let source: CacheSource | undefined;
  try {
    await checkReadInside(
      await repositoryOf(path.dirname(ctx.rosterPath)),
      ctx.rosterPath,
      "the roster",
    );
    const read = await readUserFile(ctx.rosterPath, MAX_INDEXED_BYTES);
    if (read.kind === "ok") source = read;
  } catch {
    // The full read below says what is wrong.
  }
  if (source) {
    const found = await readRosterIndex(ctx.rosterPath, source);
    if (found) {
      const { index, restamp } = found;
      const key = source;
      return {
        index,
        save: restamp ? () => writeRosterIndex(ctx.rosterPath, key, index) : undefined,
      };
    }
  }
  const { readRosterFile } = await import("../io/roster-file.ts");
  const rosterFile = await readRosterFile(ctx);
  if (!rosterFile.roster) throw new InputError(rosterFile.problems);
  const roster = rosterFile.roster;
  const { resolveShift } = await import("../core/plan/shifts.ts");
  const index: RosterIndex = {
    timezone: roster.timezone,
    shifts: roster.shifts.map((s) => {
      const { id, name, zone, allDay } = resolveShift(s, roster.timezone);
      return { id, name, zone, allDay };
    }),
    names: {},
  };
  for (const person of roster.people) {
    if (person.name !== undefined) index.names[person.id] = person.name;
  }
  const key = source;
  return {
    index,
    save: key ? () => writeRosterIndex(ctx.rosterPath, key, index) : undefined,
  };
}

interface ScheduleForWho {
  file: string;
  exists: boolean;
  /** Who is on at an instant, and who comes next. */
  pick: (at: number) => { now: ScheduleEntry[]; next: ScheduleEntry[] };
  /** Keeps the schedule's index for the next run. */
  save?: () => Promise<void>;
}

/**
 * What `who` needs of the schedule: from the index kept beside it when that
 * matches the file's bytes (only the entries shown are parsed), else read in
 * full (and refused when broken) and indexed for the next run.
 */
async function scheduleForWho(ctx: Context): Promise<ScheduleForWho> {
  const read = await readScheduleText(ctx);
  if ("text" in read) {
    const found = await readScheduleIndex(ctx.rosterPath, read);
    const lines = found ? entryLines(read.text) : [];
    if (found && lines.length === found.times.starts.length) {
      const { times } = found;
      const pick = (at: number) => {
        const { now, next } = whoIsOnBy(
          lines.map((_, i) => i),
          (i) => times.starts[i] as number,
          (i) => times.ends[i] as number,
          at,
        );
        const entry = (i: number) => JSON.parse(lines[i] as string) as ScheduleEntry;
        return { now: now.map(entry), next: next.map(entry) };
      };
      const save = found.restamp
        ? () => writeScheduleIndex(ctx.rosterPath, read, times)
        : undefined;
      return { file: read.file, exists: true, pick, save };
    }
  }
  const scheduleFile = "text" in read ? await scheduleFromText(read) : read.file;
  if (!scheduleFile.schedule) throw new InputError(scheduleFile.problems);
  const entries = scheduleFile.schedule.entries;
  return {
    file: scheduleFile.file,
    exists: scheduleFile.exists,
    pick: (at) => whoIsOn(entries, at),
    save:
      "text" in read && scheduleFile.canonical
        ? () =>
            writeScheduleIndex(ctx.rosterPath, read, {
              starts: entries.map((entry) => parseIsoInstant(entry.start) ?? Number.NaN),
              ends: entries.map((entry) => parseIsoInstant(entry.end) ?? Number.NaN),
            })
        : undefined,
  };
}

/** `rota who`: who is on support now (or at --at) and next, in the viewer's zone. */
export async function runWho(ctx: Context, options: WhoOptions): Promise<number> {
  const { index: roster, save } = await rosterForWho(ctx);
  const schedule = await scheduleForWho(ctx);
  await prepareClock(ctx);
  let at: number;
  if (options.at !== undefined) {
    const { resolveTimeFlag } = await import("../io/time-flags.ts");
    at = resolveTimeFlag("--at", options.at, roster.timezone);
  } else {
    at = resolveNow(ctx, roster.timezone);
  }
  if (!schedule.exists) {
    // "Nobody" would read, to a script, as nobody being on support.
    throw new UsageError(
      `${schedule.file} not found: run \`rota plan\` first; rota who reads who is on from it`,
    );
  }
  const { now, next } = schedule.pick(at);
  // Kept only when the command goes through: one refused writes nothing.
  await save?.();
  await schedule.save?.();
  const cache = await usableCacheDir(ctx.rosterPath);
  const { zone: viewer, inProcess } = cache
    ? viewerOf(ctx, () => systemZone(cache))
    : viewerOf(ctx);

  if (options.json) {
    const { isoInZone } = await import("../core/time.ts");
    // Who is on: whoever serves, where a cover recorded someone else.
    const shifts = (options.next ? next : now).map(occurrenceJson);
    ctx.out(`${toJson({ at: isoInZone(at, viewer), shifts })}\n`);
    return 0;
  }
  // Colour needs chalk; plain output (a pipe, NO_COLOR) does not load it.
  const c = ctx.color.stdout ? (await import("../io/terminal.ts")).paint(ctx.color.stdout) : PLAIN;
  const shifts = new Map(roster.shifts.map((s) => [s.id, s]));
  const names = roster.names;
  const nameOf = (id: string) => (Object.hasOwn(names, id) ? names[id] : undefined) ?? id;
  // Times in the viewer's zone come from Date when that is this process's
  // zone; other zones (an all-day shift's, or a TZ given in-process) need luxon.
  const shown = options.next ? next : [...now, ...next];
  const zoned = shown.some((entry) => {
    const shift = shifts.get(entry.shift);
    return shift?.allDay && !(inProcess && shift.zone === viewer);
  });
  const time = !inProcess || zoned ? await import("../core/time.ts") : undefined;
  const formatLocal = (ms: number, zone: string, format: string) =>
    time ? time.formatLocal(ms, zone, format) : formatInProcessZone(ms, format);
  const width = outputWidth(ctx.io);
  // Where a line is too wide, the shift's name is shortened, then each person's.
  const describe = (entries: ScheduleEntry[], withDate: boolean) =>
    fitTable(
      entries.map((entry): Cell[] => {
        const shift = shifts.get(entry.shift);
        const start = parseIsoInstant(entry.start) ?? 0;
        const end = parseIsoInstant(entry.end) ?? 0;
        // The year too where it is not the year of the time asked about.
        const day = (zone: string) =>
          formatLocal(start, zone, "yyyy") === formatLocal(at, zone, "yyyy")
            ? "ccc d LLL"
            : "ccc d LLL yyyy";
        const span = shift?.allDay
          ? `${formatLocal(start, shift.zone, day(shift.zone))}, all day`
          : `${formatLocal(start, viewer, withDate ? `${day(viewer)} HH:mm` : "HH:mm")}–${formatLocal(end, viewer, "HH:mm")}`;
        const people = servedBy(entry).map(nameOf);
        const open = entry.open ? c.red(`${entry.open} open`) : "";
        const join = (list: string) =>
          list && open ? `${list}, ${open}` : list || open || c.red("nobody");
        return [
          shift?.name ?? entry.shift,
          span,
          {
            text: join(people.join(", ")),
            cut: (room) => join(cutList(people, room - (open ? visibleLength(open) + 2 : 0))),
          },
        ];
      }),
      [{ min: 10 }, {}, { min: 20 }],
      { width, indent: "  " },
    );
  // "Berlin time"; a zone that is no place's (UTC, Etc/GMT+5) by its name alone.
  const place = viewer.includes("/") && !viewer.startsWith("Etc/");
  const when = `${formatLocal(at, viewer, "ccc d LLL yyyy HH:mm")} ${zoneCity(viewer)}${place ? " time" : ""}`;
  const lines: string[] = [];
  if (!options.next) {
    lines.push(c.bold(`On support now (${when})`));
    lines.push(...(now.length > 0 ? describe(now, false) : ["  nobody"]));
    lines.push("");
  }
  lines.push(c.bold(options.next ? `Next after ${when}` : "Next"));
  lines.push(...(next.length > 0 ? describe(next, true) : ["  nothing planned: run `rota plan`"]));
  ctx.out(`${lines.join("\n")}\n`);
  return 0;
}
