import { describe, expect, test } from "vitest";
import { parseLeads } from "../../src/core/notify/leads.ts";
import { parseLedger, renderLedger } from "../../src/core/notify/ledger.ts";
import { link, type Message, person, strong, text } from "../../src/core/notify/message.ts";
import { renderChat, renderEmail } from "../../src/core/notify/render.ts";

/**
 * What people write (names, notes) reaches each channel as text, never as
 * markup: no bold, link, heading, mention of everyone or card function that
 * rota did not make itself.
 */

const HOSTILE =
  "*bold* _it_ ~s~ `code` <!channel> <@U1> @everyone @here [x](https://evil.example) # h {{DATE(2026-01-01T00:00:00Z)}} & <b>";

const message: Message = {
  event: "today",
  key: "today/2026-11-24",
  expires: 0,
  subject: "On support today",
  blocks: [
    { kind: "title", text: "On support today" },
    { kind: "para", parts: [strong("EMEA day"), text(": "), person("ada", "Ada <Lovelace>")] },
    { kind: "item", level: 0, parts: [text(HOSTILE)] },
    { kind: "item", level: 1, parts: [link("notes", "https://acme.example/notes/a b|c>.html")] },
  ],
  person: undefined,
  people: ["ada"],
  occurrences: [],
};

const handles = (id: string) => (id === "ada" ? "U024BE7LH" : undefined);
const ZW = "\u200b";

describe("each channel's escaping", () => {
  test("Slack: & < > as entities, a zero-width space before * _ ~ `; rota's own markup intact", () => {
    const { text: out, bodies } = renderChat("slack", message, handles);
    expect(out.split("\n")).toEqual([
      "*On support today*",
      "*EMEA day*: <@U024BE7LH>",
      `• ${ZW}*bold${ZW}* ${ZW}_it${ZW}_ ${ZW}~s${ZW}~ ${ZW}\`code${ZW}\` &lt;!channel&gt; &lt;@U1&gt; @everyone @here [x](https://evil.example) # h {{DATE(2026-01-01T00:00:00Z)}} &amp; &lt;b&gt;`,
      "      ◦ <https://acme.example/notes/a%20b%7Cc%3E.html|notes>",
    ]);
    expect(bodies).toEqual([{ text: out, unfurl_links: false, unfurl_media: false }]);
  });

  test("Discord: backslash escapes, @ defused, only the people named may be pinged", () => {
    const { text: out, bodies } = renderChat("discord", message, (id) =>
      id === "ada" ? "80351110224678912" : undefined,
    );
    const line = out.split("\n")[2] ?? "";
    expect(line).toContain("\\*bold\\* \\_it\\_ \\~s\\~ \\`code\\` \\<\\!channel\\> \\<@");
    expect(line).toContain(`@${ZW}everyone @${ZW}here \\[x\\]\\(https://evil\\.example\\)`);
    expect(out.split("\n")[1]).toBe("**EMEA day**: <@80351110224678912>");
    expect(bodies).toEqual([
      { content: out, allowed_mentions: { parse: [], users: ["80351110224678912"] } },
    ]);
  });

  test("Discord: a message over 2,000 characters goes in pieces split between lines", () => {
    const long: Message = {
      ...message,
      blocks: Array.from({ length: 60 }, (_, i) => ({
        kind: "para" as const,
        parts: [text(`line ${i} ${"x".repeat(50)}`)],
      })),
    };
    const { bodies } = renderChat("discord", long, () => undefined);
    const contents = (bodies as { content: string }[]).map((b) => b.content);
    expect(contents.length).toBe(2);
    expect(contents.every((c) => c.length <= 2000)).toBe(true);
    expect(contents.join("\n").split("\n")).toHaveLength(60);
  });

  test("Mattermost: CommonMark escapes and @username mentions", () => {
    const { text: out } = renderChat("mattermost", message, (id) =>
      id === "ada" ? "ada.lovelace" : undefined,
    );
    expect(out.split("\n")[1]).toBe("**EMEA day**: @ada.lovelace");
    expect(out.split("\n")[2]).toMatch(/^- \\\*bold\\\* /);
    expect(out.split("\n")[3]).toBe("  - [notes](https://acme.example/notes/a%20b%7Cc%3E.html)");
  });

  test("Google Chat: <users/…> mentions; a zero-width space breaks < and the marks", () => {
    const { text: out } = renderChat("google-chat", message, (id) =>
      id === "ada" ? "users/123456789" : undefined,
    );
    expect(out.split("\n")[1]).toBe("*EMEA day*: <users/123456789>");
    expect(out.split("\n")[2]).toContain(`<${ZW}!channel> <${ZW}@U1>`);
    expect(out.split("\n")[2]).toContain(`${ZW}*bold${ZW}*`);
  });

  test("Teams: an Adaptive Card, card markdown escaped, {{ defused, <at> mentions with entities", () => {
    const { bodies } = renderChat("teams", message, (id) =>
      id === "ada" ? "ada@acme.example" : undefined,
    );
    const card = (bodies[0] as { attachments: { content: Record<string, unknown> }[] })
      .attachments[0]?.content as {
      body: { text: string }[];
      msteams: { entities: unknown[] };
    };
    expect(card.body[1]?.text).toBe("**EMEA day**: <at>Ada Lovelace</at>");
    expect(card.msteams.entities).toEqual([
      {
        type: "mention",
        text: "<at>Ada Lovelace</at>",
        mentioned: { id: "ada@acme.example", name: "Ada <Lovelace>" },
      },
    ]);
    expect(card.body[2]?.text).toContain(`{${ZW}{DATE\\(2026`);
    expect(card.body[2]?.text).toContain("\\[x\\]\\(https://evil\\.example\\)");
  });

  test("Teams: a mentioned name is card markdown escaped, in the text and its entity alike", () => {
    const named: Message = {
      ...message,
      blocks: [
        { kind: "title", text: "Reminder" },
        { kind: "para", parts: [person("eve", `Eve ${HOSTILE}`)] },
      ],
    };
    const { bodies } = renderChat("teams", named, () => "eve@acme.example");
    const card = (bodies[0] as { attachments: { content: Record<string, unknown> }[] })
      .attachments[0]?.content as {
      body: { text: string }[];
      msteams: { entities: { text: string }[] };
    };
    const line = card.body[1]?.text ?? "";
    expect(line).toMatch(/^<at>Eve \\\*bold\\\* \\_it\\_ /);
    expect(line).toContain(`@${ZW}everyone @${ZW}here \\[x\\]\\(https://evil\\.example\\)`);
    expect(line).toContain(`{${ZW}{DATE\\(2026`);
    expect(line).not.toMatch(/<(?!\/?at>)/);
    expect(card.msteams.entities[0]?.text).toBe(line);
  });

  test("the generic webhook: plain text, the occurrences and the people", () => {
    const { bodies } = renderChat("webhook", message, handles);
    expect(bodies).toEqual([
      {
        event: "today",
        text: [
          "On support today",
          "EMEA day: Ada <Lovelace>",
          `- ${HOSTILE}`,
          "    - notes (https://acme.example/notes/a b|c>.html)",
        ].join("\n"),
        occurrences: [],
        people: ["ada"],
      },
    ]);
  });

  test("email: everything HTML-escaped, nested lists, only http(s) links", () => {
    const email = renderEmail(message);
    expect(email.html).toContain("<p><strong>EMEA day</strong>: Ada &lt;Lovelace&gt;</p>");
    expect(email.html).toContain("&lt;!channel&gt; &lt;@U1&gt;");
    expect(email.html).toContain("&amp; &lt;b&gt;");
    expect(email.html).not.toContain("<b>");
    expect(email.html).toContain("<ul>\n<li>*bold*");
    expect(email.html).toContain(
      '<ul>\n<li><a href="https://acme.example/notes/a b|c&gt;.html">notes</a></li>\n</ul></li>\n</ul>',
    );
    const js = renderEmail({
      ...message,
      blocks: [{ kind: "para", parts: [link("click", "javascript:alert(1)")] }],
    });
    expect(js.html).toContain("<p>click</p>");
  });
});

describe("lead times", () => {
  test("read longest first, duplicates dropped; a bad one says why", () => {
    expect((parseLeads("1d, 7d,24h,2h") as { label: string }[]).map((l) => l.label)).toEqual([
      "7d",
      "1d",
      "2h",
    ]);
    expect(parseLeads("1d,soon")).toBe(
      '"soon" is not a lead time: use a number and w, d, h or m, e.g. 7d,1d or 2h',
    );
  });
});

describe("the notify state", () => {
  test("round-trips, sorted, forgetting what is stale", () => {
    const ledger = parseLedger(
      '{"version":1,"sent":{"b today/2026-11-25":"2026-11-25T23:00:00Z","a today/2026-11-24":"2026-11-24T23:00:00Z"}}',
    );
    if (typeof ledger === "string") throw new Error(ledger);
    expect(renderLedger(ledger, Date.parse("2026-11-25T00:00:00Z"))).toBe(
      '{\n  "version": 1,\n  "sent": {\n    "b today/2026-11-25": "2026-11-25T23:00:00Z"\n  }\n}\n',
    );
    expect(parseLedger("{")).toBe("it is not JSON");
    expect(parseLedger('{"version":2}')).toBe("it is not a version 1 notify state");
  });
});

describe("today's handoff", () => {
  test("comes from who served the shift before: a cover counts, not the plan", async () => {
    const { readFileSync } = await import("node:fs");
    const { readWellFormedRoster } = await import("../../src/core/roster/fast.ts");
    const { todayMessages } = await import("../../src/core/notify/build.ts");
    const { plainText } = await import("../../src/core/notify/message.ts");
    const roster = readWellFormedRoster(readFileSync("roster.example.yaml", "utf8"));
    if (!roster) throw new Error("roster.example.yaml does not read");
    const entry = (date: string, people: string[], served?: string[]) => ({
      id: `${date}/emea`,
      date,
      shift: "emea",
      start: `${date}T09:00:00+01:00`,
      end: `${date}T17:00:00+01:00`,
      people,
      ...(served ? { served } : {}),
      rev: 0,
      changed: "2026-11-16T07:00:00Z",
    });
    const [message] = todayMessages(
      {
        roster,
        schedule: {
          entries: [
            entry("2026-11-23", ["barbara", "susan"], ["barbara", "jony"]),
            entry("2026-11-24", ["grace", "katherine"]),
          ],
        },
        now: Date.parse("2026-11-24T07:00:00+01:00"),
      },
      [
        {
          file: "notes/2026/11/2026-11-23-emea-jony.md",
          occurrence: "2026-11-23/emea",
          date: "2026-11-23",
          shift: "emea",
          person: "jony",
          tags: [],
          entries: [{ written: "2026-11-23T17:10:00+01:00", answers: { struggles: "Exports" } }],
          numbers: {},
        },
      ],
    );
    expect(plainText(message as Message).split("\n")).toEqual([
      "On support today, Tue 24 Nov 2026",
      "EMEA day, 09:00–17:00 Berlin time: Grace Hopper, Katherine Johnson",
      "- Handoff from Mon 23 Nov (Barbara Liskov, Jony Ive):",
      "    - Jony Ive: customers struggled with “Exports” (notes/2026/11/2026-11-23-emea-jony.md)",
      "    - No notes yet from Barbara Liskov",
    ]);
  });

  test("names notes that answer neither struggles nor fix (a team's own template) as written", async () => {
    const { readFileSync } = await import("node:fs");
    const { readWellFormedRoster } = await import("../../src/core/roster/fast.ts");
    const { todayMessages } = await import("../../src/core/notify/build.ts");
    const { plainText } = await import("../../src/core/notify/message.ts");
    const roster = readWellFormedRoster(readFileSync("roster.example.yaml", "utf8"));
    if (!roster) throw new Error("roster.example.yaml does not read");
    const entry = (date: string, people: string[]) => ({
      id: `${date}/emea`,
      date,
      shift: "emea",
      start: `${date}T09:00:00+01:00`,
      end: `${date}T17:00:00+01:00`,
      people,
      rev: 0,
      changed: "2026-11-16T07:00:00Z",
    });
    const [message] = todayMessages(
      {
        roster,
        schedule: {
          entries: [
            entry("2026-11-23", ["barbara", "susan"]),
            entry("2026-11-24", ["grace", "katherine"]),
          ],
        },
        now: Date.parse("2026-11-24T07:00:00+01:00"),
        noteLink: (file) => `https://acme.example/${file}`,
      },
      [
        {
          file: "notes/2026/11/2026-11-23-emea-susan.md",
          occurrence: "2026-11-23/emea",
          date: "2026-11-23",
          shift: "emea",
          person: "susan",
          tags: [],
          // Read for struggles and fix only: her template asks a summary and a todo.
          entries: [{ written: "2026-11-23T17:10:00+01:00", answers: {} }],
          numbers: {},
        },
      ],
    );
    expect(
      plainText(message as Message)
        .split("\n")
        .slice(2),
    ).toEqual([
      "- Handoff from Mon 23 Nov (Barbara Liskov, Susan Kare):",
      "    - Susan Kare: notes (https://acme.example/notes/2026/11/2026-11-23-emea-susan.md)",
      "    - No notes yet from Barbara Liskov",
    ]);
  });
});
