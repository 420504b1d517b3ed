import { readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";

const rosters = [
  "roster.example.yaml",
  ...readdirSync(`${ROOT}/examples`)
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => `examples/${name}`),
];

describe("the example rosters", () => {
  test("one example per practice in the product description", () => {
    expect(rosters.sort()).toEqual([
      "examples/automattic.yaml",
      "examples/management.yaml",
      "examples/olark.yaml",
      "examples/pros-and-guests.yaml",
      "examples/shoretel.yaml",
      "examples/sitepoint.yaml",
      "roster.example.yaml",
    ]);
  });

  test.concurrent.each(rosters)("%s validates with no problems", async (roster) => {
    const result = await rota(["validate", "--json", "--roster", roster]);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
  });
});
