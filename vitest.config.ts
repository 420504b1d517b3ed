import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/build.ts"],
    testTimeout: 30_000,
    // Most tests wait on the processes they start: two files at a time keep
    // both cores busy.
    maxWorkers: 2,
    hookTimeout: 60_000,
  },
});
