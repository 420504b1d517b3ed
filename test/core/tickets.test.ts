import { describe, expect, test } from "vitest";
import {
  detectCsvFormat,
  detectJsonFormat,
  satisfactionOf,
  type TicketRow,
  ticketRecord,
} from "../../src/core/tickets/formats.ts";
import { TicketIds, TicketJoin } from "../../src/core/tickets/join.ts";
import { ENTRIES, NOW, ROSTER } from "../helpers/report-fixture.ts";

/**
 * The join on the hand-worked fixture of the report (test/helpers/report-fixture.ts):
 * one Monday shift 09:00–17:00 UTC, served Jan 5 ann, Jan 12 bob, Jan 19 cat (leadership).
 */

function row(
  agent: string | null,
  at: string | number | null,
  more: Partial<TicketRow> = {},
): TicketRow {
  return {
    kind: "ticket",
    vendor: "generic",
    id: null,
    agents: agent === null ? [] : [agent],
    at,
    firstReplyMinutes: null,
    resolutionMinutes: null,
    resolved: null,
    satisfied: null,
    ...more,
  };
}

function join(zone?: string): TicketJoin {
  return new TicketJoin({
    roster: {
      ...ROSTER,
      people: ROSTER.people.map((p) => (p.id === "cat" ? { ...p, helpdesk: [42] } : p)),
    },
    entries: ENTRIES,
    now: NOW,
    since: "2026-01-01",
    until: "2026-03-04",
    ...(zone ? { zone } : {}),
  });
}

describe("joining tickets to shifts", () => {
  test("by id, name or alias, inside a shift the person served; the rest by reason", () => {
    const j = join();
    j.add(row("ann", "2026-01-05T09:00:00Z", { firstReplyMinutes: 10, satisfied: true }));
    j.add(row("Ann", "2026-01-05 16:59:59", { firstReplyMinutes: 30, satisfied: false }));
    j.add(row("ann", "2026-01-05T17:00:00Z")); // the shift's end is outside it
    j.add(row("42", 1768816800)); // Intercom: Unix seconds, 2026-01-19T10:00Z
    j.add(row("bob", "2026-01-05T10:00:00Z")); // not bob's shift
    j.add(row("zed", "2026-01-05T10:00:00Z"));
    j.add(row(null, "2026-01-05T10:00:00Z"));
    j.add(row("ann", "soon"));
    j.add(row("ann", "2026-02-29T10:00:00Z")); // no such day
    j.add(row("ann", "2025-12-29T10:00:00Z")); // before the window
    const figures = j.figures();
    const ann = figures.people.find((p) => p.id === "ann");
    expect(ann).toMatchObject({
      conversations: 2,
      shifts: 1,
      firstReply: { count: 2, medianMinutes: 20 },
      satisfaction: { rated: 2, good: 1, share: 0.5 },
    });
    expect(figures.people.find((p) => p.id === "cat")).toMatchObject({
      team: "leadership",
      conversations: 1,
    });
    expect(figures.teams.map((t) => [t.id, t.conversations])).toEqual([
      ["eng", 2],
      ["leadership", 1],
    ]);
    expect(figures.occurrences.map((o) => [o.id, o.conversations])).toEqual([
      ["2026-01-05/day", 2],
      ["2026-01-19/day", 1],
    ]);
    expect(Object.fromEntries(figures.unmatched.reasons.map((r) => [r.reason, r.count]))).toEqual({
      "outside-shift": 2,
      "unknown-agent": 1,
      "no-agent": 1,
      "unreadable-timestamp": 2,
      "outside-window": 1,
    });
    expect(figures.totals).toMatchObject({ rows: 10, conversations: 3, unmatched: 7 });
  });

  test("an alias never takes another person's id, email or name", () => {
    const j = new TicketJoin({
      roster: {
        ...ROSTER,
        people: ROSTER.people.map((p) =>
          p.id === "cat"
            ? { ...p, helpdesk: ["ann", "BOB", "ann@example.com", "Cat"] }
            : p.id === "ann"
              ? { ...p, email: "ann@example.com" }
              : p,
        ),
      },
      entries: ENTRIES,
      now: NOW,
      since: "2026-01-01",
      until: "2026-03-04",
    });
    j.add(row("ann", "2026-01-05T10:00:00Z"));
    j.add(row("ann@example.com", "2026-01-05T11:00:00Z"));
    j.add(row("Bob", "2026-01-12T10:00:00Z"));
    j.add(row("cat", "2026-01-19T10:00:00Z"));
    const people = j.figures().people;
    const count = (id: string) => people.find((p) => p.id === id)?.conversations;
    expect([count("ann"), count("bob"), count("cat")]).toEqual([2, 1, 1]);
  });

  test("people who left the roster, or were renamed, keep their tickets as their history names them", () => {
    // bob left; his id was renamed rob, who holds bob's email now and served Mar 2 (ann's shift before).
    const entries = ENTRIES.map((e) => (e.date === "2026-03-02" ? { ...e, people: ["rob"] } : e));
    const j = new TicketJoin({
      roster: {
        ...ROSTER,
        people: [
          ...ROSTER.people.filter((p) => p.id !== "bob"),
          { id: "rob", name: "Rob", team: "ops", email: "bob@example.com" },
        ],
      },
      entries,
      now: NOW,
      since: "2026-01-01",
      until: "2026-03-04",
      departed: new Map([
        ["bob", { name: "Bob", email: "bob@example.com", team: "eng", helpdesk: [77] }],
      ]),
    });
    j.add(row("bob@example.com", "2026-01-12T10:00:00Z")); // bob's shift: bob's
    j.add(row("BOB@example.com", "2026-03-02T10:00:00Z")); // rob's shift: rob's
    j.add(row("77", "2026-02-23T10:00:00Z")); // bob's alias as the roster had it
    j.add(row("Bob", "2026-02-02T10:00:00Z")); // bob's name, on his swap
    j.add(row("bob@example.com", "2026-01-05T10:00:00Z")); // ann's shift: neither's
    const figures = j.figures();
    expect(figures.people.map((p) => [p.id, p.team, p.shifts, p.conversations])).toEqual([
      ["ann", "eng", 0, 0],
      ["cat", "leadership", 0, 0],
      ["dan", "eng", 0, 0],
      ["eve", "eng", 0, 0],
      ["gus", "eng", 0, 0],
      ["rob", "ops", 1, 1],
      ["bob", "eng", 3, 3],
    ]);
    expect(figures.teams.map((t) => [t.id, t.conversations])).toEqual([
      ["eng", 3],
      ["ops", 1],
    ]);
    expect(figures.unmatched.reasons).toEqual([
      expect.objectContaining({
        reason: "outside-shift",
        count: 1,
        examples: [{ value: "rob or bob", count: 1 }],
      }),
    ]);
  });

  test("someone who left with no history is known by their id, and has a row only for the window they served in", () => {
    const roster = { ...ROSTER, people: ROSTER.people.filter((p) => p.id !== "cat") };
    const j = new TicketJoin({
      roster,
      entries: ENTRIES,
      now: NOW,
      since: "2026-01-01",
      until: "2026-03-04",
    });
    j.add(row("cat", "2026-01-19T10:00:00Z"));
    expect(j.figures().people.at(-1)).toMatchObject({
      id: "cat",
      name: "cat",
      team: null,
      conversations: 1,
    });
    const later = new TicketJoin({
      roster,
      entries: ENTRIES,
      now: NOW,
      since: "2026-02-01",
      until: "2026-03-04",
    });
    later.add(row("cat", "2026-01-19T10:00:00Z"));
    const figures = later.figures();
    expect(figures.people.map((p) => p.id)).not.toContain("cat");
    expect(figures.unmatched.reasons.map((r) => r.reason)).toEqual(["outside-window"]);
  });

  test("a Front conversation counts for the teammate of its first outbound message, in any row order", () => {
    const message = (agent: string, at: string, first: boolean, seconds: number) =>
      ticketRecord("front", {
        "conversation id": "c9",
        direction: "Outbound",
        status: "archived",
        "message date": at,
        "attributed to": agent,
        "first response": String(first),
        "response time": String(seconds),
      }) as TicketRow;
    const j = join();
    // Bob's later message is listed before Ann's first reply.
    j.add(message("bob", "2026-01-05T16:30:00Z", false, 600));
    j.add(message("ann", "2026-01-05T10:10:00Z", true, 1200));
    const figures = j.figures();
    expect(figures.people.find((p) => p.id === "ann")).toMatchObject({
      conversations: 1,
      firstReply: { count: 1, medianMinutes: 20 },
      resolution: { known: 1, resolved: 1 },
    });
    expect(figures.people.find((p) => p.id === "bob")?.conversations).toBe(0);
    expect(figures.totals).toMatchObject({ rows: 2, conversations: 1, unmatched: 0 });
  });

  test("the window's days are the roster's local days, to the minute at both ends", () => {
    // Auckland is 13 hours ahead of UTC in summer: its 1 January starts at 11:00 UTC on 31 December.
    const j = new TicketJoin({
      roster: { ...ROSTER, timezone: "Pacific/Auckland" },
      entries: ENTRIES,
      now: NOW,
      since: "2026-01-01",
      until: "2026-03-04",
    });
    j.add(row("ann", "2025-12-31T10:59:00Z")); // 23:59 on 31 December there: before
    j.add(row("ann", "2025-12-31T11:00:00Z")); // midnight: inside the window, off shift
    j.add(row("ann", "2026-03-04T10:59:00Z")); // 23:59 on 4 March: inside
    j.add(row("ann", "2026-03-04T11:00:00Z")); // 5 March: after
    expect(
      Object.fromEntries(j.figures().unmatched.reasons.map((r) => [r.reason, r.count])),
    ).toEqual({ "outside-window": 2, "outside-shift": 2 });
  });

  test("a ticket inside an occurrence goes with the occurrence's date, whatever day it is in the roster's zone", () => {
    // Ann's 2026-01-05 shift (09:00–17:00 UTC) runs into 6 January in Auckland (UTC+13).
    const window = (day: string) =>
      new TicketJoin({
        roster: { ...ROSTER, timezone: "Pacific/Auckland" },
        entries: ENTRIES,
        now: NOW,
        since: day,
        until: day,
      });
    const reasons = (j: TicketJoin) =>
      Object.fromEntries(j.figures().unmatched.reasons.map((r) => [r.reason, r.count]));
    const fifth = window("2026-01-05");
    fifth.add(row("ann", "2026-01-05T10:00:00Z")); // 23:00 on the 5th there
    fifth.add(row("ann", "2026-01-05T12:00:00Z")); // 01:00 on the 6th there
    expect(fifth.figures().people.find((p) => p.id === "ann")?.conversations).toBe(2);
    const sixth = window("2026-01-06");
    sixth.add(row("ann", "2026-01-05T12:00:00Z")); // on her shift of the 5th: not this window's
    sixth.add(row("ann", "2026-01-05T18:00:00Z")); // the 6th there, off shift
    expect(reasons(sixth)).toEqual({ "outside-window": 1, "outside-shift": 1 });
  });

  test("times without an offset are read in the given zone", () => {
    const j = join("America/New_York");
    // 04:30 in New York is 09:30 UTC: inside ann's shift; read as UTC it would not be.
    j.add(row("ann", "2026-01-05 04:30:00"));
    expect(j.figures().totals.conversations).toBe(1);
  });

  test("the same ticket twice counts once, and figures given later fill it in", () => {
    const j = join();
    j.add({
      kind: "supplement",
      vendor: "zendesk",
      id: "1",
      firstReplyMinutes: 5,
      resolutionMinutes: null,
      resolved: null,
      satisfied: true,
    });
    j.add(row("ann", "2026-01-05T10:00:00Z", { vendor: "zendesk", id: "1" }));
    j.add(row("ann", "2026-01-05T11:00:00Z", { vendor: "zendesk", id: "1", resolved: true }));
    const totals = j.figures().totals;
    expect(totals).toMatchObject({
      conversations: 1,
      firstReply: { count: 1, medianMinutes: 5 },
      resolution: { known: 1, resolved: 1 },
      satisfaction: { rated: 1, good: 1 },
    });
  });
});

describe("reading the vendors' words", () => {
  test("formats from headers and keys", () => {
    expect(detectCsvFormat(["ticket id", "agent", "created time"])).toBe("freshdesk");
    expect(detectCsvFormat(["id", "assignee", "created at"])).toBe("zendesk");
    expect(detectCsvFormat(["message id", "conversation id", "message date"])).toBe("front");
    expect(detectCsvFormat(["conversation id", "assigned to", "created at"])).toBe("helpscout");
    expect(detectCsvFormat(["agent", "timestamp"])).toBe("generic");
    expect(detectCsvFormat(["who", "when"])).toBeUndefined();
    expect(detectJsonFormat({ admin_assignee_id: 1 })).toBe("intercom");
    expect(detectJsonFormat({ mailboxId: 1 })).toBe("helpscout");
    expect(detectJsonFormat({ id: 1, assignee_id: 2 })).toBe("zendesk");
  });

  test("the vendors' documented fields: Help Scout's closedAt, Intercom's time_to_last_close", () => {
    const conversation = {
      id: 1,
      mailboxId: 7,
      status: "closed",
      createdAt: "2026-01-05T09:00:00Z",
      closedAt: "2026-01-05T10:30:00Z",
      assignee: { id: 9, first: "Ann", last: "Lee", email: "ann@example.com" },
    };
    expect(ticketRecord("helpscout", conversation)).toMatchObject({
      agents: ["ann@example.com", "9", "Ann Lee"],
      resolutionMinutes: 90,
      resolved: true,
    });
    expect(ticketRecord("helpscout", { ...conversation, status: "active" })).toMatchObject({
      resolutionMinutes: null,
      resolved: false,
    });
    const intercom = {
      id: "1",
      created_at: 1767603600,
      state: "closed",
      admin_assignee_id: 5,
      statistics: { time_to_admin_reply: 120, time_to_last_close: 3600, last_close_at: 1767610800 },
    };
    expect(ticketRecord("intercom", intercom)).toMatchObject({
      firstReplyMinutes: 2,
      resolutionMinutes: 60,
    });
    const { time_to_last_close: _, ...older } = intercom.statistics;
    expect(ticketRecord("intercom", { ...intercom, statistics: older })).toMatchObject({
      resolutionMinutes: 120,
    });
    // Freshservice's export writes "Survey Result".
    expect(
      ticketRecord("freshdesk", {
        "ticket id": "1",
        agent: "Ann",
        "survey result": "Extremely happy",
      }),
    ).toMatchObject({ satisfied: true });
  });

  test("satisfaction: good, bad, or not rated", () => {
    for (const good of ["Good", "great", 5, 4, "Extremely happy", 0.8, "good_with_comment"])
      expect(satisfactionOf(good)).toBe(true);
    // Help Scout: "great", "ok", "not-good" in its API; "Great", "Okay", "Not Good" in reports.
    for (const bad of [
      "Bad",
      "not good",
      "Not Good",
      "not-good",
      "Okay",
      "ok",
      2,
      "Unhappy",
      0.2,
      "bad_without_comment",
    ])
      expect(satisfactionOf(bad)).toBe(false);
    for (const none of ["Offered", "Not Offered", "unoffered", "", null, undefined]) {
      expect(satisfactionOf(none)).toBeNull();
    }
  });

  test("a rating of 1 is one star, the worst, not a full share", () => {
    const intercom = (rating: number) =>
      ticketRecord("intercom", {
        id: "1",
        created_at: 1767603600,
        conversation_rating: { rating },
      });
    expect([1, 2, 3, 4, 5].map((rating) => intercom(rating)?.satisfied)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    const generic = (satisfaction: string) =>
      ticketRecord("generic", { agent: "ann", timestamp: "2026-01-05T10:00:00Z", satisfaction });
    const read = ["1", "5", "4", "3", "0", "0.4", "0.5", "1.0", "0.99"].map(
      (value) => generic(value)?.satisfied,
    );
    expect(read).toEqual([false, true, true, false, false, false, true, true, true]);
  });

  test('decimal commas are decimals, and a survey\'s "Not satisfied" is not good', () => {
    const freshdesk = (hours: string, survey: string) =>
      ticketRecord("freshdesk", {
        "ticket id": "1",
        agent: "Ann",
        "first response time (in hrs)": hours,
        "resolution time (in hrs)": hours,
        "survey results": survey,
      });
    expect(freshdesk("0,5", "Not satisfied")).toMatchObject({
      firstReplyMinutes: 30,
      resolutionMinutes: 30,
      satisfied: false,
    });
    expect(freshdesk("2,25", "Satisfied")).toMatchObject({
      firstReplyMinutes: 135,
      satisfied: true,
    });
    expect(freshdesk("1.250,5", "Not happy")).toMatchObject({
      firstReplyMinutes: 75_030,
      satisfied: false,
    });
    // Commas between groups of three digits separate thousands.
    expect(freshdesk("1,250", "")).toMatchObject({ firstReplyMinutes: 75_000, satisfied: null });
    expect(satisfactionOf("1,0")).toBe(true);
    expect(satisfactionOf("0,3")).toBe(false);
  });

  test("a time written with its units is read in them, whatever the field's own unit", () => {
    const minutes = (first: unknown, resolution: unknown = "") =>
      ticketRecord("generic", {
        agent: "ann",
        timestamp: "2026-01-05T10:00:00Z",
        first_reply_minutes: first,
        resolution_minutes: resolution,
      });
    const read = (value: string) => minutes(value)?.firstReplyMinutes;
    expect(read("12 min")).toBe(12);
    expect(read("12 mins")).toBe(12);
    expect(read("1h 30m")).toBe(90);
    expect(read("1h30m")).toBe(90);
    expect(read("2 hours, 5 minutes")).toBe(125);
    expect(read("1 day and 2 hours")).toBe(1560);
    expect(read("1,5 h")).toBe(90);
    expect(read("90s")).toBe(1.5);
    expect(read(" 3 Min ")).toBe(3);
    // A plain number is in the field's own unit; anything else is no time at all.
    expect(read("12")).toBe(12);
    expect(read("n/a")).toBeNull();
    expect(read("12 parsecs")).toBeNull();
    expect(read("min")).toBeNull();
    const front = (time: string) =>
      ticketRecord("front", {
        "conversation id": "c1",
        direction: "outbound",
        "first response": "true",
        "attributed to": "Ann",
        "message date": "2026-01-05T10:00:00Z",
        "response time": time,
      })?.firstReplyMinutes;
    expect([front("300"), front("5 min"), front("00:05:00")]).toEqual([5, 5, 5]);
    const freshdesk = ticketRecord("freshdesk", {
      "ticket id": "1",
      agent: "Ann",
      "first response time (in hrs)": "45 min",
      "resolution time (in hrs)": "2",
    });
    expect(freshdesk).toMatchObject({ firstReplyMinutes: 45, resolutionMinutes: 120 });
  });
});

describe("a help desk's ticket ids", () => {
  test("one id names one ticket, plain numbers or not, and no two ids meet", () => {
    const ids = new TicketIds();
    const all = ["7", "07", "7.0", "-7", " 7", "70", "0", "00", "", "T-7", "123456789012345"];
    all.push("1234567890123456", "12345678901234567", "9007199254740993", "9007199254740992");
    all.forEach((id, i) => {
      ids.set(id, i);
    });
    all.forEach((id, i) => {
      expect(ids.get(id), JSON.stringify(id)).toBe(i);
    });
    expect(ids.get("8")).toBeUndefined();
    expect(ids.get("007")).toBeUndefined();
    ids.set("7", 99);
    expect(ids.get("7")).toBe(99);
    expect(ids.get("07")).toBe(1);
  });
});
