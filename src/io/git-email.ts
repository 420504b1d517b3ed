import { execFile } from "node:child_process";

/**
 * `git config user.email` as seen from a directory, or undefined (unset, not
 * a repository, no git). Asked of git itself rather than through simple-git
 * (io/git.ts): `rota plan` asks it on every run, a replayed one included,
 * and loading simple-git cost that a tenth of its start-up.
 */
export function gitUserEmail(cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["config", "--get", "user.email"],
      { cwd, encoding: "utf8", windowsHide: true },
      (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}
