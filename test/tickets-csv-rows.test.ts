import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, test } from "vitest";
import { type TicketRecord, ticketRecord } from "../src/core/tickets/formats.ts";
import { readTicketFile } from "../src/io/tickets.ts";

/**
 * CSV records are read as arrays and keyed by header: the rows must be the
 * ones csv-parse's `columns` made, short and long records and a header
 * given twice included.
 */

const CSV = [
  "\uFEFFAgent , Timestamp,ID,first_reply_minutes,resolution_minutes,resolved,satisfaction,Agent",
  "ann@example.com,2026-01-05T10:00:00Z,T-1,12,30,yes,5,bob@example.com",
  "ann@example.com,2026-01-05T11:00:00Z,T-2,7",
  "cat@example.com,2026-01-05T12:00:00Z,T-3,3,4,no,2,,extra,fields",
  "",
  '"dan@example.com" , 2026-01-05T13:00:00+01:00 ,T-4,"1,5",,closed,good',
  "eve@example.com",
].join("\n");

describe("CSV exports read as arrays", () => {
  test("give the records csv-parse's columns gave", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rota-csv-rows-"));
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
    // The later "agent" column names the agent, as with columns.
    expect((read[0] as { agents: string[] }).agents).toEqual(["bob@example.com"]);
    expect((read[1] as { agents: string[] }).agents).toEqual(["ann@example.com"]);
  });
});
