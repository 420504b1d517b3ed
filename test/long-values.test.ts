import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isPlainWord, readSimpleFrontMatter } from "../src/core/notes/front-matter.ts";
import {
  isNumbers,
  linkTexts,
  quoteText,
  strongTexts,
  words,
  wordsIn,
} from "../src/core/report/themes.ts";
import { commandWords, editorCommand } from "../src/io/editor.ts";
import { RUNS, SEED } from "./helpers/arbitraries.ts";

/**
 * Values of megabytes in notes' front matter, in answers the report quotes
 * and in $EDITOR: read in time proportional to their length, never with an
 * expression that repeats a choice or a group (V8 runs those with a stack as
 * deep as the value is long, and overflows it). The expressions they replace
 * are kept here, as the reference the readers must agree with.
 */

const OLD_WORD = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_./+-]|:(?!$))*$/u;
const OLD_ASCII_WORD = /^[A-Za-z0-9_](?:[A-Za-z0-9_./+-]|:(?!$))*$/;
const OLD_THEME_WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;
const OLD_NUMBERS = /^\d+(?:[.-]\d+)*$/;
const OLD_LINK =
  /!?\[([^\]\n]*)\]\(\s*(?:<[^<>\n]*>|(?:[^()\s]|\((?:[^()\s]|\([^()\s]*\))*\))*)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)/g;
const OLD_STRONG = /(\*\*|__)(?=\S)([^\n]*?\S)\1/g;
const OLD_COMMAND_WORDS = /(?:\\ |[^ ])+/g;

/** Text from the characters that matter to `chars`, and any other now and then. */
function textOf(chars: string, maxLength = 24): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...chars) }, fc.string({ maxLength: 1 })),
      {
        maxLength,
      },
    )
    .map((parts) => parts.join(""));
}

const TEN_MB = 10_000_000;

describe("the readers agree with the expressions they replace", () => {
  test("a plain word of front matter", () => {
    fc.assert(
      fc.property(textOf("aZ9_./+-:é日 #\"'[]{},\n"), (text) => {
        expect(isPlainWord(text)).toBe(OLD_ASCII_WORD.test(text) || OLD_WORD.test(text));
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });

  test("the words of an answer, and which are numbers alone", () => {
    fc.assert(
      fc.property(textOf("ab1é日'’.- \n,"), (text) => {
        const old = [...text.matchAll(OLD_THEME_WORD)].map((match) => match[0]);
        expect([...wordsIn(text)]).toEqual(old);
        expect(words(text).map((w) => w.surface)).toEqual(old);
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
    fc.assert(
      fc.property(textOf("12.-a'٣"), (text) => {
        expect(isNumbers(text)).toBe(OLD_NUMBERS.test(text));
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });

  test("links and images as their text", () => {
    fc.assert(
      fc.property(textOf("![]()<>\"' \n\tab", 32), (text) => {
        expect(linkTexts(text)).toBe(text.replace(OLD_LINK, "$1"));
      }),
      { numRuns: RUNS * 20, seed: SEED },
    );
    for (const text of [
      "see [the docs](https://example.com/a_(b)) and ![logo](<a b.png> 'Logo')",
      '[a]( "title")',
      "[a]( (t y) )",
      "[a](<b> x)",
      "[a](<b)",
      "![x [y](z)](w)",
      "[a](b(c(d)e)f)",
      "[a](b(c(d(e)))f)",
    ]) {
      expect(linkTexts(text), text).toBe(text.replace(OLD_LINK, "$1"));
    }
  });

  test("strong emphasis as its words", () => {
    fc.assert(
      fc.property(textOf("*_ \na", 32), (text) => {
        expect(strongTexts(text)).toBe(text.replace(OLD_STRONG, "$2"));
      }),
      { numRuns: RUNS * 20, seed: SEED },
    );
  });

  test("$EDITOR's words", () => {
    fc.assert(
      fc.property(textOf("a \\-/"), (text) => {
        expect(commandWords(text)).toEqual(text.match(OLD_COMMAND_WORDS) ?? []);
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });
});

describe("values of ten megabytes: read, not a crash", () => {
  test("a front matter value", () => {
    const long = `s${"a:".repeat(TEN_MB / 2)}b`;
    const read = readSimpleFrontMatter(`person: ada\nteam: ${long}\n`)?.value as
      | Record<string, string>
      | undefined;
    // Compared as booleans: a failure would print ten megabytes.
    expect(read?.person).toBe("ada");
    expect(read?.team === long).toBe(true);
  });

  test("an answer of words, numbers and links, quoted and counted", () => {
    const dotted = `${"a.".repeat(TEN_MB / 2)}a`;
    const read = [...wordsIn(dotted)];
    expect(read.length === 1 && read[0] === dotted).toBe(true);
    const numbers = words(`${"1-".repeat(TEN_MB / 2)}1`);
    expect(numbers.length === 1 && numbers[0]?.key === "").toBe(true);
    expect(quoteText(`[a link](${"a".repeat(TEN_MB)}) to read`)).toBe("a link to read");
    expect(quoteText(`[a link](${"(b)".repeat(TEN_MB / 3)})`)).toBe("a link");
    expect(quoteText(`**${"a ".repeat(TEN_MB / 2)}b**`).startsWith("a a a")).toBe(true);
    // A line of `[`, or of `**` that never close, is read once, not once for each.
    expect(strongTexts("**a ".repeat(TEN_MB / 4)) === "**a ".repeat(TEN_MB / 4)).toBe(true);
    expect(linkTexts("[".repeat(TEN_MB)) === "[".repeat(TEN_MB)).toBe(true);
    expect(linkTexts("[a](".repeat(TEN_MB / 4)) === "[a](".repeat(TEN_MB / 4)).toBe(true);
  });

  test("$EDITOR", () => {
    const program = `/usr/bin/${"e".repeat(TEN_MB)}`;
    const command = editorCommand({ EDITOR: `${program} -w` });
    expect(command.program === program).toBe(true);
    expect(command.args).toEqual(["-w"]);
  });
});
