import type { Context } from "../context.ts";
import { toJson } from "../core/controls.ts";
import { resolveShift } from "../core/plan/shifts.ts";
import { type Cell, cutList, fitTable } from "../core/render/fit.ts";
import { occurrenceJson, zoneCity } from "../core/render/rota.ts";
import { visibleLength } from "../core/render/style.ts";
import { type ScheduleEntry, servedBy } from "../core/schedule/schedule.ts";
import { formatLocal, isoInZone, parseIsoInstant } from "../core/time.ts";
import { InputError } from "../errors.ts";
import { prepareClock, resolveNow, viewerZone } from "../io/clock.ts";
import { readRosterFile } from "../io/roster-file.ts";
import { readScheduleFile } from "../io/schedule-file.ts";
import { paint } from "../io/terminal.ts";
import { resolveTimeFlag } from "../io/time-flags.ts";
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
  const now: ScheduleEntry[] = [];
  let nextStart = Number.POSITIVE_INFINITY;
  let next: ScheduleEntry[] = [];
  for (const entry of entries) {
    const start = parseIsoInstant(entry.start) ?? Number.NaN;
    const end = parseIsoInstant(entry.end) ?? Number.NaN;
    if (start <= at && at < end) now.push(entry);
    else if (start > at) {
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

/** `rota who`: who is on support now (or at --at) and next, in the viewer's zone. */
export async function runWho(ctx: Context, options: WhoOptions): Promise<number> {
  const rosterFile = await readRosterFile(ctx);
  if (!rosterFile.roster) throw new InputError(rosterFile.problems);
  const roster = rosterFile.roster;
  const scheduleFile = await readScheduleFile(ctx);
  if (!scheduleFile.schedule) throw new InputError(scheduleFile.problems);
  await prepareClock(ctx);
  const at = options.at
    ? resolveTimeFlag("--at", options.at, roster.timezone)
    : resolveNow(ctx, roster.timezone);
  const viewer = viewerZone(ctx);
  const { now, next } = whoIsOn(scheduleFile.schedule.entries, at);

  if (options.json) {
    const shifts = (options.next ? next : now).map(occurrenceJson);
    ctx.out(`${toJson({ at: isoInZone(at, viewer), shifts })}\n`);
    return 0;
  }
  if (!scheduleFile.exists) ctx.err(`${scheduleFile.file} does not exist yet: run \`rota plan\`\n`);
  const c = paint(ctx.color.stdout);
  const shifts = new Map(roster.shifts.map((s) => [s.id, resolveShift(s, roster.timezone)]));
  const names = new Map(roster.people.map((p) => [p.id, p.name]));
  const width = outputWidth(ctx.io);
  // Where a line is too wide, the shift's name is shortened, then each person's.
  const describe = (entries: ScheduleEntry[], withDate: boolean) =>
    fitTable(
      entries.map((entry): Cell[] => {
        const shift = shifts.get(entry.shift);
        const start = parseIsoInstant(entry.start) ?? 0;
        const end = parseIsoInstant(entry.end) ?? 0;
        const span = shift?.allDay
          ? `${formatLocal(start, shift.zone, "ccc d LLL")}, all day`
          : `${formatLocal(start, viewer, withDate ? "ccc d LLL HH:mm" : "HH:mm")}–${formatLocal(end, viewer, "HH:mm")}`;
        const people = servedBy(entry).map((id) => names.get(id) ?? id);
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
  const when = `${formatLocal(at, viewer, "ccc d LLL yyyy HH:mm")} ${zoneCity(viewer)} time`;
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
