import { describe, expect, test } from "vitest";
import {
  FIELDS_READ,
  readsAsciiOnly,
  TICKET_FORMATS,
  type TicketFormat,
  ticketRecord,
} from "../../src/core/tickets/formats.ts";

/**
 * The fields each vendor's mapping reads of a row (FIELDS_READ): a reader
 * that parses bytes as latin1 trusts a row whose fields read are ASCII, so
 * a field read but not listed would let text beyond ASCII through unread.
 */

/** Rows that take each way through the mappings (empty ones make `field` try every name). */
const ROWS: Record<TicketFormat, Record<string, unknown>[]> = {
  zendesk: [
    {},
    { ticket_id: 1, score: "good" },
    { ticket_id: 1, reply_time_in_minutes: { calendar: 1 }, solved_at: "x" },
    { "created at": "2026-01-05 10:00", assignee: "ann" },
    { assignee: "ann" },
    { id: 1, assignee: { email: "a@x" }, metric_set: {}, satisfaction_rating: { score: "bad" } },
  ],
  helpscout: [
    {},
    { createdAt: "2026-01-05T10:00:00Z", closedAt: "2026-01-05T11:00:00Z", status: "closed" },
    { mailboxId: 1, assignee: { first: "A", last: "B" } },
  ],
  freshdesk: [{}, { "resolved time": "x", "first response time (in hrs)": "01:30:00" }],
  intercom: [
    {},
    { state: "closed", created_at: 1, statistics: { last_close_at: 5 } },
    { state: "open", conversation_rating: { teammate: { id: 1 }, rating: 5 } },
  ],
  front: [{}, { direction: "outbound", "first response": "yes", "response time": "60" }],
  generic: [{}, { resolved: "yes", agent: "ann", timestamp: "x" }],
};

/** The top-level fields `ticketRecord` looks at (reads, or asks whether there are). */
function fieldsLookedAt(format: TicketFormat, row: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const watched = new Proxy(row, {
    get(target, key, receiver) {
      if (typeof key === "string") seen.add(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === "string") seen.add(key);
      return Reflect.has(target, key);
    },
  });
  ticketRecord(format, watched);
  return seen;
}

describe("the fields a help desk's rows are read for", () => {
  test("every field a mapping looks at is listed for its format", () => {
    for (const format of TICKET_FORMATS) {
      const looked = new Set<string>();
      for (const row of ROWS[format])
        for (const key of fieldsLookedAt(format, row)) looked.add(key);
      expect(looked.size, format).toBeGreaterThan(3);
      expect(
        [...looked].filter((key) => !FIELDS_READ[format].includes(key)),
        format,
      ).toEqual([]);
    }
  });

  test("a row is trusted as ASCII only when every field read is, however deep", () => {
    const row = {
      id: 7,
      assignee_id: 360001,
      created_at: "2026-01-05T10:00:00Z",
      status: "solved",
      subject: "café 😀",
      tags: ["ünïcode"],
      "sujet é": 1,
    };
    expect(readsAsciiOnly("zendesk", row)).toBe(true);
    expect(readsAsciiOnly("zendesk", { ...row, status: "solvéd" })).toBe(false);
    expect(readsAsciiOnly("zendesk", { ...row, assignee: { email: "a@x", name: "Zoë" } })).toBe(
      false,
    );
    expect(readsAsciiOnly("zendesk", { ...row, metric_set: { calendär: 1 } })).toBe(false);
    expect(
      readsAsciiOnly("zendesk", { ...row, custom: [{ x: "\u00a0" }], metric_set: { a: [1, "b"] } }),
    ).toBe(true);
    expect(readsAsciiOnly("intercom", { ...row, statistics: { x: ["\u2028"] } })).toBe(false);
    expect(readsAsciiOnly("generic", { ...row, agent: "\ud83d" })).toBe(false);
  });
});
