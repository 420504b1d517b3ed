import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import fc from "fast-check";
import { fromMarkdown } from "mdast-util-from-markdown";
import { describe, expect, test } from "vitest";
import { parse as parseYamlText } from "yaml";
import {
  coerceAnswer,
  normalizeTag,
  parseAnswersFile,
  resolveAnswers,
} from "../../src/core/notes/answers.ts";
import { escapeText, unescapeText } from "../../src/core/notes/format.ts";
import {
  addedEntries,
  answersFor,
  appendToNote,
  entryHolds,
  lostText,
  type NoteEntry,
  type NoteMeta,
  notePath,
  parseNote,
  renderNewNote,
} from "../../src/core/notes/note.ts";
import { findNotesShift } from "../../src/core/notes/shift.ts";
import {
  type Answer,
  parseTemplate,
  type Question,
  type Template,
} from "../../src/core/notes/template.ts";
import type { ScheduleEntry } from "../../src/core/schedule/schedule.ts";
import { ADA_META, builtInTemplate } from "../helpers/notes.ts";

const LATER: NoteMeta = {
  ...ADA_META,
  written: "2026-11-24T09:30:00+01:00",
  writtenText: "2026-11-24 09:30 CET",
};

function parsed(text: string) {
  const result = parseNote(text, "note.md");
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
}

/** Template problems as `line:col: message`, for compact expectations. */
function templateProblems(text: string): string[] {
  const result = parseTemplate(text, "t.md");
  return result.ok ? [] : result.problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
}

describe("the built-in template", () => {
  test("asks the six questions of the issue, with their ids and types", () => {
    const template = builtInTemplate();
    expect(template.questions.map((q) => [q.id, q.type, q.required])).toEqual([
      ["struggles", "long", true],
      ["surprised", "long", false],
      ["fix", "text", true],
      ["handled", "number", false],
      ["tags", "tags", false],
      ["mood", "rating", false],
    ]);
    expect(template.questions.find((q) => q.id === "handled")).toMatchObject({
      min: 0,
      integer: true,
    });
  });
});

describe("template problems are reported with their positions, all at once", () => {
  test("no front matter", () => {
    expect(templateProblems("# Notes\n\n{{fix}}\n")).toEqual([
      "1:1: a notes template starts with YAML front matter between --- lines that lists the questions",
    ]);
  });

  test("front matter with no closing --- is said to be so", () => {
    expect(templateProblems("---\nquestions:\n  - { id: fix, prompt: Fix? }\n\n{{fix}}\n")).toEqual(
      [
        "1:1: the front matter opened by --- on line 1 has no closing --- line: add one where the questions end, before the layout",
      ],
    );
  });

  test("question mistakes", () => {
    const text = [
      "---", // 1
      "questions:", // 2
      "  - id: fix", // 3
      "    prompt: One thing to fix", // 4
      "    type: txt", // 5
      "  - id: fix", // 6
      "    prompt: Again", // 7
      "  - id: date", // 8
      "    prompt: A reserved id", // 9
      "  - id: Mood", // 10
      "    prompt: Not a slug", // 11
      "  - id: pick", // 12
      "    prompt: Pick one", // 13
      "    type: choice", // 14
      "  - id: n", // 15
      "    prompt: How many", // 16
      "    type: number", // 17
      "    default: many", // 18
      "    requird: true", // 19
      "---",
      "",
    ].join("\n");
    expect(templateProblems(text)).toEqual([
      '5:11: type must be one of text, long, number, rating, tags, yesno, choice; did you mean "text"?',
      '6:9: duplicate question id "fix" (first at line 3)',
      '8:9: id "date" is reserved for a fact about the shift; choose another',
      '10:9: id "Mood" is not a lowercase slug (a-z, 0-9, "-" and "_")',
      "12:5: a choice question needs a list of choices",
      '18:14: default: expected a number, not "many"',
      '19:5: unknown key "requird" in a question; did you mean "required"?',
    ]);
  });

  test("body mistakes", () => {
    const text = [
      "---",
      "questions:",
      "  - { id: struggles, prompt: What was hard?, type: long }",
      "  - { id: mood, prompt: How was it?, type: rating }",
      "---",
      "## {{date}} {{persn}}", // 6
      "Struggles: {{struggles}}", // 7
      "{{mood}} and {{ mood }}", // 8
      "<!-- rota:entry x -->", // 9
      "",
    ].join("\n");
    expect(templateProblems(text)).toEqual([
      '6:13: unknown placeholder {{persn}}; did you mean "person"?',
      "7:12: {{struggles}} is a long answer that may span lines: put it alone at the start of its own line",
      "8:14: {{mood}} appears twice; each answer has one place",
      '9:1: "<!-- rota:" is reserved for the markers rota writes into notes',
    ]);
  });

  test("characters that act instead of showing, which every note would copy, are refused where they stand", () => {
    const text = [
      "---",
      "questions:",
      "  - { id: fix, prompt: Fix? }",
      "---",
      "### What \u001b[2J\u001b]0;title\u0007 surprised me", // 5
      "\tindented, then \u202eevil", // 6
      "{{fix}}",
      "",
    ].join("\n");
    expect(templateProblems(text)).toEqual([
      "5:10: the template contains U+001B (a control character); remove it",
      "5:14: the template contains U+001B (a control character); remove it",
      "5:23: the template contains U+0007 (a control character); remove it",
      "6:17: the template contains U+202E (a bidi control, which makes text read differently than it is stored); remove it",
    ]);
  });
});

describe("a template git left conflicted", () => {
  test("each conflicted part is one problem at its first marker, before any other", () => {
    const text = [
      "---", // 1
      "questions:", // 2
      "<<<<<<< HEAD", // 3
      "  - { id: fix, prompt: Fix? }", // 4
      "=======", // 5
      "  - { id: fix, prompt: One thing to fix?, tpye: text }", // 6
      ">>>>>>> feature", // 7
      "---", // 8
      "{{fix}}", // 9
      ">>>>>>> stray", // 10
      "",
    ].join("\n");
    expect(templateProblems(text)).toEqual([
      "3:1: unresolved merge conflict, lines 3–7 (<<<<<<< at 3, ======= at 5, >>>>>>> at 7): edit the lines to what the template should say and delete the marker lines, then `git add t.md`",
      "10:1: a merge-conflict marker left in the template, line 10: edit the lines to what the template should say and delete the marker lines, then `git add t.md`",
    ]);
    expect(templateProblems(text.replaceAll("\n", "\r\n"))).toHaveLength(2);
  });

  test("a heading underlined with ======= is none, as in the notes it writes", () => {
    const text = "---\nquestions:\n  - { id: fix, prompt: Fix? }\n---\nFix\n=======\n{{fix}}\n";
    expect(templateProblems(text)).toEqual([]);
  });
});

describe("answers are coerced to their question's type", () => {
  const q = (type: Question["type"], extra: Partial<Question> = {}): Question => ({
    id: "x",
    prompt: "x",
    type,
    required: false,
    ...extra,
  });
  test.each<[Question, unknown, Answer | undefined | string]>([
    [q("number", { integer: true, min: 0 }), "12", 12],
    [q("number", { integer: true, min: 0 }), 12, 12],
    [q("number"), " 2.5 ", 2.5],
    [q("number", { integer: true }), "2.5", 'error: expected a whole number, not "2.5"'],
    [q("number", { min: 0 }), "-1", "error: expected at least 0, not -1"],
    [q("number"), "twelve", 'error: expected a number, not "twelve"'],
    [q("number"), "0x10", 'error: expected a number, not "0x10"'],
    [q("rating"), "5", 5],
    [q("rating"), 0, "error: expected a rating from 1 to 5, not 0"],
    [q("rating"), "4.5", 'error: expected a rating from 1 to 5, not "4.5"'],
    [q("tags"), "Billing, #SSO, billing,, Login Page", ["billing", "sso", "login-page"]],
    [q("tags"), ["a", "B", 3], ["a", "b", "3"]],
    [q("tags"), " , ", undefined],
    [q("yesno"), "Yes", true],
    [q("yesno"), "n", false],
    [q("yesno"), false, false],
    [q("yesno"), "maybe", 'error: expected yes or no, not "maybe"'],
    [q("choice", { choices: ["web", "Mobile app"] }), "mobile app", "Mobile app"],
    [
      q("choice", { choices: ["web", "mobile"] }),
      "mobil",
      'error: expected one of "web", "mobile", not "mobil"; did you mean "mobile"?',
    ],
    [q("text"), "\r\n\n  two lines\r\nhere  \n\n", "  two lines\nhere"],
    [q("text"), 42, "42"],
    [q("text"), "   ", undefined],
    [q("long"), "bell\u0007", "error: the text contains U+0007 (a control character); remove it"],
    [
      q("text"),
      "right\u202eto left",
      "error: the text contains U+202E (a bidi control, which makes text read differently than it is stored); remove it",
    ],
    [q("long"), "a\u2028b", "error: the text contains U+2028 (a line separator); remove it"],
    [q("tags"), "ok, a\u0085b", "error: a tag contains U+0085 (a control character); remove it"],
    [q("long"), { a: 1 }, "error: expected text, not a mapping"],
    // What YAML's !!binary and !!timestamp give: said as they are, not as mappings.
    [q("long"), new Uint8Array([104, 105]), "error: expected text, not binary data (!!binary)"],
    [
      q("tags"),
      new Uint8Array([104, 105]),
      "error: expected a list of tags or a comma-separated line, not binary data (!!binary)",
    ],
    [q("text"), new Date(0), "error: expected text, not a timestamp (!!timestamp)"],
    [q("number"), Number.POSITIVE_INFINITY, "error: expected a number, not Infinity"],
    [
      q("number"),
      "99999999999999999999999999",
      'error: expected a number no larger than 9007199254740991, not "99999999999999999999999999"',
    ],
    [q("number"), "-0", 0],
  ])("%#: %j", (question, raw, expected) => {
    const result = coerceAnswer(question, raw);
    expect(result.ok ? result.value : `error: ${result.message}`).toEqual(expected);
    if (result.ok && typeof expected === "number")
      expect(Object.is(result.value, expected)).toBe(true);
  });

  test("tags are normalized so that counts add up", () => {
    expect(normalizeTag("  ##Billing Portal ")).toBe("billing-portal");
  });

  test("an answers file is a mapping from id to answer", () => {
    const read = parseAnswersFile("fix: the login page\nmood: 4\n", "a.yaml");
    expect(read.ok && [...read.answers.entries()]).toEqual([
      ["fix", { value: "the login page", source: "a.yaml:1: fix" }],
      ["mood", { value: 4, source: "a.yaml:2: mood", written: "4" }],
    ]);
    expect(parseAnswersFile("# nothing\n\n", "a.yaml")).toMatchObject({ ok: true });
    const list = parseAnswersFile("- a\n", "a.yaml");
    expect(list.ok ? [] : list.problems.map((p) => `${p.line}:${p.col}`)).toEqual(["1:1"]);
  });
});

describe("answers read from YAML", () => {
  const template = parseTemplate(
    [
      "---",
      "questions:",
      "  - { id: fix, prompt: Fix? }",
      "  - { id: story, prompt: Story?, type: long, default: 0123 }",
      "  - { id: handled, prompt: How many?, type: number, default: 0123 }",
      "  - { id: channel, prompt: Where?, type: choice, choices: ['1.0', '2.0'] }",
      "  - { id: tags, prompt: Tags?, type: tags }",
      "  - { id: more, prompt: More?, type: yesno }",
      "---",
      "",
    ].join("\n"),
    "t.md",
  );
  if (!template.ok) throw new Error(JSON.stringify(template.problems));
  const resolved = (text: string) => {
    const read = parseAnswersFile(text, "a.yaml");
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    return resolveAnswers(template.template, read.answers);
  };

  test("text, choices and tags keep numbers and booleans as written; numbers and yes/no are read", () => {
    expect(
      resolved(
        "fix: 3.10\nstory: 1e3\nhandled: 0123\nchannel: 1.0\ntags: [1.10, true, x]\nmore: true\n",
      ),
    ).toEqual({
      answers: {
        fix: "3.10",
        story: "1e3",
        handled: 123,
        channel: "1.0",
        tags: ["1.10", "true", "x"],
        more: true,
      },
      problems: [],
    });
    expect(resolved("fix: false\nstory: -0\n").answers).toEqual({ fix: "false", story: "-0" });
  });

  test("nothing is still no answer: ~, null or an empty value", () => {
    expect(resolved("fix: ~\nstory: null\nhandled:\n")).toEqual({ answers: {}, problems: [] });
  });

  test("a text question's default keeps the text as written too", () => {
    const byId = new Map(template.template.questions.map((q) => [q.id, q.default]));
    expect(byId.get("story")).toBe("0123");
    expect(byId.get("handled")).toBe(123);
  });

  test("a carriage return alone or CRLF ends a line, as YAML says", () => {
    for (const newline of ["\r", "\r\n"]) {
      const text = ["fix: the login page", "story: |", "  Two", "  lines", "handled: 4", ""].join(
        newline,
      );
      const read = parseAnswersFile(text, "a.yaml");
      expect(read.ok && [...read.answers.values()].map((a) => a.source)).toEqual([
        "a.yaml:1: fix",
        "a.yaml:2: story",
        "a.yaml:5: handled",
      ]);
      expect(resolved(text).answers).toEqual({
        fix: "the login page",
        story: "Two\nlines",
        handled: 4,
      });
    }
  });
});

describe("a note", () => {
  const answers: Record<string, Answer> = {
    struggles: "Setting up SSO.\n\n- Okta\n- Azure AD",
    fix: "Document the SAML metadata URL",
    handled: 14,
    tags: ["sso", "billing"],
    mood: 4,
  };

  test("is markdown with YAML front matter, at notes/YYYY/MM/<date>-<shift>-<person>.md", () => {
    expect(notePath("2026-11-23", "emea", "ada")).toBe("notes/2026/11/2026-11-23-emea-ada.md");
    const text = renderNewNote(builtInTemplate(), ADA_META, answers);
    const [, frontMatter, body] = text.split(/^---$/m);
    expect(parseYamlText(frontMatter as string)).toEqual({
      occurrence: "2026-11-23/emea",
      date: "2026-11-23",
      shift: "emea",
      person: "ada",
      team: "support",
      tags: ["sso", "billing"],
      handled: 14,
      mood: 4,
    });
    expect(text).toMatchSnapshot();
    // The markdown as a renderer reads it: the template's headings and list,
    // the markers as (hidden) HTML, the answer's own list as a list.
    const tree = fromMarkdown((body as string).slice(1));
    const kinds = tree.children.map((node) =>
      node.type === "heading"
        ? `h${node.depth}`
        : node.type === "html"
          ? node.value.replace(/ -->$/, "").replace("<!-- rota:", "")
          : node.type,
    );
    expect(kinds).toEqual([
      "entry 2026-11-23T17:05:00+01:00",
      "h2",
      "paragraph",
      "h3",
      "answer struggles long",
      "paragraph",
      "list",
      "end struggles",
      "h3",
      "answer surprised long",
      "end surprised",
      "h3",
      "answer fix text",
      "paragraph",
      "end fix",
      "list",
    ]);
  });

  test("reads back: front matter and every answer by question id", () => {
    const { note, warnings } = parsed(renderNewNote(builtInTemplate(), ADA_META, answers));
    expect(warnings).toEqual([]);
    expect(note.frontMatter).toMatchObject({
      occurrence: "2026-11-23/emea",
      person: "ada",
      team: "support",
      tags: ["sso", "billing"],
      numbers: { handled: 14, mood: 4 },
    });
    expect(note.entries).toHaveLength(1);
    expect(note.entries[0]).toMatchObject({ written: ADA_META.written, line: 11, answers });
    expect(note.entries[0]?.types).toMatchObject({ struggles: "long", handled: "number" });
  });

  test("appending keeps every earlier byte, merges tags and takes the latest numbers", () => {
    const template = builtInTemplate();
    const first = renderNewNote(template, ADA_META, answers);
    const result = appendToNote(first, "note.md", template, LATER, {
      struggles: "Invoices in the wrong currency",
      fix: "Currency on invoices",
      tags: ["billing", "invoices"],
      mood: 2,
    });
    expect(result.ok).toBe(true);
    const text = (result as { text: string }).text;
    const body = (t: string) => t.slice(t.indexOf("<!-- rota:entry"));
    expect(body(text).startsWith(body(first))).toBe(true);
    expect(body(text).slice(body(first).length)).toMatch(/^\n<!-- rota:entry 2026-11-24T09:30/);
    const { note } = parsed(text);
    expect(note.frontMatter.tags).toEqual(["sso", "billing", "invoices"]);
    expect(note.frontMatter.numbers).toEqual({ handled: 14, mood: 2 });
    expect(note.entries.map((e) => e.answers.fix)).toEqual([
      "Document the SAML metadata URL",
      "Currency on invoices",
    ]);
    expect(answersFor(note, "handled")).toEqual([14]);
    expect(answersFor(note, "mood")).toEqual([4, 2]);
  });

  test("appending keeps comments and hand-added keys in the front matter, and CRLF line ends", () => {
    const template = builtInTemplate();
    const first = renderNewNote(template, ADA_META, answers)
      .replace("tags:", "# reviewed by grace\nreviewed: true\ntags:")
      .replaceAll("\n", "\r\n");
    const result = appendToNote(first, "note.md", template, LATER, { fix: "x", struggles: "y" });
    const text = (result as { text: string }).text;
    expect(text).toContain("# reviewed by grace\r\nreviewed: true\r\n");
    expect(text.replaceAll("\r\n", "")).not.toContain("\n");
    const originalBody = first.slice(first.indexOf("<!-- rota:entry"));
    expect(text).toContain(originalBody);
    expect(parsed(text).note.entries).toHaveLength(2);
  });

  test("appending to a note whose lines end in a carriage return alone keeps one front matter, and its line ends", () => {
    const template = builtInTemplate();
    const first = renderNewNote(template, ADA_META, answers).replaceAll("\n", "\r");
    const result = appendToNote(first, "note.md", template, LATER, { fix: "x", struggles: "y" });
    const text = (result as { text: string }).text;
    expect(text).not.toContain("\n");
    expect(text.split("\r").filter((line) => line === "---")).toHaveLength(2);
    expect(text.startsWith("---\roccurrence:")).toBe(true);
    expect(text).toContain(first.slice(first.indexOf("<!-- rota:entry")));
    expect(parsed(text).note.entries).toHaveLength(2);
  });

  test("appending keeps comments on the tags and numbers it updates", () => {
    const template = builtInTemplate();
    const flow = renderNewNote(template, ADA_META, answers)
      .replace("tags: [sso, billing]", "tags: [sso, billing] # keep: reviewed")
      .replace("handled: 14", "handled: 14 # roughly");
    const more = { fix: "x", struggles: "y", tags: ["billing", "invoices"], handled: 20 };
    const text = (appendToNote(flow, "note.md", template, LATER, more) as { text: string }).text;
    expect(text).toContain("\ntags: [sso, billing, invoices] # keep: reviewed\n");
    expect(text).toContain("\nhandled: 20 # roughly\n");

    // A list written by hand in block style, with a comment on an item.
    const block = renderNewNote(template, ADA_META, answers).replace(
      "tags: [sso, billing]",
      "tags: # merged by hand\n  - sso # from the first call\n  - billing",
    );
    const added = (appendToNote(block, "note.md", template, LATER, more) as { text: string }).text;
    expect(added).toContain("# merged by hand\n");
    expect(added).toContain("\n  - sso # from the first call\n  - billing\n  - invoices\n");
    expect(parsed(added).note.frontMatter.tags).toEqual(["sso", "billing", "invoices"]);
  });

  test("appending is refused when the front matter is unreadable or names another person", () => {
    const template = builtInTemplate();
    const first = renderNewNote(template, ADA_META, answers);
    const broken = first.replace("tags: [sso, billing]", "tags: [sso, billing");
    expect(appendToNote(broken, "note.md", template, LATER, answers)).toMatchObject({ ok: false });
    const moved = first.replace("person: ada", "person: grace");
    const refused = appendToNote(moved, "note.md", template, LATER, answers);
    expect(refused.ok ? "" : refused.problems[0]?.message).toMatch(
      /says person grace, but its path says ada; it was edited or moved by hand/,
    );
  });

  test("a question the layout leaves out is added under its prompt", () => {
    const template = parseTemplate(
      "---\nquestions:\n  - { id: fix, prompt: What to fix?, required: true }\n  - { id: ok, prompt: All good?, type: yesno }\n---\n## {{person_name}}\n",
      "t.md",
    );
    expect(template.ok).toBe(true);
    const text = renderNewNote((template as { template: Template }).template, ADA_META, {
      fix: "x",
      ok: false,
    });
    expect(text).toContain(
      "## Ada Lovelace\n\n### What to fix?\n\n<!-- rota:answer fix text -->\nx\n<!-- rota:end fix -->\n\n### All good?\n\n<!-- rota:answer ok yesno -->\nno\n<!-- rota:end ok -->\n",
    );
    expect(parsed(text).note.entries[0]?.answers).toEqual({ fix: "x", ok: false });
  });

  test("a hand-edited note is read as far as it can be, with warnings", () => {
    const text = [
      "---",
      "occurrence: 2026-11-23/emea",
      "person: ada",
      "tags: oops",
      "---",
      "Some words before any entry.",
      "<!-- rota:entry 2026-11-23T17:05:00+01:00 -->",
      "<!-- rota:answer struggles long -->",
      "never closed",
      "<!-- rota:answer handled number -->lots<!-- rota:end handled -->",
      "<!-- rota:answer fix text -->",
      "kept",
      "<!-- rota:end fix -->",
      "",
    ].join("\n");
    const result = parsed(text);
    expect(result.note.entries[0]?.answers).toEqual({ fix: "kept" });
    expect(result.warnings.map((w) => `${w.line}: ${w.message}`)).toEqual([
      "4: tags should be a list",
      '8: the answer "struggles" has no end marker <!-- rota:end struggles -->; it was not read',
      '10: the answer "handled" is not a number: "lots"',
    ]);
    expect(parseNote("no front matter", "n.md")).toMatchObject({ ok: false });
    const unclosed = parseNote(
      "---\noccurrence: 2026-11-23/emea\nperson: ada\n\n## Notes\n",
      "n.md",
    );
    expect(unclosed.ok ? [] : unclosed.problems.map((p) => p.message)).toEqual([
      "the front matter opened by --- on line 1 has no closing --- line: add one after its last field, before the first entry",
    ]);
  });

  test("what a later version adds to it: its new entries, or nothing when it changes more", () => {
    const template = builtInTemplate();
    const one = renderNewNote(template, ADA_META, answers);
    const appended = appendToNote(one, "n.md", template, LATER, { ...answers, fix: "Later" });
    if (!appended.ok) throw new Error(JSON.stringify(appended.problems));
    const two = appended.text;
    expect(addedEntries(one, two)?.map((entry) => entry.answers.fix)).toEqual(["Later"]);
    expect(addedEntries(undefined, two)?.map((entry) => entry.written)).toEqual([
      ADA_META.written,
      LATER.written,
    ]);
    // The same note, or an earlier entry changed beside the new one: no entries added.
    expect(addedEntries(two, two)).toBeUndefined();
    expect(
      addedEntries(one, two.replace("Document the SAML", "Write up the SAML")),
    ).toBeUndefined();
    const [first, second] = parsed(two).note.entries;
    expect(entryHolds(first as NoteEntry, answers)).toBe(true);
    expect(entryHolds(second as NoteEntry, answers)).toBe(false);
    expect(entryHolds(second as NoteEntry, { ...answers, fix: "Later" })).toBe(true);
  });
});

describe("what a note has lost of its last commit", () => {
  const answers: Record<string, Answer> = {
    struggles: "Setting up SSO.",
    fix: "Document the SAML metadata URL",
  };
  const template = builtInTemplate();
  const one = renderNewNote(template, ADA_META, answers);
  const appended = appendToNote(one, "n.md", template, ADA_META, { ...answers, fix: "Later" });
  if (!appended.ok) throw new Error(JSON.stringify(appended.problems));
  // Two entries written in the same minute: their markers hold the same time.
  const two = appended.text;

  test("nothing, where entries are added or changed within", () => {
    expect(lostText(undefined, two)).toBeUndefined();
    expect(lostText(one, two)).toBeUndefined();
    expect(lostText(two, two)).toBeUndefined();
    expect(lostText(two, two.replace("Document the SAML", "Write up the SAML"))).toBeUndefined();
    expect(lostText(two, two.replaceAll("\n", "\r\n"))).toBeUndefined();
    expect(lostText(two, `${two}\n\n`)).toBeUndefined();
    // Not a note any more: appending refuses it before this is asked.
    expect(lostText(two, "no front matter")).toBeUndefined();
  });

  test("entries gone, counted even where they share a time, or the end cut off", () => {
    const frontMatter = two.slice(0, two.indexOf("<!-- rota:entry"));
    expect(lostText(two, frontMatter)).toBe(
      `2 of the 2 entries of its last commit are missing (written ${ADA_META.written})`,
    );
    expect(lostText(two, one)).toBe(
      `1 of the 2 entries of its last commit is missing (written ${ADA_META.written})`,
    );
    for (const cut of [two.length - 20, two.lastIndexOf("<!-- rota:end") + 3]) {
      expect(lostText(two, two.slice(0, cut))).toBe(
        "the end of its last entry is missing (the file is its last commit cut short)",
      );
    }
  });
});

describe("tags in the front matter", () => {
  test("are text to YAML 1.1 readers too: quoted where they would read otherwise", () => {
    const template = builtInTemplate();
    const tricky = [
      "yes",
      "off",
      "y",
      "null",
      "1:20",
      "1_000",
      "012",
      "0b101",
      "2026-11-20",
      ".inf",
    ];
    const plain = ["billing", "sso", "yes-no", "1.2.3", "v2"];
    const answers = { struggles: "s", fix: "f", tags: [...tricky, ...plain] };
    const one = renderNewNote(template, ADA_META, answers);
    const front = (text: string) => text.split("---\n")[1] as string;
    for (const version of ["1.1", "1.2"] as const) {
      expect(parseYamlText(front(one), { version }).tags, version).toEqual([...tricky, ...plain]);
    }
    expect(front(one)).toContain('tags: ["yes", "off", "y", "null", "1:20", "1_000"');
    expect(front(one)).toContain("billing, sso, yes-no, 1.2.3, v2]");
    // Tags a later entry adds, to a list edited in place.
    const edited = one.replace(/tags: \[.*\]/, "tags:\n  - billing");
    const later = appendToNote(edited, "n.md", template, ADA_META, { ...answers, tags: ["on"] });
    if (!later.ok) throw new Error(JSON.stringify(later.problems));
    expect(parseYamlText(front(later.text), { version: "1.1" }).tags).toEqual(["billing", "on"]);
  });

  test("are read back as written by PyYAML too: marks YAML gives a meaning to are quoted", () => {
    const marked = [
      "refund?",
      "?k",
      ":k",
      "=",
      "<<",
      "k?",
      "a:-b",
      "c#",
      "&x",
      "*y",
      "!z",
      "%",
      "@a",
    ];
    const plain = ["billing", "2fa", "1.2.3", "sso-login", "über", "v2 beta"];
    const answers = { struggles: "s", fix: "f", tags: [...marked, ...plain] };
    const front = renderNewNote(builtInTemplate(), ADA_META, answers).split("---\n")[1] as string;
    expect(front).toContain(`${plain.join(", ")}]`);
    for (const tag of marked) expect(front).toContain(JSON.stringify(tag));
    const python = "/usr/bin/python3";
    const script =
      "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())['tags']))";
    const read = existsSync(python)
      ? spawnSync(python, ["-c", script], { input: front, encoding: "utf8" })
      : undefined;
    if (read === undefined || /No module named/.test(read.stderr)) {
      if (process.env.CI === "true") throw new Error("python3-yaml is needed in CI");
      return;
    }
    expect(read.stderr).toBe("");
    expect(JSON.parse(read.stdout)).toEqual([...marked, ...plain]);
  });
});

describe("hostile answers round-trip exactly", () => {
  const HOSTILE = [
    "---",
    "---\nfoo: bar\n---",
    "<!-- rota:end struggles -->",
    "<!--\\ rota:end struggles -->",
    "<!-- rota:entry 2026-01-01T00:00:00Z -->",
    "<!-- rota:answer fix text -->evil<!-- rota:end fix -->",
    "<script>alert(1)</script>",
    "<!-- unclosed comment",
    "# Heading\n## Another\n```\nunclosed fence",
    "key: value\n- [a, b]\n&anchor *alias !!tag",
    "{{fix}} {{date}}",
    "\\\\ backslashes \\",
    "tabs\tand unicode ✓ 🎉 and \u2028 separators",
    "<<<<<<< HEAD\nours\n||||||| base\n=======\ntheirs\n>>>>>>> topic",
    "\\<<<<<<< x\n\\\\=======\n>>>>>>>",
  ];
  test.each(HOSTILE)("%j", (answer) => {
    const template = builtInTemplate();
    const answers = { struggles: answer, fix: answer, tags: [answer.slice(0, 30) || "x"] };
    const coerced = coerceAnswer(template.questions[0] as Question, answer);
    const expected = (coerced as { value: string }).value;
    const text = renderNewNote(template, ADA_META, {
      struggles: expected,
      fix: expected,
      ...(coerceAnswer(template.questions[4] as Question, answers.tags).ok
        ? {
            tags: (
              coerceAnswer(template.questions[4] as Question, answers.tags) as { value: string[] }
            ).value,
          }
        : {}),
    });
    const { note, warnings } = parsed(text);
    expect(warnings).toEqual([]);
    expect(note.entries).toHaveLength(1);
    expect(note.entries[0]?.answers.struggles).toBe(expected);
    expect(note.entries[0]?.answers.fix).toBe(expected);
    expect(note.frontMatter.occurrence).toBe("2026-11-23/emea");
    const appended = appendToNote(text, "n.md", template, LATER, {
      struggles: "after",
      fix: "after",
    });
    const again = parsed((appended as { text: string }).text).note;
    expect(again.entries.map((e) => e.answers.struggles)).toEqual([expected, "after"]);
  });

  test("any text built from dangerous pieces round-trips (property)", () => {
    const pieces = [
      "<!--",
      "-->",
      " rota:",
      "rota:",
      "end ",
      "answer ",
      "entry ",
      "struggles",
      "fix",
      "\\",
      "\n",
      "\r\n",
      "---",
      "#",
      "`",
      "{{",
      "}}",
      ": ",
      "- ",
      " ",
      "a",
      "<<<<<<<",
      "|||||||",
      "=======",
      ">>>>>>>",
      "\t",
    ];
    const template = builtInTemplate();
    const question = template.questions[0] as Question;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const coerced = coerceAnswer(question, parts.join(""));
        if (!coerced.ok || coerced.value === undefined) return;
        const value = coerced.value as string;
        const text = renderNewNote(template, ADA_META, { struggles: value, fix: value });
        const result = parseNote(text);
        expect(result.ok ? result.warnings : result.problems).toEqual([]);
        expect(result.ok && result.note.entries[0]?.answers).toEqual({
          struggles: value,
          fix: value,
        });
        expect(unescapeText(escapeText(value))).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});

describe("the shift a note is for", () => {
  const entry = (id: string, start: string, people: string[]): ScheduleEntry => ({
    id,
    date: id.slice(0, 10),
    shift: id.slice(11),
    start,
    end: start.replace("T09", "T17"),
    people,
    rev: 0,
    changed: "2026-11-01T00:00:00Z",
  });
  const entries = [
    entry("2026-11-20/emea", "2026-11-20T09:00:00+01:00", ["ada", "linus"]),
    entry("2026-11-23/emea", "2026-11-23T09:00:00+01:00", ["grace", "linus"]),
    entry("2026-11-24/emea", "2026-11-24T09:00:00+01:00", ["ada", "jony"]),
    entry("2026-11-30/emea", "2026-11-30T09:00:00+01:00", ["ada", "jony"]),
  ];
  const at = (iso: string) => Date.parse(iso);

  test("is the person's latest that has started, including one in progress", () => {
    expect(findNotesShift(entries, "ada", at("2026-11-23T18:00:00+01:00"))).toMatchObject({
      ok: true,
      entry: { id: "2026-11-20/emea" },
      onIt: true,
    });
    expect(findNotesShift(entries, "ada", at("2026-11-24T10:00:00+01:00"))).toMatchObject({
      entry: { id: "2026-11-24/emea" },
    });
  });

  test("or the one named, which must have started; whether the person was on it is told", () => {
    const now = at("2026-11-25T10:00:00+01:00");
    expect(findNotesShift(entries, "ada", now, "2026-11-23/emea")).toMatchObject({
      ok: true,
      onIt: false,
    });
    expect(findNotesShift(entries, "ada", now, "2026-11-30/emea")).toMatchObject({
      ok: false,
      message: expect.stringContaining("has not started yet"),
    });
    expect(findNotesShift(entries, "ada", now, "2026-11-21/emea")).toMatchObject({
      ok: false,
      message: expect.stringContaining("is not in the schedule"),
    });
    expect(findNotesShift(entries, "steve", now)).toMatchObject({
      ok: false,
      message: expect.stringContaining("steve has no shift in the schedule that has started"),
    });
  });
});
