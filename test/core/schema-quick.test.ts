import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { validate } from "../../src/core/roster/schema-check.generated.js";
import { meetsRosterSchema } from "../../src/core/roster/schema-quick.ts";
import { RUNS, SEED } from "../helpers/arbitraries.ts";
import { ROOT } from "../helpers/cli.ts";

/**
 * Every roster in the repository the yaml package reads: the example, the
 * template, the examples and the fixtures (but those that are not YAML).
 */
function rosterFiles(): string[] {
  const inDir = (dir: string) =>
    readdirSync(path.join(ROOT, dir))
      .filter((name) => name.endsWith(".yaml"))
      .map((name) => path.join(dir, name));
  return [
    "roster.example.yaml",
    "templates/roster.yaml",
    "test/fixtures/known-gap/roster.yaml",
    ...inDir("examples"),
    ...inDir("test/fixtures/invalid"),
  ].filter((file) => {
    try {
      parse(readFileSync(path.join(ROOT, file), "utf8"), { uniqueKeys: false });
      return true;
    } catch {
      return false;
    }
  });
}

const example = parse(readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8"));

/** Values a roster's fields may be given, the awkward ones among them. */
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "",
        " ",
        "ada",
        "Ada Lovelace",
        "a\tb",
        "a\u202eb",
        "a\u0085b",
        "\ud83d\ude00",
        "\ud83d",
        "x".repeat(200),
        "x".repeat(201),
        `${"\ud83d\ude00".repeat(200)}`,
        `${"\ud83d\ude00".repeat(201)}`,
        "x".repeat(254),
        "x".repeat(255),
        "2026-11-23",
        "2026-13-45",
        "09:00",
        "24:00",
        "Europe/Berlin",
        "2 weeks",
        "DE",
        "BY",
        "mon",
        "any",
        "pro",
        "U012ABCDEF",
        "a@b",
        "users/123",
        "__proto__",
        "constructor",
      ),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.integer({ min: -5, max: 300 }),
        fc.double({ noDefaultInfinity: false }),
        fc.constantFrom(0, -0, 0.5, 1, 100, 100.5, 260, 261, 3660, 3661, Number.NaN),
        fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53),
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
    { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 3 }) },
    {
      weight: 1,
      arbitrary: fc.dictionary(
        fc.constantFrom("role", "id", "name", "from", "to", "x", "__proto__", "constructor"),
        tie("value"),
        { maxKeys: 3 },
      ),
    },
  ),
})).value;

/** The places of a value, each as its path of keys and indexes. */
function places(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((each, i) => places(each, [...at, i]))];
  if (value !== null && typeof value === "object") {
    return [...here, ...Object.entries(value).flatMap(([key, each]) => places(each, [...at, key]))];
  }
  return here;
}

/** The roster with the value at `at` replaced, removed (undefined), or a key added beside it. */
function changed(
  roster: unknown,
  at: (string | number)[],
  value: unknown,
  addKey?: string,
): unknown {
  const copy = structuredClone(roster) as Record<string, unknown>;
  if (at.length === 0) return value;
  let parent: Record<string | number, unknown> = copy;
  for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = at[at.length - 1] as string | number;
  if (addKey !== undefined && parent[last] !== null && typeof parent[last] === "object") {
    Object.defineProperty(parent[last], addKey, { value, enumerable: true, writable: true });
  } else if (value === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = value;
  return copy;
}

describe("the quick schema check", () => {
  test.each(rosterFiles())("meets ajv's verdict on %s", (file) => {
    const data = parse(readFileSync(path.join(ROOT, file), "utf8"), { uniqueKeys: false });
    expect(meetsRosterSchema(data)).toBe(validate(data));
  });

  test("meets ajv's verdict on the example roster changed anywhere", () => {
    const all = places(example);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            place: fc.constantFrom(...all),
            value: fc.oneof(anyValue, fc.constant(undefined)),
            addKey: fc.option(fc.constantFrom("x", "notes", "__proto__", "id", "weight"), {
              nil: undefined,
            }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (changes) => {
          let roster: unknown = example;
          for (const { place, value, addKey } of changes) {
            try {
              roster = changed(roster, place, value, addKey);
            } catch {
              // An earlier change took the place away.
            }
          }
          expect(meetsRosterSchema(roster)).toBe(validate(roster));
        },
      ),
      { numRuns: RUNS * 25, seed: SEED },
    );
  });

  test("meets ajv's verdict on any value at all", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(meetsRosterSchema(value)).toBe(validate(value));
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });

  test("numbers at the edges of each numeric rule", () => {
    for (const value of [14, 14.5, -1, 0, 3660, 3661, Number.NaN, Number.POSITIVE_INFINITY, "14"]) {
      const roster = structuredClone(example);
      roster.rules.min_gap_days = value;
      expect(meetsRosterSchema(roster), String(value)).toBe(validate(roster));
    }
    for (const value of [0, -0, 0.5, 100, 100.5, Number.NaN]) {
      const roster = structuredClone(example);
      roster.people[0].weight = value;
      expect(meetsRosterSchema(roster), String(value)).toBe(validate(roster));
    }
  });

  test("texts at the edges of each length rule, a surrogate pair counted as one character", () => {
    const emoji = "\ud83d\ude00";
    for (const value of [
      "",
      "a",
      emoji,
      "x".repeat(254),
      "x".repeat(255),
      emoji.repeat(254),
      emoji.repeat(255),
    ]) {
      const roster = structuredClone(example);
      roster.people[0].helpdesk = value;
      expect(meetsRosterSchema(roster), `helpdesk of length ${value.length}`).toBe(
        validate(roster),
      );
    }
  });

  test("a key inherited by a mapping counts, as ajv counts it", () => {
    const person = Object.assign(Object.create({ nickname: "ada" }), { id: "ada", name: "Ada" });
    const roster = { ...structuredClone(example), people: [person] };
    expect(validate(roster)).toBe(false);
    expect(meetsRosterSchema(roster)).toBe(false);
  });
});
