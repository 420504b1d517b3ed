#!/usr/bin/env node
// rota's command line. Kept tiny: the bundle in dist/ holds the program, and
// its main() handles every error, including those writing the output.
// CommonJS (bin/package.json), so that start-up loads no ES module machinery:
// on every Node rota runs on, it runs the bundle's CommonJS copy with a V8
// code cache of its own (code-cache.js). Node 22 and 24 could keep the ES
// modules' compiled code themselves (node:module's compile cache), but a
// start through their ES module loader, cache and all, measured 1.6× to
// 2.1× `node -e 0` for `--help`, `validate` and `who`, against 1.2× to 1.5×
// this way (docs/install.md).
"use strict";

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

  if (!debug) {
    let loaded;
    try {
      loaded = require("./code-cache.js").load();
    } catch (error) {
      if (error?.code === "ENOENT" && String(error.path).includes("dist")) notBuilt();
      throw error;
    }
    process.exitCode = await loaded.cli.main();
    loaded.save();
    endNowIfIdle();
    return;
  }
  let cli;
  try {
    cli = await import("../dist/cli.js");
  } catch (error) {
    if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist"))
      notBuilt();
    throw error;
  }
  process.exitCode = await cli.main();
  endNowIfIdle();
}

/**
 * Ends the process at once when the command has nothing left in flight (no
 * child, timer, request, worker or write; only the standard streams, whose
 * handles Node lists for as long as they are open): left to end by itself,
 * Node would first run any garbage collection V8 has queued and then tear the
 * heap down, which costs a quick command such as `rota who` a few
 * milliseconds for nothing (`rota plan --dry-run` with both streams piped,
 * as in CI: 284 ms against 261). The exit code and the "exit" event are as
 * they would be. Anything else pending (a pipe still taking the output, a
 * WriteWrap, say) is waited for, as before.
 */
function endNowIfIdle() {
  let standardPipes = [0, 1, 2].filter(isPipe).length;
  const pending = process.getActiveResourcesInfo().filter((type) => {
    if (type === "TTYWrap") return false;
    // A standard stream that is a pipe or socket: the handle, not a write in flight.
    if (type === "PipeWrap" && standardPipes > 0) {
      standardPipes--;
      return false;
    }
    return true;
  });
  if (pending.length > 0) {
    debugLog(`waiting for ${pending.join(", ")} before exiting`);
    return;
  }
  debugLog("nothing in flight: exiting at once");
  process.exit();
}

/** Whether a file descriptor is a pipe or a socket (Node's handle for it is a PipeWrap). */
function isPipe(fd) {
  try {
    const stat = require("node:fs").fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

/** NODE_DEBUG=rota's lines, with node:util loaded only when asked. */
function debugLog(message) {
  if (process.env.NODE_DEBUG) require("node:util").debuglog("rota")(message);
}

// A failure here (a damaged dist/) ends the process as an uncaught error would.
void run();
