import path from "node:path";
import { forScreen } from "./io/screen.ts";

/** The process around a command, injectable so tests can run commands in-process. */
export interface Io {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** Colour depth of a stream: 0 none, 1 basic, 2 256 colours, 3 true colour. */
export type ColorLevel = 0 | 1 | 2 | 3;

/** What every command gets: where it runs, which roster, "now", and where to print. */
export interface Context {
  io: Io;
  /** The directory the command works in (`-C`), absolute. */
  cwd: string;
  /** The roster file (`--roster`, default `roster.yaml` in cwd), absolute. */
  rosterPath: string;
  /** `--schedule`, absolute; undefined for schedule.yaml beside the roster. */
  schedulePath: string | undefined;
  /** `--now` or `ROTA_NOW`, unparsed; commands resolve it against the roster's zone. */
  nowText: string | undefined;
  /** Colour depth for stdout and for stderr. */
  color: { stdout: ColorLevel; stderr: ColorLevel };
  /**
   * Writes data to stdout, and a message to stderr. Whatever they are given,
   * only rota's own escape sequences reach the terminal: control characters
   * from anywhere else are shown escaped (io/screen.ts).
   */
  out(text: string): void;
  err(text: string): void;
  /** A path as the user should read it: relative to where they ran rota. */
  display(file: string): string;
}

/** Colour depth from flags, NO_COLOR/FORCE_COLOR and whether the stream is a terminal. */
export function colorLevel(
  stream: { isTTY?: boolean },
  env: Io["env"],
  colorFlag: boolean,
): ColorLevel {
  if (!colorFlag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === "0" || force === "false") return 0;
    if (force === "2") return 2;
    if (force === "3") return 3;
    return 1;
  }
  if (!stream.isTTY || env.TERM === "dumb") return 0;
  if (env.COLORTERM === "truecolor" || env.COLORTERM === "24bit") return 3;
  if (env.TERM?.includes("256")) return 2;
  return 1;
}

export function createContext(
  io: Io,
  options: { dir?: string; roster?: string; schedule?: string; now?: string; color: boolean },
): Context {
  const cwd = path.resolve(io.cwd, options.dir ?? ".");
  const rosterPath = path.resolve(cwd, options.roster ?? "roster.yaml");
  const nowText = options.now ?? (io.env.ROTA_NOW || undefined);
  return {
    io,
    cwd,
    rosterPath,
    schedulePath: options.schedule ? path.resolve(cwd, options.schedule) : undefined,
    nowText,
    color: {
      stdout: colorLevel(io.stdout, io.env, options.color),
      stderr: colorLevel(io.stderr, io.env, options.color),
    },
    out: (text) => io.stdout.write(forScreen(text)),
    err: (text) => io.stderr.write(forScreen(text)),
    display: (file) => {
      const relative = path.relative(io.cwd, file);
      return relative === "" ? "." : relative.startsWith("..") ? file : relative;
    },
  };
}
