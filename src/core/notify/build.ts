import { fromDay, toDay } from "../dates.ts";
import type { OpenFix } from "../fixes.ts";
import { type ResolvedShift, resolveShift } from "../plan/shifts.ts";
import { counted } from "../render/human.ts";
import { formatDay, formatSpan, occurrenceJson, offsetName, zoneCity } from "../render/rota.ts";
import type { Report } from "../report/figures.ts";
import type { NoteRecord } from "../report/notes.ts";
import { fixesSummary } from "../report/sections.ts";
import { quoteText } from "../report/themes.ts";
import type { Roster } from "../roster/model.ts";
import { type Schedule, type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import { dayOf, parseIsoInstant, startOfDay, wallTimeToInstant } from "../time.ts";
import { type Lead, leadBefore } from "./leads.ts";
import {
  type Block,
  type Inline,
  joined,
  link,
  type Message,
  person,
  strong,
  text,
} from "./message.ts";

/**
 * The messages of `rota notify`, from the roster, the schedule, the notes and
 * "now". Pure: every message has a key and a window (from when it is due to
 * when it is stale) that follow from the schedule, "now" and the lead alone,
 * so a run that comes twice or late finds the same messages.
 */

export interface NotifyInput {
  roster: Roster;
  schedule: Schedule;
  /** Epoch milliseconds. */
  now: number;
  /** The web address of a note file (relative to the roster's directory), when it has one. */
  noteLink?: (file: string) => string | undefined;
  /** The web address of the report, when it has one. */
  reportLink?: string;
}

interface Names {
  shifts: Map<string, ResolvedShift>;
  people: Map<string, string>;
}

function namesOf(roster: Roster): Names {
  return {
    shifts: new Map(roster.shifts.map((shift) => [shift.id, resolveShift(shift, roster.timezone)])),
    people: new Map(roster.people.map((p) => [p.id, p.name])),
  };
}

const startOf = (entry: ScheduleEntry) => parseIsoInstant(entry.start) ?? Number.NaN;

function byStart(a: ScheduleEntry, b: ScheduleEntry): number {
  return startOf(a) - startOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** `Mon 23 Nov`. */
function dayText(entry: ScheduleEntry, withYear = false): string {
  return formatDay(toDay(entry.date), withYear);
}

/**
 * `09:00–17:00 Berlin time` in the shift's own zone, or `all day`; of a
 * shift since taken out of the roster, in the offset schedule.yaml recorded
 * (`09:00–17:00 UTC-05:00`).
 */
function timeText(entry: ScheduleEntry, names: Names): string {
  const shift = names.shifts.get(entry.shift);
  const span = formatSpan(entry, shift);
  if (!shift) return `${span} ${offsetName(entry.start)}`;
  return shift.allDay ? span : `${span} ${zoneCity(shift.zone)} time`;
}

function shiftName(entry: ScheduleEntry, names: Names): string {
  return names.shifts.get(entry.shift)?.name ?? entry.shift;
}

/** `EMEA day, Mon 23 Nov, 09:00–17:00 Berlin time`. */
function shiftParts(entry: ScheduleEntry, names: Names, withDay = true): Inline[] {
  return [
    strong(shiftName(entry, names)),
    text(`${withDay ? `, ${dayText(entry)}` : ""}, ${timeText(entry, names)}`),
  ];
}

function peopleParts(ids: readonly string[], names: Names): Inline[] {
  return joined(ids.map((id) => person(id, names.people.get(id) ?? id)));
}

function nameList(ids: readonly string[], names: Names): string {
  return ids.map((id) => names.people.get(id) ?? id).join(", ");
}

function latestAnswer(note: NoteRecord, id: string): string | undefined {
  for (let i = note.entries.length - 1; i >= 0; i--) {
    const answer = note.entries[i]?.answers[id];
    if (typeof answer === "string" && answer.trim() !== "") return answer;
  }
  return undefined;
}

/**
 * Who is on support today (the roster zone's date: the shifts that start
 * on it there), shift by shift in each shift's own time (with its own date
 * where that is another), each with the handoff from the shift's previous
 * occurrence: what its people wrote in their notes (`struggles`, `fix`),
 * linked. Due from `at` (minutes after the roster zone's midnight; 0 when
 * not given) to the day's end; none on a day without shifts.
 */
export function todayMessages(input: NotifyInput, notes: readonly NoteRecord[], at = 0): Message[] {
  const { roster, schedule, now } = input;
  const zone = roster.timezone;
  const day = dayOf(now, zone);
  const date = fromDay(day);
  if (now < wallTimeToInstant(day, at, zone).ms) return [];
  const names = namesOf(roster);
  // Today in the roster's zone: a shift far from it (Sydney's morning for a
  // Berlin team) is on the day its start falls on there, with its own date.
  const entries = schedule.entries
    .filter((entry) => {
      const start = parseIsoInstant(entry.start);
      return start !== undefined ? dayOf(start, zone) === day : entry.date === date;
    })
    .sort(byStart);
  if (entries.length === 0) return [];
  const notesOf = new Map<string, NoteRecord[]>();
  for (const note of notes) {
    const list = notesOf.get(note.occurrence) ?? [];
    list.push(note);
    notesOf.set(note.occurrence, list);
  }
  const blocks: Block[] = [{ kind: "title", text: `On support today, ${formatDay(day)}` }];
  for (const entry of entries) {
    // A cover recorded once the shift started says who actually stands in.
    const serving = servedBy(entry);
    const on: Inline[] = serving.length > 0 ? peopleParts(serving, names) : [];
    if (entry.open) {
      if (on.length > 0) on.push(text(", "));
      on.push(text(`${entry.open} seat${entry.open === 1 ? "" : "s"} open`));
    }
    blocks.push({
      kind: "para",
      parts: [
        ...shiftParts(entry, names, entry.date !== date),
        text(": "),
        ...(on.length ? on : [text("nobody")]),
      ],
    });
    const previous = previousOccurrence(schedule.entries, entry);
    if (!previous) continue;
    const served = servedBy(previous);
    const written = [...(notesOf.get(previous.id) ?? [])].sort((a, b) =>
      a.person < b.person ? -1 : a.person > b.person ? 1 : 0,
    );
    blocks.push({
      kind: "item",
      level: 0,
      parts: [
        text(
          `Handoff from ${dayText(previous)}${served.length ? ` (${nameList(served, names)})` : ""}:`,
        ),
      ],
    });
    for (const note of written) {
      const parts: Inline[] = [strong(names.people.get(note.person) ?? note.person), text(": ")];
      const struggles = latestAnswer(note, "struggles");
      const fix = latestAnswer(note, "fix");
      if (struggles) parts.push(text(`customers struggled with “${quoteText(struggles)}”`));
      if (fix) parts.push(text(`${struggles ? "; " : ""}fix: “${quoteText(fix)}”`));
      // A team's own template may ask neither: the notes are there all the same.
      if (struggles || fix) parts.push(text(" "));
      const url = input.noteLink?.(note.file);
      parts.push(url ? link("notes", url) : text(`(${note.file})`));
      blocks.push({ kind: "item", level: 1, parts });
    }
    const silent = served.filter((id) => !written.some((n) => n.person === id));
    if (silent.length > 0) {
      blocks.push({
        kind: "item",
        level: 1,
        parts: [text(`No notes yet from ${nameList(silent, names)}`)],
      });
    }
  }
  const people = [...new Set(entries.flatMap((entry) => servedBy(entry)))];
  return [
    {
      event: "today",
      key: `today/${date}`,
      expires: startOfDay(day + 1, zone),
      subject: `On support today, ${formatDay(day)}`,
      blocks,
      people,
      occurrences: entries.map(occurrenceJson),
    },
  ];
}

/** The latest occurrence of the same shift that started before this one. */
function previousOccurrence(
  entries: readonly ScheduleEntry[],
  entry: ScheduleEntry,
): ScheduleEntry | undefined {
  const start = startOf(entry);
  let best: ScheduleEntry | undefined;
  for (const other of entries) {
    if (other.shift !== entry.shift || !(startOf(other) < start)) continue;
    if (!best || startOf(other) > startOf(best)) best = other;
  }
  return best;
}

/**
 * A reminder for each person on a shift that starts within a lead. Each lead
 * is due from `lead` before the start until the next shorter lead is due
 * (or the shift starts), so a late run still sends it and a shift added at
 * short notice gets only the reminders still ahead of it.
 */
export function reminderMessages(input: NotifyInput, leads: readonly Lead[]): Message[] {
  const { roster, schedule, now } = input;
  const names = namesOf(roster);
  const messages: Message[] = [];
  for (const entry of [...schedule.entries].sort(byStart)) {
    const start = startOf(entry);
    if (!(start > now)) continue;
    const zone = names.shifts.get(entry.shift)?.zone ?? roster.timezone;
    const dues = leads.map((lead) => leadBefore(start, lead, zone));
    const index = dues.findIndex(
      (due, i) => due <= now && now < (i + 1 < dues.length ? (dues[i + 1] as number) : start),
    );
    if (index === -1) continue;
    const lead = leads[index] as Lead;
    for (const id of entry.people) {
      const others = entry.people.filter((other) => other !== id);
      const name = names.people.get(id) ?? id;
      const blocks: Block[] = [
        { kind: "title", text: `Reminder: your support shift, ${shiftName(entry, names)}` },
        {
          kind: "para",
          parts: [
            person(id, name),
            text(`, you are on support ${howSoon(start - now)}: `),
            ...shiftParts(entry, names),
            text("."),
          ],
        },
      ];
      if (others.length > 0) {
        // Named, not mentioned: each of them has a reminder of their own, and
        // a mention here would ping them a second time.
        blocks.push({ kind: "para", parts: [text(`With ${nameList(others, names)}`)] });
      }
      blocks.push({
        kind: "para",
        parts: [text("Afterwards, write down what you saw: rota notes")],
      });
      messages.push({
        event: "remind",
        key: `remind/${lead.label}/${entry.id}/${id}`,
        expires: start,
        subject: `Reminder: ${shiftName(entry, names)}, ${dayText(entry)}, ${timeText(entry, names)}`,
        blocks,
        person: id,
        people: [id],
        occurrences: [occurrenceJson(entry)],
      });
    }
  }
  return messages;
}

/** `in 3 days`, `in 20 hours`, `in 45 minutes`: how far off a start is, rounded. */
function howSoon(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 90) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `in ${hours} hours`;
  return `in ${Math.round(hours / 24)} days`;
}

/** What a change to the schedule was, for the messages about it. */
export interface ScheduleChange {
  /** Names the change in message keys: the commit (or range) it came from. */
  id: string;
  /**
   * The schedule the change made, when a later change followed it; the
   * input's (current) schedule otherwise. Next shifts always come from the
   * current one.
   */
  after?: Schedule;
}

/**
 * One message per person whose future shifts a change added, removed or
 * moved (a new time), with their next shifts. Nothing for shifts that have
 * started. Due until the last shift it names starts.
 */
export function changeMessages(
  input: NotifyInput,
  before: Schedule,
  change: ScheduleChange,
  nextCount = 3,
): Message[] {
  const { roster, schedule: current, now } = input;
  const after = change.after ?? current;
  const names = namesOf(roster);
  const beforeById = new Map(before.entries.map((entry) => [entry.id, entry]));
  const afterById = new Map(after.entries.map((entry) => [entry.id, entry]));
  type Change = { entry: ScheduleEntry; how: "added" | "removed" | "moved"; was?: ScheduleEntry };
  const changes = new Map<string, Change[]>();
  const add = (id: string, item: Change) => {
    const list = changes.get(id) ?? [];
    list.push(item);
    changes.set(id, list);
  };
  for (const entry of after.entries) {
    if (!(startOf(entry) > now)) continue;
    const old = beforeById.get(entry.id);
    for (const id of entry.people) {
      if (!old?.people.includes(id)) add(id, { entry, how: "added" });
      else if (old.start !== entry.start || old.end !== entry.end) {
        add(id, { entry, how: "moved", was: old });
      }
    }
  }
  for (const old of before.entries) {
    const now_ = afterById.get(old.id);
    const start = Math.min(startOf(old), now_ ? startOf(now_) : Number.POSITIVE_INFINITY);
    if (!(start > now)) continue;
    for (const id of old.people) {
      if (!now_?.people.includes(id)) add(id, { entry: old, how: "removed" });
    }
  }
  const order = new Map(roster.people.map((p, index) => [p.id, index]));
  const ids = [...changes.keys()].sort(
    (a, b) =>
      (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER) ||
      (a < b ? -1 : 1),
  );
  const swaps = roster.swaps ?? [];
  return ids.map((id): Message => {
    const items = (changes.get(id) as Change[]).sort((a, b) => byStart(a.entry, b.entry));
    const name = names.people.get(id) ?? id;
    const blocks: Block[] = [
      { kind: "title", text: "Your support shifts changed" },
      { kind: "para", parts: [person(id, name), text(", the rota changed for you:")] },
    ];
    for (const { entry, how, was } of items) {
      // The last such swap: swaps of one occurrence apply in order, so it is the one that stands.
      const swap = swaps.findLast(
        (s) =>
          `${s.date}/${s.shift}` === entry.id &&
          ((how === "added" && s.in === id) || (how === "removed" && s.out === id)),
      );
      const why = swap
        ? ` (swap: ${names.people.get(how === "added" ? swap.out : swap.in) ?? swap.in}${swap.reason ? `, ${swap.reason}` : ""})`
        : "";
      const lead =
        how === "added" ? "New: " : how === "removed" ? "No longer yours: " : "New time: ";
      const parts: Inline[] = [text(lead), ...shiftParts(entry, names)];
      if (was) parts.push(text(` (was ${timeText(was, names)})`));
      if (why) parts.push(text(why));
      blocks.push({ kind: "item", level: 0, parts });
    }
    const next = current.entries
      .filter((entry) => entry.people.includes(id) && startOf(entry) > now)
      .sort(byStart)
      .slice(0, nextCount);
    if (next.length > 0) {
      blocks.push({ kind: "para", parts: [text("Your next shifts:")] });
      for (const entry of next) {
        blocks.push({ kind: "item", level: 0, parts: shiftParts(entry, names) });
      }
    } else {
      blocks.push({ kind: "para", parts: [text("You have no shifts planned now.")] });
    }
    const latest = Math.max(...items.map(({ entry }) => startOf(entry)));
    return {
      event: "changes",
      key: `changes/${change.id}/${id}`,
      expires: latest,
      subject: `Your support shifts changed: ${items.length} shift${items.length === 1 ? "" : "s"}`,
      blocks,
      person: id,
      people: [id],
      occurrences: items.map(({ entry }) => occurrenceJson(afterById.get(entry.id) ?? entry)),
    };
  });
}

/**
 * What the front line said in the report's window: its top themes, the fixes
 * proposed and the notes still missing, from the report's figures. Due on
 * the window's last day and the week after it.
 */
export function digestMessage(
  input: NotifyInput,
  report: Report,
  notes: readonly NoteRecord[],
  limit = 5,
): Message {
  const { roster } = input;
  const names = namesOf(roster);
  const { since, until } = report.window;
  const span = `${formatDay(toDay(since), false)} – ${formatDay(toDay(until))}`;
  const totals = report.totals;
  const share = totals.notesShare === null ? "" : ` (${Math.round(totals.notesShare * 100)}%)`;
  const blocks: Block[] = [
    { kind: "title", text: `What the front line said, ${span}` },
    {
      kind: "para",
      parts: [
        text(
          `${totals.shifts} shift${totals.shifts === 1 ? "" : "s"} served, ${totals.withNotes} with notes${share}.`,
        ),
      ],
    },
  ];
  const quoteParts = (quote: { text: string; person: string; file: string }): Inline[] => {
    const url = input.noteLink?.(quote.file);
    const said = `“${quoteText(quote.text, 160)}” (${names.people.get(quote.person) ?? quote.person})`;
    return url ? [text(`${said} `), link("notes", url)] : [text(said)];
  };
  const themes = report.themes.struggles.slice(0, limit);
  blocks.push({
    kind: "para",
    parts: [text(themes.length ? "What customers struggled with:" : "No recurring struggles.")],
  });
  for (const theme of themes) {
    blocks.push({
      kind: "item",
      level: 0,
      parts: [strong(theme.term), text(` (${theme.count} notes)`)],
    });
    const quote = theme.quotes[0];
    if (quote) blocks.push({ kind: "item", level: 1, parts: quoteParts(quote) });
  }
  // Fixes: the recurring ones, else the latest proposed in the window.
  const fixes = report.themes.fix.slice(0, limit);
  if (fixes.length > 0) {
    blocks.push({ kind: "para", parts: [text("Fixes proposed:")] });
    for (const theme of fixes) {
      blocks.push({
        kind: "item",
        level: 0,
        parts: [strong(theme.term), text(` (${theme.count} notes)`)],
      });
      const quote = theme.quotes[0];
      if (quote) blocks.push({ kind: "item", level: 1, parts: quoteParts(quote) });
    }
  } else {
    const proposed = notes
      .filter((note) => note.date >= since && note.date <= until)
      .map((note) => ({ note, fix: latestAnswer(note, "fix") }))
      .filter((item): item is { note: NoteRecord; fix: string } => item.fix !== undefined)
      .sort((a, b) => (a.note.date > b.note.date ? -1 : a.note.date < b.note.date ? 1 : 0))
      .slice(0, limit);
    blocks.push({
      kind: "para",
      parts: [text(proposed.length ? "Fixes proposed:" : "No fixes proposed.")],
    });
    for (const { note, fix } of proposed) {
      blocks.push({
        kind: "item",
        level: 0,
        parts: quoteParts({ text: fix, person: note.person, file: note.file }),
      });
    }
  }
  blocks.push(...followUpBlocks(report, since, names.people, input.noteLink, limit * 2));
  blocks.push(...helpdeskBlocks(report));
  const missing = report.people.filter((p) => p.notes.missing.length > 0);
  blocks.push({
    kind: "para",
    parts: [text(missing.length ? "Notes missing:" : "No notes missing.")],
  });
  for (const p of missing.slice(0, 10)) {
    const shifts = p.notes.missing
      .slice(-3)
      .map((id) => {
        const [date, shift] = id.split("/") as [string, string];
        return `${names.shifts.get(shift)?.name ?? shift} ${formatDay(toDay(date), false)}`;
      })
      .join(", ");
    blocks.push({
      kind: "item",
      level: 0,
      parts: [
        person(p.id, p.name),
        text(`: ${p.notes.missing.length} (${shifts}${p.notes.missing.length > 3 ? ", …" : ""})`),
      ],
    });
  }
  if (missing.length > 10) {
    blocks.push({ kind: "item", level: 0, parts: [text(`and ${missing.length - 10} more`)] });
  }
  if (input.reportLink) {
    blocks.push({ kind: "para", parts: [link("The whole report", input.reportLink)] });
  }
  const untilDay = toDay(until);
  return {
    event: "digest",
    key: `digest/${since}/${until}`,
    expires: startOfDay(untilDay + 8, roster.timezone),
    subject: `What the front line said, ${span}`,
    blocks,
    people: missing.map((p) => p.id),
    occurrences: [],
  };
}

/**
 * The fixes followed up: how many the window proposed and how many were
 * done, then the open ones, oldest first — those the previous digest left
 * open before those proposed since.
 */
function followUpBlocks(
  report: Report,
  since: string,
  people: ReadonlyMap<string, string>,
  noteLink: ((file: string) => string | undefined) | undefined,
  limit: number,
): Block[] {
  const blocks: Block[] = [{ kind: "para", parts: [text(fixesSummary(report))] }];
  const open = report.fixes.openList;
  const groups: [string, typeof open][] = [
    ["Still open from before:", open.filter((fix) => fix.date < since)],
    ["Open, proposed this period:", open.filter((fix) => fix.date >= since)],
  ];
  const days = (age: number) => (age === 1 ? "1 day" : `${age} days`);
  const withNotes = (said: string, file: string): Inline[] => {
    const url = noteLink?.(file);
    return url ? [text(`${said} `), link("notes", url)] : [text(said)];
  };
  let shown = 0;
  for (const [title, fixes] of groups) {
    if (fixes.length === 0) continue;
    blocks.push({ kind: "para", parts: [text(title)] });
    for (const same of sameFixes(fixes)) {
      if (shown++ >= limit) break;
      const [first] = same as [OpenFix, ...OpenFix[]];
      const quote = `“${quoteText(first.text, 160)}”`;
      const by = (fix: OpenFix) => people.get(fix.person) ?? fix.person;
      if (same.length === 1) {
        const said = `${quote} (${by(first)}, ${days(first.age)}, ${first.id})`;
        blocks.push({ kind: "item", level: 0, parts: withNotes(said, first.file) });
        continue;
      }
      const said = `${quote} (proposed ${same.length} times, the first ${days(first.age)} ago)`;
      blocks.push({ kind: "item", level: 0, parts: [text(said)] });
      for (const fix of same.slice(0, SAME_FIX_SHOWN)) {
        const one = `${by(fix)}, ${days(fix.age)}, ${fix.id}`;
        blocks.push({ kind: "item", level: 1, parts: withNotes(one, fix.file) });
      }
      if (same.length > SAME_FIX_SHOWN) {
        const more = `and ${same.length - SAME_FIX_SHOWN} more, listed by rota fix`;
        blocks.push({ kind: "item", level: 1, parts: [text(more)] });
      }
    }
  }
  if (shown > limit) {
    blocks.push({ kind: "item", level: 0, parts: [text(`and ${shown - limit} more`)] });
  }
  return blocks;
}

/** How many proposals of one same fix the digest names before counting the rest. */
const SAME_FIX_SHOWN = 3;

/**
 * Open fixes grouped by what they say (the same words, whatever their case,
 * spacing or closing punctuation), each group where its oldest fix stands:
 * a fix proposed after every shift of a week is one item of the digest.
 */
function sameFixes(fixes: readonly OpenFix[]): OpenFix[][] {
  const groups = new Map<string, OpenFix[]>();
  for (const fix of fixes) {
    const key = quoteText(fix.text, Number.POSITIVE_INFINITY)
      .toLowerCase()
      .replace(/[\s.!;:,]+$/, "");
    const group = groups.get(key);
    if (group) group.push(fix);
    else groups.set(key, [fix]);
  }
  return [...groups.values()];
}

/** The help desk's figures, when the digest was given exports (`--tickets`). */
function helpdeskBlocks(report: Report): Block[] {
  const desk = report.helpdesk;
  if (!desk) return [];
  const t = desk.totals;
  const parts = [`${counted(t.conversations, "conversation")} handled on shifts`];
  if (t.firstReply.medianMinutes !== null) {
    parts.push(`first reply in ${Math.round(t.firstReply.medianMinutes)} min (median)`);
  }
  if (t.resolution.known > 0)
    parts.push(`${t.resolution.resolved} of ${t.resolution.known} resolved`);
  if (t.satisfaction.share !== null) {
    parts.push(
      `${Math.round(t.satisfaction.share * 100)}% satisfied of ${t.satisfaction.rated} rated`,
    );
  }
  const blocks: Block[] = [{ kind: "para", parts: [text(`Help desk: ${parts.join(", ")}.`)] }];
  if (t.unmatched > 0) {
    blocks.push({
      kind: "item",
      level: 0,
      parts: [
        text(
          `${t.unmatched} not joined to a shift: ${desk.unmatched.reasons.map((r) => `${r.count} ${r.reason}`).join(", ")}`,
        ),
      ],
    });
  }
  return blocks;
}
