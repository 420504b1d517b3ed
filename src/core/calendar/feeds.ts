import type { Roster } from "../roster/model.ts";
import type { Schedule } from "../schedule/schedule.ts";
import { parseIsoInstant } from "../time.ts";
import {
  type EventContext,
  eventForEntry,
  eventsForSchedule,
  rosterNames,
  type ShiftEvent,
} from "./events.ts";
import { type CalendarHistory, NO_HISTORY, sequenceOf } from "./history.ts";
import { CalendarWriter, type EventExtras } from "./ics.ts";
import { type CalendarSettings, calendarSettings, feedUrl } from "./settings.ts";
import { personEventUid, teamEventUid } from "./uid.ts";
import { ZoneBook } from "./zones.ts";

/** One rendered feed: its path below the output directory and its text. */
export interface Feed {
  /** `team.ics` or `people/<id>.ics`, with `/` separators. */
  path: string;
  /** The person, for a personal feed. */
  person?: string;
  events: number;
  /**
   * The iCalendar text, rendered when read (again at each read): 50,000
   * feeds are written one after another, never all held.
   */
  readonly text: string;
}

/** The last feed of someone no longer in the roster. */
export interface DepartedFeed extends Feed {
  person: string;
  /** Of its events, those cancelled (shifts they were on and are no longer). */
  cancelled: number;
}

export interface Feeds {
  team: Feed;
  /** One per person in the roster, in roster order, even with no shifts. */
  people: Feed[];
  /** One per person no longer in the roster who had shifts, by id. */
  departed: DepartedFeed[];
}

/** The file of a person's feed below the output directory. */
export function personFeedPath(person: string): string {
  return `people/${person}.ics`;
}

/**
 * Renders the team feed (every occurrence in schedule.yaml) and one feed per
 * person in the roster (the team feed's events that person is on, each with
 * its own UID). Feeds are METHOD:PUBLISH when the roster names an organizer
 * (RFC 5546 requires one there); without one they carry no METHOD, as a plain
 * iCalendar file.
 *
 * Someone no longer in the roster keeps a last feed at the same address: the
 * shifts they served, as they were published, and the shifts they were on
 * after those, cancelled (STATUS:CANCELLED, a higher SEQUENCE), so that a
 * calendar subscribed to it drops them. Pure: the same roster, schedule and
 * history give the same bytes.
 */
export function renderFeeds(
  roster: Roster,
  schedule: Schedule,
  history: CalendarHistory = NO_HISTORY,
): Feeds {
  const settings = calendarSettings(roster);
  const zones = new ZoneBook();
  const context: EventContext = {
    roster,
    settings,
    zones,
    names: rosterNames(roster, history.departed),
    history,
  };
  const events = eventsForSchedule(schedule, context);
  const organizer = settings.organizer;
  const common = {
    ...(organizer ? { method: "PUBLISH" as const } : {}),
    refreshHours: settings.refreshHours,
    zone: roster.timezone,
  };
  const source = (path: string) => {
    const url = settings.url ? feedUrl(settings.url, path) : undefined;
    return url ? { source: url } : {};
  };

  // One writer for every feed: an event is written once, whichever feeds hold it.
  const writer = new CalendarWriter(zones);
  const team: Feed = {
    path: "team.ics",
    events: events.length,
    // Rendered when written too: the team feed and the events it leaves in
    // the writer (tens of megabytes for years of shifts) are not held while
    // the site's pages are written before it.
    get text() {
      return writer.render(
        {
          ...common,
          name: `${roster.team} support rota`,
          description: `Who is on support at ${roster.team}: every shift in the rota`,
          ...source("team.ics"),
        },
        events.map((event) => ({
          event,
          extras: { uid: teamEventUid(roster.team, event.occurrence), ...withOrganizer(settings) },
        })),
      );
    },
  };

  const byPerson = new Map<string, ShiftEvent[]>();
  for (const event of events) {
    for (const person of event.people) {
      const list = byPerson.get(person);
      if (list) list.push(event);
      else byPerson.set(person, [event]);
    }
  }
  const organizerExtras = withOrganizer(settings);
  const personalFeed = <Extra extends object>(
    id: string,
    name: string,
    own: readonly { event: ShiftEvent; extras?: Partial<EventExtras> }[],
    extra: Extra,
  ) => {
    const path = personFeedPath(id);
    return {
      path,
      person: id,
      events: own.length,
      ...extra,
      get text() {
        return writer.render(
          {
            ...common,
            name: `${roster.team} support: ${name}`,
            description: `${name}'s support shifts at ${roster.team}`,
            ...source(path),
          },
          own.map(({ event, extras }) => ({
            event,
            extras: {
              uid: personEventUid(roster.team, event.occurrence, id),
              ...organizerExtras,
              ...extras,
            },
          })),
        );
      },
    };
  };
  const people = roster.people.map(
    (person): Feed =>
      personalFeed(
        person.id,
        person.name,
        (byPerson.get(person.id) ?? []).map((event) => ({ event })),
        {},
      ),
  );

  // People no longer in the roster, from the schedule and its history.
  const inRoster = new Set(roster.people.map((person) => person.id));
  const current = new Map(schedule.entries.map((entry) => [entry.id, entry]));
  const gone = [...new Set([...history.people, ...byPerson.keys()])]
    .filter((id) => !inRoster.has(id))
    .sort();
  const departed: DepartedFeed[] = [];
  const startOf = (entry: { start: string }) => parseIsoInstant(entry.start) ?? 0;
  for (const id of gone) {
    const served = (byPerson.get(id) ?? []).map((event) => ({
      event,
      start: startOf(current.get(event.occurrence) ?? { start: "" }),
    }));
    // The shifts they lost after the last one they still hold: the ones
    // they lost by leaving (a shift swapped away long before is long gone).
    const last = Math.max(Number.NEGATIVE_INFINITY, ...served.map(({ start }) => start));
    const cancelled = [...(history.dropped.get(id)?.values() ?? [])]
      .filter(({ entry }) => startOf(entry) > last)
      .map(({ entry, sequence }) => {
        const now = current.get(entry.id);
        const event = eventForEntry(entry, context);
        return {
          start: startOf(entry),
          event: {
            ...event,
            summary: `Cancelled: ${event.summary}`,
            description: `Cancelled: ${context.names.full(id)} is no longer on this shift.\n\n${event.description}`,
          },
          extras: {
            status: "CANCELLED" as const,
            sequence: Math.max(sequence + 1, now ? sequenceOf(history, now) : 0),
            stamp: parseIsoInstant(now?.changed ?? entry.changed) ?? event.stamp,
            noAlarms: true,
          },
        };
      });
    if (served.length + cancelled.length === 0) continue;
    const own = [...served, ...cancelled].sort(
      (a, b) =>
        a.start - b.start ||
        (a.event.shift < b.event.shift ? -1 : a.event.shift > b.event.shift ? 1 : 0),
    );
    departed.push(personalFeed(id, context.names.full(id), own, { cancelled: cancelled.length }));
  }
  return { team, people, departed };
}

function withOrganizer(settings: CalendarSettings) {
  return settings.organizer ? { organizer: settings.organizer } : {};
}
