import { type Day, toDay } from "../dates.ts";
import type { Roster } from "../roster/model.ts";
import { type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import { parseIsoInstant, parseTimeArgument, type ZoneClock, zoneClock } from "../time.ts";
import type { RawTime, TicketFormat, TicketRecord, TicketRow } from "./formats.ts";

/**
 * Joins help-desk tickets to the shifts people served: a ticket counts for
 * the person its agent names (an email, a `helpdesk:` alias, an id or a
 * name in the roster) and the occurrence they served whose time contains
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

interface Served {
  start: number;
  end: number;
  occurrence: number;
}

interface Slot {
  person: string;
  occurrence: number;
  firstReply: number | null;
  resolution: number | null;
  resolved: boolean | null;
  satisfied: boolean | null;
}

const MAX_EXAMPLES = 1000;

function median(list: number[]): number | null {
  if (list.length === 0) return null;
  // A typed array sorts numbers natively, without a comparator call per pair.
  const values = new Float64Array(list).sort();
  const middle = Math.floor(values.length / 2);
  const value =
    values.length % 2 === 1
      ? (values[middle] as number)
      : ((values[middle - 1] as number) + (values[middle] as number)) / 2;
  return Math.round(value * 10) / 10 + 0;
}

class Tally {
  conversations = 0;
  firstReplies: number[] = [];
  resolutions: number[] = [];
  known = 0;
  resolved = 0;
  rated = 0;
  good = 0;

  add(slot: Slot): void {
    this.conversations++;
    if (slot.firstReply !== null && slot.firstReply >= 0) this.firstReplies.push(slot.firstReply);
    if (slot.resolution !== null && slot.resolution >= 0) this.resolutions.push(slot.resolution);
    if (slot.resolved !== null) {
      this.known++;
      if (slot.resolved) this.resolved++;
    }
    if (slot.satisfied !== null) {
      this.rated++;
      if (slot.satisfied) this.good++;
    }
  }

  stats(): HelpdeskStats {
    return {
      conversations: this.conversations,
      firstReply: { count: this.firstReplies.length, medianMinutes: median(this.firstReplies) },
      resolution: {
        known: this.known,
        resolved: this.resolved,
        medianMinutes: median(this.resolutions),
      },
      satisfaction: {
        rated: this.rated,
        good: this.good,
        share: this.rated === 0 ? null : Math.round((this.good / this.rated) * 100) / 100 + 0,
      },
    };
  }
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
}

/** Feeds tickets in with `add`, then `figures()` joins what came. */
export class TicketJoin {
  private readonly agents = new Map<string, string>();
  private readonly served = new Map<string, Served[]>();
  private readonly occurrences: ScheduleEntry[] = [];
  private readonly slots = new Map<string, Slot | UnmatchedReason>();
  private readonly loose: Slot[] = [];
  private readonly pending = new Map<string, TicketRecord>();
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
    const names = new Map<string, string[]>();
    for (const person of roster.people) {
      const key = person.name.trim().toLowerCase();
      names.set(key, [...(names.get(key) ?? []), person.id]);
    }
    // A name names someone only when no one else has it; ids, emails and aliases always do.
    for (const [name, ids] of names) if (ids.length === 1) this.agents.set(name, ids[0] as string);
    for (const person of roster.people) {
      this.agents.set(person.id.toLowerCase(), person.id);
      if (person.email) this.agents.set(person.email.toLowerCase(), person.id);
      const aliases = person.helpdesk === undefined ? [] : [person.helpdesk].flat();
      for (const alias of aliases) this.agents.set(String(alias).trim().toLowerCase(), person.id);
    }
    const since = toDay(input.since);
    const until = toDay(input.until);
    for (const entry of input.entries) {
      const start = parseIsoInstant(entry.start);
      const end = parseIsoInstant(entry.end);
      if (start === undefined || end === undefined || start >= input.now) continue;
      const day = toDay(entry.date);
      if (day < since || day > until) continue;
      const index = this.occurrences.push(entry) - 1;
      // Who served it: a cover's tickets are the coverer's.
      for (const person of servedBy(entry)) {
        let list = this.served.get(person);
        if (!list) {
          list = [];
          this.served.set(person, list);
        }
        list.push({ start, end, occurrence: index });
      }
    }
    for (const list of this.served.values()) list.sort((a, b) => a.start - b.start);
    this.windowStart = since;
    this.windowEnd = until;
  }

  /** Counts a file read: its format and how many rows it held. */
  source(file: string, format: TicketFormat, rows: number): void {
    this.sources.push({ file, format, rows });
  }

  private unmatched(reason: UnmatchedReason, example: string, key: string | null): void {
    if (key !== null) this.slots.set(key, reason);
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
    if (typeof at === "number") return at < 1e11 ? at * 1000 : at;
    const utc = utcInstant(at);
    if (utc !== undefined) return utc;
    if (/^\d{9,13}$/.test(at)) return this.instant(Number(at));
    // "2026-11-23 10:15:02" and "2026-11-23 10:15:02 UTC" as ISO.
    const iso = at
      .trim()
      .replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, "$1T$2")
      .replace(/ ?(UTC|GMT)$/i, "Z")
      .replace(/ ([+-]\d{2}:?\d{2})$/, "$1");
    const exact = parseIsoInstant(iso);
    if (exact !== undefined) return exact;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso)) return undefined;
    return parseTimeArgument(iso, this.zone);
  }

  /** One row of an export. */
  add(record: TicketRecord): void {
    this.rows++;
    if (record.kind === "supplement") {
      if (record.key === null) return;
      const known = this.slots.get(record.key);
      if (known === undefined)
        this.pending.set(record.key, merge(this.pending.get(record.key), record));
      else if (typeof known !== "string") fill(known, record);
      return;
    }
    if (record.key !== null) {
      const known = this.slots.get(record.key);
      // The same ticket again (Front has a row per message): its figures fill in.
      if (known !== undefined) {
        if (typeof known !== "string") fill(known, record);
        return;
      }
    }
    const placed = this.place(record);
    if ("reason" in placed) this.unmatched(placed.reason, placed.example, record.key);
    else if (record.key === null) this.loose.push(placed);
    else this.slots.set(record.key, placed);
  }

  /** The person and occurrence of a ticket, or why it has none. */
  private place(record: TicketRow): Slot | { reason: UnmatchedReason; example: string } {
    if (record.agents.length === 0) return { reason: "no-agent", example: "" };
    let person: string | undefined;
    for (const agent of record.agents) {
      person = this.agents.get(agent.toLowerCase());
      if (person !== undefined) break;
    }
    if (person === undefined) {
      return { reason: "unknown-agent", example: record.agents[0] as string };
    }
    const at = this.instant(record.at);
    if (at === undefined) {
      return { reason: "unreadable-timestamp", example: String(record.at ?? "(none)") };
    }
    const day = Math.floor((at + this.clock.offsetAt(at) * 60_000) / 86_400_000);
    if (day < this.windowStart || day > this.windowEnd) {
      return { reason: "outside-window", example: person };
    }
    const occurrence = this.occurrenceAt(person, at);
    if (occurrence === undefined) return { reason: "outside-shift", example: person };
    return {
      person,
      occurrence,
      firstReply: record.firstReplyMinutes,
      resolution: record.resolutionMinutes,
      resolved: record.resolved,
      satisfied: record.satisfied,
    };
  }

  private occurrenceAt(person: string, at: number): number | undefined {
    const list = this.served.get(person);
    if (!list) return undefined;
    // The last shift starting at or before `at`, then earlier ones that may overlap it.
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((list[middle] as Served).start <= at) low = middle + 1;
      else high = middle;
    }
    for (let i = low - 1; i >= 0 && i >= low - 4; i--) {
      const served = list[i] as Served;
      if (at >= served.start && at < served.end) return served.occurrence;
    }
    return undefined;
  }

  /** The figures of everything added. */
  figures(): HelpdeskFigures {
    for (const [key, record] of this.pending) {
      const slot = this.slots.get(key);
      if (slot === undefined) this.unmatched("unknown-ticket", key, null);
      else if (typeof slot !== "string") fill(slot, record);
    }
    this.pending.clear();
    const { roster } = this.input;
    const teamOf = new Map(roster.people.map((p) => [p.id, p.team ?? null]));
    const all = new Tally();
    const people = new Map<string, Tally>();
    const shiftsOf = new Map<string, Set<number>>();
    const teams = new Map<string | null, Tally>();
    const shifts = new Map<string, Tally>();
    const occurrences = new Map<number, Tally>();
    const tally = <K>(map: Map<K, Tally>, key: K) => {
      let found = map.get(key);
      if (!found) {
        found = new Tally();
        map.set(key, found);
      }
      return found;
    };
    const count = (slot: Slot) => {
      all.add(slot);
      tally(people, slot.person).add(slot);
      let set = shiftsOf.get(slot.person);
      if (!set) {
        set = new Set();
        shiftsOf.set(slot.person, set);
      }
      set.add(slot.occurrence);
      tally(teams, teamOf.get(slot.person) ?? null).add(slot);
      tally(shifts, (this.occurrences[slot.occurrence] as ScheduleEntry).shift).add(slot);
      tally(occurrences, slot.occurrence).add(slot);
    };
    for (const slot of this.slots.values()) if (typeof slot !== "string") count(slot);
    for (const slot of this.loose) count(slot);

    const reasons = [...this.reasons]
      .map(([reason, examples]) => ({
        reason,
        count: [...examples.values()].reduce((a, b) => a + b, 0),
        explanation: EXPLANATIONS[reason],
        examples: [...examples]
          .filter(([value]) => value !== "")
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, 5)
          .map(([value, n]) => ({ value, count: n })),
      }))
      .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
    const unmatched = reasons.reduce((sum, r) => sum + r.count, 0);
    // Everyone the roster has, leadership included, with the same figures.
    const zero = new Tally();
    return {
      sources: this.sources,
      totals: { rows: this.rows, unmatched, ...all.stats() },
      people: roster.people.map((p) => ({
        id: p.id,
        name: p.name,
        team: p.team ?? null,
        shifts: shiftsOf.get(p.id)?.size ?? 0,
        ...(people.get(p.id) ?? zero).stats(),
      })),
      teams: [...teams]
        .sort((a, b) => ((a[0] ?? "~") < (b[0] ?? "~") ? -1 : 1))
        .map(([id, t]) => ({ id, ...t.stats() })),
      shifts: roster.shifts.map((s) => ({
        id: s.id,
        name: s.name ?? s.id,
        ...(shifts.get(s.id) ?? zero).stats(),
      })),
      occurrences: [...occurrences]
        .sort((a, b) => a[0] - b[0])
        .map(([index, t]) => {
          const entry = this.occurrences[index] as ScheduleEntry;
          return {
            id: entry.id,
            date: entry.date,
            shift: entry.shift,
            people: [...servedBy(entry)],
            ...t.stats(),
          };
        }),
      unmatched: { total: unmatched, reasons },
    };
  }
}

const DIGIT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * `2026-11-23T09:15:00Z`, the form most exports write, read without the
 * general parser: the same instant parseIsoInstant gives, or undefined for
 * any other form (or a date or time that does not exist), left to it.
 */
function utcInstant(text: string): number | undefined {
  if (text.length !== 20 || !DIGIT.test(text)) return undefined;
  const year = Number(text.slice(0, 4));
  if (year < 100) return undefined; // Date.UTC would read 0050 as 1950
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const hour = Number(text.slice(11, 13));
  const minute = Number(text.slice(14, 16));
  const second = Number(text.slice(17, 19));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Fills a ticket's missing figures from another row about it. */
function fill(slot: Slot, record: TicketRecord): void {
  slot.firstReply ??= record.firstReplyMinutes;
  slot.resolution ??= record.resolutionMinutes;
  if (record.resolved !== null) slot.resolved = slot.resolved === true || record.resolved;
  slot.satisfied ??= record.satisfied;
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
