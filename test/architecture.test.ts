import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT } from "./helpers/cli.ts";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

describe("src/core is pure", () => {
  const files = sources(path.join(ROOT, "src/core"));
  const forbidden: [RegExp, string][] = [
    [/from "node:(fs|child_process|os|net|http|https|readline|process)/, "I/O module"],
    [/from "(fs|child_process|os)"/, "I/O module"],
    [/simple-git|@inquirer|write-file-atomic|chalk/, "side-effect library"],
    [/process\.(env|cwd|stdout|stderr|stdin|argv|exit)/, "process state"],
    [/Date\.now\(\)|new Date\(\)|performance\.now|DateTime\.(now|local)\(/, "the clock"],
    [/Math\.random/, "randomness"],
  ];
  test.each(files.map((file) => path.relative(ROOT, file)))("%s", (file) => {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    for (const [pattern, what] of forbidden) {
      expect(pattern.test(text), `${file} uses ${what}: ${pattern}`).toBe(false);
    }
  });
});

describe("the zod model is for generating the schema, not for running", () => {
  const files = sources(path.join(ROOT, "src")).filter((file) => !file.endsWith("model.ts"));
  test.each(files.map((file) => path.relative(ROOT, file)))(
    "%s imports only types from it",
    (file) => {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      const imports = text.match(/^import [^;]*from "[^"]*model\.ts";$/gm) ?? [];
      for (const line of imports) expect(line).toMatch(/^import type /);
      expect(text).not.toMatch(/from "zod"/);
    },
  );
});

describe("the prompt library loads only for an interactive run", () => {
  const files = sources(path.join(ROOT, "src")).filter((file) => !file.endsWith("io/prompts.ts"));
  test.each(files.map((file) => path.relative(ROOT, file)))("%s", (file) => {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    // Only src/io/prompts.ts imports it, and others import that module's types
    // statically and the module itself only with a dynamic import().
    expect(text).not.toMatch(/from "@inquirer\//);
    const imports = text.match(/^import [^;]*from "[^"]*io\/prompts\.ts";$/gm) ?? [];
    for (const line of imports) expect(line).toMatch(/^import type /);
  });
});
