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
