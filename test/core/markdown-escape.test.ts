import fc from "fast-check";
import type { Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { describe, expect, test } from "vitest";
import { escapeMarkdown } from "../../src/core/render/style.ts";
import { RUNS, SEED } from "../helpers/arbitraries.ts";

/** Text escaped by rota, read back by a GFM parser in each place rota puts it. */
const PLACES = [
  (text: string) => text,
  (text: string) => `## ${text}`,
  (text: string) => `- ${text}`,
  (text: string) => `Before ${text} after`,
  (text: string) => `| ${text} | x |\n| --- | --- |\n| ${text} | y |`,
];

/** Only structure, never markup made of the text. */
const STRUCTURE = new Set([
  "root",
  "paragraph",
  "text",
  "heading",
  "list",
  "listItem",
  "table",
  "tableRow",
  "tableCell",
]);

function nodes(node: Nodes): Nodes[] {
  return [node, ...("children" in node ? node.children.flatMap((child) => nodes(child)) : [])];
}

const markdownish = fc.stringMatching(/^[a-z #+\-*_`~|\\[\]()<>&!{}.:0-9=]{0,24}$/);

describe("text escaped for markdown", () => {
  test("stays text wherever rota puts it, and reads back as written", () => {
    fc.assert(
      fc.property(markdownish, fc.nat(PLACES.length - 1), (raw, place) => {
        const text = raw.trim().replace(/ +/g, " ");
        const markdown = (PLACES[place] as (text: string) => string)(escapeMarkdown(text));
        const tree = fromMarkdown(markdown, {
          extensions: [gfm()],
          mdastExtensions: [gfmFromMarkdown()],
        });
        const all = nodes(tree);
        expect(
          all.filter((node) => !STRUCTURE.has(node.type)).map((node) => node.type),
          markdown,
        ).toEqual([]);
        const texts = all.flatMap((node) => (node.type === "text" ? [node.value] : []));
        if (text !== "") expect(texts.join("|"), markdown).toContain(text);
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
  });

  test("reads well as text: only what could make markup is escaped", () => {
    expect(escapeMarkdown("9 with notes (53%), ticket #409!")).toBe(
      "9 with notes (53%), ticket #409!",
    );
    expect(escapeMarkdown("Ada # [x](y) *b* <i> a|b")).toBe(
      "Ada \\# \\[x\\](y) \\*b\\* &lt;i&gt; a\\|b",
    );
  });
});
