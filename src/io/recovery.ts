import { mkdir, mkdtemp, realpath, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Where rota keeps what a person typed when it could not finish with it (the
 * answers of a note that could not be written or committed): beside the
 * roster, ignored by git through its own `.gitignore`, so that no team has
 * to change theirs and nothing in it is ever committed by accident.
 */
export const RECOVERED_DIR = path.join(".rota", "recovered");

async function writeNew(file: string, text: string): Promise<boolean> {
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
async function writeUnique(dir: string, stem: string, text: string): Promise<string> {
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${stem}${n === 1 ? "" : `-${n}`}.yaml`);
    if (await writeNew(file, text)) return file;
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
  text: string,
): Promise<string | undefined> {
  try {
    const dir = path.join(baseDir, RECOVERED_DIR);
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, ".gitignore"),
      "# rota's recovered answers: never committed\n*\n",
      {
        flag: "wx",
      },
    ).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
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
