import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseNote } from "../src/core/notes/note.ts";
import { BIN, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, git, teamRepo } from "./helpers/git.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * What `rota notes` reads besides the roster, as people write it: the team's
 * template and the answers in a file or on standard input.
 */

const ADA_NOTE = "notes/2026/11/2026-11-23-americas-ada.md";
const env = { ROTA_NOW: AFTER_SHIFTS };

function answersIn(dir: string, file: string) {
  const result = parseNote(readFileSync(path.join(dir, file), "utf8"), file);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.note.entries.map((entry) => entry.answers);
}

describe("a notes template git left conflicted", () => {
  const conflicted = [
    "---", // 1
    "questions:", // 2
    "  - { id: struggles, prompt: What?, type: long, required: true }", // 3
    "  - { id: fix, prompt: Fix?, required: true }", // 4
    "---", // 5
    "<<<<<<< HEAD", // 6
    "Struggles:", // 7
    "=======", // 8
    "What customers struggled with:", // 9
    ">>>>>>> feature", // 10
    "{{struggles}}",
    "",
    "Fix: {{fix}}",
    "",
  ].join("\n");
  const problem =
    "support/notes.md:6:1: unresolved merge conflict, lines 6–10 (<<<<<<< at 6, ======= at 8, >>>>>>> at 10): edit the lines to what the template should say and delete the marker lines, then `git add support/notes.md`\n1 error in support/notes.md\n";

  test("the roster's own: refused by validate and notes, at the markers, nothing written", async () => {
    const dir = await teamRepo();
    mkdirSync(path.join(dir, "support"));
    writeFileSync(path.join(dir, "support/notes.md"), conflicted);
    writeFileSync(
      path.join(dir, "roster.yaml"),
      `${readFileSync(path.join(dir, "roster.yaml"))}\nnotes:\n  template: support/notes.md\n`,
    );
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "A conflicted template");
    const head = git(dir, "rev-parse", "HEAD");

    const validate = await rota(["validate"], { cwd: dir, env });
    expect(validate.stderr).toBe(problem);
    expect(validate.code).toBe(2);

    const notes = await rota(["notes", "--answer", "struggles=X", "--answer", "fix=Y"], {
      cwd: dir,
      env,
    });
    expect(notes.stderr).toBe(problem);
    expect(notes.code).toBe(2);
    expect(existsSync(path.join(dir, ADA_NOTE))).toBe(false);
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
  });

  test("notes/TEMPLATE.md: validate checks it too, as notes would meet it", async () => {
    const dir = await teamRepo();
    mkdirSync(path.join(dir, "notes"));
    writeFileSync(path.join(dir, "notes/TEMPLATE.md"), conflicted);
    const expected = problem.replaceAll("support/notes.md", "notes/TEMPLATE.md");

    const validate = await rota(["validate"], { cwd: dir, env });
    expect(validate.stderr).toBe(expected);
    expect(validate.code).toBe(2);
    const json = await rota(["validate", "--json"], { cwd: dir, env });
    expect(JSON.parse(json.stdout)).toMatchObject([{ file: "notes/TEMPLATE.md", line: 6 }]);

    const notes = await rota(["notes", "--answer", "struggles=X", "--answer", "fix=Y"], {
      cwd: dir,
      env,
    });
    expect(notes.stderr).toBe(expected);
    expect(notes.code).toBe(2);
    expect(existsSync(path.join(dir, ADA_NOTE))).toBe(false);
  });

  test("a heading underlined with ======= is no conflict, in the template or the notes it writes", async () => {
    const dir = await teamRepo();
    mkdirSync(path.join(dir, "notes"));
    writeFileSync(
      path.join(dir, "notes/TEMPLATE.md"),
      "---\nquestions:\n  - { id: fix, prompt: Fix? }\n---\nOne thing to fix\n=======\n\n{{fix}}\n",
    );
    expect((await rota(["validate"], { cwd: dir, env })).code).toBe(0);
    const notes = await rota(["notes", "--answer", "fix=Y"], { cwd: dir, env });
    expect(notes.code).toBe(0);
    expect(answersIn(dir, ADA_NOTE)).toEqual([{ fix: "Y" }]);
  });
});

describe("answers from a YAML file or standard input", () => {
  test("a text answer keeps what YAML would read as a number or yes/no; numbers stay numbers", async () => {
    const dir = await teamRepo();
    writeFileSync(
      path.join(dir, "answers.yaml"),
      "struggles: Upgrading\nsurprised: ~\nfix: 3.10\nhandled: 0123\ntags: [1.10, SSO]\n",
    );
    const fromFile = await rota(["notes", "--answers", "answers.yaml"], { cwd: dir, env });
    expect(fromFile.code).toBe(0);
    expect(answersIn(dir, ADA_NOTE)).toEqual([
      { struggles: "Upgrading", fix: "3.10", handled: 123, tags: ["1.10", "sso"] },
    ]);

    const fromStdin = await rota(["notes", "--as", "grace"], {
      cwd: dir,
      env,
      input: "struggles: true\nfix: 0123\nmood: 4\n",
    });
    expect(fromStdin.code).toBe(0);
    expect(answersIn(dir, "notes/2026/11/2026-11-24-emea-grace.md")).toEqual([
      { struggles: "true", fix: "0123", mood: 4 },
    ]);
  });
});

describe("answers with other line breaks", () => {
  test("a carriage return alone ends a line, as YAML says, in a file or on standard input", async () => {
    const dir = await teamRepo();
    writeFileSync(path.join(dir, "answers.yaml"), "struggles: Exports\rfix: CSV\r");
    const fromFile = await rota(["notes", "--answers", "answers.yaml"], { cwd: dir, env });
    expect(fromFile.code).toBe(0);
    expect(answersIn(dir, ADA_NOTE)).toEqual([{ struggles: "Exports", fix: "CSV" }]);

    // Problems are placed on the line as its reader counts it.
    writeFileSync(path.join(dir, "wrong.yaml"), "struggles: Exports\rfix: CSV\rmood: 9\r");
    const wrong = await rota(["notes", "--as", "grace", "--answers", "wrong.yaml"], {
      cwd: dir,
      env,
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("wrong.yaml:3: mood: expected a rating from 1 to 5, not 9");

    const fromStdin = await rota(["notes", "--as", "grace"], {
      cwd: dir,
      env,
      input: "struggles: |\r  Two\r  lines\rfix: Docs\r",
    });
    expect(fromStdin.code).toBe(0);
    expect(answersIn(dir, "notes/2026/11/2026-11-24-emea-grace.md")).toEqual([
      { struggles: "Two\nlines", fix: "Docs" },
    ]);
  });
});

describe("answers piped in that are not UTF-8 text", () => {
  test("a Latin-1 byte or a NUL: refused at its place, the bytes kept as they came, and the printed command finishes", async () => {
    const dir = await teamRepo();
    const cases = [
      {
        bytes: Buffer.from("struggles: caf\xe9 exports\nfix: CSV\n", "latin1"),
        problem: "stdin:1:15: byte 0xe9 is not UTF-8; send UTF-8",
      },
      {
        bytes: Buffer.from("struggles: Exports\nfix: C\0SV\n", "latin1"),
        problem: "stdin:2:7: standard input contains a NUL byte: it is binary, not text",
      },
    ];
    for (const { bytes, problem } of cases) {
      const refused = await rota(["notes"], { cwd: dir, env, input: bytes });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`${problem}\n`);
      const saved = /saved in (\S+): correct them there, then run:\n {2}rota (.*)\n/.exec(
        refused.stderr,
      );
      expect(saved, refused.stderr).not.toBeNull();
      const [, file, command] = saved as RegExpExecArray;
      const kept = readFileSync(path.join(dir, file as string));
      expect(kept.subarray(kept.length - bytes.length)).toEqual(bytes);

      // Corrected where they are kept, they finish the note with the command printed.
      const header = kept.subarray(0, kept.length - bytes.length).toString("utf8");
      const corrected = bytes.toString("latin1").replace("\0", "").replace("\xe9", "é");
      writeFileSync(path.join(dir, file as string), `${header}${corrected}`);
      const finished = await rota((command as string).split(" "), { cwd: dir, env });
      expect(finished.stderr).not.toContain("error");
      expect(finished.code).toBe(0);
    }
    expect(answersIn(dir, ADA_NOTE)).toEqual([
      { struggles: "café exports", fix: "CSV" },
      { struggles: "Exports", fix: "CSV" },
    ]);
  });
});

describe("answers that cannot be kept as given", () => {
  test("--answer with bytes that are not UTF-8 is refused, not stored with U+FFFD in it", async () => {
    const dir = await teamRepo();
    // The bytes as a shell passes them (Latin-1 "café"), not as Node would encode a string.
    const result = spawnSync(
      "bash",
      [
        "-c",
        `"${process.execPath}" "${BIN}" notes --answer $'struggles=caf\\xe9' --answer fix=CSV`,
      ],
      { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8" },
    );
    expect(result.stderr).toBe(
      "rota: --answer struggles: the value is not UTF-8 text (U+FFFD stands where its bytes were not); give it in UTF-8, or in a file with --answers FILE.yaml\n",
    );
    expect(result.status).toBe(2);
    expect(existsSync(path.join(dir, ADA_NOTE))).toBe(false);
  });

  test("an answers file over the size rota reads is called an answers file", async () => {
    const dir = await teamRepo();
    writeFileSync(path.join(dir, "answers.yaml"), `struggles: ${"x".repeat(9 * 1024 * 1024)}\n`);
    const result = await rota(["notes", "--answers", "answers.yaml"], { cwd: dir, env });
    expect(result.stderr).toBe(
      "rota: answers.yaml is 9.0 MiB; rota reads answers files up to 8.0 MiB\n",
    );
    expect(result.code).toBe(2);
  });
});

describe("the command that finishes from saved answers, under -C", () => {
  test("pasted where the person is, it finds the saved file: missing or refused answers alike", async () => {
    const top = tempDir();
    const dir = await teamRepo(path.join(top, "support"));
    // A missing answer is added to the command; YAML that does not parse is corrected in the file.
    for (const input of ["struggles: Exports\n", "struggles: Exports\nfix: [CSV\n"]) {
      const kept = await rota(["-C", "support", "notes"], { cwd: top, env, input });
      expect(kept.code).toBe(2);
      const printed = /saved in (\S+): .*:\n {2}rota (.*)\n/.exec(kept.stderr);
      expect(printed, kept.stderr).not.toBeNull();
      const [, file, command] = printed as RegExpExecArray;
      expect(existsSync(path.join(top, file as string))).toBe(true);
      if (input.includes("[")) {
        writeFileSync(
          path.join(top, file as string),
          readFileSync(path.join(top, file as string), "utf8").replace("[CSV", "CSV"),
        );
      }
      const finished = await rota((command as string).replace("…", "CSV").split(" "), {
        cwd: top,
        env,
      });
      expect(finished.stderr).not.toContain("does not exist");
      expect(finished.code).toBe(0);
    }
    expect(answersIn(dir, ADA_NOTE)).toEqual([
      { struggles: "Exports", fix: "CSV" },
      { struggles: "Exports", fix: "CSV" },
    ]);
  });
});

describe("a template question refused for one bad field", () => {
  test("still declares its id: the body's placeholder for it is no second error", async () => {
    const dir = await teamRepo();
    mkdirSync(path.join(dir, "notes"));
    const template = (field: string) =>
      [
        "---",
        "questions:",
        "  - { id: struggles, prompt: What?, type: long, required: true }",
        `  - { id: mood, ${field.includes("prompt") ? "" : "prompt: Mood?, "}${field} }`,
        "---",
        "{{struggles}}",
        "",
        "Mood: {{mood}}",
        "",
      ].join("\n");
    for (const [field, message] of [
      ["type: ratin", "type must be one of"],
      ["type: number, min: zero", "min must be a number"],
      ["type: choice, choices: []", "choices must be a list with at least one choice"],
      ["type: rating, default: 9", "default:"],
      ['type: rating, prompt: "Mo\\u0007od?"', "prompt contains U+0007 (a control character)"],
    ]) {
      writeFileSync(path.join(dir, "notes/TEMPLATE.md"), template(field as string));
      const validate = await rota(["validate"], { cwd: dir, env });
      expect(validate.code).toBe(2);
      expect(validate.stderr).toContain(message as string);
      expect(validate.stderr).not.toContain("placeholder");
      expect(validate.stderr).toMatch(/\n1 error in notes\/TEMPLATE\.md\n$/);
    }
  });
});
