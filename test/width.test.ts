import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { beforeAll, describe, expect, test } from "vitest";
import { main } from "../src/cli.ts";
import { visibleLength } from "../src/core/render/style.ts";
import { rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, git, teamRepo } from "./helpers/git.ts";
import { suiteTempDir } from "./helpers/tmp.ts";

/**
 * plan, report, who and log at 80, 120 and 200 columns, with names long
 * enough to overflow every table: lines fit, what matters stays, and a pipe
 * or a file gets every line whole.
 */

const LONG_ADA = "Augusta Ada King, Countess of Lovelace";
const LONG_GUIDO = "Guido van Rossum-Maximiliano de la Vega y Huerta";
const at = { ROTA_NOW: AFTER_SHIFTS };

const COMMANDS: Record<string, string[]> = {
  plan: ["plan", "--dry-run"],
  report: ["report"],
  who: ["who", "--at", "2026-11-26T10:00:00+01:00"],
  log: ["log"],
};

let dir: string;

beforeAll(async () => {
  dir = await teamRepo(suiteTempDir());
  const roster = path.join(dir, "roster.yaml");
  writeFileSync(
    roster,
    readFileSync(roster, "utf8")
      .replace("name: Ada Lovelace", `name: ${LONG_ADA}`)
      .replace("name: Guido van Rossum", `name: ${LONG_GUIDO}`)
      .replace("name: Grace Hopper", "name: Grace Brewster Murray Hopper"),
  );
  git(dir, "config", "user.name", LONG_ADA);
  git(dir, "commit", "-q", "-am", "Full names");
  for (const [person, struggles] of [
    ["ada", "Setting up SSO with Okta for a customer whose identity provider sends groups"],
    ["grace", "SSO login loops after the identity provider rotated its signing certificate"],
  ] as const) {
    const notes = await rota(
      ["notes", "--as", person, "--answer", `struggles=${struggles}`, "--answer", "fix=SSO docs"],
      { cwd: dir, env: at },
    );
    expect(notes.code, notes.stderr).toBe(0);
  }
}, 120_000);

async function run(command: string, env: Record<string, string> = {}) {
  const result = await rota(COMMANDS[command] as string[], { cwd: dir, env: { ...at, ...env } });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

const widest = (text: string) => Math.max(...text.split("\n").map(visibleLength));

describe("tables fit the terminal", () => {
  for (const command of Object.keys(COMMANDS)) {
    test(`rota ${command}: no line wider than 80 or 120 columns; whole at 200 and in a pipe`, async () => {
      const piped = await run(command);
      // Without a terminal and without COLUMNS, lines are as long as their content.
      expect(piped).not.toContain("…");
      expect(widest(piped)).toBeGreaterThan(80);
      expect(await run(command, { COLUMNS: "9999" })).toBe(piped);
      for (const columns of [80, 120]) {
        const text = await run(command, { COLUMNS: String(columns) });
        expect(widest(text), `${command} at ${columns}`).toBeLessThanOrEqual(columns);
      }
      const wide = await run(command, { COLUMNS: "200" });
      expect(widest(wide)).toBeLessThanOrEqual(200);
      expect(wide).not.toContain("…");
      expect(wide).toContain(command === "log" ? LONG_ADA : "Grace Brewster Murray Hopper");
    });
  }

  test("at 80 columns the report keeps who stands where; at 200 it has every column", async () => {
    const narrow = await run("report", { COLUMNS: "80" });
    const header = (text: string) =>
      text.split("\n").find((line) => line.trimStart().startsWith("Person")) ?? "";
    expect(header(narrow).split(/ {2,}/).filter(Boolean)).toEqual([
      "Person",
      "Served",
      "Next shift",
      "Standing",
    ]);
    // Names and the longest reasons are cut, to the same width, before a column goes.
    expect(narrow).toMatch(/Jony Ive +0 +2026-12-03 +counts from 2026-12: rota began 2026-11…/);
    expect(narrow).toMatch(/Augusta Ada Kin… +4 +2026-11-25 +ok/);
    const middle = await run("report", { COLUMNS: "120" });
    expect(header(middle).split(/ {2,}/).filter(Boolean)).toEqual([
      "Person",
      "Team",
      "Served",
      "Last served",
      "Next shift",
      "Standing",
    ]);
    const wide = await run("report", { COLUMNS: "200" });
    expect(header(wide).split(/ {2,}/).filter(Boolean)).toEqual([
      "Person",
      "Team",
      "Served",
      "Last served",
      "Next shift",
      "Quota",
      "Standing",
    ]);
    expect(wide).toMatch(/█/);
  });

  test("at 80 columns the rota shortens names but leaves nobody out", async () => {
    const narrow = await run("plan", { COLUMNS: "80" });
    const line = (day: string) => narrow.split("\n").find((l) => l.includes(day)) ?? "";
    expect(line("  Thu 26 Nov")).toMatch(/EMEA day +09:00–17:00 +Grace Brewste…, Guido van Ros…$/);
    expect(line("  Tue 24 Nov")).toMatch(/Grace Brewste…, Katherine Joh…$/);
    // The one at the terminal is still pointed out.
    expect(narrow).toMatch(/Augusta Ada King, Coun… {2}◀ you/);
  });

  test("JSON and markdown are the same at any width", async () => {
    for (const args of [
      ["plan", "--dry-run", "--json"],
      ["plan", "--dry-run", "--format", "md"],
      ["report", "--json"],
      ["report", "--format", "md"],
      ["who", "--json", "--at", "2026-11-26T10:00:00+01:00"],
      ["log", "--json"],
    ]) {
      const plain = await rota(args, { cwd: dir, env: at });
      const narrow = await rota(args, { cwd: dir, env: { ...at, COLUMNS: "80" } });
      expect(narrow.stdout, args.join(" ")).toBe(plain.stdout);
    }
  });

  test("help wraps at the terminal's width, and at 80 columns anywhere else", async () => {
    const helpInto = async (stdout: PassThrough & { isTTY?: boolean; columns?: number }) => {
      let text = "";
      stdout.setEncoding("utf8").on("data", (chunk: string) => {
        text += chunk;
      });
      const code = await main(["plan", "--help"], {
        cwd: dir,
        env: { ...at, TZ: "UTC" },
        stdin: Readable.from([""]),
        stdout,
        stderr: new PassThrough(),
      });
      expect(code).toBe(0);
      return text;
    };
    // The width of the output rota writes to, whatever this process's own stdout is.
    const narrow = await helpInto(Object.assign(new PassThrough(), { isTTY: true, columns: 64 }));
    const piped = await helpInto(new PassThrough());
    const options = (text: string) =>
      text.slice(text.indexOf("Options:"), text.indexOf("Examples:"));
    expect(widest(options(narrow))).toBeLessThanOrEqual(64);
    expect(widest(options(piped))).toBeGreaterThan(64);
    expect(widest(options(piped))).toBeLessThanOrEqual(80);
  });

  test("a terminal's own width, when COLUMNS is not set", async () => {
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    let text = "";
    stdout.setEncoding("utf8").on("data", (chunk: string) => {
      text += chunk;
    });
    const code = await main(["report"], {
      cwd: dir,
      env: { ...at, TZ: "UTC", NO_COLOR: "1" },
      stdin: Readable.from([""]),
      stdout,
      stderr: new PassThrough(),
    });
    expect(code).toBe(0);
    expect(widest(text)).toBeLessThanOrEqual(80);
    expect(text).toContain("…");
  });
});

describe("narrow terminals: occurrence ids stay whole, names keep their floor", () => {
  /** After three weeks of shifts, none with notes: most people have several without. */
  const later = { ROTA_NOW: "2026-12-15T10:00:00+01:00" };
  const LONG_LINUS = "Linus Benedict Torvalds";
  const ID = String.raw`\d{4}-\d{2}-\d{2}/[a-z]+`;
  let team: string;

  beforeAll(async () => {
    team = await teamRepo(suiteTempDir());
    const roster = path.join(team, "roster.yaml");
    writeFileSync(
      roster,
      readFileSync(roster, "utf8").replace("name: Linus Torvalds", `name: ${LONG_LINUS}`),
    );
    git(team, "config", "user.name", LONG_ADA);
    git(team, "commit", "-q", "-am", "Linus's full name");
  }, 120_000);

  const runIn = async (args: string[], columns?: number) => {
    const env = columns === undefined ? later : { ...later, COLUMNS: String(columns) };
    const result = await rota(args, { cwd: team, env });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  /** The "Latest without" cell of each row of the report's notes table. */
  const latestWithout = (report: string) => {
    const section = report.slice(report.indexOf("\nNotes\n"), report.indexOf("\nThemes\n"));
    return section
      .split("\n")
      .map((line) => /^ {2}\S.*? (\d{4}-\d{2}-\d{2}\/.*)$/.exec(line)?.[1])
      .filter((cell) => cell !== undefined);
  };

  test("rota report leaves out whole occurrence ids where its notes table is narrow, saying how many", async () => {
    const whole = latestWithout(await runIn(["report"]));
    expect(whole.length).toBeGreaterThan(10);
    let shortened = 0;
    for (const columns of [80, 70, 60]) {
      const narrow = latestWithout(await runIn(["report"], columns));
      expect(narrow.length, `at ${columns}`).toBe(whole.length);
      narrow.forEach((cell, i) => {
        // The ids shown are the first of the whole list, each whole, then how many are left out.
        expect(cell, `at ${columns}`).toMatch(new RegExp(`^${ID}(, ${ID})*(, \\+\\d more)?$`));
        const ids = cell.split(", ").filter((item) => !item.startsWith("+"));
        const all = (whole[i] as string).split(", ");
        expect(ids, `at ${columns}`).toEqual(all.slice(0, ids.length));
        if (ids.length < all.length) {
          expect(cell).toMatch(`, +${all.length - ids.length} more`);
          shortened++;
        }
      });
    }
    expect(shortened).toBeGreaterThan(0);
  });

  test("a person's name keeps 16 characters in rota log and in the report's swaps", async () => {
    const log = await runIn(["log"], 60);
    expect(log).toContain("  Augusta Ada Kin…  ");
    const swaps = (await runIn(["report"], 60))
      .split("\n")
      .find((line) => line.includes("dentist"));
    expect(swaps).toMatch(/^ {2}2026-12-03\/emea {2}Linus Benedict… +Jony Ive +served +dentist$/);
  });
});
