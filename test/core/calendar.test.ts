import { describe, expect, test } from "vitest";
import { eventForEntry, formatDate, rosterNames } from "../../src/core/calendar/events.ts";
import { renderFeeds } from "../../src/core/calendar/feeds.ts";
import { replaySchedule, sequenceOf } from "../../src/core/calendar/history.ts";
import {
  CalendarWriter,
  type EventExtras,
  escapeText,
  mailtoAddress,
  parameterText,
  renderCalendar,
} from "../../src/core/calendar/ics.ts";
import { MissingOrganizerError, planInvites } from "../../src/core/calendar/invites.ts";
import { calendarSettings } from "../../src/core/calendar/settings.ts";
import { personEventUid, teamEventUid, uuidV5 } from "../../src/core/calendar/uid.ts";
import { ZoneBook } from "../../src/core/calendar/zones.ts";
import type { Roster } from "../../src/core/roster/model.ts";
import {
  renderEntry,
  type Schedule,
  type ScheduleEntry,
} from "../../src/core/schedule/schedule.ts";
import { unfold } from "../helpers/ical.ts";

const roster: Roster = {
  version: 1,
  team: "Acme",
  timezone: "Europe/Berlin",
  shifts: [
    {
      id: "emea",
      name: "EMEA day",
      days: ["mon"],
      start: "09:00",
      end: "17:00",
      seats: [{ role: "any" }, { role: "any" }],
    },
    {
      id: "night",
      days: ["sat"],
      start: "22:00",
      end: "06:00",
      timezone: "US/Eastern",
      seats: [{ role: "any" }],
    },
    {
      id: "utc",
      days: ["mon"],
      start: "09:00",
      end: "10:00",
      timezone: "UTC",
      seats: [{ role: "any" }],
    },
  ],
  people: [
    { id: "ada", name: "Ada Lovelace", email: "ada@example.com" },
    { id: "ada-b", name: "Ada Byron" },
    { id: "grace", name: "Grace Hopper", email: "grace@example.com" },
  ],
  calendar: { organizer: { email: "support@example.com" } },
};

function entry(partial: Partial<ScheduleEntry> & Pick<ScheduleEntry, "id">): ScheduleEntry {
  const [date, shift] = partial.id.split("/") as [string, string];
  return {
    date,
    shift,
    start: `${date}T09:00:00+01:00`,
    end: `${date}T17:00:00+01:00`,
    people: ["ada", "grace"],
    rev: 0,
    changed: "2026-11-01T10:00:00Z",
    ...partial,
  };
}

const context = () => ({
  roster,
  settings: calendarSettings(roster),
  zones: new ZoneBook(),
  names: rosterNames(roster),
});

describe("UIDs", () => {
  test("UUIDv5 matches the RFC 9562 test vector", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });

  test("stable, distinct per feed and person, and free of names", () => {
    const team = teamEventUid("Acme", "2026-11-23/emea");
    expect(team).toBe(teamEventUid("Acme", "2026-11-23/emea"));
    expect(team).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ada = personEventUid("Acme", "2026-11-23/emea", "ada");
    expect(new Set([team, ada, personEventUid("Acme", "2026-11-23/emea", "grace")]).size).toBe(3);
    expect(`${team}${ada}`).not.toMatch(/ada|acme|emea/i);
  });
});

describe("text", () => {
  test("escapes TEXT values", () => {
    expect(escapeText("a,b;c\\d\ne")).toBe("a\\,b\\;c\\\\d\\ne");
  });
  test("parameters lose double quotes and backslashes", () => {
    expect(parameterText('Bob "B" \\ C')).toBe("Bob 'B' / C");
    expect(parameterText("Ada^nLovelace ^'")).toBe("Ada^^nLovelace ^^'");
  });
  test("mailto addresses percent-encode what a URI cannot hold", () => {
    expect(mailtoAddress("ada+rota@example.com")).toBe("ada+rota@example.com");
    expect(mailtoAddress("a,b;c d@ex.com")).toBe("a%2Cb%3Bc%20d@ex.com");
    expect(mailtoAddress("zoë@example.com")).toBe("zo%C3%AB@example.com");
  });
  test("dates are written without the runtime's locale", () => {
    expect(formatDate("2026-11-23")).toBe("Mon 23 Nov 2026");
    expect(formatDate("2024-02-29")).toBe("Thu 29 Feb 2024");
  });
  test("first names in summaries unless two people share one", () => {
    const names = rosterNames(roster);
    expect(names.short("grace")).toBe("Grace");
    expect(names.short("ada")).toBe("Ada Lovelace");
    expect(names.short("gone")).toBe("gone");
  });
  test("a first word's trailing comma is not part of the summary's name", () => {
    const names = rosterNames({
      ...roster,
      people: [
        { id: "doe", name: "Doe, Jane; Jr." },
        { id: "odd", name: ", Odd" },
      ],
    });
    expect(names.short("doe")).toBe("Doe");
    expect(names.short("odd")).toBe(", Odd");
  });
});

describe("settings", () => {
  test("defaults", () => {
    const settings = calendarSettings({ ...roster, calendar: undefined });
    expect(settings).toEqual({
      team: "Acme",
      reminders: { timed: [15], allDay: [900] },
      busy: true,
      refreshHours: 6,
    });
  });
  test("one reminder number applies to every shift; url loses its trailing slash", () => {
    const settings = calendarSettings({
      ...roster,
      calendar: {
        reminder_minutes: 30,
        url: "https://x.example/cal/",
        organizer: { email: "s@x.example" },
      },
    });
    expect(settings.reminders).toEqual({ timed: [30], allDay: [30] });
    expect(settings.url).toBe("https://x.example/cal");
    expect(settings.organizer).toEqual({ name: "Acme", email: "s@x.example" });
  });
});

describe("zones", () => {
  test("an alias is written as the TZID its VTIMEZONE declares", () => {
    const event = eventForEntry(
      entry({
        id: "2025-11-08/night",
        start: "2025-11-08T22:00:00-05:00",
        end: "2025-11-09T06:00:00-05:00",
      }),
      context(),
    );
    expect(event.timing).toMatchObject({ tzid: "America/New_York" });
  });

  test("UTC shifts are written in UTC, with no VTIMEZONE", () => {
    const feeds = renderFeeds(roster, {
      entries: [
        entry({ id: "2026-11-23/utc", start: "2026-11-23T09:00:00Z", end: "2026-11-23T10:00:00Z" }),
      ],
    });
    const lines = unfold(feeds.team.text);
    expect(lines).toContain("DTSTART:20261123T090000Z");
    expect(feeds.team.text).not.toContain("VTIMEZONE");
  });

  test("a boundary in the hour repeated when clocks go back is written in UTC", () => {
    // An entry planned before the roster's times changed: 01:30 happens twice that night.
    const ambiguous = entry({
      id: "2025-11-01/night",
      start: "2025-11-01T22:00:00-04:00",
      end: "2025-11-02T01:30:00-04:00",
    });
    const event = eventForEntry(ambiguous, context());
    expect(event.timing).toEqual({
      allDay: false,
      start: Date.parse("2025-11-02T02:00:00Z"),
      end: Date.parse("2025-11-02T05:30:00Z"),
    });
    const lines = unfold(renderFeeds(roster, { entries: [ambiguous] }).team.text);
    expect(lines).toContain("DTEND:20251102T053000Z");
  });

  test("a shift no longer in the roster still renders, all-day when it ran midnight to midnight", () => {
    const gone = entry({
      id: "2026-11-23/old",
      start: "2026-11-23T00:00:00+01:00",
      end: "2026-11-24T00:00:00+01:00",
    });
    const event = eventForEntry(gone, context());
    expect(event.timing).toEqual({ allDay: true, startDate: "2026-11-23", endDate: "2026-11-24" });
    expect(event.summary).toBe("Support (old): Ada Lovelace, Grace");
  });
});

describe("events written once, used in every calendar holding them", () => {
  const zones = new ZoneBook();
  const ctx = { ...context(), zones };
  const timed = eventForEntry(entry({ id: "2026-11-23/emea" }), ctx);
  const night = eventForEntry(
    entry({
      id: "2026-11-28/night",
      start: "2026-11-28T22:00:00-05:00",
      end: "2026-11-29T06:00:00-05:00",
      people: ["ada"],
    }),
    ctx,
  );
  const organizer = { name: "Support", email: "support@example.com" };
  const attendee = { name: "Ada Lovelace", email: "ada@example.com" };
  // The same events with every extra that changes their text, and UIDs long enough to fold.
  const variants: Omit<EventExtras, "uid">[] = [
    {},
    { organizer },
    { organizer, attendee },
    { organizer, attendee, status: "CONFIRMED" },
    { organizer, attendee, status: "CANCELLED", noAlarms: true },
    { organizer, sequence: 7 },
    { organizer, stamp: Date.parse("2026-11-20T08:00:00Z") },
    { organizer: { ...organizer, name: "Support desk" } },
  ];
  const calendars = variants.flatMap((extras, i) =>
    ["a", `long-${"x".repeat(80)}`].map((uid) => ({
      header: { method: "PUBLISH" as const, name: `Calendar ${i} ${uid}` },
      events: [
        { event: night, extras: { ...extras, uid: `${uid}-night` } },
        { event: timed, extras: { ...extras, uid: `${uid}-timed` } },
      ],
    })),
  );

  test("each calendar is byte for byte what rendering it alone gives", () => {
    const writer = new CalendarWriter(zones);
    // Twice over: the second time every event's text comes from the first.
    for (const { header, events } of [...calendars, ...calendars]) {
      expect(writer.render(header, events)).toBe(renderCalendar(header, events, zones));
    }
  });

  test("the variants differ, so a text used for the wrong extras would show", () => {
    const texts = calendars.map(({ header, events }) =>
      renderCalendar({ ...header, name: "same" }, events, zones)
        .replaceAll(/UID:[^\r]*(\r\n [^\r]*)*/g, "UID")
        .replaceAll(/\r\n /g, ""),
    );
    expect(new Set(texts).size).toBe(variants.length);
  });

  test("a VTIMEZONE per zone used, in the order first used", () => {
    const writer = new CalendarWriter(zones);
    const text = writer.render({}, [
      { event: night, extras: { uid: "1" } },
      { event: timed, extras: { uid: "2" } },
      { event: night, extras: { uid: "3" } },
    ]);
    const lines = unfold(text);
    expect(lines.filter((line) => line.startsWith("TZID:"))).toEqual([
      "TZID:America/New_York",
      "TZID:Europe/Berlin",
    ]);
    expect(lines.filter((line) => line.startsWith("UID:"))).toEqual(["UID:1", "UID:2", "UID:3"]);
  });
});

describe("summaries and descriptions", () => {
  test("open seats are said", () => {
    const event = eventForEntry(
      entry({ id: "2026-11-23/emea", people: ["grace"], open: 1 }),
      context(),
    );
    expect(event.summary).toBe("Support (EMEA day): Grace + 1 open seat");
    expect(event.description).toBe(
      [
        "EMEA day: Mon 23 Nov 2026, 09:00–17:00 (Europe/Berlin)",
        "On support: Grace Hopper",
        "One seat is still open: nobody could be scheduled for it.",
        "",
        "Afterwards: write your field notes with `rota notes` in the roster's repository (what customers struggled with, what surprised you, one thing to fix).",
        "",
        "Occurrence 2026-11-23/emea in Acme's schedule.yaml.",
      ].join("\n"),
    );
    const empty = eventForEntry(entry({ id: "2026-11-23/emea", people: [], open: 2 }), context());
    expect(empty.summary).toBe("Support (EMEA day): 2 open seats");
  });
});

describe("invites", () => {
  const before: Schedule = {
    entries: [
      entry({ id: "2026-11-23/emea", people: ["ada", "grace"], rev: 2 }),
      entry({ id: "2026-11-30/emea", people: ["ada", "ada-b"], rev: 0 }),
      entry({ id: "2026-12-07/emea", people: ["grace", "ada"], rev: 1 }),
    ],
  };
  const after: Schedule = {
    entries: [
      // grace swapped out for ada-b: a new revision
      entry({
        id: "2026-11-23/emea",
        people: ["ada", "ada-b"],
        rev: 3,
        changed: "2026-11-10T08:00:00Z",
      }),
      // unchanged
      entry({ id: "2026-11-30/emea", people: ["ada", "ada-b"], rev: 0 }),
      // 2026-12-07 removed (a new holiday); a new occurrence instead
      entry({
        id: "2026-12-14/emea",
        people: ["grace", "ada"],
        rev: 0,
        changed: "2026-11-10T08:00:00Z",
      }),
    ],
  };

  test("request what is new or changed, cancel what is gone, skip who has no email", () => {
    const plan = planInvites(roster, before, after);
    expect(plan.invites.map((i) => [i.path, i.sequence])).toEqual([
      ["ada/2026-11-23-emea-request.ics", 3],
      ["ada/2026-12-07-emea-cancel.ics", 2],
      ["ada/2026-12-14-emea-request.ics", 0],
      ["grace/2026-11-23-emea-cancel.ics", 3],
      ["grace/2026-12-07-emea-cancel.ics", 2],
      ["grace/2026-12-14-emea-request.ics", 0],
    ]);
    expect(plan.unreachable).toEqual([{ person: "ada-b", changes: 1 }]);
    const cancel = unfold(plan.invites[3]?.text ?? "");
    expect(cancel).toContain(`UID:${personEventUid("Acme", "2026-11-23/emea", "grace")}`);
    expect(cancel).toContain("DTSTAMP:20261110T080000Z");
    // A cancellation of an occurrence that is gone is stamped with the newest change.
    expect(unfold(plan.invites[4]?.text ?? "")).toContain("DTSTAMP:20261110T080000Z");
    expect(plan.invites[1]?.subject).toBe(
      "Cancelled: Support (EMEA day): Grace, Ada Lovelace, Mon 7 Dec 2026",
    );
  });

  test("need an organizer", () => {
    expect(() => planInvites({ ...roster, calendar: {} }, before, after)).toThrow(
      MissingOrganizerError,
    );
  });
});

describe("history", () => {
  const line = (e: ScheduleEntry) => renderEntry(e);
  const v0 = entry({ id: "2026-12-07/emea", people: ["ada", "grace"], rev: 0 });
  const v1 = entry({ id: "2026-12-07/emea", people: ["ada", "ada-b"], rev: 1 });
  const other = entry({ id: "2026-12-14/emea", people: ["grace", "ada"], rev: 0 });

  test("without history every SEQUENCE is the rev", () => {
    const history = { ...replaySchedule([], { entries: [v1, other] }), departed: new Map() };
    expect(sequenceOf(history, v1)).toBe(1);
    expect(history.sequences.size).toBe(0);
    expect([...history.people].sort()).toEqual(["ada", "ada-b", "grace"]);
  });

  test("an occurrence that comes back outranks its cancellation, and keeps rising", () => {
    const changes = [
      { removed: [], added: [line(v0), line(other)] },
      { removed: [line(v0)], added: [] }, // removed: invites cancel it at 1
      { removed: [], added: [line(v0)] }, // the same line back (a revert)
    ];
    const back = { ...replaySchedule(changes, { entries: [v0, other] }), departed: new Map() };
    expect(sequenceOf(back, v0)).toBe(2);
    expect(sequenceOf(back, other)).toBe(0);
    const changed = { ...replaySchedule(changes, { entries: [v1, other] }), departed: new Map() };
    expect(sequenceOf(changed, v1)).toBe(3);
    // Removed and back twice: above the second cancellation too.
    const twice = replaySchedule([...changes, { removed: [line(v0)], added: [] }], {
      entries: [v0],
    });
    expect(twice.sequences.get(v0.id)).toBe(4);
  });

  test("a change of people without a new rev (an edit by hand) still rises", () => {
    const edited = { ...v1, rev: 0 };
    const history = replaySchedule([{ removed: [], added: [line(v0)] }], { entries: [edited] });
    expect(history.sequences.get(v0.id)).toBe(1);
  });

  test("what each person was dropped from, with the SEQUENCE it had", () => {
    const history = replaySchedule(
      [
        { removed: [], added: [line(v0), line(other)] },
        { removed: [line(v0)], added: [line(v1)] },
      ],
      { entries: [v1] },
    );
    expect([...(history.dropped.get("grace")?.entries() ?? [])]).toEqual([
      [v0.id, { entry: v0, sequence: 0 }],
      [other.id, { entry: other, sequence: 0 }],
    ]);
    expect(history.dropped.get("ada")?.has(v0.id)).toBe(false);
    expect(history.dropped.get("ada")?.has(other.id)).toBe(true);
  });

  test("someone no longer in the roster: a last feed, past shifts named as before, the rest cancelled", () => {
    const served = entry({ id: "2026-11-30/emea", people: ["ada", "linus"], rev: 0 });
    const lost = entry({ id: "2026-12-07/emea", people: ["linus", "grace"], rev: 0 });
    const replaced = { ...lost, people: ["ada", "grace"], rev: 1, changed: "2026-12-01T08:00:00Z" };
    const history = {
      ...replaySchedule(
        [
          { removed: [], added: [line(served), line(lost)] },
          { removed: [line(lost)], added: [line(replaced)] },
        ],
        { entries: [served, replaced] },
      ),
      departed: new Map([["linus", { name: "Linus Torvalds", email: "linus@example.com" }]]),
    };
    const feeds = renderFeeds(roster, { entries: [served, replaced] }, history);
    expect(feeds.departed.map((f) => [f.path, f.events, f.cancelled])).toEqual([
      ["people/linus.ics", 2, 1],
    ]);
    const lines = unfold(feeds.departed[0]?.text ?? "");
    expect(lines).toContain("X-WR-CALNAME:Acme support: Linus Torvalds");
    expect(lines).toContain("SUMMARY:Support (EMEA day): Ada Lovelace\\, Linus");
    expect(lines).toContain("SUMMARY:Cancelled: Support (EMEA day): Linus\\, Grace");
    expect(lines).toContain("STATUS:CANCELLED");
    expect(lines).toContain("SEQUENCE:1");
    expect(lines).toContain("DTSTAMP:20261201T080000Z");
    expect(unfold(feeds.team.text)).toContain("SUMMARY:Support (EMEA day): Ada Lovelace\\, Linus");

    // Invites reach him at the address the roster had.
    const plan = planInvites(
      roster,
      { entries: [served, lost] },
      { entries: [served, replaced] },
      history,
    );
    expect(plan.invites.map((i) => [i.path, i.method, i.email, i.sequence])).toEqual([
      ["ada/2026-12-07-emea-request.ics", "REQUEST", "ada@example.com", 1],
      ["grace/2026-12-07-emea-request.ics", "REQUEST", "grace@example.com", 1],
      ["linus/2026-12-07-emea-cancel.ics", "CANCEL", "linus@example.com", 1],
    ]);
    expect(plan.unreachable).toEqual([]);
  });
});
