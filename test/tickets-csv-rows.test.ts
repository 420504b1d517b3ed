import { writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, test } from "vitest";
import { type TicketRecord, ticketRecord } from "../src/core/tickets/formats.ts";
import { UsageError } from "../src/errors.ts";
import { readTicketFile } from "../src/io/tickets.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * CSV records are read as arrays and keyed by header: the rows must be the
 * ones csv-parse's `columns` made, short and long records and a header
 * rota does not read given twice included; one it reads given twice is refused.
 */

const CSV = [
  "\uFEFFAgent , Timestamp,ID,first_reply_minutes,resolution_minutes,resolved,satisfaction,Comment,comment",
  "ann@example.com,2026-01-05T10:00:00Z,T-1,12,30,yes,5,bob@example.com,later",
  "ann@example.com,2026-01-05T11:00:00Z,T-2,7",
  "cat@example.com,2026-01-05T12:00:00Z,T-3,3,4,no,2,,extra,fields",
  "",
  '"dan@example.com" , 2026-01-05T13:00:00+01:00 ,T-4,"1,5",,closed,good',
  "eve@example.com",
].join("\n");

describe("CSV exports read as arrays", () => {
  test("give the records csv-parse's columns gave", async () => {
    const dir = tempDir();
    const file = path.join(dir, "tickets.csv");
    writeFileSync(file, CSV);
    const read: TicketRecord[] = [];
    const { format, rows } = await readTicketFile(file, "tickets.csv", undefined, (r) =>
      read.push(r),
    );
    const expected = (
      parse(CSV, {
        bom: true,
        columns: (headers: string[]) => headers.map((h) => String(h).trim().toLowerCase()),
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        trim: true,
      }) as Record<string, string>[]
    ).map((row) => ticketRecord("generic", row));
    expect(format).toBe("generic");
    expect(rows).toBe(5);
    expect(read).toEqual(expected);
    expect((read[0] as { agents: string[] }).agents).toEqual(["ann@example.com"]);
    expect((read[1] as { agents: string[] }).agents).toEqual(["ann@example.com"]);
  });

  test("refuse a column rota reads given twice, even where the later copy is empty", async () => {
    const dir = tempDir();
    const file = path.join(dir, "tickets.csv");
    const cases: [string, string][] = [
      [
        "agent,timestamp,Agent\nann@example.com,2026-01-05T10:00:00Z,\n",
        'tickets.csv:1: the column "agent" appears twice, as columns 1 ("agent") and 3 ("Agent") (names are matched without regard to case or surrounding spaces), so rota cannot tell which to read: remove or rename one of them',
      ],
      [
        '"Id","Assignee","Created at"," assignee ","ASSIGNEE"\n1,Ann,2026-01-05 10:00,Bob,Cat\n',
        'tickets.csv:1: the column "assignee" appears 3 times, as columns 2 ("Assignee"), 4 ("assignee") and 5 ("ASSIGNEE")',
      ],
    ];
    for (const [text, message] of cases) {
      writeFileSync(file, text);
      const reading = readTicketFile(file, "tickets.csv", undefined, () => {});
      await expect(reading).rejects.toThrow(UsageError);
      await expect(reading).rejects.toThrow(message);
    }
  });
});
