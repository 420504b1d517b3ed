import { describe, expect, test } from "vitest";
import { createContext } from "../src/context.ts";
import { startProgress } from "../src/io/progress.ts";

function context(isTTY: boolean) {
  let err = "";
  const write = (text: string) => {
    err += text;
    return true;
  };
  const stream = { isTTY, write } as never;
  const ctx = createContext(
    { cwd: "/", env: {}, stdin: stream, stdout: stream, stderr: stream },
    { color: false },
  );
  return { ctx, output: () => err };
}

describe("progress on long work", () => {
  test("shown on a terminal, redrawn at most ten times a second, cleared at the end", () => {
    const { ctx, output } = context(true);
    let clock = 0;
    const progress = startProgress(ctx, "writing calendars", 50_000, () => clock);
    for (let i = 0; i < 50_000; i++) {
      if (i % 1000 === 0) clock += 50;
      progress.tick();
    }
    progress.done();
    const frames = output()
      .split("\r")
      .filter((frame) => frame.includes("writing calendars"));
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.length).toBeLessThan(40);
    expect(frames.at(-1)).toContain("writing calendars: 50,000 / 50,000");
    expect(output().endsWith("\r\u001b[2K")).toBe(true);
  });

  test("silent when stderr is not a terminal (CI, pipes)", () => {
    const { ctx, output } = context(false);
    const progress = startProgress(ctx, "planning occurrences", 10_000);
    for (let i = 0; i < 10_000; i++) progress.tick();
    progress.done();
    expect(output()).toBe("");
  });
});
