import { defineConfig } from "vitest/config";

// Where NODE_EXTRA_CA_CERTS names a certificate bundle (a proxy's), every Node
// process reads it before running a line: tens of milliseconds for each of
// the thousands of processes the tests start (rota itself, the test workers).
// Nothing the tests run reaches the network, so they run without it; npm, run
// before them, still has it.
delete process.env.NODE_EXTRA_CA_CERTS;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/build.ts"],
    // Generous: on a slow or loaded machine the tests that drive a browser or
    // write a site of 200 people take tens of seconds; none waits for nothing.
    testTimeout: 60_000,
    // Most tests wait on the processes they start: on a 2-core machine, two
    // files at a time left a third of a core idle; three at a time took the
    // whole suite from 637 s to 567 s, four to 605 s.
    maxWorkers: 3,
    hookTimeout: 60_000,
  },
});
