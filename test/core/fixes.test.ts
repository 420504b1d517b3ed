import { describe, expect, test } from "vitest";
import {
  applyFixAction,
  fixFigures,
  fixId,
  fixItems,
  parseFixes,
  renderFixes,
} from "../../src/core/fixes.ts";
import { formatProblem } from "../../src/core/problems.ts";
import type { NoteRecord } from "../../src/core/report/notes.ts";

function note(date: string, person: string, fixes: string[]): NoteRecord {
  return {
    file: `notes/${date.slice(0, 4)}/${date.slice(5, 7)}/${date}-day-${person}.md`,
    occurrence: `${date}/day`,
    date,
    shift: "day",
    person,
    tags: [],
    entries: fixes.map((fix, i) => ({ written: `${date}T17:0${i}:00Z`, answers: { fix } })),
    numbers: {},
  };
}

const NOTES = [
  note("2026-11-02", "ann", ["Document SSO"]),
  // Two entries: the same answer is one fix; a changed one is another.
  note("2026-11-09", "bob", ["Refund button", "Refund button", "Refunds in one click"]),
  note("2026-11-16", "cat", ["  "]),
];

/** A refused fixes.yaml's problems, as rota prints them. */
function messages(parsed: ReturnType<typeof parseFixes>): string[] {
  return parsed.ok ? [] : parsed.problems.map(formatProblem);
}

describe("fixes", () => {
  test("each distinct fix answer is an item with an id from its note and text", () => {
    const items = fixItems(NOTES);
    expect(items.map((i) => [i.person, i.text])).toEqual([
      ["ann", "Document SSO"],
      ["bob", "Refund button"],
      ["bob", "Refunds in one click"],
    ]);
    expect(items[0]?.id).toBe(fixId(NOTES[0]?.file ?? "", "Document SSO"));
    expect(items[0]?.id).toMatch(/^[0-9a-f]{10}$/);
    expect(new Set(items.map((i) => i.id)).size).toBe(3);
  });

  test("figures: proposed in the window against done, and open ones oldest first with their age", () => {
    const items = fixItems(NOTES);
    const [sso, button, oneClick] = items;
    const states = new Map([
      [button?.id ?? "", { status: "done" as const, links: [] }],
      [oneClick?.id ?? "", { status: "open" as const, links: ["https://example.com/1"] }],
    ]);
    const figures = fixFigures(items, states, "2026-11-09", "2026-11-20");
    expect(figures).toMatchObject({ proposed: 2, done: 1, wontfix: 0, open: 1 });
    expect(figures.openList.map((f) => [f.text, f.age, f.links])).toEqual([
      [sso?.text, 18, []],
      [oneClick?.text, 11, ["https://example.com/1"]],
    ]);
  });

  test("fixes.yaml round-trips, and a broken one is refused with its line", () => {
    const [item] = fixItems(NOTES);
    if (!item) throw new Error("no item");
    const done = applyFixAction(undefined, item, "done", undefined, "2026-11-20");
    if (typeof done === "string") throw new Error(done);
    const linked = applyFixAction(done, item, "link", "https://example.com/2", "2026-11-21");
    if (typeof linked === "string") throw new Error(linked);
    expect(linked).toMatchObject({ status: "done", changed: "2026-11-20" });
    const text = renderFixes(new Map([[item.id, linked]]));
    const parsed = parseFixes(text, "fixes.yaml");
    expect(parsed).toEqual({ ok: true, fixes: new Map([[item.id, linked]]) });

    expect(applyFixAction(undefined, item, "finished", undefined, "2026-11-20")).toContain(
      "use done, wontfix, open or link URL",
    );
    expect(applyFixAction(undefined, item, "link", "ftp://x", "2026-11-20")).toContain(
      "needs an http(s) address",
    );
    const broken = parseFixes("version: 1\nfixes:\n  abc: [\n", "fixes.yaml");
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.problems[0]).toMatchObject({ file: "fixes.yaml", line: 4, col: 1 });
    const status = parseFixes("version: 1\nfixes:\n  abc: { status: finished }\n", "fixes.yaml");
    expect(!status.ok && messages(status)).toEqual([
      'fixes.yaml:3:18: fix abc: status must be open, done or wontfix, not "finished"',
    ]);
  });

  test("fixes.yaml: what rota would not read as written is refused at its line", () => {
    const refused = (text: string) => {
      const parsed = parseFixes(`version: 1\nfixes:\n${text}`, "fixes.yaml");
      return parsed.ok ? "read" : messages(parsed).join("\n");
    };
    expect(refused("  abc: done\n")).toBe(
      'fixes.yaml:3:8: fix abc: "done" is not a mapping; write its status on the line under the id, indented: `status: done`',
    );
    expect(refused("  abc:\n    statuss: done\n")).toBe(
      'fixes.yaml:4:5: fix abc: unknown key "statuss" (an entry holds status, changed, links, text); did you mean "status"?',
    );
    expect(refused("  abc:\n    text: x\n    status: finished\n")).toBe(
      'fixes.yaml:5:13: fix abc: status must be open, done or wontfix, not "finished"',
    );
    expect(refused("  abc:\n    changed: soon\n")).toBe(
      "fixes.yaml:4:14: fix abc: changed must be a date, YYYY-MM-DD",
    );
    // The shape of a date is not enough: the day must exist.
    expect(refused("  abc:\n    changed: 2026-13-45\n")).toBe(
      "fixes.yaml:4:14: fix abc: changed: 2026-13-45 is not a real date: there is no month 13; write the day the status changed, YYYY-MM-DD",
    );
    expect(refused("  abc:\n    changed: 2026-02-30\n")).toBe(
      "fixes.yaml:4:14: fix abc: changed: 2026-02-30 is not a real date: February 2026 has 28 days; write the day the status changed, YYYY-MM-DD",
    );
    expect(refused("  abc:\n    changed: 0000-00-00\n")).toContain(
      "fixes.yaml:4:14: fix abc: changed: 0000-00-00 is not a real date: there is no month 0",
    );
    expect(refused("  abc:\n    changed: 2028-02-29\n")).toBe("read");
    expect(refused("  abc:\n    links: [ftp://x]\n")).toBe(
      "fixes.yaml:4:12: fix abc: links must be a list of http(s) addresses",
    );
    expect(messages(parseFixes("version: 1\nfixs:\n  abc: {}\n", "fixes.yaml"))).toEqual([
      'fixes.yaml:2:1: unknown key "fixs" (the file holds `version: 1` and `fixes:`); did you mean "fixes"?',
    ]);
    // An id with nothing under it is open.
    expect(parseFixes("version: 1\nfixes:\n  abc:\n", "fixes.yaml")).toEqual({
      ok: true,
      fixes: new Map([["abc", { status: "open", links: [] }]]),
    });
  });

  test("fixes.yaml with merge-conflict markers names the conflict and how to resolve it", () => {
    const text =
      "version: 1\nfixes:\n  abc:\n<<<<<<< HEAD\n    status: done\n=======\n    status: wontfix\n>>>>>>> theirs\n";
    expect(messages(parseFixes(text, "fixes.yaml"))).toEqual([
      "fixes.yaml:4:1: unresolved merge conflict, lines 4–8 (<<<<<<< at 4, ======= at 6, >>>>>>> at 8): keep the lines that say what became of each fix and delete the others and the marker lines, then `git add fixes.yaml`",
    ]);
  });

  test("marking a fix done again keeps the day its status changed", () => {
    const [item] = fixItems(NOTES);
    if (!item) throw new Error("no item");
    const done = applyFixAction(undefined, item, "done", undefined, "2026-11-24");
    if (typeof done === "string") throw new Error(done);
    expect(applyFixAction(done, item, "done", undefined, "2026-11-27")).toMatchObject({
      status: "done",
      changed: "2026-11-24",
    });
    expect(applyFixAction(done, item, "open", undefined, "2026-11-27")).toMatchObject({
      status: "open",
      changed: "2026-11-27",
    });
  });
});
