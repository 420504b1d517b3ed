import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, test, vi } from "vitest";
import { runNotes } from "../src/commands/notes.ts";
import { createContext } from "../src/context.ts";
import { parseNote } from "../src/core/notes/note.ts";
import { CancelledError } from "../src/errors.ts";
import type { Prompts } from "../src/io/prompts.ts";
import { BIN, rota } from "./helpers/cli.ts";
import { AFTER_SHIFTS, git, teamRepo } from "./helpers/git.ts";
import { tempDir } from "./helpers/tmp.ts";

const ADA_NOTE = "notes/2026/11/2026-11-23-americas-ada.md";

function readNote(dir: string) {
  const result = parseNote(readFileSync(path.join(dir, ADA_NOTE), "utf8"));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.note;
}

/** A context whose standard input and output are terminals, as in an interactive session. */
function terminalContext(dir: string) {
  const tty = <T extends object>(stream: T) => Object.assign(stream, { isTTY: true });
  let err = "";
  const stderr = new PassThrough();
  stderr.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const ctx = createContext(
    {
      cwd: dir,
      env: { ROTA_NOW: AFTER_SHIFTS, TZ: "UTC" },
      stdin: tty(Readable.from([])),
      stdout: tty(new PassThrough()),
      stderr,
    },
    { color: false },
  );
  return { ctx, stderr: () => err };
}

type Script = Record<string, unknown>;

/**
 * Prompts that answer from a script keyed by the start of each message, run
 * every answer through the prompt's validation as the real prompt does, and
 * record what was asked.
 */
function scriptedPrompts(script: Script, asked: string[]): Prompts {
  const answer = (kind: string, message: string, validate?: (value: never) => true | string) => {
    asked.push(`${kind}: ${message}`);
    const key = Object.keys(script).find((k) => message.startsWith(k));
    if (key === undefined) throw new Error(`unexpected question: ${message}`);
    const value = script[key];
    if (value instanceof Error) throw value;
    const tries = Array.isArray(value) && kind !== "select" ? value : [value];
    for (const attempt of tries) {
      const verdict = validate ? validate(attempt as never) : true;
      if (verdict === true) return attempt;
      asked.push(`  rejected ${JSON.stringify(attempt)}: ${verdict}`);
    }
    throw new Error(`no valid answer for ${message}`);
  };
  return {
    input: async (o) => answer("input", o.message, o.validate) as string,
    long: async (o) => answer("long", o.message, o.validate) as string,
    number: async (o) => answer("number", o.message, o.validate) as number | undefined,
    select: async <T>(o: { message: string; choices: { name: string; value: T }[] }) => {
      const value = answer("select", o.message);
      expect(o.choices.map((c) => c.value)).toContain(value);
      return value as T;
    },
  };
}

describe("rota notes in a terminal, with the prompt module replaced", () => {
  test("asks every question not answered by a flag, checking each answer", async () => {
    const dir = await teamRepo();
    const { ctx, stderr } = terminalContext(dir);
    const asked: string[] = [];
    const prompts = scriptedPrompts(
      {
        "What did customers struggle with?": [
          "",
          "Exporting CSVs\n\n---\n\n# not a heading of ours",
        ],
        "What surprised you?": "",
        "How many conversations": [-3, 9],
        "Tags, comma-separated": "Exports, csv",
        "How did the shift feel": 3,
      },
      asked,
    );
    const code = await runNotes(ctx, { answer: ["fix=CSV export encoding"] }, async () => prompts);
    expect(code).toBe(0);
    expect(asked).toEqual([
      "long: What did customers struggle with?",
      '  rejected "": an answer is required',
      "long: What surprised you? (optional)",
      "number: How many conversations did you handle on this shift? (optional)",
      "  rejected -3: expected at least 0, not -3",
      "input: Tags, comma-separated (e.g. billing, login) (optional)",
      "select: How did the shift feel, from 1 (rough) to 5 (great)? (optional)",
    ]);
    expect(stderr()).toContain("Notes for Americas day, Mon 23 Nov 2026 09:00–17:00");
    expect(readNote(dir).entries[0]?.answers).toEqual({
      struggles: "Exporting CSVs\n\n---\n\n# not a heading of ours",
      fix: "CSV export encoding",
      handled: 9,
      tags: ["exports", "csv"],
      mood: 3,
    });
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").trim()).toBe(ADA_NOTE);
  });

  test("a yes/no question is a list, as rating and choice are, with (skip) where optional", async () => {
    const dir = await teamRepo();
    mkdirSync(path.join(dir, "notes"));
    writeFileSync(
      path.join(dir, "notes/TEMPLATE.md"),
      "---\nquestions:\n  - { id: escalated, prompt: Did you escalate?, type: yesno, required: true }\n  - { id: paged, prompt: Were you paged?, type: yesno }\n---\nEscalated: {{escalated}}\n",
    );
    const { ctx } = terminalContext(dir);
    const asked: string[] = [];
    const lists: unknown[][] = [];
    const prompts = scriptedPrompts({ "Did you escalate?": false, "Were you paged?": null }, asked);
    const select = prompts.select;
    prompts.select = (o) => {
      lists.push(o.choices.map((c) => [c.name, c.value]));
      return select(o);
    };
    expect(await runNotes(ctx, {}, async () => prompts)).toBe(0);
    expect(asked).toEqual(["select: Did you escalate?", "select: Were you paged? (optional)"]);
    expect(lists).toEqual([
      [
        ["yes", true],
        ["no", false],
      ],
      [
        ["yes", true],
        ["no", false],
        ["(skip)", null],
      ],
    ]);
    expect(readNote(dir).entries[0]?.answers).toEqual({ escalated: false });
  });

  test("Ctrl-C at a prompt writes nothing and commits nothing", async () => {
    const dir = await teamRepo();
    const { ctx } = terminalContext(dir);
    const prompts = scriptedPrompts(
      {
        "What did customers struggle with?": "Something",
        "What surprised you?": new CancelledError("cancelled: nothing was written"),
      },
      [],
    );
    await expect(runNotes(ctx, {}, async () => prompts)).rejects.toBeInstanceOf(CancelledError);
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
    expect(git(dir, "rev-list", "--count", "HEAD").trim()).toBe("1");
  });

  test("a file where notes/ must go: refused before the first question", async () => {
    const dir = await teamRepo();
    writeFileSync(path.join(dir, "notes"), "in the way\n");
    const { ctx } = terminalContext(dir);
    const asked: string[] = [];
    const prompts = scriptedPrompts({}, asked);
    await expect(runNotes(ctx, {}, async () => prompts)).rejects.toThrow(
      "cannot write notes/2026/11/2026-11-23-americas-ada.md: a parent of it is a file, not a directory",
    );
    expect(asked).toEqual([]);
  });

  test("a note of someone else's where this one must go: refused before the first question", async () => {
    const dir = await teamRepo();
    mkdirSync(path.dirname(path.join(dir, ADA_NOTE)), { recursive: true });
    writeFileSync(
      path.join(dir, ADA_NOTE),
      "---\noccurrence: 2026-11-23/americas\nperson: grace\n---\n\nGrace's, moved by hand.\n",
    );
    const { ctx } = terminalContext(dir);
    const asked: string[] = [];
    const prompts = scriptedPrompts({}, asked);
    await expect(runNotes(ctx, {}, async () => prompts)).rejects.toThrow(
      "is not this shift's and person's note, so nothing was added to it",
    );
    expect(asked).toEqual([]);
    expect(existsSync(path.join(dir, ".rota"))).toBe(false);
  });

  test("when writing fails after the questions (a full disk), the answers are saved with how to finish", async () => {
    const dir = await teamRepo();
    const { ctx } = terminalContext(dir);
    const prompts = scriptedPrompts(
      {
        "What did customers struggle with?": "Hard-won insight:\n\n- it: took 'long'",
        "What surprised you?": "",
        "One thing we should fix": "The thing",
        "How many": 7,
        Tags: "sso, billing",
        "How did the shift feel": null,
      },
      [],
    );
    vi.resetModules();
    vi.doMock("../src/io/atomic.ts", async (original) => ({
      ...(await original<typeof import("../src/io/atomic.ts")>()),
      writeAtomically: async () => {
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
          code: "ENOSPC",
        });
      },
    }));
    let error: unknown;
    try {
      const { runNotes: run } = await import("../src/commands/notes.ts");
      await run(ctx, {}, async () => prompts).catch((e: unknown) => {
        error = e;
      });
    } finally {
      vi.doUnmock("../src/io/atomic.ts");
      vi.resetModules();
    }
    const saved = ".rota/recovered/2026-11-23-americas-ada.yaml";
    expect((error as Error).message).toBe(
      "cannot write notes/2026/11/2026-11-23-americas-ada.md: the disk is full; free some space and run the command again\n" +
        `Your answers are saved in ${saved}. To finish, run:\n` +
        `  rota notes --shift 2026-11-23/americas --as ada --answers ${saved}`,
    );
    expect(existsSync(path.join(dir, ADA_NOTE))).toBe(false);
    // Ignored by git through its own .gitignore: nothing to commit by accident.
    expect(git(dir, "status", "--porcelain")).toBe("");
    expect(readFileSync(path.join(dir, saved), "utf8")).toMatch(
      /^# Answers to `rota notes` for 2026-11-23\/americas by ada, kept because the note could not be written: cannot write .*the disk is full.*\n# To finish: rota notes --shift 2026-11-23\/americas --as ada --answers <this file>\n/,
    );

    // The command it printed finishes the note, and the saved answers go.
    const finished = await rota(
      ["notes", "--shift", "2026-11-23/americas", "--as", "ada", "--answers", saved],
      { cwd: dir, env: { ROTA_NOW: AFTER_SHIFTS } },
    );
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toContain(`removed ${saved}: its answers are in the note now`);
    expect(readNote(dir).entries[0]?.answers).toEqual({
      struggles: "Hard-won insight:\n\n- it: took 'long'",
      fix: "The thing",
      handled: 7,
      tags: ["sso", "billing"],
    });
    expect(existsSync(path.join(dir, saved))).toBe(false);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("a second failure keeps the first one's answers too", async () => {
    const dir = await teamRepo();
    writeFileSync(path.join(dir, ".git", "hooks", "pre-commit"), "#!/bin/sh\nexit 1\n", {
      mode: 0o755,
    });
    for (const fix of ["first", "second"]) {
      const result = await rota(
        ["notes", "--as", "ada", "--answer", "struggles=x", "--answer", `fix=${fix}`],
        {
          cwd: dir,
          env: { ROTA_NOW: AFTER_SHIFTS },
        },
      );
      expect(result.code).toBe(1);
    }
    expect(readdirSync(path.join(dir, ".rota/recovered")).sort()).toEqual([
      ".gitignore",
      "2026-11-23-americas-ada-2.yaml",
      "2026-11-23-americas-ada.yaml",
    ]);
  });
});

function hasTmux(): boolean {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Waits until `check` returns something, polling; fails after a generous limit. */
async function waitFor<T>(what: string, check: () => T | undefined, limit = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() - started > limit) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The real CLI in a real pseudo-terminal (tmux), driven by keystrokes: what a
 * person at a terminal does. tmux is installed by .ci/run.
 */
describe.skipIf(!hasTmux())("rota notes in a real terminal (tmux)", () => {
  /** `editor`: the EDITOR to set (default: a script that types an answer; null: none). */
  function session(dir: string, args: string, options: { editor?: string | null } = {}) {
    const socket = `rota-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
    // tmux's own complaints (such as "no server running" once the pane has
    // closed) are captured, not printed amid the test run's output.
    const tmux = (...a: string[]) =>
      execFileSync("tmux", ["-L", socket, "-f", "/dev/null", ...a], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    const editor = path.join(tempDir(), "editor.sh");
    writeFileSync(
      editor,
      "#!/bin/sh\nprintf 'Typed in the editor\\n\\n- one\\n- two\\n' > \"$1\"\n",
      {
        mode: 0o755,
      },
    );
    const exitFile = path.join(tempDir(), "exit");
    const errFile = path.join(tempDir(), "stderr");
    // Standard error goes to a file, to be read after the pane has closed.
    const editorVariable = options.editor === null ? "" : `EDITOR='${options.editor ?? editor}'`;
    const command = `env -u EDITOR -u VISUAL ROTA_NOW='${AFTER_SHIFTS}' ${editorVariable} '${process.execPath}' '${BIN}' ${args} 2>'${errFile}'; echo $? > '${exitFile}'`;
    tmux("new-session", "-d", "-x", "160", "-y", "50", "-c", dir, command);
    return {
      screen: () => tmux("capture-pane", "-p"),
      stderr: () => readFileSync(errFile, "utf8"),
      keys: (...keys: string[]) => tmux("send-keys", ...keys),
      exited: () => existsSync(exitFile),
      exit: () =>
        waitFor("rota to exit", () =>
          // The shell creates the file before it writes the code into it.
          existsSync(exitFile) ? readFileSync(exitFile, "utf8").trim() || undefined : undefined,
        ),
      close: () => {
        try {
          tmux("kill-server");
        } catch {
          // already gone
        }
      },
    };
  }

  const prompt = (s: ReturnType<typeof session>, text: string) =>
    waitFor(`the prompt "${text}"`, () => (s.screen().includes(text) ? true : undefined));

  test("answers typed at the prompts and in $EDITOR become a committed note", async () => {
    const dir = await teamRepo();
    const s = session(dir, "notes --as ada");
    try {
      // With $EDITOR set, each long answer opens in it straight away.
      await prompt(s, "One thing we should fix");
      s.keys("-l", "Search that finds invoices");
      s.keys("Enter");
      await prompt(s, "How many conversations");
      // Below the question's minimum: refused in rota's words, and asked again.
      s.keys("-l", "--", "-1");
      s.keys("Enter");
      await prompt(s, "expected at least 0, not -1");
      expect(s.screen()).not.toContain("Infinity");
      s.keys("BSpace", "BSpace");
      s.keys("-l", "7");
      s.keys("Enter");
      await prompt(s, "Tags, comma-separated");
      s.keys("-l", "Search, invoices");
      s.keys("Enter");
      await prompt(s, "How did the shift feel");
      s.keys("Up"); // from (skip) to 5
      s.keys("Up"); // 4
      s.keys("Enter");
      expect(await s.exit()).toBe("0");
    } finally {
      s.close();
    }
    expect(readNote(dir).entries[0]?.answers).toEqual({
      struggles: "Typed in the editor\n\n- one\n- two",
      surprised: "Typed in the editor\n\n- one\n- two",
      fix: "Search that finds invoices",
      handled: 7,
      tags: ["search", "invoices"],
      mood: 4,
    });
    expect(git(dir, "log", "-1", "--format=%s").trim()).toBe("notes(2026-11-23/americas): ada");
  });

  test("Ctrl-C exits 130 and writes nothing", async () => {
    const dir = await teamRepo();
    const s = session(dir, "notes --as ada --answer struggles=x", { editor: null });
    try {
      await prompt(s, "What surprised you?");
      await prompt(s, "Type :e on a line of its own");
      s.keys("C-c");
      expect(await s.exit()).toBe("130");
      expect(s.stderr()).toContain("rota: cancelled: nothing was written");
    } finally {
      s.close();
    }
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  /** Types each line of `lines` at the prompt, then the line that ends the answer. */
  const typeAnswer = (s: ReturnType<typeof session>, lines: string[]) => {
    for (const line of lines) {
      if (line !== "") s.keys("-l", "--", line);
      s.keys("Enter");
    }
    s.keys("-l", ".");
    s.keys("Enter");
  };
  const OTHERS =
    "notes --as ada --answer fix=Docs --answer mood=3 --answer handled=2 --answer tags=sso";

  test("without $EDITOR or $VISUAL, a long answer is typed at the prompt over several lines", async () => {
    const dir = await teamRepo();
    const s = session(dir, OTHERS, { editor: null });
    try {
      await prompt(s, "What did customers struggle with?");
      await prompt(s, 'end it with a line holding only "."');
      typeAnswer(s, ["SSO setup with Okta:", "", "- the metadata URL", "- clock skew"]);
      await prompt(s, "What surprised you? (optional)");
      typeAnswer(s, []); // skipped
      expect(await s.exit()).toBe("0");
    } finally {
      s.close();
    }
    expect(readNote(dir).entries[0]?.answers).toEqual({
      struggles: "SSO setup with Okta:\n\n- the metadata URL\n- clock skew",
      fix: "Docs",
      handled: 2,
      tags: ["sso"],
      mood: 3,
    });
  });

  test("an $EDITOR that cannot start: says why, and the answer is typed at the prompt", async () => {
    const dir = await teamRepo();
    const s = session(dir, OTHERS, { editor: "/nonexistent" });
    try {
      await prompt(s, "type the answer here instead");
      expect(s.screen()).toContain(
        'your editor cannot start: $EDITOR is "/nonexistent", and /nonexistent is not a program',
      );
      typeAnswer(s, ["Typed, as the editor", "would not start"]);
      await prompt(s, "What surprised you? (optional)");
      await waitFor("the second fallback", () =>
        s.screen().split("type the answer here instead").length === 3 ? true : undefined,
      );
      typeAnswer(s, []);
      expect(await s.exit()).toBe("0");
      expect(s.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      s.close();
    }
    expect(readNote(dir).entries[0]?.answers.struggles).toBe(
      "Typed, as the editor\nwould not start",
    );
  });

  test("a one-line answer written in the editor is counted as one line", async () => {
    const dir = await teamRepo();
    // An editor that saves one line (with the newline editors end a file
    // with); the second time, it waits for the test to look at the screen.
    const scratch = tempDir();
    const first = path.join(scratch, "first");
    const second = path.join(scratch, "second");
    const go = path.join(scratch, "go");
    const editor = path.join(scratch, "editor.sh");
    writeFileSync(
      editor,
      `#!/bin/sh\nif [ -e '${first}' ]; then\n  touch '${second}'\n  while [ ! -e '${go}' ]; do sleep 0.05; done\nfi\nprintf 'One line\\n' > "$1"\ntouch '${first}'\n`,
      { mode: 0o755 },
    );
    const s = session(dir, OTHERS, { editor });
    try {
      await waitFor("the second long answer", () => (existsSync(second) ? true : undefined));
      expect(s.screen()).toContain("(answer kept: 1 line)");
      writeFileSync(go, "");
      expect(await s.exit()).toBe("0");
    } finally {
      s.close();
    }
    expect(readNote(dir).entries[0]?.answers.struggles).toBe("One line");
  });

  test("Ctrl-C while the editor is open: exit 130, nothing written, and its file removed", async () => {
    const dir = await teamRepo();
    // An editor that says which file it was given, then waits (as people do).
    // The waiting process itself says so, so the Ctrl-C that follows reaches
    // it: sh would hold a Ctrl-C that lands before it forks \`sleep\` until
    // the sleep ends.
    const given = path.join(tempDir(), "given");
    const editor = path.join(tempDir(), "slow.sh");
    const wait = `require("fs").writeFileSync(process.argv[1], process.argv[2]); setTimeout(() => {}, 30000)`;
    writeFileSync(editor, `#!/bin/sh\nexec '${process.execPath}' -e '${wait}' '${given}' "$1"\n`, {
      mode: 0o755,
    });
    const s = session(dir, OTHERS, { editor });
    try {
      const file = await waitFor("the editor", () =>
        existsSync(given) ? readFileSync(given, "utf8") || undefined : undefined,
      );
      expect(existsSync(file)).toBe(true);
      s.keys("C-c");
      expect(await s.exit()).toBe("130");
      expect(s.stderr()).toContain("rota: cancelled: nothing was written");
      expect(existsSync(path.dirname(file))).toBe(false);
    } finally {
      s.close();
    }
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("an editor ended by Ctrl-C cancels, even where rota hears of its exit before the Ctrl-C", async () => {
    const dir = await teamRepo();
    // The editor alone gets the SIGINT here: what rota sees when the editor's
    // exit reaches it before the terminal's Ctrl-C does.
    const editor = path.join(tempDir(), "interrupted.sh");
    writeFileSync(editor, "#!/bin/sh\nkill -INT $$\n", { mode: 0o755 });
    const s = session(dir, OTHERS, { editor });
    try {
      expect(await s.exit()).toBe("130");
      expect(s.stderr()).toContain("rota: cancelled: nothing was written");
    } finally {
      s.close();
    }
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  test("an editor that fails on the second long answer: the first is kept, the second typed", async () => {
    const dir = await teamRepo();
    // An editor that types an answer once, then fails.
    const flag = path.join(tempDir(), "used");
    const editor = path.join(tempDir(), "once.sh");
    writeFileSync(
      editor,
      `#!/bin/sh\nif [ -e '${flag}' ]; then exit 1; fi\nprintf 'First, in the editor\\n' > "$1"\ntouch '${flag}'\n`,
      { mode: 0o755 },
    );
    const s = session(dir, OTHERS, { editor });
    try {
      await prompt(s, "failed (exit code 1): type the answer here instead");
      typeAnswer(s, ["Second, typed"]);
      expect(await s.exit()).toBe("0");
    } finally {
      s.close();
    }
    const answers = readNote(dir).entries[0]?.answers;
    expect(answers?.struggles).toBe("First, in the editor");
    expect(answers?.surprised).toBe("Second, typed");
  });
});
