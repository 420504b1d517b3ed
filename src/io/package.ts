import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/**
 * A path inside rota's own package (templates, schema), found by walking up
 * from this module: it works from the bundle in dist/ and from the sources.
 */
export function packagePath(...segments: string[]): string {
  if (root === undefined) {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    for (;;) {
      const manifest = path.join(dir, "package.json");
      if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "rota") break;
      const parent = path.dirname(dir);
      if (parent === dir) throw new Error("cannot find rota's package.json above its modules");
      dir = parent;
    }
    root = dir;
  }
  return path.join(root, ...segments);
}
