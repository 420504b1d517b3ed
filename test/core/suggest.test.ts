import { describe, expect, test } from "vitest";
import { closestMatch, didYouMean, oneEditFrom } from "../../src/core/suggest.ts";

describe("did you mean", () => {
  test.each([
    ["shfits", ["shifts", "people", "swaps"], "shifts"],
    ["emial", ["email", "name", "team"], "email"],
    ["monday", ["mon", "tue", "sun"], "mon"],
    ["Sat", ["sat", "sun"], "sat"],
    ["grcae", ["grace", "ada"], "grace"],
    ["xyz", ["shifts", "people"], undefined],
    ["ab", ["cd"], undefined],
  ])("%s → %s", (word, candidates, expected) => {
    expect(closestMatch(word, candidates)).toBe(expected);
  });

  test("ties go to the candidate that sorts first, whatever the input order", () => {
    expect(closestMatch("bat", ["cat", "bag"])).toBe("bag");
    expect(closestMatch("bat", ["bag", "cat"])).toBe("bag");
  });

  test("the suffix for a message", () => {
    expect(didYouMean("emae", ["emea"])).toBe('; did you mean "emea"?');
    expect(didYouMean("zzzz", ["emea"])).toBe("");
  });
});

describe("one edit from", () => {
  test("finds a candidate one letter added, dropped or changed away, and nothing further", () => {
    expect(oneEditFrom("leadershp", ["support", "leadership"])).toBe("leadership");
    expect(oneEditFrom("supports", ["support"])).toBe("support");
    expect(oneEditFrom("suport", ["support"])).toBe("support");
    expect(oneEditFrom("sales", ["support", "leadership"])).toBeUndefined();
    expect(oneEditFrom("design", ["design", "designs"])).toBeUndefined();
    expect(oneEditFrom("fnance", ["finance"])).toBe("finance");
  });
});
