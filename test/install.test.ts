import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { type Document, parse, parseAllDocuments } from "yaml";
import { runScript } from "./helpers/ci.ts";
import { ROOT } from "./helpers/cli.ts";
import { NOW } from "./helpers/repo.ts";
import { suiteTempDir, tempDir } from "./helpers/tmp.ts";

/**
 * rota as a team installs it: the tarball scripts/pack.mjs makes (what a
 * release attaches), installed globally into an empty prefix with no registry, and
 * every command run from the installed bin. Then the install steps of the
 * GitHub Action and the GitLab component, given that tarball.
 */

const MANIFEST = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

let tarball: string;
let prefix: string;

/** npm, offline, with a cache of its own (nothing read from or written to the user's). */
function npm(args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) {
  const result = spawnSync("npm", [...args, "--no-audit", "--no-fund", "--offline"], {
    cwd,
    encoding: "utf8",
    env: { ...npmEnv(), ...extra },
  } satisfies SpawnSyncOptions);
  expect(result.status, `npm ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

let cache: string | undefined;
function npmEnv(): NodeJS.ProcessEnv {
  cache ??= suiteTempDir("rota-npm-cache-");
  return {
    ...process.env,
    npm_config_cache: cache,
    npm_config_update_notifier: "false",
    npm_config_loglevel: "error",
    // The installed bin's `#!/usr/bin/env node` finds the Node running the tests.
    PATH: [path.dirname(process.execPath), process.env.PATH].join(":"),
  };
}

/** The packages an install put under a prefix, scoped ones counted one by one. */
function installedPackages(prefix: string): string[] {
  const modules = path.join(prefix, "lib", "node_modules");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith(".")) continue;
      if (name.startsWith("@")) {
        for (const inner of readdirSync(path.join(dir, name))) found.push(`${name}/${inner}`);
        continue;
      }
      found.push(name);
      const nested = path.join(dir, name, "node_modules");
      if (existsSync(nested)) walk(nested);
    }
  };
  walk(modules);
  return found;
}

/** The installed `rota`, as a user runs it (no colour, stdin closed, "now" pinned). */
function installed(bin: string, args: string[], cwd: string) {
  const result = spawnSync(path.join(bin, "rota"), args, {
    cwd,
    encoding: "utf8",
    input: "",
    env: { ...npmEnv(), ROTA_NOW: NOW, TZ: "UTC", NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // dist/ is built once before the tests (test/helpers/build.ts): pack it as
  // the release does, without rebuilding it under the other test files.
  const out = suiteTempDir("rota-pack-");
  const packed = spawnSync(process.execPath, ["scripts/pack.mjs", out], {
    cwd: ROOT,
    encoding: "utf8",
    env: npmEnv(),
  });
  expect(packed.status, packed.stderr).toBe(0);
  tarball = packed.stdout.trim();
  prefix = suiteTempDir("rota-prefix-");
  npm(["install", "--global", "--prefix", prefix, tarball], suiteTempDir("rota-cwd-"));
}, 120_000);

describe("the packed tarball installed globally in an empty prefix, offline", () => {
  test("has no runtime dependencies and adds rota alone (at most 5 packages)", () => {
    expect(MANIFEST.dependencies ?? {}).toEqual({});
    const packages = installedPackages(prefix);
    expect(packages.length, packages.join(", ")).toBeLessThanOrEqual(5);
    expect(packages).toContain("rota");
    const files = readdirSync(path.join(prefix, "lib", "node_modules", "rota")).sort();
    expect(files).toEqual(["README.md", "bin", "dist", "package.json", "schema", "templates"]);
    // No scripts: npm would warn on every install about a `prepare` it never runs.
    const manifest = JSON.parse(
      readFileSync(path.join(prefix, "lib", "node_modules", "rota", "package.json"), "utf8"),
    );
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.bin).toEqual({ rota: "bin/rota.js" });
  });

  test("runs every command from its bin against a copy of roster.example.yaml", () => {
    const bin = path.join(prefix, "bin");
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));

    const version = installed(bin, ["--version"], dir);
    expect(version.stdout.trim()).toBe(MANIFEST.version);

    const validate = installed(bin, ["validate"], dir);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stderr).toContain("roster.yaml is valid");

    const plan = installed(bin, ["plan"], dir);
    expect(plan.code, plan.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "schedule.yaml"), "utf8")).toMatch(/^planned_until: /m);

    const who = installed(bin, ["who", "--next", "--json"], dir);
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout).shifts.length).toBeGreaterThan(0);

    const report = installed(bin, ["report"], dir);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain("Acme support report");

    const calendar = installed(bin, ["calendar", "--out", "cal"], dir);
    expect(calendar.code, calendar.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "cal", "team.ics"), "utf8")).toContain("BEGIN:VCALENDAR");
    expect(readdirSync(path.join(dir, "cal", "people")).length).toBeGreaterThan(0);

    const site = installed(bin, ["site", "--out", "site"], dir);
    expect(site.code, site.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "site", "index.html"), "utf8")).toContain(
      "<h1>Acme support rota</h1>",
    );

    // A user's mistake is still a message and exit 2 from the bundle.
    writeFileSync(path.join(dir, "broken.yaml"), "team: [\n");
    const broken = installed(bin, ["--roster", "broken.yaml", "validate"], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^broken\.yaml:\d+/m);
    expect(broken.stderr).not.toContain("    at ");
  });

  test("finds its templates and schema inside the installed package (rota init, notes)", () => {
    const bin = path.join(prefix, "bin");
    const dir = tempDir();
    const init = installed(bin, ["init", "--team", "Acme", "--timezone", "UTC"], dir);
    expect(init.code, init.stderr).toBe(0);
    const pkg = path.join(prefix, "lib", "node_modules", "rota");
    for (const [written, shipped] of [
      ["roster.schema.json", "schema/roster.schema.json"],
      ["notes/TEMPLATE.md", "templates/notes.md"],
      [".github/workflows/rota.yml", "templates/github-workflow.yml"],
    ]) {
      expect(readFileSync(path.join(dir, written as string), "utf8"), written).toBe(
        readFileSync(path.join(pkg, shipped as string), "utf8"),
      );
    }
    const validate = installed(bin, ["validate"], dir);
    expect(validate.code, validate.stderr).toBe(0);
  });
});

describe("installing rota in CI from a release tarball", () => {
  /** A directory with nothing but a roster, and a fresh empty npm prefix whose bin is first on PATH. */
  function ciJob() {
    const dir = tempDir();
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const ciPrefix = tempDir("rota-ci-prefix-");
    mkdirSync(path.join(ciPrefix, "bin"));
    return {
      dir,
      ciPrefix,
      vars: {
        npm_config_prefix: ciPrefix,
        npm_config_offline: "true",
        npm_config_cache: cache as string,
        PATH: [path.join(ciPrefix, "bin"), path.dirname(process.execPath)].join(":"),
      },
    };
  }

  test("the GitHub Action's install step installs the version it is given", () => {
    const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8"));
    const install = action.runs.steps.find(
      (step: { name?: string }) => step.name === "Install rota",
    );
    const { dir, ciPrefix, vars } = ciJob();
    const result = runScript(
      install.run,
      dir,
      {
        ...vars,
        ROTA_VERSION: tarball,
        ROTA_ACTION_PATH: ROOT,
        ROTA_ACTION_REPOSITORY: "your-org/rota",
      },
      { path: path.join(ciPrefix, "bin") },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`rota ${MANIFEST.version} installed`);
    expect(installedPackages(ciPrefix)).toEqual(["rota"]);
  });

  test("a version, or none, names the release tarball of the action's repository", () => {
    const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8"));
    const install = action.runs.steps.find(
      (step: { name?: string }) => step.name === "Install rota",
    );
    // npm stands in: it prints what it was asked to install.
    const fake = tempDir();
    writeFileSync(path.join(fake, "npm"), '#!/bin/sh\necho "npm $*"\n', { mode: 0o755 });
    writeFileSync(path.join(fake, "rota"), "#!/bin/sh\necho 9.9.9\n", { mode: 0o755 });
    const url = (v: string) => `https://github.com/acme/rota/releases/download/v${v}/rota-${v}.tgz`;
    for (const [version, spec] of <[string, string][]>[
      ["", url(MANIFEST.version)],
      ["0.2.0", url("0.2.0")],
      ["v0.2.0", url("0.2.0")],
      ["https://example.com/rota.tgz", "https://example.com/rota.tgz"],
    ]) {
      const result = runScript(
        install.run,
        tempDir(),
        { ROTA_VERSION: version, ROTA_ACTION_PATH: ROOT, ROTA_ACTION_REPOSITORY: "acme/rota" },
        { path: fake },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`npm install --global --no-audit --no-fund ${spec}\n`);
    }
  });

  test("the GitLab component's .rota job installs the version it is given", () => {
    const [specDoc, configDoc] = parseAllDocuments(
      readFileSync(path.join(ROOT, "templates/rota.yml"), "utf8"),
    ) as Document.Parsed[];
    const spec = specDoc?.toJS().spec as { inputs: Record<string, { default: string }> };
    // The component's own release is the version it installs by default.
    expect(spec.inputs.version?.default).toBe(MANIFEST.version);
    expect(Object.keys(spec.inputs)).toEqual(["version", "releases", "node-version"]);
    const job = configDoc?.toJS()[".rota"] as { image: string; before_script: string[] };
    expect(job.image).toBe("node:$[[ inputs.node-version ]]");
    const script = job.before_script.join("\n");

    const { dir, ciPrefix, vars } = ciJob();
    const result = runScript(
      script,
      dir,
      { ...vars, ROTA_VERSION: tarball, ROTA_RELEASES: "" },
      {
        path: path.join(ciPrefix, "bin"),
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`rota ${MANIFEST.version} installed`);
    expect(installedPackages(ciPrefix)).toEqual(["rota"]);

    // A version names the tarball under `releases`.
    const fake = tempDir();
    writeFileSync(path.join(fake, "npm"), '#!/bin/sh\necho "npm $*"\n', { mode: 0o755 });
    writeFileSync(path.join(fake, "rota"), "#!/bin/sh\necho 9.9.9\n", { mode: 0o755 });
    const named = runScript(
      script,
      tempDir(),
      { ROTA_VERSION: "v0.2.0", ROTA_RELEASES: "https://example.com/releases/" },
      { path: fake },
    );
    expect(named.stdout).toContain(
      "npm install --global --no-audit --no-fund https://example.com/releases/v0.2.0/rota-0.2.0.tgz\n",
    );
  });
});

describe("building rota where esbuild is missing (a global install from git)", () => {
  function copyOfBuild(): string {
    const dir = tempDir();
    mkdirSync(path.join(dir, "scripts"));
    copyFileSync(path.join(ROOT, "scripts/build.mjs"), path.join(dir, "scripts/build.mjs"));
    writeFileSync(path.join(dir, "package.json"), '{ "name": "rota", "type": "module" }\n');
    return dir;
  }
  const build = (dir: string) =>
    spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: dir, encoding: "utf8" });

  test("without dist/, says how to install rota instead of a stack trace", () => {
    const result = build(copyOfBuild());
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("esbuild (a devDependency) is not installed");
    expect(result.stderr).toContain("releases/download/v<version>/rota-<version>.tgz");
    expect(result.stderr).not.toContain("    at ");
  });

  test("with dist/ built already, keeps it", () => {
    const dir = copyOfBuild();
    mkdirSync(path.join(dir, "dist"));
    writeFileSync(path.join(dir, "dist/cli.js"), "export const built = true;\n");
    const result = build(dir);
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "dist/cli.js"), "utf8")).toBe(
      "export const built = true;\n",
    );
  });
});
