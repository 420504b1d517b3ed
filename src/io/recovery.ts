import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  unlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { escapeRegExp } from "../core/text.ts";

/**
 * Where rota keeps what a person typed when it could not finish with it (the
 * answers of a note that could not be written or committed): beside the
 * roster, ignored by git through its own `.gitignore`, so that no team has
 * to change theirs and nothing in it is ever committed by accident.
 */
export const RECOVERED_DIR = path.join(".rota", "recovered");

async function writeNew(file: string, text: string | Uint8Array): Promise<boolean> {
  try {
    await writeFile(file, text, { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Created but not written in full (a full disk): leave no half file.
    if (code !== "EEXIST") await unlink(file).catch(() => undefined);
    if (code === "EEXIST") return false;
    throw error;
  }
}

/** Writes `<stem>.yaml` in `dir`, or `<stem>-2.yaml` and so on: never over an earlier one. */
async function writeUnique(dir: string, stem: string, text: string | Uint8Array): Promise<string> {
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${stem}${n === 1 ? "" : `-${n}`}.yaml`);
    if (await writeNew(file, text)) return file;
  }
}

const IGNORE = "# rota's recovered answers: never committed\n*\n";

/**
 * Makes sure git ignores everything in `dir`: a `.gitignore` left empty or
 * cut short by an earlier failure (a full disk) is written again, and one that
 * cannot be written in full is removed, so no answers are saved where a
 * `git add -A` would commit them.
 */
async function keepIgnored(dir: string): Promise<void> {
  const file = path.join(dir, ".gitignore");
  const regular = await lstat(file).then(
    (stats) => stats.isFile(),
    () => false,
  );
  if (regular && (await readFile(file, "utf8").catch(() => undefined)) === IGNORE) return;
  // Replaced, never written through: it may be a link to somewhere else.
  await unlink(file).catch(() => undefined);
  try {
    await writeFile(file, IGNORE, { flag: "wx", mode: 0o644 });
  } catch (error) {
    // Another rota wrote it meanwhile: it is rota's own.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return;
    await unlink(file).catch(() => undefined);
    throw error;
  }
}

/**
 * Saves `text` as a new file named after `stem` in `.rota/recovered/` under
 * `baseDir`; when that cannot be written (a read-only or full disk), in a new
 * private directory in the system's temporary directory. Returns its path, or
 * undefined when neither could be written.
 */
export async function saveRecovery(
  baseDir: string,
  stem: string,
  text: string | Uint8Array,
): Promise<string | undefined> {
  try {
    const dir = path.join(baseDir, RECOVERED_DIR);
    await mkdir(dir, { recursive: true });
    await keepIgnored(dir);
    return await writeUnique(dir, stem, text);
  } catch {
    // Fall through to the temporary directory.
  }
  try {
    const dir = await mkdtemp(path.join(tmpdir(), "rota-recovered-"));
    return await writeUnique(dir, stem, text);
  } catch {
    return undefined;
  }
}

/** Whether `file` is one of the files saveRecovery keeps under `baseDir`. */
export async function isRecoveryFile(baseDir: string, file: string): Promise<boolean> {
  try {
    const [dir, real] = await Promise.all([
      realpath(path.join(baseDir, RECOVERED_DIR)),
      realpath(file),
    ]);
    return path.dirname(real) === dir;
  } catch {
    return false;
  }
}

/**
 * The files saveRecovery kept under `baseDir` for `stem` (`<stem>.yaml`,
 * `<stem>-2.yaml`…), each with its text; none when there are none.
 */
export async function readRecovered(
  baseDir: string,
  stem: string,
): Promise<{ file: string; text: string }[]> {
  const dir = path.join(baseDir, RECOVERED_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  const own = new RegExp(`^${escapeRegExp(stem)}(?:-[1-9]\\d*)?\\.yaml$`);
  const found: { file: string; text: string }[] = [];
  for (const name of names.filter((n) => own.test(n)).sort()) {
    const file = path.join(dir, name);
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text !== undefined) found.push({ file, text });
  }
  return found;
}
