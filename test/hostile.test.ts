import {
  closeSync,
  copyFileSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, commitAll, git, initRepo, teamRepo } from "./helpers/git.ts";
import { readWithIcalJs } from "./helpers/ical.ts";
import { tempDir } from "./helpers/tmp.ts";

const NOW = { ROTA_NOW: "2026-11-23T08:00:00Z" };
const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |Error: /);

/** Every file below a directory, relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

describe("hostile roster files get a message, not a crash or a hang", () => {
  test("a file over the size limit is refused before it is read", async () => {
    const dir = tempDir();
    const file = path.join(dir, "roster.yaml");
    const fd = openSync(file, "w");
    ftruncateSync(fd, 33 * 1024 * 1024); // sparse: no disk used
    closeSync(fd);
    const result = await rota(["validate"], { cwd: dir });
    expect(result.code).toBe(2);
    // The size comes from the file system before any byte is read: a
    // roster read up to the limit is reported as 32.0 MiB (limit + 1 byte).
    expect(result.stderr).toBe(
      "roster.yaml:1:1: the roster is 33.0 MiB; rota reads rosters up to 32.0 MiB\n1 error in roster.yaml\n",
    );
  });

  test("a directory where the roster should be", async () => {
    const dir = tempDir();
    const result = await rota(["validate", "--roster", "."], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is a directory, not a file\n$/);
  });

  test("a quadratic blow-up of merge keys and anchors stays bounded", async () => {
    const dir = tempDir();
    const lines = ["version: 1", "team: x", "timezone: UTC", "a0: &a0 {k: v}"];
    for (let i = 1; i < 40; i++)
      lines.push(`a${i}: &a${i} {<<: [*a${i - 1}, *a${i - 1}], k${i}: v}`);
    writeFileSync(path.join(dir, "roster.yaml"), `${lines.join("\n")}\n`);
    const result = await rota(["validate"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("line breaks of a carriage return alone: read as line breaks, with every problem at its line and a warning", async () => {
    const dir = initRepo();
    const file = path.join(dir, "roster.yaml");
    const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
    const oldMac = (text: string) => text.replaceAll("\n", "\r");
    const warning =
      "roster.yaml:1:60: warning: this line ends with a carriage return alone (an old Mac line break), which rota reads as a line break but git and most tools do not; save the file with LF or CRLF line breaks";
    writeFileSync(
      file,
      oldMac(
        example.replace("horizon_weeks:", "horizon_weks:").replace("id: linus\n", "id: Linus\n"),
      ),
    );
    const invalid = await rota(["validate"], { cwd: dir, env: NOW });
    expect(invalid.stderr).toBe(
      [
        warning,
        'roster.yaml:10:1: unknown key "horizon_weks" in the roster; did you mean "horizon_weeks"?',
        'roster.yaml:75:9: id "Linus" is not a lowercase slug (a-z, 0-9, "-" and "_"); did you mean "linus"?',
        'roster.yaml:150:43: unknown person "linus": it most likely means "Linus", whose id is refused (that id at line 75)',
        "3 errors and 1 warning in roster.yaml",
        "",
      ].join("\n"),
    );
    expect(invalid.code).toBe(2);

    // Valid, it is read as it was, with the same warning; a swap keeps its line breaks.
    writeFileSync(file, oldMac(example));
    const valid = await rota(["validate"], { cwd: dir, env: NOW });
    expect(valid).toMatchObject({
      code: 0,
      stderr: `${warning}\n1 warning in roster.yaml\nroster.yaml is valid: 2 shifts, 17 people\n`,
    });
    expect((await rota(["plan"], { cwd: dir, env: NOW })).code).toBe(0);
    commitAll(dir, "Plan the rota");
    const swap = await rota(["swap", "2026-12-09/emea", "linus", "jony"], { cwd: dir, env: NOW });
    expect(swap.code, swap.stderr).toBe(0);
    const swapped = readFileSync(file, "utf8");
    expect(swapped).not.toContain("\n");
    expect(swapped).toContain("\r  - { date: 2026-12-09, shift: emea, out: linus, in: jony }\r");
  });

  test("flow collections nested thousands deep: a problem at its line, not an internal error", async () => {
    const dir = tempDir();
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
    writeFileSync(path.join(dir, "roster.yaml"), `version: 1\nteam: ${deep}\n`);
    const team = await rota(["validate"], { cwd: dir });
    expect(team).toMatchObject({ code: 2, stdout: "" });
    expect(team.stderr).toMatch(/^roster\.yaml:2:\d+: /);
    writeFileSync(
      path.join(dir, "roster.yaml"),
      example.replace("  dates: [", `  dates: [${deep}, `),
    );
    const plan = await rota(["plan"], { cwd: dir });
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/^roster\.yaml:\d+:\d+: /);
    expect(plan.stderr).not.toMatch(/internal error/);
  });

  test("block mappings nested thousands deep: a problem at its line, not an internal error", async () => {
    const dir = tempDir();
    const keys = Array.from({ length: 5000 }, (_, i) => `${" ".repeat(i + 1)}k:\n`);
    writeFileSync(path.join(dir, "roster.yaml"), `version: 1\nteam:\n${keys.join("")}`);
    const result = await rota(["validate"], { cwd: dir });
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(/^roster\.yaml:3:2: nested more than 64 levels deep: /);
  });
});

describe("values of megabytes, unquoted, under the size limit: refused at their place, not a crash", () => {
  // Ten million characters: a regular expression that repeats a choice overflows the stack on them.
  const long = "A".repeat(10_000_000);
  const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
  test("team, a days item and calendar url, in validate, plan and who; rota log once fixed", async () => {
    const dir = initRepo();
    const file = path.join(dir, "roster.yaml");
    writeFileSync(file, example.replace("team: Acme", `team: ${long}`));
    const validate = await rota(["validate"], { cwd: dir, env: NOW });
    expect(validate).toMatchObject({ code: 2, stdout: "" });
    expect(validate.stderr).toMatch(
      /^roster\.yaml:8:7: team is 10,000,000 characters long; at most 200 are allowed\n/,
    );
    commitAll(dir, "A roster whose team is ten megabytes long");

    const days = example.replace("days: [mon, tue, wed, thu, fri]", `days:\n      - mon${long}`);
    writeFileSync(file, days);
    const plan = await rota(["plan"], { cwd: dir, env: NOW });
    expect(plan).toMatchObject({ code: 2, stdout: "" });
    expect(plan.stderr).toMatch(
      /^roster\.yaml:21:9: "monAAAA.*" is not allowed here; expected one of mon, /,
    );

    writeFileSync(
      file,
      example.replace("url: https://acme.github.io/support", `url: https://${long}`),
    );
    const who = await rota(["who"], { cwd: dir, env: NOW });
    expect(who).toMatchObject({ code: 2, stdout: "" });
    expect(who.stderr).toMatch(
      /^roster\.yaml:157:8: url is 10,000,008 characters long; at most 2,000 are allowed\n/,
    );

    // The history keeps the long roster: the log reads it, before and after the fix.
    writeFileSync(file, example);
    commitAll(dir, "The roster, fixed");
    const log = await rota(["log"], { cwd: dir, env: NOW });
    expect(log).toMatchObject({ code: 0, stderr: "2 events in 2 commits\n" });
    expect(log.stdout).toMatch(/roster\.yaml: changed team\n/);
  });

  test("a key of five million words: a problem at its line", async () => {
    const dir = tempDir();
    const file = path.join(dir, "roster.yaml");
    writeFileSync(
      file,
      example.replace("version: 1\n", `version: 1\n${"a ".repeat(5_000_000)}b: 1\n`),
    );
    const words = await rota(["validate"], { cwd: dir });
    expect(words).toMatchObject({ code: 2, stdout: "" });
    expect(words.stderr).toMatch(/^roster\.yaml:8:1: /);
    expect(words.stderr).not.toMatch(/internal error/);
  });
});

describe("notes of megabytes, under the size limit: read, not a crash", () => {
  /** A team whose ada wrote a note after her shift (not committed): notes/2026/11/2026-11-23-americas-ada.md. */
  async function adaNote(): Promise<{ dir: string; at: Record<string, string> }> {
    const dir = await teamRepo();
    const at = { ROTA_NOW: AFTER_SHIFTS };
    const wrote = await rota(
      ["notes", "--as", "ada", "--answer", "struggles=SSO", "--answer", "fix=docs", "--no-commit"],
      { cwd: dir, env: at },
    );
    expect(wrote.code, wrote.stderr).toBe(0);
    return { dir, at };
  }

  test("an answer of millions of words joined by dots: the report and the digest read it", async () => {
    const { dir, at } = await adaNote();
    const file = path.join(dir, "notes/2026/11/2026-11-23-americas-ada.md");
    // Latin-1 text only (no en dash), as a note edited by hand may be: V8 then
    // reads it one byte a character, and an expression that repeats a group
    // overflows on half the length it needs in other text.
    const dotted = `${"a.".repeat(4_150_000)}a`;
    const fix = `[a link](${"(b)".repeat(10_000)}) ${"[".repeat(20_000)}`;
    const note = readFileSync(file, "utf8")
      .replaceAll("–", "-")
      .replace("\nSSO\n", `\n${dotted}\n`)
      .replace("\ndocs\n", `\n${fix}\n`);
    writeFileSync(file, note);
    expect(Buffer.byteLength(note)).toBeLessThan(8 * 1024 * 1024);
    for (const args of [["report"], ["report", "--period", "week"]]) {
      const report = await rota(args, { cwd: dir, env: at, timeoutMs: 120_000 });
      expect(report.stderr, args.join(" ")).not.toMatch(/internal error/);
      expect(report.code, args.join(" ")).toBe(0);
    }
  });

  test("180,000 answers without their end marker, or not numbers: each a warning at its line", async () => {
    const { dir, at } = await adaNote();
    const relative = "notes/2026/11/2026-11-23-americas-ada.md";
    const file = path.join(dir, relative);
    const note = readFileSync(file, "utf8");
    const lines = note.split("\n").length - 1;
    // Each start marker's end was looked for to the end of the note, and each
    // warning's line counted from its start: a few such notes stalled a report for hours.
    const unclosed = 150_000;
    const count = unclosed + 30_000;
    const damaged = [
      note,
      "<!-- rota:answer struggles long -->\n".repeat(unclosed),
      "<!-- rota:answer handled number -->x<!-- rota:end handled -->\n".repeat(count - unclosed),
    ].join("");
    writeFileSync(file, damaged);
    expect(Buffer.byteLength(damaged)).toBeLessThan(8 * 1024 * 1024);
    const report = await rota(["report"], { cwd: dir, env: at, timeoutMs: 120_000 });
    expect(report.stderr).not.toMatch(/internal error/);
    expect(report.code).toBe(0);
    const warnings = report.stderr
      .split("\n")
      .filter((line) => line.includes(": warning: the answer"));
    expect(warnings).toHaveLength(count);
    expect(warnings[0]).toBe(
      `${relative}:${lines + 1}:1: warning: the answer "struggles" has no end marker <!-- rota:end struggles -->; it was not read`,
    );
    expect(warnings.at(-1)).toBe(
      `${relative}:${lines + count}:1: warning: the answer "handled" is not a number: "x"`,
    );
  }, 180_000);
});

describe("hostile values in the roster and schedule reach no path, calendar or git option", () => {
  test("ids that would be paths, hidden or reserved names, or options are refused, each with its line", async () => {
    const dir = tempDir();
    const roster = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8")
      .replace("- id: ada\n", '- id: "../ada"\n')
      .replace("- id: grace\n", '- id: "/etc/grace"\n')
      .replace("- id: katherine\n", "- id: con\n")
      .replace("- id: dennis\n", '- id: "-rf"\n')
      .replace("- id: emea\n", '- id: ".emea"\n');
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    const result = await rota(["validate", "--json"], { cwd: dir });
    expect(result.code).toBe(2);
    const problems = JSON.parse(result.stdout) as { line: number; message: string }[];
    for (const id of ["../ada", "/etc/grace", "con", "-rf", ".emea"]) {
      const problem = problems.find((p) => p.message.includes(`"${id}"`));
      expect(problem, id).toBeDefined();
      expect(roster.split("\n")[(problem?.line as number) - 1], id).toContain(id);
    }
    noStackTrace(result.stderr);
  });

  test("ids in a hand-edited schedule.yaml that would be paths: refused with the line, nothing written", async () => {
    const outer = tempDir();
    const dir = path.join(outer, "team");
    mkdirSync(dir);
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    expect((await rota(["plan"], { cwd: dir, env: NOW })).code).toBe(0);
    const file = path.join(dir, "schedule.yaml");
    const planned = readFileSync(file, "utf8");
    const edits: [string, RegExp][] = [
      [
        planned.replace(
          /"id": "([^"]+)", "date": "([^"]+)", "shift": "[^"]+"/,
          '"id": "$2/../../../escape", "date": "$2", "shift": "../../../escape"',
        ),
        /^schedule\.yaml:9:\d+: shift must be a shift id; schedule\.yaml is generated: restore it from git .* and run `rota plan`$/m,
      ],
      [
        planned.replace(/"people": \["ada"/, '"people": ["../../../escape"'),
        /^schedule\.yaml:\d+:\d+: people must be a list of person ids; /m,
      ],
    ];
    for (const [text, message] of edits) {
      writeFileSync(file, text);
      const before = tree(outer);
      for (const args of [["calendar"], ["who"], ["plan"], ["report"]]) {
        const result = await rota(args, { cwd: dir, env: NOW });
        expect(result.code, args.join(" ")).toBe(2);
        expect(result.stderr, args.join(" ")).toMatch(message);
        noStackTrace(result.stderr);
      }
      expect(tree(outer)).toEqual(before);
    }
  });

  test("a name with a line break is refused; ; , : and quotes stay inside their iCalendar text", async () => {
    const dir = tempDir();
    const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
    const broken = example.replace(
      "name: Ada Lovelace",
      'name: "Ada\\r\\nATTENDEE:mailto:evil@example.com"',
    );
    writeFileSync(path.join(dir, "roster.yaml"), broken);
    const refused = await rota(["validate"], { cwd: dir, env: NOW });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^roster\.yaml:51:11: name contains U\+000D \(a control character\); write it as one line of plain text$/m,
    );

    const hostile = 'Ada; Lovelace, \\"Countess\\": of <b>Lovelace</b>';
    const roster = example
      .replace("name: Ada Lovelace", `name: "${hostile}"`)
      .replace("name: EMEA day", 'name: "EMEA; day, 1:1"');
    writeFileSync(path.join(dir, "roster.yaml"), roster);
    expect((await rota(["plan"], { cwd: dir, env: NOW })).code).toBe(0);
    expect((await rota(["calendar"], { cwd: dir, env: NOW })).code).toBe(0);
    for (const feed of ["team.ics", "people/ada.ics"]) {
      const text = readFileSync(path.join(dir, "calendars", feed), "utf8");
      const { events } = readWithIcalJs(text);
      const ada = events.filter((e) => e.description.includes("Ada; Lovelace"));
      expect(ada.length, feed).toBeGreaterThan(0);
      for (const event of ada) {
        expect(event.description).toContain('Ada; Lovelace, "Countess": of <b>Lovelace</b>');
      }
      const emea = events.filter((e) => e.summary.startsWith("Support (EMEA; day, 1:1)"));
      expect(emea.length, feed).toBeGreaterThan(0);
    }
  });

  test("arguments starting with - are never taken as git options", async () => {
    const dir = await teamRepo();
    const env = { ROTA_NOW: AFTER_SHIFTS };
    const head = git(dir, "rev-parse", "HEAD").trim();
    const out = path.join(dir, "hostile-output");
    const cases: [string[], string][] = [
      [["log", "--since", `--output=${out}`], `--since: "--output=${out}" is not a time`],
      [
        ["calendar", "--invites", "--since", `--output=${out}`],
        `--since: "--output=${out}" is not a commit here`,
      ],
      [["calendar", "--invites", "--since", "-p"], '--since: "-p" is not a commit here'],
      [["notes", "--as", "--help"], '--as: no person "--help" in roster.yaml'],
    ];
    for (const [args, message] of cases) {
      const result = await rota(args, { cwd: dir, env });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toContain(message);
      noStackTrace(result.stderr);
    }
    expect(existsSync(out)).toBe(false);
    expect(git(dir, "rev-parse", "HEAD").trim()).toBe(head);
  });
});

describe("half of a surrogate pair, written as an escape, is refused at its place", () => {
  test("in the roster, for every command that reads it; a whole pair of escapes is a character", async () => {
    const dir = tempDir();
    const example = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8");
    for (const [name, at] of [
      ['"Grace \\uD800 Hopper"', "\\uD800"],
      ['"Grace \\uDE00\\uD83D Hopper"', "\\uDE00"],
      ['"Grace \\U0000DC00 Hopper"', "\\uDC00"],
    ]) {
      writeFileSync(
        path.join(dir, "roster.yaml"),
        example.replace("name: Grace Hopper", `name: ${name}`),
      );
      for (const command of ["validate", "plan", "who"]) {
        const result = await rota([command], { cwd: dir, env: NOW });
        expect(result.code, `${command} ${name}`).toBe(2);
        expect(result.stderr).toContain(
          `roster.yaml:60:11: the escape ${at} is half of a surrogate pair, which is no character and cannot be saved: write the character itself, or both halves of its pair\n`,
        );
      }
      expect(existsSync(path.join(dir, "schedule.yaml"))).toBe(false);
    }
    writeFileSync(
      path.join(dir, "roster.yaml"),
      example.replace("name: Grace Hopper", 'name: "Grace \\uD83D\\uDE00 Hopper"'),
    );
    const whole = await rota(["plan", "--json"], { cwd: dir, env: NOW });
    expect(whole.code, whole.stderr).toBe(0);
  });

  test("in answers to rota notes: nothing is written, rather than U+FFFD in its place", async () => {
    const dir = await teamRepo();
    const answers = path.join(dir, "answers.yaml");
    writeFileSync(answers, 'struggles: "refunds \\uD800 twice"\nfix: x\nhandled: 1\nmood: 3\n');
    const result = await rota(["notes", "--as", "grace", "--answers", answers], {
      cwd: dir,
      env: { ROTA_NOW: AFTER_SHIFTS },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /answers\.yaml:1:12: the escape \\uD800 is half of a surrogate pair/,
    );
    noStackTrace(result.stderr);
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
  });
});
