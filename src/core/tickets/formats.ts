/**
 * The help-desk exports `rota report --tickets` reads, and how each row (a
 * CSV line or a JSON record) becomes a ticket: who handled it, when, how long
 * the first reply took, whether it was resolved and how the customer rated
 * it. Pure: rows come in as plain objects; docs/tickets.md lists the fields.
 */

import { parseIsoInstant } from "../instant.ts";

export const TICKET_FORMATS = [
  "zendesk",
  "helpscout",
  "freshdesk",
  "intercom",
  "front",
  "generic",
] as const;
export type TicketFormat = (typeof TICKET_FORMATS)[number];

/** A timestamp as the export wrote it: text, or a Unix time in seconds (Intercom). */
export type RawTime = string | number | null;

/** A conversation someone handled, as one row of an export says it. */
export interface TicketRow {
  kind: "ticket";
  /** The help desk whose ticket ids `id` is one of. */
  vendor: TicketFormat;
  /** The ticket's id: the same vendor and id in two rows or files is one ticket. */
  id: string | null;
  /** What names the agent: an email, a name or the help desk's own id (any may match). */
  agents: string[];
  at: RawTime;
  firstReplyMinutes: number | null;
  resolutionMinutes: number | null;
  resolved: boolean | null;
  /** true: a good rating; false: a bad one; null: not rated. */
  satisfied: boolean | null;
}

/** Figures about a ticket given elsewhere (Zendesk's ticket metrics and satisfaction ratings). */
export interface TicketSupplement {
  kind: "supplement";
  vendor: TicketFormat;
  id: string | null;
  firstReplyMinutes: number | null;
  resolutionMinutes: number | null;
  resolved: boolean | null;
  satisfied: boolean | null;
}

export type TicketRecord = TicketRow | TicketSupplement;

type Row = Record<string, unknown>;

/** The value of the first of these fields that is set (CSV headers are matched without case). */
function field(row: Row, names: readonly string[]): unknown {
  for (const name of names) {
    const value = row[name];
    if (value !== undefined && value !== null && value !== "") return value;
  }
  return undefined;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function numberOf(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string" || value.trim() === "") return null;
  const trimmed = value.trim();
  // "01:30:00" (Freshdesk's hh:mm:ss) as minutes.
  const clock = /^(\d+):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]) + Number(clock[3] ?? 0) / 60;
  const number = Number(plainDecimal(trimmed));
  return Number.isFinite(number) ? number : null;
}

/** Commas between groups of three digits ("1,250" or "1,250.5"): thousands. */
const THOUSANDS_COMMAS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
/** Points between groups of three digits before a decimal comma ("1.250,5"). */
const THOUSANDS_POINTS = /^[+-]?\d{1,3}(\.\d{3})+,\d+$/;
/** One decimal comma ("0,5", "2,25"), as spreadsheets write numbers in much of Europe. */
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

/**
 * A number's text with a decimal point and no thousands separators. Commas
 * before exactly three digits are read as thousands ("1,250" is 1250); any
 * other single comma is a decimal comma ("0,5" is 0.5, "2,25" is 2.25).
 */
function plainDecimal(text: string): string {
  if (THOUSANDS_COMMAS.test(text)) return text.replace(/,/g, "");
  if (THOUSANDS_POINTS.test(text)) return text.replace(/\./g, "").replace(",", ".");
  if (DECIMAL_COMMA.test(text)) return text.replace(",", ".");
  return text;
}

function timeOf(value: unknown): RawTime {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return textOf(value) ?? null;
}

/**
 * Whether a rating given as a number is good. On a scale of stars (Intercom's
 * 1–5) 4 or 5 is. Where a field may hold either (the generic CSV's), a share
 * is a number below 1, or 1 written with a decimal point ("1.0"): a whole 1
 * is one star, the worst rating, not a full share.
 */
function goodNumber(number: number, written: unknown, scale: "stars" | "stars or share"): boolean {
  const share =
    scale === "stars or share" &&
    (number < 1 || (number === 1 && typeof written === "string" && /[.,]/.test(written)));
  return share ? number >= 0.5 : number >= 4;
}

/**
 * Satisfaction in the words each vendor uses, as good (true), bad (false) or
 * not rated; a number is read on `scale` (see goodNumber).
 */
export function satisfactionOf(
  value: unknown,
  scale: "stars" | "stars or share" = "stars or share",
): boolean | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "boolean") return value;
  const number = numberOf(value);
  if (number !== null) return goodNumber(number, value, scale);
  // Zendesk writes good_with_comment, bad_without_comment: words joined by underscores.
  const text = String(value).trim().toLowerCase().replace(/_/g, " ");
  if (/^(not[ _-]?offered|unoffered|offered|none|n\/a|-)$/.test(text)) return null;
  // Help Scout's API writes "not-good", its reports "Not Good"; surveys "Not satisfied".
  if (
    /\b(not[ _-]?(good|great|happy|satisfied|positive)|bad|unhappy|unsatisfied|dissatisfied|negative|poor|sad)\b/.test(
      text,
    )
  ) {
    return false;
  }
  if (/\b(okay|ok|neutral|meh)\b/.test(text)) return false;
  if (/\b(good|great|happy|satisfied|positive|awesome|amazing|yes)\b/.test(text)) return true;
  return null;
}

function resolvedOf(value: unknown): boolean | null {
  const text = textOf(value)?.toLowerCase();
  if (text === undefined) return null;
  if (/^(solved|closed|resolved|archived|true|yes|1)$/.test(text)) return true;
  return false;
}

function agentsOf(...values: unknown[]): string[] {
  const agents: string[] = [];
  for (const value of values) {
    const text = textOf(value);
    if (text !== undefined) agents.push(text);
  }
  return agents;
}

/** How many minutes one of each unit a duration field may be in. */
const MINUTES_PER = { seconds: 1 / 60, minutes: 1, hours: 60 } as const;

/** One part of a duration written out: a number and its unit ("12 min", "1,5 h", "2 hours"). */
const DURATION_PART =
  /(\d+(?:[.,]\d+)?)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![a-z])\s*(?:(?:,|and)\s*)?/y;
const UNIT_MINUTES: Record<string, number> = { d: 24 * 60, h: 60, m: 1, s: 1 / 60 };

/**
 * A duration written out with its units, as minutes: "12 min", "1h 30m",
 * "2 hours, 5 minutes", "45s"; undefined when the text is not one.
 */
function writtenDuration(text: string): number | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === "") return undefined;
  DURATION_PART.lastIndex = 0;
  let minutes = 0;
  while (DURATION_PART.lastIndex < lower.length) {
    const part = DURATION_PART.exec(lower);
    if (!part) return undefined;
    const amount = Number(plainDecimal(part[1] as string));
    const unit = (part[2] as string).startsWith("h") ? "h" : (part[2] as string)[0];
    minutes += amount * (UNIT_MINUTES[unit as string] ?? Number.NaN);
  }
  return Number.isFinite(minutes) ? minutes : undefined;
}

/**
 * A duration field as minutes: a plain number is in the field's own unit;
 * "01:30:00" (hh:mm:ss, as Freshdesk writes it) and a duration written with
 * its units ("12 min", "1h 30m") say their own.
 */
function durationMinutes(value: unknown, unit: keyof typeof MINUTES_PER): number | null {
  if (typeof value === "string") {
    const written = writtenDuration(value);
    if (written !== undefined) return plausible(written);
  }
  const number = numberOf(value);
  if (number === null) return null;
  // "01:30:00" already came back as minutes.
  return plausible(
    typeof value === "string" && value.includes(":") ? number : number * MINUTES_PER[unit],
  );
}

/** A century, in minutes: no reply or resolution takes longer. */
const LONGEST_MINUTES = 100 * 366 * 24 * 60;

/**
 * Minutes that could be a time to reply or resolve; null (no time) for more
 * than a century (`1e308` in a damaged export), which would turn every
 * median it is among into nonsense.
 */
function plausible(minutes: number): number | null {
  return Math.abs(minutes) <= LONGEST_MINUTES ? minutes : null;
}

/** Zendesk's time fields hold `{calendar, business}` minutes in JSON. */
function calendarMinutes(value: unknown): number | null {
  if (value && typeof value === "object" && "calendar" in value) {
    return durationMinutes((value as { calendar: unknown }).calendar, "minutes");
  }
  return durationMinutes(value, "minutes");
}

function object(value: unknown): Row {
  return value && typeof value === "object" ? (value as Row) : {};
}

/**
 * The format of a CSV export from its headers (lower-cased), or undefined.
 * Each is told by fields no other has.
 */
export function detectCsvFormat(headers: readonly string[]): TicketFormat | undefined {
  const has = (name: string) => headers.includes(name);
  if (has("ticket id") && has("agent") && (has("created time") || has("resolved time"))) {
    return "freshdesk";
  }
  if (has("message id") && has("conversation id") && (has("message date") || has("segment"))) {
    return "front";
  }
  if (has("id") && has("assignee") && (has("created at") || has("solved at"))) return "zendesk";
  if (
    (has("conversation id") || has("conversation number")) &&
    (has("assigned to") || has("assignee") || has("assigned user"))
  ) {
    return "helpscout";
  }
  if (has("agent") && has("timestamp")) return "generic";
  return undefined;
}

/**
 * The columns a CSV export must have for its rows to be joined, by format:
 * one naming the agent and one giving the time, each any of the names listed
 * (lower-cased, as headers are matched). A file without them would count
 * every row as having no agent or no time, which says nothing true.
 */
const CSV_REQUIRED: Readonly<Record<TicketFormat, readonly (readonly string[])[]>> = {
  zendesk: [["assignee", "assignee id", "assignee email"], ["created at"]],
  helpscout: [
    ["assigned to", "assigned to email", "assignee", "assignee email", "assigned user"],
    ["created at", "conversation created at", "created"],
  ],
  freshdesk: [["agent", "agent email"], ["created time"]],
  intercom: [["admin_assignee_id"], ["created_at"]],
  front: [["attributed to", "author", "assignee"], ["message date"]],
  generic: [["agent"], ["timestamp"]],
};

/** The required columns of a format that headers (lower-cased) lack, in words ("agent"; "assignee" or "assignee id"). */
export function missingCsvColumns(format: TicketFormat, headers: readonly string[]): string[] {
  return CSV_REQUIRED[format]
    .filter((names) => !names.some((name) => headers.includes(name)))
    .map((names) => names.map((name) => `"${name}"`).join(" or "));
}

/** The format of a JSON record (one element of the export's list), or undefined. */
export function detectJsonFormat(record: Row, listKey?: string): TicketFormat | undefined {
  const has = (name: string) => name in record;
  if (listKey === "ticket_metrics" || listKey === "satisfaction_ratings") return "zendesk";
  if (has("assignee_id") || (has("ticket_id") && (has("score") || has("reply_time_in_minutes")))) {
    return "zendesk";
  }
  if (has("admin_assignee_id") || has("statistics") || has("conversation_rating")) {
    return "intercom";
  }
  if (has("mailboxId") || (has("assignee") && has("createdAt"))) return "helpscout";
  if (has("agent") && has("timestamp")) return "generic";
  return undefined;
}

/**
 * The fields of a row `ticketRecord` reads (or asks whether the row has),
 * by format, as paths into it ("assignee.email": the `email` of the
 * object `assignee`): nothing else of a row makes a difference to its
 * ticket (test/core/tickets-fields.test.ts checks the lists are whole).
 */
export const FIELDS_READ: Readonly<Record<TicketFormat, readonly string[]>> = {
  zendesk: [
    "ticket_id",
    "score",
    "reply_time_in_minutes.calendar",
    "full_resolution_time_in_minutes.calendar",
    "solved_at",
    "created at",
    "assignee.email",
    "assignee.name",
    "metric_set.reply_time_in_minutes.calendar",
    "metric_set.full_resolution_time_in_minutes.calendar",
    "satisfaction_rating.score",
    "id",
    "assignee_id",
    "created_at",
    "status",
    "assignee id",
    "assignee email",
    "first reply time in minutes",
    "full resolution time in minutes",
    "solved at",
    "satisfaction score",
    "satisfaction",
  ],
  helpscout: [
    "createdAt",
    "mailboxId",
    "assignee.email",
    "assignee.id",
    "assignee.first",
    "assignee.last",
    "closedAt",
    "id",
    "status",
    "rating",
    "conversation id",
    "conversation number",
    "assigned to email",
    "assignee email",
    "assigned to",
    "assigned user",
    "created at",
    "conversation created at",
    "created",
    "first response time (seconds)",
    "resolution time (seconds)",
    "happiness rating",
  ],
  freshdesk: [
    "ticket id",
    "agent email",
    "agent",
    "created time",
    "first response time (in hrs)",
    "resolution time (in hrs)",
    "resolved time",
    "status",
    "survey results",
    "survey result",
    "satisfaction rating",
  ],
  intercom: [
    "statistics.time_to_admin_reply",
    "statistics.last_close_at",
    "statistics.time_to_last_close",
    "conversation_rating.rating",
    "conversation_rating.teammate.id",
    "admin_assignee_id",
    "created_at",
    "id",
    "state",
  ],
  front: [
    "direction",
    "first response",
    "conversation id",
    "attributed to",
    "author",
    "assignee",
    "message date",
    "response time",
    "status",
  ],
  generic: [
    "id",
    "agent",
    "timestamp",
    "first_reply_minutes",
    "resolution_minutes",
    "resolved",
    "satisfaction",
  ],
};

const PATHS_READ = Object.fromEntries(
  Object.entries(FIELDS_READ).map(([format, paths]) => [
    format,
    paths.map((path) => path.split(".")),
  ]),
) as Record<TicketFormat, string[][]>;

/** The columns of a CSV export read, by format: the first name of each field's path. */
const CSV_COLUMNS_READ = Object.fromEntries(
  Object.entries(PATHS_READ).map(([format, paths]) => [
    format,
    new Set(paths.map((path) => path[0] as string)),
  ]),
) as Record<TicketFormat, Set<string>>;

/** Whether `ticketRecord(format, row)` reads a CSV row's column of this (lower-cased) name. */
export function readsCsvColumn(format: TicketFormat, name: string): boolean {
  return CSV_COLUMNS_READ[format].has(name);
}

const BEYOND_ASCII = /[\u0080-\uffff]/;

/** Whether a value holds no text beyond ASCII, in its keys or values, however deep. */
function asciiOnly(value: unknown): boolean {
  if (typeof value === "string") return !BEYOND_ASCII.test(value);
  if (value === null || typeof value !== "object") return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!asciiOnly(item)) return false;
    return true;
  }
  for (const key in value) {
    if (BEYOND_ASCII.test(key) || !asciiOnly((value as Row)[key])) return false;
  }
  return true;
}

/**
 * Whether all that `ticketRecord(format, row)` reads of a row is ASCII text
 * (or no text): then any row whose fields read hold the same ASCII makes
 * the same ticket, which lets a reader parse bytes as latin1 (see
 * src/io/json-records.ts) and be sure of what it read. A path is followed
 * through objects; where it meets anything else, that is checked whole.
 */
export function readsAsciiOnly(format: TicketFormat, row: Row): boolean {
  for (const path of PATHS_READ[format]) {
    let value: unknown = row;
    for (const key of path) {
      if (value === null || typeof value !== "object" || Array.isArray(value)) break;
      value = (value as Row)[key];
    }
    if (value !== undefined && !asciiOnly(value)) return false;
  }
  return true;
}

/** One row of an export as a ticket (or a supplement to one); null for a row that is not one. */
export function ticketRecord(format: TicketFormat, row: Row): TicketRecord | null {
  switch (format) {
    case "zendesk":
      return zendesk(row);
    case "helpscout":
      return helpscout(row);
    case "freshdesk":
      return freshdesk(row);
    case "intercom":
      return intercom(row);
    case "front":
      return front(row);
    case "generic":
      return generic(row);
  }
}

function zendesk(row: Row): TicketRecord | null {
  // JSON: a satisfaction rating or a ticket metric set, about a ticket given elsewhere.
  if ("ticket_id" in row && "score" in row) {
    return {
      kind: "supplement",
      vendor: "zendesk",
      id: textOf(row.ticket_id) ?? null,
      firstReplyMinutes: null,
      resolutionMinutes: null,
      resolved: null,
      satisfied: satisfactionOf(row.score),
    };
  }
  if ("ticket_id" in row && "reply_time_in_minutes" in row) {
    return {
      kind: "supplement",
      vendor: "zendesk",
      id: textOf(row.ticket_id) ?? null,
      firstReplyMinutes: calendarMinutes(row.reply_time_in_minutes),
      resolutionMinutes: calendarMinutes(row.full_resolution_time_in_minutes),
      resolved: row.solved_at ? true : null,
      satisfied: null,
    };
  }
  if (!("created at" in row) && !("assignee" in row && typeof row.assignee === "string")) {
    // JSON: a ticket, with its metric_set when the export included it.
    const metrics = object(row.metric_set);
    const rating = object(row.satisfaction_rating);
    return {
      kind: "ticket",
      vendor: "zendesk",
      id: textOf(row.id) ?? null,
      agents: agentsOf(row.assignee_id, object(row.assignee).email, object(row.assignee).name),
      at: timeOf(row.created_at),
      firstReplyMinutes: calendarMinutes(metrics.reply_time_in_minutes),
      resolutionMinutes: calendarMinutes(metrics.full_resolution_time_in_minutes),
      resolved: resolvedOf(row.status),
      satisfied: satisfactionOf(rating.score),
    };
  }
  // CSV: the ticket export with its metrics columns.
  return {
    kind: "ticket",
    vendor: "zendesk",
    id: textOf(row.id) ?? null,
    agents: agentsOf(row.assignee, row["assignee id"], row["assignee email"]),
    at: timeOf(field(row, ["created at"])),
    firstReplyMinutes: durationMinutes(field(row, ["first reply time in minutes"]), "minutes"),
    resolutionMinutes: durationMinutes(field(row, ["full resolution time in minutes"]), "minutes"),
    resolved: field(row, ["solved at"]) ? true : resolvedOf(row.status),
    satisfied: satisfactionOf(field(row, ["satisfaction score", "satisfaction"])),
  };
}

function helpscout(row: Row): TicketRecord | null {
  if ("createdAt" in row || "mailboxId" in row) {
    // JSON: a conversation of the Mailbox API (_embedded.conversations).
    const assignee = object(row.assignee);
    const name = [textOf(assignee.first), textOf(assignee.last)].filter(Boolean).join(" ");
    const created = typeof row.createdAt === "string" ? parseIsoInstant(row.createdAt) : undefined;
    const closed = typeof row.closedAt === "string" ? parseIsoInstant(row.closedAt) : undefined;
    return {
      kind: "ticket",
      vendor: "helpscout",
      id: textOf(row.id) ?? null,
      agents: agentsOf(assignee.email, assignee.id, name),
      at: timeOf(row.createdAt),
      firstReplyMinutes: null,
      // closedAt is when it was last closed: the time to resolve, for a closed conversation.
      resolutionMinutes:
        row.status === "closed" && created !== undefined && closed !== undefined
          ? plausible((closed - created) / 60_000)
          : null,
      resolved: resolvedOf(row.status),
      satisfied: satisfactionOf(field(row, ["rating"])),
    };
  }
  return {
    kind: "ticket",
    vendor: "helpscout",
    id: textOf(field(row, ["conversation id", "conversation number"])) ?? null,
    agents: agentsOf(
      field(row, ["assigned to email", "assignee email"]),
      field(row, ["assigned to", "assignee", "assigned user"]),
    ),
    at: timeOf(field(row, ["created at", "conversation created at", "created"])),
    firstReplyMinutes: durationMinutes(field(row, ["first response time (seconds)"]), "seconds"),
    resolutionMinutes: durationMinutes(field(row, ["resolution time (seconds)"]), "seconds"),
    resolved: resolvedOf(field(row, ["status"])),
    satisfied: satisfactionOf(field(row, ["rating", "happiness rating"])),
  };
}

function freshdesk(row: Row): TicketRecord | null {
  return {
    kind: "ticket",
    vendor: "freshdesk",
    id: textOf(row["ticket id"]) ?? null,
    agents: agentsOf(row["agent email"], row.agent),
    at: timeOf(row["created time"]),
    firstReplyMinutes: durationMinutes(row["first response time (in hrs)"], "hours"),
    resolutionMinutes: durationMinutes(row["resolution time (in hrs)"], "hours"),
    resolved: row["resolved time"] ? true : resolvedOf(row.status),
    satisfied: satisfactionOf(
      field(row, ["survey results", "survey result", "satisfaction rating"]),
    ),
  };
}

function intercom(row: Row): TicketRecord | null {
  const statistics = object(row.statistics);
  const rating = object(row.conversation_rating);
  const assignee = row.admin_assignee_id ?? object(rating.teammate).id;
  const firstReply = numberOf(statistics.time_to_admin_reply);
  const lastClose = numberOf(statistics.last_close_at);
  const created = numberOf(row.created_at);
  // time_to_last_close is the seconds from creation to the last close, when Intercom gives it.
  const toClose = numberOf(statistics.time_to_last_close);
  return {
    kind: "ticket",
    vendor: "intercom",
    id: textOf(row.id) ?? null,
    agents: agentsOf(assignee),
    at: timeOf(row.created_at),
    firstReplyMinutes: firstReply === null ? null : plausible(firstReply / 60),
    resolutionMinutes:
      row.state !== "closed"
        ? null
        : toClose !== null
          ? plausible(toClose / 60)
          : lastClose !== null && created !== null
            ? plausible((lastClose - created) / 60)
            : null,
    resolved: row.state === undefined ? null : row.state === "closed",
    // Intercom's conversation_rating.rating is 1–5 stars.
    satisfied: satisfactionOf(rating.rating, "stars"),
  };
}

function front(row: Row): TicketRecord | null {
  // Front exports messages: a teammate's outbound messages are their conversation.
  const direction = textOf(row.direction)?.toLowerCase();
  if (direction !== undefined && direction !== "outbound") return null;
  const first = textOf(row["first response"])?.toLowerCase();
  const isFirst = first === "true" || first === "yes" || first === "1";
  return {
    kind: "ticket",
    vendor: "front",
    id: textOf(row["conversation id"]) ?? null,
    agents: agentsOf(row["attributed to"], row.author, row.assignee),
    at: timeOf(row["message date"]),
    firstReplyMinutes: isFirst ? durationMinutes(row["response time"], "seconds") : null,
    resolutionMinutes: null,
    resolved: resolvedOf(row.status),
    satisfied: null,
  };
}

function generic(row: Row): TicketRecord | null {
  return {
    kind: "ticket",
    vendor: "generic",
    id: textOf(row.id) ?? null,
    agents: agentsOf(row.agent),
    at: timeOf(row.timestamp),
    firstReplyMinutes: durationMinutes(row.first_reply_minutes, "minutes"),
    resolutionMinutes: durationMinutes(row.resolution_minutes, "minutes"),
    resolved: row.resolved === undefined ? null : resolvedOf(row.resolved),
    satisfied: satisfactionOf(row.satisfaction),
  };
}
