import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { readSimpleFrontMatter } from "../../src/core/notes/front-matter.ts";
import { parseYaml } from "../../src/core/yaml.ts";

/**
 * The fast front-matter reader must agree with the yaml package on every
 * input it accepts, and hand everything else over (undefined).
 */

const WORDS = [
  "2026-11-23",
  "2026-11-23/emea",
  "ada",
  "late-emea",
  "support",
  "billing-portal",
  "sso",
  "größe",
  "日本",
  "v2.1",
  "a:b",
  "a:",
  "true",
  "True",
  "FALSE",
  "null",
  "Null",
  "~",
  "14",
  "007",
  "-3",
  "+3",
  "1.50",
  "0.5",
  ".5",
  "1e3",
  "0x1F",
  "0o17",
  ".inf",
  "-.inf",
  ".nan",
  "-0",
  "'quoted'",
  '"quoted"',
  "#comment",
  "a #b",
  "a b",
  "&anchor",
  "*alias",
  "!tag x",
  "- item",
  "{a: 1}",
  "[]",
  "[ ]",
  "[sso, billing]",
  "[sso,billing]",
  "[true, x]",
  "[14]",
  "[a:b]",
  "[a, [b]]",
  "",
  " lead",
  "trail ",
  "|",
  ">",
  "@x",
  "`x`",
  "%x",
];
const KEYS = [
  "occurrence",
  "date",
  "shift",
  "person",
  "team",
  "tags",
  "handled",
  "mood",
  "x_y",
  "__proto__",
];

const line = fc.oneof(
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...WORDS)).map(([k, v]) => `${k}: ${v}`),
  fc.constantFrom("", "# a comment", "  nested: 1", "key:", "Key: x", "tags:\n  - a"),
);

describe("readSimpleFrontMatter", () => {
  test("agrees with the yaml package whenever it reads the text", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const yaml = `${lines.join("\n")}\n`;
        const fast = readSimpleFrontMatter(yaml);
        if (!fast) return;
        const full = parseYaml(yaml, "note.md");
        expect(full.ok).toBe(true);
        if (full.ok) expect(fast.value).toEqual(full.yaml.value);
      }),
      { numRuns: 3000 },
    );
  });

  test("reads what rota notes writes, and leaves anything else to the yaml package", () => {
    const written = readSimpleFrontMatter(
      "occurrence: 2026-11-23/emea\ndate: 2026-11-23\nshift: emea\nperson: ada\nteam: support\ntags: [sso, billing]\nhandled: 14\nmood: 4\n",
    );
    expect(written?.value).toEqual({
      occurrence: "2026-11-23/emea",
      date: "2026-11-23",
      shift: "emea",
      person: "ada",
      team: "support",
      tags: ["sso", "billing"],
      handled: 14,
      mood: 4,
    });
    expect(written?.locate(["tags"]).line).toBe(6);
    for (const other of [
      "person: 'ada'\n",
      "person: ada # me\n",
      "tags: [true]\n",
      "person: ada\nperson: grace\n",
      "mood: 1e3\n",
      "person: null\n",
      "tags:\n  - a\n",
    ]) {
      expect(readSimpleFrontMatter(other), other).toBeUndefined();
    }
  });
});
