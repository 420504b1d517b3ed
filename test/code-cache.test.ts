// On every Node rota runs on, bin/rota.js runs the bundle's CommonJS copies
// with a V8 code cache kept per user. The cache may only ever
// save time: whatever state it is in, every command prints what it prints
// without one.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
// @ts-expect-error: a plain JavaScript build script without types
import { hashModule, referenceHash } from "../scripts/code-cache-hash.mjs";
import { RUNS, SEED } from "./helpers/arbitraries.ts";
import { BIN, ROOT, rota } from "./helpers/cli.ts";
import { suiteTempDir, tempDir } from "./helpers/tmp.ts";

const NOW = "2026-11-23T10:00:00Z";
const CACHE_DIR = `v8-${process.version}-${process.arch}`;

/** A directory with roster.example.yaml planned, as the start-up benchmark has it. */
function exampleTeam(): string {
  const dir = suiteTempDir();
  copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
  const plan = spawnSync(process.execPath, [BIN, "plan"], {
    cwd: dir,
    env: { ...process.env, ROTA_NOW: NOW, XDG_CACHE_HOME: tempDir() },
    encoding: "utf8",
  });
  expect(plan.status).toBe(0);
  return dir;
}

const QUICK: string[][] = [["--help"], ["validate"], ["who"], ["--version"]];
const FIRST = ["--help"];

/** Each quick command's result through the ES modules (ROTA_DEBUG=1 takes that path). */
let expected: Map<string, { code: number | null; stdout: string; stderr: string }>;
let team: string;

function run(args: string[], env: Record<string, string>) {
  return rota(args, { cwd: team, env: { ROTA_NOW: NOW, NODE_DEBUG: "rota", ...env } });
}

/** The output without the loader's debug lines. */
function plain(result: { code: number | null; stdout: string; stderr: string }) {
  return { ...result, stderr: result.stderr.replace(/^ROTA \d+: .*\n/gm, "") };
}

/**
 * Runs every quick command and checks each prints exactly what the ES modules
 * print; returns the loader's debug lines, the first command's first (the
 * commands after it may use what it wrote).
 */
async function expectSameOutput(env: Record<string, string>): Promise<string> {
  let debug = "";
  for (const args of QUICK) {
    const result = await run(args, env);
    expect(plain(result)).toEqual(expected.get(args.join(" ")));
    debug += result.stderr;
  }
  return debug;
}

/** The first quick command's debug lines, run against the cache as it is. */
async function firstRun(env: Record<string, string>): Promise<string> {
  const result = await run(FIRST, env);
  expect(plain(result)).toEqual(expected.get(FIRST.join(" ")));
  return result.stderr;
}

/** The cache files of every build under a cache home (not the list of those checked). */
function cacheFiles(home: string): string[] {
  const node = path.join(home, "rota", CACHE_DIR);
  if (!existsSync(node)) return [];
  return readdirSync(node).flatMap((build) =>
    readdirSync(path.join(node, build))
      .filter((name) => name.endsWith(".bin"))
      .map((name) => path.join(node, build, name)),
  );
}

describe("the code cache", () => {
  beforeAll(async () => {
    team = exampleTeam();
    expected = new Map();
    for (const args of QUICK) {
      const result = await rota(args, {
        cwd: team,
        env: { ROTA_NOW: NOW, ROTA_DEBUG: "1", XDG_CACHE_HOME: tempDir() },
      });
      expected.set(args.join(" "), result);
    }
    expect(expected.get("validate")?.stderr).toMatch(/is valid/);
    expect(expected.get("who")?.stdout).toMatch(/On support now/);
  });

  test("is written on a file's second run and used from then on, with the same output", async () => {
    const home = tempDir();
    const first = await expectSameOutput({ XDG_CACHE_HOME: home });
    expect(first).toMatch(/load .*dist\/cjs\/cli\.js \(code cache missing\)/);
    expect(first).toMatch(
      /load .*dist\/cjs\/chunks\/chunk-\w+\.js \(held by a file loaded before\)/,
    );
    expect(first).not.toMatch(/load .*dist\/cjs\/chunks\/chunk-\w+\.js \(code cache/);
    // A file's first run writes no cache for it, the next does: the entry's
    // (loaded by every command) and Commander's program's (--help, then
    // --version) are written in the first round, each command's in the second.
    const kinds = () =>
      cacheFiles(home)
        .map((file) => path.basename(file).replace(/(?<=-)[A-Z0-9]+\.js-.*|(?<=\.js-).*/, ""))
        .sort();
    expect(kinds()).toEqual(["chunks-program-", "cli.js-"]);
    const second = await expectSameOutput({ XDG_CACHE_HOME: home });
    expect(second).toMatch(/load .*dist\/cjs\/chunks\/who-\w+\.js \(code cache missing\)/);
    // One file, and one cache file, for the entry, for Commander's program and
    // for each command run: each holds the files it imports (scripts/build.mjs),
    // which are not read apart. The roster's and the shifts' files, which only
    // the first `rota who` loads (to build the indexes the others read), get none.
    expect(kinds()).toEqual(["chunks-program-", "chunks-validate-", "chunks-who-", "cli.js-"]);
    const third = await expectSameOutput({ XDG_CACHE_HOME: home });
    expect(third).toMatch(/load .*dist\/cjs\/cli\.js \(code cache used\)/);
    expect(third).toMatch(/load .*dist\/cjs\/chunks\/who-\w+\.js \(code cache used\)/);
    expect(third).not.toMatch(/code cache (missing|refused)/);
    // A mistake: the same message and exit code, no stack trace.
    const mistake = plain(
      await run(["--roster", "missing.yaml", "validate"], { XDG_CACHE_HOME: home }),
    );
    expect(mistake).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "rota: missing.yaml not found: run `rota init` to create a roster, or pass --roster FILE (or -C DIR)\n",
    });
  });

  test("a damaged cache file is noticed, not run, and written again", async () => {
    const home = tempDir();
    await expectSameOutput({ XDG_CACHE_HOME: home });
    const [first, ...rest] = cacheFiles(home);
    if (first === undefined) throw new Error("no cache files");
    for (const file of [first, ...rest]) {
      const bytes = readFileSync(file);
      for (let i = 40; i < bytes.length; i += 97) bytes.writeUInt8(bytes.readUInt8(i) ^ 0x5a, i);
      writeFileSync(file, bytes);
    }
    // A truncated file, too.
    writeFileSync(first, readFileSync(first).subarray(0, 30));
    const damaged = await firstRun({ XDG_CACHE_HOME: home });
    expect(damaged).toMatch(/is damaged; compiling again/);
    expect(damaged).not.toMatch(/code cache used/);
    await expectSameOutput({ XDG_CACHE_HOME: home });
    const again = await expectSameOutput({ XDG_CACHE_HOME: home });
    expect(again).not.toMatch(/damaged|code cache (missing|refused)/);
  });

  test("one flipped bit, in the data or in its checksum, is noticed", async () => {
    const home = tempDir();
    await expectSameOutput({ XDG_CACHE_HOME: home });
    const files = cacheFiles(home);
    const cli = files.find((file) => path.basename(file).startsWith("cli.js-"));
    if (cli === undefined) throw new Error("no cache file for cli.js");
    const whole = readFileSync(cli);
    // A bit in the middle of V8's data, then one in the header's checksum.
    for (const at of [Math.floor(whole.length / 2), 16]) {
      const bytes = Buffer.from(whole);
      bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
      writeFileSync(cli, bytes);
      const damaged = await firstRun({ XDG_CACHE_HOME: home });
      expect(damaged).toMatch(/cli\.js-.*is damaged; compiling again/);
      expect(damaged).toMatch(/load .*dist\/cjs\/cli\.js \(code cache missing\)/);
      // Written again, and used by the next run.
      const again = await firstRun({ XDG_CACHE_HOME: home });
      expect(again).toMatch(/load .*dist\/cjs\/cli\.js \(code cache used\)/);
    }
  });

  test("a cache file found whole is not hashed again until it is written", async () => {
    const home = tempDir();
    const env = { XDG_CACHE_HOME: home };
    // Written by the first two rounds (see the first test), hashed once by the next.
    await expectSameOutput(env);
    await expectSameOutput(env);
    expect(await expectSameOutput(env)).toMatch(/checked against its hash/);
    const third = await expectSameOutput(env);
    expect(third).toMatch(/cli\.js \(code cache used\)/);
    expect(third).not.toMatch(/checked against its hash|damaged/);
    const cli = cacheFiles(home).find((file) => path.basename(file).startsWith("cli.js-"));
    if (cli === undefined) throw new Error("no cache file for cli.js");
    // Written again, with the same bytes: hashed again before it is used.
    writeFileSync(cli, readFileSync(cli));
    const rewritten = await firstRun(env);
    expect(rewritten).toMatch(/cli\.js-.*checked against its hash/);
    expect(rewritten).toMatch(/cli\.js \(code cache used\)/);
    expect(await firstRun(env)).not.toMatch(/checked against its hash/);
    // A damaged list of the files checked: each is hashed again, and the list written anew.
    const list = path.join(path.dirname(cli), "checked");
    writeFileSync(list, Buffer.from([0, 0xff, 0x0a, 0x20, 0x0a]));
    expect(await expectSameOutput(env)).toMatch(/cli\.js-.*checked against its hash/);
    expect(await expectSameOutput(env)).not.toMatch(/checked against its hash|damaged/);
  });

  test("data V8 refuses (another file's, whole and well-formed) is replaced", async () => {
    const home = tempDir();
    await expectSameOutput({ XDG_CACHE_HOME: home });
    const files = cacheFiles(home);
    const cli = files.find((file) => path.basename(file).startsWith("cli.js-"));
    const other = files.find((file) => file !== cli && path.basename(file).startsWith("chunks-"));
    if (cli === undefined || other === undefined) throw new Error("no cache files to swap");
    copyFileSync(other, cli);
    const refused = await firstRun({ XDG_CACHE_HOME: home });
    await expectSameOutput({ XDG_CACHE_HOME: home });
    expect(refused).toMatch(/load .*dist\/cjs\/cli\.js \(code cache refused\)/);
    const again = await expectSameOutput({ XDG_CACHE_HOME: home });
    expect(again).toMatch(/load .*dist\/cjs\/cli\.js \(code cache used\)/);
  });

  test("keeps the caches of the three newest builds only", async () => {
    const home = tempDir();
    const node = path.join(home, "rota", CACHE_DIR);
    const old = ["1-1000", "2-2000", "3-3000", "4-4000"];
    for (const [i, build] of old.entries()) {
      mkdirSync(path.join(node, build), { recursive: true });
      writeFileSync(path.join(node, build, "cli.js-1-1.bin"), "old");
      const time = new Date(Date.UTC(2026, 0, 1 + i));
      utimesSync(path.join(node, build), time, time);
    }
    const debug = await firstRun({ XDG_CACHE_HOME: home });
    expect(debug).toMatch(/removed an older build's cache/);
    const kept = readdirSync(node).sort();
    expect(kept).toHaveLength(3);
    expect(kept).toEqual(expect.arrayContaining(["3-3000", "4-4000"]));
    // This build's cache is among them: written by its second run, used by the third.
    expect(await firstRun({ XDG_CACHE_HOME: home })).toMatch(/cli\.js \(code cache missing\)/);
    expect(await firstRun({ XDG_CACHE_HOME: home })).toMatch(/cli\.js \(code cache used\)/);
  });

  test("no usable cache directory: the commands run without one", async () => {
    // $XDG_CACHE_HOME and the temporary directory are files: nothing can be made in them.
    const file = path.join(tempDir(), "not-a-directory");
    writeFileSync(file, "");
    const debug = await expectSameOutput({ XDG_CACHE_HOME: file, TMPDIR: file });
    expect(debug).toMatch(/code cache: .*not-a-directory/);
    expect(debug).toMatch(/code cache missing/);
  });

  test("where WebAssembly cannot run (--jitless), nothing is cached and the commands run as without a cache", async () => {
    const home = tempDir();
    let debug = "";
    for (const args of [...QUICK, ...QUICK]) {
      const result = await run(args, { XDG_CACHE_HOME: home, NODE_OPTIONS: "--jitless" });
      // Node's own warning about the flag aside.
      const stderr = result.stderr.replace(/^Warning: disabling flag --expose_wasm.*\n/m, "");
      expect(plain({ ...result, stderr })).toEqual(expected.get(args.join(" ")));
      expect(result.stderr).not.toMatch(/code cache used/);
      debug += result.stderr;
    }
    // Said when a cache would be written (a file's second run).
    expect(debug).toMatch(/cannot check cache files here/);
    expect(cacheFiles(home)).toEqual([]);
  });

  test("a cache directory others may write is not used; a linked cache file is not read", async () => {
    const shared = tempDir();
    mkdirSync(path.join(shared, "rota", CACHE_DIR), { recursive: true });
    chmodSync(path.join(shared, "rota"), 0o777);
    const debug = await expectSameOutput({ XDG_CACHE_HOME: shared, TMPDIR: tempDir() });
    expect(debug).toMatch(/may be written by others; not used/);
    expect(cacheFiles(shared)).toEqual([]);

    const home = tempDir();
    await expectSameOutput({ XDG_CACHE_HOME: home });
    const elsewhere = tempDir();
    for (const file of cacheFiles(home)) {
      const target = path.join(elsewhere, path.basename(file));
      // The cache file replaced by a link to good data: not followed.
      copyFileSync(file, target);
      unlinkSync(file);
      symlinkSync(target, file);
    }
    const linked = await firstRun({ XDG_CACHE_HOME: home });
    expect(linked).not.toMatch(/code cache used/);
    await expectSameOutput({ XDG_CACHE_HOME: home });
    const again = await expectSameOutput({ XDG_CACHE_HOME: home });
    expect(again).toMatch(/code cache used/);
  });
});

describe("the CommonJS copies in dist/cjs/", () => {
  test("are each the function the loader compiles, so it compiles the text as read", () => {
    // bin/code-cache.js wraps a file that does not start so, which copies its text.
    const head = "(function (exports, require, module, __rotaUrl, __rotaPack, __filename) {";
    expect(readFileSync(path.join(ROOT, "bin", "code-cache.js"), "utf8")).toContain(
      JSON.stringify(head),
    );
    for (const dir of ["dist/cjs", "dist/cjs/chunks"]) {
      const names = readdirSync(path.join(ROOT, dir)).filter((name) => name.endsWith(".js"));
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const text = readFileSync(path.join(ROOT, dir, name), "utf8");
        expect(text.startsWith(head), name).toBe(true);
        expect(text.endsWith("\n})"), name).toBe(true);
        // The loader passes require and __filename: no copy makes its own
        // from its URL (each costs a start-up a few tenths of a millisecond).
        expect(text, name).not.toContain("createRequire");
      }
    }
  });
});

describe("a CommonJS copy's text as the loader reads it", () => {
  const { readSource } = createRequire(import.meta.url)("../bin/code-cache.js") as {
    readSource: (file: string) => { source: string };
  };

  test("is the file's UTF-8, whether it is all ASCII or not", () => {
    const dir = tempDir();
    for (const text of [
      '"use strict";\nconst a = "plain";\n',
      'const b = "… ◀ you, José 😀";\n',
      "",
    ]) {
      const file = path.join(dir, "copy.js");
      writeFileSync(file, text);
      expect(readSource(file).source).toBe(text);
    }
  });
});

describe("the URL each CommonJS copy is given as import.meta.url", () => {
  const { fileUrl } = createRequire(import.meta.url)("../bin/code-cache.js") as {
    fileUrl: (file: string) => string;
  };

  test("is the one url.pathToFileURL gives, for any absolute path", () => {
    // Plain names take the short way; the rest (spaces, %, #, non-ASCII, dot
    // segments, empty segments) are left to pathToFileURL.
    const segment = fc.stringMatching(/^(?:[\w.-]{0,6}|[\w .%#?é~-]{0,4})$/);
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (parts, slash) => {
          const file = `/${parts.join("/")}${slash ? "/" : ""}`;
          expect(fileUrl(file)).toBe(pathToFileURL(file).href);
        },
      ),
      { numRuns: RUNS * 20, seed: SEED },
    );
    expect(fileUrl("/opt/rota-1.2/dist")).toBe("file:///opt/rota-1.2/dist");
    expect(fileUrl(path.join(ROOT, "dist"))).toBe(pathToFileURL(path.join(ROOT, "dist")).href);
  });
});

describe("the hash that checks cache files", () => {
  const { checksum } = createRequire(import.meta.url)("../bin/code-cache.js") as {
    checksum: (data: Uint8Array) => bigint | undefined;
  };

  test("is the module scripts/code-cache-hash.mjs assembles", () => {
    const source = readFileSync(path.join(ROOT, "bin", "code-cache.js"), "utf8");
    const held = /const HASH_MODULE =\s*"([A-Za-z0-9+/=]+)";/.exec(source)?.[1];
    expect(held).toBe(Buffer.from(hashModule()).toString("base64"));
  });

  test("computes the hash the script describes, at every length and alignment", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 7 }), (bytes, offset) => {
        const data = new Uint8Array(offset + bytes.length).subarray(offset);
        data.set(bytes);
        expect(checksum(data)).toBe(referenceHash(data));
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
    // Larger than the module's memory at first: it grows.
    const large = new Uint8Array(200_001).map((_, i) => (i * 7919) % 251);
    expect(checksum(large)).toBe(referenceHash(large));
    // Then smaller again: only the data's own bytes count.
    const small = large.subarray(0, 1001);
    expect(checksum(small)).toBe(referenceHash(small));
  });

  test("tells apart data that differs in any one byte", () => {
    const data = new Uint8Array(4096).map((_, i) => (i * 31) % 256);
    const sum = checksum(data);
    for (let at = 0; at < data.length; at += 13) {
      const damaged = Uint8Array.from(data);
      damaged[at] = (damaged[at] as number) ^ (1 << (at % 8));
      expect(checksum(damaged)).not.toBe(sum);
    }
    expect(checksum(data.subarray(0, 4095))).not.toBe(sum);
  });
});

describe("bin/rota.js without a built dist/", () => {
  test("says how to build rota, exit 1, on every Node path (ROTA_DEBUG=1 takes the ES modules)", () => {
    const copy = tempDir();
    cpSync(path.join(ROOT, "bin"), path.join(copy, "bin"), { recursive: true });
    copyFileSync(path.join(ROOT, "package.json"), path.join(copy, "package.json"));
    for (const env of [{}, { ROTA_DEBUG: "1" }]) {
      const result = spawnSync(process.execPath, [path.join(copy, "bin", "rota.js"), "--help"], {
        env: { ...process.env, ...env },
        encoding: "utf8",
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        "rota is not built: run `npm install` (or `npm run build`) in its directory\n",
      );
    }
  });
});
