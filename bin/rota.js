#!/usr/bin/env node
// rota's command line. Kept tiny: the bundle in dist/ holds the program, and
// its main() handles every error, including those writing the output.
// CommonJS (bin/package.json), so that start-up loads no ES module machinery
// where the code cache below makes it unneeded.
"use strict";
const module_ = require("node:module");

function notBuilt() {
  process.stderr.write(
    "rota is not built: run `npm install` (or `npm run build`) in its directory\n",
  );
  process.exit(1);
}

async function run() {
  // With ROTA_DEBUG=1, stack traces name the TypeScript sources (src/*.ts),
  // not the minified bundle: dist/ ships its source maps.
  const debug = process.env.ROTA_DEBUG === "1";
  if (debug) process.setSourceMapsEnabled(true);

  // Node 22.1+ keeps compiled code between runs, which shortens start-up;
  // Node 20 does not, for ES modules: there rota keeps a V8 code cache itself.
  if (module_.enableCompileCache === undefined && !debug) {
    let loaded;
    try {
      loaded = require("./code-cache.js").load();
    } catch (error) {
      if (error?.code === "ENOENT" && String(error.path).includes("dist")) notBuilt();
      throw error;
    }
    process.exitCode = await loaded.cli.main();
    loaded.save();
    return;
  }
  module_.enableCompileCache?.();
  let cli;
  try {
    cli = await import("../dist/cli.js");
  } catch (error) {
    if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist"))
      notBuilt();
    throw error;
  }
  process.exitCode = await cli.main();
}

// A failure here (a damaged dist/) ends the process as an uncaught error would.
void run();
