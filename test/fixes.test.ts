import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fromMarkdown } from "mdast-util-from-markdown";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { rota } from "./helpers/cli.ts";
import { editFile } from "./helpers/edit.ts";
import { AFTER_SHIFTS, teamRepo } from "./helpers/git.ts";

/**
 * The fixes the front line proposes, followed up: `rota fix` records what
 * became of each in fixes.yaml; the report and the digest (`rota report
 * --period`, the same content `rota notify digest` sends) show the open ones.
 */

const at = { ROTA_NOW: AFTER_SHIFTS };

interface Listed {
  id: string;
  text: string;
  person: string;
  status: string;
}

/** A week of notes on roster.example.yaml: three people, each proposing a fix. */
async function repoWithFixes(): Promise<string> {
  const dir = await teamRepo();
  for (const [person, fix] of [
    ["ada", "Document the SAML metadata URL"],
    ["grace", "A setup wizard for Okta"],
    ["katherine", "Show the invoice currency"],
  ] as const) {
    const result = await rota(
      ["notes", "--as", person, "--answer", "struggles=SSO setup", "--answer", `fix=${fix}`],
      { cwd: dir, env: at },
    );
    expect(result.code, result.stderr).toBe(0);
  }
  return dir;
}

async function listed(dir: string): Promise<Listed[]> {
  const result = await rota(["fix", "--json"], { cwd: dir, env: at });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe("rota fix", () => {
  test("a fix marked done leaves the open list of the report and the digest", async () => {
    const dir = await repoWithFixes();
    const before = await listed(dir);
    expect(before.map((f) => [f.person, f.status])).toEqual([
      ["ada", "open"],
      ["grace", "open"],
      ["katherine", "open"],
    ]);
    // Ids are stable: the same notes give the same ids.
    expect((await listed(dir)).map((f) => f.id)).toEqual(before.map((f) => f.id));
    const ada = before[0] as Listed;

    const done = await rota(["fix", ada.id.slice(0, 6), "done"], { cwd: dir, env: at });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain("Document the SAML metadata URL");
    const grace = before[1] as Listed;
    const linked = await rota(["fix", grace.id, "link", "https://github.com/acme/app/issues/12"], {
      cwd: dir,
      env: at,
    });
    expect(linked.code, linked.stderr).toBe(0);

    const file = parse(readFileSync(path.join(dir, "fixes.yaml"), "utf8"));
    expect(file.version).toBe(1);
    expect(file.fixes[ada.id]).toMatchObject({ status: "done", changed: "2026-11-24" });
    expect(file.fixes[grace.id]).toMatchObject({
      status: "open",
      links: ["https://github.com/acme/app/issues/12"],
    });
    expect((await listed(dir)).map((f) => [f.person, f.status])).toEqual([
      ["grace", "open"],
      ["katherine", "open"],
      ["ada", "done"],
    ]);

    const report = JSON.parse((await rota(["report", "--json"], { cwd: dir, env: at })).stdout);
    expect(report.fixes).toMatchObject({ proposed: 3, done: 1, wontfix: 0, open: 2 });
    expect(report.fixes.openList.map((f: Listed) => f.id)).toEqual([grace.id, before[2]?.id]);
    const md = (await rota(["report", "--format", "md"], { cwd: dir, env: at })).stdout;
    expect(md).toContain("3 fixes proposed in the window: 1 done, 0 won't be done, 2 open.");
    expect(md).not.toMatch(/\| Document the SAML metadata URL \|/);
    expect(md).toMatch(/\| A setup wizard for Okta \| \w+ \| Grace Hopper \|/);

    const digest = await rota(["report", "--period", "week", "--format", "md"], {
      cwd: dir,
      env: at,
    });
    expect(digest.code, digest.stderr).toBe(0);
    const tree = fromMarkdown(digest.stdout);
    expect(tree.children[0]).toMatchObject({ type: "heading", depth: 1 });
    expect(digest.stdout).toMatch(/^# What the front line said, Tue 17 Nov – Tue 24 Nov 2026\n/);
    expect(digest.stdout).toContain("1 done");
    const open = digest.stdout.slice(digest.stdout.indexOf("Open, proposed this period:"));
    expect(open).toContain("A setup wizard for Okta");
    expect(open).not.toContain("Document the SAML metadata URL");

    // Marked open again, it is back.
    await rota(["fix", ada.id, "open"], { cwd: dir, env: at });
    const again = JSON.parse((await rota(["report", "--json"], { cwd: dir, env: at })).stdout);
    expect(again.fixes.open).toBe(3);
  });

  test("the previous digest's open fixes come first in the next one", async () => {
    const dir = await repoWithFixes();
    // A week on, with one more fix proposed then.
    const later = { ROTA_NOW: "2026-12-01T18:00:00+01:00" };
    const page = await rota(["report", "--period", "week", "--format", "html"], {
      cwd: dir,
      env: later,
    });
    expect(page.code, page.stderr).toBe(0);
    expect(page.stdout).toMatch(/^<!doctype html>/);
    const from = page.stdout.indexOf("Still open from before:");
    expect(from).toBeGreaterThan(0);
    const since = page.stdout.indexOf("Open, proposed this period:");
    expect(since).toBeGreaterThan(from);
    expect(page.stdout.slice(from, since)).toContain("Document the SAML metadata URL");
    expect(page.stdout.slice(since)).toContain("A setup wizard for Okta");
    expect(page.stdout).not.toContain("<script");
  });

  test("the same fix proposed by several people is one item of the digest", async () => {
    const dir = await teamRepo();
    for (const [person, fix] of [
      ["ada", "Document the SAML metadata URL"],
      ["grace", "document the  SAML metadata URL."],
      ["katherine", "**Document** the SAML metadata URL!"],
    ] as const) {
      const answers = ["--answer", "struggles=SSO setup", "--answer", `fix=${fix}`];
      const result = await rota(["notes", "--as", person, ...answers], { cwd: dir, env: at });
      expect(result.code, result.stderr).toBe(0);
    }
    const digest = await rota(["report", "--period", "week", "--format", "md"], {
      cwd: dir,
      env: at,
    });
    expect(digest.code, digest.stderr).toBe(0);
    const from = digest.stdout.indexOf("Open, proposed this period:");
    const open = digest.stdout.slice(from, digest.stdout.indexOf("Notes missing:", from));
    const tree = fromMarkdown(open);
    const list = tree.children.find((node) => node.type === "list");
    if (list?.type !== "list") throw new Error(`no list in ${open}`);
    // One item: the words of the oldest proposal, how many times, each proposer below it.
    expect(list.children).toHaveLength(1);
    const item = open.split("\n").filter((line) => line.startsWith("- "));
    expect(item).toEqual([
      "- “Document the SAML metadata URL” (proposed 3 times, the first 1 day ago)",
    ]);
    const below = open.split("\n").filter((line) => line.startsWith("  - "));
    expect(below.map((line) => line.split(",")[0])).toEqual([
      "  - Ada Lovelace",
      "  - Grace Hopper",
      "  - Katherine Johnson",
    ]);
    for (const fix of await listed(dir)) expect(open).toContain(fix.id);
  });

  test("--json on a recording prints the fix recorded, as the list shows it", async () => {
    const dir = await repoWithFixes();
    const [first] = await listed(dir);
    const done = await rota(["fix", first?.id.slice(0, 6) ?? "", "done", "--json"], {
      cwd: dir,
      env: at,
    });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toBe("recorded in fixes.yaml; commit it\n");
    const recorded = JSON.parse(done.stdout);
    expect(recorded).toEqual({ ...first, status: "done", changed: "2026-11-24", links: [] });
    expect((await listed(dir)).find((f) => f.id === first?.id)).toEqual(recorded);
    const url = "https://github.com/acme/app/issues/12";
    const linked = await rota(["fix", first?.id ?? "", "link", url, "--json"], {
      cwd: dir,
      env: at,
    });
    expect(linked.code, linked.stderr).toBe(0);
    expect(JSON.parse(linked.stdout)).toEqual({ ...recorded, links: [url] });
  });

  test("mistakes are usage errors that say what to type", async () => {
    const dir = await repoWithFixes();
    const [first] = await listed(dir);
    const unknown = await rota(["fix", "zzzzzz", "done"], { cwd: dir, env: at });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'rota: no fix "zzzzzz" in the notes (`rota fix` lists the fixes and their ids)\n',
    );
    // A typo of an id gets the id; the start of one too short to be sure of, how much to type.
    const typo = `${first?.id.slice(0, 9)}x`;
    const close = await rota(["fix", typo, "done"], { cwd: dir, env: at });
    expect(close.code).toBe(2);
    expect(close.stderr).toBe(
      `rota: no fix "${typo}" in the notes (\`rota fix\` lists the fixes and their ids); did you mean "${first?.id}"?\n`,
    );
    const short = await rota(["fix", first?.id.slice(0, 3) ?? "", "done"], { cwd: dir, env: at });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("is too short to name a fix: type at least 4 characters");
    const action = await rota(["fix", first?.id ?? "", "finished"], { cwd: dir, env: at });
    expect(action.code).toBe(2);
    expect(action.stderr).toContain("use done, wontfix, open or link URL");
    const url = await rota(["fix", first?.id ?? "", "link", "not a url"], { cwd: dir, env: at });
    expect(url.code).toBe(2);
    // A status written beside the id, not under it, is refused at its line, not read as open.
    writeFileSync(path.join(dir, "fixes.yaml"), `version: 1\nfixes:\n  ${first?.id}: done\n`);
    for (const command of [["fix"], ["report"]]) {
      const hand = await rota(command, { cwd: dir, env: at });
      expect(hand.code, command.join(" ")).toBe(2);
      expect(hand.stderr).toContain(`fixes.yaml:3:15: fix ${first?.id}: "done" is not a mapping`);
    }
    const period = await rota(["report", "--period", "fortnight"], { cwd: dir, env: at });
    expect(period.code).toBe(2);
    expect(period.stderr).toContain("--period must be week or month");
  });

  test("a link with a control or bidi character is refused, typed or in fixes.yaml, at its place", async () => {
    const dir = await repoWithFixes();
    const [first] = await listed(dir);
    const id = first?.id ?? "";
    const file = path.join(dir, "fixes.yaml");
    const hint =
      "; write the web address as plain text, like https://github.com/acme/app/issues/12";
    for (const [url, control] of [
      ["https://x.example/\u001b[31mred", "U+001B (a control character)"],
      ["https://x.example/\u001b]0;x\u0007/a", "U+001B (a control character)"],
      ["https://x.example/a\u007f", "U+007F (a control character)"],
      ["https://x.example/a\u009b2J", "U+009B (a control character)"],
      [
        "https://x.example/issues/21\u202e",
        "U+202E (a bidi control, which makes text read differently than it is stored)",
      ],
    ] as const) {
      const typed = await rota(["fix", id, "link", url], { cwd: dir, env: at });
      expect(typed).toEqual({
        code: 2,
        stdout: "",
        stderr: `rota: \`link\`: the address contains ${control}${hint}\n`,
      });
      expect(() => readFileSync(file)).toThrow();
    }
    expect((await rota(["fix", id, "done"], { cwd: dir, env: at })).code).toBe(0);
    editFile(
      file,
      "    status: done\n",
      '    status: done\n    links:\n      - https://github.com/acme/app/issues/12\n      - "https://x.example/\\u202e21"\n',
    );
    const linked = readFileSync(file, "utf8");
    const line = linked.split("\n").indexOf('      - "https://x.example/\\u202e21"') + 1;
    for (const command of [["fix"], ["report"]]) {
      const result = await rota(command, { cwd: dir, env: at });
      expect(result.code, command.join(" ")).toBe(2);
      expect(result.stderr, command.join(" ")).toContain(
        `fixes.yaml:${line}:9: fix ${id}: link 2 contains U+202E (a bidi control, which makes text read differently than it is stored)${hint}\n`,
      );
    }
  });

  test("a damaged fixes.yaml is refused at its line and column, with a way out that works", async () => {
    const dir = await repoWithFixes();
    const [first] = await listed(dir);
    const id = first?.id ?? "";
    expect((await rota(["fix", id, "done"], { cwd: dir, env: at })).code).toBe(0);
    const file = path.join(dir, "fixes.yaml");
    const good = readFileSync(file, "utf8");
    const refused = async (expected: string) => {
      for (const command of [["fix"], ["fix", id, "wontfix"], ["report"]]) {
        const result = await rota(command, { cwd: dir, env: at });
        expect(result.code, command.join(" ")).toBe(2);
        expect(result.stderr, command.join(" ")).toContain(expected);
        expect(result.stderr).not.toContain("rebuild");
      }
    };
    // Two people marked the same fix: git leaves both statuses between markers.
    const lines = good.split("\n");
    const at7 = lines.indexOf("    status: done");
    lines.splice(
      at7,
      1,
      "<<<<<<< HEAD",
      "    status: done",
      "=======",
      "    status: wontfix",
      ">>>>>>> b",
    );
    writeFileSync(file, lines.join("\n"));
    await refused(
      `fixes.yaml:${at7 + 1}:1: unresolved merge conflict, lines ${at7 + 1}–${at7 + 5} (<<<<<<< at ${at7 + 1}, ======= at ${at7 + 3}, >>>>>>> at ${at7 + 5}): keep the lines that say what became of each fix`,
    );
    // Broken YAML: mend it, or take back the committed file (rota fix cannot rewrite what it cannot read).
    writeFileSync(file, good.replace("status: done", 'status: "done'));
    await refused(
      "; mend the YAML there, or take back the committed file: `git checkout HEAD -- fixes.yaml`",
    );
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, "utf16le")]));
    await refused("fixes.yaml:1:1: the file is saved as UTF-16; save it as UTF-8");
    // Saved by an editor in Latin-1: "é" is the one byte 0xe9.
    writeFileSync(file, good.replace("Document", "D\u00e9j\u00e0 Document"), "latin1");
    await refused(": byte 0xe9 is not UTF-8; save the file as UTF-8");
    // A day that does not exist, in the shape of a date, is refused like any word.
    writeFileSync(file, good.replace(/changed: .*/, "changed: 2026-02-30"));
    const changedAt = good.split("\n").findIndex((line) => line.includes("changed: ")) + 1;
    expect(changedAt).toBeGreaterThan(0);
    await refused(
      `fixes.yaml:${changedAt}:14: fix ${id}: changed: 2026-02-30 is not a real date: February 2026 has 28 days`,
    );
    rmSync(file);
    mkdirSync(file);
    await refused("rota: fixes.yaml is a directory, not a file");
  });
});
