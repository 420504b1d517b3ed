import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, test } from "vitest";
import rosterSchema from "../schema/roster.schema.json" with { type: "json" };
// @ts-expect-error: a plain JavaScript build script without types
import { generatedFiles } from "../scripts/generate.mjs";
import { validate } from "../src/core/roster/schema-check.generated.js";
import { ROOT, rota } from "./helpers/cli.ts";

describe("generated files are up to date (run `npm run generate`)", async () => {
  const files: Record<string, string> = await generatedFiles();

  test.each(Object.keys(files))("%s", (file) => {
    expect(readFileSync(path.join(ROOT, file), "utf8")).toBe(files[file]);
  });

  test("`rota schema` prints the committed schema", async () => {
    const result = await rota(["schema"]);
    expect(result.stdout).toBe(readFileSync(path.join(ROOT, "schema/roster.schema.json"), "utf8"));
  });

  test("roster.example.yaml points editors at the schema", () => {
    const first = readFileSync(path.join(ROOT, "roster.example.yaml"), "utf8").split("\n")[0];
    expect(first).toBe("# yaml-language-server: $schema=./schema/roster.schema.json");
  });
});

describe("the committed validator", () => {
  // It asks a text's length before counting its code points: the same verdicts
  // as ajv compiling the schema itself, at the limits, with surrogate pairs.
  test("refuses exactly the names ajv refuses as too long", () => {
    const reference = new Ajv({ allErrors: true, strict: true }).compile(rosterSchema);
    const roster = (name: string) => ({
      version: 1,
      team: "Acme",
      timezone: "Europe/Berlin",
      shifts: [
        { id: "emea", days: ["mon"], start: "09:00", end: "17:00", seats: [{ role: "any" }] },
      ],
      people: [{ id: "ada", name }],
    });
    const names = [199, 200, 201].flatMap((n) => [
      "a".repeat(n),
      "😀".repeat(n),
      `${"😀".repeat(n - 1)}a`,
      `${"a".repeat(100)}${"😀".repeat(n - 100)}`,
    ]);
    const verdicts = names.map((name) => validate(roster(name)));
    expect(verdicts).toEqual(names.map((name) => reference(roster(name))));
    expect(verdicts).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
