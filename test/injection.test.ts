import {
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { Parser } from "htmlparser2";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, test } from "vitest";
import { missingRequired, withDefaults } from "../src/core/notes/answers.ts";
import { parseNote, renderNewNote } from "../src/core/notes/note.ts";
import { parseTemplate, type Template } from "../src/core/notes/template.ts";
import { rota } from "./helpers/cli.ts";
import { COLOURS, UNSAFE } from "./helpers/controls.ts";
import { AFTER_SHIFTS, git, teamRepo } from "./helpers/git.ts";
import { ADA_META, builtInTemplate } from "./helpers/notes.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * Nothing injected: text from a roster, a note, a template or git's history
 * reaches a terminal, a note, a calendar or a page only as text, never as a
 * control sequence, markup or a path out of the repository.
 */

/** Retitles the terminal, clears the screen, colours in 8-bit CSI, and reverses what follows. */
const ESCAPES = "\u001b]0;owned\u0007\u001b[2J\u009b31m\u202eevil";

const NOW = { ROTA_NOW: AFTER_SHIFTS };

function editRoster(dir: string, edit: (text: string) => string) {
  const file = path.join(dir, "roster.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
}

/** A YAML double-quoted scalar holding any text. */
const quoted = (text: string) => JSON.stringify(text);

/** Where the value of `key: value` is in a roster: `roster.yaml:LINE:COL`. */
function valueAt(dir: string, key: string, value: string): string {
  const text = readFileSync(path.join(dir, "roster.yaml"), "utf8");
  const before = text.slice(0, text.indexOf(`${key}: ${value}`) + key.length + 2);
  const line = before.split("\n").length;
  const col = [...before.slice(before.lastIndexOf("\n") + 1)].length + 1;
  return `roster.yaml:${line}:${col}`;
}

describe("no control sequence reaches a terminal", () => {
  test("rota log shows authors and old roster values with their escapes visible", async () => {
    const dir = await teamRepo();
    // A roster of the past (invalid now) with a hostile name and swap reason.
    editRoster(dir, (text) =>
      text
        .replace(
          "\nswaps:",
          `  - id: mallory\n    name: ${quoted(`Mallory ${ESCAPES}`)}\n    email: mallory@example.com\n\nswaps:`,
        )
        .replace(
          /\nswaps:.*\n/,
          `\nswaps:\n  - { date: 2026-11-30, shift: emea, out: grace, in: barbara, reason: ${quoted(ESCAPES)} }\n`,
        ),
    );
    const author = `Eve ${ESCAPES}`;
    git(dir, "add", "roster.yaml");
    git(dir, "-c", `user.name=${author}`, "commit", "-q", "-m", "add mallory");

    const result = await rota(["log"], { cwd: dir, env: NOW });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(UNSAFE);
    expect(result.stderr).not.toMatch(UNSAFE);
    expect(result.stdout).toContain("Eve \\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u202eevil");
    expect(result.stdout).toContain("added mallory (Mallory \\u001b]0;owned");

    // --json is data: exact, and itself escaped, so even it is safe to print.
    const json = await rota(["log", "--json"], { cwd: dir, env: NOW });
    expect(json.stdout).not.toMatch(UNSAFE);
    const events = JSON.parse(json.stdout) as { author: string; swap?: { reason?: string } }[];
    expect(events[0]?.author).toBe(author);
    expect(events.find((e) => e.swap)?.swap?.reason).toBe(ESCAPES);
  });

  test("git fields cannot be forged by an author name holding rota's separators", async () => {
    const dir = await teamRepo();
    editRoster(dir, (text) => text.replace("team: Acme", "team: Acme Inc"));
    git(dir, "add", "roster.yaml");
    git(
      dir,
      "-c",
      "user.name=Eve\u001fforged@example.com\u001f2001-01-01T00:00:00Z",
      "commit",
      "-q",
      "-m",
      "x",
    );
    const result = await rota(["log", "--json"], { cwd: dir, env: NOW });
    const [event] = JSON.parse(result.stdout) as { author: string; email: string; date: string }[];
    expect(event?.author).toBe("Eve\u001fforged@example.com\u001f2001-01-01T00:00:00Z");
    expect(event?.email).toBe("ada@example.com");
    expect(event?.date).not.toMatch(/^2001/);
  });

  test("names in who, plan and report, file names in warnings, and problems", async () => {
    const dir = await teamRepo();
    // Hand-edited into the roster's YAML: refused (below), so the commands
    // that need a valid roster get hostile text from the notes instead.
    mkdirSync(path.join(dir, "notes", "2026", "11"), { recursive: true });
    writeFileSync(path.join(dir, "notes", "2026", "11", `x${ESCAPES}.md`), "no front matter\n");
    const report = await rota(["report"], { cwd: dir, env: NOW });
    expect(report.code).toBe(0);
    expect(report.stderr).toContain("x\\u001b]0;owned");
    for (const output of [report.stdout, report.stderr]) expect(output).not.toMatch(UNSAFE);

    editRoster(dir, (text) =>
      text.replace("name: Ada Lovelace", `name: ${quoted(`Ada ${ESCAPES}`)}`),
    );
    for (const args of [["validate"], ["who"], ["plan"], ["report"]]) {
      const result = await rota(args, { cwd: dir, env: NOW });
      expect(result.code, args.join(" ")).toBe(2);
      for (const output of [result.stdout, result.stderr]) expect(output).not.toMatch(UNSAFE);
    }
    // Even a message that quotes an argument.
    const usage = await rota(["who", "--at", ESCAPES], { cwd: dir, env: NOW });
    expect(usage.code).toBe(2);
    expect(usage.stderr).not.toMatch(UNSAFE);
    const unknown = await rota([`--${ESCAPES}`], { cwd: dir });
    expect(unknown.stderr).not.toMatch(UNSAFE);
  });

  test("colour stays: rota's own codes reach the terminal, a name's do not", async () => {
    const dir = await teamRepo();
    mkdirSync(path.join(dir, "notes", "2026", "11"), { recursive: true });
    writeFileSync(path.join(dir, "notes", "2026", "11", `x${ESCAPES}.md`), "no front matter\n");
    const result = await rota(["report"], { cwd: dir, env: { ...NOW, FORCE_COLOR: "1" } });
    expect(result.stdout).toContain("\u001b[1m");
    expect(result.stderr).toContain("\u001b[33m");
    // Only SGR sequences (colours) remain, and none of them came from the file name.
    const withoutColours = (text: string) => text.replace(COLOURS, "");
    expect(withoutColours(result.stdout)).not.toMatch(UNSAFE);
    expect(withoutColours(result.stderr)).not.toMatch(UNSAFE);
    expect(result.stderr).toContain("x\\u001b]0;owned");
  });
});

describe("no control character reaches a page or a report file raw", () => {
  /** Every file under a directory, by its path. */
  const filesUnder = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));

  /** The text and attribute values of an HTML document as a browser reads them: references decoded. */
  function htmlText(document: string): string[] {
    const found: string[] = [];
    const parser = new Parser(
      { ontext: (text) => found.push(text), onattribute: (_name, value) => found.push(value) },
      { decodeEntities: true },
    );
    parser.end(document);
    return found;
  }

  test("a note edited by hand shows its escapes visibly on the site and in report html and md, as on the terminal", async () => {
    const dir = await teamRepo();
    const write = await rota(
      ["notes", "--as", "grace", "--answer", "struggles=SSO", "--answer", "fix=Docs"],
      { cwd: dir, env: NOW },
    );
    expect(write.code, write.stderr).toBe(0);
    const file = path.join(dir, "notes/2026/11/2026-11-24-emea-grace.md");
    const fix = "fix \u001b]0;PWNED\u0007 \u202ereversed";
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace("\nDocs\n", `\n${fix}\n`)
        // C1 (8-bit CSI), DEL, an isolate, and a bidi control written as a character reference.
        .replace("\nSSO\n", "\nSSO \u009b2J \u007f \u2066isolated\u2069 &#x202E;ref\n"),
    );
    git(dir, "commit", "-q", "-am", "Edit the note by hand");

    const terminal = await rota(["report"], { cwd: dir, env: NOW });
    const shown = "fix \\u001b]0;PWNED\\u0007 \\u202ereversed";
    expect(terminal.stdout).toContain(shown);
    for (const args of [
      ["site", "--out", "site"],
      ["report", "--format", "html", "--out", "report.html"],
      ["report", "--format", "md", "--out", "report.md"],
    ]) {
      const run = await rota(args, { cwd: dir, env: NOW });
      expect(run.code, run.stderr).toBe(0);
    }
    const pages = [...filesUnder(path.join(dir, "site")), path.join(dir, "report.html")].filter(
      (page) => page.endsWith(".html"),
    );
    const notePage = path.join(dir, "site/notes/2026/11/2026-11-24-emea-grace.html");
    expect(pages).toContain(notePage);
    for (const page of pages) {
      const text = readFileSync(page, "utf8");
      expect(text, page).not.toMatch(UNSAFE);
      for (const part of htmlText(text)) expect(part, page).not.toMatch(UNSAFE);
    }
    for (const page of [
      notePage,
      path.join(dir, "site/report.html"),
      path.join(dir, "report.html"),
    ]) {
      expect(htmlText(readFileSync(page, "utf8")).join(""), page).toContain(shown);
    }
    const struggles = htmlText(readFileSync(notePage, "utf8")).join("");
    expect(struggles).toContain("SSO \\u009b2J \\u007f \\u2066isolated\\u2069 \\u202eref");

    const markdown = readFileSync(path.join(dir, "report.md"), "utf8");
    expect(markdown).not.toMatch(UNSAFE);
    const tree = fromMarkdown(markdown, {
      extensions: [gfm()],
      mdastExtensions: [gfmFromMarkdown()],
    }) as MdNode;
    const texts = mdNodes(tree).flatMap((node) => node.value ?? []);
    for (const text of texts) expect(text).not.toMatch(UNSAFE);
    expect(texts.join("")).toContain(shown);
  });
});

type MdNode = { type: string; value?: string; children?: MdNode[] };
const mdNodes = (node: MdNode): MdNode[] => [node, ...(node.children ?? []).flatMap(mdNodes)];

describe("single-line text is one plain line", () => {
  test("names, reasons and the team refuse C1 controls, line separators and bidi controls, each at its line", async () => {
    const dir = await teamRepo();
    editRoster(dir, (text) =>
      text
        .replace("team: Acme", `team: ${quoted("Acme\u0085")}`)
        .replace("name: EMEA day", `name: ${quoted("EMEA\u009b2J")}`)
        .replace("name: Ada Lovelace", `name: ${quoted("Ada\u2028Lovelace")}`)
        .replace("name: Grace Hopper", `name: ${quoted("Grace \u202eHopper")}`)
        .replace("reason: holiday", `reason: ${quoted("holiday\u2066")}`),
    );
    const result = await rota(["validate"], { cwd: dir, env: NOW });
    expect(result.code).toBe(2);
    const bidi = "a bidi control, which makes text read differently than it is stored";
    const fix = "write it as one line of plain text";
    expect(result.stderr).toBe(
      [
        `${valueAt(dir, "team", quoted("Acme\u0085"))}: team contains U+0085 (a control character); ${fix}`,
        `${valueAt(dir, "name", quoted("EMEA\u009b2J"))}: name contains U+009B (a control character); ${fix}`,
        `${valueAt(dir, "name", quoted("Ada\u2028Lovelace"))}: name contains U+2028 (a line separator); ${fix}`,
        `${valueAt(dir, "reason", quoted("holiday\u2066"))}: reason contains U+2066 (${bidi}); ${fix}`,
        `${valueAt(dir, "name", quoted("Grace \u202eHopper"))}: name contains U+202E (${bidi}); ${fix}`,
        "5 errors in roster.yaml",
        "",
      ].join("\n"),
    );
  });

  test("the published schema refuses them too", () => {
    const schema = JSON.parse(
      readFileSync(path.join(__dirname, "../schema/roster.schema.json"), "utf8"),
    );
    const pattern = new RegExp(schema.properties.team.pattern, "u");
    expect(pattern.test("Acme")).toBe(true);
    for (const bad of [
      "A\u0085",
      "A\u009b",
      "A\u2028",
      "A\u2029",
      "A\u202e",
      "A\u2067",
      "A\u200f",
      "A\u001b",
    ]) {
      expect(pattern.test(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  test("swap --reason and note answers refuse them with a message", async () => {
    const dir = await teamRepo();
    const swap = await rota(
      ["swap", "2026-11-30/emea", "grace", "barbara", "--reason", "dentist\u202e"],
      {
        cwd: dir,
        env: NOW,
      },
    );
    expect(swap.code).toBe(2);
    expect(swap.stderr).toContain(
      "--reason contains U+202E (a bidi control, which makes text read differently than it is stored)",
    );
    const notes = await rota(
      ["notes", "--answer", "struggles=SSO", "--answer", "fix=Docs\u009b2J", "--no-commit"],
      { cwd: dir, env: NOW },
    );
    expect(notes.code).toBe(2);
    expect(notes.stderr).toContain(
      "--answer fix: the text contains U+009B (a control character); remove it",
    );
  });
});

describe("text has sane lengths", () => {
  test("a name of 1.2 million characters is refused, and the message is short", async () => {
    const dir = await teamRepo();
    editRoster(dir, (text) =>
      text
        .replace("name: Ada Lovelace", `name: ${"A".repeat(1_200_000)}`)
        .replace("name: EMEA day", `name: ${"E".repeat(201)}`)
        .replace("reason: holiday", `reason: ${"h".repeat(501)}`)
        .replace("timezone: Europe/London", `timezone: ${"x".repeat(5000)}`)
        .replace("team: Acme", `team: ${"T".repeat(201)}`),
    );
    // A check that grew with the square of the length would not finish
    // within the test's time: no clock is read here.
    const result = await rota(["validate"], { cwd: dir, env: NOW });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        `${valueAt(dir, "team", "TTTT")}: team is 201 characters long; at most 200 are allowed`,
        `${valueAt(dir, "name", "EEEE")}: name is 201 characters long; at most 200 are allowed`,
        `${valueAt(dir, "name", "AAAA")}: name is 1,200,000 characters long; at most 200 are allowed`,
        `${valueAt(dir, "timezone", "xxxx")}: timezone is 5,000 characters long; at most 100 are allowed`,
        `${valueAt(dir, "reason", "hhhh")}: reason is 501 characters long; at most 500 are allowed`,
        "5 errors in roster.yaml",
        "",
      ].join("\n"),
    );
  });

  test("note answers and swap reasons have limits too", async () => {
    const dir = await teamRepo();
    const swap = await rota(
      ["swap", "2026-11-30/emea", "grace", "barbara", "--reason", "r".repeat(501)],
      { cwd: dir, env: NOW },
    );
    expect(swap.code).toBe(2);
    expect(swap.stderr).toContain("--reason is 501 characters long; at most 500 are allowed");
    const notes = await rota(
      ["notes", "--answer", "struggles=SSO", "--answer", `fix=${"f".repeat(2001)}`, "--no-commit"],
      { cwd: dir, env: NOW },
    );
    expect(notes.code).toBe(2);
    expect(notes.stderr).toContain(
      "--answer fix: the text is 2,001 characters long; at most 2,000 are allowed",
    );
  });
});

describe("roster text in a note is text, not markup", () => {
  const parse = (markdown: string) =>
    fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  type Node = { type: string; value?: string; children?: Node[] };
  const nodes = (node: Node): Node[] => [node, ...(node.children ?? []).flatMap(nodes)];
  const text = (node: Node): string => node.value ?? (node.children ?? []).map(text).join("");

  test.each([
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![x](https://example.com/t.png)",
    "<https://example.com>",
    "**Ada** _Lovelace_ `code` ~~x~~ | a | b |",
    "Ada &#x202E; &lt;b&gt;",
    "Ada #",
    "https://x.example<img src=x onerror=alert(1)>",
  ])("%s", (name) => {
    const note = renderNewNote(
      builtInTemplate(),
      { ...ADA_META, personName: name, shiftName: name },
      {},
    );
    const body = note.slice(note.indexOf("\n---\n") + 5);
    const tree = parse(body) as Node;
    const heading = nodes(tree).find((n) => n.type === "heading") as Node;
    // Text, but for the web addresses GFM links by itself (never javascript:).
    const inside = nodes(heading).filter((n) => n.type !== "heading" && n.type !== "text");
    for (const node of inside) {
      expect(node.type).toBe("link");
      expect((node as { url?: string }).url).toMatch(/^(?:https?|mailto):/);
      expect((node as { url?: string }).url).toContain(text(node));
    }
    // (An address GFM links by itself may take in an escape that follows it.)
    const decoded = (t: string) =>
      t
        .replaceAll("\\", "")
        .replaceAll("&lt;", "<")
        .replaceAll("&gt;", ">")
        .replaceAll("&amp;", "&");
    const shown = inside.length > 0 ? decoded(text(heading)) : text(heading);
    expect(shown).toBe(`${name}, 2026-11-23: ${name}`);
    // Nothing else of the note became HTML but rota's markers.
    const html = nodes(tree).filter((n) => n.type === "html" && !/^<!-- rota:/.test(n.value ?? ""));
    expect(html).toEqual([]);
  });
});

describe("rota reads nothing through a symbolic link out of the repository", () => {
  const secret = () => {
    const outside = tempDir();
    mkdirSync(path.join(outside, "2026", "11"), { recursive: true });
    writeFileSync(
      path.join(outside, "2026", "11", "2026-11-23-americas-ada.md"),
      "---\noccurrence: 2026-11-23/americas\ndate: 2026-11-23\nshift: americas\nperson: ada\ntags: [runner-secret]\n---\n",
    );
    writeFileSync(
      path.join(outside, "secret.md"),
      "---\nquestions:\n  - { id: leak, prompt: RUNNER-SECRET, type: text }\n---\n",
    );
    return outside;
  };

  test("report and site refuse a notes/ that leads out", async () => {
    const dir = await teamRepo();
    const outside = secret();
    symlinkSync(outside, path.join(dir, "notes"));
    for (const args of [["report"], ["report", "--json"], ["site"]]) {
      const result = await rota(args, { cwd: dir, env: NOW });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(
        `notes is a symbolic link to ${outside}, outside the repository`,
      );
      expect(result.stdout).not.toContain("runner-secret");
    }
  });

  test("a note file or folder inside notes/ that is a symbolic link is skipped with a warning", async () => {
    const dir = await teamRepo();
    const outside = secret();
    mkdirSync(path.join(dir, "notes", "2026"), { recursive: true });
    symlinkSync(path.join(outside, "2026", "11"), path.join(dir, "notes", "2026", "11"));
    mkdirSync(path.join(dir, "notes", "2027", "01"), { recursive: true });
    symlinkSync(
      path.join(outside, "2026", "11", "2026-11-23-americas-ada.md"),
      path.join(dir, "notes", "2027", "01", "2027-01-04-americas-ada.md"),
    );
    const result = await rota(["report", "--json"], { cwd: dir, env: NOW });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("runner-secret");
    expect(result.stderr).toContain(
      "notes/2026/11: warning: it is a symbolic link; rota reads notes only from plain files and folders inside the repository, so it is skipped",
    );
    expect(result.stderr).toContain(
      "notes/2027/01/2027-01-04-americas-ada.md: warning: it is a symbolic link",
    );
  });

  test("a notes template out of the repository, by path or by link, is refused", async () => {
    const dir = await teamRepo();
    const outside = secret();
    const template = path.join(outside, "secret.md");
    for (const [where, setUp] of [
      [
        "absolute",
        () =>
          editRoster(dir, (t) =>
            t.replace("version: 1", `version: 1\nnotes: { template: ${quoted(template)} }`),
          ),
      ],
      [
        "relative",
        () =>
          editRoster(dir, (t) =>
            t
              .replace(/notes: \{[^}]*\}\n/, "")
              .replace(
                "version: 1",
                `version: 1\nnotes: { template: ${quoted(path.relative(dir, template))} }`,
              ),
          ),
      ],
      [
        "link",
        () => {
          editRoster(dir, (t) => t.replace(/notes: \{[^}]*\}\n/, ""));
          mkdirSync(path.join(dir, "notes"), { recursive: true });
          symlinkSync(template, path.join(dir, "notes", "TEMPLATE.md"));
        },
      ],
    ] as const) {
      setUp();
      const result = await rota(["notes", "--answer", "leak=x", "--no-commit"], {
        cwd: dir,
        env: NOW,
      });
      expect(result.code, where).toBe(2);
      expect(result.stderr, where).toMatch(/outside the repository/);
      expect(result.stderr, where).not.toContain("RUNNER-SECRET");
      const site = await rota(["site"], { cwd: dir, env: NOW });
      expect(readFileSync(path.join(dir, "public", "index.html"), "utf8")).not.toContain(
        "RUNNER-SECRET",
      );
      expect(site.stderr, where).toMatch(/outside the repository/);
    }
  });

  test("a roster.yaml or schedule.yaml that is a link out of the repository is refused", async () => {
    const dir = await teamRepo();
    const outside = tempDir();
    writeFileSync(path.join(outside, "shadow"), "RUNNER-SECRET: [\n");
    git(dir, "mv", "roster.yaml", "roster.real.yaml");
    symlinkSync(path.join(outside, "shadow"), path.join(dir, "roster.yaml"));
    const roster = await rota(["validate"], { cwd: dir, env: NOW });
    expect(roster.code).toBe(2);
    expect(roster.stderr).toContain(
      `roster.yaml is a symbolic link to ${path.join(outside, "shadow")}, outside the repository`,
    );
    expect(roster.stderr).not.toContain("RUNNER-SECRET");
    // A link inside the repository is fine.
    symlinkSync("roster.real.yaml", path.join(dir, "roster2.yaml"));
    expect(
      (await rota(["validate", "--roster", "roster2.yaml"], { cwd: dir, env: NOW })).code,
    ).toBe(0);

    git(dir, "mv", "schedule.yaml", "schedule.real.yaml");
    symlinkSync(path.join(outside, "shadow"), path.join(dir, "schedule.yaml"));
    const schedule = await rota(["who", "--roster", "roster2.yaml"], { cwd: dir, env: NOW });
    expect(schedule.code).toBe(2);
    expect(schedule.stderr).toContain("schedule.yaml is a symbolic link to");
    expect(schedule.stderr).not.toContain("RUNNER-SECRET");
  });

  test("a link inside the repository to nothing, or in a loop, says so, not that it leads out", async () => {
    const dir = await teamRepo();
    git(dir, "mv", "roster.yaml", "roster.real.yaml");
    symlinkSync("support/roster.yaml", path.join(dir, "roster.yaml"));
    for (const command of ["validate", "plan", "who"]) {
      const result = await rota([command], { cwd: dir, env: NOW });
      expect(result, command).toEqual({
        code: 2,
        stdout: "",
        stderr:
          "rota: roster.yaml is a symbolic link to support/roster.yaml, which does not exist: create it, or point the link at the roster\n",
      });
    }
    const init = await rota(["init"], { cwd: dir });
    expect(init.code).toBe(2);
    expect(init.stderr).toMatch(
      /^rota: roster\.yaml is a symbolic link to support\/roster\.yaml, which does not exist: rota init writes no file through a link that leads nowhere; nothing was written/,
    );

    unlinkSync(path.join(dir, "roster.yaml"));
    symlinkSync("roster.yaml", path.join(dir, "roster.yaml"));
    const loop = await rota(["validate"], { cwd: dir, env: NOW });
    expect(loop.code).toBe(2);
    expect(loop.stderr).toBe(
      "rota: roster.yaml is a loop of symbolic links (each leads on to another, and back); point one of them at a real directory or file, or remove it\n",
    );

    const roster = ["--roster", "roster.real.yaml"];
    symlinkSync("gone/notes", path.join(dir, "notes"));
    const report = await rota([...roster, "report"], { cwd: dir, env: NOW });
    expect(report.code).toBe(2);
    expect(report.stderr).toBe(
      "rota: notes is a symbolic link to gone/notes, which does not exist: create it, or point the link at notes\n",
    );
    unlinkSync(path.join(dir, "notes"));
    symlinkSync("notes", path.join(dir, "notes"));
    const site = await rota([...roster, "site"], { cwd: dir, env: NOW });
    expect(site.code).toBe(2);
    expect(site.stderr).toContain(
      "rota: notes is a loop of symbolic links (each leads on to another, and back), so rota cannot read notes through it;",
    );
  });
});

describe("template ids never reach an object's prototype", () => {
  test("a question id that every object has is refused in the template", () => {
    const template = parseTemplate(
      "---\nquestions:\n  - { id: constructor, prompt: Why?, type: text }\n---\nNotes.\n",
      "t.md",
    );
    expect(
      template.ok ? [] : template.problems.map((p) => `${p.line}:${p.col}: ${p.message}`),
    ).toEqual([
      '3:11: id "constructor" names a property of every JavaScript object, which scripts reading notes would take for an answer; choose another',
    ]);
  });

  test("answers keyed by such ids, in a template built by hand or a note edited by hand, are only the answers", () => {
    const ids = ["constructor", "tostring", "valueof", "hasownproperty", "isprototypeof"];
    const template: Template = {
      questions: ids.map((id) => ({ id, prompt: "Why?", type: "text", required: true })),
      body: ids.map((id) => `{{${id}}}`).join("\n\n"),
    };
    expect(missingRequired(template, {}).map((q) => q.id)).toEqual(ids);
    expect(withDefaults(template, {})).toEqual({});
    const note = renderNewNote(template, ADA_META, {});
    expect(note).not.toMatch(/function|native code|\[object/);
    const parsed = parseNote(renderNewNote(template, ADA_META, { constructor: "a", valueof: "b" }));
    expect(parsed.ok && parsed.note.entries[0]?.answers).toEqual({
      constructor: "a",
      valueof: "b",
    });
    expect(parsed.ok && parsed.warnings).toEqual([]);
    const empty = parseNote(renderNewNote(template, ADA_META, {}));
    expect(empty.ok && Object.hasOwn(empty.note.entries[0]?.answers ?? {}, "constructor")).toBe(
      false,
    );
  });
});
