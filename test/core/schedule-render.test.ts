import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  checkEntry,
  renderEntry,
  renderSchedule,
  type ScheduleEntry,
} from "../../src/core/schedule/schedule.ts";
import { RUNS, SEED } from "../helpers/arbitraries.ts";

/** Each field as JSON.stringify writes it, in renderEntry's order. */
function reference(entry: ScheduleEntry): string {
  const j = JSON.stringify;
  const list = (items: string[]) => `[${items.map((item) => j(item)).join(", ")}]`;
  let line = `{"id": ${j(entry.id)}, "date": ${j(entry.date)}, "shift": ${j(entry.shift)}, "start": ${j(entry.start)}, "end": ${j(entry.end)}, "people": ${list(entry.people)}`;
  if (entry.how) line += `, "how": ${list(entry.how)}`;
  if (entry.served) line += `, "served": ${list(entry.served)}`;
  return `${line}, "rev": ${entry.rev}, "changed": ${j(entry.changed)}}`;
}

/**
 * An entry of text from `text`, each optional field present or not; with
 * `planNotes`, also `relaxed` and `open`, which `reference` does not write.
 */
function entryOf(text: fc.Arbitrary<string>, planNotes = false): fc.Arbitrary<ScheduleEntry> {
  return fc
    .record({
      id: text,
      date: text,
      shift: text,
      start: text,
      end: text,
      people: fc.array(text, { maxLength: 3 }),
      how: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }),
      ...(planNotes
        ? { relaxed: fc.option(fc.dictionary(text, text, { maxKeys: 2 }), { nil: undefined }) }
        : {}),
      served: fc.option(fc.array(text, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      ...(planNotes ? { open: fc.option(fc.nat(3), { nil: undefined }) } : {}),
      rev: fc.nat(9),
      changed: text,
    })
    .map(
      (value) =>
        Object.fromEntries(
          Object.entries(value).filter(([, v]) => v !== undefined),
        ) as unknown as ScheduleEntry,
    );
}

describe("schedule.yaml lines", () => {
  /** Entries of text from `text`, every optional field present or not. */
  function entries(text: fc.Arbitrary<string>) {
    return fc.array(entryOf(text, true), { minLength: 1, maxLength: 4 });
  }
  const oneByte = fc.oneof(
    fc.constantFrom("2026-11-23/emea", "p1", "é", "\u00ff", '"', "\\", "\n", "\u007f", ""),
    fc.string({
      maxLength: 8,
      unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)),
    }),
  );
  const any = fc.oneof(
    oneByte,
    fc.constantFrom("\ud800", "😀", "\u2028"),
    fc.string({ unit: "binary", maxLength: 8 }),
  );

  for (const [kind, text] of [
    ["one-byte text, escapes and all", oneByte],
    ["any text", any],
  ] as const) {
    test(`the whole file holds each entry's line as renderEntry writes it: ${kind}`, () => {
      fc.assert(
        fc.property(entries(text), (list) => {
          const lines = renderSchedule({ plannedUntil: "2027-01-04", entries: list }).split("\n");
          expect(lines.slice(lines.indexOf("shifts:") + 1)).toEqual([
            ...list.map((each) => `  - ${renderEntry(each)}`),
            "",
          ]);
        }),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });
  }

  test("every text field is written as JSON.stringify writes it, escapes and all", () => {
    // Quotes, backslashes, control characters, lone and paired surrogates, line separators.
    const awkward = fc.constantFrom(
      '"',
      "\\",
      "\n",
      "\u0000",
      "\u001f",
      "\ud800",
      "\udfff",
      "😀",
      "\u2028",
      "é",
      "\u007f",
    );
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: "binary", maxLength: 12 }),
      fc
        .array(fc.oneof(awkward, fc.string({ maxLength: 3 })), { maxLength: 6 })
        .map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(entryOf(text), (e) => {
        expect(renderEntry(e)).toBe(reference(e));
        expect(JSON.parse(renderEntry(e)).people).toEqual(e.people);
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });
});

describe("schedule.yaml entries, checked", () => {
  const entry = {
    id: "2026-11-23/emea",
    date: "2026-11-23",
    shift: "emea",
    start: "2026-11-23T09:00:00+01:00",
    end: "2026-11-23T17:00:00+01:00",
    people: ["ada"],
    rev: 0,
    changed: "2026-11-23T10:00:00Z",
  };

  test("an id is its date and shift, exactly", () => {
    expect(checkEntry(entry)).toBeUndefined();
    for (const id of [
      "2026-11-23/emeA",
      "2026-11-23-emea",
      "2026-11-23/emea ",
      "2026-11-23//emea",
      "2026-11-24/emea",
      "2026-11-23/eme",
      "2026-11-23/emeaa",
      "/emea",
      "2026-11-23/",
      "",
      42,
      null,
    ]) {
      expect(checkEntry({ ...entry, id }), String(id)).toEqual([
        "id",
        'id must be "2026-11-23/emea"',
      ]);
    }
    // The shift's own id may hold what an id holds elsewhere.
    const odd = { ...entry, shift: "23-emea", id: "2026-11-23/23-emea" };
    expect(checkEntry(odd)).toBeUndefined();
  });

  test("the start's date is the entry's date", () => {
    expect(checkEntry({ ...entry, start: "2026-11-22T23:00:00-01:00" })).toEqual([
      "date",
      "date 2026-11-23 is not the day the shift starts (start 2026-11-22T23:00:00-01:00)",
    ]);
  });

  test("only an entry's own keys count, and each must be known", () => {
    expect(checkEntry({ ...entry, color: "red" })).toEqual([
      "color",
      'unknown key "color" in an entry',
    ]);
    expect(checkEntry({ ...entry, "": 1 })?.[1]).toMatch(/key/);
    expect(checkEntry(JSON.parse(`{"__proto__": 1, ${JSON.stringify(entry).slice(1)}`))).toEqual([
      "__proto__",
      'unknown key "__proto__" in an entry',
    ]);
    // What an entry inherits is not one of its keys.
    expect(checkEntry(Object.assign(Object.create({ color: "red" }), entry))).toBeUndefined();
  });
});
