import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
// @ts-expect-error: a plain JavaScript build script without types
import { generatedFiles } from "../scripts/generate.mjs";
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
