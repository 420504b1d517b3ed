import { CONTROL_CLASS, describeControl, LINE_CONTROL } from "../controls.ts";
import { closestMatch } from "../suggest.ts";
import { isDateText } from "../yaml-block.ts";
import { ZONE_NAMES } from "../zones.generated.ts";

/**
 * The textual formats a roster uses, shared by the schema (which publishes them as
 * JSON Schema patterns) and by the checks that go beyond a pattern.
 */

/** Ids become file names and part of occurrence ids: lowercase letters, digits, `-` and `_`. */
export const SLUG = /^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/;

/**
 * One line of text with something in it: names, reasons, titles. No control
 * character of any kind (core/controls.ts): not C0 or C1, no line separator,
 * no bidi control. They would reach terminals, calendars and pages as they are.
 */
export const LINE = new RegExp(
  `^[^\\t\\n${CONTROL_CLASS}]*[^\\s${CONTROL_CLASS}][^\\t\\n${CONTROL_CLASS}]*$`,
);

/** How long single-line text may be, in characters: a name fits, a novel does not. */
export const MAX_NAME = 200;
/** …a reason (for time away, for a swap). */
export const MAX_REASON = 500;
/** …a time-zone name (the longest IANA name has 32). */
export const MAX_ZONE = 100;
/** …an email address (RFC 5321). */
export const MAX_EMAIL = 254;
/** …a web address or a path. */
export const MAX_URL = 2000;

/** The largest roster rota reads, in bytes (a 50,000-person company fits in a few MB). */
export const MAX_ROSTER_BYTES = 32 * 1024 * 1024;

/** Why text is longer than `max` characters, for a message after its name; undefined when it is not. */
export function checkLength(text: string, max: number): string | undefined {
  const length = [...text].length;
  if (length <= max) return undefined;
  return `is ${length.toLocaleString("en-US")} characters long; at most ${max.toLocaleString("en-US")} are allowed`;
}

/**
 * Why text is not one line of plain text of at most `max` characters, for a
 * message after the name of the field (`name contains U+202E …`); undefined
 * when it is.
 */
export function checkLine(text: string, max: number): string | undefined {
  const tooLong = checkLength(text, max);
  if (tooLong) return tooLong;
  const control = LINE_CONTROL.exec(text);
  if (control) {
    return `contains ${describeControl(control[0])}; write it as one line of plain text`;
  }
  if (text.trim() === "") return "must not be empty";
  return undefined;
}

/** A calendar date, `YYYY-MM-DD`; whether the day exists is checked separately. */
export const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A local wall time, `HH:MM` (a single-digit hour is accepted). */
export const TIME = /^(?:[01]?\d|2[0-3]):[0-5]\d$/;

/** A quota period: `month`, `1 month`, `2 weeks`, `quarter`, `1 year`. */
export const PERIOD = /^(?:([1-9]\d?) +)?(week|month|quarter|year)s?$/;

/**
 * An email address, loosely: something@somewhere, with no space or control
 * character of any kind (core/controls.ts, bidi controls included: invites and
 * mail headers carry it as it is written). The control characters are written
 * as escapes, read alike by every JSON Schema validator (the roster schema
 * carries this pattern), with or without the u flag.
 */
export const EMAIL = new RegExp(`^[^\\s@${CONTROL_CLASS}]+@[^\\s@${CONTROL_CLASS}]+$`);

/**
 * A web address (http or https) without spaces, quotes or control characters
 * (core/controls.ts, as one-line fields refuse them): where calendars are
 * published. Calendars, pages and terminals show it as it is written.
 */
export const WEB_URL = new RegExp(`^https?:\\/\\/[^\\s"<>\\\\^\`{|}${CONTROL_CLASS}]+$`);

/**
 * Why a web address holds a control character, for a message after the
 * field's name (`url contains U+001B …`), with `example` for how one reads;
 * undefined when it does not.
 */
export function checkUrlControls(
  url: string,
  example = "https://acme.github.io/support",
): string | undefined {
  const control = LINE_CONTROL.exec(url);
  if (!control) return undefined;
  return `contains ${describeControl(control[0])}; write the web address as plain text, like ${example}`;
}

/** The name of an environment variable: where a secret such as a webhook URL is kept. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** The kinds of message `rota notify` sends, and `invites` (`rota calendar --invites --send`). */
export const NOTIFY_EVENTS = ["today", "changes", "remind", "digest", "invites"] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** Where messages go: chat webhooks, a generic JSON webhook, or email over SMTP. */
export const CHANNEL_TYPES = [
  "slack",
  "teams",
  "google-chat",
  "mattermost",
  "discord",
  "webhook",
  "email",
] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Chat handles: a Slack member id, a Google Chat user, a Mattermost username, a Discord user id. */
export const SLACK_ID = /^[UW][A-Z0-9]{2,20}$/;
export const GOOGLE_CHAT_ID = /^(?:users\/)?\d{1,30}$/;
/** Not `all`, `channel` or `here`: Mattermost reads those as a mention of the whole channel. */
export const MATTERMOST_NAME = /^(?!(?:all|channel|here)$)[a-z0-9._-]{1,64}$/;
export const DISCORD_ID = /^\d{5,25}$/;

/** A person's handle on each chat, as the person key that holds it. */
export const HANDLE_KEYS = {
  slack: "slack",
  teams: "teams",
  "google-chat": "google_chat",
  mattermost: "mattermost",
  discord: "discord",
} as const;

/** An ISO 3166 country code, as date-holidays names countries. */
export const COUNTRY = /^[A-Z]{2}$/;

/** A state or region code, as date-holidays names them. */
export const REGION = /^[A-Z0-9]{1,3}$/;

export const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type DayName = (typeof DAY_NAMES)[number];

/** How many weeks ahead `rota plan` schedules when the roster does not say. */
export const DEFAULT_HORIZON_WEEKS = 12;

/**
 * How many days ahead schedule.yaml must reach for `rota plan --check` to
 * pass (`rules.plan_ahead_weeks`): by default half the horizon, so a plan
 * made every week or so never runs short, and one nobody renews fails the
 * check weeks before it runs out.
 */
export function planAheadDays(roster: {
  horizon_weeks?: number | undefined;
  rules?: { plan_ahead_weeks?: number | undefined } | undefined;
}): number {
  const weeks = roster.rules?.plan_ahead_weeks;
  return weeks !== undefined
    ? weeks * 7
    : ((roster.horizon_weeks ?? DEFAULT_HORIZON_WEEKS) * 7) / 2;
}

/** Days ahead in which kept seats never move to even out shares (`rules.freeze_days`). */
export const DEFAULT_FREEZE_DAYS = 14;

/** The seat role every person can fill. */
export const ANY_ROLE = "any";

/** Names that Windows refuses as file names, whatever the extension. */
const RESERVED_FILE_NAMES = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

export function isReservedFileName(id: string): boolean {
  // Each is 3 or 4 characters long: most ids are not, and need no expression.
  return (id.length === 3 || id.length === 4) && RESERVED_FILE_NAMES.test(id);
}

export type PeriodUnit = "week" | "month" | "quarter" | "year";

export interface Period {
  count: number;
  unit: PeriodUnit;
}

/** Reads `every` (`1 month`, `quarter`, `2 weeks`); undefined when it is not a period. */
export function parsePeriod(text: string): Period | undefined {
  const match = PERIOD.exec(text.trim());
  if (!match) return undefined;
  return { count: Number(match[1] ?? 1), unit: match[2] as PeriodUnit };
}

/** Reads `HH:MM` into minutes after midnight; undefined when it is not a time. */
export function parseTime(text: string): number | undefined {
  if (!TIME.test(text)) return undefined;
  const [hours, minutes] = text.split(":").map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** Whether `YYYY-MM-DD` names a day that exists (no 2026-02-30). */
export function isRealDate(text: string): boolean {
  if (!isDateText(text)) return false;
  // Digits only, so the numbers are read in place, without splitting the text.
  const month = (text.charCodeAt(5) - 48) * 10 + text.charCodeAt(6) - 48;
  const day = (text.charCodeAt(8) - 48) * 10 + text.charCodeAt(9) - 48;
  if (month < 1 || month > 12 || day < 1) return false;
  if (day <= 28) return true;
  const year =
    (text.charCodeAt(0) - 48) * 1000 +
    (text.charCodeAt(1) - 48) * 100 +
    (text.charCodeAt(2) - 48) * 10 +
    text.charCodeAt(3) -
    48;
  return day <= daysInMonth(year, month);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (years 0000–9999). */
export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
}

/**
 * Whether rota knows a zone: a binary search of ZONE_NAMES, which the
 * generator sorts (by UTF-16 code units, as `<` compares). A Set of the 600
 * names cost every `rota validate` about 40 KiB of the young generation.
 */
function isKnownZone(name: string): boolean {
  let low = 0;
  let high = ZONE_NAMES.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const zone = ZONE_NAMES[middle] as string;
    if (zone === name) return true;
    if (zone < name) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/**
 * Checks an IANA time-zone name against the zones rota can put into calendars.
 * Returns undefined when it is usable, or why not (with the right spelling when
 * only the case is wrong). Abbreviations such as `EST` are refused: they are not
 * places, and calendar clients handle them badly.
 */
export function checkTimeZone(name: string): string | undefined {
  const abbreviation = !name.includes("/") && name !== "UTC";
  const known = isKnownZone(name);
  if (known && !abbreviation) return undefined;
  // An old name tzdata keeps for a zone (Japan, Singapore, Zulu): named as the zone is.
  const canonical = known && /[a-z]/.test(name) ? canonicalZone(name) : undefined;
  if (canonical !== undefined && canonical !== name) {
    return `"${name}" is an old alias of the time zone ${canonical}: write ${canonical}`;
  }
  if (abbreviation && (known || /^[A-Z0-9+-]+$/.test(name))) {
    return `"${name}" is an abbreviation, not a time zone: use an IANA name such as Europe/Berlin or America/New_York`;
  }
  const lower = name.toLowerCase();
  const sameButCase = ZONE_NAMES.find((zone) => zone.toLowerCase() === lower);
  if (sameButCase) return `time zone "${name}" is spelled "${sameButCase}"`;
  const match = closestMatch(name, ZONE_NAMES);
  return match
    ? `unknown time zone "${name}"; did you mean "${match}"?`
    : `unknown time zone "${name}": use an IANA name such as Europe/Berlin or America/New_York`;
}

/** The engine's name for a zone it knows (Asia/Tokyo for Japan), if any. */
function canonicalZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Why a `YYYY-MM-DD` string is not a real date, for messages. */
export function explainBadDate(text: string): string {
  const [year, month, day] = text.split("-").map(Number) as [number, number, number];
  if (month < 1 || month > 12) return `${text} is not a real date: there is no month ${month}`;
  if (day < 1) return `${text} is not a real date: there is no day 0`;
  return `${text} is not a real date: ${MONTH_NAMES[month - 1]} ${year} has ${daysInMonth(year, month)} days`;
}

/**
 * Whether a local time can be inside a clock change at all. Every zone
 * changes its clocks between 21:00 and 04:00 local time (Easter Island at
 * 22:00, Famagusta up to 04:00; a test checks the zone data for the coming
 * years), so times outside that window need no zone arithmetic, which keeps
 * `rota validate` from loading the time-zone database for ordinary shifts.
 */
export function mayFallInTransition(minutes: number): boolean {
  return minutes < 4 * 60 + 30 || minutes >= 20 * 60 + 30;
}
