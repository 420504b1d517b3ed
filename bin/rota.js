#!/usr/bin/env node
// rota's command line. Kept tiny: the bundle in dist/ holds the program, and
// its main() handles every error, including those writing the output.
import module from "node:module";

// Node 22.1+ keeps compiled code between runs, which shortens start-up.
module.enableCompileCache?.();

// With ROTA_DEBUG=1, stack traces name the TypeScript sources (src/*.ts), not
// the minified bundle: dist/ ships its source maps.
if (process.env.ROTA_DEBUG === "1") process.setSourceMapsEnabled(true);

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
