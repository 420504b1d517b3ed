import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { writeExport } from "../bench/tickets.mjs";
import { JsonBreak, JsonRecordScanner } from "../src/io/json-records.ts";
import { ROOT, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, teamRepo } from "./helpers/git.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * The scanner that reads big JSON exports (src/io/json-records.ts) against
 * JSON.parse of the whole file: the same records, in the same order, for
 * any document and any way its bytes are split into chunks; and a file
 * JSON.parse refuses is refused, never half read.
 */

const KEYS = ["tickets", "ticket_metrics", "satisfaction_ratings", "conversations", "results"];
const PLACES = { keys: KEYS, nested: { _embedded: ["conversations"] } };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The records JSON.parse finds where the scanner looks: the first list in document order. */
function expected(document: unknown): Record<string, unknown>[] {
  const objects = (list: unknown[]) =>
    list.filter((v) => v !== null && typeof v === "object" && !Array.isArray(v)) as Record<
      string,
      unknown
    >[];
  if (Array.isArray(document)) return objects(document);
  if (document === null || typeof document !== "object") return [];
  for (const [key, value] of Object.entries(document)) {
    if (Array.isArray(value) && KEYS.includes(key)) return objects(value);
    if (key === "_embedded" && value && typeof value === "object" && !Array.isArray(value)) {
      const inner = (value as Record<string, unknown>).conversations;
      if (Array.isArray(inner)) return objects(inner);
    }
  }
  return [];
}

type AsRead = (record: Record<string, unknown>) => boolean;

/**
 * The scanner's records, fed `bytes` in chunks of the given sizes (cycled);
 * with `asRead`, batches are read as latin1 where it accepts their records.
 */
function scan(
  bytes: Buffer,
  sizes: number[] = [bytes.length || 1],
  asRead?: AsRead,
): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  const scanner = new JsonRecordScanner(
    PLACES,
    (record) => records.push(record),
    () => {},
    asRead,
  );
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes[k++ % sizes.length] as number);
    scanner.write(bytes.subarray(at, at + size));
    at += size;
  }
  scanner.end();
  return records;
}

/** Strings that trip careless scanners: quotes, escapes, brackets, unicode, lone surrogates. */
const hostile = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    '"',
    "\\",
    '\\"',
    '\\\\"',
    "]",
    "}",
    "[{",
    '"}]},',
    "\u2028\u2029",
    "caf\u00e9 \u{1F600}",
    "\ud800",
    "\\u0041",
    "\n\t\r\0",
    "",
  ),
  fc
    .array(fc.constantFrom('"', "\\", "{", "}", "[", "]", ",", ":", "é", "😀", "a"), {
      maxLength: 12,
    })
    .map((parts) => parts.join("")),
);

const value: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    hostile,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostile, tie("value"), { maxKeys: 4 }),
  ),
})).value;

const record = fc.dictionary(hostile, value, { maxKeys: 6 });
const element = fc.oneof({ arbitrary: record, weight: 5 }, { arbitrary: value, weight: 1 });

/** A document holding a list of records, in each of the shapes exports take. */
const documentOf = fc
  .tuple(
    fc.array(element, { maxLength: 8 }),
    fc.constantFrom("array", "tickets", "conversations", "_embedded", "results"),
    fc.dictionary(
      hostile.filter((k) => !KEYS.includes(k) && k !== "_embedded"),
      value,
      { maxKeys: 3 },
    ),
    fc.dictionary(
      hostile.filter((k) => !KEYS.includes(k) && k !== "_embedded"),
      value,
      { maxKeys: 3 },
    ),
  )
  .map(([list, shape, before, after]) => {
    if (shape === "array") return list;
    if (shape === "_embedded") return { ...before, _embedded: { conversations: list }, ...after };
    return { ...before, [shape]: list, ...after };
  });

/** Whether a value is ASCII through and through, keys and values. */
function ascii(value: unknown): boolean {
  if (typeof value === "string") return !/[\u0080-\uffff]/.test(value);
  if (value === null || typeof value !== "object") return true;
  return Object.entries(value).every(([k, v]) => ascii(k) && ascii(v));
}

/** A reader that uses only a record's `id` (and whether it has one). */
const idOnly: AsRead = (record) => !("id" in record) || ascii(record.id);
const idOf = (records: Record<string, unknown>[]) =>
  records.map((r) => ("id" in r ? { id: r.id } : {}));

/** Records with an `id` among their fields, some of it beyond ASCII. */
const withId = fc
  .tuple(documentOf, fc.array(fc.oneof(hostile, fc.integer(), record), { maxLength: 8 }))
  .map(([document, ids]) => {
    const list = Array.isArray(document)
      ? document
      : (Object.values(document as object).find(Array.isArray) ??
        (document as { _embedded?: { conversations?: Json[] } })._embedded?.conversations ??
        []);
    list.forEach((item, i) => {
      if (item && typeof item === "object" && !Array.isArray(item) && i < ids.length) {
        (item as Record<string, Json>).id = ids[i] as Json;
      }
    });
    return document;
  });

const spacing = fc.constantFrom(undefined, 0, 1, 2, "\t");
const chunking = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 });

describe("reading a JSON export's records", () => {
  test("the same records as JSON.parse of the whole file, however the bytes arrive", () => {
    fc.assert(
      fc.property(documentOf, spacing, chunking, (document, space, sizes) => {
        const bytes = Buffer.from(JSON.stringify(document, null, space));
        const whole = expected(JSON.parse(bytes.toString("utf8")));
        expect(scan(bytes)).toEqual(whole);
        expect(scan(bytes, sizes)).toEqual(whole);
        expect(scan(bytes, [1])).toEqual(whole);
        // Read as latin1 where a record is ASCII through and through; as UTF-8 where not.
        expect(scan(bytes, [bytes.length || 1], ascii)).toEqual(whole);
        expect(scan(bytes, sizes, () => false)).toEqual(whole);
      }),
      { numRuns: 400 },
    );
    // Keys named as Object's own properties are keys like any other (found by the property above).
    for (const text of [
      '[{"toString":{"":[]},"conversations":[]},null,[1]]',
      '{"toString":{"conversations":[{"id":1}]},"constructor":[{"id":2}]}',
      '{"__proto__":{"conversations":[]},"hasOwnProperty":{"conversations":[1]}}',
    ]) {
      const bytes = Buffer.from(text);
      expect(scan(bytes)).toEqual(expected(JSON.parse(bytes.toString("utf8"))));
      expect(scan(bytes, [1])).toEqual(expected(JSON.parse(bytes.toString("utf8"))));
    }
  });

  test("read as latin1, what a reader uses is what UTF-8 gives, when it is ASCII", () => {
    fc.assert(
      fc.property(withId, spacing, chunking, (document, space, sizes) => {
        const bytes = Buffer.from(JSON.stringify(document, null, space));
        const whole = expected(JSON.parse(bytes.toString("utf8")));
        const read = scan(bytes, [bytes.length || 1], idOnly);
        expect(read).toHaveLength(whole.length);
        expect(idOf(read)).toEqual(idOf(whole));
        expect(idOf(scan(bytes, sizes, idOnly))).toEqual(idOf(whole));
      }),
      { numRuns: 400 },
    );
  });

  test("read as latin1, records beyond ASCII in what is used are read again as UTF-8", () => {
    const exportOf = (id: (i: number) => string) =>
      `[${Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: id(i), x: "😀 \u00e9" })).join(",")}]`;
    const byId: AsRead = (r) => ascii(r.id);
    // Every id ASCII: read as latin1, the ids are UTF-8's (the rest, unused, is not).
    const plain = exportOf((i) => `t${i}`);
    const fast = scan(Buffer.from(plain), [plain.length], byId);
    const whole = expected(JSON.parse(plain));
    expect(fast.map((r) => r.id)).toEqual(whole.map((r) => r.id));
    expect(fast[0]?.x).not.toEqual(whole[0]?.x);
    // Some ids beyond ASCII: those records, and their batch, read as UTF-8.
    const accented = exportOf((i) => (i % 7 === 3 ? `café ${i}` : `t${i}`));
    const bytes = Buffer.from(accented);
    expect(scan(bytes, [bytes.length], byId)).toEqual(expected(JSON.parse(accented)));
  });

  test("a file cut short or damaged is refused exactly when JSON.parse refuses it", () => {
    const damage = fc.oneof(
      fc.record({ kind: fc.constant("cut" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant("put" as const),
        at: fc.nat(),
        byte: fc.constantFrom(...'"\\{}[],:x0 '.split("")),
      }),
    );
    fc.assert(
      fc.property(documentOf, spacing, damage, chunking, (document, space, change, sizes) => {
        // Damaged as bytes, as a disk or a transfer damages them.
        const text = Buffer.from(JSON.stringify(document, null, space));
        const at = change.at % (text.length + 1);
        const bytes =
          change.kind === "cut"
            ? text.subarray(0, at)
            : change.kind === "drop"
              ? Buffer.concat([text.subarray(0, at), text.subarray(at + 1)])
              : Buffer.concat([
                  text.subarray(0, at),
                  Buffer.from(change.byte),
                  text.subarray(at + 1),
                ]);
        let parsed: unknown;
        let valid = true;
        try {
          parsed = JSON.parse(bytes.toString("utf8"));
        } catch {
          valid = false;
        }
        if (valid) {
          expect(scan(bytes, sizes)).toEqual(expected(parsed));
          expect(scan(bytes, [bytes.length || 1], ascii)).toEqual(expected(parsed));
        } else {
          expect(() => scan(bytes, sizes)).toThrow(JsonBreak);
          // The same break, at the same byte, read as latin1 or not.
          const as = (asRead?: AsRead) => {
            try {
              scan(bytes, [bytes.length || 1], asRead);
            } catch (error) {
              return [(error as JsonBreak).message, (error as JsonBreak).byte];
            }
            return undefined;
          };
          expect(as(ascii)).toEqual(as());
          expect(as(idOnly)).toEqual(as());
        }
      }),
      { numRuns: 1500 },
    );
  });

  test("each vendor's generated export reads as JSON.parse reads it", () => {
    const dir = tempDir();
    for (const format of ["zendesk-json", "helpscout-json", "intercom-json"]) {
      const file = path.join(dir, `${format}.json`);
      writeExport(file, format, 300);
      const bytes = readFileSync(file);
      const whole = expected(JSON.parse(bytes.toString("utf8")));
      expect(whole).toHaveLength(300);
      expect(scan(bytes, [4096, 7, 65_536])).toEqual(whole);
      // Whole, as the many records of a 1 MiB read arrive: parsed in batches.
      expect(scan(bytes)).toEqual(whole);
      expect(scan(bytes, [bytes.length], () => false)).toEqual(whole);
      expect(idOf(scan(bytes, [bytes.length], idOnly))).toEqual(idOf(whole));
    }
  });

  test("where a file breaks: its byte, found even across chunks", () => {
    const text = '{"tickets": [\n{"id": 1},\n{"id": 2 "x": 3},\n{"id": 3}\n]}';
    for (const sizes of [[text.length], [1], [5, 3]]) {
      let thrown: unknown;
      try {
        scan(Buffer.from(text), sizes);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(JsonBreak);
      expect((thrown as JsonBreak).byte).toBe(text.indexOf('"x"'));
    }
    expect(() => scan(Buffer.from('{"tickets": [{"id": 1}, {"id": 2}'))).toThrow(
      /ends inside its list of records/,
    );
    expect(() => scan(Buffer.from('{"tickets": [{"id": 1}], "next": nul}'))).toThrow(
      /the document is not valid JSON/,
    );
  });
});

describe("rota report --tickets with a damaged JSON export", () => {
  test("names the file and the line where it breaks, and exits 2", async () => {
    const dir = await teamRepo();
    const file = path.join(tempDir(), "zendesk.json");
    const good = readFileSync(path.join(ROOT, "test/fixtures/tickets/intercom.json"), "utf8");
    // Line 3's record has a word where a string should be.
    const damaged = good.replace(
      '"state": "open", "admin_assignee_id": 999999',
      '"state": open, "admin_assignee_id": 999999',
    );
    expect(damaged).not.toBe(good);
    writeFileSync(file, damaged);
    const result = await rota(["report", "--tickets", file], {
      cwd: dir,
      env: { ROTA_NOW: AFTER_SHIFTS },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `--tickets ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: not JSON rota can read: a record is not valid JSON`,
      ),
    );
    expect(result.stderr).not.toContain("    at ");
    const cut = path.join(tempDir(), "cut.json");
    writeFileSync(cut, good.slice(0, good.length - 40));
    const short = await rota(["report", "--tickets", cut], {
      cwd: dir,
      env: { ROTA_NOW: AFTER_SHIFTS },
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(
      /cut\.json:\d+: not JSON rota can read: the file ends inside (its list of records|a record) \(cut short\?\)/,
    );
  });
});
