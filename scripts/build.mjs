// Bundles src/cli.ts into dist/ with esbuild. Each command is a separate chunk
// loaded by its action, so `rota --help` parses only the small entry chunk.
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { build } from "esbuild";

const root = new URL("..", import.meta.url);

// commander requires child_process only to run executable subcommands, which
// rota does not use; loading it would cost every start-up a few milliseconds.
const withoutChildProcessForCommander = {
  name: "without-child-process-for-commander",
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes("/node_modules/commander/")
        ? { path: "child_process", namespace: "rota-stub" }
        : undefined,
    );
    build.onLoad({ filter: /^child_process$/, namespace: "rota-stub" }, () => ({
      contents: "module.exports = {};",
      loader: "js",
    }));
  },
};

// `import process from "node:process"` (chalk does it) makes Node build the
// module's ES facade, which reads every property of process, stdin among
// them: creating the stdin stream costs each start-up about 5 ms. The global
// process is the same object, read only where it is used.
const processAsGlobal = {
  name: "process-as-global",
  setup(build) {
    build.onResolve({ filter: /^(node:)?process$/ }, () => ({
      path: "process",
      namespace: "rota-stub",
    }));
    build.onLoad({ filter: /^process$/, namespace: "rota-stub" }, () => ({
      contents: "module.exports = globalThis.process;",
      loader: "js",
    }));
  },
};
// Some bundled libraries are CommonJS: they call require() for Node
// built-ins and read __filename, which ES modules do not define.
const BANNER = [
  'import { createRequire as __rotaRequire } from "node:module";',
  'import { fileURLToPath as __rotaPath } from "node:url";',
  "const require = __rotaRequire(import.meta.url);",
  "const __filename = __rotaPath(import.meta.url);",
].join(" ");

await rm(new URL("dist", root), { recursive: true, force: true });
await build({
  absWorkingDir: root.pathname,
  entryPoints: ["src/cli.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: process.env.ROTA_BUILD_MINIFY !== "0",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
  chunkNames: "chunks/[name]-[hash]",
  plugins: [withoutChildProcessForCommander, processAsGlobal],
  banner: { js: BANNER },
});

// The banner stays only in the files that use it (a handful): elsewhere it
// would make each chunk on the start-up path import node:module and build a
// require function for nothing. It is one line, left empty, so the source
// maps still match.
for (const dir of ["dist", "dist/chunks"]) {
  for (const name of await readdir(new URL(dir, root))) {
    if (!name.endsWith(".js")) continue;
    const file = new URL(`${dir}/${name}`, root);
    const text = await readFile(file, "utf8");
    const body = text.slice(BANNER.length);
    if (!text.startsWith(BANNER) || /\brequire\b|\b__filename\b/.test(body)) continue;
    await writeFile(file, body);
  }
}
