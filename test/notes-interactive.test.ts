import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import { runNotes } from "../src/commands/notes.ts";
import { createContext } from "../src/context.ts";
import { parseNote } from "../src/core/notes/note.ts";
import { CancelledError } from "../src/errors.ts";
import type { Prompts } from "../src/io/prompts.ts";
import { BIN } from "./helpers/cli.ts";
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
    editor: async (o) => answer("editor", o.message, o.validate) as string,
    number: async (o) => answer("number", o.message, o.validate) as number | undefined,
    confirm: async (o) => answer("confirm", o.message) as boolean,
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
      "editor: What did customers struggle with?",
      '  rejected "": an answer is required',
      "editor: What surprised you? (optional)",
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

  test("when writing fails after the questions, the answers are printed to pass back", async () => {
    const dir = await teamRepo();
    // A file where the notes directory must go: the write fails.
    writeFileSync(path.join(dir, "notes"), "in the way\n");
    const { ctx, stderr } = terminalContext(dir);
    const prompts = scriptedPrompts(
      {
        "What did customers struggle with?": "Hard-won insight",
        "What surprised you?": "",
        "One thing we should fix": "The thing",
        "How many": undefined,
        Tags: "",
        "How did the shift feel": null,
      },
      [],
    );
    await expect(runNotes(ctx, {}, async () => prompts)).rejects.toThrow(/cannot write/);
    expect(stderr()).toContain(
      "Your answers, to pass back with --answers FILE.yaml (add --shift 2026-11-23/americas --as ada):\nstruggles: Hard-won insight\nfix: The thing\n",
    );
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
  function session(dir: string, args: string) {
    const socket = `rota-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const tmux = (...a: string[]) =>
      execFileSync("tmux", ["-L", socket, "-f", "/dev/null", ...a], { encoding: "utf8" });
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
    const command = `ROTA_NOW='${AFTER_SHIFTS}' EDITOR='${editor}' '${process.execPath}' '${BIN}' ${args} 2>'${errFile}'; echo $? > '${exitFile}'`;
    tmux("new-session", "-d", "-x", "160", "-y", "50", "-c", dir, command);
    return {
      screen: () => tmux("capture-pane", "-p"),
      stderr: () => readFileSync(errFile, "utf8"),
      keys: (...keys: string[]) => tmux("send-keys", ...keys),
      exit: () =>
        waitFor("rota to exit", () =>
          existsSync(exitFile) ? readFileSync(exitFile, "utf8").trim() : undefined,
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
      await prompt(s, "What did customers struggle with?");
      s.keys("Enter"); // launch the editor
      await prompt(s, "What surprised you? (optional)");
      s.keys("Enter");
      await prompt(s, "One thing we should fix");
      s.keys("-l", "Search that finds invoices");
      s.keys("Enter");
      await prompt(s, "How many conversations");
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
    const s = session(dir, "notes --as ada --answer struggles=x");
    try {
      await prompt(s, "What surprised you?");
      s.keys("C-c");
      expect(await s.exit()).toBe("130");
      expect(s.stderr()).toContain("rota: cancelled: nothing was written");
    } finally {
      s.close();
    }
    expect(existsSync(path.join(dir, "notes"))).toBe(false);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });
});
