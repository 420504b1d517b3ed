// Bundles src/cli.ts into dist/ with esbuild. Each command is a separate chunk
// loaded by its action, and Commander's program (src/program.ts) is one too,
// so that a plain `rota who` parses only the entry and its command's chunk.
//
// Runs as `prepare` too, so that `npm install` in a clone builds rota. Where
// esbuild is missing (npm skips devDependencies for some installs, a global
// install from git among them), an existing dist/ is kept; without one, the
// message says how rota is installed instead.
//
// `prepare` passes --if-changed: npm runs it on each install in the clone,
// and also when it installs the clone as a directory (`npx rota` in it does,
// the first time), where replacing dist/ under the rota commands running
// from it made them fail. With --if-changed, a dist/ built from the same
// inputs (the files esbuild read, recorded with their hash) is kept.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url);
const RECORD = new URL("node_modules/.cache/rota-build.json", root);
/** What date-holidays gets in place of moment-timezone (see `momentForHolidays` below). */
const MOMENT_STAND_IN = "scripts/moment-for-holidays.cjs";

/** One hash of the files a build read, of this script and of what the environment changes in it. */
async function inputsHash(inputs) {
  const hash = createHash("sha256");
  hash.update(`${process.env.ROTA_BUILD_MINIFY !== "0"}\0`);
  // The record lives in node_modules, which a second work tree may link to:
  // its dist/ is another, so the tree's own path is part of what was built.
  hash.update(`${root.pathname}\0`);
  // The stand-ins' own files are read by this script, not by esbuild: not among `inputs`.
  const own = ["scripts/build.mjs", MOMENT_STAND_IN];
  for (const file of [...own, "node_modules/esbuild/package.json", ...inputs]) {
    hash
      .update(`${file}\0`)
      .update(await readFile(new URL(file, root)))
      .update("\0");
  }
  return hash.digest("hex");
}

if (process.argv.includes("--if-changed")) {
  try {
    const { inputs, hash } = JSON.parse(await readFile(RECORD, "utf8"));
    const built = ["dist/cli.js", "dist/cjs/cli.js"].every((file) =>
      existsSync(new URL(file, root)),
    );
    if (built && hash === (await inputsHash(inputs))) {
      console.error("rota: dist/ is built from these sources already; kept");
      process.exit(0);
    }
  } catch {
    // No record, or an input gone: build.
  }
}

let build;
let transform;
try {
  ({ build, transform } = await import("esbuild"));
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  if (existsSync(new URL("dist/cli.js", root))) {
    console.error("rota: esbuild is not installed; keeping the dist/ already built");
    process.exit(0);
  }
  console.error(
    [
      "rota: cannot build dist/: esbuild (a devDependency) is not installed.",
      "  To install rota, use a release tarball, which is built already:",
      "    npm install --global https://github.com/<org>/rota/releases/download/v<version>/rota-<version>.tgz",
      "  To work on rota, run `npm install` (or `npm ci`) in its clone. See docs/release.md.",
    ].join("\n"),
  );
  process.exit(1);
}

/**
 * A plugin that gives the modules matching `filter` a stand-in of our own
 * (`contents`, CommonJS): for every importer, or only for those whose path
 * holds one of `importedBy`. The stand-in's own imports resolve from its
 * (first) importer's directory.
 */
function standIn({ name, filter, importedBy, contents }) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, (args) =>
        importedBy === undefined || importedBy.some((each) => args.importer.includes(each))
          ? {
              path: name,
              namespace: "rota-stub",
              pluginData: { resolveDir: path.dirname(args.importer) },
            }
          : undefined,
      );
      build.onLoad({ filter: new RegExp(`^${name}$`), namespace: "rota-stub" }, (args) => ({
        contents,
        loader: "js",
        resolveDir: args.pluginData.resolveDir,
      }));
    },
  };
}

// commander requires child_process only to run executable subcommands, which
// rota does not use; loading it would cost every start-up a few milliseconds.
const withoutChildProcessForCommander = standIn({
  name: "without-child-process-for-commander",
  filter: /^(node:)?child_process$/,
  importedBy: ["/node_modules/commander/"],
  contents: "module.exports = {};",
});

// `import process from "node:process"` (chalk does it) makes Node build the
// module's ES facade, which reads every property of process, stdin among
// them: creating the stdin stream costs each start-up about 5 ms. The global
// process is the same object, read only where it is used.
const processAsGlobal = standIn({
  name: "process-as-global",
  filter: /^(node:)?process$/,
  contents: "module.exports = globalThis.process;",
});

// date-holidays-parser and caldate import moment-timezone (with moment, and
// every zone's data: about a megabyte) only to place holidays in time: set by
// an equinox or a solstice, which few countries have, or starting and ending
// in the country's zone, which rota does not ask (src/core/plan/holidays.ts).
// They get scripts/moment-for-holidays.cjs, which answers the first with Intl.
const momentForHolidays = standIn({
  name: "moment-for-holidays",
  filter: /^moment-timezone$/,
  importedBy: ["/node_modules/date-holidays-parser/", "/node_modules/caldate/"],
  contents: await readFile(new URL(MOMENT_STAND_IN, root), "utf8"),
});

// date-holidays holds every country's holidays in one object of 400 KB,
// built whole by each plan that reads one country's (and read from disk and
// the code cache with the planner, whatever the roster). Each country's is
// written to dist/holidays/<code>.json instead, read when first asked for:
// the same data, in the same order. The module that reads them must sit in
// dist/chunks/, for the path it reads from (checked below).
const HOLIDAYS_DIR = "dist/holidays";
const holidayFiles = new Map();
const holidaysByCountry = {
  name: "holidays-by-country",
  setup(build) {
    build.onLoad(
      { filter: /[\\/]node_modules[\\/]date-holidays[\\/]src[\\/]data\.js$/ },
      async (args) => {
        const { data } = await import(pathToFileURL(args.path).href);
        for (const [code, country] of Object.entries(data.holidays)) {
          if (!/^[A-Z]{2}$/.test(code))
            throw new Error(`date-holidays: unexpected country code ${code}`);
          holidayFiles.set(code, JSON.stringify(country));
        }
        const lines = [
          'import { readFileSync } from "node:fs";',
          `const codes = ${JSON.stringify([...holidayFiles.keys()])};`,
          "const holidays = {};",
          "for (const code of codes) {",
          "  Object.defineProperty(holidays, code, {",
          "    configurable: true,",
          "    enumerable: true,",
          "    get() {",
          `      const file = new URL(\`../holidays/\${code}.json\`, import.meta.url);`,
          '      const value = JSON.parse(readFileSync(file, "utf8"));',
          "      Object.defineProperty(holidays, code, { value, configurable: true, enumerable: true, writable: true });",
          "      return value;",
          "    },",
          "  });",
          "}",
          `export const data = { ${Object.keys(data)
            .map((key) =>
              key === "holidays"
                ? "holidays"
                : `${JSON.stringify(key)}: JSON.parse(${JSON.stringify(JSON.stringify(data[key]))})`,
            )
            .join(", ")} };`,
        ];
        return { contents: lines.join("\n"), loader: "js" };
      },
    );
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

await rm(RECORD, { force: true });
await rm(new URL("dist", root), { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root.pathname,
  // The worker threads that read a big export run a script of their own.
  entryPoints: [
    { in: "src/cli.ts", out: "cli" },
    { in: "src/io/tickets-worker.ts", out: "tickets-worker" },
  ],
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
  plugins: [withoutChildProcessForCommander, processAsGlobal, momentForHolidays, holidaysByCountry],
  banner: { js: BANNER },
  metafile: true,
});

await mkdir(new URL(HOLIDAYS_DIR, root), { recursive: true });
for (const [code, text] of holidayFiles) {
  await writeFile(new URL(`${HOLIDAYS_DIR}/${code}.json`, root), text);
}
const holidayReaders = Object.keys(metafile.outputs).filter(
  (output) =>
    output.endsWith(".js") &&
    Object.keys(metafile.outputs[output].inputs).some((input) =>
      input.endsWith("node_modules/date-holidays/src/data.js"),
    ),
);
if (holidayReaders.length !== 1 || !holidayReaders[0].startsWith("dist/chunks/")) {
  throw new Error(
    `date-holidays' data must be read from one file in dist/chunks/: ${holidayReaders}`,
  );
}

// The banner stays only in the files that use it (a handful): elsewhere it
// would make each chunk on the start-up path import node:module and build a
// require function for nothing. It is one line, left empty, so the source
// maps still match.
//
/**
 * A CommonJS copy's exports object as esbuild makes it (a getter for each
 * export), without the copy of it esbuild hands to module.exports
 * (`__toCommonJS`: another getter, closure and descriptor for each export,
 * some 40 KiB of a quick command's young generation). The object is marked
 * `__esModule` as the copy was. Code of another shape is left as it is.
 */
function exportsInPlace(code) {
  const helper =
    /(?:^|[;\s,])(?:var )?([A-Za-z_$][\w$]*) ?= ?\(?([A-Za-z_$][\w$]*)\)? ?=> ?[A-Za-z_$][\w$]*\([A-Za-z_$][\w$]*\(\{\}, ?"__esModule", ?\{ ?value: ?(?:!0|true) ?\}\), ?\2\)/.exec(
      code,
    )?.[1];
  if (helper === undefined) return code;
  const call = new RegExp(
    `\\bmodule\\.exports ?= ?${helper.replace(/\$/g, "\\$")}\\(([A-Za-z_$][\\w$]*)\\);?`,
    "g",
  );
  return code.replace(
    call,
    (_, exported) => `module.exports=Object.defineProperty(${exported},"__esModule",{value:!0});`,
  );
}

/**
 * A CommonJS copy's `import path from "node:path"`, as `const path =
 * require("node:path")`: esbuild would wrap the module in an ES namespace
 * (a getter and a closure for each of its properties, about 7 KiB of the
 * young generation for node:path, 50 KiB for node:fs) in each file that
 * imports it, and a quick command's files together tipped it into a
 * collection. A built-in module's default export is the object require()
 * returns. esbuild writes a file's imports first, one statement each.
 */
function requireBuiltinDefaults(text) {
  return text.replace(
    /(^|[;\n])import ?([A-Za-z_$][\w$]*) ?from ?"(node:[a-z_/]+)";?/g,
    '$1const $2=require("$3");',
  );
}

// Node 20 keeps no compiled code for ES modules between runs, so there
// bin/rota.js runs CommonJS copies of the same files (dist/cjs/, one for each
// file) with a V8 code cache of its own: see bin/code-cache.js. Each copy's
// import.meta.url is its ES module's (the loader passes it), so paths found
// from it (templates, schema, the build's record) are the same. A copy needs
// no banner: the loader passes it `require` (Node's, for anything but the
// bundle's own files) and `__filename`, where the banner would make a
// require function from a URL, which costs every start-up a few tenths of a
// millisecond for each file that has it.
for (const dir of ["dist", "dist/chunks"]) {
  const copies = dir.replace("dist", "dist/cjs");
  await mkdir(new URL(copies, root), { recursive: true });
  for (const name of await readdir(new URL(dir, root))) {
    if (!name.endsWith(".js")) continue;
    const file = new URL(`${dir}/${name}`, root);
    let text = await readFile(file, "utf8");
    const body = text.slice(BANNER.length);
    if (text.startsWith(BANNER)) {
      if (!/\brequire\b|\b__filename\b/.test(body)) await writeFile(file, body);
      text = body;
    }
    const { code } = await transform(requireBuiltinDefaults(text), {
      format: "cjs",
      platform: "node",
      target: "node20",
      minify: process.env.ROTA_BUILD_MINIFY !== "0",
      legalComments: "none",
      logLevel: "warning",
      // Each command's chunk is loaded by require() when its action runs.
      supported: { "dynamic-import": false },
      define: { "import.meta.url": "__rotaUrl" },
    });
    if (/\bimport\(|\bimport\.meta\b/.test(code)) {
      throw new Error(`${dir}/${name}: its CommonJS copy still imports an ES module`);
    }
    await writeFile(new URL(`${copies}/${name}`, root), exportsInPlace(code));
  }
}

// Each file of the CommonJS copies costs a start-up a read, a read of its
// cached code and a compilation, and esbuild's splitting makes many small
// ones (a chunk for each set of commands sharing some modules). So the copy
// of cli.js, and of each chunk loaded by import() (a command's), also holds
// the files it imports statically, as functions that bin/code-cache.js runs
// when they are first required: one file and one cache entry for each. The
// separate copies stay, for anything that requires them otherwise.
const staticImports = new Map();
const dynamicTargets = new Set();
for (const [output, { imports }] of Object.entries(metafile.outputs)) {
  if (!output.endsWith(".js")) continue;
  const name = output.replace(/^dist\//, "");
  staticImports.set(
    name,
    imports.filter((each) => each.kind === "import-statement" && each.path.startsWith("dist/")),
  );
  for (const each of imports) {
    if (each.kind === "dynamic-import" && each.path.startsWith("dist/")) {
      dynamicTargets.add(each.path.replace(/^dist\//, ""));
    }
  }
}
/** The files `name` imports, directly or not, without import(). */
function closure(name, seen = new Set()) {
  for (const { path } of staticImports.get(name) ?? []) {
    const imported = path.replace(/^dist\//, "");
    if (seen.has(imported)) continue;
    seen.add(imported);
    closure(imported, seen);
  }
  return seen;
}
const always = closure("cli.js");
// Only for commands that start in milliseconds (validate, who…): a command
// holding megabytes of files as one (site, plan) ran no faster for it, and
// its peak memory grew by tens of MiB.
const PACK_LIMIT = 256 * 1024;
for (const head of ["cli.js", ...dynamicTargets]) {
  const members = [...closure(head)].filter(
    (name) => name !== head && (head === "cli.js" || !always.has(name)),
  );
  if (members.length === 0) continue;
  const copy = new URL(`dist/cjs/${head}`, root);
  const functions = await Promise.all(
    members.sort().map(async (name) => {
      const code = await readFile(new URL(`dist/cjs/${name}`, root), "utf8");
      return `${JSON.stringify(name)}:function(exports,require,module,__rotaUrl,__filename){${code}\n}`;
    }),
  );
  if (head !== "cli.js" && functions.reduce((sum, text) => sum + text.length, 0) > PACK_LIMIT) {
    continue;
  }
  await writeFile(copy, `__rotaPack({${functions.join(",")}});\n${await readFile(copy, "utf8")}`);
}

// Last, each copy is written as the function bin/code-cache.js compiles, so
// that it compiles the text as read: wrapping it there made V8 copy the
// whole text again (about 220 KiB for \`rota validate\`), and at start-up that
// copy is what tips the young generation into a collection.
const WRAPPER = [
  "(function (exports, require, module, __rotaUrl, __rotaPack, __filename) {",
  "\n})",
];
for (const dir of ["dist/cjs", "dist/cjs/chunks"]) {
  for (const name of await readdir(new URL(dir, root))) {
    if (!name.endsWith(".js")) continue;
    const file = new URL(`${dir}/${name}`, root);
    await writeFile(file, `${WRAPPER[0]}${await readFile(file, "utf8")}${WRAPPER[1]}`);
  }
}

// What this build read, for --if-changed: written last, so that a build that
// failed half-way is never taken for a whole one.
const inputs = Object.keys(metafile.inputs).filter((file) => !file.includes(":"));
await mkdir(new URL(".", RECORD), { recursive: true });
await writeFile(RECORD, `${JSON.stringify({ inputs, hash: await inputsHash(inputs) })}\n`);
