import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { suiteTempDir } from "./tmp.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/rota.js", import.meta.url));

/** What a test may read from the repository: the example rosters and the fixtures. */
const INPUTS = ["roster.example.yaml", "examples", "templates", "schema", "test/fixtures"];
let inputs: string | undefined;

/**
 * A copy of the repository's example rosters, templates, schema and fixtures,
 * made once per test file: the directory the CLI runs in when a test names
 * none. Tests never read what a user's own runs left in the clone (the quick
 * start's `schedule.yaml`), nor write into it.
 */
export function inputsDir(): string {
  if (!inputs) {
    const dir = suiteTempDir("rota-inputs-");
    for (const entry of INPUTS) {
      cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
    }
    inputs = dir;
  }
  return inputs;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Standard input: text, or bytes as they would come down a pipe. */
  input?: string | Uint8Array;
  /** Stop the process (SIGTERM) after this many milliseconds: for a test of what must not run for ever. */
  timeoutMs?: number;
}

/**
 * Runs the built CLI as a process, as a user or CI would: no terminal, no
 * colour unless asked, stdin closed unless input is given.
 */
export function rota(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const key of ["FORCE_COLOR", "NO_COLOR", "ROTA_NOW", "ROTA_DEBUG"]) {
    if (!(options.env && key in options.env)) delete env[key];
  }
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? inputsDir(),
    env,
    stdio: ["pipe", "pipe", "pipe"],
    timeout: options.timeoutMs,
  });
  const output = outputOf(child);
  child.stdin.end(options.input ?? "");
  return output;
}

/**
 * A child process's exit code and its whole output, once it has closed.
 * A child that is done before its input is written (a fast command while
 * the test's own process is paused) closes the pipe: the write's EPIPE is
 * not the test's failure, the code and output say what happened.
 */
export function outputOf(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.on("error", () => undefined);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The libraries (packages in node_modules) among the sources of the bundle
 * files a run loaded, read from its NODE_DEBUG=esm,rota lines: the ES modules
 * (Node 22 and later) or their CommonJS copies in dist/cjs/ (Node 20).
 */
export function librariesLoaded(stderr: string): string[] {
  const loaded = stderr.match(/dist\/[\w/-]+\.js/g) ?? [];
  const chunks = [...new Set(loaded.map((file) => file.replace(/^dist\/cjs\//, "dist/")))];
  if (chunks.length < 2) throw new Error(`no bundle files named in the debug lines:\n${stderr}`);
  const sources = chunks.flatMap(
    (chunk) =>
      JSON.parse(readFileSync(path.join(ROOT, `${chunk}.map`), "utf8")).sources as string[],
  );
  const libraries = sources.flatMap(
    (source) => /node_modules\/([\w.-]+)\//.exec(source)?.[1] ?? [],
  );
  return [...new Set(libraries)].sort();
}
