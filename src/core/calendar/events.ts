import { utcMs } from "../dates.ts";
import { type ResolvedShift, resolveShift } from "../plan/shifts.ts";
import { remembered } from "../remembered.ts";
import { offsetName } from "../render/rota.ts";
import type { Roster } from "../roster/model.ts";
import { type Schedule, type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import { parseIsoInstant } from "../time.ts";
import { type CalendarHistory, type PersonOnRecord, sequenceOf } from "./history.ts";
import type { CalendarSettings } from "./settings.ts";
import type { ZoneBook } from "./zones.ts";

/**
 * Shift occurrences as calendar events: what every feed and invite says about
 * one occurrence, derived from `schedule.yaml` and the roster (and what their
 * history says was published). The schedule's `rev` is the SEQUENCE (raised
 * for an occurrence that came back, see history.ts) and its `changed` the
 * DTSTAMP, so the same committed state always gives the same events.
 */

export type EventTiming =
  /** An all-day shift: DTSTART/DTEND as dates, DTEND exclusive. */
  | { allDay: true; startDate: string; endDate: string }
  /** A timed shift: instants, written in `tzid` (or in UTC when undefined). */
  | { allDay: false; start: number; end: number; tzid?: string };

export interface ShiftEvent {
  /** The occurrence id, `<date>/<shift>`. */
  occurrence: string;
  date: string;
  shift: string;
  people: readonly string[];
  sequence: number;
  /** Epoch milliseconds, from the entry's `changed`. */
  stamp: number;
  timing: EventTiming;
  summary: string;
  description: string;
  /** Reminders, in minutes before the start. */
  reminders: readonly number[];
  busy: boolean;
}

/** How people are named: in full in descriptions, by first name in summaries where that is unambiguous. */
export interface Names {
  full(id: string): string;
  short(id: string): string;
}

/**
 * Names of the roster's people, and of people no longer in it as the roster's
 * history last named them (so that a shift they served keeps the name it was
 * published with); anyone else is named by their id.
 */
export function rosterNames(
  roster: Roster,
  departed: ReadonlyMap<string, PersonOnRecord> = new Map(),
): Names {
  const full = new Map(roster.people.map((person) => [person.id, person.name]));
  // "Grace" of "Grace Hopper"; "Doe" of "Doe, Jane" (a comma ending a word is the name's, not the summary's).
  const firstWord = (name: string) => {
    const first = (name.trim().split(/\s+/)[0] ?? name).replace(/[,;:]+$/, "");
    return first === "" ? name : first;
  };
  const counts = new Map<string, number>();
  for (const person of roster.people) {
    const first = firstWord(person.name);
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  // Someone who left is named by first name only where nobody, then or now, shares it.
  const everyone = new Map(counts);
  for (const [id, person] of departed) {
    if (full.has(id)) continue;
    full.set(id, person.name);
    const first = firstWord(person.name);
    everyone.set(first, (everyone.get(first) ?? 0) + 1);
  }
  const inRoster = new Set(roster.people.map((person) => person.id));
  return {
    full: (id) => full.get(id) ?? id,
    // Worked out once per person: a summary names everyone on the shift.
    short: remembered((id) => {
      const name = full.get(id);
      if (name === undefined) return id;
      const first = firstWord(name);
      return (inRoster.has(id) ? counts : everyone).get(first) === 1 ? first : name;
    }),
  };
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `Mon 23 Nov 2026`, without the runtime's locale data (which differs between Node versions). */
export function formatDate(date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const weekday = new Date(utcMs(year, month - 1, day)).getUTCDay();
  return `${WEEKDAYS[weekday]} ${day} ${MONTHS[month - 1]} ${year}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The local date and wall time of an ISO time with an offset, as written: no zone arithmetic. */
function localParts(iso: string): { date: string; time: string; midnight: boolean } {
  return {
    date: iso.slice(0, 10),
    time: iso.slice(11, 16),
    midnight: /^T00:00(?::00(?:\.0+)?)?(?:Z|[+-])/.test(iso.slice(10)),
  };
}

export interface EventContext {
  roster: Roster;
  settings: CalendarSettings;
  zones: ZoneBook;
  names: Names;
  /** What was published before: the SEQUENCE of occurrences that came back. */
  history?: CalendarHistory;
}

/** The roster's shifts resolved, once per context: every entry of a shift needs its own. */
const resolvedShifts = new WeakMap<EventContext, Map<string, ResolvedShift | undefined>>();

function shiftOf(context: EventContext, id: string): ResolvedShift | undefined {
  let shifts = resolvedShifts.get(context);
  if (shifts === undefined) {
    shifts = new Map();
    resolvedShifts.set(context, shifts);
  }
  if (!shifts.has(id)) {
    const { roster } = context;
    const raw = roster.shifts.find((shift) => shift.id === id);
    shifts.set(id, raw ? resolveShift(raw, roster.timezone) : undefined);
  }
  return shifts.get(id);
}

/** The event for one schedule entry. */
export function eventForEntry(entry: ScheduleEntry, context: EventContext): ShiftEvent {
  const { roster, settings, zones, names } = context;
  const shift = shiftOf(context, entry.shift);
  const start = localParts(entry.start);
  const end = localParts(entry.end);
  // A shift since removed from the roster: all-day when it ran midnight to midnight.
  const allDay = shift ? shift.allDay : start.midnight && end.midnight && end.date > start.date;
  const startMs = parseIsoInstant(entry.start) ?? Number.NaN;
  const endMs = parseIsoInstant(entry.end) ?? Number.NaN;

  let timing: EventTiming;
  if (allDay) {
    timing = { allDay: true, startDate: start.date, endDate: end.date };
  } else {
    const { tzid } = shift ? zones.zone(shift.zone) : {};
    const local =
      tzid !== undefined && zones.canWriteLocal(startMs, tzid) && zones.canWriteLocal(endMs, tzid);
    timing = local
      ? { allDay: false, start: startMs, end: endMs, tzid }
      : { allDay: false, start: startMs, end: endMs };
  }

  const shiftName = shift?.name ?? entry.shift;
  const open = entry.open ?? 0;
  // Who served, where a cover changed it: their calendars hold the shift.
  const people = servedBy(entry);
  const who = people.map((id) => names.short(id)).join(", ");
  const openText = open > 0 ? plural(open, "open seat") : "";
  const label = roster.shifts.length > 1 || !shift ? `Support (${shiftName})` : "Support";
  const summary = `${label}: ${[who, openText].filter(Boolean).join(who ? " + " : "")}`;

  // A shift since taken out of the roster: its times in the offset schedule.yaml recorded.
  const zoneName = shift?.zone ?? offsetName(entry.start);
  const when = allDay
    ? `${formatDate(start.date)}, all day (${zoneName})`
    : `${formatDate(start.date)}, ${start.time}–${end.time}${end.date !== start.date ? " the next day" : ""} (${zoneName})`;
  const lines = [
    `${shiftName}: ${when}`,
    people.length > 0
      ? `On support: ${people.map((id) => names.full(id)).join(", ")}`
      : "On support: nobody yet",
  ];
  if (open > 0) {
    lines.push(
      `${open === 1 ? "One seat is" : `${open} seats are`} still open: nobody could be scheduled for ${open === 1 ? "it" : "them"}.`,
    );
  }
  lines.push(
    "",
    "Afterwards: write your field notes with `rota notes` in the roster's repository (what customers struggled with, what surprised you, one thing to fix).",
    "",
    `Occurrence ${entry.id} in ${roster.team}'s schedule.yaml.`,
  );

  return {
    occurrence: entry.id,
    date: entry.date,
    shift: entry.shift,
    people,
    sequence: context.history ? sequenceOf(context.history, entry) : entry.rev,
    stamp: parseIsoInstant(entry.changed) ?? Number.NaN,
    timing,
    summary,
    description: lines.join("\n"),
    reminders: allDay ? settings.reminders.allDay : settings.reminders.timed,
    busy: settings.busy,
  };
}

/** Every entry of a schedule as events, in the order of their start (then shift id). */
export function eventsForSchedule(schedule: Schedule, context: EventContext): ShiftEvent[] {
  // Each start parsed once, not at every comparison.
  const starts = new Map(
    schedule.entries.map((entry) => [entry, parseIsoInstant(entry.start) ?? 0]),
  );
  const startOf = (entry: ScheduleEntry) => starts.get(entry) as number;
  return [...schedule.entries]
    .sort((a, b) => startOf(a) - startOf(b) || (a.shift < b.shift ? -1 : a.shift > b.shift ? 1 : 0))
    .map((entry) => eventForEntry(entry, context));
}
