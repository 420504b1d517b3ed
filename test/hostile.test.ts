import { closeSync, ftruncateSync, openSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { rota } from "./helpers/cli.ts";
import { tempDir } from "./helpers/tmp.ts";

describe("hostile roster files get a message, not a crash or a hang", () => {
  test("a file over the size limit is refused before it is read", async () => {
    const dir = tempDir();
    const file = path.join(dir, "roster.yaml");
    const fd = openSync(file, "w");
    ftruncateSync(fd, 33 * 1024 * 1024); // sparse: no disk used
    closeSync(fd);
    const started = Date.now();
    const result = await rota(["validate"], { cwd: dir });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "roster.yaml:1:1: the roster is 33.0 MiB; rota reads rosters up to 32.0 MiB\n1 error in roster.yaml\n",
    );
  });

  test("a directory where the roster should be", async () => {
    const dir = tempDir();
    const result = await rota(["validate", "--roster", "."], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is a directory, not a file\n$/);
  });

  test("a quadratic blow-up of merge keys and anchors stays bounded", async () => {
    const dir = tempDir();
    const lines = ["version: 1", "team: x", "timezone: UTC", "a0: &a0 {k: v}"];
    for (let i = 1; i < 40; i++)
      lines.push(`a${i}: &a${i} {<<: [*a${i - 1}, *a${i - 1}], k${i}: v}`);
    writeFileSync(path.join(dir, "roster.yaml"), `${lines.join("\n")}\n`);
    const result = await rota(["validate"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
