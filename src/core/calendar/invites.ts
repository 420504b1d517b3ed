import type { Roster } from "../roster/model.ts";
import { type Schedule, type ScheduleEntry, servedBy } from "../schedule/schedule.ts";
import { parseIsoInstant } from "../time.ts";
import { type EventContext, eventForEntry, formatDate, rosterNames } from "./events.ts";
import {
  type CalendarHistory,
  NO_HISTORY,
  publishedSequenceOf,
  sameEvent,
  sequenceOf,
} from "./history.ts";
import { renderCalendar } from "./ics.ts";
import { calendarSettings } from "./settings.ts";
import { personEventUid } from "./uid.ts";
import { ZoneBook } from "./zones.ts";

/**
 * Invites for the shifts that changed between two schedules: for each person
 * with an email (in the roster, or in its history for someone no longer in
 * it), a METHOD:REQUEST file per shift that is new to them or whose time or
 * people changed, and a METHOD:CANCEL file per shift they are no longer on. One UID per file (Outlook reads only the first event of a
 * REQUEST), the UID of the person's own feed event, so an accepted invite and
 * a subscribed feed are the same event. Nothing here sends anything.
 */

export interface Invite {
  /** Below the invites directory: `<person>/<date>-<shift>-request.ics`. */
  path: string;
  method: "REQUEST" | "CANCEL";
  person: string;
  name: string;
  email: string;
  occurrence: string;
  sequence: number;
  /** A subject line for the mail that carries the file. */
  subject: string;
  text: string;
}

export interface InvitePlan {
  invites: Invite[];
  /** People with changed shifts whom no invite can reach (no email in the roster or its history). */
  unreachable: { person: string; changes: number }[];
}

export class MissingOrganizerError extends Error {}

/**
 * Compares the schedule before with the one after and renders the invites.
 * Throws MissingOrganizerError when the roster names no organizer: an invite
 * without one is not valid (RFC 5546) and clients drop it.
 */
export function planInvites(
  roster: Roster,
  before: Schedule,
  after: Schedule,
  history: CalendarHistory = NO_HISTORY,
): InvitePlan {
  const settings = calendarSettings(roster);
  const organizer = settings.organizer;
  if (!organizer) throw new MissingOrganizerError("calendar.organizer");
  const zones = new ZoneBook();
  const context: EventContext = {
    roster,
    settings,
    zones,
    names: rosterNames(roster, history.departed),
    history,
  };

  const afterById = new Map(after.entries.map((entry) => [entry.id, entry]));
  // The time of the newest change, for cancelling an occurrence that is gone altogether.
  let latest = Number.NEGATIVE_INFINITY;
  for (const entry of after.entries) {
    latest = Math.max(latest, parseIsoInstant(entry.changed) ?? latest);
  }

  // Someone no longer in the roster is reached at the address its history has.
  const people = new Map<string, { name: string; email?: string | undefined }>(history.departed);
  for (const person of roster.people) people.set(person.id, person);
  const changes = new Map<string, { request: ScheduleEntry[]; cancel: ScheduleEntry[] }>();
  const changesOf = (person: string) => {
    let list = changes.get(person);
    if (!list) {
      list = { request: [], cancel: [] };
      changes.set(person, list);
    }
    return list;
  };
  const beforeById = new Map(before.entries.map((entry) => [entry.id, entry]));
  for (const entry of after.entries) {
    const old = beforeById.get(entry.id);
    // What its people see decides, not rev: swaps that end where they began raise it.
    if (old && sameEvent(old, entry)) continue;
    for (const person of servedBy(entry)) changesOf(person).request.push(entry);
  }
  for (const old of before.entries) {
    const now = afterById.get(old.id);
    for (const person of servedBy(old)) {
      if (!(now && servedBy(now).includes(person))) changesOf(person).cancel.push(old);
    }
  }

  const invites: Invite[] = [];
  const unreachable: InvitePlan["unreachable"] = [];
  const ids = [...changes.keys()].sort((a, b) => rank(a) - rank(b) || compare(a, b));
  function rank(id: string) {
    const index = roster.people.findIndex((person) => person.id === id);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  }
  for (const id of ids) {
    const { request, cancel } = changes.get(id) as {
      request: ScheduleEntry[];
      cancel: ScheduleEntry[];
    };
    const person = people.get(id);
    if (!person?.email) {
      unreachable.push({ person: id, changes: request.length + cancel.length });
      continue;
    }
    const attendee = { name: person.name, email: person.email };
    const items = [
      ...request.map((entry) => ({ entry, method: "REQUEST" as const })),
      ...cancel.map((entry) => ({ entry, method: "CANCEL" as const })),
    ].sort((a, b) => compare(a.entry.start, b.entry.start) || compare(a.entry.id, b.entry.id));
    for (const { entry, method } of items) {
      const event = eventForEntry(entry, context);
      const uid = personEventUid(roster.team, entry.id, id);
      const cancelling = method === "CANCEL";
      const current = afterById.get(entry.id);
      // A cancellation outranks every request before it, and never falls
      // below the occurrence's own revision (its people changed to drop this person).
      const sequence = cancelling
        ? Math.max(
            publishedSequenceOf(history, entry) + 1,
            current ? sequenceOf(history, current) : 0,
          )
        : sequenceOf(history, entry);
      const stamp = cancelling
        ? current
          ? (parseIsoInstant(current.changed) ?? event.stamp)
          : Math.max(latest, event.stamp)
        : event.stamp;
      const text = renderCalendar(
        { method },
        [
          {
            event,
            extras: {
              uid,
              organizer,
              attendee,
              status: cancelling ? "CANCELLED" : "CONFIRMED",
              sequence,
              stamp,
              noAlarms: cancelling,
            },
          },
        ],
        zones,
      );
      const when = formatDate(entry.date);
      invites.push({
        path: `${id}/${entry.date}-${entry.shift}-${method.toLowerCase()}.ics`,
        method,
        person: id,
        name: person.name,
        email: person.email,
        occurrence: entry.id,
        sequence,
        subject: `${cancelling ? "Cancelled: " : ""}${event.summary}, ${when}`,
        text,
      });
    }
  }
  return { invites, unreachable };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
