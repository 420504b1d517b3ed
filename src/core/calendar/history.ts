import { EMAIL, isRealDate, LINE, SLUG } from "../roster/formats.ts";
import {
  checkEntry,
  renderEntry,
  type Schedule,
  type ScheduleEntry,
  servedBy,
} from "../schedule/schedule.ts";

/**
 * What calendars must remember of what they published before, read from the
 * history of schedule.yaml and the roster (io/calendar-history.ts reads git;
 * this is pure). Calendar apps keep what a feed or invite once said:
 *
 * - A SEQUENCE must never go down for a UID. `rev` restarts at 0 when an
 *   occurrence comes back after it was removed (and cancelled, at rev + 1),
 *   so such an occurrence is published above everything it had before.
 * - A person removed from the roster still has the shifts they accepted in
 *   their calendar: they need cancellations, at the address the roster had,
 *   and their past shifts keep the name they were published with.
 */

/** What one commit did to schedule.yaml: its occurrence lines removed and added (the JSON after `  - `). */
export interface ScheduleChange {
  removed: readonly string[];
  added: readonly string[];
}

/** A shift a person was on, as last published with them on it, and its SEQUENCE then. */
export interface Dropped {
  entry: ScheduleEntry;
  sequence: number;
}

/**
 * A person as the roster last recorded them: their name and address, and
 * what their fair share depends on (for the report), where the roster had
 * them in the form it allows.
 */
export interface PersonOnRecord {
  name: string;
  email?: string;
  team?: string;
  roles?: string[];
  shifts?: string[];
  weight?: number;
  joined?: string;
  /** The `helpdesk:` aliases the roster had for them (help-desk names and ids), for tickets. */
  helpdesk?: (string | number)[];
}

export interface CalendarHistory {
  /** The SEQUENCE of each occurrence of the current schedule, by id, where it is not its rev. */
  sequences: ReadonlyMap<string, number>;
  /** The SEQUENCE each committed version of an occurrence was published with, by its line. */
  published: ReadonlyMap<string, number>;
  /** For each person, the occurrences they were on and no longer are, by occurrence id. */
  dropped: ReadonlyMap<string, ReadonlyMap<string, Dropped>>;
  /** Every person on any version of any occurrence, then or now. */
  people: ReadonlySet<string>;
  /** People no longer in the roster, as its history last named them. */
  departed: ReadonlyMap<string, PersonOnRecord>;
}

/** No history: every SEQUENCE is its rev, nobody is remembered. */
export const NO_HISTORY: CalendarHistory = {
  sequences: new Map(),
  published: new Map(),
  dropped: new Map(),
  people: new Set(),
  departed: new Map(),
};

/** The SEQUENCE of an entry of the current schedule. */
export function sequenceOf(history: CalendarHistory, entry: ScheduleEntry): number {
  return history.sequences.get(entry.id) ?? entry.rev;
}

/** The SEQUENCE an earlier version of an occurrence was published with (its rev when unknown). */
export function publishedSequenceOf(history: CalendarHistory, entry: ScheduleEntry): number {
  return history.published.get(renderEntry(entry)) ?? entry.rev;
}

function parseLine(json: string): ScheduleEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  return checkEntry(value) ? undefined : (value as ScheduleEntry);
}

/**
 * Whether two versions of an occurrence say the same to a calendar: time,
 * people, open seats. Their revs may differ: each write of a change raises
 * rev, so swaps that end where they began leave it higher and the event as it was.
 */
export function sameEvent(a: ScheduleEntry, b: ScheduleEntry): boolean {
  return (
    a.start === b.start &&
    a.end === b.end &&
    (a.open ?? 0) === (b.open ?? 0) &&
    servedBy(a).length === servedBy(b).length &&
    servedBy(a).every((person, i) => servedBy(b)[i] === person)
  );
}

interface Track {
  entry?: ScheduleEntry;
  line?: string;
  /** The SEQUENCE last published. */
  sequence: number;
  /** Added to rev since the occurrence came back. */
  offset: number;
  /** The least SEQUENCE it may come back with. */
  floor: number;
}

/**
 * Replays the changes to schedule.yaml, oldest first, then the current
 * schedule (which may not be committed yet), and returns the SEQUENCE of
 * each occurrence, what each person was dropped from, and everyone seen.
 *
 * An occurrence's SEQUENCE is its rev plus an offset that is 0 until it is
 * removed and comes back: then the offset lifts it two above the last
 * SEQUENCE published (invites cancelled it at one above), and stays for
 * every later rev. A version whose time or people changed without its rev
 * rising (an edit by hand) still rises by one. Without history this is the
 * schedule's own rev, so feeds stay as they were.
 */
export function replaySchedule(
  changes: readonly ScheduleChange[],
  current: Schedule,
): Omit<CalendarHistory, "departed"> {
  const tracks = new Map<string, Track>();
  const published = new Map<string, number>();
  const dropped = new Map<string, Map<string, Dropped>>();
  const people = new Set<string>();

  const apply = (id: string, next: ScheduleEntry | undefined, line: string | undefined) => {
    const track = tracks.get(id) ?? { sequence: 0, offset: 0, floor: 0 };
    tracks.set(id, track);
    const old = track.entry;
    const oldSequence = track.sequence;
    if (next && line !== undefined) {
      if (old && track.line === line) return;
      const floor = old ? (sameEvent(old, next) ? oldSequence : oldSequence + 1) : track.floor;
      let sequence = next.rev + track.offset;
      if (sequence < floor) {
        track.offset += floor - sequence;
        sequence = floor;
      }
      track.entry = next;
      track.line = line;
      track.sequence = sequence;
      published.set(line, sequence);
      for (const person of servedBy(next)) {
        people.add(person);
        dropped.get(person)?.delete(id);
      }
    } else if (old) {
      track.entry = undefined;
      track.line = undefined;
      track.floor = oldSequence + 2;
    }
    if (old) {
      for (const person of servedBy(old)) {
        if (next && servedBy(next).includes(person)) continue;
        let mine = dropped.get(person);
        if (!mine) {
          mine = new Map();
          dropped.set(person, mine);
        }
        mine.set(id, { entry: old, sequence: oldSequence });
      }
    }
  };

  for (const change of changes) {
    const touched = new Map<string, { entry?: ScheduleEntry; line?: string }>();
    for (const json of change.removed) {
      const entry = parseLine(json);
      if (entry && !touched.has(entry.id)) touched.set(entry.id, {});
    }
    for (const json of change.added) {
      const entry = parseLine(json);
      if (entry) touched.set(entry.id, { entry, line: renderEntry(entry) });
    }
    for (const [id, { entry, line }] of touched) apply(id, entry, line);
  }

  // The schedule as it is now, committed or not, is the last change.
  const now = new Map(current.entries.map((entry) => [entry.id, entry]));
  for (const [id, track] of tracks)
    if (track.entry && !now.has(id)) apply(id, undefined, undefined);
  const sequences = new Map<string, number>();
  for (const entry of current.entries) {
    apply(entry.id, entry, renderEntry(entry));
    const sequence = tracks.get(entry.id)?.sequence ?? entry.rev;
    if (sequence !== entry.rev) sequences.set(entry.id, sequence);
  }
  return { sequences, published, dropped, people };
}

type Raw = Record<string, unknown>;

/** A list of ids as the roster allows one. */
function slugs(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string" && SLUG.test(item));
}

/**
 * The people of one version of the roster, from its YAML as data (it may
 * have been invalid then): id, name and email where they are strings, and
 * what their share depends on where the roster had it in a valid form.
 */
export function peopleOnRecord(roster: unknown): Map<string, PersonOnRecord> {
  const found = new Map<string, PersonOnRecord>();
  if (roster === null || typeof roster !== "object" || Array.isArray(roster)) return found;
  const list = (roster as Raw).people;
  for (const item of Array.isArray(list) ? list : []) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) continue;
    const { id, name, email, team, roles, shifts, weight, joined, helpdesk } = item as Raw;
    const aliases = helpdeskAliases(helpdesk);
    if (typeof id !== "string" || found.has(id)) continue;
    found.set(id, {
      // A name as the roster allows one (a line of text), else the id.
      name: typeof name === "string" && LINE.test(name) ? name : id,
      // An address as the roster allows one (and a line of text).
      ...(typeof email === "string" && EMAIL.test(email) && LINE.test(email) ? { email } : {}),
      ...(typeof team === "string" && SLUG.test(team) ? { team } : {}),
      ...(slugs(roles) ? { roles } : {}),
      ...(slugs(shifts) ? { shifts } : {}),
      ...(typeof weight === "number" && weight > 0 && weight <= 100 ? { weight } : {}),
      ...(typeof joined === "string" && isRealDate(joined) ? { joined } : {}),
      ...(aliases.length > 0 ? { helpdesk: aliases } : {}),
    });
  }
  return found;
}

/** A person's `helpdesk:` aliases as the roster allows them (text, or a whole number), one or a list. */
function helpdeskAliases(value: unknown): (string | number)[] {
  return [value]
    .flat()
    .filter(
      (alias): alias is string | number =>
        (typeof alias === "string" && alias.trim() !== "" && LINE.test(alias)) ||
        (typeof alias === "number" && Number.isInteger(alias) && alias >= 0),
    );
}
