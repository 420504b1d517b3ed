import type { Roster } from "../roster/model.ts";
import type { Schedule } from "../schedule/schedule.ts";
import { type EventContext, eventsForSchedule, rosterNames, type ShiftEvent } from "./events.ts";
import { renderCalendar } from "./ics.ts";
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
  text: string;
}

export interface Feeds {
  team: Feed;
  /** One per person in the roster, in roster order, even with no shifts. */
  people: Feed[];
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
 * iCalendar file. Pure: the same roster and schedule give the same bytes.
 */
export function renderFeeds(roster: Roster, schedule: Schedule): Feeds {
  const settings = calendarSettings(roster);
  const zones = new ZoneBook();
  const context: EventContext = { roster, settings, zones, names: rosterNames(roster) };
  const events = eventsForSchedule(schedule, context);
  const organizer = settings.organizer;
  const common = {
    ...(organizer ? { method: "PUBLISH" as const } : {}),
    refreshHours: settings.refreshHours,
  };
  const source = (path: string) => {
    const url = settings.url ? feedUrl(settings.url, path) : undefined;
    return url ? { source: url } : {};
  };

  const team: Feed = {
    path: "team.ics",
    events: events.length,
    text: renderCalendar(
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
      zones,
    ),
  };

  const byPerson = new Map<string, ShiftEvent[]>();
  for (const event of events) {
    for (const person of event.people) {
      const list = byPerson.get(person);
      if (list) list.push(event);
      else byPerson.set(person, [event]);
    }
  }
  const people = roster.people.map((person): Feed => {
    const own = byPerson.get(person.id) ?? [];
    const path = personFeedPath(person.id);
    return {
      path,
      person: person.id,
      events: own.length,
      text: renderCalendar(
        {
          ...common,
          name: `${roster.team} support: ${person.name}`,
          description: `${person.name}'s support shifts at ${roster.team}`,
          ...source(path),
        },
        own.map((event) => ({
          event,
          extras: {
            uid: personEventUid(roster.team, event.occurrence, person.id),
            ...withOrganizer(settings),
          },
        })),
        zones,
      ),
    };
  });
  return { team, people };
}

function withOrganizer(settings: CalendarSettings) {
  return settings.organizer ? { organizer: settings.organizer } : {};
}
