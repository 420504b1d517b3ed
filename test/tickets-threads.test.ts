import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { NOW, ticketTeam, writeExport } from "../bench/tickets.mjs";
import type { TicketRecord } from "../src/core/tickets/formats.ts";
import { JsonBreak } from "../src/io/json-records.ts";
import { LineBreak, readTicketFile } from "../src/io/tickets.ts";
import { readJsonInThreads, readLinesInThreads } from "../src/io/tickets-threads.ts";
import { ROOT, rota } from "./helpers/cli.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * A big export read by worker threads (src/io/tickets-threads.ts, running
 * the built dist/tickets-worker.js) gives what one thread gives: the same
 * records in the same order, the same row count, and for a damaged file the
 * same first broken line, however the ranges fall.
 */

const WORKER = pathToFileURL(path.join(ROOT, "dist/tickets-worker.js"));

/** 30,000 generated Zendesk tickets as JSON lines: about 18 MB, three ranges of 8 MiB. */
function bigLines(): string {
  const dir = tempDir();
  const file = path.join(dir, "zendesk.jsonl");
  writeExport(file, "zendesk-jsonl", 30_000);
  return file;
}

async function inOneThread(file: string): Promise<{ records: TicketRecord[]; rows: number }> {
  const records: TicketRecord[] = [];
  const { rows } = await readTicketFile(file, file, undefined, (r) => records.push(r), 1);
  return { records, rows };
}

async function inThreads(
  file: string,
  threads: number,
): Promise<{ records: TicketRecord[]; result: number | LineBreak | undefined }> {
  const records: TicketRecord[] = [];
  const result = await readLinesInThreads(file, "zendesk", threads, (r) => records.push(r), WORKER);
  return { records, result };
}

describe("JSON lines read by worker threads", () => {
  test("the same records, in the same order, as one thread reads", async () => {
    const file = bigLines();
    const one = await inOneThread(file);
    expect(one.rows).toBe(30_000);
    for (const threads of [2, 3]) {
      const many = await inThreads(file, threads);
      expect(many.result).toBe(one.rows);
      expect(many.records).toEqual(one.records);
    }
  });

  test("line breaks of every kind, blank lines, a byte order mark and text beyond ASCII", async () => {
    const file = bigLines();
    const lines = readFileSync(file, "utf8").split("\n");
    // Mixed breaks (CRLF, LF, a lone CR), blank lines, and agents' names
    // beyond ASCII, spread over every range.
    const text = lines
      .map((line, i) => {
        const named =
          i % 997 === 5 ? line.replace('"status"', '"assignee":{"name":"Zoë"},"status"') : line;
        return i % 3 === 0
          ? `${named}\r\n`
          : i % 101 === 7
            ? `${named}\r\n\n`
            : i % 3 === 1
              ? `${named}\r`
              : `${named}\n`;
      })
      .join("");
    writeFileSync(file, `\uFEFF${text}`);
    const one = await inOneThread(file);
    const many = await inThreads(file, 2);
    expect(many.result).toBe(one.rows);
    expect(many.records).toEqual(one.records);
    expect(one.records.some((r) => r.kind === "ticket" && r.agents.includes("Zoë"))).toBe(true);
  });

  test("a damaged line is the one one thread finds first, numbered in the file", async () => {
    const file = bigLines();
    const lines = readFileSync(file, "utf8").split("\n");
    // Damage in the last range, then in the second: the second's is the first.
    lines[28_000] = lines[28_000]?.replace('"status":', '"status"') ?? "";
    lines[16_001] = `${lines[16_001]?.slice(0, 100)}`;
    writeFileSync(file, lines.join("\n"));
    const one = await readTicketFile(file, "x.jsonl", undefined, () => {}, 1).catch(
      (error: Error) => error.message,
    );
    expect(one).toMatch(/^--tickets x\.jsonl:16002: not a JSON record: /);
    const many = await inThreads(file, 2);
    expect(many.result).toBeInstanceOf(LineBreak);
    const broken = many.result as LineBreak;
    expect(`--tickets x.jsonl:${broken.line}: not a JSON record: ${broken.message}`).toBe(one);
  });

  test("the report, through the built CLI, is the one thread's; ROTA_THREADS is checked", async () => {
    const dir = tempDir();
    ticketTeam(dir);
    const file = path.join(dir, "zendesk.jsonl");
    writeExport(file, "zendesk-jsonl", 30_000);
    const run = (threads: string) =>
      rota(["report", "--json", "--tickets", "zendesk.jsonl"], {
        cwd: dir,
        env: { ROTA_NOW: NOW, ROTA_THREADS: threads },
      });
    const [one, two] = await Promise.all([run("1"), run("2")]);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).helpdesk.sources[0].rows).toBe(30_000);
    expect(two.stdout).toBe(one.stdout);
    const wrong = await run("many");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("ROTA_THREADS must be a whole number of threads, 1 or more");
    expect(wrong.stderr).not.toContain("    at ");
  });
});

/** The built CLI's report of `file` (in a team's directory) with one thread, and with two. */
async function bothWays(dir: string, file: string) {
  const run = (threads: string) =>
    rota(["report", "--json", "--tickets", file], {
      cwd: dir,
      env: { ROTA_NOW: NOW, ROTA_THREADS: threads },
    });
  const [one, two] = await Promise.all([run("1"), run("2")]);
  return { one, two };
}

describe("JSON documents read by worker threads", () => {
  test("the same records, in the same order, as one thread reads, for each vendor's document", async () => {
    const dir = tempDir();
    // Each about 20 MB: three ranges.
    for (const [format, vendor, tickets] of [
      ["zendesk-json", "zendesk", 35_000],
      ["intercom-json", "intercom", 60_000],
      ["helpscout-json", "helpscout", 70_000],
    ] as const) {
      const file = path.join(dir, `${format}.json`);
      writeExport(file, format, tickets);
      const one = await inOneThread(file);
      const records: TicketRecord[] = [];
      const result = await readJsonInThreads(file, vendor, 2, (r) => records.push(r), WORKER);
      expect(result).toBe(one.rows);
      expect(records).toEqual(one.records);
    }
  });

  test("a range begun inside a record is read again by one thread, each record handed on once", async () => {
    const dir = tempDir();
    ticketTeam(dir);
    const file = path.join(dir, "zendesk.json");
    writeExport(file, "zendesk-json", 30_000);
    // Where a record likely ends, by its closing brackets, is inside a subject.
    const text = readFileSync(file, "utf8").replaceAll(
      '"Plain subject"',
      '"Plain }}}}}}}}, { subject"',
    );
    writeFileSync(file, text);
    const result = await readJsonInThreads(file, "zendesk", 2, () => {}, WORKER);
    expect(result).toEqual({ handedOn: expect.any(Number) });
    expect((result as { handedOn: number }).handedOn).toBeGreaterThan(0);
    const { one, two } = await bothWays(dir, "zendesk.json");
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).helpdesk.sources[0].rows).toBe(30_000);
    expect(two.stdout).toBe(one.stdout);
  });

  test("a damaged or cut file is refused where one thread refuses it, with the same words", async () => {
    const dir = tempDir();
    ticketTeam(dir);
    const file = path.join(dir, "zendesk.json");
    writeExport(file, "zendesk-json", 30_000);
    const good = readFileSync(file, "utf8");
    const at = good.indexOf('"status": "open"', Math.floor(good.length * 0.7));
    const variants = {
      // A word where a string should be, in the last range.
      damaged: `${good.slice(0, at)}"status": open${good.slice(at + '"status": "open"'.length)}`,
      cut: good.slice(0, good.length - 5000),
      // After the list: a comma before the document's end, and text beyond
      // ASCII before the list, which moves every byte after it.
      outer: `{"note": "Zoë — ✓", ${good.slice(1).replace(/\}\s*$/, ", }")}`,
    };
    for (const [name, text] of Object.entries(variants)) {
      expect(text).not.toBe(good);
      writeFileSync(path.join(dir, `${name}.json`), text);
      const { one, two } = await bothWays(dir, `${name}.json`);
      expect(one.code, name).toBe(2);
      expect(one.stderr, name).toMatch(/not JSON rota can read: .* \(byte \d+\)/s);
      expect(two.stderr, name).toBe(one.stderr);
      expect(two.code, name).toBe(2);
    }
    const damaged = await readJsonInThreads(
      path.join(dir, "damaged.json"),
      "zendesk",
      2,
      () => {},
      WORKER,
    );
    expect(damaged).toBeInstanceOf(JsonBreak);
  });
});

describe("an export that is not UTF-8", () => {
  /** Where byte `at` of `bytes` is: `line:col`, the column in characters. */
  const placeOf = (bytes: Buffer, at: number) => {
    const before = bytes.subarray(0, at).toString("utf8").split("\n");
    return `${before.length}:${[...(before.at(-1) as string)].length + 1}`;
  };

  test("is refused at its first such byte, before any other damage, with one thread or two", async () => {
    const dir = tempDir();
    ticketTeam(dir);
    writeExport(path.join(dir, "zendesk.json"), "zendesk-json", 30_000);
    const good = readFileSync(path.join(dir, "zendesk.json"));
    // A name saved in Latin-1 ("é" is the one byte 0xe9) late in the file, a
    // word where a string should be before it: the encoding is what to mend first.
    const late = good.indexOf('"status": "open"', Math.floor(good.length * 0.8));
    const early = good.indexOf('"status": "open"', Math.floor(good.length * 0.3));
    const bytes = Buffer.concat([
      good.subarray(0, early),
      Buffer.from('"status": open'),
      good.subarray(early + 16, late),
      Buffer.from([0x22, 0x48, 0xe9, 0x22, 0x2c, 0x20]),
      good.subarray(late),
    ]);
    writeFileSync(path.join(dir, "latin1.json"), bytes);
    const { one, two } = await bothWays(dir, "latin1.json");
    // The status before it is two bytes shorter; the byte follows `"H`.
    const at = placeOf(bytes, late - 2 + 2);
    expect(one.code).toBe(2);
    expect(one.stderr).toBe(
      `rota: --tickets latin1.json:${at}: byte 0xe9 is not UTF-8; save the file as UTF-8\n`,
    );
    expect(two.stderr).toBe(one.stderr);
    expect(two.code).toBe(2);
  });

  test("a CSV is refused at the byte's line and column, wherever the reads of the file fall", async () => {
    const dir = tempDir();
    // Characters of two and three bytes across every boundary of the reads (256 KiB).
    const row = (i: number) => `Zoë Ærø ✓ ${i},2026-11-24T11:00:00Z,T-${i}\n`;
    const rows = Array.from({ length: 20_000 }, (_, i) => row(i)).join("");
    const good = Buffer.from(`agent,timestamp,id\n${rows}`);
    writeFileSync(path.join(dir, "good.csv"), good);
    expect((await inOneThread(path.join(dir, "good.csv"))).rows).toBe(20_000);
    const at = good.indexOf("Zoë Ærø ✓ 15000,") + Buffer.byteLength("Zoë Ærø ✓ 15");
    const bad = Buffer.concat([good.subarray(0, at), Buffer.from([0xe9]), good.subarray(at)]);
    writeFileSync(path.join(dir, "bad.csv"), bad);
    const message = await readTicketFile(
      path.join(dir, "bad.csv"),
      "bad.csv",
      undefined,
      () => {},
      1,
    )
      .then(() => "read")
      .catch((error: Error) => error.message);
    expect(message).toBe(
      `--tickets bad.csv:15002:13: byte 0xe9 is not UTF-8; save the file as UTF-8 (in Excel, "CSV UTF-8 (Comma delimited)")`,
    );
  });

  test("UTF-16: a CSV is read as it always was, a JSON export refused plainly", async () => {
    const dir = tempDir();
    ticketTeam(dir);
    const utf16 = (text: string) =>
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    writeFileSync(
      path.join(dir, "c.csv"),
      utf16("agent,timestamp,id\nada,2026-11-24T11:00:00Z,T-1\n"),
    );
    writeFileSync(path.join(dir, "u.json"), utf16('{"conversations": []}'));
    const csv = await readTicketFile(path.join(dir, "c.csv"), "c.csv", undefined, () => {}, 1);
    expect(csv).toEqual({ format: "generic", rows: 1 });
    const { one, two } = await bothWays(dir, "u.json");
    expect(one.code).toBe(2);
    expect(one.stderr).toBe(
      "rota: --tickets u.json:1:1: the file is saved as UTF-16; rota reads JSON exports as UTF-8: save it as UTF-8\n",
    );
    expect(two.stderr).toBe(one.stderr);
  });
});
