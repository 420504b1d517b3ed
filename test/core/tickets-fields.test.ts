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
    {
      ticket_id: 1,
      reply_time_in_minutes: { calendar: 1, business: 1 },
      full_resolution_time_in_minutes: { calendar: 2 },
      solved_at: "x",
    },
    { ticket_id: 1, reply_time_in_minutes: 5 },
    { "created at": "2026-01-05 10:00", assignee: "ann" },
    { assignee: "ann" },
    {
      id: 1,
      assignee: { email: "a@x", name: "Ann" },
      metric_set: {
        reply_time_in_minutes: { calendar: 1 },
        full_resolution_time_in_minutes: { calendar: 2 },
      },
      satisfaction_rating: { score: "bad", comment: "x" },
    },
  ],
  helpscout: [
    {},
    {
      createdAt: "2026-01-05T10:00:00Z",
      closedAt: "2026-01-05T11:00:00Z",
      status: "closed",
      assignee: { id: 1, email: "a@x", first: "A", last: "B" },
    },
    { mailboxId: 1, assignee: { first: "A", last: "B" } },
  ],
  freshdesk: [{}, { "resolved time": "x", "first response time (in hrs)": "01:30:00" }],
  intercom: [
    {},
    { state: "closed", created_at: 1, statistics: { last_close_at: 5, time_to_admin_reply: 1 } },
    { state: "closed", statistics: { time_to_last_close: 5 } },
    { state: "open", conversation_rating: { teammate: { id: 1 }, rating: 5, remark: "x" } },
  ],
  front: [{}, { direction: "outbound", "first response": "yes", "response time": "60" }],
  generic: [{}, { resolved: "yes", agent: "ann", timestamp: "x" }],
};

/** The paths into a row `ticketRecord` looks at (reads, or asks whether there are). */
function pathsLookedAt(format: TicketFormat, row: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const watch = (target: object, prefix: string): object =>
    new Proxy(target, {
      get(object, key, receiver) {
        const value = Reflect.get(object, key, receiver);
        if (typeof key !== "string") return value;
        seen.add(prefix + key);
        return value !== null && typeof value === "object"
          ? watch(value, `${prefix}${key}.`)
          : value;
      },
      has(object, key) {
        if (typeof key === "string") seen.add(prefix + key);
        return Reflect.has(object, key);
      },
    });
  ticketRecord(format, watch(row, "") as Record<string, unknown>);
  return seen;
}

/** Whether a path looked at is checked: listed, under a listed path, or on the way to one. */
const covered = (paths: readonly string[], looked: string) =>
  paths.some((p) => p === looked || looked.startsWith(`${p}.`) || p.startsWith(`${looked}.`));

describe("the fields a help desk's rows are read for", () => {
  test("every field a mapping looks at is listed for its format", () => {
    for (const format of TICKET_FORMATS) {
      const looked = new Set<string>();
      for (const row of ROWS[format])
        for (const path of pathsLookedAt(format, row)) looked.add(path);
      expect(looked.size, format).toBeGreaterThan(3);
      expect(
        [...looked].filter((path) => !covered(FIELDS_READ[format], path)),
        format,
      ).toEqual([]);
      // And nothing listed that is never looked at.
      expect(
        FIELDS_READ[format].filter((path) => !looked.has(path)),
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
    const metrics = (value: unknown) => ({ ...row, metric_set: { reply_time_in_minutes: value } });
    expect(readsAsciiOnly("zendesk", metrics({ calendar: "5é" }))).toBe(false);
    expect(readsAsciiOnly("zendesk", metrics({ calendar: { ü: 1 } }))).toBe(false);
    expect(readsAsciiOnly("zendesk", metrics("5\u00a0"))).toBe(false);
    expect(readsAsciiOnly("zendesk", metrics(["5", "é"]))).toBe(false);
    expect(readsAsciiOnly("zendesk", metrics({ calendar: 5, business: "é", é: 1 }))).toBe(true);
    expect(readsAsciiOnly("zendesk", { ...row, assignee: "Zoë" })).toBe(false);
    expect(
      readsAsciiOnly("zendesk", { ...row, custom: [{ x: "\u00a0" }], metric_set: { a: "é" } }),
    ).toBe(true);
    const rated = (rating: unknown) => ({ ...row, conversation_rating: rating });
    expect(readsAsciiOnly("intercom", rated({ rating: 5, remark: "très bien" }))).toBe(true);
    expect(readsAsciiOnly("intercom", rated({ rating: "５" }))).toBe(false);
    expect(readsAsciiOnly("intercom", rated({ teammate: { id: "é" } }))).toBe(false);
    expect(readsAsciiOnly("intercom", rated("é"))).toBe(false);
    expect(readsAsciiOnly("generic", { ...row, agent: "\ud83d" })).toBe(false);
  });
});
