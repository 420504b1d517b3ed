// Makes the release tarball, rota-<version>.tgz, from the dist/ already built:
//   node scripts/pack.mjs [out-dir]     (default: the current directory)
// The files `npm pack` would take are staged in a temporary directory with a
// package.json that has no scripts: a tarball whose manifest names `prepare`
// makes npm warn, on every global install, about a script it never runs.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = path.resolve(process.argv[2] ?? ".");
if (!existsSync(path.join(root, "dist", "cli.js"))) {
  console.error("rota: dist/ is not built: run `npm run build` first");
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const stage = mkdtempSync(path.join(tmpdir(), "rota-pack-"));
try {
  for (const entry of [...manifest.files, "README.md"]) {
    if (existsSync(path.join(root, entry))) {
      cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
    }
  }
  delete manifest.scripts;
  writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", out], {
      cwd: stage,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  console.log(path.join(out, packed.filename));
} finally {
  rmSync(stage, { recursive: true, force: true });
}
