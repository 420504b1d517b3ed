import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import rosterSchema from "../../schema/roster.schema.json" with { type: "json" };
import type { Context } from "../context.ts";
import { checkTimeZone } from "../core/roster/formats.ts";
import { UsageError } from "../errors.ts";
import { TEAM_TEMPLATE } from "../io/notes-file.ts";
import { packagePath } from "../io/package.ts";
import { paint } from "../io/terminal.ts";
import { writeFileSafely } from "../io/write.ts";

export interface InitOptions {
  force?: boolean;
  team?: string;
  timezone?: string;
  /** Which CI job to write: github (default), gitlab or none. */
  ci?: string;
}

/** The CI job each `--ci` choice writes: template → path in the team's repository. */
const CI_FILES: Record<string, { template: string; file: string } | undefined> = {
  github: { template: "github-workflow.yml", file: ".github/workflows/rota.yml" },
  gitlab: { template: "gitlab-ci.yml", file: ".gitlab-ci.yml" },
  none: undefined,
};

interface Scaffold {
  /** Relative to the target directory. */
  file: string;
  content: string;
}

/** The roster template with the team name and zone filled in, comments kept. */
export function fillRosterTemplate(template: string, team: string, timezone: string): string {
  const scalar = (value: string) => stringify(value).trimEnd();
  return template
    .replace(/^team: .*$/m, `team: ${scalar(team)}`)
    .replace(/^timezone: \S+/m, `timezone: ${scalar(timezone)}`);
}

/**
 * `rota init [dir]`: scaffolds a commented roster.yaml (and its JSON Schema for
 * editors) and the notes template. Writes nothing when any target exists,
 * unless --force.
 */
export async function runInit(
  ctx: Context,
  dir: string | undefined,
  options: InitOptions,
): Promise<number> {
  const target = path.resolve(ctx.cwd, dir ?? ".");
  const team = options.team ?? (path.basename(target) || "Acme");
  const timezone = options.timezone ?? systemTimeZone(ctx);
  const zoneProblem = checkTimeZone(timezone);
  if (zoneProblem) throw new UsageError(`--timezone: ${zoneProblem}`);
  const ciChoice = options.ci ?? "github";
  if (!(ciChoice in CI_FILES)) {
    throw new UsageError(`--ci must be github, gitlab or none, not "${ciChoice}"`);
  }
  const ci = CI_FILES[ciChoice];

  const template = await readFile(packagePath("templates", "roster.yaml"), "utf8");
  const files: Scaffold[] = [
    { file: "roster.yaml", content: fillRosterTemplate(template, team, timezone) },
    { file: "roster.schema.json", content: `${JSON.stringify(rosterSchema, null, 2)}\n` },
    // The team's own copy of the notes template: `rota notes` uses it when present.
    { file: TEAM_TEMPLATE, content: await readFile(packagePath("templates", "notes.md"), "utf8") },
  ];
  if (ci) {
    files.push({
      file: ci.file,
      content: await readFile(packagePath("templates", ci.template), "utf8"),
    });
  }

  if (!options.force) {
    const existing = [];
    for (const { file } of files) {
      if (await exists(path.join(target, file)))
        existing.push(ctx.display(path.join(target, file)));
    }
    if (existing.length > 0) {
      throw new UsageError(
        `${listed(existing)} already exist${existing.length === 1 ? "s" : ""}; nothing was written (pass --force to overwrite)`,
      );
    }
  }
  for (const { file, content } of files) {
    await writeFileSafely(path.join(target, ...file.split("/")), content);
  }
  const c = paint(ctx.color.stderr);
  for (const { file } of files)
    ctx.err(`${c.green("wrote")} ${ctx.display(path.join(target, file))}\n`);
  const cd = target === ctx.io.cwd ? "" : `-C ${ctx.display(target)} `;
  ctx.err(
    `Next: edit roster.yaml (and ${TEAM_TEMPLATE}, the questions asked after a shift), then run \`rota ${cd}validate\` and \`rota ${cd}plan\`.
`,
  );
  if (ci) {
    ctx.err(
      `The CI job in ${ci.file} installs rota from the ${ciChoice === "github" ? "repository" : "CI/CD"} variable ROTA_PACKAGE: set it to where your team gets rota (see rota's README).
`,
    );
  }
  return 0;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function systemTimeZone(ctx: Context): string {
  const fromEnv = ctx.io.env.TZ;
  if (fromEnv && !checkTimeZone(fromEnv)) return fromEnv;
  const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return resolved && !checkTimeZone(resolved) ? resolved : "UTC";
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
