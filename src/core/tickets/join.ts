import type { PersonOnRecord } from "../calendar/history.ts";
import { type Day, toDay } from "../dates.ts";
import type { Roster } from "../roster/model.ts";
import { type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import { parseIsoInstant, parseTimeArgument, type ZoneClock, zoneClock } from "../time.ts";
import type { RawTime, TicketFormat, TicketRecord, TicketRow } from "./formats.ts";

/**
 * Joins help-desk tickets to the shifts people served: a ticket counts for
 * the person its agent names (an email, a `helpdesk:` alias, an id or a
 * name in the roster, or, for someone who served and is no longer in it, as
 * the roster's history last had them) and the occurrence they served whose time contains
 * the ticket's. Tickets that cannot be joined are counted by reason, never
 * dropped. Pure: "now" and the window are arguments; rows are fed one at a
 * time, so an export of any size streams through.
 */

export type UnmatchedReason =
  | "no-agent"
  | "unknown-agent"
  | "unreadable-timestamp"
  | "outside-window"
  | "outside-shift"
  | "unknown-ticket";

const EXPLANATIONS: Record<UnmatchedReason, string> = {
  "no-agent": "no agent: the ticket is not assigned to anyone",
  "unknown-agent":
    "unknown agent: add their help-desk address or name to the person's `helpdesk:` in the roster",
  "unreadable-timestamp": "unreadable timestamp: not a date and time rota can read",
  "outside-window": "outside the report's window (--since/--until)",
  "outside-shift": "outside any shift of theirs: the agent was not on a shift they served then",
  "unknown-ticket":
    "ratings or metrics of a ticket none of the exports holds: add the tickets export too",
};

/** Conversations handled and what came of them, for a person, team, shift or occurrence. */
export interface HelpdeskStats {
  conversations: number;
  /** Median minutes to the first reply, over the conversations that say. */
  firstReply: { count: number; medianMinutes: number | null };
  /** Conversations resolved (solved or closed), of those whose status is known. */
  resolution: { known: number; resolved: number; medianMinutes: number | null };
  /** Ratings: good ones of all rated; share null when none was rated. */
  satisfaction: { rated: number; good: number; share: number | null };
}

export interface HelpdeskFigures {
  sources: { file: string; format: TicketFormat; rows: number }[];
  /** Every matched conversation. */
  totals: HelpdeskStats & { rows: number; unmatched: number };
  people: ({ id: string; name: string; team: string | null; shifts: number } & HelpdeskStats)[];
  teams: ({ id: string | null } & HelpdeskStats)[];
  shifts: ({ id: string; name: string } & HelpdeskStats)[];
  occurrences: ({ id: string; date: string; shift: string; people: string[] } & HelpdeskStats)[];
  unmatched: {
    total: number;
    reasons: {
      reason: UnmatchedReason;
      count: number;
      explanation: string;
      /** The agents, people or texts behind it, most frequent first (at most five). */
      examples: { value: string; count: number }[];
    }[];
  };
}

/** A person's served occurrences, by start: parallel arrays, searched by start. */
interface Served {
  starts: Float64Array;
  ends: Float64Array;
  occurrences: Int32Array;
}

const MAX_EXAMPLES = 1000;
/**
 * Characters of an example shown, "…" included: an agent's address or name,
 * a time, a ticket's id is shorter; a whole field pasted into the agent's
 * column (a 10 MB cell) is not, and is cut.
 */
const EXAMPLE_CHARS = 80;
const NONE = -1;
/** An occurrence someone served outside the report's window: its tickets are outside it too. */
const OUTSIDE_WINDOW = -2;

/**
 * An example as a report shows it: whole up to EXAMPLE_CHARS characters,
 * else its first ones and "…" (a character beyond the Basic Multilingual
 * Plane is never cut in two). Counted without splitting the whole text.
 */
function shortExample(value: string): string {
  if (value.length <= EXAMPLE_CHARS) return value;
  let cut = 0;
  let end = 0;
  for (let chars = 0; chars < EXAMPLE_CHARS; chars++) {
    if (end >= value.length) return value;
    if (chars === EXAMPLE_CHARS - 1) cut = end;
    const code = value.charCodeAt(end);
    end += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  if (end >= value.length) return value;
  // Copied, not sliced: V8's slice of a long text keeps the whole text alive as long as it is kept.
  return `${Array.from(value.slice(0, cut)).join("")}…`;
}

/** Adds one to array[index]; returns what it was. */
function bump(array: Int32Array, index: number): number {
  const before = array[index] as number;
  array[index] = before + 1;
  return before;
}

/**
 * Puts the k-th smallest of values[from, to) at k (0-based from the start of
 * the array), the smaller ones before it and the larger after: a quickselect,
 * linear where sorting each group would not be.
 */
function select(values: Float64Array, from: number, to: number, k: number): void {
  let low = from;
  let high = to - 1;
  while (low < high) {
    const pivot = values[(low + high) >> 1] as number;
    let i = low;
    let j = high;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return;
  }
}

/** The median of values[from, to), which it reorders; null when empty. */
export function median(values: Float64Array, from: number, to: number): number | null {
  const length = to - from;
  if (length === 0) return null;
  const middle = from + Math.floor(length / 2);
  select(values, from, to, middle);
  let value = values[middle] as number;
  if (length % 2 === 0) {
    // The one below the middle is the largest of those before it.
    let below = values[from] as number;
    for (let i = from + 1; i < middle; i++)
      if ((values[i] as number) > below) below = values[i] as number;
    // Halved first: the sum of two large values would overflow.
    value = below / 2 + value / 2;
  }
  return Math.round(value * 10) / 10 + 0;
}

/**
 * Joined tickets, one index each, as columns: who, which occurrence and the
 * figures (NaN and -1 for none), so a ticket costs no object of its own.
 */
class Slots {
  length = 0;
  person = new Int32Array(1024);
  occurrence = new Int32Array(1024);
  firstReply = new Float64Array(1024);
  resolution = new Float64Array(1024);
  /** -1: not known, 0: no, 1: yes. */
  resolved = new Int8Array(1024);
  satisfied = new Int8Array(1024);
  /** 1 for a ticket without a key (counted after the keyed ones, as they were added). */
  loose = new Uint8Array(1024);

  push(person: number, occurrence: number, record: TicketRecord, loose: boolean): number {
    if (this.length === this.person.length) this.grow();
    const i = this.length++;
    this.person[i] = person;
    this.occurrence[i] = occurrence;
    this.firstReply[i] = record.firstReplyMinutes ?? Number.NaN;
    this.resolution[i] = record.resolutionMinutes ?? Number.NaN;
    this.resolved[i] = record.resolved === null ? -1 : record.resolved ? 1 : 0;
    this.satisfied[i] = record.satisfied === null ? -1 : record.satisfied ? 1 : 0;
    this.loose[i] = loose ? 1 : 0;
    return i;
  }

  /** Fills a ticket's missing figures from another row about it. */
  fill(i: number, record: TicketRecord): void {
    if (Number.isNaN(this.firstReply[i] as number) && record.firstReplyMinutes !== null) {
      this.firstReply[i] = record.firstReplyMinutes;
    }
    if (Number.isNaN(this.resolution[i] as number) && record.resolutionMinutes !== null) {
      this.resolution[i] = record.resolutionMinutes;
    }
    if (record.resolved !== null)
      this.resolved[i] = this.resolved[i] === 1 || record.resolved ? 1 : 0;
    if (this.satisfied[i] === -1 && record.satisfied !== null) {
      this.satisfied[i] = record.satisfied ? 1 : 0;
    }
  }

  private grow(): void {
    const size = this.person.length * 2;
    const grown = <T extends Int32Array | Float64Array | Int8Array | Uint8Array>(
      array: T,
      make: new (n: number) => T,
    ): T => {
      const next = new make(size);
      next.set(array);
      return next;
    };
    this.person = grown(this.person, Int32Array);
    this.occurrence = grown(this.occurrence, Int32Array);
    this.firstReply = grown(this.firstReply, Float64Array);
    this.resolution = grown(this.resolution, Float64Array);
    this.resolved = grown(this.resolved, Int8Array);
    this.satisfied = grown(this.satisfied, Int8Array);
    this.loose = grown(this.loose, Uint8Array);
  }
}

/**
 * The figures of the joined tickets grouped one way (by person, team, shift
 * or occurrence): `group[i]` is ticket i's group, -1 for none.
 */
function groupStats(slots: Slots, group: Int32Array, groups: number): HelpdeskStats[] {
  const n = slots.length;
  const conversations = new Int32Array(groups);
  const known = new Int32Array(groups);
  const resolved = new Int32Array(groups);
  const rated = new Int32Array(groups);
  const good = new Int32Array(groups);
  // Where each group's values start in one array of first replies and one of resolutions.
  const replyStart = new Int32Array(groups + 1);
  const resolutionStart = new Int32Array(groups + 1);
  for (let i = 0; i < n; i++) {
    const g = group[i] as number;
    if (g < 0) continue;
    bump(conversations, g);
    if ((slots.firstReply[i] as number) >= 0) bump(replyStart, g + 1);
    if ((slots.resolution[i] as number) >= 0) bump(resolutionStart, g + 1);
    const r = slots.resolved[i];
    if (r !== -1) {
      bump(known, g);
      if (r === 1) bump(resolved, g);
    }
    const s = slots.satisfied[i];
    if (s !== -1) {
      bump(rated, g);
      if (s === 1) bump(good, g);
    }
  }
  for (let g = 0; g < groups; g++) {
    replyStart[g + 1] = (replyStart[g + 1] as number) + (replyStart[g] as number);
    resolutionStart[g + 1] = (resolutionStart[g + 1] as number) + (resolutionStart[g] as number);
  }
  const replies = new Float64Array(replyStart[groups] as number);
  const resolutions = new Float64Array(resolutionStart[groups] as number);
  const replyAt = replyStart.slice(0, groups);
  const resolutionAt = resolutionStart.slice(0, groups);
  for (let i = 0; i < n; i++) {
    const g = group[i] as number;
    if (g < 0) continue;
    const reply = slots.firstReply[i] as number;
    if (reply >= 0) replies[bump(replyAt, g)] = reply;
    const resolution = slots.resolution[i] as number;
    if (resolution >= 0) resolutions[bump(resolutionAt, g)] = resolution;
  }
  const stats: HelpdeskStats[] = [];
  for (let g = 0; g < groups; g++) {
    const ratedHere = rated[g] as number;
    const goodHere = good[g] as number;
    stats.push({
      conversations: conversations[g] as number,
      firstReply: {
        count: (replyStart[g + 1] as number) - (replyStart[g] as number),
        medianMinutes: median(replies, replyStart[g] as number, replyStart[g + 1] as number),
      },
      resolution: {
        known: known[g] as number,
        resolved: resolved[g] as number,
        medianMinutes: median(
          resolutions,
          resolutionStart[g] as number,
          resolutionStart[g + 1] as number,
        ),
      },
      satisfaction: {
        rated: ratedHere,
        good: goodHere,
        share: ratedHere === 0 ? null : Math.round((goodHere / ratedHere) * 100) / 100 + 0,
      },
    });
  }
  return stats;
}

/** The stats of no conversations, a fresh object each time. */
function nothing(): HelpdeskStats {
  return {
    conversations: 0,
    firstReply: { count: 0, medianMinutes: null },
    resolution: { known: 0, resolved: 0, medianMinutes: null },
    satisfaction: { rated: 0, good: 0, share: null },
  };
}

export interface JoinInput {
  roster: Roster;
  entries: readonly ScheduleEntry[];
  /** Epoch ms: occurrences that started before it were served. */
  now: number;
  /** The report's window, as local dates (inclusive). */
  since: string;
  until: string;
  /** The zone of timestamps written without an offset (default: the roster's). */
  zone?: string;
  /**
   * People on the schedule who are no longer in the roster, as its git
   * history last recorded them (email, name, team, `helpdesk:` aliases).
   * Whoever served and is not here is still known by their id.
   */
  departed?: ReadonlyMap<string, PersonOnRecord>;
}

/** Someone a ticket can be credited to: a person of the roster, or one who served and left it. */
interface Agent {
  id: string;
  name: string;
  team: string | null;
  /** Whether `helpdesk.people` has a row for them: everyone in the roster, and who left it but served in the window. */
  row: boolean;
}

/** Where a ticket with a key went: a slot (0 and up) or the reason it has none (below 0). */
const REASONS: readonly UnmatchedReason[] = [
  "no-agent",
  "unknown-agent",
  "unreadable-timestamp",
  "outside-window",
  "outside-shift",
  "unknown-ticket",
];
const reasonCode = (reason: UnmatchedReason) => -1 - REASONS.indexOf(reason);

/** A ticket's id and the map of its vendor's ids; null for a ticket without an id. */
type Ids = { map: TicketIds; id: string } | null;

/**
 * A help desk's ticket ids to numbers. Most ids are whole numbers written
 * plainly ("4821"): those are kept by their number, which a map finds
 * several times faster than a text among 500,000; any other id by its text.
 * Only a plain number's text names that number, so the two never mix.
 */
export class TicketIds {
  private readonly numbers = new Map<number, number>();
  private readonly texts = new Map<string, number>();

  get(id: string): number | undefined {
    const number = plainNumber(id);
    return number === -1 ? this.texts.get(id) : this.numbers.get(number);
  }

  set(id: string, value: number): void {
    const number = plainNumber(id);
    if (number === -1) this.texts.set(id, value);
    else this.numbers.set(number, value);
  }
}

/** The number an id writes as String(number) would (digits, no leading zero, safe), else -1. */
function plainNumber(id: string): number {
  const n = id.length;
  if (n === 0 || n > 15 || (n > 1 && id.charCodeAt(0) === 0x30)) return -1;
  let number = 0;
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    number = number * 10 + (c - 0x30);
  }
  return number;
}

/** Feeds tickets in with `add`, then `figures()` joins what came. */
export class TicketJoin {
  /**
   * Agents (lower-cased) to the people they may name, by index in `people`:
   * by their own id or email, else their name, else a `helpdesk:` alias. An
   * email may have been two people's at different times (someone left, or an
   * id was renamed): which of them served the ticket's time decides.
   */
  private readonly ownKeys = new Map<string, number[]>();
  private readonly nameKeys = new Map<string, number[]>();
  private readonly aliasKeys = new Map<string, number[]>();
  /** The roster's people, then those who served and are no longer in it (by id). */
  private readonly people: Agent[] = [];
  /** By person index: the occurrences they served. */
  private readonly served: (Served | undefined)[] = [];
  private readonly occurrences: ScheduleEntry[] = [];
  /**
   * Tickets with an id, by vendor then id: their slot, or below 0 the code of
   * why they have none. Ids are kept apart by vendor rather than joined to
   * it in one text, which a big export would pay for on every row.
   */
  private readonly keys = new Map<TicketFormat, TicketIds>();
  private readonly slots = new Slots();
  /** Figures of tickets not met yet, by vendor and id (`zendesk:123`). */
  private readonly pending = new Map<string, TicketRecord>();
  /**
   * Front's conversations by id, until all rows are in: the row of the
   * earliest message seen so far (its instant; Infinity when unreadable),
   * filled with the figures of the others. A conversation counts for the
   * teammate of its first outbound message, wherever the export lists it.
   */
  private readonly messages = new Map<string, { record: TicketRow; at: number }>();
  private readonly reasons = new Map<UnmatchedReason, Map<string, number>>();
  private readonly sources: HelpdeskFigures["sources"] = [];
  private rows = 0;
  private readonly zone: string;
  /** The roster's zone, whose local day the window is in (offsets cached). */
  private readonly clock: ZoneClock;
  private readonly windowStart: Day;
  private readonly windowEnd: Day;

  constructor(private readonly input: JoinInput) {
    const { roster } = input;
    this.zone = input.zone ?? roster.timezone;
    this.clock = zoneClock(roster.timezone);
    const people = this.people;
    const indexOf = new Map<string, number>();
    const records: { email?: string | undefined; helpdesk?: unknown; name?: string }[] = [];
    for (const person of roster.people) {
      if (!indexOf.has(person.id)) indexOf.set(person.id, people.length);
      people.push({ id: person.id, name: person.name, team: person.team ?? null, row: true });
      records.push(person);
    }
    // Who served and is no longer in the roster, as its history last had them (else by id alone).
    const gone = new Set<string>();
    for (const entry of input.entries) {
      if (!((parseIsoInstant(entry.start) ?? Number.POSITIVE_INFINITY) < input.now)) continue;
      for (const id of servedBy(entry)) if (!indexOf.has(id)) gone.add(id);
    }
    for (const id of [...gone].sort()) {
      const known = input.departed?.get(id);
      indexOf.set(id, people.length);
      people.push({ id, name: known?.name ?? id, team: known?.team ?? null, row: false });
      records.push(known ?? {});
    }
    const add = (keys: Map<string, number[]>, key: string, index: number) => {
      const list = keys.get(key);
      if (list === undefined) keys.set(key, [index]);
      else if (!list.includes(index)) list.push(index);
    };
    // A name names someone only when no one else in the roster has it; ids and emails always do.
    const names = new Map<string, number>();
    for (const person of roster.people) {
      const key = person.name.trim().toLowerCase();
      names.set(key, (names.get(key) ?? 0) + 1);
    }
    records.forEach((record, index) => {
      const person = people[index] as Agent;
      if (indexOf.get(person.id) !== index) return;
      add(this.ownKeys, person.id.toLowerCase(), index);
      if (record.email) add(this.ownKeys, record.email.toLowerCase(), index);
      const name = (record.name ?? person.id).trim().toLowerCase();
      if ((names.get(name) ?? 0) <= 1) add(this.nameKeys, name, index);
      // An alias adds a name for a person, never takes another's id, email or name
      // (rota validate reports such an alias in the roster).
      const aliases = record.helpdesk === undefined ? [] : [record.helpdesk].flat();
      for (const alias of aliases) add(this.aliasKeys, String(alias).trim().toLowerCase(), index);
    });
    const since = toDay(input.since);
    const until = toDay(input.until);
    const lists = new Map<number, { start: number; end: number; occurrence: number }[]>();
    for (const entry of input.entries) {
      const start = parseIsoInstant(entry.start);
      const end = parseIsoInstant(entry.end);
      if (start === undefined || end === undefined || start >= input.now) continue;
      // The window holds an occurrence by its own date, as the report counts it served;
      // one outside it is kept to say so of its tickets, whatever day they are in the roster's zone.
      const day = toDay(entry.date);
      const index = day < since || day > until ? OUTSIDE_WINDOW : this.occurrences.push(entry) - 1;
      // Who served it: a cover's tickets are the coverer's.
      for (const id of servedBy(entry)) {
        const person = indexOf.get(id) as number;
        // Someone no longer in the roster has a row when they served in the window, as in the report.
        if (index >= 0) (people[person] as Agent).row = true;
        let list = lists.get(person);
        if (!list) {
          list = [];
          lists.set(person, list);
        }
        list.push({ start, end, occurrence: index });
      }
    }
    for (const [person, list] of lists) {
      list.sort((a, b) => a.start - b.start);
      this.served[person] = {
        starts: Float64Array.from(list, (s) => s.start),
        ends: Float64Array.from(list, (s) => s.end),
        occurrences: Int32Array.from(list, (s) => s.occurrence),
      };
    }
    this.windowStart = since;
    this.windowEnd = until;
  }

  /** Counts a file read: its format and how many rows it held. */
  source(file: string, format: TicketFormat, rows: number): void {
    this.sources.push({ file, format, rows });
  }

  /** The ids of a vendor's tickets met so far. */
  private idsOf(vendor: TicketFormat): TicketIds {
    let ids = this.keys.get(vendor);
    if (ids === undefined) {
      ids = new TicketIds();
      this.keys.set(vendor, ids);
    }
    return ids;
  }

  private unmatched(reason: UnmatchedReason, value: string, ids: Ids): void {
    if (ids !== null) ids.map.set(ids.id, reasonCode(reason));
    // Cut as it is kept: values alike to there are one example, and a huge field is never held.
    const example = shortExample(value);
    let examples = this.reasons.get(reason);
    if (!examples) {
      examples = new Map();
      this.reasons.set(reason, examples);
    }
    if (examples.has(example) || examples.size < MAX_EXAMPLES) {
      examples.set(example, (examples.get(example) ?? 0) + 1);
    } else {
      examples.set("…", (examples.get("…") ?? 0) + 1);
    }
  }

  /** The instant of a timestamp, or undefined when it cannot be read. */
  private instant(at: RawTime): number | undefined {
    if (at === null) return undefined;
    if (typeof at === "number") {
      // Seconds or milliseconds since 1970; beyond a JavaScript date's range
      // (±100,000,000 days) it is no time, not a time off every shift.
      const ms = at < 1e11 ? at * 1000 : at;
      return Math.abs(ms) <= 8.64e15 ? ms : undefined;
    }
    const exact = parseIsoInstant(at);
    if (exact !== undefined) return exact;
    if (/^\d{9,13}$/.test(at)) return this.instant(Number(at));
    // "2026-11-23 10:15:02" and "2026-11-23 10:15:02 UTC" as ISO.
    const iso = at
      .trim()
      .replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, "$1T$2")
      .replace(/ ?(UTC|GMT)$/i, "Z")
      .replace(/ ([+-]\d{2}:?\d{2})$/, "$1");
    const parsed = parseIsoInstant(iso);
    if (parsed !== undefined) return parsed;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso)) return undefined;
    return parseTimeArgument(iso, this.zone);
  }

  /** One row of an export. */
  add(record: TicketRecord): void {
    this.rows++;
    const id = record.id;
    if (record.kind === "supplement") {
      if (id === null) return;
      const known = this.keys.get(record.vendor)?.get(id);
      if (known === undefined) {
        const key = `${record.vendor}:${id}`;
        this.pending.set(key, merge(this.pending.get(key), record));
      } else if (known >= 0) this.slots.fill(known, record);
      return;
    }
    if (id !== null && record.vendor === "front") {
      this.holdMessage(record, id);
      return;
    }
    let ids: Ids = null;
    if (id !== null) {
      const map = this.idsOf(record.vendor);
      const known = map.get(id);
      // The same ticket again (Front has a row per message): its figures fill in.
      if (known !== undefined) {
        if (known >= 0) this.slots.fill(known, record);
        return;
      }
      ids = { map, id };
    }
    this.place(record, ids);
  }

  /** A message of a Front conversation: the earliest so far names the teammate; all give figures. */
  private holdMessage(record: TicketRow, id: string): void {
    const at = this.instant(record.at) ?? Number.POSITIVE_INFINITY;
    const held = this.messages.get(id);
    if (held === undefined) this.messages.set(id, { record, at });
    else if (at < held.at) this.messages.set(id, { record: filled(record, held.record), at });
    else held.record = filled(held.record, record);
  }

  /** Joins a ticket to its person and occurrence, or counts why it has none. */
  private place(record: TicketRow, ids: Ids): void {
    const agents = record.agents;
    if (agents.length === 0) {
      this.unmatched("no-agent", "", ids);
      return;
    }
    let candidates: number[] | undefined;
    for (let i = 0; i < agents.length && candidates === undefined; i++) {
      const key = (agents[i] as string).toLowerCase();
      candidates = this.ownKeys.get(key) ?? this.nameKeys.get(key) ?? this.aliasKeys.get(key);
    }
    if (candidates === undefined) {
      this.unmatched("unknown-agent", agents[0] as string, ids);
      return;
    }
    const at = this.instant(record.at);
    if (at === undefined) {
      this.unmatched("unreadable-timestamp", String(record.at ?? "(none)"), ids);
      return;
    }
    // The one of them who served the ticket's time (the roster's people first, as listed).
    // Inside an occurrence they served, the occurrence's date says whether it is in the window;
    // off their shifts, the ticket's own day in the roster's zone says so.
    let person = candidates[0] as number;
    let occurrence = NONE;
    for (const candidate of candidates) {
      const found = this.occurrenceAt(candidate, at);
      if (found >= 0 || (found === OUTSIDE_WINDOW && occurrence === NONE)) {
        person = candidate;
        occurrence = found;
        if (found >= 0) break;
      }
    }
    if (occurrence < 0) {
      const day = Math.floor((at + this.clock.offsetAt(at) * 60_000) / 86_400_000);
      const outside =
        occurrence === OUTSIDE_WINDOW || day < this.windowStart || day > this.windowEnd;
      // Off shift, an agent who names several people is all of them: it is no one's to say.
      const who = candidates.map((index) => this.idOf(index)).join(" or ");
      this.unmatched(outside ? "outside-window" : "outside-shift", who, ids);
      return;
    }
    const slot = this.slots.push(person, occurrence, record, ids === null);
    if (ids !== null) ids.map.set(ids.id, slot);
  }

  private idOf(person: number): string {
    return (this.people[person] as Agent).id;
  }

  /**
   * The occurrence in the window a person served at an instant; else
   * OUTSIDE_WINDOW when one outside it holds the instant, or NONE.
   */
  private occurrenceAt(person: number, at: number): number {
    const served = this.served[person];
    if (served === undefined) return NONE;
    const { starts, ends } = served;
    // The last shift starting at or before `at`, then earlier ones that may overlap it.
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((starts[middle] as number) <= at) low = middle + 1;
      else high = middle;
    }
    let found = NONE;
    for (let i = low - 1; i >= 0 && i >= low - 4; i--) {
      if (at >= (starts[i] as number) && at < (ends[i] as number)) {
        const occurrence = served.occurrences[i] as number;
        if (occurrence >= 0) return occurrence;
        found = occurrence;
      }
    }
    return found;
  }

  /** The figures of everything added. */
  figures(): HelpdeskFigures {
    if (this.messages.size > 0) {
      const map = this.idsOf("front");
      for (const [id, { record }] of this.messages) this.place(record, { map, id });
      this.messages.clear();
    }
    for (const [key, record] of this.pending) {
      const slot = record.id === null ? undefined : this.keys.get(record.vendor)?.get(record.id);
      if (slot === undefined) this.unmatched("unknown-ticket", key, null);
      else if (slot >= 0) this.slots.fill(slot, record);
    }
    this.pending.clear();
    const { roster } = this.input;
    const slots = this.slots;
    const n = slots.length;
    const people = this.people;

    // Each ticket's group in each grouping.
    const all = new Int32Array(n);
    const byPerson = slots.person.subarray(0, n);
    const byOccurrence = slots.occurrence.subarray(0, n);
    // Teams and shifts numbered as first met, the keyed tickets before the loose ones.
    const teamIds: (string | null)[] = [];
    const teamIndex = new Map<string | null, number>();
    const teamOfPerson = new Int32Array(people.length).fill(NONE);
    // As a map by id would: the last person with an id has its team.
    const teamOf = new Map(people.map((p) => [p.id, p.team]));
    const byTeam = new Int32Array(n);
    const shiftIndex = new Map<string, number>();
    const shiftOfOccurrence = this.occurrences.map((entry) => {
      let index = shiftIndex.get(entry.shift);
      if (index === undefined) {
        index = shiftIndex.size;
        shiftIndex.set(entry.shift, index);
      }
      return index;
    });
    const byShift = new Int32Array(n);
    for (const loose of [0, 1]) {
      for (let i = 0; i < n; i++) {
        if (slots.loose[i] !== loose) continue;
        const person = byPerson[i] as number;
        let team = teamOfPerson[person] as number;
        if (team === NONE) {
          const id = teamOf.get((people[person] as { id: string }).id) ?? null;
          team = teamIndex.get(id) ?? teamIds.push(id) - 1;
          teamIndex.set(id, team);
          teamOfPerson[person] = team;
        }
        byTeam[i] = team;
        byShift[i] = shiftOfOccurrence[byOccurrence[i] as number] as number;
      }
    }
    // The distinct occurrences of each person's tickets.
    const shiftsOf = new Int32Array(people.length);
    const seen = new Int32Array(this.occurrences.length).fill(NONE);
    const order = new Int32Array(n);
    const personStart = new Int32Array(people.length + 1);
    for (let i = 0; i < n; i++) bump(personStart, (byPerson[i] as number) + 1);
    for (let p = 0; p < people.length; p++) {
      personStart[p + 1] = (personStart[p + 1] as number) + (personStart[p] as number);
    }
    const personAt = personStart.slice(0, people.length);
    for (let i = 0; i < n; i++) order[bump(personAt, byPerson[i] as number)] = i;
    for (let p = 0; p < people.length; p++) {
      for (let k = personStart[p] as number; k < (personStart[p + 1] as number); k++) {
        const occurrence = byOccurrence[order[k] as number] as number;
        if (seen[occurrence] !== p) {
          seen[occurrence] = p;
          bump(shiftsOf, p);
        }
      }
    }

    const allStats = groupStats(slots, all, 1)[0] as HelpdeskStats;
    const personStats = groupStats(slots, byPerson, people.length);
    const teamStats = groupStats(slots, byTeam, teamIds.length);
    const shiftStats = groupStats(slots, byShift, shiftIndex.size);
    const occurrenceStats = groupStats(slots, byOccurrence, this.occurrences.length);
    const occurrenceCount = new Int32Array(this.occurrences.length);
    for (let i = 0; i < n; i++) bump(occurrenceCount, byOccurrence[i] as number);

    const reasons = [...this.reasons]
      .map(([reason, examples]) => ({
        reason,
        count: [...examples.values()].reduce((a, b) => a + b, 0),
        explanation: EXPLANATIONS[reason],
        examples: [...examples]
          .filter(([value]) => value !== "")
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, 5)
          .map(([value, count]) => ({ value, count })),
      }))
      .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
    const unmatched = reasons.reduce((sum, r) => sum + r.count, 0);
    // The first person with an id has its figures (as a map by id would).
    const firstOf = new Map<string, number>();
    people.forEach((p, index) => {
      if (!firstOf.has(p.id)) firstOf.set(p.id, index);
    });
    // Everyone the roster has, leadership included, with the same figures; then who served
    // in the window and has left it, as the report lists them.
    return {
      sources: this.sources,
      totals: { rows: this.rows, unmatched, ...allStats },
      people: people.flatMap((p) => {
        if (!p.row) return [];
        const index = firstOf.get(p.id) as number;
        return {
          id: p.id,
          name: p.name,
          team: p.team,
          shifts: shiftsOf[index] as number,
          ...(personStats[index]?.conversations
            ? (personStats[index] as HelpdeskStats)
            : nothing()),
        };
      }),
      teams: teamIds
        .map((id, index) => [id, teamStats[index] as HelpdeskStats] as const)
        .sort((a, b) => ((a[0] ?? "~") < (b[0] ?? "~") ? -1 : 1))
        .map(([id, t]) => ({ id, ...t })),
      shifts: roster.shifts.map((s) => {
        const index = shiftIndex.get(s.id);
        return {
          id: s.id,
          name: s.name ?? s.id,
          ...(index === undefined ? nothing() : (shiftStats[index] as HelpdeskStats)),
        };
      }),
      occurrences: this.occurrences.flatMap((entry, index) =>
        occurrenceCount[index] === 0
          ? []
          : [
              {
                id: entry.id,
                date: entry.date,
                shift: entry.shift,
                people: [...servedBy(entry)],
                ...(occurrenceStats[index] as HelpdeskStats),
              },
            ],
      ),
      unmatched: { total: unmatched, reasons },
    };
  }
}

/** A ticket's row with the figures it lacks taken from another row about it (as Slots.fill does). */
function filled(row: TicketRow, other: TicketRecord): TicketRow {
  return {
    ...row,
    firstReplyMinutes: row.firstReplyMinutes ?? other.firstReplyMinutes,
    resolutionMinutes: row.resolutionMinutes ?? other.resolutionMinutes,
    resolved:
      row.resolved === null || other.resolved === null
        ? (row.resolved ?? other.resolved)
        : row.resolved || other.resolved,
    satisfied: row.satisfied ?? other.satisfied,
  };
}

function merge(before: TicketRecord | undefined, record: TicketRecord): TicketRecord {
  if (!before) return record;
  return {
    ...before,
    firstReplyMinutes: before.firstReplyMinutes ?? record.firstReplyMinutes,
    resolutionMinutes: before.resolutionMinutes ?? record.resolutionMinutes,
    resolved: before.resolved ?? record.resolved,
    satisfied: before.satisfied ?? record.satisfied,
  };
}
