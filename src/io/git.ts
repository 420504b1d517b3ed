import { type SimpleGit, simpleGit } from "simple-git";

/** simple-git bound to a directory; argument arrays only, never shell strings. */
export function gitIn(cwd: string): SimpleGit {
  return simpleGit({ baseDir: cwd, binary: "git", maxConcurrentProcesses: 4 });
}

/** `git config user.email` as seen from a directory, or undefined. */
export async function gitUserEmail(cwd: string): Promise<string | undefined> {
  try {
    const value = (await gitIn(cwd).getConfig("user.email")).value;
    return value?.trim() || undefined;
  } catch {
    return undefined;
  }
}
