import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach } from "vitest";

const dirs: string[] = [];

/** A fresh temporary directory, removed after the test. */
export function tempDir(prefix = "rota-test-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const suiteDirs: string[] = [];

/**
 * A temporary directory that lives until the test file ends: for state that a
 * `beforeAll` prepares and several tests read.
 */
export function suiteTempDir(prefix = "rota-suite-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  suiteDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of suiteDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
