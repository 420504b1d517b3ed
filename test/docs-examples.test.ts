import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BIN, ROOT, rota } from "./helpers/cli.ts";
import { type FakeChat, type FakeSmtp, startFakeChat, startFakeSmtp } from "./helpers/endpoints.ts";
import { bareRemoteOf, commitAll, git, initRepo } from "./helpers/git.ts";
import { suiteTempDir } from "./helpers/tmp.ts";

/**
 * Every example in the README, the guides in docs/ and `rota <command> --help`
 * runs as written: each `rota …` line of a ```sh block (optionally after
 * VAR=value assignments) and each `$ rota …` line under "Examples:", run by a
 * shell with the built CLI as `rota`, in a fresh copy of a repository where
 * roster.example.yaml is planned from 2026-11-23, at 2026-11-24 10:00 in the
 * roster's zone. An example exits 0 unless its comment or description says
 * `exits N`. `rota init` examples run in an empty directory, as a new team
 * would run them.
 */

const PLANNED = "2026-11-23T08:00:00+01:00";
const NOW = "2026-11-24T10:00:00+01:00";

interface Example {
  source: string;
  command: string;
  exits: number;
  /** The output a ```console block shows under the command, line by line ("..." for lines left out). */
  shows?: string[];
}

const EXITS = /\bexits (\d+)\b/;
const COMMAND = /^((?:[A-Z_][A-Z0-9_]*=\S+ +)*)rota(?: |$)/;

/** The `rota` lines of the ```sh blocks of a markdown file. */
function markdownExamples(file: string): Example[] {
  const examples: Example[] = [];
  let inSh = false;
  readFileSync(path.join(ROOT, file), "utf8")
    .split("\n")
    .forEach((line, index) => {
      if (line.startsWith("```")) {
        inSh = !inSh && /^```(sh|bash|shell)\s*$/.test(line);
        return;
      }
      if (!inSh || !COMMAND.test(line)) return;
      const exits = EXITS.exec(line.split(" # ").slice(1).join(" # "));
      examples.push({
        source: `${file}:${index + 1}`,
        command: line,
        exits: exits ? Number(exits[1]) : 0,
      });
    });
  return examples;
}

/**
 * The `$ rota …` lines of the ```console blocks of a markdown file, with the
 * output shown under each. A shown error (`rota: …`) is a user's mistake,
 * which exits 2. A block after `<!-- not run: why -->` is not run.
 */
function consoleExamples(file: string): Example[] {
  const examples: Example[] = [];
  let inConsole = false;
  let skip = false;
  let current: Example | undefined;
  readFileSync(path.join(ROOT, file), "utf8")
    .split("\n")
    .forEach((line, index) => {
      if (line.startsWith("<!-- not run:")) skip = true;
      if (line.startsWith("```")) {
        inConsole = !inConsole && /^```console\s*$/.test(line) && !skip;
        if (!line.startsWith("```console")) skip = false;
        current = undefined;
        return;
      }
      if (!inConsole) return;
      const command = /^\$ (.*)$/.exec(line)?.[1];
      if (command !== undefined) {
        current = COMMAND.test(command)
          ? { source: `${file}:${index + 1}`, command, exits: 0, shows: [] }
          : undefined;
        if (current) examples.push(current);
        return;
      }
      if (!current?.shows) return;
      if (current.shows.length === 0 && line.startsWith("rota: ")) current.exits = 2;
      current.shows.push(line);
    });
  return examples;
}

/** The "Examples:" of `rota [command] --help`: a command, then its description after two spaces. */
function helpExamples(args: string[]): Example[] {
  const help = spawnSync(process.execPath, [BIN, ...args, "--help"], { encoding: "utf8" });
  const examples: Example[] = [];
  for (const line of help.stdout.split("\n")) {
    const match = /^ {2}\$ (.*)$/.exec(line);
    if (!match?.[1]) continue;
    const [command = "", ...rest] = match[1].split(/ {2,}/);
    const exits = EXITS.exec(rest.join(" "));
    examples.push({
      source: `rota ${[...args, "--help"].join(" ")}`,
      command: command.trim(),
      exits: exits ? Number(exits[1]) : 0,
    });
  }
  return examples;
}

function commandsOf(): string[] {
  const help = spawnSync(process.execPath, [BIN, "--help"], { encoding: "utf8" }).stdout;
  const section = help.split(/^Commands:$/m)[1] ?? "";
  return [...section.matchAll(/^ {2}([a-z]+)\b/gm)]
    .map((match) => match[1] as string)
    .filter((command) => command !== "help");
}

const markdown = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((file) => file.endsWith(".md"))
    .map((file) => `docs/${file}`),
];
const commands = commandsOf();
/** Each distinct command once, named by every place that shows it. */
const examples: Example[] = [
  ...[
    ...markdown.flatMap(markdownExamples),
    ...markdown.flatMap(consoleExamples),
    ...helpExamples([]),
    ...commands.flatMap((command) => helpExamples([command])),
  ]
    .reduce((byCommand, example) => {
      const key = `${example.command}\u0000${example.shows?.join("\n") ?? ""}`;
      const seen = byCommand.get(key);
      if (seen) seen.source += `, ${example.source}`;
      else byCommand.set(key, { ...example });
      return byCommand;
    }, new Map<string, Example>())
    .values(),
];

let template: string;
let bin: string;
let chat: FakeChat;
let smtp: FakeSmtp;

beforeAll(async () => {
  chat = await startFakeChat();
  smtp = await startFakeSmtp();
  template = suiteTempDir("rota-docs-");
  // The team's repository, planned from 2026-11-23 and pushed to a remote.
  const team = path.join(template, "team");
  mkdirSync(team);
  initRepo(team);
  cpSync(path.join(ROOT, "roster.example.yaml"), path.join(team, "roster.yaml"));
  const plan = await rota(["plan"], { cwd: team, env: { ROTA_NOW: PLANNED } });
  if (plan.code !== 0) throw new Error(plan.stderr);
  commitAll(team, "Roster and first plan");
  // A note with a fix (its id, 72a0346fd7, is in the fix examples), and a
  // help-desk export in each format under the names the examples use.
  writeFileSync(path.join(team, "answers.yaml"), "struggles: SSO setup\nfix: SAML docs\n");
  const note = await rota(
    ["notes", "--as", "ada", "--shift", "2026-11-23/emea", "--answers", "answers.yaml"],
    { cwd: team, env: { ROTA_NOW: NOW } },
  );
  if (note.code !== 0) throw new Error(note.stderr);
  const tickets = path.join(ROOT, "test/fixtures/tickets");
  for (const [name, fixture] of [
    ["zendesk.csv", "zendesk.csv"],
    ["zendesk-tickets.csv", "zendesk.csv"],
    ["intercom.json", "intercom.json"],
    ["front.csv", "front.csv"],
    ["export.csv", "generic.csv"],
  ] as const) {
    cpSync(path.join(tickets, fixture), path.join(team, name));
  }
  const remote = bareRemoteOf(team);
  cpSync(remote, path.join(template, "remote.git"), { recursive: true });
  // Relative, so that every copy pushes to its own copy of the remote.
  git(team, "remote", "set-url", "origin", "../remote.git");
  // answers.yaml (above) is for `rota notes --answers answers.yaml` too.
  // A second team's directory, for `rota -C ../support …`.
  mkdirSync(path.join(template, "support"));
  cpSync(path.join(ROOT, "roster.example.yaml"), path.join(template, "support", "roster.yaml"));
  // `rota` on the PATH: the built CLI.
  bin = path.join(template, "bin");
  mkdirSync(bin);
  writeFileSync(path.join(bin, "rota"), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(path.join(bin, "rota"), 0o755);
});

afterAll(async () => {
  await chat?.close();
  await smtp?.close();
});

function run(example: Example): Promise<{ code: number | null; output: string }> {
  const dir = suiteTempDir("rota-example-");
  cpSync(template, dir, { recursive: true });
  const team = path.join(dir, "team");
  const cwd = /^rota init\b/.test(example.command) ? path.join(dir, "empty") : team;
  mkdirSync(cwd, { recursive: true });
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    ROTA_NOW: NOW,
    ROTA_SLACK_WEBHOOK: chat.url("/slack"),
    ROTA_SMTP_URL: smtp.url,
    EDITOR: "true",
  };
  for (const key of ["FORCE_COLOR", "NO_COLOR", "ROTA_DEBUG", "GITHUB_EVENT_NAME"]) delete env[key];
  for (const key of Object.keys(env)) if (key.startsWith("CI_MERGE_REQUEST")) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", example.command], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("every example in the docs and in --help runs as written", () => {
  test("there are examples from the README, the guides and every command's help", () => {
    const sources = new Set(
      examples.flatMap((example) =>
        example.source.split(", ").map((source) => source.split(":")[0]),
      ),
    );
    expect(sources).toContain("README.md");
    expect(sources).toContain("docs/getting-started.md");
    expect(sources).toContain("docs/covers.md");
    for (const command of commands) expect(sources).toContain(`rota ${command} --help`);
  });

  test.concurrent.each(
    examples.map((example) => [`${example.source}: ${example.command}`, example] as const),
  )("%s", async (_name, example) => {
    const result = await run(example);
    expect(
      result.code,
      `${example.command} (${example.source}) exited ${result.code}:\n${result.output}`,
    ).toBe(example.exits);
    // What a ```console block shows is what the command prints, line for line (indents aside).
    const printed = new Set(result.output.split("\n").map((line) => line.trim()));
    const missing = (example.shows ?? [])
      .map((line) => line.trim())
      .filter((line) => line !== "..." && line !== "" && !printed.has(line));
    expect(missing, `${example.command} (${example.source}) printed:\n${result.output}`).toEqual(
      [],
    );
  });
});

/** Guides written elsewhere that the README and the guides may link to before they exist. */
const COMING = new Set(["covers.md", "benchmarks.md", "tickets.md", "fixes.md", "site.md"]);

/** GitHub's anchors for the headings of a markdown file (outside code blocks). */
function anchors(text: string): Set<string> {
  const found = new Set<string>();
  const counts = new Map<string, number>();
  let fence = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fence = !fence;
    const heading = fence ? null : /^#{1,6} (.*)$/.exec(line);
    if (!heading?.[1]) continue;
    const slug = heading[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const seen = counts.get(slug) ?? 0;
    counts.set(slug, seen + 1);
    found.add(seen === 0 ? slug : `${slug}-${seen}`);
  }
  return found;
}

describe("the README and the guides", () => {
  test.each(markdown)(
    "%s: every relative link leads somewhere, no line over 200 characters",
    (file) => {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      const long = text.split("\n").filter((line) => line.length > 200);
      expect(long).toEqual([]);
      const prose = text.replace(/```[\s\S]*?```/g, "");
      const broken: string[] = [];
      for (const [, target = ""] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [name = "", anchor] = target.split("#");
        const resolved = name
          ? path.join(path.dirname(path.join(ROOT, file)), name)
          : path.join(ROOT, file);
        if (!existsSync(resolved)) {
          if (!COMING.has(path.basename(resolved))) broken.push(target);
          continue;
        }
        if (
          anchor &&
          resolved.endsWith(".md") &&
          !anchors(readFileSync(resolved, "utf8")).has(anchor)
        ) {
          broken.push(target);
        }
      }
      expect(broken).toEqual([]);
    },
  );
});
