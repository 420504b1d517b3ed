import type { Roster } from "../roster/model.ts";

/** A shift's reminder, in minutes before it starts, when the roster does not say. */
export const DEFAULT_REMINDER_MINUTES = 15;

/** For all-day shifts: 900 minutes before midnight is 09:00 the day before. */
export const DEFAULT_ALL_DAY_REMINDER_MINUTES = 900;

/** How often calendar apps should fetch the feeds again, when the roster does not say. */
export const DEFAULT_REFRESH_HOURS = 6;

/** The roster's `calendar:` section with every default filled in. */
export interface CalendarSettings {
  team: string;
  /** The organizer of every event; undefined when the roster names none. */
  organizer?: { name: string; email: string };
  /** Minutes before the start, for timed and for all-day shifts. */
  reminders: { timed: readonly number[]; allDay: readonly number[] };
  /** TRANSP: OPAQUE (busy) or TRANSPARENT (free). */
  busy: boolean;
  refreshHours: number;
  /** Where the feeds are published, without a trailing slash. */
  url?: string;
}

/** Reads the roster's `calendar:` section, defaults included. */
export function calendarSettings(roster: Roster): CalendarSettings {
  const section = roster.calendar ?? {};
  const given = section.reminder_minutes;
  const list = given === undefined ? undefined : Array.isArray(given) ? given : [given];
  // Several reminders at the same minute would ring together.
  const unique = (minutes: readonly number[]) => [...new Set(minutes)].sort((a, b) => b - a);
  return {
    team: roster.team,
    ...(section.organizer
      ? {
          organizer: {
            name: section.organizer.name ?? roster.team,
            email: section.organizer.email,
          },
        }
      : {}),
    reminders: {
      timed: unique(list ?? [DEFAULT_REMINDER_MINUTES]),
      allDay: unique(list ?? [DEFAULT_ALL_DAY_REMINDER_MINUTES]),
    },
    busy: section.busy ?? true,
    refreshHours: section.refresh_hours ?? DEFAULT_REFRESH_HOURS,
    ...(section.url ? { url: section.url.replace(/\/+$/, "") } : {}),
  };
}

/**
 * The address of a feed published below `calendar.url`: the feed's path (each
 * segment percent-encoded) joined to the base's path, the base's query kept
 * (an access token, say) and its fragment dropped. Undefined when the base is
 * not a URL the URL parser accepts.
 */
export function feedUrl(base: string, feed: string): string | undefined {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return undefined;
  }
  const path = feed.split("/").map(encodeURIComponent).join("/");
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${path}`;
  url.hash = "";
  return url.href;
}

/** The `webcal://` address calendar apps subscribe to, for a feed below `calendar.url`. */
export function webcalUrl(base: string, feed: string): string | undefined {
  return feedUrl(base, feed)?.replace(/^https?:/, "webcal:");
}
