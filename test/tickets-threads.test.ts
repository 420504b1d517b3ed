import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { NOW, ticketTeam, writeExport } from "../bench/tickets.mjs";
import type { TicketRecord } from "../src/core/tickets/formats.ts";
import { LineBreak, readTicketFile } from "../src/io/tickets.ts";
import { readLinesInThreads } from "../src/io/tickets-threads.ts";
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
