import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/build.ts"],
    // Generous: on a slow or loaded machine the tests that drive a browser or
    // write a site of 200 people take tens of seconds; none waits for nothing.
    testTimeout: 60_000,
    // Most tests wait on the processes they start: two files at a time keep
    // both cores busy.
    maxWorkers: 2,
    hookTimeout: 60_000,
  },
});
