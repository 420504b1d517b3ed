import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { generateRoster } from "../../bench/generate.mjs";
import { readWellFormedRoster } from "../../src/core/roster/fast.ts";
import { locateIn } from "../../src/core/roster/locate.ts";
import { parseRoster, parseRosterFully } from "../../src/core/roster/parse.ts";
import { readFast } from "../../src/core/roster/read-fast.ts";
import { type Anchor, type Path, parseYaml } from "../../src/core/yaml.ts";
import { readPlainYaml } from "../../src/core/yaml-fast.ts";
import { RUNS, SEED, scenarioArb } from "../helpers/arbitraries.ts";
import { ROOT } from "../helpers/cli.ts";
import { LINE_MUTATIONS, type Mutation } from "../helpers/mutations.ts";

/**
 * A roster with problems is read once, fast, and only the parts holding a
 * problem are read again with positions. What it reports must be exactly
 * what reading the whole roster with positions reports (parseRosterFully,
 * the reference): the same problems, text, places and order.
 */

const NOW = { now: Date.UTC(2026, 10, 23) };
const options = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const VALID = [
  "roster.example.yaml",
  "templates/roster.yaml",
  ...readdirSync(path.join(ROOT, "examples")).map((f) => `examples/${f}`),
].map((file) => readFileSync(path.join(ROOT, file), "utf8"));

const INVALID = readdirSync(path.join(ROOT, "test/fixtures/invalid"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => [f, readFileSync(path.join(ROOT, "test/fixtures/invalid", f), "utf8")] as const);

/** The same problems as the whole roster read with positions, read alone or after the fast check. */
function same(text: string): void {
  const whole = parseRosterFully(text, "roster.yaml", NOW);
  expect(parseRoster(text, "roster.yaml", NOW)).toEqual(whole);
  const read = readFast(text);
  readWellFormedRoster(text, read, NOW.now);
  expect(parseRoster(text, "roster.yaml", NOW, read)).toEqual(whole);
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Every path in the data, and a missing key and index under each collection. */
function pathsOf(value: unknown, at: Path = []): Path[] {
  if (Array.isArray(value))
    return [at, [...at, value.length], ...value.flatMap((item, i) => pathsOf(item, [...at, i]))];
  if (isMapping(value))
    return [
      at,
      [...at, "no-such-key"],
      ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...at, key])),
    ];
  return [at];
}

/**
 * Checks the cut-out locator against the whole file read with positions, for
 * every path (each anchor). Returns whether the text could be cut out.
 */
function locatesAsTheWhole(text: string): boolean {
  const data = readPlainYaml(text);
  if (!isMapping(data)) return false;
  const whole = parseYaml(text, "roster.yaml");
  expect(whole.ok).toBe(true);
  if (!whole.ok) return false;
  const paths = pathsOf(data);
  // Each path alone, as a single problem would ask.
  let cut = 0;
  for (const one of paths.filter((_, i) => i % 7 === 0)) {
    const locate = locateIn(text, data, [one], "roster.yaml");
    if (!locate) continue;
    cut++;
    for (const anchor of ["key", "value"] as Anchor[])
      expect(locate(one, anchor)).toEqual(whole.yaml.locate(one, anchor));
  }
  // All paths at once.
  const locate = locateIn(text, data, paths, "roster.yaml");
  if (!locate) return false;
  for (const one of paths)
    for (const anchor of ["key", "value"] as Anchor[])
      expect([one, locate(one, anchor)]).toEqual([one, whole.yaml.locate(one, anchor)]);
  return cut > 0;
}

const MUTATIONS: Mutation[] = [
  ...LINE_MUTATIONS,
  (lines, at) => lines.map((line, i) => (i === at ? line.replace(/\[(\w+)/, "[$1, $1") : line)),
  (lines, at) => lines.map((line, i) => (i === at ? line.replace(/\d/, "9") : line)),
  (lines, at) => lines.map((line, i) => (i === at ? line.replace(/(\w+):/, '"$1":') : line)),
  (lines, at) => lines.map((line, i) => (i === at ? `${line} # note` : line)),
];

const fragments = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    "",
    "#",
    "# a comment",
    "- ",
    "  - id: ada",
    "- id: ada",
    "  - {id: ada, name: Ada}",
    "people:",
    "shifts:",
    "extra: 1",
    "'quoted key': 1",
    '"team": Support',
    "id: x",
    "name:",
    "days: [mon, mon]",
    "days: [mon, fun]",
    "seats: []",
    "weight: 0",
    "weight: -1",
    "every: 1 month",
    "every: sometimes",
    "2026-02-30",
    "17:00",
    "Europe/Berlin",
    "Mars/Olympus",
    "null",
    "[]",
    "{}",
    "|",
    "  text",
    "---",
    "...",
    ":",
    "'",
  ),
);

const mutated = fc
  .tuple(
    fc.constantFrom(...VALID),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: MUTATIONS.length - 1 }), fragments), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([valid, edits]) => {
    let lines = valid.split("\n");
    for (const [where, which, text] of edits) {
      if (lines.length === 0) break;
      lines = (MUTATIONS[which] as Mutation)(lines, where % lines.length, text);
    }
    return lines.join("\n");
  });

describe("problems placed from the parts equal those of the whole roster read with positions", () => {
  test.each(INVALID)("%s", (_name, text) => same(text));

  test.each(VALID.map((text, i) => [i, text] as const))(
    "example %i, and every path in it",
    (_i, text) => {
      same(text);
      expect(locatesAsTheWhole(text)).toBe(true);
    },
  );

  test("mutated rosters: the same problems, and every path placed alike", () => {
    let cut = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        same(text);
        if (locatesAsTheWhole(text)) cut++;
      }),
      options,
    );
    // Most mutated rosters are cut out, not read whole: the test compares something.
    expect(cut).toBeGreaterThan(RUNS / 4);
  });

  test("generated rosters written in every style", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.constantFrom("any", "block", "flow"),
        fc.constantFrom("PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"),
        fc.nat(),
        (scenario, collectionStyle, defaultKeyType, at) => {
          const text = stringify(scenario.roster, {
            collectionStyle,
            defaultKeyType,
            version: "1.2",
          } as never);
          same(text);
          locatesAsTheWhole(text);
          // A day listed twice (a warning), or a day that does not exist (an error).
          const shift = at % scenario.roster.shifts.length;
          const broken = structuredClone(scenario.roster);
          const days = broken.shifts[shift]?.days as string[];
          days.push(at % 2 === 0 ? (days[0] as string) : "someday");
          same(stringify(broken, { collectionStyle, defaultKeyType, version: "1.2" } as never));
        },
      ),
      options,
    );
  });

  test("a large roster with problems deep in it", () => {
    const valid = generateRoster({ people: 400, weeks: 8, shifts: 3, seats: 2 });
    const broken = [
      valid.replace("days: [mon, tue", "days: [mon, mon, tue"),
      valid.replace("days: [mon, tue", "days: [mon, mun, tue"),
      `${valid}extra: 1\n`,
      valid.replace("{ id: p250,", "{ id: p250, colour: red,"),
      valid.replace("{ id: p10,", "{ id: p300,"),
      valid.replace("{ id: p20,", "{ id: p20, weight: -2,"),
      valid.replace(/(\{ id: p399, .*?joined: )\d{4}/, "$12025-02-30 and"),
      valid.replace("{ id: p123,", "{ id: p123, away: [{ from: 2027-01-10, to: 2027-01-01 }],"),
      valid.replace("{ id: p5,", "{ id: p5, shifts: [nope],"),
    ];
    for (const text of broken) {
      expect(text).not.toBe(valid);
      same(text);
      expect(parseRoster(text, "roster.yaml", NOW).problems.length).toBeGreaterThan(0);
    }
  });
});
