import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { RosterVersions } from "../../src/core/log/roster-versions.ts";
import { parseYaml } from "../../src/core/yaml.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const EXAMPLE = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
const INVALID = path.join(ROOT, "test/fixtures/invalid");

/** What rota log read from a roster before: the yaml package's data of the whole file, or null. */
function whole(text: string): unknown {
  const yaml = parseYaml(text, "roster.yaml");
  return yaml.ok ? yaml.yaml.value : null;
}

/** The same data, keys in the same order (JSON keeps the order; toEqual the NaNs and -0s). */
function expectSame(got: unknown, want: unknown) {
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
  expect(got).toEqual(want);
}

const edits: [string, (text: string) => string][] = [
  ["unchanged", (t) => t],
  ["a person renamed", (t) => t.replace("name: Ada Lovelace", "name: Ada King")],
  ["a key added", (t) => `${t}\npeople_note: later\n`],
  [
    "a person added",
    (t) => t.replace("  - id: grace\n", "  - { id: zed, name: Zed }\n  - id: grace\n"),
  ],
  [
    "a swap added",
    (t) =>
      t.replace(
        "swaps:\n",
        "swaps:\n  - { date: 2026-12-10, shift: emea, out: ada, in: grace } # cover\n",
      ),
  ],
  ["comments only", (t) => t.replace(/# .*$/gm, "# another comment")],
  ["a blank line between items", (t) => t.replace("\n  - id: grace\n", "\n\n  - id: grace\n")],
  [
    "a comment at the margin between items",
    (t) => t.replace("\n  - id: grace\n", "\n# x\n  - id: grace\n"),
  ],
  ["keys reordered", (t) => t.replace(/^version: 1\n(team: .*\n)/m, "$1version: 1\n")],
  ["a key twice", (t) => `${t}\nteam: Other\n`],
  ["a person's key twice", (t) => t.replace("  - id: grace\n", "  - id: grace\n    id: grace2\n")],
  ["broken YAML", (t) => t.replace("people:\n", "people: [\n")],
  [
    "a quoted string over lines that look like items",
    (t) => t.replace("name: Ada Lovelace", 'name: "Ada\n  - id: fake\n  Lovelace"'),
  ],
  [
    "a quoted string over a line at the margin",
    (t) => t.replace("name: Ada Lovelace", 'name: "Ada\nteam: fake"'),
  ],
  [
    "a flow mapping over lines",
    (t) => t.replace("  - id: grace\n", "  - { id: grace0,\n  - x }\n  - id: grace\n"),
  ],
  [
    "a block scalar",
    (t) => t.replace("name: Ada Lovelace", "name: |\n      Ada\n\n      - Lovelace\n"),
  ],
  ["a sequence at the margin", (t) => t.replace(/^ {2}- id: /gm, "- id: ")],
  ["an anchor and an alias", (t) => t.replace("team: Acme", "team: &t Acme\nalso: *t")],
  ["a merge key", (t) => t.replace("  - id: grace\n", "  - <<: {team: x}\n    id: grace\n")],
  ["a tag", (t) => t.replace("team: Acme", "team: !!str Acme")],
  ["a tab", (t) => t.replace("team: Acme", "team:\tAcme")],
  ["CRLF line ends", (t) => t.replace(/\n/g, "\r\n")],
  ["a complex key", (t) => `${t}\n? [a, b]\n: c\n`],
  ["__proto__", (t) => `${t}\n__proto__: { polluted: true }\n`],
  ["a document marker", (t) => `---\n${t}`],
  ["a document end", (t) => `${t}\n...\n`],
  ["two documents", (t) => `${t}\n---\nteam: x\n`],
  ["a directive", (t) => `%YAML 1.2\n---\n${t}`],
  ["an indented preamble", (t) => `  # indented comment\n${t}`],
  ["a value at the margin", (t) => `${t}\nplain words\n`],
  ["a list document", () => "- a\n- b\n"],
  ["a scalar document", () => "just words\n"],
  ["empty", () => ""],
  ["comments only, no data", () => "# nothing yet\n"],
  ["an empty sequence item", (t) => t.replace("  - id: grace\n", "  -\n  - id: grace\n")],
  [
    "numbers and nulls",
    (t) => `${t}\nodd: [0o17, 0x1F, .inf, -.Inf, .nan, ~, null, 1e3, +12, -0]\n`,
  ],
  ["a key with no space after it", (t) => `${t}\nkey:value\n`],
  [
    "less indented lines inside a sequence",
    (t) => t.replace("  - id: grace\n", "  - id: grace\n x: 1\n"),
  ],
];

describe("rota log reads past rosters as the whole-file parser does", () => {
  test("every edit of the example, read one after another with pieces shared", () => {
    expect(EXAMPLE).toContain("name: Ada Lovelace");
    expect(EXAMPLE).toContain("\n  - id: grace\n");
    expect(EXAMPLE).toContain("swaps:\n");
    const versions = new RosterVersions();
    for (const [name, edit] of edits) {
      const text = edit(EXAMPLE);
      if (name !== "unchanged") expect(text, name).not.toBe(EXAMPLE);
      expectSame(versions.read(text, "roster.yaml"), whole(text));
      // A second time, from what the first read kept.
      expectSame(versions.read(text, "roster.yaml"), whole(text));
    }
  });

  test("the fixtures of invalid rosters, each alone and after the others", () => {
    const shared = new RosterVersions();
    const files = readdirSync(INVALID).filter((file) => file.endsWith(".yaml"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(path.join(INVALID, file), "utf8");
      expectSame(new RosterVersions().read(text, file), whole(text));
      expectSame(shared.read(text, file), whole(text));
    }
  });

  test("a person who did not change is the very same object in the next version", () => {
    const versions = new RosterVersions();
    const before = versions.read(EXAMPLE, "roster.yaml") as { people: { id: string }[] };
    const after = versions.read(
      EXAMPLE.replace("name: Ada Lovelace", "name: Ada King"),
      "roster.yaml",
    ) as { people: { id: string }[] };
    const grace = (r: typeof before) => r.people.find((p) => p.id === "grace");
    const ada = (r: typeof before) => r.people.find((p) => p.id === "ada");
    expect(grace(after)).toBe(grace(before));
    expect(ada(after)).not.toBe(ada(before));
    expect(ada(after)).toMatchObject({ name: "Ada King" });
  });

  test("a large roster, mostly read once: many new items at a time and a few", () => {
    const people = (from: number, to: number) =>
      Array.from(
        { length: to - from },
        (_, i) => `  - { id: p${from + i}, name: "Person ${from + i}", weight: ${i % 3} }\n`,
      ).join("");
    const versions = new RosterVersions();
    const texts = [
      `version: 1\npeople:\n${people(0, 500)}`,
      `version: 1\npeople:\n${people(0, 500)}  - { id: q, name: Q }\n`,
      `version: 1\npeople:\n${people(100, 700)}`,
      `version: 1\npeople:\n${people(100, 700).replace("p300,", "p300, extra: 1,")}`,
    ];
    for (const text of texts) expectSame(versions.read(text, "roster.yaml"), whole(text));
  });
});
