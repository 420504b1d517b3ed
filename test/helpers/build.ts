import { execFileSync } from "node:child_process";

/**
 * The CLI tests run the built bundle, so build it once before any test, or
 * keep the dist/ already built from these very sources (`--if-changed`: CI
 * builds it just before, and the runs on other Node majors follow).
 */
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs", "--if-changed"], { stdio: "inherit" });
}
