import { Command, CommanderError, Help } from "commander";
import pkg from "../package.json" with { type: "json" };
import { commandContext, type GlobalOptions } from "./command-context.ts";
import type { Context, Io } from "./context.ts";
import { forScreen } from "./io/screen.ts";

// Commander's program: every command's options, help and action. cli.ts loads
// it for anything but the plainest calls of the quick commands (see quick.ts).

const ROOT_EXAMPLES = `
Examples:
  $ rota init                       scaffold roster.yaml in this directory
  $ rota validate                   check roster.yaml, every problem with its line
  $ rota validate --json            the same problems as JSON, for scripts
  $ rota plan                       plan schedule.yaml and show the rota
  $ rota plan --check               in CI: exit 1 when schedule.yaml is stale or runs short
  $ rota who                        who is on support now and next
  $ rota swap 2026-12-03/emea jony hedy   hedy serves instead of jony
  $ rota explain 2026-12-03/emea    why these people
  $ rota calendar                   iCalendar feeds for the team and each person
  $ rota notes                      after your shift, in a terminal: field notes, committed (without one: exits 2)
  $ rota notify today               tell the team who is on support today
  $ rota log --person ada           the audit trail from git: roster, swaps, notes
  $ rota report                     who served, who is overdue, fairness, notes and themes
  $ rota fix 72a0346fd7 done        record what became of a fix proposed in notes
  $ rota site                       a static site: rota, people, calendars, report, notes
  $ rota schema > roster.schema.json   the roster's JSON Schema, for editors
  $ rota -C ../support validate     run as if started in ../support
  $ ROTA_NOW=2026-11-23T09:00Z rota validate   pin "now" for a reproducible run

Exit codes: 0 success, 1 a check failed or an operation could not complete,
2 bad input or usage. Set ROTA_DEBUG=1 to see a stack trace on any error.
`;

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}\n`;
}

/**
 * Commander's usage error as rota says its own: on one line after "rota:",
 * with the suggestion as every "did you mean" in rota reads
 * (`rota: unknown option '--chek'; did you mean --check?`).
 */
export function usageLine(text: string): string {
  const [first = "", ...rest] = text.trimEnd().split("\n");
  const hints = rest.map((line) => {
    const hint = line.replace(/^\((.*)\)$/, "$1");
    return `; ${hint.charAt(0).toLowerCase()}${hint.slice(1)}`;
  });
  return `rota: ${first.replace(/^error: /, "")}${hints.join("")}\n`;
}

/** A terminal's width, as Commander reads it; none (Commander then wraps at 80) for anything else. */
function terminalWidth(output: Io["stdout"]): number {
  return (output.isTTY ? output.columns : undefined) as number;
}

/** What the program's help lists of a command: its description, arguments and whether it has options. */
interface Listing {
  description: string;
  /** As declared: `<occurrence>`, `[dir]`, which is how Commander shows them. */
  args: string[];
  options: boolean;
}

/**
 * A command's listing, read off its definition run against a stand-in that
 * notes the description, arguments and options and ignores the rest (help
 * text, action): Commander's options, each with its listener, are not made.
 */
function readListing(define: (command: Command) => void): Listing {
  const found: Listing = { description: "", args: [], options: false };
  const standIn: Command = new Proxy(Object.create(null), {
    get(_target, property) {
      if (property === "description") {
        return (text: string) => {
          found.description = text;
          return standIn;
        };
      }
      if (property === "argument") {
        return (name: string) => {
          found.args.push(name);
          return standIn;
        };
      }
      if (property === "option" || property === "requiredOption" || property === "addOption") {
        found.options = true;
      }
      return () => standIn;
    },
  });
  define(standIn);
  return found;
}

/** The commander program; `setExitCode` receives each action's exit code. */
export function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command("rota");
  const commanderOutput = program.configureOutput();
  let context: Context | undefined;
  const ctx = (command: Command): Context => {
    context ??= commandContext(io, command.optsWithGlobals<GlobalOptions>(), command.name());
    return context;
  };
  const done = (code: number) => setExitCode(code);

  // Each command's description, arguments, options, help text and action are
  // defined only for the command that runs or whose help is shown: defining
  // every command's costs each start-up close to a millisecond, and makes
  // garbage. `rota --help` lists the others as their definitions would.
  const pending = new Map<Command, (command: Command) => void>();
  const listings = new Map<Command, Listing>();
  const listingOf = (command: Command): Listing | undefined => {
    const rest = pending.get(command);
    if (rest === undefined) return undefined;
    let known = listings.get(command);
    if (known === undefined) {
      known = readListing(rest);
      listings.set(command, known);
    }
    return known;
  };
  const later = (command: Command, define: (command: Command) => void) => {
    pending.set(command, define);
  };
  const define = (command: Command) => {
    const rest = pending.get(command);
    if (rest === undefined) return;
    pending.delete(command);
    rest(command);
    // A usage error in a command points at that command's help.
    command.showHelpAfterError(`(run \`rota ${command.name()} --help\` for usage)`);
  };
  program
    .configureHelp({
      // A command's help defines it first; the program's lists the others
      // from what their definitions say (`readListing`), without defining them.
      formatHelp(command: Command, helper: Help) {
        if (command !== program) define(command);
        return Help.prototype.formatHelp.call(helper, command, helper);
      },
      subcommandTerm(command: Command) {
        const listing = listingOf(command);
        if (listing === undefined) return Help.prototype.subcommandTerm.call(this, command);
        const options = listing.options ? " [options]" : "";
        return [`${command.name()}${options}`, ...listing.args].join(" ");
      },
      subcommandDescription(command: Command) {
        const listing = listingOf(command);
        if (listing === undefined) return Help.prototype.subcommandDescription.call(this, command);
        return listing.description;
      },
    })
    .hook("preSubcommand", (_program, command) => define(command));

  program
    .description(
      "An all-hands support rotation, run from a git repository: everyone takes turns on the support queue.",
    )
    .version(pkg.version, "-V, --version", "print rota's version")
    .helpOption("-h, --help", "show help for a command")
    .option("-C, --directory <dir>", "run as if rota was started in <dir>")
    .option("--roster <file>", "the roster file (default: roster.yaml)")
    .option("--schedule <file>", "the schedule file (default: schedule.yaml beside the roster)")
    .option("--now <time>", 'pin "now" to an ISO time, for reproducible runs (env: ROTA_NOW)')
    .option("--no-color", "no colour (also NO_COLOR, or when output is not a terminal)")
    .addHelpText("after", ROOT_EXAMPLES)
    .showHelpAfterError("(run `rota --help` for usage)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(forScreen(text)),
      writeErr: (text) => io.stderr.write(forScreen(text)),
      outputError: (text, write) => write(usageLine(text)),
      // Commander asks process.stdout and process.stderr how wide they are and
      // whether they show colour, which for a pipe creates Node's stream (a
      // few milliseconds of `rota --help | less`). The outputs rota writes to
      // answer for themselves: only a terminal has a width or colours, and
      // rota's help is plain text, which Commander strips of nothing.
      getOutHelpWidth: () => terminalWidth(io.stdout),
      getErrHelpWidth: () => terminalWidth(io.stderr),
      getOutHasColors: () =>
        io.stdout.isTTY === true && commanderOutput.getOutHasColors?.() === true,
      getErrHasColors: () =>
        io.stderr.isTTY === true && commanderOutput.getErrHasColors?.() === true,
    })
    .exitOverride()
    // rota's own `help` command (below): Commander's shows the whole help
    // and exits 0 for a command that does not exist.
    .helpCommand(false);

  later(program.command("init"), (command) =>
    command
      .description(
        "scaffold a commented roster.yaml, the notes template and the CI job (never overwrites without --force)",
      )
      .argument("[dir]", "where to write (default: the current directory)")
      .option("--force", "overwrite files that exist")
      .option("--team <name>", "the team or company name (default: the directory's name)")
      .option("--timezone <zone>", "the default time zone (default: this machine's)")
      .option(
        "--ci <host>",
        "the CI job to write: github (.github/workflows/rota.yml), gitlab (.gitlab-ci.yml) or none",
        "github",
      )
      .addHelpText(
        "after",
        examples(
          "rota init",
          "rota init support --team Acme --timezone Europe/Berlin",
          "rota init --ci gitlab             # .gitlab-ci.yml instead of a GitHub workflow",
        ),
      )
      .action(async (dir: string | undefined, options, command: Command) => {
        const { roster, schedule } = command.optsWithGlobals<GlobalOptions>();
        const { runInit } = await import("./commands/init.ts");
        done(await runInit(ctx(command), dir, { ...options, roster, schedule }));
      }),
  );

  later(program.command("validate"), (command) =>
    command
      .description("check the roster and report every problem with its line and column")
      .option("--json", "print the problems as JSON: [{file,line,col,severity,message}]")
      .addHelpText(
        "after",
        examples(
          "rota validate",
          "rota validate --json",
          "rota validate --roster ../support/roster.yaml",
        ),
      )
      .action(async (options, command: Command) => {
        const { runValidate } = await import("./commands/validate.ts");
        done(await runValidate(ctx(command), options));
      }),
  );

  later(program.command("plan"), (command) =>
    command
      .description(
        "extend and repair schedule.yaml, then show the rota, fairness, gaps and warnings",
      )
      .option("--json", "print {shifts, gaps, warnings} as JSON")
      .option(
        "--format <format>",
        "terminal (the default), md (for a pull-request comment) or json",
      )
      .option("--from <date>", "show from this date (default: today)")
      .option("--until <date>", "show until this date, inclusive")
      .option("--weeks <n>", "show this many weeks (default: the roster's horizon_weeks)")
      .option(
        "--check",
        "write nothing; exit 1 when schedule.yaml is stale or planned too few weeks ahead (for CI)",
      )
      .option("--fail-on-gaps", "with --check: exit 1 on gaps already in schedule.yaml too")
      .option("--dry-run", "show the plan without writing schedule.yaml")
      .option(
        "--rebalance",
        "recompute every future seat instead of keeping valid ones, the freeze window's too",
      )
      .addHelpText(
        "after",
        examples(
          "rota plan",
          "rota plan --weeks 4",
          "rota plan --check --format md     # in CI, on pull requests",
          "rota plan --json --from 2026-12-01 --until 2026-12-31",
          "rota plan --rebalance --dry-run",
        ),
      )
      .action(async (options, command: Command) => {
        const { runPlan } = await import("./commands/plan.ts");
        done(await runPlan(ctx(command), options));
      }),
  );

  later(program.command("who"), (command) =>
    command
      .description("who is on support now and next, in your time zone")
      .option("--at <time>", "at this time instead of now")
      .option("--next", "only who is next")
      .option("--json", 'print {"at", "shifts"} as JSON')
      .addHelpText(
        "after",
        examples("rota who", "rota who --next", "rota who --at 2026-12-24T10:00 --json"),
      )
      .action(async (options, command: Command) => {
        const { runWho } = await import("./commands/who.ts");
        done(await runWho(ctx(command), options));
      }),
  );

  later(program.command("swap"), (command) =>
    command
      .description(
        "record that <in> serves instead of <out> on an occurrence, and replan; with --cover, that <in> served one that has started",
      )
      .argument("<occurrence>", "the occurrence id, <date>/<shift> (see `rota plan`)")
      .argument("<out>", "the person giving the shift away (with --cover: who was absent)")
      .argument("<in>", "the person taking it (with --cover: who served instead)")
      .option("--reason <text>", "why (kept in the roster and the log)")
      .option(
        "--cover",
        "the occurrence has started or ended: record who served it (credited in the report, notes, log and calendars) without replanning it",
      )
      .addHelpText(
        "after",
        examples(
          "rota swap 2026-12-03/emea jony hedy --reason dentist",
          "rota swap --cover 2026-12-03/emea jony hedy --reason ill --now 2026-12-03T12:00+01:00",
        ),
      )
      .action(
        async (occurrence: string, out: string, incoming: string, options, command: Command) => {
          const { runSwap } = await import("./commands/swap.ts");
          done(await runSwap(ctx(command), occurrence, out, incoming, options));
        },
      ),
  );

  later(program.command("fix"), (command) =>
    command
      .description(
        "the fixes proposed in notes and what became of them; record one as done, wontfix, open or linked",
      )
      .argument("[id]", "a fix id (see `rota fix` or the report); its first characters will do")
      .argument("[action]", "done, wontfix, open, or link")
      .argument("[url]", "for link: the issue or pull request that carries the fix")
      .option("--json", "print the fixes as JSON (after a recording, the fix recorded)")
      .addHelpText(
        "after",
        examples(
          "rota fix                                  # every fix, open ones first",
          "rota fix 72a0346fd7 done",
          "rota fix 72a0346fd7 link https://github.com/acme/app/issues/12",
        ),
      )
      .action(
        async (
          id: string | undefined,
          action: string | undefined,
          url: string | undefined,
          options,
          command: Command,
        ) => {
          const { runFix } = await import("./commands/fix.ts");
          done(await runFix(ctx(command), id, action, url, options));
        },
      ),
  );

  later(program.command("explain"), (command) =>
    command
      .description("why these people are on an occurrence, and why others are not")
      .argument("<occurrence>", "the occurrence id, <date>/<shift>")
      .option("--json", "print the explanation as JSON")
      .addHelpText("after", examples("rota explain 2026-12-03/emea"))
      .action(async (occurrence: string, options, command: Command) => {
        const { runExplain } = await import("./commands/explain.ts");
        done(await runExplain(ctx(command), occurrence, options));
      }),
  );

  later(program.command("calendar"), (command) =>
    command
      .description(
        "write iCalendar feeds from schedule.yaml: team.ics and people/<id>.ics (and invites)",
      )
      .option("--out <dir>", "where to write the feeds (default: calendars/ beside the roster)")
      .option(
        "--invites [dir]",
        "also write an invite per changed shift and person (default dir: invites/ beside the roster)",
      )
      .option(
        "--since <rev>",
        "invites cover changes since this git revision (default: the last commit that changed schedule.yaml)",
      )
      .option("--send", "with --invites: email each invite (the roster's email channel)")
      .option(
        "--state <file>",
        "with --send: what was sent already (default: .rota/notify-state.json)",
      )
      .option("--json", "print what was written as JSON")
      .addHelpText(
        "after",
        examples(
          "rota calendar                     # calendars/team.ics and calendars/people/<id>.ics",
          "rota calendar --out public        # for a static site (GitHub or GitLab Pages)",
          "rota calendar --invites           # plus invites/<id>/*.ics for what the last change did",
          "rota calendar --invites --since origin/main --json",
        ),
      )
      .action(async (options, command: Command) => {
        const { runCalendar } = await import("./commands/calendar.ts");
        done(await runCalendar(ctx(command), options));
      }),
  );

  later(program.command("notify"), (command) =>
    command
      .description(
        "tell people on chat and email: who is on today, whose shifts changed, reminders, a digest of the notes",
      )
      .argument("<what>", "today, changes, remind or digest")
      .option(
        "--since <rev-or-date>",
        "changes: since this git revision (default: the last commit that changed schedule.yaml); digest: since this date (default: a week ago)",
      )
      .option("--before <leads>", "remind: how long before a shift, e.g. 7d,1d or 2h (default 1d)")
      .option(
        "--at <HH:MM>",
        "today: not before this time of day in the roster's time zone (default 00:00), so an hourly cron posts in the morning",
      )
      .option("--channel <id>", "only this channel of the roster's notify.channels")
      .option(
        "--tickets <file>",
        "digest: a help-desk export whose figures the digest adds (repeatable; see docs/tickets.md)",
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      )
      .option("--tickets-format <name>", "digest: the format of the --tickets exports")
      .option("--dry-run", "send nothing; print what would be sent")
      .option("--json", 'with --dry-run: print [{"channel", "event", "to", "text"}]')
      .option(
        "--state <file>",
        "what was sent already, so nothing goes twice (default: .rota/notify-state.json beside the roster)",
      )
      .addHelpText(
        "after",
        examples(
          "rota notify today --at 08:00      # in CI every hour: who is on, with the handoff, once a day",
          "rota notify changes               # in CI on merge: each person whose shifts moved",
          "rota notify remind --before 7d,1d # in CI every hour: who is on soon",
          "rota notify digest --since 2026-11-01",
          "rota notify today --dry-run --json",
        ),
      )
      .action(async (what: string, options, command: Command) => {
        const { runNotify } = await import("./commands/notify.ts");
        done(await runNotify(ctx(command), what, options));
      }),
  );

  later(program.command("notes"), (command) =>
    command
      .description("write your field notes for a shift you worked, and commit them")
      .option(
        "--as <person>",
        "write as this person (an id or email; default: git config user.email)",
      )
      .option(
        "--shift <occurrence>",
        "this occurrence, <date>/<shift> (default: your latest that started)",
      )
      .option("--answers <file>", "answers from a YAML file, id: answer (- reads standard input)")
      .option(
        "--answer <id=value>",
        "one answer, e.g. --answer fix='the login page' (repeatable)",
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      )
      .option(
        "--force",
        "write notes for a shift you are not on in the schedule (better: record the cover with `rota swap --cover`)",
      )
      .option("--push", "push after committing (fetching and rebasing when the remote moved on)")
      .option("--no-commit", "only write the note; do not commit it")
      .addHelpText(
        "after",
        examples(
          "rota notes                                   in a terminal: answer the questions (without one: exits 2)",
          "rota notes --shift 2026-11-23/emea --answers answers.yaml --push",
          "rota notes --as ada --answer struggles='SSO setup' --answer fix='SAML docs' --answer mood=4",
          "rota notes --answers answers.yaml --no-commit",
          "rota notes < answers.yaml                    answers as YAML on standard input",
        ) +
          '\nIn a terminal, long answers are typed at the prompt over several lines: a line\nholding only "." ends the answer, and ":e" on a line of its own opens your\neditor instead. With $VISUAL or $EDITOR set, long answers open in that editor;\nan editor that cannot start or fails leaves the answer to be typed.\n',
      )
      .action(async (options, command: Command) => {
        const { runNotes } = await import("./commands/notes.ts");
        done(await runNotes(ctx(command), options));
      }),
  );

  later(program.command("log"), (command) =>
    command
      .description("the audit trail from git: roster changes, swaps, schedule changes and notes")
      .option("--person <id>", "only what concerns this person")
      .option("--since <date>", "only commits since this date or time")
      .option("--json", "print the events as a JSON array")
      .addHelpText(
        "after",
        examples("rota log", "rota log --person ada --since 2026-11-01", "rota log --json"),
      )
      .action(async (options, command: Command) => {
        const { runLog } = await import("./commands/log.ts");
        done(await runLog(ctx(command), options));
      }),
  );

  later(program.command("report"), (command) =>
    command
      .description(
        "the balcony view: who served, who is overdue, whether it is fair, missing notes and themes",
      )
      .option("--since <date>", "the window's first day (default: the schedule's first day)")
      .option("--until <date>", "the window's last day, inclusive (default: today)")
      .option(
        "--format <format>",
        "terminal, md (or markdown; REPORT.md), json or html (default: from --out's extension, else terminal)",
      )
      .option("--json", "the same as --format json")
      .option("--out <file>", "write the report to this file (atomically) instead of printing it")
      .option(
        "--tickets <file>",
        "a help-desk export (Zendesk, Help Scout, Freshdesk, Intercom, Front or agent,timestamp CSV) to join to the shifts served (repeatable; see docs/tickets.md)",
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      )
      .option(
        "--tickets-format <name>",
        "zendesk, helpscout, freshdesk, intercom, front or generic (default: told from each file's columns or keys)",
      )
      .option(
        "--period <week|month>",
        "the digest `rota notify digest` sends, for the week or month up to --until (default today), instead of the whole report: md or html to commit or post",
      )
      .addHelpText(
        "after",
        examples(
          "rota report",
          "rota report --tickets zendesk.csv --tickets intercom.json --json",
          "rota report --period month --out digest.html   # the month's digest as a page",
          "rota report --since 2026-07-01 --until 2026-09-30",
          "rota report --out REPORT.md           # markdown to commit",
          "rota report --json | jq '.people[] | select(.overdue) | .id'",
          "rota report --format html --out report.html",
        ),
      )
      .action(async (options, command: Command) => {
        const { runReport } = await import("./commands/report.ts");
        done(await runReport(ctx(command), options));
      }),
  );

  later(program.command("site"), (command) =>
    command
      .description(
        "write a static site: the rota, a page per person with their calendar, the report and the notes",
      )
      .option("--out <dir>", "where to write it (default: public/ beside the roster)")
      .addHelpText(
        "after",
        examples(
          "rota site                         # public/index.html, people/, report.html, notes/",
          "rota site --out _site             # in CI, for GitHub Pages",
        ),
      )
      .action(async (options, command: Command) => {
        const { runSite } = await import("./commands/site.ts");
        done(await runSite(ctx(command), options));
      }),
  );

  later(program.command("schema"), (command) =>
    command
      .description("print the roster's JSON Schema (editors validate and complete roster.yaml)")
      .addHelpText("after", examples("rota schema > roster.schema.json"))
      .action(async (_options, command: Command) => {
        const { runSchema } = await import("./commands/schema.ts");
        done(await runSchema(ctx(command)));
      }),
  );

  later(program.command("help"), (command) =>
    command
      .description("display help for command")
      .argument("[command]", "the command to show help for")
      .action(async (name: string | undefined) => {
        if (name === undefined) return program.help();
        const target = program.commands.find((each) => each.name() === name);
        if (target) return target.help();
        // What `rota <name>` says: "unknown command", with a suggestion, exit 2.
        await buildProgram(io, setExitCode).parseAsync([name], { from: "user" });
      }),
  );

  return program;
}

/**
 * Runs the program on `argv` and returns the exit code; errors other than
 * Commander's own (which it has printed already) are for the caller.
 */
export async function runProgram(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Commander has printed its message already: 0 for help and the version.
    return ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code)
      ? 0
      : 2;
  }
  return exitCode;
}
