import { createReadStream, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { writeExport } from "../bench/tickets.mjs";
import { CSV_OPTIONS, csvRecords } from "../src/io/csv-records.ts";
import { PastLimit, readChunks } from "../src/io/files.ts";
import { lineBatches } from "../src/io/tickets.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * The CSV reader of big exports (src/io/csv-records.ts) against csv-parse
 * reading the whole file with the same options: the same records, or the
 * same error, for any text and any way the file is cut into chunks; and the
 * lines of JSON lines exports against node:readline.
 */

type Outcome = { records: string[][] } | { error: string };

function expected(bytes: Buffer): Outcome {
  try {
    return { records: parse(bytes, CSV_OPTIONS) as string[][] };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

async function read(file: string, chunkSize?: number): Promise<Outcome> {
  const records: string[][] = [];
  try {
    for await (const batch of csvRecords(file, chunkSize)) records.push(...batch);
    return { records };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Pieces of CSV text that csv-parse reads in its own ways. */
const piece = fc.constantFrom(
  ",",
  '"',
  '""',
  " ",
  "  ",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "a",
  "bc",
  "é",
  "😀",
  "\u00a0",
  "\u3000",
  "\ufeff",
  "x y",
  '"q"',
  '"a,b"',
  '"a\nb"',
  '"a""b"',
  '"a" ',
  '"a"x',
);

const header = fc.constantFrom(
  "agent,timestamp,id\n",
  "agent,timestamp,id\r\n",
  "\ufeffagent , Timestamp,ID\n",
  "\ufeffagent,timestamp\r\n",
  "a\n",
  "",
  '"agent",timestamp\n',
  "agent\ttimestamp\n",
);

describe("reading a CSV export's records", () => {
  test("the records or the error csv-parse gives, however the file is cut", async () => {
    const file = path.join(tempDir(), "tickets.csv");
    await fc.assert(
      fc.asyncProperty(
        header,
        fc.array(piece, { maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        async (head, pieces, chunkSize) => {
          const bytes = Buffer.from(head + pieces.join(""));
          writeFileSync(file, bytes);
          const want = expected(bytes);
          expect(await read(file)).toEqual(want);
          expect(await read(file, chunkSize)).toEqual(want);
        },
      ),
      { numRuns: 600 },
    );
  });

  test("the generated export reads as csv-parse reads it", async () => {
    const file = path.join(tempDir(), "tickets.csv");
    writeExport(file, "generic-csv", 2000);
    const want = expected(readFileSync(file));
    expect("records" in want && want.records).toHaveLength(2001);
    expect(await read(file)).toEqual(want);
    expect(await read(file, 4096)).toEqual(want);
  });
});

describe("a file read past what a reader takes of it", () => {
  test("is refused at one byte past the limit, not read on", async () => {
    const file = path.join(tempDir(), "t.csv");
    writeFileSync(file, "x".repeat(100));
    const total = async (maxBytes: number, options = {}) => {
      let length = 0;
      for await (const chunk of readChunks(file, maxBytes, { highWaterMark: 7, ...options })) {
        length += chunk.length;
      }
      return length;
    };
    expect(await total(100)).toBe(100);
    await expect(total(99)).rejects.toBeInstanceOf(PastLimit);
    // A range is held to the limit from its start.
    expect(await total(10, { start: 90 })).toBe(10);
    expect(await total(10, { start: 20, end: 30 })).toBe(10);
    await expect(total(9, { start: 20, end: 30 })).rejects.toBeInstanceOf(PastLimit);
  });

  test("its error comes out of the CSV reader, also once csv-parse reads the rest", async () => {
    // A first line that is not plain text: csv-parse reads from the first byte.
    for (const head of ["agent,timestamp\n", '"agent",timestamp\n']) {
      const failing = async function* () {
        yield Buffer.from(`${head}a,b\n`);
        throw new PastLimit(10);
      };
      const records: string[][] = [];
      const read = (async () => {
        for await (const batch of csvRecords(() => failing())) records.push(...batch);
      })();
      await expect(read, head).rejects.toBeInstanceOf(PastLimit);
    }
  });
});

describe("reading a JSON lines export's lines", () => {
  test("the lines node:readline gives, however the file is cut", async () => {
    const file = path.join(tempDir(), "tickets.jsonl");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("a", "{}", "\r", "\n", "\r\n", "é", "😀", " "), {
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 16 }),
        async (pieces, chunkSize) => {
          const bytes = Buffer.from(pieces.join(""));
          writeFileSync(file, bytes);
          const want: string[] = [];
          const reader = createInterface({
            input: createReadStream(file, { highWaterMark: chunkSize }),
            crlfDelay: Number.POSITIVE_INFINITY,
          });
          for await (const line of reader) want.push(line);
          const got: string[] = [];
          for await (const batch of lineBatches(file, chunkSize)) got.push(...batch);
          expect(got).toEqual(want);
          // As latin1: each line's own bytes, one character a byte.
          const bytesOf: string[] = [];
          for await (const batch of lineBatches(file, chunkSize, "latin1")) {
            bytesOf.push(...batch.map((line) => Buffer.from(line, "latin1").toString("utf8")));
          }
          expect(bytesOf).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });
});
