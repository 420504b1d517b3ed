import { realpath } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import type { Context } from "../context.ts";
import { toDay } from "../core/dates.ts";
import {
  coerceAnswer,
  missingRequired,
  type ProvidedAnswer,
  parseAnswersFile,
  resolveAnswers,
  withDefaults,
} from "../core/notes/answers.ts";
import {
  appendToNote,
  type NoteMeta,
  notePath,
  parseNote,
  renderNewNote,
} from "../core/notes/note.ts";
import { findNotesShift } from "../core/notes/shift.ts";
import type { Answer, Question, Template } from "../core/notes/template.ts";
import { resolveShift } from "../core/plan/shifts.ts";
import { plural } from "../core/problems.ts";
import { formatDay, formatSpan } from "../core/render/rota.ts";
import type { Person, Roster } from "../core/roster/model.ts";
import type { ScheduleEntry } from "../core/schedule/schedule.ts";
import { closestMatch } from "../core/suggest.ts";
import { decodeText } from "../core/text.ts";
import { formatLocal, isoInZone } from "../core/time.ts";
import { CancelledError, FailedError, InputError, UsageError } from "../errors.ts";
import {
  commitBlocker,
  commitOnly,
  gitMessage,
  gitUserEmail,
  isIgnored,
  type PushTarget,
  pushTarget,
  pushWithRebase,
  workTreeRoot,
} from "../io/git.ts";
import { checkInside, loadNotesTemplate, MAX_NOTE_BYTES, readTextFile } from "../io/notes-file.ts";
import type { Prompts } from "../io/prompts.ts";
import { loadRoster } from "../io/roster-file.ts";
import { readScheduleFile } from "../io/schedule-file.ts";
import { readStream } from "../io/stdin.ts";
import { paint } from "../io/terminal.ts";
import { writeFileSafely } from "../io/write.ts";

export interface NotesOptions {
  as?: string;
  shift?: string;
  answers?: string;
  answer?: string[];
  force?: boolean;
  push?: boolean;
  /** False with --no-commit. */
  commit?: boolean;
}

/** How the command gets its prompts: the terminal's, unless a test passes its own. */
export type PromptsFactory = (ctx: Context) => Promise<Prompts>;

const terminalPromptsFactory: PromptsFactory = async (ctx) => {
  const { terminalPrompts } = await import("../io/prompts.ts");
  return terminalPrompts(ctx.io);
};

/** The person writing: `--as` (an id or an email), else `git config user.email`. */
async function findPerson(
  ctx: Context,
  roster: Roster,
  rosterFile: string,
  as: string | undefined,
): Promise<Person> {
  const ids = roster.people.map((p) => p.id);
  if (as !== undefined) {
    const lower = as.toLowerCase();
    const person =
      roster.people.find((p) => p.id === as) ??
      roster.people.find((p) => p.email?.toLowerCase() === lower);
    if (person) return person;
    const hint = closestMatch(as, ids);
    throw new UsageError(
      `--as: no person "${as}" in ${rosterFile}${hint ? `; did you mean "${hint}"?` : ""}`,
    );
  }
  const email = await gitUserEmail(path.dirname(ctx.rosterPath));
  if (!email) {
    throw new UsageError(
      "git config user.email is not set, so rota cannot tell who you are: pass --as <person id>",
    );
  }
  const person = roster.people.find((p) => p.email?.toLowerCase() === email.toLowerCase());
  if (!person) {
    throw new UsageError(
      `nobody in ${rosterFile} has the email ${email} (git config user.email): add it to your entry, or pass --as <person id>`,
    );
  }
  return person;
}

/** `--answer id=value`, repeated; a tags question may be given several times. */
function parseAnswerFlags(
  values: readonly string[],
  template: Template,
): Map<string, ProvidedAnswer> {
  const given = new Map<string, string[]>();
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq <= 0) {
      throw new UsageError(
        `--answer ${JSON.stringify(value)}: use --answer ID=VALUE, e.g. --answer fix="the login page"`,
      );
    }
    const id = value.slice(0, eq).trim();
    given.set(id, [...(given.get(id) ?? []), value.slice(eq + 1)]);
  }
  const types = new Map(template.questions.map((q) => [q.id, q.type]));
  const provided = new Map<string, ProvidedAnswer>();
  for (const [id, list] of given) {
    if (list.length > 1 && types.get(id) !== "tags") {
      throw new UsageError(`--answer ${id} is given ${list.length} times; give each answer once`);
    }
    provided.set(id, {
      value: list.length > 1 ? list.join(",") : list[0],
      source: `--answer ${id}`,
    });
  }
  return provided;
}

/** Answers from `--answers FILE` (or `-`), or from YAML piped to stdin. */
async function readAnswerSources(
  ctx: Context,
  options: NotesOptions,
): Promise<Map<string, ProvidedAnswer>> {
  let text: string | undefined;
  let shown: string;
  if (options.answers !== undefined && options.answers !== "-") {
    const file = path.resolve(ctx.cwd, options.answers);
    shown = ctx.display(file);
    text = await readTextFile(file, shown);
    if (text === undefined) throw new UsageError(`--answers: ${shown} does not exist`);
  } else {
    // Standard input is read when asked for (`--answers -`), or when it is
    // not a terminal and no answers were passed as flags: never otherwise,
    // so that rota cannot wait for input that will not come.
    const asked = options.answers === "-";
    const piped = !ctx.io.stdin.isTTY && options.answer === undefined;
    if (!asked && !piped) return new Map();
    shown = "stdin";
    const decoded = decodeText(await readStream(ctx.io.stdin, MAX_NOTE_BYTES, "standard input"));
    if (!decoded.ok) {
      const { line, col, message } = decoded;
      throw new InputError([{ file: shown, line, col, severity: "error", message }]);
    }
    text = decoded.text;
  }
  const read = parseAnswersFile(text, shown);
  if (!read.ok) throw new InputError(read.problems);
  return read.answers;
}

/** Asks one question in the terminal; the answer is checked as it is typed. */
async function ask(
  prompts: Prompts,
  question: Question,
  previous: Answer | undefined,
): Promise<Answer | undefined> {
  const validate = (value: unknown): true | string => {
    const coerced = coerceAnswer(question, value);
    if (!coerced.ok) return coerced.message;
    if (question.required && coerced.value === undefined) return "an answer is required";
    return true;
  };
  const message = question.required ? question.prompt : `${question.prompt} (optional)`;
  const fallback = question.default ?? previous;
  const textDefault =
    fallback === undefined
      ? undefined
      : Array.isArray(fallback)
        ? fallback.join(", ")
        : String(fallback);
  const coerce = (value: unknown) => {
    const coerced = coerceAnswer(question, value);
    return coerced.ok ? coerced.value : undefined;
  };
  const skip = { name: "(skip)", value: null };
  switch (question.type) {
    case "text":
    case "tags":
      return coerce(await prompts.input({ message, default: textDefault, validate }));
    case "long":
      return coerce(await prompts.editor({ message, default: textDefault, validate }));
    case "number":
      return coerce(
        await prompts.number({
          message,
          default: typeof fallback === "number" ? fallback : undefined,
          min: question.min,
          max: question.max,
          validate,
        }),
      );
    case "rating": {
      const choices = [1, 2, 3, 4, 5].map((n) => ({ name: String(n), value: n as number | null }));
      const chosen = await prompts.select<number | null>({
        message,
        choices: question.required ? choices : [...choices, skip],
        default: typeof fallback === "number" ? fallback : question.required ? undefined : null,
      });
      return chosen ?? undefined;
    }
    case "yesno":
      return prompts.confirm({
        message,
        default: typeof fallback === "boolean" ? fallback : undefined,
      });
    case "choice": {
      const choices = (question.choices ?? []).map((c) => ({ name: c, value: c as string | null }));
      const chosen = await prompts.select<string | null>({
        message,
        choices: question.required ? choices : [...choices, skip],
        default: typeof fallback === "string" ? fallback : question.required ? undefined : null,
      });
      return chosen ?? undefined;
    }
  }
}

/** Answers as an `--answers` file, to print when a note could not be written. */
function answersYaml(answers: Readonly<Record<string, Answer>>): string {
  return stringify(answers, { lineWidth: 0 });
}

function describeShift(roster: Roster, entry: ScheduleEntry): { name: string; when: string } {
  const shift = roster.shifts.find((s) => s.id === entry.shift);
  const resolved = shift ? resolveShift(shift, roster.timezone) : undefined;
  return {
    name: resolved?.name ?? entry.shift,
    when: `${formatDay(toDay(entry.date))} ${formatSpan(entry, resolved)}`,
  };
}

/**
 * `rota notes`: writes one person's field notes for one shift occurrence
 * into `notes/YYYY/MM/<date>-<shift>-<person>.md` and commits that file alone.
 * Everything that could stop it (template, existing note, repository state)
 * is checked before a question is asked; once there are answers, no failure
 * loses them: the note stays on disk, or the answers are printed to reuse.
 */
export async function runNotes(
  ctx: Context,
  options: NotesOptions,
  promptsFactory: PromptsFactory = terminalPromptsFactory,
): Promise<number> {
  const commit = options.commit !== false;
  if (options.push && !commit) throw new UsageError("--push and --no-commit cannot go together");
  const loaded = await loadRoster(ctx);
  const { roster, now } = loaded;
  const person = await findPerson(ctx, roster, loaded.file, options.as);

  const scheduleFile = await readScheduleFile(ctx);
  if (!scheduleFile.schedule) throw new InputError(scheduleFile.problems);
  if (!scheduleFile.exists) {
    throw new UsageError(
      `${scheduleFile.file} does not exist: run \`rota plan\` and commit it first`,
    );
  }
  const found = findNotesShift(scheduleFile.schedule.entries, person.id, now, options.shift);
  if (!found.ok) throw new UsageError(found.message);
  const { entry } = found;
  if (!found.onIt && !options.force) {
    const on = entry.people.length > 0 ? entry.people.join(", ") : "nobody";
    throw new UsageError(
      `${person.id} is not on ${entry.id} in ${scheduleFile.file} (on it: ${on}): pass --force to write notes for a shift you covered`,
    );
  }
  const { template, file: templateFile } = await loadNotesTemplate(ctx, roster, loaded.file);

  // Where the note goes, and the repository it must stay inside.
  const rosterDir = await realpath(path.dirname(ctx.rosterPath));
  const root = await workTreeRoot(rosterDir, { needGit: commit });
  if (commit && !root) {
    throw new UsageError(
      `${ctx.display(rosterDir)} is not inside a git repository, so the note cannot be committed: run \`git init\` there, or pass --no-commit to only write the note`,
    );
  }
  const absolute = path.join(rosterDir, notePath(entry.date, entry.shift, person.id));
  const shown = ctx.display(absolute);
  await checkInside(root ?? rosterDir, absolute, shown);

  const existing = await readTextFile(absolute, shown);
  if (existing !== undefined) {
    const parsed = parseNote(existing, shown);
    if (!parsed.ok) {
      throw new InputError(
        parsed.problems,
        `${shown} exists but cannot be read, so nothing was added to it: fix its front matter`,
      );
    }
  }

  let target: PushTarget | undefined;
  const relative = root ? path.relative(root, absolute) : absolute;
  if (commit && root) {
    const blocker = await commitBlocker(root);
    if (blocker) throw new FailedError(blocker);
    if (await isIgnored(root, relative)) {
      throw new FailedError(
        `${shown} is ignored by .gitignore, so it cannot be committed: stop ignoring notes/, or pass --no-commit`,
      );
    }
    if (options.push) {
      const pushTo = await pushTarget(root);
      if (typeof pushTo === "string") throw new FailedError(pushTo);
      target = pushTo;
    }
  }

  // Answers: flags and files first, then the terminal for the rest.
  const provided = await readAnswerSources(ctx, options);
  for (const [id, answer] of parseAnswerFlags(options.answer ?? [], template)) {
    provided.set(id, answer);
  }
  const resolved = resolveAnswers(template, provided);
  if (resolved.problems.length > 0) {
    throw new UsageError(`the answers have problems:\n  ${resolved.problems.join("\n  ")}`);
  }
  const shift = describeShift(roster, entry);
  const c = paint(ctx.color.stderr);
  ctx.err(
    `${c.bold(`Notes for ${shift.name}, ${shift.when}`)} (${entry.id}) by ${person.name}${found.onIt ? "" : c.yellow(" (covering)")}\n`,
  );
  if (existing !== undefined) ctx.err(`${shown} exists: this adds a new entry to it\n`);

  const interactive = ctx.io.stdin.isTTY === true && ctx.io.stdout.isTTY === true;
  let answers: Record<string, Answer>;
  if (interactive) {
    const prompts = await promptsFactory(ctx);
    answers = { ...resolved.answers };
    const previous = existing === undefined ? undefined : parseNote(existing);
    const summary = previous?.ok ? previous.note.frontMatter.numbers : {};
    for (const question of template.questions) {
      if (answers[question.id] !== undefined) continue;
      const value = await ask(prompts, question, summary[question.id]);
      if (value !== undefined) answers[question.id] = value;
    }
  } else {
    answers = withDefaults(template, resolved.answers);
    const missing = missingRequired(template, answers);
    if (missing.length > 0) {
      const first = missing[0] as Question;
      throw new UsageError(
        `no answer to ${plural(missing.length, "required question")}: ${missing.map((q) => `${q.id} ("${q.prompt}")`).join(", ")}. ` +
          `Pass --answer ${first.id}=… for each (or --answers FILE.yaml, or YAML on standard input), or run rota notes in a terminal to be asked`,
      );
    }
  }

  // From here on there are answers: no failure may lose them.
  const keep = (error: unknown): never => {
    if (interactive && !(error instanceof CancelledError) && Object.keys(answers).length > 0) {
      ctx.err(
        `Your answers, to pass back with --answers FILE.yaml (add --shift ${entry.id} --as ${person.id}):\n${answersYaml(answers)}`,
      );
    }
    throw error;
  };
  const meta: NoteMeta = {
    occurrence: entry.id,
    date: entry.date,
    shift: entry.shift,
    shiftName: shift.name,
    person: person.id,
    personName: person.name,
    ...(person.team ? { team: person.team } : {}),
    written: isoInZone(now, roster.timezone),
    writtenText: formatLocal(now, roster.timezone, "yyyy-LL-dd HH:mm ZZZZ"),
  };
  let text: string;
  let added: boolean;
  try {
    // Read again: another entry may have been added while the questions were asked.
    const current = await readTextFile(absolute, shown);
    added = current !== undefined;
    if (current === undefined) {
      text = renderNewNote(template, meta, answers);
    } else {
      const appended = appendToNote(current, shown, template, meta, answers);
      if (!appended.ok) throw new InputError(appended.problems);
      text = appended.text;
    }
    await writeFileSafely(absolute, text);
  } catch (error) {
    return keep(error);
  }
  ctx.out(`${shown}\n`);
  ctx.err(
    `${c.green(added ? "added an entry to" : "wrote")} ${shown} (template: ${templateFile})\n`,
  );
  if (!commit || !root) {
    ctx.err("not committed (--no-commit)\n");
    return 0;
  }

  const written = parseNote(text);
  const entries = written.ok ? written.note.entries.length : 1;
  const subject = `notes(${entry.id}): ${person.id}`;
  const body = `${entries > 1 ? `Entry ${entries} of the field notes` : "Field notes"} by ${person.name} on ${shift.name}, ${entry.date}.`;
  const trailers = `Rota-Occurrence: ${entry.id}\nRota-Person: ${person.id}`;
  let hash: string;
  try {
    hash = await commitOnly(root, relative, [subject, body, trailers]);
  } catch (error) {
    throw new FailedError(
      `the note is written, but the commit failed: ${gitMessage(error)}\n` +
        `The note is safe in ${shown}. To commit it by hand:\n` +
        `  git add -- ${shown} && git commit -m "${subject}" -- ${shown}`,
    );
  }
  ctx.err(`${c.green("committed")} ${hash.slice(0, 7)} ${subject}\n`);
  if (!target) return 0;

  const pushed = await pushWithRebase(root, target);
  if (!pushed.ok) {
    throw new FailedError(
      `the note is committed (${hash.slice(0, 7)}), but the push failed: ${pushed.message}\n` +
        "Nothing is lost: the commit is on your branch. To push it by hand: git pull --rebase && git push",
    );
  }
  ctx.err(
    `${c.green("pushed")} to ${target.remote}${pushed.rebased ? ` (after rebasing onto changes pushed meanwhile; ${plural(pushed.attempts, "attempt")})` : ""}\n`,
  );
  return 0;
}
