import { execFileSync } from "node:child_process";
import {
  closeSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";
import { editFile } from "./helpers/edit.ts";
import { AFTER_SHIFTS, teamRepo } from "./helpers/git.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * rota report --tickets run as a process on roster.example.yaml's week
 * (test/helpers/git.ts) with a small hand-made export of each help desk
 * (test/fixtures/tickets/, documented in docs/tickets.md).
 */

const at = { ROTA_NOW: AFTER_SHIFTS };
const FIXTURES = path.join(ROOT, "test/fixtures/tickets");
const files = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => entry.name)
  .sort();
const ticketArgs = files.flatMap((file) => ["--tickets", path.join(FIXTURES, file)]);

/** The team's repository, with Grace's Intercom admin id as her `helpdesk:` alias. */
async function repo(): Promise<string> {
  const dir = await teamRepo();
  const file = path.join(dir, "roster.yaml");
  const text = readFileSync(file, "utf8");
  const withAlias = text.replace(
    "    email: grace@example.com\n",
    '    email: grace@example.com\n    helpdesk: ["814860"]\n',
  );
  expect(withAlias).not.toBe(text);
  writeFileSync(file, withAlias);
  return dir;
}

describe("rota report --tickets", () => {
  test("joins every vendor's export to the shifts people served, explaining what it cannot join", async () => {
    const dir = await repo();
    const result = await rota(["report", ...ticketArgs, "--json"], { cwd: dir, env: at });
    expect(result.code, result.stderr).toBe(0);
    const desk = JSON.parse(result.stdout).helpdesk;
    expect(desk.sources.map((s: { format: string }) => s.format)).toEqual([
      "freshdesk",
      "front",
      "generic",
      "helpscout",
      "intercom",
      "zendesk",
    ]);
    const person = (id: string) => desk.people.find((p: { id: string }) => p.id === id);
    // Zendesk (by name) and Front (by email, a row per message): two each, on two shifts.
    expect(person("ada")).toMatchObject({ shifts: 2, conversations: 4 });
    expect(person("ada").firstReply).toEqual({ count: 4, medianMinutes: 16 });
    // Help Scout by email, Intercom by the roster's helpdesk alias; both rated well.
    expect(person("grace")).toMatchObject({
      shifts: 2,
      conversations: 2,
      satisfaction: { rated: 2, good: 2, share: 1 },
    });
    expect(person("katherine")).toMatchObject({
      conversations: 2,
      firstReply: { count: 2, medianMinutes: 60 },
      resolution: { known: 2, resolved: 1, medianMinutes: 180 },
      satisfaction: { rated: 1, good: 1, share: 1 },
    });
    expect(person("barbara")).toMatchObject({
      conversations: 2,
      satisfaction: { rated: 2, good: 1, share: 0.5 },
    });
    // Leadership is listed with the same figures as everyone.
    expect(person("sheryl")).toMatchObject({ team: "leadership", conversations: 0 });
    expect(desk.totals).toMatchObject({ conversations: 10, unmatched: 6 });
    const reasons = Object.fromEntries(
      desk.unmatched.reasons.map((r: { reason: string; count: number; examples: unknown[] }) => [
        r.reason,
        { count: r.count, examples: r.examples },
      ]),
    );
    expect(reasons).toEqual({
      "outside-shift": {
        count: 2,
        examples: [
          { value: "grace", count: 1 },
          { value: "radia", count: 1 },
        ],
      },
      "unknown-agent": {
        count: 2,
        examples: [
          { value: "999999", count: 1 },
          { value: "Zed Outsider", count: 1 },
        ],
      },
      "no-agent": { count: 1, examples: [] },
      "unreadable-timestamp": { count: 1, examples: [{ value: "yesterday", count: 1 }] },
    });
    const emea = desk.occurrences.find((o: { id: string }) => o.id === "2026-11-24/emea");
    expect(emea).toMatchObject({ people: ["grace", "katherine"], conversations: 2 });
  });

  test("Zendesk's JSON: tickets as JSON lines, with metrics and ratings from other files, in any order", async () => {
    const dir = await repo();
    const file = path.join(dir, "roster.yaml");
    editFile(
      file,
      "    email: ada@example.com\n",
      "    email: ada@example.com\n    helpdesk: 360001\n",
    );
    const zendesk = path.join(FIXTURES, "zendesk-json");
    const result = await rota(
      [
        "report",
        "--json",
        ...["ticket_metrics.json", "tickets.jsonl", "satisfaction_ratings.json"].flatMap((f) => [
          "--tickets",
          path.join(zendesk, f),
        ]),
      ],
      { cwd: dir, env: at },
    );
    expect(result.code, result.stderr).toBe(0);
    const desk = JSON.parse(result.stdout).helpdesk;
    expect(desk.sources.map((s: { format: string }) => s.format)).toEqual([
      "zendesk",
      "zendesk",
      "zendesk",
    ]);
    expect(desk.people.find((p: { id: string }) => p.id === "ada")).toMatchObject({
      conversations: 2,
      firstReply: { count: 1, medianMinutes: 7 },
      resolution: { known: 2, resolved: 1, medianMinutes: 50 },
      satisfaction: { rated: 1, good: 1, share: 1 },
    });
    expect(desk.unmatched.reasons).toEqual([
      expect.objectContaining({
        reason: "unknown-ticket",
        count: 1,
        examples: [{ value: "zendesk:9999", count: 1 }],
      }),
    ]);
  });

  test("the terminal, markdown and HTML show the same figures", async () => {
    const dir = await repo();
    const md = await rota(["report", ...ticketArgs, "--format", "md"], { cwd: dir, env: at });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain("## Help desk");
    expect(md.stdout).toMatch(/\| Katherine Johnson \| 1 \| 2 \| 1 h \| 1 of 2 \| 100% of 1 \|/);
    const page = await rota(["report", ...ticketArgs, "--format", "html"], { cwd: dir, env: at });
    expect(page.stdout).toContain('<h2 id="helpdesk">Help desk</h2>');
    const terminal = await rota(["report", ...ticketArgs], { cwd: dir, env: at });
    expect(terminal.stdout).toMatch(/Grace Hopper +2 +2 +10 min +2 of 2 +100% of 2/);
    expect(terminal.stdout).toContain("unknown agent");
  });

  test("the digest, sent or as a file, carries the help desk's figures", async () => {
    const dir = await repo();
    const generic = path.join(FIXTURES, "generic.csv");
    const line =
      "Help desk: 2 conversations handled on shifts, first reply in 14 min (median), 1 of 2 resolved, 50% satisfied of 2 rated.";
    const sent = await rota(["notify", "digest", "--dry-run", "--tickets", generic], {
      cwd: dir,
      env: at,
    });
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toContain(line);
    expect(sent.stdout).toContain("1 not joined to a shift: 1 outside-shift");
    const file = await rota(["report", "--period", "week", "--tickets", generic], {
      cwd: dir,
      env: at,
    });
    expect(file.code, file.stderr).toBe(0);
    expect(file.stdout).toContain(line);
    const today = await rota(["notify", "today", "--dry-run", "--tickets", generic], {
      cwd: dir,
      env: at,
    });
    expect(today.code).toBe(2);
  });

  test("one help-desk alias for two people is a roster error naming both lines", async () => {
    const dir = await repo();
    const file = path.join(dir, "roster.yaml");
    editFile(
      file,
      "    email: ada@example.com\n",
      '    email: ada@example.com\n    helpdesk: [360001, "814860"]\n',
    );
    const result = await rota(["validate"], { cwd: dir, env: at });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /roster\.yaml:\d+:\d+: helpdesk alias 814860 is also another person's: a help-desk agent is one person \(first at line \d+\)/,
    );
  });

  test("a help-desk alias that is another person's email or name is a roster error at the alias", async () => {
    const dir = await repo();
    editFile(
      path.join(dir, "roster.yaml"),
      '    helpdesk: ["814860"]\n',
      '    helpdesk: ["814860", "ADA@example.com", "Barbara Liskov", "Grace Hopper"]\n',
    );
    const result = await rota(["validate"], { cwd: dir, env: at });
    expect(result.code).toBe(2);
    const lines = result.stderr.split("\n");
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^roster\.yaml:\d+:\d+: helpdesk alias ada@example\.com is the email of person "ada": their tickets would be counted for someone else; remove the alias \(ada's email at line \d+\)$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^roster\.yaml:\d+:\d+: helpdesk alias barbara liskov is the name of person "barbara": .* \(barbara's name at line \d+\)$/,
      ),
    );
    // Her own name as an alias takes nobody's tickets.
    expect(result.stderr).not.toContain("grace hopper");
    expect(result.stderr).toContain("2 errors in roster.yaml");
  });

  test("an export rota cannot place is refused with what to do, not guessed", async () => {
    const dir = await repo();
    const odd = path.join(tempDir(), "odd.csv");
    writeFileSync(odd, "who,when\nada,2026-11-23\n");
    const result = await rota(["report", "--tickets", odd], { cwd: dir, env: at });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot tell which help desk exported it");
    expect(result.stderr).toContain("--tickets-format");
    const missing = await rota(["report", "--tickets", "nope.json"], { cwd: dir, env: at });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.json: no such file");
    const folder = await rota(["report", "--tickets", "."], { cwd: dir, env: at });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe("rota: --tickets .: it is a directory; name an export file in it\n");
    // A JSON export whose records have no fields says so.
    const empty = path.join(tempDir(), "empty.json");
    writeFileSync(empty, "{}\n");
    const none = await rota(["report", "--tickets", empty], { cwd: dir, env: at });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      "cannot tell which help desk exported it (its records have no fields)",
    );
  });

  test("a semicolon-separated export, or a forced format without its columns, is refused, not read as zeros", async () => {
    const dir = await repo();
    writeFileSync(
      path.join(dir, "semi.csv"),
      "Id;Assignee;Created at, UTC\n2001;Grace Hopper;2026-11-24 10:15:00\n",
    );
    writeFileSync(path.join(dir, "g.csv"), "email,time\ngrace@example.com,2026-11-24T10:00:00Z\n");
    const cases: [string[], string][] = [
      [
        ["--tickets", "semi.csv"],
        "rota: --tickets semi.csv: its columns are separated by semicolons (id;assignee;created at,utc)",
      ],
      [
        ["--tickets", "semi.csv", "--tickets-format", "zendesk"],
        "rota: --tickets semi.csv: its columns are separated by semicolons",
      ],
      [
        ["--tickets", "g.csv", "--tickets-format", "generic"],
        'rota: --tickets g.csv: --tickets-format generic needs the columns "agent" and "timestamp", which it lacks (its columns are email, time)',
      ],
      [
        ["--tickets", "g.csv", "--tickets-format", "zendesk"],
        'rota: --tickets g.csv: --tickets-format zendesk needs the columns "assignee" or "assignee id" or "assignee email" and "created at"',
      ],
      // Another help desk's JSON under a format: none of its records names an agent where that format does.
      [
        ["--tickets", path.join(FIXTURES, "intercom.json"), "--tickets-format", "front"],
        `rota: --tickets ${path.join(FIXTURES, "intercom.json")}: --tickets-format front: none of its 3 records name an agent where a front export does`,
      ],
      // Column names of half a megabyte: the message names them cut short.
      [
        ["--tickets", "long.csv", "--tickets-format", "zendesk"],
        `rota: --tickets long.csv: --tickets-format zendesk needs the columns "assignee" or "assignee id" or "assignee email" and "created at", which it lacks (its columns are ${"x".repeat(39)}…, agent);`,
      ],
      // Megabytes of zero bytes without a line break: refused at once, not read as a header.
      [
        ["--tickets", "zeros.csv"],
        "rota: --tickets zeros.csv: its first line runs past 1 MiB without a line break",
      ],
    ];
    writeFileSync(path.join(dir, "empty.json"), "");
    writeFileSync(path.join(dir, "empty.csv"), "");
    cases.push(
      [
        ["--tickets", "empty.json"],
        "rota: --tickets empty.json: cannot tell which help desk exported it (it is empty);",
      ],
      [
        ["--tickets", "empty.csv"],
        "rota: --tickets empty.csv: cannot tell which help desk exported it (it is empty, without even a header line);",
      ],
    );
    writeFileSync(path.join(dir, "long.csv"), `${"x".repeat(500_000)},agent\n1,2\n`);
    writeFileSync(path.join(dir, "zeros.csv"), Buffer.alloc(4 << 20));
    for (const [args, message] of cases) {
      const result = await rota(["report", "--json", ...args], { cwd: dir, env: at });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.startsWith(message), result.stderr.slice(0, 2000)).toBe(true);
      expect(result.stderr.length).toBeLessThan(1000);
    }
  });

  test("a CSV record csv-parse cannot read is refused at the line it starts on, with what to do", async () => {
    const dir = await repo();
    const unclosed =
      '--tickets FILE: a quote (") in the record starting on this line is never closed, so the file ends inside a field: close the field with a quote, writing a quote inside a field as two (""), or export the file again if it was cut short';
    const afterQuote =
      '--tickets FILE: a field in the record starting on this line goes on after its closing quote (as "ada"x does): put the whole field in quotes, writing a quote inside it as two ("ada""x"), or export the file again';
    const rows = Array.from({ length: 3000 }, () => "grace@example.com,2026-11-24T10:00:00Z");
    const cases: [string, string | Buffer, string][] = [
      [
        "open.csv",
        'agent,timestamp\n"ada@example.com,2026-11-24T10:00:00Z\ngrace@example.com,2026-11-24T11:00:00Z\n',
        unclosed.replace("FILE", "open.csv:2"),
      ],
      // Not where csv-parse stopped (the file's end), nor with its CRLFs inside quotes counted twice.
      [
        "crlf.csv",
        'agent,timestamp\r\n"grace\r\nhopper",2026-11-24T11:00:00Z\r\n\r\n  \r\nada@example.com,"2026-11-24\r\nx,y\r\n',
        unclosed.replace("FILE", "crlf.csv:6"),
      ],
      [
        "deep.csv",
        `agent,timestamp\n${rows.join("\n")}\n"ada@example.com,2026-11-24T10:00:00Z\n${rows.join("\n")}\n`,
        unclosed.replace("FILE", "deep.csv:3002"),
      ],
      ["header.csv", '\ufeff"agent,timestamp\nada,1\n', unclosed.replace("FILE", "header.csv:1")],
      [
        "utf16.csv",
        Buffer.from('\ufeffagent,timestamp\r\nada,1\r\n\r\n"ada,2\r\n', "utf16le").swap16(),
        unclosed.replace("FILE", "utf16.csv:4"),
      ],
      [
        "after.csv",
        'agent,timestamp\ngrace@example.com,2026-11-24T10:00:00Z\n"ada"x,2026-11-24T10:00:00Z\n',
        afterQuote.replace("FILE", "after.csv:3"),
      ],
    ];
    for (const [file, text, message] of cases) {
      writeFileSync(path.join(dir, file), text);
      const result = await rota(["report", "--json", "--tickets", file], { cwd: dir, env: at });
      expect(result, file).toEqual({ code: 2, stdout: "", stderr: `rota: ${message}\n` });
    }
  });

  test("a column rota reads given twice is refused at the header; one it does not read is let be", async () => {
    const dir = await repo();
    writeFileSync(
      path.join(dir, "twice.csv"),
      "agent,timestamp,Agent\ngrace@example.com,2026-11-24T10:00:00+01:00,\n",
    );
    writeFileSync(
      path.join(dir, "zendesk.csv"),
      '"Id","Assignee","Created at","Assignee"\n2001,Grace Hopper,2026-11-24 10:15:00,Barbara Liskov\n',
    );
    writeFileSync(
      path.join(dir, "notes.csv"),
      "agent,timestamp,Note,note\ngrace@example.com,2026-11-24T10:00:00+01:00,a,b\n",
    );
    const twice = await rota(["report", "--json", "--tickets", "twice.csv"], { cwd: dir, env: at });
    expect(twice.code).toBe(2);
    expect(twice.stdout).toBe("");
    expect(twice.stderr).toBe(
      'rota: --tickets twice.csv:1: the column "agent" appears twice, as columns 1 ("agent") and 3 ("Agent") (names are matched without regard to case or surrounding spaces), so rota cannot tell which to read: remove or rename one of them\n',
    );
    const zendesk = await rota(["report", "--tickets", "zendesk.csv"], { cwd: dir, env: at });
    expect(zendesk.code).toBe(2);
    expect(zendesk.stderr).toContain(
      'zendesk.csv:1: the column "assignee" appears twice, as columns 2 ("Assignee") and 4 ("Assignee")',
    );
    const notes = await rota(["report", "--json", "--tickets", "notes.csv"], { cwd: dir, env: at });
    expect(notes.code, notes.stderr).toBe(0);
    expect(JSON.parse(notes.stdout).helpdesk.totals.rows).toBe(1);
  });

  test("a time beyond a century is no time, and leaves the median as the others make it", async () => {
    const dir = await repo();
    writeFileSync(
      path.join(dir, "huge.csv"),
      "agent,timestamp,id,first_reply_minutes\n" +
        "barbara@example.com,2026-11-19T09:00:00+01:00,h-1,10\n" +
        "barbara@example.com,2026-11-19T09:30:00+01:00,h-2,1e308\n" +
        "barbara@example.com,2026-11-19T10:00:00+01:00,h-3,1e300\n",
    );
    const json = await rota(["report", "--json", "--tickets", "huge.csv"], { cwd: dir, env: at });
    expect(json.code, json.stderr).toBe(0);
    const desk = JSON.parse(json.stdout).helpdesk;
    expect(desk.totals).toMatchObject({
      conversations: 3,
      firstReply: { count: 1, medianMinutes: 10 },
    });
    const text = await rota(["report", "--tickets", "huge.csv"], { cwd: dir, env: at });
    expect(text.stdout).not.toMatch(/Infinity|NaN/);
  });

  test("Intercom's and Help Scout's times beyond a century are no time, and an instant beyond dates none", async () => {
    const dir = await repo();
    const conversation = (id: string, createdAt: number, statistics: object) =>
      JSON.stringify({
        type: "conversation",
        id,
        created_at: createdAt,
        state: "closed",
        admin_assignee_id: 814860,
        statistics,
      });
    writeFileSync(
      path.join(dir, "intercom.json"),
      `{"type": "conversation.list", "conversations": [${[
        conversation("1", 1794996000, { time_to_admin_reply: 600, time_to_last_close: 3600 }),
        conversation("2", 1794996600, { time_to_admin_reply: 1e15, time_to_last_close: 1e15 }),
        conversation("3", 1794996900, { time_to_admin_reply: 900, last_close_at: 1e15 }),
        conversation("4", 1e16, {}),
        conversation("5", -1e300, {}),
      ].join(", ")}]}`,
    );
    const json = await rota(["report", "--json", "--tickets", "intercom.json"], {
      cwd: dir,
      env: at,
    });
    expect(json.code, json.stderr).toBe(0);
    const desk = JSON.parse(json.stdout).helpdesk;
    expect(desk.totals).toMatchObject({
      conversations: 3,
      firstReply: { count: 2, medianMinutes: 12.5 },
      resolution: { known: 3, resolved: 3, medianMinutes: 60 },
    });
    expect(
      desk.unmatched.reasons.map((r: { reason: string; count: number }) => [r.reason, r.count]),
    ).toEqual([["unreadable-timestamp", 2]]);

    writeFileSync(
      path.join(dir, "helpscout.json"),
      JSON.stringify({
        _embedded: {
          conversations: [
            ["2026-11-19T09:30:00Z", "2026-11-19T10:30:00Z"],
            ["2026-11-19T09:40:00Z", "2526-11-19T09:40:00Z"],
          ].map(([createdAt, closedAt], i) => ({
            id: i + 1,
            status: "closed",
            createdAt,
            closedAt,
            assignee: { email: "barbara@example.com" },
          })),
        },
      }),
    );
    const scout = await rota(["report", "--json", "--tickets", "helpscout.json"], {
      cwd: dir,
      env: at,
    });
    expect(scout.code, scout.stderr).toBe(0);
    expect(JSON.parse(scout.stdout).helpdesk.totals).toMatchObject({
      conversations: 2,
      resolution: { medianMinutes: 60 },
    });
  });

  test("an export of a quiet week, its header alone, is read as no tickets", async () => {
    const dir = await repo();
    writeFileSync(path.join(dir, "quiet.csv"), '"Id","Assignee","Created at","Status"\n');
    const result = await rota(["report", "--json", "--tickets", "quiet.csv"], {
      cwd: dir,
      env: at,
    });
    expect(result.code, result.stderr).toBe(0);
    const desk = JSON.parse(result.stdout).helpdesk;
    expect(desk.sources).toEqual([{ file: "quiet.csv", format: "zendesk", rows: 0 }]);
    expect(desk.totals).toMatchObject({ rows: 0, conversations: 0, unmatched: 0 });
  });

  test("text beyond ASCII in the fields read comes out as written, from big JSON and JSON lines exports", async () => {
    const dir = await repo();
    // Agents nobody is: their text is shown as the export wrote it (raw UTF-8 or escaped).
    const agents = [
      "Zoë 😀",
      "Zo\\u00eb \\ud83d\\ude00",
      "Zed\u00a0",
      "Zed\\u00a0",
      "nobody@example.com",
    ];
    const lines = Array.from({ length: 6000 }, (_, i) => {
      const json = JSON.stringify({
        id: `T-${i}`,
        agent: "@AGENT@",
        timestamp: "2026-11-24T10:00:00Z",
        subject: `Ünïcode “quotes” ${"😀 é ".repeat(40)}`,
      });
      return json.replace('"@AGENT@"', `"${agents[i % agents.length]}"`);
    });
    writeFileSync(path.join(dir, "t.jsonl"), `${lines.join("\n")}\n`);
    writeFileSync(path.join(dir, "t.json"), `{"results": [\n${lines.join(",\n")}\n]}\n`);
    for (const file of ["t.jsonl", "t.json"]) {
      const result = await rota(["report", "--json", "--tickets", file], { cwd: dir, env: at });
      expect(result.code, result.stderr).toBe(0);
      const desk = JSON.parse(result.stdout).helpdesk;
      const unknown = desk.unmatched.reasons.find(
        (r: { reason: string }) => r.reason === "unknown-agent",
      );
      expect(unknown, file).toEqual({
        reason: "unknown-agent",
        count: 6000,
        explanation: expect.any(String),
        examples: [
          { value: "Zed", count: 2400 },
          { value: "Zoë 😀", count: 2400 },
          { value: "nobody@example.com", count: 1200 },
        ],
      });
    }
  });

  test("a device, a link to one or a FIFO is refused at once, not read for ever", async () => {
    const dir = await repo();
    symlinkSync("/dev/zero", path.join(dir, "t.csv"));
    execFileSync("mkfifo", [path.join(dir, "f.csv")]);
    const save =
      "rota reads a file (save the export to one first, e.g. `gunzip -c export.csv.gz > export.csv`)";
    const cases: [string[], string][] = [
      [
        ["--tickets", "/dev/zero"],
        `rota: --tickets /dev/zero: it is a device, not a file; ${save}\n`,
      ],
      [
        ["--tickets", "t.csv", "--tickets-format", "generic"],
        `rota: --tickets t.csv: it is a device, not a file; ${save}\n`,
      ],
      // Refused before the first export is read, whatever its place in the list.
      [
        ["--tickets", path.join(FIXTURES, "generic.csv"), "--tickets", "f.csv"],
        `rota: --tickets f.csv: it is a FIFO, not a file; ${save}\n`,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await rota(["report", ...args], { cwd: dir, env: at, timeoutMs: 20_000 });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(message);
    }
  });

  test("an export over 4 GiB is refused with what to do, before it is read", async () => {
    const dir = await repo();
    // A sparse file: 5 GiB long, a header and no disk space.
    const fd = openSync(path.join(dir, "huge.csv"), "w");
    writeSync(fd, "agent,timestamp,id\n");
    ftruncateSync(fd, 5 * 1024 ** 3);
    closeSync(fd);
    const result = await rota(["report", "--tickets", "huge.csv"], {
      cwd: dir,
      env: at,
      timeoutMs: 20_000,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "rota: --tickets huge.csv: it is larger than 4 GiB, the most rota reads of one export; export a shorter period, or split it into files each given with --tickets\n",
    );
  });

  test("an unknown agent of a megabyte is shown cut short, alike in the terminal, markdown and JSON", async () => {
    const dir = await repo();
    const long = `${"x".repeat(78)}😀${"y".repeat(1_000_000)}`;
    writeFileSync(
      path.join(dir, "long.csv"),
      `agent,timestamp,id\n${long},2026-11-24T10:00:00Z,T-1\n${long}z,2026-11-24T10:00:00Z,T-2\n`,
    );
    const shown = `${"x".repeat(78)}😀…`;
    const run = (format: string) =>
      rota(["report", "--format", format, "--tickets", "long.csv"], { cwd: dir, env: at });
    const json = await run("json");
    expect(json.code, json.stderr).toBe(0);
    const unknown = JSON.parse(json.stdout).helpdesk.unmatched.reasons.find(
      (r: { reason: string }) => r.reason === "unknown-agent",
    );
    // Alike to the cut, the two agents are one example.
    expect(unknown.examples).toEqual([{ value: shown, count: 2 }]);
    for (const format of ["terminal", "md"]) {
      const result = await run(format);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout, format).toContain(`${shown}: 2`);
      expect(result.stdout.length, format).toBeLessThan(20_000);
    }
  });

  test("a UTF-16 CSV, little- or big-endian with its byte-order mark, reads as its UTF-8 text", async () => {
    const dir = await repo();
    const agents = ["barbara@example.com", "radia", "Zoë 😀", "nobody@example.com"];
    // Over 256 KiB as UTF-16: rows cross the reads of the file.
    const rows = Array.from(
      { length: 4000 },
      (_, i) =>
        `${agents[i % agents.length]},2026-11-19T09:${String(i % 60).padStart(2, "0")}:00+01:00,g-${i},${i % 30},yes,5`,
    );
    const text = `agent,timestamp,id,first_reply_minutes,resolved,satisfaction\n${rows.join("\n")}\n`;
    const le = Buffer.from(`\ufeff${text}`, "utf16le");
    writeFileSync(path.join(dir, "utf8.csv"), text);
    writeFileSync(path.join(dir, "le.csv"), le);
    writeFileSync(path.join(dir, "be.csv"), Buffer.from(le).swap16());
    const desks = [];
    for (const file of ["utf8.csv", "le.csv", "be.csv"]) {
      const result = await rota(["report", "--json", "--tickets", file], { cwd: dir, env: at });
      expect(result.code, result.stderr).toBe(0);
      const desk = JSON.parse(result.stdout).helpdesk;
      expect(desk.sources).toEqual([{ file, format: "generic", rows: 4000 }]);
      desks.push({ ...desk, sources: [] });
    }
    expect(desks[0].totals.conversations).toBeGreaterThan(0);
    expect(JSON.stringify(desks[0].unmatched)).toContain("Zoë 😀");
    expect(desks[1]).toEqual(desks[0]);
    expect(desks[2]).toEqual(desks[0]);
    // A UTF-16 JSON export is refused as such, either way round.
    const json = Buffer.from('\ufeff{"conversations": []}', "utf16le");
    writeFileSync(path.join(dir, "be.json"), Buffer.from(json).swap16());
    const refused = await rota(["report", "--tickets", "be.json"], { cwd: dir, env: at });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "rota: --tickets be.json:1:1: the file is saved as UTF-16; rota reads JSON exports as UTF-8: save it as UTF-8\n",
    );
  });
});
