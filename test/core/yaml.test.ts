import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isScalar, parseDocument, stringify } from "yaml";
import { generateRoster } from "../../bench/generate.mjs";
import { parseYaml } from "../../src/core/yaml.ts";
import {
  BLOCK_PLAIN,
  IMPLICIT,
  MAY_NOT_BE_TEXT,
  mayNotBeText,
  NEEDS_FULL_PARSER,
  needsFullParser,
  PLAIN,
  plainEnd,
  plainValue,
  readBlockYaml,
} from "../../src/core/yaml-block.ts";
import { LINE_START, lineStart, readFlowLists, readPlainYaml } from "../../src/core/yaml-fast.ts";
import { RUNS, SEED } from "../helpers/arbitraries.ts";
import { ROOT } from "../helpers/cli.ts";

/** What the yaml package (with positions) reads: the reference. */
function reference(text: string): unknown {
  const parsed = parseYaml(text, "x.yaml");
  return parsed.ok ? parsed.yaml.value : "PROBLEMS";
}

describe("the fast reader reads exactly what the yaml package reads", () => {
  const files = [
    "roster.example.yaml",
    "templates/roster.yaml",
    ...readdirSync(path.join(ROOT, "examples")).map((f) => `examples/${f}`),
    ...readdirSync(path.join(ROOT, "test/fixtures/invalid"))
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => `test/fixtures/invalid/${f}`),
  ];

  test.each(files)("%s", (file) => {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    const fast = readPlainYaml(text);
    if (fast !== undefined) expect(fast).toEqual(reference(text));
  });

  test.each([
    "017",
    "0o17",
    "0x1F",
    "0X1F",
    "1_000",
    "+1",
    "-0",
    ".5",
    "+.5",
    "-.5",
    "1.",
    "1e3",
    "1E3",
    "1e+3",
    "1e400",
    ".inf",
    "-.Inf",
    "+.INF",
    ".NaN",
    ".nan",
    "~",
    "null",
    "Null",
    "NULL",
    "NuLL",
    "true",
    "True",
    "TRUE",
    "tRUE",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "2026-12-01",
    "17:00",
    "9:00",
    "1:30:00",
    "0b101",
    "12e",
    "0.",
    "00",
    "9007199254740993",
    "2026-12-01T10:00:00Z",
    "DE",
    "NO",
    "null ",
    "a # b",
  ])("plain scalar %s", (scalar) => {
    const text = `v: ${scalar}\n`;
    const fast = readPlainYaml(text);
    expect(fast).toBeDefined();
    expect(fast).toEqual(reference(text));
  });

  const hostile = fc.oneof(
    fc.string(),
    fc.constantFrom(
      "---",
      "...",
      "# not a comment",
      "key: value",
      "- item",
      "{a: b}",
      "[x]",
      "'",
      '"',
      "\\",
      "&a",
      "*a",
      "!tag",
      "%YAML",
      "<<",
      "@",
      "`",
      "|",
      ">",
      "\u2028",
      "é",
      "😀",
    ),
    fc.integer().map(String),
    fc.double().map(String),
  );
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      hostile,
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("node"), { maxLength: 4 }),
      fc.dictionary(hostile, tie("node"), { maxKeys: 4 }),
    ),
  })).node;

  test("random documents written in every style", () => {
    fc.assert(
      fc.property(
        fc.dictionary(hostile, value, { maxKeys: 6 }),
        fc.record({
          collectionStyle: fc.constantFrom("any", "block", "flow"),
          defaultStringType: fc.constantFrom(
            "PLAIN",
            "QUOTE_DOUBLE",
            "QUOTE_SINGLE",
            "BLOCK_LITERAL",
            "BLOCK_FOLDED",
          ),
        }),
        (data, style) => {
          const text = stringify(data, { ...style, version: "1.2" } as never);
          const fast = readPlainYaml(text);
          if (fast !== undefined) expect(fast).toEqual(reference(text));
        },
      ),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });

  test("a value over several lines reads alike, whatever the indentation of its next lines", () => {
    const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
    const lines = example.split("\n");
    const values = lines.flatMap((line, at) => (/^ +(?:- )?\w+: \S/.test(line) ? [at] : []));
    fc.assert(
      fc.property(
        fc.constantFrom(...values),
        fc.constantFrom('"', "'", "[", ""),
        fc.nat({ max: 8 }),
        (at, open, indent) => {
          const line = lines[at] as string;
          const colon = line.indexOf(": ");
          const close = open === "[" ? "]" : open;
          const split = [
            `${line.slice(0, colon + 2)}${open}first`,
            `${" ".repeat(indent)}second${close}`,
          ];
          const text = [...lines.slice(0, at), ...split, ...lines.slice(at + 1)].join("\n");
          const fast = readPlainYaml(text);
          const expected = reference(text);
          // Whatever the fast reader accepts, the yaml package reads the same.
          if (fast !== undefined) expect(fast).toEqual(expected);
          if (expected === "PROBLEMS") expect(fast).toBeUndefined();
        },
      ),
      { numRuns: RUNS * 2, seed: SEED },
    );
  });

  test("an under-indented quoted string is the yaml package's to report", () => {
    const text = 'people:\n  - id: ada\n    name: "Ada\nLovelace"\n    team: support\n';
    expect(reference(text)).toBe("PROBLEMS");
    expect(readPlainYaml(text)).toBeUndefined();
  });

  test("rosters as people write them stay on the fast path", () => {
    const examples = readdirSync(path.join(ROOT, "examples")).map((f) => `examples/${f}`);
    for (const file of ["roster.example.yaml", "templates/roster.yaml", ...examples]) {
      expect(readPlainYaml(readFileSync(path.join(ROOT, file), "utf8")), file).toBeDefined();
    }
    const generated = generateRoster({ people: 500, weeks: 8, shifts: 3, seats: 2 });
    expect(readPlainYaml(generated)).toBeDefined();
    const notes =
      "notes:\n  prompts:\n    - id: x\n      text: |\n        Two lines\n        of text: here\n";
    expect(readPlainYaml(`---\n${notes}...\n`)).toEqual(reference(`---\n${notes}...\n`));
    expect(readPlainYaml(notes)).toBeDefined();
  });

  describe("block mappings and sequences whose values fit on their lines, read without js-yaml", () => {
    test("rosters as people write them are read so, as the yaml package reads them", () => {
      const multiLineFlow = ["examples/automattic.yaml"];
      const examples = readdirSync(path.join(ROOT, "examples"))
        .map((f) => `examples/${f}`)
        .filter((f) => !multiLineFlow.includes(f));
      for (const file of ["roster.example.yaml", "templates/roster.yaml", ...examples]) {
        const text = readFileSync(path.join(ROOT, file), "utf8");
        const block = readBlockYaml(text);
        expect(block, file).toBeDefined();
        expect(block, file).toEqual(reference(text));
      }
      const generated = generateRoster({ people: 300, weeks: 8, shifts: 3, seats: 2 });
      expect(readBlockYaml(generated)).toEqual(reference(generated));
    });

    test.each([
      ["an empty value", "a: 1\nb:\nc: 2\n"],
      ["a block scalar", "a: |\n  text\n"],
      ["a plain scalar over two lines", "a: one\n  two\n"],
      ["a quoted string over two lines", 'a: "one\n  two"\n'],
      ["a flow sequence over two lines", "a: [one,\n  two]\n"],
      ["a duplicate key", "a: 1\na: 2\n"],
      ["a mapping in a compact value", "a: b: c\n"],
      ["a key indented too far", "a:\n  b: 1\n   c: 2\n"],
      ["a key between two indentations", "a:\n    b: 1\n  c: 2\n"],
      ["a document marker", "---\na: 1\n"],
      ["Windows line ends", "a: 1\r\nb: 2\r\n"],
      ["a nested sequence", "a:\n  - - x\n"],
      ["an empty item", "a:\n  -\n  - x\n"],
      ["a colon at a value's end", "a: b:\n"],
      ["a comment without a space before it", "a: b#c\n"],
      ["a top-level list", "- a\n- b\n"],
      // Each line is read where it lies in the whole text: nothing past its end counts.
      ["a flow mapping closed on the next line", "a:\n  - { id: x,\n    name: y }\nb: 1\n"],
      ["a flow mapping whose key's colon is on the next line", "a:\n  - { id\n  : x }\n"],
      ["a quoted string closed on the next line", "a:\n  - 'x\n    y'\nb: 'c'\n"],
      ["a flow sequence closed on the next line", "a:\n  - [x,\n    y]\n"],
      ["an item's flow mapping cut short at the text's end", "a:\n  - { id: x"],
      ["a dash alone at the text's end", "a:\n  -"],
    ])("%s is left to the parsers", (_, text) => {
      expect(readBlockYaml(text)).toBeUndefined();
      // …and read alike by them, through the rest of the fast reader or not at all.
      const fast = readPlainYaml(text);
      if (fast !== undefined) expect(fast).toEqual(reference(text));
    });

    test("a sequence at its key's indentation, and a URL, read as the yaml package reads them", () => {
      const text = "a:\n- x\n- y: https://example.com/a:b\n  z: 2\nb: c # note\n";
      expect(readBlockYaml(text)).toEqual(reference(text));
      expect(readBlockYaml(text)).toEqual({
        a: ["x", { y: "https://example.com/a:b", z: 2 }],
        b: "c",
      });
    });

    test("random documents written in block style", () => {
      fc.assert(
        fc.property(
          fc.dictionary(hostile, value, { minKeys: 1, maxKeys: 6 }),
          fc.record({
            defaultStringType: fc.constantFrom("PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"),
            indentSeq: fc.boolean(),
            indent: fc.constantFrom(2, 4),
          }),
          (data, style) => {
            const text = stringify(data, { ...style, collectionStyle: "block", version: "1.2" });
            const block = readBlockYaml(text);
            if (block !== undefined) expect(block).toEqual(reference(text));
          },
        ),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });

    test("any line of the example roster changed reads as the yaml package reads it, or is left to it", () => {
      const lines = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8").split("\n");
      const changedLine = fc.oneof(
        fc.constantFrom(
          "",
          "# note",
          "  - x",
          "- x",
          "    extra: 1",
          "  extra:",
          "   continued",
          "      continued",
          "x: y: z",
          "  - { a: b }",
          "    - [a, b]",
          '    name: "Ada',
          "    name: 'it''s'",
          "    name: a, b",
          "    name: a:b",
          "    name: a: b",
          "    name: -a",
          "    name: ~",
          "    name: null",
          "    name: 0x1F",
          "    name: .5",
          "    name: 1e3",
          "    name: True",
          "    name: José # note",
          "    1: one",
          "    true: yes",
          "    __proto__: x",
          "  -   id: spaced",
          "---",
          "...",
        ),
        fc.string({ maxLength: 12 }),
      );
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat({ max: lines.length - 1 }), changedLine, fc.boolean()), {
            minLength: 1,
            maxLength: 3,
          }),
          (changes) => {
            const changed = [...lines];
            for (const [at, line, insert] of changes) changed.splice(at, insert ? 0 : 1, line);
            const text = changed.join("\n");
            const block = readBlockYaml(text);
            const expected = reference(text);
            if (block !== undefined) expect(block).toEqual(expected);
            if (expected === "PROBLEMS") expect(block).toBeUndefined();
          },
        ),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });
  });

  describe("lists written one flow mapping a line, read line by line", () => {
    test("a generated roster's people are read so, and read as the yaml package reads them", () => {
      const generated = generateRoster({ people: 300, weeks: 8, shifts: 3, seats: 2 });
      expect([...(readFlowLists(generated)?.lists.keys() ?? [])]).toEqual(["people"]);
      expect(readPlainYaml(generated)).toEqual(reference(generated));
    });

    const scalars = fc.constantFrom(
      "ada",
      "Ada Lovelace",
      "ada@example.com",
      "2026-12-01",
      "2026-12-01T10:00:00Z",
      "17:00",
      "12",
      "-12",
      "0x1F",
      "0o17",
      "1e3",
      ".5",
      "1.",
      "NO",
      "null",
      "~",
      "true",
      "False",
      ".inf",
      "José Ñúñez",
      "李",
      "a  b",
      "a #b",
      "a#b",
      "a: b",
      "- a",
      "?a",
      "'a'",
      "'it''s'",
      '"a"',
      '"a\\"b"',
      '"a, b"',
      '"a\\nb"',
      "'a]'",
      "\u00a0x",
      "x\u0085",
      "x\u2028y",
      "",
    );
    // Not `null`: js-yaml names such a key "null" and the yaml package "", on
    // any path (a difference of the two parsers, not of reading line by line).
    const keys = fc.constantFrom("id", "name", "team", "true", "1", "__proto__", "a-b", "x y");
    const node: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        scalars,
        fc.array(tie("node"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
        tie("map"),
      ),
      map: fc
        .array(fc.tuple(keys, tie("node")), { maxLength: 4 })
        .map((pairs) => `{ ${pairs.map(([k, v]) => `${k}: ${v}`).join(", ")} }`),
    })).node as fc.Arbitrary<string>;
    const line = fc.tuple(
      node,
      fc.constantFrom("", " ", " # note", ",", " }"),
      fc.constantFrom("  - ", "    - ", "  -  ", "- ", "  # ", "", "  "),
    );

    test("any line among them reads as the yaml package reads it, or is left to it", () => {
      const generated = generateRoster({ people: 20, weeks: 8, shifts: 2, seats: 2 });
      const lines = generated.split("\n");
      const first = lines.findIndex((l) => l.startsWith("  - { id: p"));
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat({ max: 19 }), line), { minLength: 1, maxLength: 3 }),
          (changes) => {
            const changed = [...lines];
            for (const [at, [value, end, start]] of changes) {
              changed[first + at] = `${start}{ id: p${at}, extra: ${value} }${end}`;
            }
            const text = changed.join("\n");
            const fast = readPlainYaml(text);
            const expected = reference(text);
            if (fast !== undefined) expect(fast).toEqual(expected);
            if (expected === "PROBLEMS") expect(fast).toBeUndefined();
          },
        ),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });
  });

  describe("values read character by character, as their regular expressions read them", () => {
    // Every class edge of the plain scalar's characters, and characters beyond them.
    const edges = [
      ..."AZaz09 _@./+-:,#[]{}'\"\t~!?&*|>%`",
      ..."\u00BF\u00C0\u024F\u0250\u036F\u0370\u1FFF\u2000\u303F\u3040\u9FFF\uA000",
      ..."\uD83D\uDE00\u00E9\u4E2D",
    ];
    const text = fc
      .array(fc.oneof(fc.constantFrom(...edges), fc.string({ maxLength: 1 })), { maxLength: 12 })
      .map((chars) => chars.join(""));

    test("where a plain scalar ends", () => {
      fc.assert(
        fc.property(text, fc.nat({ max: 12 }), (line, at) => {
          const from = Math.min(at, line.length);
          PLAIN.lastIndex = from;
          expect(plainEnd(line, from)).toBe(PLAIN.test(line) ? PLAIN.lastIndex : -1);
        }),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });

    test("where a block plain scalar ends, colons and all", () => {
      fc.assert(
        fc.property(text, fc.nat({ max: 12 }), (line, at) => {
          const from = Math.min(at, line.length);
          BLOCK_PLAIN.lastIndex = from;
          expect(plainEnd(line, from, true)).toBe(
            BLOCK_PLAIN.test(line) ? BLOCK_PLAIN.lastIndex : -1,
          );
        }),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });

    test("where a line's indentation, dashes and key end", () => {
      const line = fc
        .array(
          fc.oneof(fc.constantFrom(..." -:#a\"'[]{},\t\u00a0\r"), fc.string({ maxLength: 1 })),
          {
            maxLength: 12,
          },
        )
        .map((chars) => chars.join(""));
      fc.assert(
        fc.property(line, (line) => {
          expect(lineStart(line)).toBe((LINE_START.exec(line) as RegExpExecArray)[0]);
        }),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });

    test("whether a text needs the full parser", () => {
      const signs = fc.constantFrom(
        "&",
        "*",
        "!",
        "<",
        "%",
        "\t",
        "\n",
        " ",
        ",",
        "-",
        "[",
        "a",
        ":",
      );
      fc.assert(
        fc.property(fc.array(fc.oneof(signs, text), { maxLength: 8 }), (pieces) => {
          const joined = pieces.join("");
          expect(needsFullParser(joined)).toBe(NEEDS_FULL_PARSER.test(joined));
        }),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });

    test("dates and numbers of digits and dashes read as the yaml package reads them", () => {
      const date = fc
        .tuple(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 99 }),
          fc.integer({ min: 0, max: 99 }),
        )
        .map(([y, m, d]) =>
          [String(y).padStart(4, "0"), String(m).padStart(2, "0"), String(d).padStart(2, "0")].join(
            "-",
          ),
        );
      const near = fc.stringMatching(/^[0-9+.-]{1,12}$/);
      fc.assert(
        fc.property(fc.oneof(date, near), (value) => {
          // As a block mapping's value; "-" there is a list, not a plain scalar.
          const document = parseDocument(`key: ${value}`);
          const read = document.get("key", true);
          fc.pre(document.errors.length === 0 && isScalar(read));
          expect(plainValue(value)).toEqual(read.toJS(document));
        }),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });

    test("a plain scalar's value is the first of the core schema's forms it matches", () => {
      // IMPLICIT tried in order, form by form: what plainValue's shortcuts must agree with.
      const byTable = (value: string): unknown => {
        for (const [, forms] of IMPLICIT) {
          for (const [form, construct] of forms) if (form.test(value)) return construct(value);
        }
        return value;
      };
      const near = fc.oneof(
        fc.stringMatching(/^[0-9.]{0,8}$/),
        fc.stringMatching(/^[-+0-9.eExXoOa-fA-F]{0,8}$/),
        fc.constantFrom("true", "false", "True", "FALSE", "tRue", "null", "~", "", ".", "0.", ".5"),
        text,
      );
      fc.assert(
        fc.property(near, (value) => {
          expect(plainValue(value)).toEqual(byTable(value));
        }),
        { numRuns: RUNS * 10, seed: SEED },
      );
    });

    test("whether a plain scalar may be other than text", () => {
      fc.assert(
        fc.property(text, (value) => {
          expect(mayNotBeText(value)).toBe(MAY_NOT_BE_TEXT.test(value));
        }),
        { numRuns: RUNS * 5, seed: SEED },
      );
    });

    test("values and lines of megabytes, where those expressions overflow the stack", () => {
      const long = "a:b ".repeat(2_500_000);
      expect(plainEnd(long, 0, true)).toBe(long.length);
      expect(readBlockYaml(`key: ${long}x\n`)).toEqual({ key: `${long}x` });
      const dashes = "- ".repeat(5_000_000);
      expect(lineStart(`${dashes}key: x`)).toBe(`${dashes}key: `);
      // Nested deeper than the fast reader follows: the parsers say how deep a file may nest.
      const keys = Array.from({ length: 5000 }, (_, i) => `${" ".repeat(i)}k:\n`);
      expect(readBlockYaml(`${keys.join("")}${" ".repeat(5000)}k: x\n`)).toBeUndefined();
    });
  });
});
