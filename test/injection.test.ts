import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { rota } from "./helpers/cli.ts";
import { COLOURS, UNSAFE } from "./helpers/controls.ts";
import { AFTER_SHIFTS, git, teamRepo } from "./helpers/git.ts";

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
