/**
 * The audit trail: what changed in the rota's files, commit by commit, turned
 * into events a person can read in one line each. Pure: the git history is
 * read by `io/history.ts` and handed in as commits, file changes and texts.
 */

import { UnreadableRoster } from "./roster-versions.ts";

export const LOG_EVENT_KINDS = [
  "notes",
  "notes-template",
  "notes-file",
  "roster-created",
  "roster-unreadable",
  "roster-readable",
  "person-added",
  "person-removed",
  "person-changed",
  "swap-added",
  "swap-changed",
  "swap-removed",
  "roster-changed",
  "schedule-changed",
  "moved",
  "history-missing",
] as const;
export type LogEventKind = (typeof LOG_EVENT_KINDS)[number];

export interface SwapRecord {
  date: string;
  shift: string;
  out: string;
  in: string;
  reason?: string;
}

/** One line of `rota log`; `rota log --json` prints an array of these. */
export interface LogEvent {
  /** The full hash of the commit. */
  commit: string;
  /** The author date, ISO 8601 with the author's offset. */
  date: string;
  author: string;
  email: string;
  kind: LogEventKind;
  /** The event in words, as the line shows it. */
  summary: string;
  /** notes, roster-created (absent), person-*: the person concerned. */
  person?: string;
  /** notes, swap-*: the occurrence id, `<date>/<shift>`. */
  occurrence?: string;
  /** notes: the note's path in the repository; moved: where the file or notes directory is now. */
  file?: string;
  /** moved: where it was before. */
  from?: string;
  /** notes: a new note, an entry added to one, or a note deleted. */
  action?: "written" | "appended" | "removed";
  /** notes-template, notes-file: the file added, changed or removed. */
  change?: "added" | "changed" | "removed";
  /** swap-*: the swap as the roster records it. */
  swap?: SwapRecord;
  /** swap-changed: the swap as it was before (its reason differs). */
  before?: SwapRecord;
  /** person-changed: the keys of the person that changed; roster-changed: the top-level keys. */
  fields?: string[];
  /** roster-created; roster-readable with no earlier readable version: the people in it. */
  people?: string[];
  /** schedule-changed: occurrences added, changed (people or times) and removed. */
  added?: number;
  changed?: number;
  removed?: number;
  /** schedule-changed: the ids of those occurrences, in date order. */
  occurrences?: string[];
}

/** A commit as the log reads it. */
export interface CommitInfo {
  commit: string;
  date: string;
  author: string;
  email: string;
  /** `Rota-Occurrence` and `Rota-Person` trailers (rota notes writes them). */
  occurrences: string[];
  persons: string[];
}

type Base = Pick<LogEvent, "commit" | "date" | "author" | "email">;

function base(commit: CommitInfo): Base {
  return { commit: commit.commit, date: commit.date, author: commit.author, email: commit.email };
}

type Raw = Record<string, unknown>;
const asMap = (value: unknown): Raw | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Raw) : undefined;

/** The people of each roster read (one version is compared with the one before and after it). */
const peopleRead = new WeakMap<Raw, Map<string, Raw>>();

function peopleOf(roster: Raw): Map<string, Raw> {
  const known = peopleRead.get(roster);
  if (known) return known;
  const people = new Map<string, Raw>();
  peopleRead.set(roster, people);
  for (const item of Array.isArray(roster.people) ? roster.people : []) {
    const person = asMap(item);
    if (person && typeof person.id === "string" && !people.has(person.id)) {
      people.set(person.id, person);
    }
  }
  return people;
}

function swapsOf(roster: Raw): Map<string, SwapRecord> {
  const swaps = new Map<string, SwapRecord>();
  for (const item of Array.isArray(roster.swaps) ? roster.swaps : []) {
    const swap = asMap(item);
    if (!swap) continue;
    const { date, shift, out, in: incoming, reason } = swap;
    if ([date, shift, out, incoming].some((v) => typeof v !== "string")) continue;
    const record: SwapRecord = {
      date: date as string,
      shift: shift as string,
      out: out as string,
      in: incoming as string,
      ...(typeof reason === "string" ? { reason } : {}),
    };
    // The same swap again (swapped back and then once more) is a swap of its own.
    const key = `${record.date}/${record.shift}/${record.out}/${record.in}`;
    let nth = 1;
    while (swaps.has(`${key}#${nth}`)) nth++;
    swaps.set(`${key}#${nth}`, record);
  }
  return swaps;
}

/**
 * Whether two values read from YAML print the same as JSON. Parts that are
 * the very same object (a piece of the roster that did not change between
 * two versions) are not printed at all.
 */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => same(item, b[i]));
  }
  const x = asMap(a);
  const y = asMap(b);
  if (x && y) {
    const keys = Object.keys(x);
    const others = Object.keys(y);
    const alike = (key: string, i: number) =>
      key === others[i] && x[key] !== undefined && y[key] !== undefined;
    if (keys.length === others.length && keys.every(alike)) {
      return keys.every((key) => same(x[key], y[key]));
    }
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The keys whose values differ between two mappings, in a stable order. */
function changedKeys(before: Raw, after: Raw, skip: readonly string[] = []): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !skip.includes(key) && !same(before[key], after[key])).sort();
}

function swapText(swap: SwapRecord): string {
  return `${swap.date}/${swap.shift}: ${swap.out} → ${swap.in}${swap.reason ? ` (${swap.reason})` : ""}`;
}

/** A version of the roster as data: a mapping rota can compare, or undefined. */
function readableRoster(value: unknown): Raw | undefined {
  return value instanceof UnreadableRoster ? undefined : asMap(value);
}

const NOT_KEYS = "not the keys of a roster (version, team, people, …)";

/** Why a version of the roster that is not a mapping does not read as one. */
function whyNotRoster(value: unknown): string {
  if (value instanceof UnreadableRoster) return value.why;
  if (value === null || value === undefined) return "it is empty";
  if (Array.isArray(value)) return `it holds a list, ${NOT_KEYS}`;
  if (typeof value === "string") {
    const text = value.length > 40 ? `${value.slice(0, 39)}…` : value;
    return `it holds the text ${JSON.stringify(text)}, ${NOT_KEYS}`;
  }
  return `it holds the value ${String(value)}, ${NOT_KEYS}`;
}

/**
 * What one commit changed in the roster, from the data before and after:
 * `undefined` where the file did not exist, an `UnreadableRoster` where it
 * does not parse. A version that parses to anything but a mapping (a word,
 * a list, nothing) does not read as a roster either. `earlier` is the last
 * version before this commit that did, if any: a commit that repairs the
 * roster is compared with it. Rosters are compared as data, so events come
 * even from rosters that were invalid at the time.
 */
export function rosterEvents(
  commit: CommitInfo,
  before: unknown,
  after: unknown,
  file: string,
  earlier?: unknown,
): LogEvent[] {
  const at = base(commit);
  const old = readableRoster(before);
  const now = readableRoster(after);
  if (after === undefined) {
    return [{ ...at, kind: "roster-changed", summary: `${file} deleted`, fields: [] }];
  }
  if (!now) {
    const why = whyNotRoster(after);
    if (before !== undefined && !old) {
      return [
        {
          ...at,
          kind: "roster-changed",
          summary: `${file} changed, and still does not read as a roster: ${why}`,
          fields: [],
        },
      ];
    }
    const summary =
      before === undefined
        ? `${file} created, but it does not read as a roster: ${why}`
        : `${file} no longer reads as a roster at this commit: ${why}`;
    return [{ ...at, kind: "roster-unreadable", summary }];
  }
  if (!old) {
    const last = readableRoster(earlier);
    if (before !== undefined && last) {
      const changes = rosterDiff(at, last, now, file);
      const summary =
        changes.length > 0
          ? `${file} reads as a roster again, with these changes from the last version that did`
          : `${file} reads as a roster again, the same as the last version that did`;
      return [{ ...at, kind: "roster-readable", summary }, ...changes];
    }
    const people = [...peopleOf(now).keys()];
    const count = `${people.length} ${people.length === 1 ? "person" : "people"}`;
    return [
      before === undefined
        ? { ...at, kind: "roster-created", summary: `${file} created with ${count}`, people }
        : {
            ...at,
            kind: "roster-readable",
            summary: `${file} reads as a roster, with ${count}`,
            people,
          },
    ];
  }
  const events = rosterDiff(at, old, now, file);
  if (events.length === 0) {
    const summary = same(old, now)
      ? `${file} edited (comments or layout only)`
      : `${file}: people or swaps reordered`;
    events.push({ ...at, kind: "roster-changed", summary, fields: [] });
  }
  return events;
}

/** The people, swaps and other keys that differ between two readable rosters. */
function rosterDiff(at: Base, old: Raw, now: Raw, file: string): LogEvent[] {
  const events: LogEvent[] = [];
  const oldPeople = peopleOf(old);
  const newPeople = peopleOf(now);
  for (const [id, person] of newPeople) {
    const previous = oldPeople.get(id);
    if (!previous) {
      const name = typeof person.name === "string" ? ` (${person.name})` : "";
      events.push({
        ...at,
        kind: "person-added",
        summary: `${file}: added ${id}${name}`,
        person: id,
      });
    } else {
      const fields = previous === person ? [] : changedKeys(previous, person);
      if (fields.length > 0) {
        events.push({
          ...at,
          kind: "person-changed",
          summary: `${file}: ${id} changed (${fields.join(", ")})`,
          person: id,
          fields,
        });
      }
    }
  }
  for (const id of oldPeople.keys()) {
    if (!newPeople.has(id)) {
      events.push({ ...at, kind: "person-removed", summary: `${file}: removed ${id}`, person: id });
    }
  }
  const oldSwaps = swapsOf(old);
  const newSwaps = swapsOf(now);
  for (const [key, swap] of newSwaps) {
    const before = oldSwaps.get(key);
    if (before === undefined) {
      events.push({
        ...at,
        kind: "swap-added",
        summary: `swap ${swapText(swap)}`,
        occurrence: `${swap.date}/${swap.shift}`,
        swap,
      });
    } else if (!same(before, swap)) {
      // The same swap (date, shift, out and in) with another reason: one swap still.
      const reason = (record: SwapRecord) => record.reason ?? "(none)";
      events.push({
        ...at,
        kind: "swap-changed",
        summary: `swap changed ${swapText({ ...swap, reason: undefined })}: reason ${reason(before)} → ${reason(swap)}`,
        occurrence: `${swap.date}/${swap.shift}`,
        swap,
        before,
      });
    }
  }
  for (const [key, swap] of oldSwaps) {
    if (!newSwaps.has(key)) {
      events.push({
        ...at,
        kind: "swap-removed",
        summary: `swap removed ${swapText(swap)}`,
        occurrence: `${swap.date}/${swap.shift}`,
        swap,
      });
    }
  }
  const fields = changedKeys(old, now, ["people", "swaps"]);
  if (fields.length > 0) {
    events.push({
      ...at,
      kind: "roster-changed",
      summary: `${file}: changed ${fields.join(", ")}`,
      fields,
    });
  }
  return events;
}

/**
 * The same events as another commit's, for a commit that made the same
 * change (the same roster before and after): only who, when and which differ.
 */
export function sameChangeAt(events: readonly LogEvent[], commit: CommitInfo): LogEvent[] {
  return events.map((event) => ({ ...event, ...base(commit) }));
}

/** One occurrence in a schedule diff: its people before and after (absent: not there). */
export interface OccurrenceChange {
  id: string;
  before?: string[];
  after?: string[];
}

/**
 * Reads the occurrence lines of a schedule.yaml diff (`git log -p -U0`),
 * which `rota plan` writes one per line: `-  - {"id": …}` and `+  - {"id": …}`.
 */
export function readScheduleDiff(lines: readonly string[]): OccurrenceChange[] {
  const changes = new Map<string, OccurrenceChange>();
  const keys = new Map<string, string>();
  for (const line of lines) {
    const sign = line[0];
    if ((sign !== "+" && sign !== "-") || !line.startsWith("  - {", 1)) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line.slice(5));
    } catch {
      continue;
    }
    const record = asMap(entry);
    if (!record || typeof record.id !== "string") continue;
    // Who served, where a cover changed it, else who was planned.
    const who = Array.isArray(record.served) ? record.served : record.people;
    const people = Array.isArray(who) ? who.map(String) : [];
    const change = changes.get(record.id) ?? { id: record.id };
    // Who and when: a line rewritten for anything else (how a seat was
    // filled, a min_gap_days note) changes neither.
    const key = JSON.stringify([people, record.start, record.end]);
    if (sign === "-") {
      change.before = people;
      keys.set(`-${record.id}`, key);
    } else {
      change.after = people;
      keys.set(`+${record.id}`, key);
    }
    changes.set(record.id, change);
  }
  return [...changes.values()]
    .filter(
      (change) =>
        change.before === undefined ||
        change.after === undefined ||
        keys.get(`-${change.id}`) !== keys.get(`+${change.id}`),
    )
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The schedule's changes in one commit as one event (none when nothing changed). */
export function scheduleEvent(
  commit: CommitInfo,
  changes: readonly OccurrenceChange[],
  file: string,
  person?: string,
): LogEvent | undefined {
  const relevant = person
    ? changes.filter((c) => (c.before ?? []).includes(person) !== (c.after ?? []).includes(person))
    : changes;
  if (relevant.length === 0) return undefined;
  const added = relevant.filter((c) => !c.before).length;
  const removed = relevant.filter((c) => !c.after).length;
  const changed = relevant.length - added - removed;
  let summary: string;
  if (person) {
    const on = relevant.filter((c) => (c.after ?? []).includes(person)).map((c) => c.id);
    const off = relevant.filter((c) => (c.before ?? []).includes(person)).map((c) => c.id);
    const list = (ids: string[]) =>
      ids.length <= 3 ? ids.join(", ") : `${ids.slice(0, 3).join(", ")} and ${ids.length - 3} more`;
    const parts = [];
    if (on.length > 0) parts.push(`${person} on ${list(on)}`);
    if (off.length > 0) parts.push(`${person} off ${list(off)}`);
    summary = `${file}: ${parts.join("; ")}`;
  } else {
    const parts = [];
    if (changed > 0) parts.push(`${plural(changed, "occurrence")} changed`);
    if (added > 0) parts.push(`${added} added`);
    if (removed > 0) parts.push(`${removed} removed`);
    summary = `${file}: ${parts.join(", ")}`;
  }
  return {
    ...base(commit),
    kind: "schedule-changed",
    summary,
    added,
    changed,
    removed,
    occurrences: relevant.map((c) => c.id),
  };
}

const NOTE_FILE = /^(\d{4})\/(\d{2})\/(\d{4}-\d{2}-\d{2})-(.+)\.md$/;

/**
 * A note added, appended to or deleted in a commit. The occurrence and person
 * come from the commit's trailers when it is rota's one-note commit, else
 * from the file name (`<date>-<shift>-<person>.md`, split at a known shift).
 */
export function noteEvent(
  commit: CommitInfo,
  file: string,
  /** The path below the notes directory: `2026/11/2026-11-23-emea-ada.md`. */
  inNotes: string,
  status: string,
  onlyNoteInCommit: boolean,
  shiftIds: readonly string[],
): LogEvent | undefined {
  const match = NOTE_FILE.exec(inNotes);
  if (!match) return undefined;
  const date = match[3] as string;
  const rest = match[4] as string;
  let occurrence: string | undefined;
  let person: string | undefined;
  if (onlyNoteInCommit && commit.occurrences.length === 1 && commit.persons.length === 1) {
    occurrence = commit.occurrences[0];
    person = commit.persons[0];
  } else {
    const shift = [...shiftIds]
      .sort((a, b) => b.length - a.length)
      .find((id) => rest.startsWith(`${id}-`) && rest.length > id.length + 1);
    if (shift) {
      occurrence = `${date}/${shift}`;
      person = rest.slice(shift.length + 1);
    }
  }
  const action = status === "A" ? "written" : status === "D" ? "removed" : "appended";
  const what = occurrence && person ? `${occurrence} by ${person}` : file;
  const verb =
    action === "written" ? "notes" : action === "appended" ? "notes added to" : "notes deleted";
  return {
    ...base(commit),
    kind: "notes",
    summary: `${verb} ${what}`,
    ...(person ? { person } : {}),
    ...(occurrence ? { occurrence } : {}),
    file,
    action,
  };
}

/** Whether a path below the notes directory is a note's (`YYYY/MM/<date>-<rest>.md`). */
export function isNoteFile(inNotes: string): boolean {
  return NOTE_FILE.test(inNotes);
}

/**
 * A file that is not a note changed: the notes template (which sets the
 * questions everyone answers) or anything else kept beside the notes.
 */
export function notesFileEvent(
  commit: CommitInfo,
  file: string,
  status: string,
  template: boolean,
): LogEvent {
  const change = status === "A" ? "added" : status === "D" ? "removed" : "changed";
  return {
    ...base(commit),
    kind: template ? "notes-template" : "notes-file",
    summary: `${template ? "notes template" : file} ${change}`,
    file,
    change,
  };
}

/**
 * The roster, the schedule, the notes template or the notes directory moved
 * (`git mv`): `count` is how many notes moved with their directory.
 */
export function movedEvent(
  commit: CommitInfo,
  from: string,
  file: string,
  count?: number,
): LogEvent {
  const notes = count === undefined ? "" : ` (${plural(count, "note")})`;
  return {
    ...base(commit),
    kind: "moved",
    summary: `${from} moved to ${file}${notes}`,
    file,
    from,
  };
}

/** Whether an event concerns a person (for `rota log --person`). */
export function concerns(event: LogEvent, person: string): boolean {
  switch (event.kind) {
    case "swap-added":
    case "swap-changed":
    case "swap-removed":
      return event.swap?.out === person || event.swap?.in === person;
    case "roster-created":
    case "roster-readable":
      return event.people?.includes(person) ?? false;
    case "schedule-changed":
      return true; // already narrowed to the person's occurrences
    case "history-missing":
      return true;
    default:
      return event.person === person;
  }
}
