import ical, {
  ICalAlarmType,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  type ICalCalendar,
  ICalEvent,
  type ICalEventData,
  ICalEventStatus,
  ICalEventTransparency,
} from "ical-generator";
import { DateTime } from "luxon";
import type { ShiftEvent } from "./events.ts";
import type { ZoneBook } from "./zones.ts";

/**
 * iCalendar text through ical-generator, with its pitfalls avoided: UID,
 * DTSTAMP and SEQUENCE always set (never random or the clock), luxon times in
 * an explicit zone (never the machine's), no calendar-level zone name (which
 * would make DTSTAMP floating), calendar names escaped here (the library
 * writes them raw), and CRLF after the last line too.
 */

const PRODID = "//rota//rota support calendar//EN";

/** TEXT escaping (RFC 5545 3.3.11) for the properties ical-generator writes unescaped. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/**
 * A display name for a quoted parameter (CN="…"): a double quote cannot
 * appear there at all and a backslash is not an escape, so both are replaced.
 * A caret is doubled (RFC 6868): clients that read its escapes would take
 * `^n` in a name for a line break and `^'` for a double quote.
 */
export function parameterText(text: string): string {
  return text.replace(/"/g, "'").replace(/\\/g, "/").replace(/\^/g, "^^");
}

/**
 * An email address as the URI after `mailto:`: characters that are not
 * allowed there (or that iCalendar would escape, breaking the URI) are
 * percent-encoded; ordinary addresses stay as they are.
 */
export function mailtoAddress(email: string): string {
  return [...email]
    .map((ch) =>
      /[A-Za-z0-9.!#$&'*+/=?^_`{|}~@-]/.test(ch)
        ? ch
        : [...new TextEncoder().encode(ch)]
            .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
            .join(""),
    )
    .join("");
}

/**
 * The VTIMEZONE of UTC, for a calendar without events of a roster in UTC:
 * RFC 5545 wants at least one component in a VCALENDAR, and UTC times are
 * written with Z, so no other block is there to hold.
 */
const UTC_VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  "TZID:UTC",
  "BEGIN:STANDARD",
  "DTSTART:19700101T000000",
  "TZOFFSETFROM:+0000",
  "TZOFFSETTO:+0000",
  "TZNAME:UTC",
  "END:STANDARD",
  "END:VTIMEZONE",
  "",
].join("\r\n");

export interface CalendarHeader {
  method?: "PUBLISH" | "REQUEST" | "CANCEL";
  /** NAME and X-WR-CALNAME; feeds only (Outlook makes a new calendar of an invite with one). */
  name?: string;
  description?: string;
  refreshHours?: number;
  /** The feed's own address (SOURCE and URL). */
  source?: string;
  /**
   * A zone whose VTIMEZONE a calendar without events holds: RFC 5545 wants
   * at least one component in a VCALENDAR, and some readers refuse none.
   */
  zone?: string;
}

export interface EventExtras {
  uid: string;
  organizer?: { name: string; email: string };
  attendee?: { name: string; email: string };
  status?: "CONFIRMED" | "CANCELLED";
  /** Overrides the event's SEQUENCE (a cancellation is one above the last request). */
  sequence?: number;
  /** Overrides the event's DTSTAMP. */
  stamp?: number;
  /** Leave out reminders (a cancellation carries none). */
  noAlarms?: boolean;
}

/**
 * Renders one VCALENDAR with the given events. ical-generator writes each
 * event; the calendar is assembled here so that its properties come before
 * its components (VTIMEZONEs, then VEVENTs) as RFC 5545 orders them, and
 * folded here: the library folds by encoding each character on its own,
 * which made that most of the time spent on a large feed.
 */
export function renderCalendar(
  header: CalendarHeader,
  events: readonly { event: ShiftEvent; extras: EventExtras }[],
  zones: ZoneBook,
): string {
  return new CalendarWriter(zones).render(header, events);
}

/** An event as ical-generator wrote it, folded, less its first two lines (BEGIN and UID). */
interface EventText {
  rest: string;
  /** The TZID its times are written in, or null (UTC, or dates). */
  tzid: string | null;
}

const EVENT_START = "BEGIN:VEVENT\r\n";

/**
 * Renders calendars that share events, as the team feed and the personal
 * feeds do: each event is written by ical-generator once, and its text used
 * again in every calendar holding it. Apart from its UID (the first line
 * after BEGIN, written as given), an event's text depends only on the event
 * and on the extras it is written with, never on the calendar around it (a
 * calendar without a zone of its own), so the text is the same as writing
 * it again. One writer per rendering: it keeps every event it wrote.
 */
export class CalendarWriter {
  readonly #zones: ZoneBook;
  /** ical-generator's events need a calendar; its own properties are never written. */
  readonly #calendar: ICalCalendar = ical({ prodId: PRODID });
  /** By event, then by its extras other than the UID. */
  readonly #texts = new WeakMap<ShiftEvent, Map<string, EventText>>();
  /** Each VTIMEZONE block, folded, with its line end. */
  readonly #blocks = new Map<string, string>();

  constructor(zones: ZoneBook) {
    this.#zones = zones;
    // No calendar-level zone name: it would make DTSTAMP a floating time.
    this.#calendar.timezone({ name: null, generator: (tzid) => zones.vtimezone(tzid) ?? "" });
  }

  /** One VCALENDAR: the header's properties, a VTIMEZONE per zone used (in order of first use), then the events. */
  render(
    header: CalendarHeader,
    events: readonly { event: ShiftEvent; extras: EventExtras }[],
  ): string {
    const texts = events.map(({ event, extras }) => this.#eventText(event, extras));
    let text = foldLines(calendarProperties(header));
    const used = new Set<string>();
    if (texts.length === 0 && header.zone !== undefined) {
      // A zone written as UTC times has no VTIMEZONE of its own: UTC's, then.
      text += this.#zones.vtimezone(header.zone) ? this.#block(header.zone) : UTC_VTIMEZONE;
    }
    for (const { tzid } of texts) {
      if (tzid === null || used.has(tzid)) continue;
      used.add(tzid);
      text += this.#block(tzid);
    }
    for (let i = 0; i < texts.length; i++) {
      const uid = (events[i] as { extras: EventExtras }).extras.uid;
      const line = `UID:${uid}`;
      const folded = line.includes("\r\n") ? foldLines(line) : foldContentLine(line);
      text += `${EVENT_START}${folded}\r\n${(texts[i] as EventText).rest}`;
    }
    return `${text}END:VCALENDAR\r\n`;
  }

  #block(tzid: string): string {
    let block = this.#blocks.get(tzid);
    if (block === undefined) {
      const vtimezone = this.#zones.vtimezone(tzid);
      if (vtimezone === undefined) throw new Error(`no VTIMEZONE for ${tzid}`);
      block = foldLines(`${vtimezone}\r\n`);
      this.#blocks.set(tzid, block);
    }
    return block;
  }

  #eventText(event: ShiftEvent, extras: EventExtras): EventText {
    const key = extrasKey(extras);
    let byExtras = this.#texts.get(event);
    if (byExtras === undefined) {
      byExtras = new Map();
      this.#texts.set(event, byExtras);
    }
    let text = byExtras.get(key);
    if (text === undefined) {
      const written = writeEvent(this.#calendar, event, extras);
      const start = `${EVENT_START}UID:${extras.uid}\r\n`;
      const whole = written.toString();
      if (!whole.startsWith(start))
        throw new Error(`unexpected start of an event: ${whole.slice(0, 80)}`);
      text = { rest: foldLines(whole.slice(start.length)), tzid: written.timezone() };
      byExtras.set(key, text);
    }
    return text;
  }
}

/** What tells apart the texts of one event: its extras other than the UID. */
function extrasKey(extras: EventExtras): string {
  const { organizer, attendee } = extras;
  return JSON.stringify([
    organizer?.name,
    organizer?.email,
    attendee?.name,
    attendee?.email,
    extras.status,
    // As strings: JSON would write NaN and a missing number alike.
    extras.sequence === undefined ? undefined : String(extras.sequence),
    extras.stamp === undefined ? undefined : String(extras.stamp),
    extras.noAlarms === true,
  ]);
}

/**
 * The calendar's own properties, in the order ical-generator writes them
 * (which clients accept); written here so that 50,000 personal feeds do not
 * each go through the library's slow folding.
 */
function calendarProperties(header: CalendarHeader): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", `PRODID:-${PRODID}`];
  if (header.source) lines.push(`URL:${header.source}`, `SOURCE;VALUE=URI:${header.source}`);
  if (header.method) lines.push(`METHOD:${header.method}`);
  if (header.name) {
    const name = escapeText(header.name);
    lines.push(`NAME:${name}`, `X-WR-CALNAME:${name}`);
  }
  if (header.description) lines.push(`X-WR-CALDESC:${escapeText(header.description)}`);
  if (header.refreshHours) {
    const days = Math.floor(header.refreshHours / 24);
    const hours = header.refreshHours % 24;
    const duration = `P${days ? `${days}D` : ""}${hours ? `T${hours}H` : ""}`;
    lines.push(`REFRESH-INTERVAL;VALUE=DURATION:${duration}`, `X-PUBLISHED-TTL:${duration}`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * Folds content lines at 75 octets (RFC 5545 3.1): a continuation line starts
 * with a space, and a fold never splits a UTF-8 character.
 */
export function foldLines(text: string): string {
  const lines = text.split("\r\n");
  for (let i = 0; i < lines.length; i++) lines[i] = foldContentLine(lines[i] as string);
  return lines.join("\r\n");
}

/** One line (no CRLF in it), folded where it is longer than 75 octets. */
function foldContentLine(line: string): string {
  // At most three octets per UTF-16 unit: 25 units always fit.
  return line.length > 25 && (line.length > 75 || Buffer.byteLength(line, "utf8") > 75)
    ? foldLine(line)
    : line;
}

function foldLine(line: string): string {
  const parts: string[] = [];
  // As many octets as UTF-16 units only when every character is ASCII.
  if (Buffer.byteLength(line, "utf8") === line.length) {
    // One octet per character: cut every 75, then every 74 after the space.
    parts.push(line.slice(0, 75));
    for (let at = 75; at < line.length; at += 74) parts.push(line.slice(at, at + 74));
    return parts.join("\r\n ");
  }
  let start = 0;
  let octets = 0;
  let limit = 75;
  for (let i = 0; i < line.length; ) {
    const code = line.codePointAt(i) as number;
    const units = code > 0xffff ? 2 : 1;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (octets + size > limit) {
      parts.push(line.slice(start, i));
      start = i;
      octets = 0;
      limit = 74; // after the leading space
    }
    octets += size;
    i += units;
  }
  parts.push(line.slice(start));
  return parts.join("\r\n ");
}

type EventTimes = Pick<ICalEventData, "allDay" | "start" | "end" | "timezone">;

/**
 * An event's times. Made each time an event's text is made, and not kept:
 * a CalendarWriter makes an event's text once for every feed holding it, and
 * each DateTime kept has a locale of its own (some 1.3 KB an event, 15 MB
 * for ten years of shifts held to the end of rota site).
 */
function eventTimes(event: ShiftEvent): EventTimes {
  const { timing } = event;
  if (timing.allDay) {
    // Dates in a fixed zone are written as they are: never through the machine's zone.
    return {
      allDay: true,
      start: DateTime.fromISO(timing.startDate, { zone: "utc" }),
      end: DateTime.fromISO(timing.endDate, { zone: "utc" }),
    };
  }
  const zone = timing.tzid ?? "utc";
  return {
    start: DateTime.fromMillis(timing.start, { zone }),
    end: DateTime.fromMillis(timing.end, { zone }),
    ...(timing.tzid ? { timezone: timing.tzid } : {}),
  };
}

/** The event as an ical-generator event of the calendar, not added to its list of events. */
function writeEvent(calendar: ICalCalendar, event: ShiftEvent, extras: EventExtras): ICalEvent {
  const stamp = DateTime.fromMillis(extras.stamp ?? event.stamp, { zone: "utc" });
  const times = eventTimes(event);
  const data: ICalEventData = {
    id: extras.uid,
    sequence: extras.sequence ?? event.sequence,
    stamp,
    lastModified: stamp,
    ...times,
    summary: event.summary,
    description: event.description,
    transparency: event.busy ? ICalEventTransparency.OPAQUE : ICalEventTransparency.TRANSPARENT,
  };
  if (extras.status) {
    data.status =
      extras.status === "CANCELLED" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED;
  }
  if (extras.organizer) {
    data.organizer = {
      name: parameterText(extras.organizer.name),
      email: mailtoAddress(extras.organizer.email),
    };
  }
  const created = new ICalEvent(data, calendar);
  if (extras.attendee) {
    created.createAttendee({
      name: parameterText(extras.attendee.name),
      email: mailtoAddress(extras.attendee.email),
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: false,
    });
  }
  if (!extras.noAlarms) {
    for (const minutes of event.reminders) {
      created.createAlarm({
        type: ICalAlarmType.display,
        trigger: minutes * 60,
        description: event.summary,
      });
    }
  }
  return created;
}
