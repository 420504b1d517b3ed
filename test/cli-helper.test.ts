import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { outputOf } from "./helpers/cli.ts";
import { tempDir } from "./helpers/tmp.ts";

test("a child done with its input before it is written gives its code and output, not a stray EPIPE", async () => {
  const marker = path.join(tempDir(), "stdin-closed");
  const script = `const fs = require("node:fs"); fs.closeSync(0); fs.writeFileSync(${JSON.stringify(marker)}, ""); console.log("done")`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "pipe"] });
  const output = outputOf(child);
  // The test's process paused (a long collection, a loaded machine) while the child reads nothing and closes its end.
  while (!existsSync(marker)) {}
  child.stdin.end("late input\n");
  const result = await output;
  expect(result).toEqual({ code: 0, stdout: "done\n", stderr: "" });
});
