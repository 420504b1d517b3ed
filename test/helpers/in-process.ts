import { PassThrough, Readable } from "node:stream";
import { main } from "../../src/cli.ts";
import { inputsDir } from "./cli.ts";

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs rota's main() in this process with captured streams: no terminal, no colour. */
export async function runInProcess(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {},
): Promise<InProcessResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  stderr.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const code = await main(args, {
    cwd: options.cwd ?? inputsDir(),
    env: { TZ: "UTC", ...options.env },
    stdin: Readable.from([options.input ?? ""]),
    stdout,
    stderr,
  });
  return { code, stdout: out, stderr: err };
}
