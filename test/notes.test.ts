import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseNote } from "../src/core/notes/note.ts";
import { gitMessage, isRejected } from "../src/io/git.ts";
import { BIN, outputOf, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, bareRemoteOf, cloneOf, git, teamRepo } from "./helpers/git.ts";
import { suiteTempDir, tempDir } from "./helpers/tmp.ts";

const ADA_NOTE = "notes/2026/11/2026-11-23-americas-ada.md";
const ANSWERS = [
  "--answer",
  "struggles=Setting up SSO with Okta",
  "--answer",
  "fix=Document the SAML metadata URL",
  "--answer",
  "handled=14",
  "--answer",
  "tags=SSO, billing",
  "--answer",
  "mood=4",
];

const at = (env: Record<string, string> = {}) => ({ ROTA_NOW: AFTER_SHIFTS, ...env });

function read(dir: string, file: string) {
  const result = parseNote(readFileSync(path.join(dir, file), "utf8"), file);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  expect(result.warnings).toEqual([]);
  return result.note;
}

let withAdaNote: Promise<string> | undefined;

/**
 * A copy of the team's repository in which `rota notes` with ANSWERS wrote
 * and committed ada's note: written once per file.
 */
async function repoWithAdaNote(): Promise<string> {
  withAdaNote ??= teamRepo(suiteTempDir()).then(async (dir) => {
    const result = await rota(["notes", ...ANSWERS], { cwd: dir, env: at() });
    expect(result.code, result.stderr).toBe(0);
    return dir;
  });
  const dir = tempDir();
  cpSync(await withAdaNote, dir, { recursive: true });
  return dir;
}

/** Files in the last commit. */
function committed(dir: string): string[] {
  return git(dir, "show", "--name-only", "--format=", "HEAD").trim().split("\n");
}

describe("rota notes without a terminal", () => {
  test("writes the note for the person's latest shift and commits only that file", async () => {
    const dir = await teamRepo();
    // A dirty tree: a tracked change, a staged file and an untracked one.
    writeFileSync(
      path.join(dir, "roster.yaml"),
      `${readFileSync(path.join(dir, "roster.yaml"))}# wip\n`,
    );
    writeFileSync(path.join(dir, "staged.txt"), "staged\n");
    git(dir, "add", "staged.txt");
    writeFileSync(path.join(dir, "untracked.txt"), "untracked\n");

    const result = await rota(["notes", ...ANSWERS], { cwd: dir, env: at() });
    expect(result.stderr).toContain(
      "Notes for Americas day, Mon 23 Nov 2026 09:00–17:00 (2026-11-23/americas) by Ada Lovelace",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${ADA_NOTE}\n`);
    expect(committed(dir)).toEqual([ADA_NOTE]);
    expect(git(dir, "log", "-1", "--format=%an <%ae>%n%B")).toBe(
      [
        "Ada Lovelace <ada@example.com>",
        "notes(2026-11-23/americas): ada",
        "",
        "Field notes by Ada Lovelace on Americas day, 2026-11-23.",
        "",
        "Rota-Occurrence: 2026-11-23/americas",
        "Rota-Person: ada",
        "",
        "",
      ].join("\n"),
    );
    expect(git(dir, "status", "--porcelain").split("\n").sort()).toEqual(
      ["", " M roster.yaml", "A  staged.txt", "?? untracked.txt"].sort(),
    );
    const note = read(dir, ADA_NOTE);
    expect(note.frontMatter).toMatchObject({
      occurrence: "2026-11-23/americas",
      date: "2026-11-23",
      shift: "americas",
      person: "ada",
      team: "support",
      tags: ["sso", "billing"],
      numbers: { handled: 14, mood: 4 },
    });
    expect(note.entries[0]?.answers).toEqual({
      struggles: "Setting up SSO with Okta",
      fix: "Document the SAML metadata URL",
      handled: 14,
      tags: ["sso", "billing"],
      mood: 4,
    });
    expect(note.entries[0]?.written).toBe("2026-11-24T18:00:00+01:00");
  });

  test("running it again appends a dated entry, merges tags, and loses nothing", async () => {
    const dir = await repoWithAdaNote();
    const first = readFileSync(path.join(dir, ADA_NOTE), "utf8");
    const second = await rota(
      [
        "notes",
        "--answer",
        "struggles=Invoices in the wrong currency",
        "--answer",
        "fix=Currency on invoices",
        "--answer",
        "tags=invoices",
        "--answer",
        "tags=billing",
        "--answer",
        "mood=2",
      ],
      { cwd: dir, env: at({ ROTA_NOW: "2026-11-25T08:30:00+01:00" }) },
    );
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`${ADA_NOTE} exists: this adds a new entry to it`);
    const text = readFileSync(path.join(dir, ADA_NOTE), "utf8");
    const body = (t: string) => t.slice(t.indexOf("<!-- rota:entry"));
    expect(body(text).startsWith(body(first))).toBe(true);
    const note = read(dir, ADA_NOTE);
    expect(note.entries.map((e) => e.written)).toEqual([
      "2026-11-24T18:00:00+01:00",
      "2026-11-25T08:30:00+01:00",
    ]);
    expect(note.frontMatter.tags).toEqual(["sso", "billing", "invoices"]);
    expect(note.frontMatter.numbers).toEqual({ handled: 14, mood: 2 });
    expect(git(dir, "log", "-1", "--format=%B")).toContain("Entry 2 of the field notes by Ada");
    expect(git(dir, "rev-list", "--count", "HEAD").trim()).toBe("3");
  });

  test("a note an editor saved with a byte-order mark and Windows line ends keeps both when an entry is added", async () => {
    const dir = await repoWithAdaNote();
    const file = path.join(dir, ADA_NOTE);
    const saved = `\ufeff${readFileSync(file, "utf8").replaceAll("\n", "\r\n")}`;
    writeFileSync(file, saved);
    git(dir, "commit", "-qam", "Ada's note saved on Windows");
    const second = await rota(
      ["notes", "--answer", "struggles=Refunds", "--answer", "fix=Refund button"],
      {
        cwd: dir,
        env: at({ ROTA_NOW: "2026-11-25T08:30:00+01:00" }),
      },
    );
    expect(second.code).toBe(0);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text.replaceAll("\r\n", "")).not.toContain("\n");
    // The body written before is there byte for byte, the new entry after it.
    const body = (t: string) => t.slice(t.indexOf("<!-- rota:entry"));
    expect(body(text).startsWith(body(saved))).toBe(true);
    expect(read(dir, ADA_NOTE).entries).toHaveLength(2);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("a committed note deleted here is neither written afresh nor committed over; both ways out work", async () => {
    const dir = await repoWithAdaNote();
    const first = readFileSync(path.join(dir, ADA_NOTE), "utf8");
    const again = at({ ROTA_NOW: "2026-11-25T08:30:00+01:00" });
    const commands = (stderr: string) =>
      [...stderr.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
    for (const remove of [
      () => unlinkSync(path.join(dir, ADA_NOTE)),
      () => git(dir, "rm", "-q", "--", ADA_NOTE),
    ]) {
      remove();
      const refused = await rota(["notes", ...ANSWERS], { cwd: dir, env: again });
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain(
        `rota: ${ADA_NOTE} is committed but deleted here, so a new note would replace it and the entries in it`,
      );
      expect(existsSync(path.join(dir, ADA_NOTE))).toBe(false);
      expect(git(dir, "show", `HEAD:${ADA_NOTE}`)).toBe(first);
      // Brought back, it takes the new entry.
      const [restore] = commands(refused.stderr);
      spawnSync("sh", ["-c", restore as string], { cwd: dir });
      expect(readFileSync(path.join(dir, ADA_NOTE), "utf8")).toBe(first);
      expect(git(dir, "status", "--porcelain")).toBe("");
    }
    const added = await rota(["notes", ...ANSWERS], { cwd: dir, env: again });
    expect(added.code, added.stderr).toBe(0);
    expect(read(dir, ADA_NOTE).entries).toHaveLength(2);
    // Its deletion committed first, a note begins again.
    unlinkSync(path.join(dir, ADA_NOTE));
    const refused = await rota(["notes", ...ANSWERS], { cwd: dir, env: again });
    const [, remove] = commands(refused.stderr);
    expect(spawnSync("sh", ["-c", remove as string], { cwd: dir }).status).toBe(0);
    expect(git(dir, "status", "--porcelain")).toBe("");
    const fresh = await rota(["notes", ...ANSWERS], { cwd: dir, env: again });
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(read(dir, ADA_NOTE).entries).toHaveLength(1);
  });

  test("answers from a YAML file or standard input; hostile text round-trips", async () => {
    const dir = await teamRepo();
    const hostile = [
      "---",
      "title: not front matter",
      "---",
      "# A heading",
      "<!-- rota:end struggles -->",
      "<script>alert('x')</script>",
      "<!-- rota:entry 2030-01-01T00:00:00Z -->",
      "- [link](javascript:alert(1))",
      "key: &a [*a]",
    ].join("\n");
    const answersFile = path.join(dir, "answers.yaml");
    writeFileSync(
      answersFile,
      `struggles: |\n${hostile
        .split("\n")
        .map((line) => `  ${line}`)
        .join("\n")}\nfix: "---"\ntags: ["a: b", "#x"]\n`,
    );
    const fromFile = await rota(["notes", "--answers", "answers.yaml"], { cwd: dir, env: at() });
    expect(fromFile.code).toBe(0);
    const note = read(dir, ADA_NOTE);
    expect(note.entries[0]?.answers).toEqual({
      struggles: hostile,
      fix: "---",
      tags: ["a:-b", "x"],
    });
    expect(note.frontMatter.tags).toEqual(["a:-b", "x"]);
    expect(committed(dir)).toEqual([ADA_NOTE]);

    const fromStdin = await rota(["notes", "--as", "grace"], {
      cwd: dir,
      env: at(),
      input: "struggles: 'Line one\n\n  two: three'\nfix: '<b>bold</b>'\nmood: 5\n",
    });
    expect(fromStdin.code).toBe(0);
    const grace = read(dir, "notes/2026/11/2026-11-24-emea-grace.md");
    expect(grace.entries[0]?.answers).toEqual({
      struggles: "Line one\ntwo: three",
      fix: "<b>bold</b>",
      mood: 5,
    });
  });

  test("an entry that would take the note past what rota reads back is refused before it is written", async () => {
    const dir = await teamRepo();
    mkdirSync(path.join(dir, "notes"), { recursive: true });
    const template = `---\nquestions:\n  - { id: fix, prompt: One thing to fix? }\n---\n${"x".repeat(5_000_000)}\n{{fix}}\n`;
    writeFileSync(path.join(dir, "notes", "TEMPLATE.md"), template);
    const first = await rota(["notes", "--answer", "fix=one"], { cwd: dir, env: at() });
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(path.join(dir, ADA_NOTE));
    const second = await rota(["notes", "--answer", "fix=two"], { cwd: dir, env: at() });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(
        `^rota: ${ADA_NOTE.replaceAll(".", "\\.")} would be 9\\.5 MiB with this entry; rota reads notes up to 8\\.0 MiB: shorten the answers, or the template's body \\(every entry copies it\\); nothing was written\n`,
        "m",
      ),
    );
    expect(readFileSync(path.join(dir, ADA_NOTE)).equals(before)).toBe(true);
  });

  test("answers on a pipe that stays open: after a moment rota says what it waits for, then takes them", async () => {
    const dir = await teamRepo();
    const child = spawn(process.execPath, [BIN, "notes", "--as", "grace"], {
      cwd: dir,
      env: { ...process.env, ...at(), NO_COLOR: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    const notice =
      "rota notes: reading the answers as YAML from standard input, which is not a terminal; end it (Ctrl-D), or give the answers with --answer ID=TEXT\n";
    await new Promise<void>((resolve, reject) => {
      child.on("exit", () => reject(new Error(`rota ended before the notice: ${stderr}`)));
      child.stderr.on("data", (data: Buffer) => {
        stderr += data.toString();
        if (stderr.includes(notice)) resolve();
      });
    });
    child.removeAllListeners("exit");
    const code = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stdin.end("struggles: Refunds\nfix: Docs\n");
    expect(await code).toBe(0);
    expect(stderr.indexOf(notice)).toBe(stderr.lastIndexOf(notice));
    expect(read(dir, "notes/2026/11/2026-11-24-emea-grace.md").entries[0]?.answers).toMatchObject({
      struggles: "Refunds",
      fix: "Docs",
    });
  });

  test("answers or a note nested thousands of levels deep: one problem where the nesting starts, exit 2", async () => {
    const dir = await teamRepo();
    const deep =
      "nested more than 64 levels deep: rota reads files nested up to 64 levels; write it flatter";
    const nested = `struggles: SSO\nfix: ${"[".repeat(1000)}${"]".repeat(1000)}\n`;
    writeFileSync(path.join(dir, "answers.yaml"), nested);
    const fromFile = await rota(["notes", "--answers", "answers.yaml"], { cwd: dir, env: at() });
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toBe(`answers.yaml:2:6: ${deep}\n1 error in answers.yaml\n`);
    const fromStdin = await rota(["notes"], { cwd: dir, env: at(), input: nested });
    expect(fromStdin.code).toBe(2);
    expect(fromStdin.stderr).toMatch(new RegExp(`^stdin:2:6: ${deep}\n`));
    expect(existsSync(path.join(dir, ADA_NOTE))).toBe(false);

    // A note whose front matter someone nested as deep.
    expect((await rota(["notes", ...ANSWERS], { cwd: dir, env: at() })).code).toBe(0);
    const note = readFileSync(path.join(dir, ADA_NOTE), "utf8");
    const damaged = note.replace(/^---\n/, `---\nextra: ${"[".repeat(1000)}${"]".repeat(1000)}\n`);
    writeFileSync(path.join(dir, ADA_NOTE), damaged);
    const again = await rota(["notes", ...ANSWERS], { cwd: dir, env: at() });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${ADA_NOTE}:2:8: ${deep}\n`);
    expect(readFileSync(path.join(dir, ADA_NOTE), "utf8")).toBe(damaged);
    const report = await rota(["report"], { cwd: dir, env: at() });
    expect(report.code).toBe(0);
    expect(report.stderr).toContain(`${ADA_NOTE}:2:8: warning: ${deep}; the note is skipped`);

    // Block mappings thousands deep, stepped back out of: the yaml package's
    // parser runs out of stack on them before any depth is known.
    const stepped = `extra:\n${Array.from({ length: 2500 }, (_, i) => `${"  ".repeat(i + 1)}k:\n`).join("")}`;
    writeFileSync(path.join(dir, ADA_NOTE), note.replace(/^---\n/, `---\n${stepped}`));
    const blocks = await rota(["report"], { cwd: dir, env: at() });
    expect(blocks.code).toBe(0);
    expect(blocks.stderr).toContain(`${ADA_NOTE}:3:3: warning: ${deep}; the note is skipped`);
    writeFileSync(path.join(dir, ADA_NOTE), note);
    writeFileSync(
      path.join(dir, "answers.yaml"),
      `struggles: SSO\nfix:\n${stepped.slice(7)}x: 1\n`,
    );
    const answers = await rota(["notes", "--answers", "answers.yaml"], { cwd: dir, env: at() });
    expect(answers.code).toBe(2);
    expect(answers.stderr).toBe(`answers.yaml:3:3: ${deep}\n1 error in answers.yaml\n`);
  });

  test("answers holding lines like git's conflict markers round-trip, and the note takes more entries", async () => {
    const dir = await teamRepo();
    // A pasted merge conflict (diff3 style), and lines already escaped once.
    const pasted = [
      "The rebase stopped on:",
      "<<<<<<< HEAD",
      "ours",
      "||||||| base",
      "=======",
      "theirs",
      ">>>>>>> topic",
      "\\<<<<<<< not a marker",
      "\\\\=======",
    ].join("\n");
    writeFileSync(
      path.join(dir, "answers.yaml"),
      `struggles: |\n${pasted
        .split("\n")
        .map((line) => `  ${line}`)
        .join("\n")}\n`,
    );
    const first = await rota(
      ["notes", "--answers", "answers.yaml", "--answer", "fix=>>>>>>> main"],
      { cwd: dir, env: at() },
    );
    expect(first.stderr).not.toMatch(/conflict/i);
    expect(first.code).toBe(0);
    expect(read(dir, ADA_NOTE).entries[0]?.answers).toEqual({
      struggles: pasted,
      fix: ">>>>>>> main",
    });

    const second = await rota(
      ["notes", "--answer", "struggles=More", "--answer", `fix=${"=".repeat(7)}`],
      {
        cwd: dir,
        env: at({ ROTA_NOW: "2026-11-25T08:30:00+01:00" }),
      },
    );
    expect(second.stderr).not.toMatch(/conflict/i);
    expect(second.code).toBe(0);
    expect(read(dir, ADA_NOTE).entries.map((e) => e.answers)).toEqual([
      { struggles: pasted, fix: ">>>>>>> main" },
      { struggles: "More", fix: "=======" },
    ]);
    const report = await rota(["report", "--json"], { cwd: dir, env: at() });
    expect(report.stderr).not.toMatch(/conflict/i);
    expect(JSON.parse(report.stdout).totals).toMatchObject({ withNotes: 1, notes: 1 });
  });

  test("a missing required answer exits 2 naming the flag, and writes nothing", async () => {
    const dir = await teamRepo();
    const result = await rota(["notes", "--answer", "mood=3"], { cwd: dir, env: at() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'rota: no answer to 2 required questions: struggles ("What did customers struggle with?"), fix ("One thing we should fix"). Pass --answer struggles=… for each (or --answers FILE.yaml, or YAML on standard input), or run rota notes in a terminal to be asked\n',
    );
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
    expect(git(dir, "rev-list", "--count", "HEAD").trim()).toBe("1");
  });

  test("with answers as flags it never reads standard input, even one left open", async () => {
    const dir = await teamRepo();
    const child = spawn(process.execPath, [BIN, "notes", ...ANSWERS], {
      cwd: dir,
      env: { ...process.env, ROTA_NOW: AFTER_SHIFTS },
      stdio: ["pipe", "pipe", "pipe"],
    });
    // stdin stays open: rota must finish without waiting for it.
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.destroy();
    expect(code).toBe(0);
  });

  test("wrong answers are usage errors with suggestions", async () => {
    const dir = await teamRepo();
    const result = await rota(
      [
        "notes",
        ...ANSWERS,
        "--answer",
        "mod=4",
        "--answer",
        "handled=a dozen",
        "--answer",
        "noequals",
      ],
      { cwd: dir, env: at() },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'rota: --answer "noequals": use --answer ID=VALUE, e.g. --answer fix="the login page"\n',
    );
    const again = await rota(["notes", ...ANSWERS, "--answer", "mod=4", "--answer", "fix=x"], {
      cwd: dir,
      env: at(),
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe("rota: --answer fix is given 2 times; give each answer once\n");
    const third = await rota(
      [
        "notes",
        "--answer",
        "struggles=x",
        "--answer",
        "fix=y",
        "--answer",
        "mod=4",
        "--answer",
        "handled=many",
      ],
      { cwd: dir, env: at() },
    );
    expect(third.code).toBe(2);
    expect(third.stderr).toBe(
      [
        "rota: the answers have problems:",
        '  --answer mod: no question has the id "mod"; did you mean "mood"? (the questions: struggles, surprised, fix, handled, tags, mood)',
        '  --answer handled: expected a number, not "many"',
        "",
      ].join("\n"),
    );
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
  });

  test("--force credits nobody: rota says whose shift it stays and prints the cover that credits the writer", async () => {
    const dir = await teamRepo();
    const forced = await rota(
      ["notes", "--as", "ada", "--shift", "2026-11-24/emea", "--force", ...ANSWERS],
      { cwd: dir, env: at() },
    );
    expect(forced.code).toBe(0);
    expect(committed(dir)).toEqual(["notes/2026/11/2026-11-24-emea-ada.md"]);
    expect(forced.stderr).not.toContain("covering");
    expect(forced.stderr).toContain(
      "note: 2026-11-24/emea is still credited to grace, katherine in schedule.yaml, not to ada: rota report counts it for those on it. " +
        "If ada stood in for someone, record the cover (then commit roster.yaml and schedule.yaml):\n" +
        "  rota swap --cover 2026-11-24/emea grace ada\n" +
        "  rota swap --cover 2026-11-24/emea katherine ada\n",
    );
    const served = async () => {
      const report = await rota(["report", "--json"], {
        cwd: dir,
        env: { ROTA_NOW: "2026-11-25T10:00:00+01:00" },
      });
      expect(report.code, report.stderr).toBe(0);
      const people: { id: string; served: number }[] = JSON.parse(report.stdout).people;
      return Object.fromEntries(
        people.filter((p) => ["ada", "katherine"].includes(p.id)).map((p) => [p.id, p.served]),
      );
    };
    const before = await served();
    // The command printed, run as printed, moves the shift to the writer.
    const cover = await rota(["swap", "--cover", "2026-11-24/emea", "katherine", "ada"], {
      cwd: dir,
      env: at(),
    });
    expect(cover.code, cover.stderr).toBe(0);
    const after = await served();
    expect(after.ada).toBe((before.ada ?? 0) + 1);
    expect(after.katherine).toBe((before.katherine ?? 0) - 1);
  });

  test("who and which shift: git email, --as, --shift, and --force for a shift covered", async () => {
    const dir = await teamRepo();
    git(dir, "config", "user.email", "nobody@example.com");
    const unknown = await rota(["notes", ...ANSWERS], { cwd: dir, env: at() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "rota: nobody in roster.yaml has the email nobody@example.com (git config user.email): add it to your entry, or pass --as <person id>\n",
    );
    const typo = await rota(["notes", "--as", "grcae", ...ANSWERS], { cwd: dir, env: at() });
    expect(typo.stderr).toBe(
      'rota: --as: no person "grcae" in roster.yaml; did you mean "grace"?\n',
    );

    const notOn = await rota(["notes", "--as", "ada", "--shift", "2026-11-24/emea", ...ANSWERS], {
      cwd: dir,
      env: at(),
    });
    expect(notOn.code).toBe(2);
    expect(notOn.stderr).toBe(
      "rota: ada is not on 2026-11-24/emea in schedule.yaml (on it: grace, katherine): if you covered for someone, record it with `rota swap --cover 2026-11-24/emea <absent> ada` (or pass --force to write the notes anyway)\n",
    );
    const covered = await rota(
      ["notes", "--as", "ada", "--shift", "2026-11-24/emea", "--force", ...ANSWERS],
      { cwd: dir, env: at() },
    );
    expect(covered.code).toBe(0);
    expect(covered.stderr).toContain("(not on it in the schedule)");
    expect(committed(dir)).toEqual(["notes/2026/11/2026-11-24-emea-ada.md"]);
    // The commit's author is whoever runs git, not the person written as.
    expect(git(dir, "log", "-1", "--format=%ae").trim()).toBe("nobody@example.com");

    const future = await rota(
      ["notes", "--as", "ada", "--shift", "2026-11-25/americas", ...ANSWERS],
      {
        cwd: dir,
        env: at(),
      },
    );
    expect(future.code).toBe(2);
    expect(future.stderr).toContain("2026-11-25/americas has not started yet");
  });

  test("a team's template in notes/TEMPLATE.md, or the one the roster names", async () => {
    const dir = await teamRepo();
    mkdirSync(path.join(dir, "notes"));
    writeFileSync(
      path.join(dir, "notes/TEMPLATE.md"),
      "---\nquestions:\n  - { id: lesson, prompt: What did you learn?, required: true }\n  - { id: channel, prompt: Where?, type: choice, choices: [email, chat] }\n---\n# {{person_name}} learned\n\n{{lesson}}\n\nChannel: {{channel}}\n",
    );
    const result = await rota(
      ["notes", "--answer", "lesson=Listen first", "--answer", "channel=Chat"],
      {
        cwd: dir,
        env: at(),
      },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("(template: notes/TEMPLATE.md)");
    expect(read(dir, ADA_NOTE).entries[0]?.answers).toEqual({
      lesson: "Listen first",
      channel: "chat",
    });

    writeFileSync(
      path.join(dir, "roster.yaml"),
      `${readFileSync(path.join(dir, "roster.yaml"))}\nnotes:\n  template: missing.md\n`,
    );
    const missing = await rota(["notes", "--as", "grace", ...ANSWERS], { cwd: dir, env: at() });
    expect(missing.code).toBe(2);
    // At notes.template's line, as validate reports it.
    const line = readFileSync(path.join(dir, "roster.yaml"), "utf8").split("\n").length - 1;
    expect(missing.stderr).toContain(
      `roster.yaml:${line}:13: notes.template is missing.md, but missing.md does not exist`,
    );

    writeFileSync(
      path.join(dir, "missing.md"),
      "---\nquestions:\n  - { id: x, prompt: X, type: essay }\n---\n",
    );
    const broken = await rota(["notes", "--as", "grace", ...ANSWERS], { cwd: dir, env: at() });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toBe(
      "missing.md:3:31: type must be one of text, long, number, rating, tags, yesno, choice\n1 error in missing.md\n",
    );
  });
});

describe("rota notes and the repository", () => {
  test("a repository git refuses as another user's: exit 1 saying how to allow it, not `git init`", async () => {
    const dir = await teamRepo();
    // What git says of a repository owned by someone else, without another user.
    const env = { ...at(), GIT_TEST_ASSUME_DIFFERENT_OWNER: "1" };
    const allow = `git config --global --add safe.directory ${dir}`;
    for (const args of [["notes", "--as", "ada", ...ANSWERS], ["log"], ["calendar"]]) {
      const refused = await rota(args, { cwd: dir, env });
      expect(refused.code, `${args[0]}: ${refused.stderr}`).toBe(1);
      expect(refused.stderr).toContain(
        `rota: git refuses the repository at ${dir}: it belongs to another user`,
      );
      expect(refused.stderr).toContain(allow);
      expect(refused.stderr).not.toContain("git init");
    }
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
    expect(existsSync(path.join(dir, "calendars"))).toBe(false);
    // A path with a quote in it: named whole, quoted for the shell.
    const quoted = path.join(tempDir(), "it's a team");
    mkdirSync(quoted);
    for (const file of ["roster.yaml", "schedule.yaml"]) {
      writeFileSync(path.join(quoted, file), readFileSync(path.join(dir, file)));
    }
    git(quoted, "init", "-q");
    const log = await rota(["log"], { cwd: quoted, env });
    expect(log.code).toBe(1);
    expect(log.stderr).toContain(`at ${quoted}: it belongs to another user`);
    expect(log.stderr).toContain(
      `git config --global --add safe.directory '${quoted.replace("'", "'\\''")}'`,
    );
  });

  test("outside a repository: exit 2, unless --no-commit", async () => {
    const repo = await teamRepo();
    const dir = tempDir();
    for (const file of ["roster.yaml", "schedule.yaml"]) {
      writeFileSync(path.join(dir, file), readFileSync(path.join(repo, file)));
    }
    const refused = await rota(["notes", "--as", "ada", ...ANSWERS], { cwd: dir, env: at() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "is not inside a git repository, so the note cannot be committed: run `git init` there, or pass --no-commit to only write the note",
    );
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
    const written = await rota(["notes", "--as", "ada", "--no-commit", ...ANSWERS], {
      cwd: dir,
      env: at(),
    });
    expect(written.code).toBe(0);
    expect(written.stderr).toContain("not committed (--no-commit)");
    expect(read(dir, ADA_NOTE).entries).toHaveLength(1);
  });

  test.each([
    [
      "a detached HEAD",
      (dir: string) => {
        git(dir, "branch", "-q", "-m", "trunk");
        git(dir, "checkout", "-q", "--detach");
      },
      /HEAD is detached at [0-9a-f]{7}: switch to a branch first \(`git switch trunk`\)/,
    ],
    [
      "a rebase in progress",
      (dir: string) => mkdirSync(path.join(dir, ".git", "rebase-merge")),
      /a rebase is in progress in .*: finish it first \(`git rebase --continue` or `git rebase --abort`\)/,
    ],
    [
      "a merge in progress",
      (dir: string) =>
        writeFileSync(path.join(dir, ".git", "MERGE_HEAD"), `${git(dir, "rev-parse", "HEAD")}`),
      /a merge is in progress in .*: finish it first/,
    ],
  ])("%s: exit 1 with what to do, and nothing written", async (_what, setUp, message) => {
    const dir = await teamRepo();
    setUp(dir);
    const result = await rota(["notes", ...ANSWERS], { cwd: dir, env: at() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("or pass --no-commit to only write the note");
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
  });

  test("a notes/ that is a symbolic link out of the repository is refused", async () => {
    const dir = await teamRepo();
    const outside = tempDir();
    symlinkSync(outside, path.join(dir, "notes"));
    const result = await rota(["notes", ...ANSWERS], { cwd: dir, env: at() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `rota: notes is a symbolic link to ${outside}, outside the repository`,
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  test("a named pipe where the note goes is refused as no file, before any question", async () => {
    const dir = await teamRepo();
    mkdirSync(path.join(dir, path.dirname(ADA_NOTE)), { recursive: true });
    expect(spawnSync("mkfifo", [path.join(dir, ADA_NOTE)]).status).toBe(0);
    const result = await rota(["notes", ...ANSWERS], { cwd: dir, env: at() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `rota: ${ADA_NOTE} is a FIFO, not a file; rota writes notes only as plain files: move it away and run the command again\n`,
    );
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("a failed commit leaves the note on disk and says how to finish", async () => {
    const dir = await teamRepo();
    const hook = path.join(dir, ".git", "hooks", "pre-commit");
    writeFileSync(hook, "#!/bin/sh\necho 'lint says no' >&2\nexit 1\n");
    chmodSync(hook, 0o755);
    const result = await rota(["notes", ...ANSWERS], { cwd: dir, env: at() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the note is written, but the commit failed: lint says no");
    expect(result.stderr).toContain(
      `git add -- ${ADA_NOTE} && git commit -m "notes(2026-11-23/americas): ada" -- ${ADA_NOTE}`,
    );
    expect(read(dir, ADA_NOTE).entries[0]?.answers.fix).toBe("Document the SAML metadata URL");
    // And, should the uncommitted note be lost, a copy of the answers.
    expect(result.stderr).toMatch(
      /\nA copy of your answers is in \.rota\/recovered\/2026-11-23-americas-ada\.yaml\.\n$/,
    );
    const copy = readFileSync(
      path.join(dir, ".rota/recovered/2026-11-23-americas-ada.yaml"),
      "utf8",
    );
    expect(copy).toContain("fix: Document the SAML metadata URL\n");
    // Its way to finish is the commit: the answers again would add a second entry.
    expect(copy).toContain(
      `\n# To finish: git add -- ${ADA_NOTE} && git commit -m "notes(2026-11-23/americas): ada" -- ${ADA_NOTE} (`,
    );
    expect(copy).not.toContain("rota notes --shift");
    // The note is not left staged: the user's next commit of something else carries only that.
    rmSync(hook);
    writeFileSync(path.join(dir, "README"), "readme\n");
    git(dir, "add", "README");
    git(dir, "commit", "-q", "-m", "Add a README");
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").trim()).toBe("README");
    // And the way to finish that rota gave commits the note alone.
    git(dir, "add", "--", ADA_NOTE);
    git(dir, "commit", "-q", "-m", "notes(2026-11-23/americas): ada", "--", ADA_NOTE);
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").trim()).toBe(ADA_NOTE);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("a commit blocked by git's index lock: git's message reads as git wrote it", async () => {
    const dir = await teamRepo();
    writeFileSync(path.join(dir, ".git", "index.lock"), "");
    const result = await rota(["notes", ...ANSWERS], { cwd: dir, env: at() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `the commit failed: Unable to create '${path.join(dir, ".git", "index.lock")}': File exists. ` +
        "Another git process seems to be running in this repository, e.g. an editor opened by 'git commit'. " +
        "Please make sure all processes are terminated then try again. If it still fails, a git process " +
        "may have crashed in this repository earlier: remove the file manually to continue.\n",
    );
  });

  /** rota notes with a pre-commit hook that signals it started, then takes `seconds`. */
  const slowCommit = async (seconds: number) => {
    const dir = await teamRepo();
    const started = path.join(dir, ".git", "hook-started");
    const hook = path.join(dir, ".git", "hooks", "pre-commit");
    // The process that waits says it started, so a Ctrl-C that follows reaches
    // it: sh would hold a Ctrl-C that lands before it forks \`sleep\` until
    // the sleep ends.
    const wait = `require("fs").writeFileSync(process.argv[1], ""); setTimeout(() => {}, ${seconds * 1000})`;
    writeFileSync(hook, `#!/bin/sh\nexec '${process.execPath}' -e '${wait}' '${started}'\n`);
    chmodSync(hook, 0o755);
    // Its own process group, as a terminal's foreground job is.
    const child = spawn(process.execPath, [BIN, "notes", ...ANSWERS], {
      cwd: dir,
      env: { ...process.env, ROTA_NOW: AFTER_SHIFTS },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child.stdin.end();
    const result = outputOf(child);
    while (!existsSync(started)) await new Promise((resolve) => setTimeout(resolve, 20));
    return { dir, child, result };
  };

  test("Ctrl-C while git commits: exit 130, the note on disk and how to commit it", async () => {
    const { dir, child, result } = await slowCommit(30);
    // Ctrl-C in a terminal reaches the whole job: rota, git and the hook.
    process.kill(-(child.pid as number), "SIGINT");
    const { code, stderr } = await result;
    expect(code).toBe(130);
    expect(stderr).toContain("rota: the note is written, but the commit was interrupted\n");
    expect(stderr).toContain(
      `git add -- ${ADA_NOTE} && git commit -m "notes(2026-11-23/americas): ada" -- ${ADA_NOTE}`,
    );
    expect(read(dir, ADA_NOTE).entries[0]?.answers.fix).toBe("Document the SAML metadata URL");
    expect(git(dir, "log", "--format=%s")).not.toContain("notes(");
  });

  test("a signal to rota alone lets git finish the commit, then stops before anything else", async () => {
    const { dir, child, result } = await slowCommit(1);
    child.kill("SIGTERM");
    const { code, stderr } = await result;
    expect(code).toBe(130);
    expect(stderr).toMatch(
      /committed [0-9a-f]{7} notes\(2026-11-23\/americas\): ada\nrota: interrupted after the commit\n$/,
    );
    expect(git(dir, "log", "-1", "--format=%s").trim()).toBe("notes(2026-11-23/americas): ada");
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("Ctrl-C while git reads the note before a new entry: exit 130, nothing written, answers kept", async () => {
    const dir = await teamRepo();
    const first = await rota(["notes", ...ANSWERS], { cwd: dir, env: { ROTA_NOW: AFTER_SHIFTS } });
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(path.join(dir, ADA_NOTE), "utf8");
    // A git that, asked whether the note changed since its commit, meets a
    // Ctrl-C to the whole job (rota with it) before it answers.
    const bin = tempDir();
    const real = spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout.trim();
    writeFileSync(
      path.join(bin, "git"),
      `#!/bin/sh
for a in "$@"; do [ "$a" = hash-object ] && { kill -INT 0; sleep 1; }; done
exec '${real}' "$@"
`,
    );
    chmodSync(path.join(bin, "git"), 0o755);
    const child = spawn(process.execPath, [BIN, "notes", ...ANSWERS], {
      cwd: dir,
      env: { ...process.env, ROTA_NOW: AFTER_SHIFTS, PATH: `${bin}:${process.env.PATH}` },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child.stdin.end();
    const { code, stderr } = await outputOf(child);
    expect(stderr).not.toContain("internal error");
    expect(code, stderr).toBe(130);
    expect(stderr).toContain("rota: interrupted before this entry was written\n");
    expect(stderr).toContain(".rota/recovered/2026-11-23-americas-ada.yaml");
    expect(readFileSync(path.join(dir, ADA_NOTE), "utf8")).toBe(before);
  });

  /**
   * rota notes (in its own process group, as a terminal's job is) waiting for
   * `lock`, which another rota holds and keeps fresh; then Ctrl-C. Returns how
   * it ended, or undefined if it was still running 10 s later.
   */
  const ctrlCWhileWaiting = async (dir: string, lock: string) => {
    mkdirSync(lock, { recursive: true });
    const refresh = setInterval(() => utimesSync(lock, new Date(), new Date()), 250);
    const child = spawn(process.execPath, [BIN, "notes", ...ANSWERS], {
      cwd: dir,
      env: { ...process.env, ROTA_NOW: AFTER_SHIFTS },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child.stdin.end();
    const result = outputOf(child);
    let stderr = "";
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    const sleep = (ms: number) => new Promise<undefined>((resolve) => setTimeout(resolve, ms));
    try {
      while (!stderr.includes("waiting for another rota")) await sleep(20);
      process.kill(-(child.pid as number), "SIGINT");
      return await Promise.race([result, sleep(10_000)]);
    } finally {
      clearInterval(refresh);
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-(child.pid as number), "SIGKILL");
      }
    }
  };

  test("Ctrl-C while waiting for another rota's commit or push: exit 130 at once, nothing written, answers kept", async () => {
    const dir = await teamRepo();
    const lock = path.join(dir, ".git", "rota.lock");
    const ended = await ctrlCWhileWaiting(dir, lock);
    expect(ended, "still waiting after Ctrl-C").toBeDefined();
    const { code, stderr } = ended as Awaited<ReturnType<typeof outputOf>>;
    const saved = ".rota/recovered/2026-11-23-americas-ada.yaml";
    expect(code).toBe(130);
    // The note is written only with the clone's lock held: a push's rebase may hold it.
    expect(stderr).toContain(
      "rota: stopped while waiting for another rota to finish with the repository's index (lock: .git/rota.lock), so nothing was written\n" +
        `Your answers are saved in ${saved}. To finish, run:\n` +
        `  rota notes --shift 2026-11-23/americas --as ada --answers ${saved}\n`,
    );
    expect(existsSync(path.join(dir, ADA_NOTE))).toBe(false);
    expect(readFileSync(path.join(dir, saved), "utf8")).toContain(
      "fix: Document the SAML metadata URL\n",
    );
    expect(git(dir, "log", "--format=%s")).not.toContain("notes(");
    // The other rota's lock is still its own.
    expect(existsSync(lock)).toBe(true);
  });

  test("Ctrl-C while waiting for another rota's entry in the same note: exit 130, nothing written, answers kept", async () => {
    const dir = await teamRepo();
    const lock = path.join(dir, "notes/2026/11/.2026-11-23-americas-ada.md.lock");
    const ended = await ctrlCWhileWaiting(dir, lock);
    expect(ended, "still waiting after Ctrl-C").toBeDefined();
    const { code, stderr } = ended as Awaited<ReturnType<typeof outputOf>>;
    const saved = ".rota/recovered/2026-11-23-americas-ada.yaml";
    expect(code).toBe(130);
    expect(stderr).toContain(
      `rota: stopped while waiting for another rota to finish with ${ADA_NOTE} (lock: notes/2026/11/.2026-11-23-americas-ada.md.lock), so nothing was written\n` +
        `Your answers are saved in ${saved}. To finish, run:\n` +
        `  rota notes --shift 2026-11-23/americas --as ada --answers ${saved}\n`,
    );
    expect(existsSync(path.join(dir, ADA_NOTE))).toBe(false);
    expect(existsSync(lock)).toBe(true);
    // Once the other rota is done, the saved answers finish the note.
    rmdirSync(lock);
    const args = ["notes", "--shift", "2026-11-23/americas", "--as", "ada", "--answers", saved];
    const finished = await rota(args, { cwd: dir, env: at() });
    expect(finished.code, finished.stderr).toBe(0);
    expect(read(dir, ADA_NOTE).entries[0]?.answers.fix).toBe("Document the SAML metadata URL");
    expect(committed(dir)).toEqual([ADA_NOTE]);
  });

  test("--push without a remote: exit 1 before anything is written", async () => {
    const dir = await teamRepo();
    const result = await rota(["notes", "--push", ...ANSWERS], { cwd: dir, env: at() });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "rota: this repository has no remote to push to: add one (`git remote add origin URL`), or leave out --push\n",
    );
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
  });

  test("two people push notes for the same shift from two clones: both arrive", async () => {
    const remote = bareRemoteOf(await teamRepo());
    const grace = cloneOf(remote, "Grace Hopper", "grace@example.com");
    const katherine = cloneOf(remote, "Katherine Johnson", "katherine@example.com");
    // Katherine has unrelated work in progress; the rebase must keep it.
    writeFileSync(
      path.join(katherine, "roster.yaml"),
      `${readFileSync(path.join(katherine, "roster.yaml"))}# wip\n`,
    );

    const first = await rota(["notes", "--push", ...ANSWERS], { cwd: grace, env: at() });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("pushed to origin\n");
    const second = await rota(["notes", "--push", ...ANSWERS], { cwd: katherine, env: at() });
    expect(second.stderr).toContain(
      "pushed to origin (after rebasing onto changes pushed meanwhile",
    );
    expect(second.code).toBe(0);
    // The rebase made the note's commit anew: rota names the one pushed, not
    // the one it made first, which is on no branch now.
    const made = /^committed ([0-9a-f]{7}) /m.exec(second.stderr)?.[1];
    const pushedAs = git(remote, "rev-parse", "--short=7", "main").trim();
    expect(made).not.toBe(pushedAs);
    expect(second.stderr).toContain(
      `pushed to origin (after rebasing onto changes pushed meanwhile; 2 attempts); the note's commit is now ${pushedAs}\n`,
    );

    const files = git(remote, "ls-tree", "-r", "--name-only", "main").trim().split("\n");
    expect(files).toEqual(
      expect.arrayContaining([
        "notes/2026/11/2026-11-24-emea-grace.md",
        "notes/2026/11/2026-11-24-emea-katherine.md",
      ]),
    );
    expect(git(remote, "log", "--format=%s", "main").trim().split("\n").slice(0, 2)).toEqual([
      "notes(2026-11-24/emea): katherine",
      "notes(2026-11-24/emea): grace",
    ]);
    expect(git(katherine, "status", "--porcelain")).toBe(" M roster.yaml\n");
  });

  test("uncommitted changes the rebase cannot put back: pushed, but exit 1 naming the files and the stash", async () => {
    const remote = bareRemoteOf(await teamRepo());
    const grace = cloneOf(remote, "Grace Hopper", "grace@example.com");
    const katherine = cloneOf(remote, "Katherine Johnson", "katherine@example.com");
    const append = (dir: string, file: string, text: string) =>
      writeFileSync(path.join(dir, file), `${readFileSync(path.join(dir, file), "utf8")}${text}`);
    // Katherine pushes a change to the roster; Grace has another one to it, uncommitted.
    append(katherine, "roster.yaml", "# pushed by katherine\n");
    git(katherine, "commit", "-q", "-am", "Roster change");
    git(katherine, "push", "-q");
    append(grace, "roster.yaml", "# wip by grace\n");
    append(grace, "schedule.yaml", "# unrelated wip\n");

    const result = await rota(["notes", "--push", ...ANSWERS], { cwd: grace, env: at() });
    expect(result.stderr).toMatch(
      /^pushed to origin \(after rebasing onto changes pushed meanwhile; 2 attempts\); the note's commit is now [0-9a-f]{7}\n/m,
    );
    expect(result.stderr).toContain(
      "rota: the note is pushed, but your uncommitted changes to roster.yaml conflict with changes pushed meanwhile.\n" +
        "git left both versions in it (between <<<<<<< and >>>>>>> lines) and kept your changes in the stash (stash@{0}).\n" +
        "To take the pushed version and make your changes again (a `rota swap`: run it again): " +
        "git checkout HEAD -- roster.yaml && git stash drop stash@{0}\n" +
        "Or resolve the conflicts in it by hand, then: git reset -q -- roster.yaml && git stash drop stash@{0}\n",
    );
    expect(result.code).toBe(1);
    expect(git(remote, "log", "-1", "--format=%s", "main")).toBe("notes(2026-11-24/emea): grace\n");
    expect(git(grace, "stash", "list")).toBe("stash@{0}: autostash\n");
    expect(git(grace, "status", "--porcelain")).toBe("UU roster.yaml\nM  schedule.yaml\n");

    // As the message says: the pushed roster back, the unrelated change kept.
    const finish = spawnSync(
      "sh",
      ["-c", "git checkout HEAD -- roster.yaml && git stash drop stash@{0}"],
      {
        cwd: grace,
        encoding: "utf8",
      },
    );
    expect(finish.status, finish.stderr).toBe(0);
    expect(git(grace, "stash", "list")).toBe("");
    expect(git(grace, "status", "--porcelain")).toBe("M  schedule.yaml\n");
    expect(readFileSync(path.join(grace, "roster.yaml"), "utf8")).toContain(
      "# pushed by katherine\n",
    );
  });

  test("a note left conflicted by git pull --rebase is refused, and reported where notes are read", async () => {
    const remote = bareRemoteOf(await teamRepo());
    const laptop = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    const desktop = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    for (const [clone, text] of [
      [laptop, "On the laptop"],
      [desktop, "On the desktop"],
    ]) {
      const args = ["notes", "--answer", `struggles=${text}`, "--answer", "fix=x"];
      const wrote = await rota(args, { cwd: clone as string, env: at() });
      expect(wrote.code, wrote.stderr).toBe(0);
    }
    git(laptop, "push", "-q");
    expect(() => git(desktop, "pull", "-q", "--rebase")).toThrow();
    const file = path.join(desktop, ADA_NOTE);
    const conflicted = readFileSync(file, "utf8");
    const lines = conflicted.split("\n");
    const marker = (start: string) => lines.findIndex((line) => line.startsWith(start)) + 1;
    const [start, middle, end] = [marker("<<<<<<< "), marker("======="), marker(">>>>>>> ")];
    const problem = `${ADA_NOTE}:${start}:1: unresolved merge conflict, lines ${start}–${end} (<<<<<<< at ${start}, ======= at ${middle}, >>>>>>> at ${end}): resolve the merge conflict: keep one front matter and the entries of both sides, delete the marker lines, then \`git add ${ADA_NOTE}\``;

    const refused = await rota(["notes", "--no-commit", ...ANSWERS], {
      cwd: desktop,
      env: at(),
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${problem}\n`);
    expect(refused.stderr).toContain(
      `rota: ${ADA_NOTE} exists but cannot be read, so nothing was added to it: resolve the merge conflict in it\n`,
    );
    expect(readFileSync(file, "utf8")).toBe(conflicted);

    const report = await rota(["report", "--json"], { cwd: desktop, env: at() });
    expect(report.code).toBe(0);
    expect(report.stderr).toContain(
      `${problem.replace(":1: ", ":1: warning: ")}; the note is skipped\n`,
    );
    expect(report.stdout).not.toContain("<<<<<<<");
  });

  test("one person's notes for one shift pushed from two clones: the advice after the conflict works", async () => {
    const remote = bareRemoteOf(await teamRepo());
    const laptop = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    const desktop = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    const args = (text: string) => [
      "notes",
      "--push",
      "--answer",
      `struggles=${text}`,
      "--answer",
      "fix=x",
    ];
    const first = await rota(args("On the laptop"), { cwd: laptop, env: at() });
    expect(first.code, first.stderr).toBe(0);
    const second = await rota(args("On the desktop"), { cwd: desktop, env: at() });
    expect(second.code).toBe(1);
    const saved = ".rota/recovered/2026-11-23-americas-ada.yaml";
    const mine = git(desktop, "rev-parse", "HEAD").trim();
    const finish = `git rebase --autostash --onto ${mine}~1 ${mine} && git pull --rebase --autostash && rota notes --shift 2026-11-23/americas --as ada --push --answers ${saved}`;
    expect(second.stderr).toMatch(
      /rota: the note is committed \([0-9a-f]{7}\), but not pushed: another entry to it was pushed meanwhile, and git cannot rebase yours onto it\n/,
    );
    expect(second.stderr).toContain(
      `Your answers are saved in ${saved}. To finish, run:\n  ${finish}\n`,
    );
    expect(readFileSync(path.join(desktop, saved), "utf8")).toContain(
      `${finish.replace(saved, "<this file>")}\n`,
    );
    expect(git(desktop, "status", "--porcelain")).toBe("");

    // As the message says, in a shell, with unrelated work in progress kept.
    const roster = path.join(desktop, "roster.yaml");
    writeFileSync(roster, `${readFileSync(roster, "utf8")}# wip\n`);
    const followed = spawnSync(
      "sh",
      ["-c", finish.replace("rota notes", `${process.execPath} ${BIN} notes`)],
      {
        cwd: desktop,
        env: { ...process.env, ...at() },
        encoding: "utf8",
      },
    );
    expect(followed.status, followed.stderr).toBe(0);
    expect(existsSync(path.join(desktop, saved))).toBe(false);
    expect(git(desktop, "status", "--porcelain")).toBe(" M roster.yaml\n");
    git(laptop, "pull", "-q");
    const entries = read(laptop, ADA_NOTE).entries.map((entry) => entry.answers.struggles);
    expect(entries).toEqual(["On the laptop", "On the desktop"]);
    expect(git(remote, "log", "--format=%s", "main").trim().split("\n").slice(0, 2)).toEqual([
      "notes(2026-11-23/americas): ada",
      "notes(2026-11-23/americas): ada",
    ]);
  });

  test("a rejected push leaves the note committed and says how to push, which works beside an uncommitted swap", async () => {
    const remote = bareRemoteOf(await teamRepo());
    const hook = path.join(remote, "hooks", "pre-receive");
    writeFileSync(hook, "#!/bin/sh\necho 'protected branch' >&2\nexit 1\n");
    chmodSync(hook, 0o755);
    const clone = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    // A swap recorded and not committed yet, as is common.
    const swap = await rota(["swap", "2026-11-25/emea", "ken", "tim"], {
      cwd: clone,
      env: at(),
    });
    expect(swap.code, swap.stderr).toBe(0);
    const result = await rota(["notes", "--push", ...ANSWERS], { cwd: clone, env: at() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /the note is committed \([0-9a-f]{7}\), but the push failed: .*protected branch/,
    );
    const advice = "git pull --rebase --autostash && git push";
    expect(result.stderr).toContain(`To push it by hand: ${advice}\n`);
    expect(committed(clone)).toEqual([ADA_NOTE]);
    expect(read(clone, ADA_NOTE).entries).toHaveLength(1);

    // Once the remote takes it, and after someone else pushed, the advice works.
    rmSync(hook);
    const other = cloneOf(remote, "Grace Hopper", "grace@example.com");
    git(other, "commit", "-q", "--allow-empty", "-m", "Pushed meanwhile");
    git(other, "push", "-q");
    const byHand = spawnSync("sh", ["-c", advice], { cwd: clone, encoding: "utf8" });
    expect(byHand.status, byHand.stderr).toBe(0);
    expect(git(remote, "log", "-1", "--format=%s", "main")).toBe(
      "notes(2026-11-23/americas): ada\n",
    );
    expect(git(clone, "status", "--porcelain")).toBe(" M roster.yaml\n M schedule.yaml\n");
    expect(git(clone, "stash", "list")).toBe("");
  });

  test("a rebase that git can neither finish nor abort: exit 1, the clone's state and the commands that recover", async () => {
    const remote = bareRemoteOf(await teamRepo());
    const clone = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    const other = cloneOf(remote, "Grace Hopper", "grace@example.com");
    git(other, "commit", "-q", "--allow-empty", "-m", "Pushed meanwhile");
    git(other, "push", "-q");
    const roster = path.join(clone, "roster.yaml");
    writeFileSync(roster, `${readFileSync(roster, "utf8")}# uncommitted\n`);
    // A hook that leaves git's index lock behind, as a git killed mid-way
    // does: the rebase stops at its first commit, and so does the abort.
    const hook = path.join(clone, ".git", "hooks", "post-checkout");
    writeFileSync(hook, '#!/bin/sh\ntouch "$(git rev-parse --git-dir)/index.lock"\n');
    chmodSync(hook, 0o755);

    const result = await rota(["notes", "--push", ...ANSWERS], { cwd: clone, env: at() });
    expect(result.code).toBe(1);
    const note = git(clone, "rev-parse", "--short=7", "main").trim();
    const autostash = readFileSync(path.join(clone, ".git/rebase-merge/autostash"), "utf8").trim();
    expect(result.stderr).toMatch(
      new RegExp(
        `^rota: the note is committed \\(${note}\\), but not pushed: the push was rejected and rebasing onto the remote failed: .*index\\.lock.*; and git could not abort that rebase: .*index\\.lock`,
        "m",
      ),
    );
    expect(result.stderr).toContain(
      `\nThe clone is left in the middle of the rebase (.git/rebase-merge), HEAD detached; branch main still ends with your note's commit ${note}.\n` +
        `Your uncommitted changes are out of the work tree: git keeps them as commit ${autostash.slice(0, 7)} (named in .git/rebase-merge/autostash), ` +
        `and \`git rebase --abort\` puts them back (were that lost, \`git stash apply ${autostash}\` on your branch would).\n` +
        "Nothing is lost. Once what stopped the abort is out of the way, put your branch and changes back and push:\n" +
        "  git rebase --abort && git pull --rebase --autostash && git push\n",
    );
    expect(git(clone, "log", "-1", "--format=%s", "main")).toBe(
      "notes(2026-11-23/americas): ada\n",
    );

    // As the message says: once the lock is gone, the commands recover and push.
    rmSync(hook);
    rmSync(path.join(clone, ".git", "index.lock"));
    const recover = spawnSync(
      "sh",
      ["-c", "git rebase --abort && git pull --rebase --autostash && git push"],
      { cwd: clone, encoding: "utf8" },
    );
    expect(recover.status, recover.stderr).toBe(0);
    expect(existsSync(path.join(clone, ".git", "rebase-merge"))).toBe(false);
    expect(git(remote, "log", "-2", "--format=%s", "main")).toBe(
      "notes(2026-11-23/americas): ada\nPushed meanwhile\n",
    );
    expect(git(clone, "status", "--porcelain")).toBe(" M roster.yaml\n");
    expect(readFileSync(roster, "utf8")).toMatch(/# uncommitted\n$/);
    expect(git(clone, "stash", "list")).toBe("");
  }, 30_000);
});

describe("a push refused because someone pushed first", () => {
  // As git 2.39 prints a race lost on the remote: the reason on a remote:
  // line, the verdict on the next.
  const raced = [
    "remote: error: cannot lock ref 'refs/heads/main': is at 1f2e3d4 but expected 0a1b2c3",
    "To ../remote.git",
    " ! [remote rejected] HEAD -> main (failed to update ref)",
    "error: failed to push some refs to '../remote.git'",
  ].join("\n");

  test("is told from other refusals, whichever line git puts the reason on", () => {
    expect(isRejected(new Error(raced))).toBe(true);
    expect(isRejected(" ! [rejected]        HEAD -> main (fetch first)")).toBe(true);
    expect(
      isRejected(" ! [remote rejected] HEAD -> main (cannot lock ref 'refs/heads/main')"),
    ).toBe(true);
    expect(isRejected(" ! [remote rejected] HEAD -> main (pre-receive hook declined)")).toBe(false);
    expect(isRejected("fatal: could not read from remote repository")).toBe(false);
    // And told on one line, each of git's messages apart.
    expect(gitMessage(new Error(raced))).toBe(
      "remote: error: cannot lock ref 'refs/heads/main': is at 1f2e3d4 but expected 0a1b2c3; To ../remote.git; " +
        "! [remote rejected] HEAD -> main (failed to update ref); failed to push some refs to '../remote.git'",
    );
  });
});

describe("rota notes loses nothing", () => {
  const note = (text: string, ...more: string[]) => [
    "notes",
    "--answer",
    `struggles=${text}`,
    "--answer",
    "fix=x",
    ...more,
  ];

  /**
   * A clone whose push must rebase (grace pushed first), with an uncommitted
   * change to the roster, and a post-checkout hook (run as the rebase starts)
   * that says it started, then takes `seconds`; rota notes --push runs in its
   * own process group, as a terminal's job does.
   */
  const slowRebase = async (seconds: number) => {
    const remote = bareRemoteOf(await teamRepo());
    const clone = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    const other = cloneOf(remote, "Grace Hopper", "grace@example.com");
    const pushedFirst = await rota(note("Pushed first", "--push"), { cwd: other, env: at() });
    expect(pushedFirst.code, pushedFirst.stderr).toBe(0);
    const roster = path.join(clone, "roster.yaml");
    writeFileSync(roster, `${readFileSync(roster, "utf8")}# uncommitted\n`);
    const started = path.join(clone, ".git", "hook-started");
    const wait = `require("fs").writeFileSync(process.argv[1], ""); setTimeout(() => {}, ${seconds * 1000})`;
    const hook = path.join(clone, ".git", "hooks", "post-checkout");
    writeFileSync(hook, `#!/bin/sh\nexec '${process.execPath}' -e '${wait}' '${started}'\n`);
    chmodSync(hook, 0o755);
    const child = spawn(process.execPath, [BIN, ...note("Mine", "--push")], {
      cwd: clone,
      env: { ...process.env, ROTA_NOW: AFTER_SHIFTS },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child.stdin.end();
    const result = outputOf(child);
    while (!existsSync(started)) await new Promise((resolve) => setTimeout(resolve, 20));
    return { remote, clone, hook, child, result };
  };

  test("Ctrl-C while --push rebases: the rebase is undone, the changes are back, exit 130 and how to push", async () => {
    const { remote, clone, hook, child, result } = await slowRebase(30);
    process.kill(-(child.pid as number), "SIGINT");
    const { code, stderr } = await result;
    expect(code).toBe(130);
    const commit = git(clone, "rev-parse", "--short=7", "main").trim();
    expect(stderr).toContain(
      `rota: the note is committed (${commit}), but not pushed: rota was interrupted while git rebased it onto changes pushed meanwhile\n` +
        "rota aborted that rebase: your branch and uncommitted changes are as they were before the push.\n" +
        "Nothing is lost: the commit is on your branch. To push it: git pull --rebase --autostash && git push\n",
    );
    expect(existsSync(path.join(clone, ".git", "rebase-merge"))).toBe(false);
    expect(git(clone, "symbolic-ref", "--short", "HEAD")).toBe("main\n");
    expect(git(clone, "log", "-1", "--format=%s", "main")).toBe(
      "notes(2026-11-23/americas): ada\n",
    );
    expect(git(clone, "status", "--porcelain")).toBe(" M roster.yaml\n");
    expect(git(clone, "stash", "list")).toBe("");
    expect(git(remote, "log", "--format=%s", "main")).not.toContain("ada");

    // As the message says.
    rmSync(hook);
    const byHand = spawnSync("sh", ["-c", "git pull --rebase --autostash && git push"], {
      cwd: clone,
      encoding: "utf8",
    });
    expect(byHand.status, byHand.stderr).toBe(0);
    expect(git(remote, "log", "-1", "--format=%s", "main")).toBe(
      "notes(2026-11-23/americas): ada\n",
    );
    expect(git(clone, "status", "--porcelain")).toBe(" M roster.yaml\n");
  }, 30_000);

  test("SIGTERM to rota alone while --push rebases: git finishes the rebase, nothing is pushed, exit 130", async () => {
    const { remote, clone, child, result } = await slowRebase(1);
    child.kill("SIGTERM");
    const { code, stderr } = await result;
    expect(code).toBe(130);
    const made = /^committed ([0-9a-f]{7}) /m.exec(stderr)?.[1];
    const now = git(clone, "rev-parse", "--short=7", "main").trim();
    expect(stderr).toContain(
      `rota: the note is committed (${now}), but not pushed: rota was interrupted after git rebased it onto changes pushed meanwhile, before it pushed it\n` +
        `Your branch is rebased onto them (the note's commit was ${made} before), and your uncommitted changes are in the work tree.\n` +
        "Nothing is lost: the commit is on your branch. To push it: git pull --rebase --autostash && git push\n",
    );
    expect(existsSync(path.join(clone, ".git", "rebase-merge"))).toBe(false);
    expect(git(clone, "status", "--porcelain")).toBe(" M roster.yaml\n");
    expect(git(clone, "log", "-2", "--format=%s", "main")).toBe(
      "notes(2026-11-23/americas): ada\nnotes(2026-11-24/emea): grace\n",
    );
    expect(git(remote, "log", "--format=%s", "main")).not.toContain("ada");
  }, 30_000);

  test("the note's commit conflicts, with another commit after it: the advice names it and keeps the other", async () => {
    const remote = bareRemoteOf(await teamRepo());
    const laptop = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    const desktop = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    const first = await rota(note("On the laptop", "--push"), { cwd: laptop, env: at() });
    expect(first.code, first.stderr).toBe(0);
    // Another commit lands after the note's while it pushes (another rota
    // notes in this clone, say): git runs pre-push before sending anything.
    const hook = path.join(desktop, ".git", "hooks", "pre-push");
    writeFileSync(
      hook,
      "#!/bin/sh\nrm \"$0\"\necho other > other.txt\ngit add other.txt\ngit commit -q -m 'Another commit'\n",
    );
    chmodSync(hook, 0o755);
    const second = await rota(note("On the desktop", "--push"), { cwd: desktop, env: at() });
    expect(second.code).toBe(1);
    const mine = git(desktop, "log", "--format=%H", "--grep", "notes(", "-1", "main").trim();
    expect(git(desktop, "log", "-1", "--format=%s", "main")).toBe("Another commit\n");
    const saved = ".rota/recovered/2026-11-23-americas-ada.yaml";
    const finish = `git rebase --autostash --onto ${mine}~1 ${mine} && git pull --rebase --autostash && rota notes --shift 2026-11-23/americas --as ada --push --answers ${saved}`;
    expect(second.stderr).toContain(
      `rota: the note is committed (${mine.slice(0, 7)}), but not pushed: another entry to it was pushed meanwhile, and git cannot rebase yours onto it\n` +
        `Nothing is lost: take your commit ${mine.slice(0, 7)} back (any commits after it stay), pull, and add your entry again to the note as it is now.\n` +
        `Your answers are saved in ${saved}. To finish, run:\n  ${finish}\n`,
    );

    const followed = spawnSync(
      "sh",
      ["-c", finish.replace("rota notes", `${process.execPath} ${BIN} notes`)],
      { cwd: desktop, env: { ...process.env, ...at() }, encoding: "utf8" },
    );
    expect(followed.status, followed.stderr).toBe(0);
    expect(git(remote, "log", "--format=%s", "main").trim().split("\n").slice(0, 3)).toEqual([
      "notes(2026-11-23/americas): ada",
      "Another commit",
      "notes(2026-11-23/americas): ada",
    ]);
    const entries = read(desktop, ADA_NOTE).entries.map((entry) => entry.answers.struggles);
    expect(entries).toEqual(["On the laptop", "On the desktop"]);
    expect(git(desktop, "status", "--porcelain")).toBe("");
  }, 30_000);

  test("an earlier commit of the clone conflicts, not the note's: the advice names it and says how to resolve it", async () => {
    const remote = bareRemoteOf(await teamRepo());
    const laptop = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    const desktop = cloneOf(remote, "Ada Lovelace", "ada@example.com");
    const first = await rota(note("On the laptop", "--push"), { cwd: laptop, env: at() });
    expect(first.code, first.stderr).toBe(0);
    // Ada's note committed, not pushed; then grace's, with --push.
    const adas = await rota(note("On the desktop"), { cwd: desktop, env: at() });
    expect(adas.code, adas.stderr).toBe(0);
    const ada = git(desktop, "rev-parse", "HEAD").trim();
    const graces = await rota(note("Grace's", "--push", "--as", "grace"), {
      cwd: desktop,
      env: at(),
    });
    expect(graces.code).toBe(1);
    const grace = git(desktop, "rev-parse", "--short=7", "HEAD").trim();
    expect(graces.stderr).toContain(
      `rota: the note is committed (${grace}), but not pushed: an earlier commit on your branch, ${ada.slice(0, 7)} "notes(2026-11-23/americas): ada", ` +
        `conflicts with changes pushed meanwhile in ${ADA_NOTE}, so git cannot rebase your branch onto them\n` +
        "Nothing is lost: both commits are on your branch. To push them, pull, which stops on that conflict: git pull --rebase --autostash\n" +
        `then resolve the conflicts in it (in a note: one front matter and the entries of both sides, without the <<<<<<<, ======= and >>>>>>> lines), and: git add -- ${ADA_NOTE} && git rebase --continue && git push\n`,
    );
    expect(graces.stderr).not.toContain("git pull --rebase --autostash && git push");
    expect(git(desktop, "status", "--porcelain")).toBe("");
    expect(git(desktop, "log", "-2", "--format=%s", "main")).toBe(
      "notes(2026-11-24/emea): grace\nnotes(2026-11-23/americas): ada\n",
    );

    // As the message says: the pull stops on ada's note; resolved, all of it arrives.
    expect(() => git(desktop, "pull", "-q", "--rebase", "--autostash")).toThrow();
    const file = path.join(desktop, ADA_NOTE);
    const ours = git(desktop, "show", `${ada}:${ADA_NOTE}`);
    const theirs = git(desktop, "show", `origin/main:${ADA_NOTE}`);
    writeFileSync(file, `${theirs}${ours.slice(ours.indexOf("\n<!-- rota:entry"))}`);
    const resolved = spawnSync(
      "sh",
      ["-c", `git add -- ${ADA_NOTE} && git rebase --continue && git push`],
      { cwd: desktop, env: { ...process.env, GIT_EDITOR: "true" }, encoding: "utf8" },
    );
    expect(resolved.status, resolved.stderr).toBe(0);
    expect(git(remote, "log", "-2", "--format=%s", "main")).toBe(
      "notes(2026-11-24/emea): grace\nnotes(2026-11-23/americas): ada\n",
    );
  }, 30_000);

  test("a note written from saved answers removes them, even when its commit then fails", async () => {
    const dir = await teamRepo();
    const saved = ".rota/recovered/2026-11-23-americas-ada.yaml";
    const piped = await rota(["notes"], { cwd: dir, env: at(), input: "struggles: Exports\n" });
    expect(piped.code).toBe(2);
    expect(existsSync(path.join(dir, saved))).toBe(true);
    const hook = path.join(dir, ".git", "hooks", "pre-commit");
    writeFileSync(hook, "#!/bin/sh\nexit 1\n");
    chmodSync(hook, 0o755);
    const args = ["notes", "--shift", "2026-11-23/americas", "--as", "ada", "--answers", saved];
    const result = await rota([...args, "--answer", "fix=CSV"], { cwd: dir, env: at() });
    expect(result.code).toBe(1);
    // A hook that refuses in silence: git's exit code, and that a hook may be why.
    expect(result.stderr).toContain(
      "rota: the note is written, but the commit failed: git commit exited with code 1 without saying why: a hook (pre-commit or commit-msg) may have refused the commit\n",
    );
    expect(result.stderr).toContain(`removed ${saved}: its answers are in the note now\n`);
    // One file is left: the copy, which says only the commit is missing.
    expect(readdirSync(path.join(dir, ".rota/recovered"))).toEqual([
      ".gitignore",
      "2026-11-23-americas-ada.yaml",
    ]);
    const copy = readFileSync(path.join(dir, saved), "utf8");
    expect(copy).toContain(`# To finish: git add -- ${ADA_NOTE} && git commit`);
    expect(copy).not.toContain("--answers <this file>");
    expect(read(dir, ADA_NOTE).entries).toHaveLength(1);
  });

  /** Each commit of the note, oldest first: its body's first line, and the struggles of the entries it adds. */
  const noteCommits = (dir: string) =>
    git(dir, "log", "--reverse", "--format=%H", "--", ADA_NOTE)
      .trim()
      .split("\n")
      .map((hash) => {
        const files = git(dir, "show", "--name-only", "--format=", hash).trim();
        const added = git(dir, "show", "--format=", hash, "--", ADA_NOTE)
          .split("\n")
          .filter((line) => line.startsWith("+") && !line.startsWith("+++"));
        const struggles = added
          .map((line) => line.slice(1))
          .filter((line) => /^(FIRST|SECOND|THIRD)/.test(line));
        const body = git(dir, "log", "-1", "--format=%b", hash).split("\n")[0];
        return { files, body, struggles };
      });

  test("an entry written but not committed gets a commit of its own before the next one, and its saved copy goes", async () => {
    const dir = await teamRepo();
    const hook = path.join(dir, ".git", "hooks", "pre-commit");
    writeFileSync(hook, "#!/bin/sh\nexit 1\n");
    chmodSync(hook, 0o755);
    const first = await rota(note("FIRST"), { cwd: dir, env: at() });
    expect(first.code).toBe(1);
    const copy = ".rota/recovered/2026-11-23-americas-ada.yaml";
    expect(readFileSync(path.join(dir, copy), "utf8")).toContain("# To finish: git add -- ");
    // The hook still refuses: the earlier entry's commit fails, so this entry
    // is not written (it would share that commit), and its answers are kept.
    const blocked = await rota(note("SECOND"), { cwd: dir, env: at() });
    expect(blocked.code).toBe(1);
    const saved = ".rota/recovered/2026-11-23-americas-ada-2.yaml";
    expect(blocked.stderr).toContain(
      `rota: the commit of entry 1 of ${ADA_NOTE} (written earlier, not committed) failed: git commit exited with code 1 without saying why: a hook (pre-commit or commit-msg) may have refused the commit\n` +
        "rota commits it on its own before adding an entry, so this entry was not written. To commit it by hand:\n" +
        `  git add -- ${ADA_NOTE} && git commit -m "notes(2026-11-23/americas): ada" -- ${ADA_NOTE}\n` +
        `Your answers are saved in ${saved}. To finish, run:\n` +
        `  rota notes --shift 2026-11-23/americas --as ada --answers ${saved}\n`,
    );
    expect(read(dir, ADA_NOTE).entries.map((e) => e.answers.struggles)).toEqual(["FIRST"]);
    expect(git(dir, "log", "--format=%s")).not.toContain("notes(");

    rmSync(hook);
    const args = ["notes", "--shift", "2026-11-23/americas", "--as", "ada", "--answers", saved];
    const finished = await rota(args, { cwd: dir, env: at() });
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toMatch(
      new RegExp(
        "\ncommitted [0-9a-f]{7} notes\\(2026-11-23/americas\\): ada \\(entry 1, written earlier but not committed, on its own\\)\n" +
          `removed ${copy.replaceAll(".", "\\.")}: its entry is committed now\n` +
          `added an entry to ${ADA_NOTE}`,
      ),
    );
    // Each commit adds exactly its own entry, and only the note.
    expect(noteCommits(dir)).toEqual([
      {
        files: ADA_NOTE,
        body: "Field notes by Ada Lovelace on Americas day, 2026-11-23.",
        struggles: ["FIRST"],
      },
      {
        files: ADA_NOTE,
        body: "Entry 2 of the field notes by Ada Lovelace on Americas day, 2026-11-23.",
        struggles: ["SECOND"],
      },
    ]);
    expect(git(dir, "status", "--porcelain")).toBe("");
    // Both saved copies have done their work.
    expect(readdirSync(path.join(dir, ".rota/recovered"))).toEqual([".gitignore"]);
  });

  test("an entry written with --no-commit, or a note changed by hand, is committed apart from the next entry", async () => {
    const dir = await teamRepo();
    const kept = await rota(note("FIRST", "--no-commit"), { cwd: dir, env: at() });
    expect(kept.code, kept.stderr).toBe(0);
    const second = await rota(note("SECOND"), { cwd: dir, env: at() });
    expect(second.code, second.stderr).toBe(0);
    const file = path.join(dir, ADA_NOTE);
    writeFileSync(file, readFileSync(file, "utf8").replace("\nFIRST\n", "\nFIRST, and more\n"));
    const third = await rota(note("THIRD"), { cwd: dir, env: at() });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(
      /\ncommitted [0-9a-f]{7} notes\(2026-11-23\/americas\): ada \(the changes made to the note since its last commit, on their own\)\n/,
    );
    expect(noteCommits(dir)).toEqual([
      {
        files: ADA_NOTE,
        body: "Field notes by Ada Lovelace on Americas day, 2026-11-23.",
        struggles: ["FIRST"],
      },
      {
        files: ADA_NOTE,
        body: "Entry 2 of the field notes by Ada Lovelace on Americas day, 2026-11-23.",
        struggles: ["SECOND"],
      },
      {
        files: ADA_NOTE,
        body: "Changes to the field notes by Ada Lovelace on Americas day, 2026-11-23.",
        struggles: ["FIRST, and more"],
      },
      {
        files: ADA_NOTE,
        body: "Entry 3 of the field notes by Ada Lovelace on Americas day, 2026-11-23.",
        struggles: ["THIRD"],
      },
    ]);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("a note that lost committed text is not committed so: rota refuses and keeps the answers", async () => {
    const dir = await teamRepo();
    for (const struggles of ["FIRST", "SECOND"]) {
      const written = await rota(note(struggles), { cwd: dir, env: at() });
      expect(written.code, written.stderr).toBe(0);
    }
    const file = path.join(dir, ADA_NOTE);
    const whole = readFileSync(file, "utf8");
    const head = git(dir, "rev-parse", "HEAD").trim();
    // Cut inside the second entry, then inside the first entry's marker.
    for (const [cut, lost] of [
      [whole.indexOf("\nSECOND") + 4, "the end of its last entry is missing"],
      [whole.indexOf("<!-- rota:entry") + 7, "2 of the 2 entries of its last commit are missing"],
    ] as const) {
      writeFileSync(file, whole.slice(0, cut));
      const refused = await rota(note("THIRD"), { cwd: dir, env: at() });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(
        `${ADA_NOTE}:1:1: the note has lost text committed before: ${lost}`,
      );
      expect(refused.stderr).toContain(`Put it back with \`git restore -- ${ADA_NOTE}\``);
      expect(refused.stderr).toMatch(/Your answers are saved in \.rota\/recovered\/\S+\.yaml/);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(git(dir, "rev-parse", "HEAD").trim()).toBe(head);
      expect(readFileSync(file, "utf8")).toBe(whole.slice(0, cut));
    }
    git(dir, "restore", "--", ADA_NOTE);
    const saved = readdirSync(path.join(dir, ".rota/recovered")).filter((f) => f.endsWith(".yaml"));
    expect(saved.length).toBe(2);
    const args = ["notes", "--shift", "2026-11-23/americas", "--as", "ada", "--answers"];
    const finished = await rota([...args, `.rota/recovered/${saved[0]}`], { cwd: dir, env: at() });
    expect(finished.code, finished.stderr).toBe(0);
    expect(noteCommits(dir).map((c) => c.struggles)).toEqual([["FIRST"], ["SECOND"], ["THIRD"]]);
  });
});
