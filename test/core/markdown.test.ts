import { describe, expect, it } from "vitest";
import { markdownHtml, markdownParsed } from "../../src/core/render/markdown.ts";

/** A small deterministic generator, so that a failure names the same text every run. */
function* texts(count: number): Generator<string> {
  const alphabet = "aZ09 ,.;'?-*_#>`[]()<&\"!:/@\\\n\t=+~|1é";
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed;
  };
  for (let i = 0; i < count; i++) {
    const length = 1 + (next() % 24);
    let text = "";
    for (let k = 0; k < length; k++) text += alphabet[next() % alphabet.length];
    yield text;
  }
}

describe("markdownHtml", () => {
  it("renders every text as markdown-it does, with or without the plain-text shortcut", () => {
    const cases = [
      "API rate limits hit by nightly syncs",
      "Explain guest permissions in the settings",
      "A",
      "1. a list",
      "a  b",
      "trailing space ",
      " leading space",
      "    code",
      "It's fine; really? Yes.",
      "See https://example.com",
      "mail me@example.com",
      "x\ny",
      "2024. A year",
      "<script>alert(1)</script>",
      "Fish & chips",
      'say "hi"',
      ...texts(20_000),
      ...[...texts(5_000)].map((t) => `Word ${t.replace(/[^a-zA-Z0-9 ,.;'?]/g, "")}.`),
    ];
    let shortcut = 0;
    for (const text of cases) {
      expect(markdownHtml(text).value, JSON.stringify(text)).toBe(markdownParsed(text).value);
      if (markdownHtml(text).value === `<p>${text}</p>`) shortcut++;
    }
    // The comparison covered texts the shortcut answers, not only parsed ones.
    expect(shortcut).toBeGreaterThan(1_000);
  });
});
