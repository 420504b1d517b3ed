import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { addSwapToRosterText, swapText } from "../../src/core/roster/edit.ts";
import type { Swap } from "../../src/core/roster/model.ts";
import { parseRoster } from "../../src/core/roster/parse.ts";

/**
 * A swap added by `rota swap` must read the same to every YAML reader of the
 * roster: rota's own (YAML 1.2) and the YAML 1.1 ones people script it with,
 * PyYAML first among them. CI installs PyYAML (python3-yaml, see .ci/run);
 * elsewhere its checks are skipped with a note.
 */
const PYTHON = "/usr/bin/python3";

/** PyYAML's data of each text (dates as `YYYY-MM-DD`), or its error; one process for all. */
const PYYAML = `
import json, sys, yaml
out = []
for text in json.load(sys.stdin):
    try:
        out.append({"data": yaml.safe_load(text)})
    except yaml.YAMLError as error:
        out.append({"error": str(error)})
print(json.dumps(out, default=str))
`;

function readWithPyYaml(texts: readonly string[]): ({ data: unknown } | { error: string })[] {
  const result = spawnSync(PYTHON, ["-c", PYYAML], {
    input: JSON.stringify(texts),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

let pyyaml = false;
beforeAll(() => {
  pyyaml =
    existsSync(PYTHON) &&
    spawnSync(PYTHON, ["-c", "import yaml"], { stdio: "ignore" }).status === 0;
  if (process.env.CI === "true") expect(pyyaml, "python3-yaml is needed in CI").toBe(true);
  else if (!pyyaml) console.warn("PyYAML missing: apt-get install python3-yaml");
});

const NOW = Date.parse("2026-03-02T08:00:00+01:00");

/** A roster whose people include ids YAML 1.1 reads as other things when plain. */
const HEAD = `version: 1
team: Acme
timezone: Europe/Berlin
horizon_weeks: 2
shifts:
  - id: emea
    days: [mon, tue, wed, thu, fri]
    start: "09:00"
    end: "17:00"
    seats:
      - role: any
  - id: "24_7"
    days: [sat, sun]
    start: "09:00"
    end: "17:00"
    seats:
      - role: any
`;
const PEOPLE = `people:
  - { id: ada, name: Ada }
  - { id: grace, name: Grace }
  - { id: linus, name: Linus }
  - { id: "no", name: "No" }
  - { id: "1_000", name: Thousand }
  - { id: "0x1f", name: Hex }
`;

/** `rota swap`'s swap of 2026-03-05/emea, with `changes` made to it. */
const swapOf = (changes: Partial<Swap> = {}): Swap => ({
  date: "2026-03-05",
  shift: "emea",
  out: "ada",
  in: "grace",
  ...changes,
});

const REASONS = [
  "dentist",
  "Ada's dentist (back at 3)",
  "café ☕",
  "10:30",
  "12:30:00",
  "2026-03-01",
  "2026-03-01 10:00",
  "1_000",
  "0x1f",
  "0o17",
  "017",
  "1e3",
  ".inf",
  ".NaN",
  "+1",
  "-1",
  "=",
  "<<",
  "~",
  "null",
  "Null",
  "yes",
  "No",
  "ON",
  "off",
  "y",
  "true",
  "False",
  "https://tickets.example.com/view?id=42",
  "a: b",
  "a:b",
  "a #b",
  "a#b",
  "- x",
  "-x",
  "? x",
  "?x",
  "*x",
  "&x",
  "!x",
  "%x",
  "@x",
  "`x`",
  "|x",
  ">x",
  "'x'",
  '"x"',
  "x, y",
  "[x]",
  "{x}",
  "...",
  "---",
  "x ",
  " x",
  "x\\y",
];

describe("a swap's line reads the same to YAML 1.1 readers (PyYAML) as to rota", () => {
  const swaps: Swap[] = [
    ...REASONS.map((reason) => swapOf({ reason })),
    swapOf({ out: "no", in: "1_000" }),
    swapOf({ out: "0x1f", in: "no" }),
    swapOf({ date: "2026-03-07", shift: "24_7", out: "1_000", in: "0x1f" }),
  ];
  const before = `${HEAD}${PEOPLE}`;
  const texts = swaps.map((swap) => addSwapToRosterText(before, swap));

  test("rota reads each back as it was given", () => {
    texts.forEach((text, i) => {
      const roster = parseRoster(text, "roster.yaml", { now: NOW }).roster;
      expect(roster?.swaps, text).toEqual([swaps[i]]);
    });
  });

  test("PyYAML reads each as the same strings", (context) => {
    if (!pyyaml) context.skip();
    readWithPyYaml(texts).forEach((read, i) => {
      expect(read, texts[i]).toHaveProperty("data.swaps", [swaps[i]]);
    });
  });

  test("values every reader takes as the same string stay plain; the date is written as dates are", () => {
    expect(swapText(swapOf({ reason: "Ada's dentist (back at 3)" }))).toBe(
      "{ date: 2026-03-05, shift: emea, out: ada, in: grace, reason: Ada's dentist (back at 3) }",
    );
    expect(swapText(swapOf({ out: "no", in: "1_000", reason: "10:30" }))).toBe(
      '{ date: 2026-03-05, shift: emea, out: "no", in: "1_000", reason: "10:30" }',
    );
  });
});

/** Ways of writing the swaps a roster has (or has not): the part after the head. */
const LAYOUTS: [string, string][] = [
  ["no swaps key", PEOPLE],
  ["no swaps key, no line break at the end", PEOPLE.trimEnd()],
  ["swaps: at the end", `${PEOPLE}swaps:\n`],
  ["swaps: with a comment, before another key", `swaps: # none yet\n${PEOPLE}`],
  ["swaps: ~", `${PEOPLE}swaps: ~\n`],
  ["swaps: null with a comment, before another key", `swaps: null # none yet\n${PEOPLE}`],
  ["swaps: !!null ~ with a comment", `${PEOPLE}swaps: !!null ~ # none yet\n`],
  ["swaps: &none !!null, before another key", `swaps: &none !!null\n${PEOPLE}`],
  ["swaps: []", `${PEOPLE}swaps: []\n`],
  ["swaps: [] with a comment, no line break at the end", `${PEOPLE}swaps: [] # none yet`],
  [
    "a block list with comments",
    `${PEOPLE}swaps:\n  # agreed in standup\n  - { date: 2026-03-04, shift: emea, out: linus, in: ada } # dentist\n\n# the end\n`,
  ],
  [
    "a block list at the key's indentation, mappings on lines, before another key",
    "swaps:\n- date: 2026-03-04\n  shift: emea\n  out: linus\n  in: ada\n-\n  date: 2026-03-06\n  shift: emea\n  out: grace\n  in: ada\n" +
      PEOPLE,
  ],
  [
    "a block list with an anchor and a tag",
    `${PEOPLE}swaps:\n  - &first !!map { date: 2026-03-04, shift: emea, out: linus, in: ada }\n`,
  ],
  [
    "a flow list on lines, with comments",
    `${PEOPLE}swaps: [\n  # agreed in standup\n  { date: 2026-03-04, shift: emea, out: linus, in: ada }, # dentist\n]\n`,
  ],
  [
    "a flow list on one line, before another key",
    `swaps: [{ date: 2026-03-04, shift: emea, out: linus, in: ada }] # agreed\n${PEOPLE}`,
  ],
  ["a flow list with only a comment", `${PEOPLE}swaps: [\n  # none yet\n]\n`],
];

/** The layouts with LF and with CRLF line breaks. */
const ROSTERS = LAYOUTS.flatMap(([name, tail]) => {
  const lf = `# Acme's rota\n${HEAD}${tail}`;
  return [
    [`${name} (LF)`, lf],
    [`${name} (CRLF)`, lf.replaceAll("\n", "\r\n")],
  ] as const;
});

describe("a swap added to any layout of the roster changes nothing else", () => {
  const swap = swapOf({
    out: "no",
    in: "1_000",
    reason: "10:30 https://tickets.example.com/?id=42",
  });
  const edited = ROSTERS.map(([, text]) => addSwapToRosterText(text, swap));

  test.each(ROSTERS.map(([name, text], i) => [name, text, edited[i] as string]))(
    "%s: only the swap is added, in the file's line breaks",
    (_, before, after) => {
      let start = 0;
      while (start < before.length && before[start] === after[start]) start++;
      let end = 0;
      while (end < before.length - start && before.at(-1 - end) === after.at(-1 - end)) end++;
      // Taken out: nothing, or the value `~`, `null` or `[]` that the list replaces, and a null's tag.
      const removed = before.slice(start, before.length - end).trim();
      expect(removed).toMatch(/^(?:!!null)?\s*(?:~|null|\[\])?$/);
      // Put in: the swap, with line breaks, indentation, a dash or a comma, and
      // the key where the roster had none.
      const added = after.slice(start, after.length - end);
      const key = /\nswaps:/.test(before) ? "" : "swaps:";
      expect(added.replace(swapText(swap), "").replace(key, "")).toMatch(/^[\s,-]*$/);
      const breaks = after.match(/\r?\n|\r/g) ?? [];
      expect(new Set(breaks)).toEqual(new Set(before.includes("\r\n") ? ["\r\n"] : ["\n"]));
    },
  );

  test("rota reads each roster as before, with the swap last", () => {
    ROSTERS.forEach(([name, text], i) => {
      const was = parseRoster(text, "roster.yaml", { now: NOW }).roster;
      const now = parseRoster(edited[i] as string, "roster.yaml", { now: NOW }).roster;
      expect(was, name).toBeDefined();
      expect(now, name).toEqual({ ...was, swaps: [...(was?.swaps ?? []), swap] });
    });
  });

  test("PyYAML reads each roster as before, with the swap last", (context) => {
    if (!pyyaml) context.skip();
    const reads = readWithPyYaml([...ROSTERS.map(([, text]) => text), ...edited]);
    ROSTERS.forEach(([name], i) => {
      const was = reads[i] as { data: Record<string, unknown> };
      const now = reads[i + ROSTERS.length];
      expect(was, name).toHaveProperty("data");
      const swaps = (was.data.swaps as unknown[] | null | undefined) ?? [];
      expect(now, name).toEqual({ data: { ...was.data, swaps: [...swaps, swap] } });
    });
  });
});
