import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { decodeText, shellWord, textPosition } from "../../src/core/text.ts";

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))),
  );

describe("decodeText", () => {
  test("UTF-8 text, with or without a byte-order mark", () => {
    expect(decodeText(bytes("team: Café\n"))).toEqual({ ok: true, text: "team: Café\n" });
    expect(decodeText(bytes([0xef, 0xbb, 0xbf], "a: 1\n"))).toEqual({ ok: true, text: "a: 1\n" });
  });

  test("a NUL byte means binary, at its position", () => {
    expect(decodeText(bytes("a: 1\nbé: ", [0]))).toEqual({
      ok: false,
      line: 2,
      col: 5,
      message: "the file contains a NUL byte: it is binary, not text",
    });
  });

  test("invalid UTF-8 is reported at the first bad byte, after a genuine U+FFFD", () => {
    expect(decodeText(bytes("a: \ufffd\nb: x", [0xe9], "\n"))).toEqual({
      ok: false,
      line: 2,
      col: 5,
      message: "byte 0xe9 is not UTF-8; save the file as UTF-8",
    });
    expect(decodeText(bytes([0xef, 0xbb, 0xbf], "x", [0xc3, 0x28]))).toMatchObject({
      ok: false,
      line: 1,
      col: 2,
      message: "byte 0xc3 is not UTF-8; save the file as UTF-8",
    });
  });

  test("a genuine U+FFFD alone is valid UTF-8", () => {
    expect(decodeText(bytes("name: \ufffd and \ufffd\n"))).toEqual({
      ok: true,
      text: "name: \ufffd and \ufffd\n",
    });
  });

  test("UTF-16 is named as such", () => {
    expect(decodeText(bytes([0xfe, 0xff, 0, 0x61]))).toMatchObject({
      ok: false,
      message: "the file is saved as UTF-16; save it as UTF-8",
    });
  });

  test("textPosition counts characters, not UTF-16 units", () => {
    expect(textPosition("a\n😀😀x", 6)).toEqual({ line: 2, col: 3 });
  });
});

describe("shellWord", () => {
  test("a word a shell reads back as the value, control characters included, and none in the word", () => {
    const values = [
      "notes/2026/11/a.md",
      "a dir/with spaces",
      "it's",
      // A directory named with a bidi control: the command rota prints must work pasted.
      "d\u202ertl/sub dir",
      "tab\there",
      "back\\slash'quote\u2066",
      "line\nbreak",
    ];
    for (const value of values) {
      const word = shellWord(value);
      expect(word).not.toMatch(/[\t\n\u202e\u2066]/);
      expect(execFileSync("bash", ["-c", `printf %s ${word}`], { encoding: "utf8" }), word).toBe(
        value,
      );
    }
    expect(shellWord("plain-word.md")).toBe("plain-word.md");
    expect(shellWord("d\u202ertl")).toBe("$'d\\u202ertl'");
  });
});
