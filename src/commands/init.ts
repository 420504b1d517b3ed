import { access, readFile } from "node:fs/promises";
import path from "node:path";
import rosterSchema from "../../schema/roster.schema.json" with { type: "json" };
import type { Context } from "../context.ts";
import { checkLine, checkTimeZone, MAX_NAME, MAX_ZONE } from "../core/roster/formats.ts";
import { addToGitignore, fillRosterTemplate, IGNORED } from "../core/scaffold.ts";
import { UsageError } from "../errors.ts";
import { checkNowText } from "../io/clock.ts";
import { describeLinkOut, linkOut } from "../io/inside.ts";
import { TEAM_TEMPLATE } from "../io/notes-file.ts";
import { packagePath } from "../io/package.ts";
import { checkReachable } from "../io/reach.ts";
import { paint } from "../io/terminal.ts";
import { writeFileSafely } from "../io/write.ts";

export interface InitOptions {
  force?: boolean;
  team?: string;
  timezone?: string;
  /** Which CI job to write: github (default), gitlab or none. */
  ci?: string;
  /** The global `--roster` and `--schedule`, which init does not take. */
  roster?: string;
  schedule?: string;
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

/**
 * `rota init [dir]`: scaffolds a commented roster.yaml (and its JSON Schema for
 * editors), the notes template and the CI job, and adds what rota builds to
 * .gitignore. Writes nothing when any of the scaffolded files exists, unless
 * --force; an existing .gitignore is only ever added to.
 */
export async function runInit(
  ctx: Context,
  dir: string | undefined,
  options: InitOptions,
): Promise<number> {
  await checkNowText(ctx);
  // init writes roster.yaml and the files beside it, which the CI job it
  // writes reads by those names; another name would leave the job broken.
  for (const [flag, given] of [
    ["--roster", options.roster],
    ["--schedule", options.schedule],
  ] as const) {
    if (given === undefined) continue;
    throw new UsageError(
      `${flag}: rota init writes roster.yaml (and the CI job that reads it by that name), not another file; run it without ${flag}; nothing was written`,
    );
  }
  const target = path.resolve(ctx.cwd, dir ?? ".");
  if (dir !== undefined) checkReachable(target, dir, ctx.display, { directory: true });
  const team = options.team ?? (path.basename(target) || "Acme");
  // What init writes into the roster must pass the roster's own rules: a name
  // `rota validate` rejects (or a line break, which breaks the YAML) would
  // leave the team a roster that fails from its first run.
  const teamProblem = checkLine(team, MAX_NAME);
  if (teamProblem) {
    const rule = `the roster's team is one line of plain text of at most ${MAX_NAME} characters; nothing was written`;
    throw new UsageError(
      options.team === undefined
        ? `the team's name would be this directory's, ${JSON.stringify(team)}, which ${bare(teamProblem)}: ${rule} (pass --team NAME)`
        : `--team ${bare(teamProblem)}: ${rule} (pass another --team)`,
    );
  }
  const timezone = options.timezone ?? systemTimeZone(ctx);
  const zoneLine = checkLine(timezone, MAX_ZONE);
  if (zoneLine) {
    throw new UsageError(
      `--timezone ${bare(zoneLine)}: use an IANA name such as Europe/Berlin or America/New_York; nothing was written`,
    );
  }
  const zoneProblem = checkTimeZone(timezone);
  if (zoneProblem) throw new UsageError(`--timezone: ${zoneProblem}`);
  const ciChoice = options.ci ?? "github";
  if (!Object.hasOwn(CI_FILES, ciChoice)) {
    throw new UsageError(`--ci must be github, gitlab or none, not "${ciChoice}"`);
  }
  const ci = CI_FILES[ciChoice];

  const template = await readFile(packagePath("templates", "roster.yaml"), "utf8");
  const roster = fillRosterTemplate(template, team, timezone);
  const files: Scaffold[] = [
    { file: "roster.yaml", content: roster.text },
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

  // A link committed as roster.yaml, .gitignore or notes/ must not make init
  // write outside the directory it sets up (nor --force overwrite it).
  for (const file of [...files.map((scaffold) => scaffold.file), ".gitignore"]) {
    const out = await linkOut(target, path.join(target, ...file.split("/")));
    if (out) {
      throw new UsageError(
        `${ctx.display(out.link)} ${describeLinkOut(out, ctx.display, target, ctx.display(target))}: ${out.broken ? "rota init writes no file through a link that leads nowhere" : "rota init writes only inside the directory it sets up"}; nothing was written (remove the link, or run rota init in another directory)`,
      );
    }
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
  const gitignorePath = path.join(target, ".gitignore");
  const gitignoreBefore = (await exists(gitignorePath))
    ? await readFile(gitignorePath, "utf8")
    : undefined;
  const gitignore = addToGitignore(gitignoreBefore);

  for (const { file, content } of files) {
    await writeFileSafely(path.join(target, ...file.split("/")), content);
  }
  if (gitignore.added.length > 0) await writeFileSafely(gitignorePath, gitignore.text);

  const c = paint(ctx.color.stderr);
  for (const { file } of files)
    ctx.err(`${c.green("wrote")} ${ctx.display(path.join(target, file))}\n`);
  if (gitignore.added.length > 0) {
    ctx.err(
      gitignoreBefore === undefined
        ? `${c.green("wrote")} ${ctx.display(gitignorePath)}\n`
        : `${c.green("added")} ${listed(gitignore.added)} to ${ctx.display(gitignorePath)}\n`,
    );
  }
  const { holidays } = roster;
  ctx.err(
    "why" in holidays
      ? `holidays.country is commented out in roster.yaml: ${holidays.why}. Set it to your country's ISO 3166 code (DE, US, GB, …) to close on its public holidays.\n`
      : `holidays.country is ${holidays.country}, the country of ${timezone}: its public holidays are closed days (change it in roster.yaml if your team keeps another country's).\n`,
  );
  const [invites, site, calendars, sent] = IGNORED.map((entry) => entry.path);
  ctx.err(
    ci
      ? `.gitignore keeps out of git what rota builds: ${site} and ${calendars}, the site and calendar feeds, which the CI job builds and publishes itself, ${invites}, which carry email addresses, and ${sent}, what \`rota notify\` has sent.\n`
      : `.gitignore keeps out of git what rota builds: ${site} and ${calendars}, the site and calendar feeds (\`rota site\`, \`rota calendar\`: publish them, rather than commit them), ${invites}, which carry email addresses, and ${sent}, what \`rota notify\` has sent.\n`,
  );
  const cd = target === ctx.io.cwd ? "" : `-C ${ctx.display(target)} `;
  ctx.err(
    `Next: edit roster.yaml (and ${TEAM_TEMPLATE}, the questions asked after a shift), then run \`rota ${cd}validate\` and \`rota ${cd}plan\`.\n`,
  );
  if (ciChoice === "github") {
    ctx.err(
      `The CI job in ${ci?.file} installs rota with rota's GitHub Action: replace your-org/rota@v1 in it (every job) with the repository your team gets rota from, e.g. acme/rota@v1. Every Monday it plans ahead and proposes schedule.yaml as a pull request: set the secret ROTA_PUSH_TOKEN, or allow Actions to create pull requests (see docs/ci.md in rota's repository).\n`,
    );
  } else if (ciChoice === "gitlab") {
    ctx.err(
      `The CI job in ${ci?.file} installs rota with rota's CI/CD component: in its include:, replace your-group/rota with the GitLab project your team keeps rota in, and your-org/rota in releases: with the repository your team gets rota's releases from, e.g. acme/rota. ` +
        `To plan ahead every week and propose schedule.yaml as a merge request, set the CI/CD variable ROTA_PUSH_TOKEN (a project access token with write_repository) and create a pipeline schedule on the default branch (Build → Pipeline schedules, e.g. "17 5 * * 1") with the variable ROTA_WEEKLY=true; ` +
        `with notify: channels in the roster, add an hourly one (e.g. "7 * * * *") without it (see docs/ci.md in rota's repository).\n`,
    );
  }
  return 0;
}

/** A checkLine() reason without its advice, which the message gives for the flag. */
function bare(why: string): string {
  return why.replace(/; write it as one line of plain text$/, "");
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
