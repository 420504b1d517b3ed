#!/usr/bin/env node
// rota's command line. Kept tiny: the bundle in dist/ holds the program.
import module from "node:module";

// Node 22.1+ keeps compiled code between runs, which shortens start-up.
module.enableCompileCache?.();

process.stdout.on("error", (error) => {
  // `rota plan | head` closes the pipe early; that is not an error.
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

let cli;
try {
  cli = await import("../dist/cli.js");
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist")) {
    process.stderr.write(
      "rota is not built: run `npm install` (or `npm run build`) in its directory\n",
    );
    process.exit(1);
  }
  throw error;
}
process.exitCode = await cli.main();
