import { realpath, unlink } from "node:fs/promises";
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
import { normalizeNewlines, splitFrontMatter } from "../core/notes/format.ts";
import {
  addedEntries,
  appendToNote,
  entryHolds,
  lostText,
  type NoteEntry,
  type NoteMeta,
  noteHasConflicts,
  notePath,
  ownerProblem,
  parseNote,
  renderNewNote,
} from "../core/notes/note.ts";
import { findNotesShift } from "../core/notes/shift.ts";
import type { Answer, Question, Template } from "../core/notes/template.ts";
import { resolveShift } from "../core/plan/shifts.ts";
import { formatProblem, type Problem, plural } from "../core/problems.ts";
import { formatDay, formatSpan } from "../core/render/rota.ts";
import type { Person, Roster } from "../core/roster/model.ts";
import { type ScheduleEntry, servedBy } from "../core/schedule/schedule.ts";
import { closestMatch } from "../core/suggest.ts";
import { decodeText, shellWord } from "../core/text.ts";
import { formatLocal, isoInZone } from "../core/time.ts";
import {
  CancelledError,
  FailedError,
  InputError,
  InterruptedError,
  RotaError,
  UsageError,
} from "../errors.ts";
import { formatBytes } from "../io/files.ts";
import {
  commitBlocker,
  commitOnly,
  gitDirOf,
  gitMessage,
  isIgnored,
  isUncommitted,
  type LeftInStash,
  NothingToCommitError,
  type PushTarget,
  pushTarget,
  pushWithRebase,
  readPathAtCommit,
  type StuckRebase,
  workTreeRoot,
} from "../io/git.ts";
import { gitUserEmail } from "../io/git-email.ts";
import type { LockRequest } from "../io/lock.ts";
import {
  checkInside,
  checkNotDeleted,
  checkWritable,
  loadNotesTemplate,
  MAX_NOTE_BYTES,
  readMarkedTextFile,
  readTextFile,
} from "../io/notes-file.ts";
import type { Prompts } from "../io/prompts.ts";
import { loadRoster } from "../io/roster-file.ts";
import { readScheduleFile, schedulePath } from "../io/schedule-file.ts";
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
    // Node reads the command line as UTF-8 and puts U+FFFD where bytes are
    // not: the answer as given is gone, so it is refused, as a file or
    // standard input that is not UTF-8 is, rather than kept with marks in it.
    if (value.includes("\uFFFD")) {
      throw new UsageError(
        `--answer ${id}: the value is not UTF-8 text (U+FFFD stands where its bytes were not); give it in UTF-8, or in a file with --answers FILE.yaml`,
      );
    }
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

/**
 * How many times the note is read, each change since the last read committed
 * on its own, before rota gives up on a note that keeps changing under it.
 */
const MAX_NOTE_READS = 5;

/** How long standard input may stay open, unended, before rota says it is reading it. */
const STDIN_NOTICE_MS = 2000;

/** Answers given as a file or on standard input, as text, with where they came from. */
interface AnswerSource {
  text: string;
  shown: string;
  stdin: boolean;
  /** Standard input that is not UTF-8 text: the bytes as they came, to keep, and why they are refused. */
  refused?: { bytes: Uint8Array; problem: Problem };
}

async function readAnswerSource(
  ctx: Context,
  options: NotesOptions,
): Promise<AnswerSource | undefined> {
  if (options.answers !== undefined && options.answers !== "-") {
    const file = path.resolve(ctx.cwd, options.answers);
    const shown = ctx.display(file);
    const text = await readTextFile(file, shown, "answers files");
    if (text === undefined) throw new UsageError(`--answers: ${shown} does not exist`);
    return { text, shown, stdin: false };
  }
  // Standard input is read when asked for (`--answers -`), or when it is
  // not a terminal and no answers were passed as flags: never otherwise,
  // so that rota cannot wait for input that will not come.
  const asked = options.answers === "-";
  const piped = !ctx.io.stdin.isTTY && options.answer === undefined;
  if (!asked && !piped) return undefined;
  const shown = "stdin";
  // A pipe nobody closes (ssh, an editor's task runner) would leave rota
  // waiting without a word: after a moment, it says what it waits for.
  const notice = setTimeout(() => {
    ctx.err(
      "rota notes: reading the answers as YAML from standard input, which is not a terminal; end it (Ctrl-D), or give the answers with --answer ID=TEXT\n",
    );
  }, STDIN_NOTICE_MS);
  notice.unref();
  const bytes = await readStream(ctx.io.stdin, MAX_NOTE_BYTES, "standard input").finally(() =>
    clearTimeout(notice),
  );
  const decoded = decodeText(bytes, "stdin");
  if (!decoded.ok) {
    // Refused with the answers' other problems, so that they are kept like theirs.
    const { line, col, message } = decoded;
    const problem: Problem = { file: shown, line, col, severity: "error", message };
    return { text: "", shown, stdin: true, refused: { bytes, problem } };
  }
  return { text: decoded.text, shown, stdin: true };
}

function parseAnswerSource(source: AnswerSource | undefined): Map<string, ProvidedAnswer> {
  if (!source) return new Map();
  if (source.refused) throw new InputError([source.refused.problem]);
  const read = parseAnswersFile(source.text, source.shown);
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
      return coerce(await prompts.long({ message, default: textDefault, validate }));
    case "number":
      return coerce(
        await prompts.number({
          message,
          default: typeof fallback === "number" ? fallback : undefined,
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
    case "yesno": {
      // A list, as rating and choice are: a typed "maybe" would otherwise be taken for the default.
      const choices = [
        { name: "yes", value: true as boolean | null },
        { name: "no", value: false as boolean | null },
      ];
      const chosen = await prompts.select<boolean | null>({
        message,
        choices: question.required ? choices : [...choices, skip],
        default: typeof fallback === "boolean" ? fallback : question.required ? undefined : null,
      });
      return chosen ?? undefined;
    }
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
 * is checked before a question is asked, including that the note can be
 * written; once there are answers, no failure loses them: they are saved in
 * `.rota/recovered/` with the command that finishes the note.
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
    const served = servedBy(entry);
    const on = served.length > 0 ? served.join(", ") : "nobody";
    throw new UsageError(
      `${person.id} is not on ${entry.id} in ${scheduleFile.file} (on it: ${on}): if you covered for someone, record it with \`rota swap --cover ${entry.id} <absent> ${person.id}\` (or pass --force to write the notes anyway)`,
    );
  }
  const { template, file: templateFile } = await loadNotesTemplate(ctx, roster, loaded);

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
  await checkWritable(absolute, shown);

  const existing = await readTextFile(absolute, shown);
  if (existing !== undefined) {
    const parsed = parseNote(existing, shown);
    if (!parsed.ok) {
      throw new InputError(
        parsed.problems,
        `${shown} exists but cannot be read, so nothing was added to it: ${noteHasConflicts(existing) ? "resolve the merge conflict in it" : "fix its front matter"}`,
      );
    }
    // Someone else's note (edited or moved by hand) is refused before any question.
    const line = splitFrontMatter(normalizeNewlines(existing))?.yamlLine ?? 1;
    const notOurs = ownerProblem(parsed.note.frontMatter, shown, line, {
      occurrence: entry.id,
      person: person.id,
    });
    if (notOurs) {
      throw new InputError(
        [notOurs],
        `${shown} is not this shift's and person's note, so nothing was added to it`,
      );
    }
  }

  let target: PushTarget | undefined;
  const relative = root ? path.relative(root, absolute) : absolute;
  if (existing === undefined && root) await checkNotDeleted(root, relative, shown);
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
  const source = await readAnswerSource(ctx, options);
  const finish = finishCommand(ctx, entry.id, person.id, options, found.onIt, commit);
  // Answers piped in are kept as they came; the flags given beside them are
  // part of the command that finishes from them.
  const flags = (options.answer ?? []).map((a) => ` --answer ${shellWord(a)}`).join("");
  const pipedAt = { ctx, rosterDir, entry, person };
  // How many answers came on standard input: none (an empty pipe) is nothing to keep.
  let piped = 0;
  let resolved: ReturnType<typeof resolveAnswers>;
  try {
    const provided = parseAnswerSource(source);
    if (source?.stdin) piped = provided.size;
    for (const [id, answer] of parseAnswerFlags(options.answer ?? [], template)) {
      provided.set(id, answer);
    }
    resolved = resolveAnswers(template, provided);
    if (resolved.problems.length > 0) {
      throw new UsageError(`the answers have problems:\n  ${resolved.problems.join("\n  ")}`);
    }
  } catch (error) {
    // Answers piped in are gone once read: refused, they are saved to be
    // corrected and passed back, like those of a note that failed later.
    if (source?.stdin && error instanceof RotaError) {
      const reason =
        error.message ||
        (error instanceof InputError && error.problems[0] ? formatProblem(error.problems[0]) : "");
      const advice = await keepPiped(pipedAt, source.refused?.bytes ?? source.text, {
        why: `they were refused: ${reason}`,
        todo: "correct them there, then run",
        finish: (file) => `${finish} --answers ${file}${flags}`,
      });
      error.message = error.message ? `${error.message}\n${advice}` : advice;
    }
    throw error;
  }
  const shift = describeShift(roster, entry);
  const c = paint(ctx.color.stderr);
  ctx.err(
    `${c.bold(`Notes for ${shift.name}, ${shift.when}`)} (${entry.id}) by ${person.name}${found.onIt ? "" : c.yellow(" (not on it in the schedule)")}\n`,
  );
  if (existing !== undefined) ctx.err(`${shown} exists: this adds a new entry to it\n`);

  // From here on there are answers: whatever fails, they are kept.
  const interactive = ctx.io.stdin.isTTY === true && ctx.io.stdout.isTTY === true;
  let answers: Record<string, Answer> = { ...resolved.answers };
  let stage: "asking" | "writing" | "committing" | "pushing" = "asking";
  let hash = "";
  // A Ctrl-C or SIGTERM that came while git committed (and did not stop it).
  let stopped = false;
  const subject = `notes(${entry.id}): ${person.id}`;
  // The git commands that take the commit back and pull, when pushing needs them.
  let rewrite: string | undefined;
  // The git commands that push the committed note by hand, when they are not the usual ones.
  let pushFinish: string | undefined;
  // Set when the entry was written and then taken out of the note again before it was committed.
  let lost = false;
  const keep = async (error: unknown): Promise<never> => {
    // Ctrl-C means "stop": nothing is written, nothing kept.
    if (error instanceof CancelledError || Object.keys(answers).length === 0) throw error;
    // A push whose rebase stopped on this note: someone pushed an entry to
    // it meanwhile, so the note is written again from the answers on top.
    const redo = stage === "pushing" && rewrite !== undefined;
    const what =
      stage === "asking" || stage === "writing"
        ? "written"
        : stage === "committing"
          ? "committed"
          : "pushed";
    const unwritten = what === "written" || redo || lost;
    const first = error instanceof InputError ? error.problems[0] : undefined;
    const message = error instanceof Error ? error.message : String(error);
    const reason = (message || (first ? formatProblem(first) : "")).split("\n")[0];
    const finish = `${redo ? rewrite : ""}${finishCommand(ctx, entry.id, person.id, options, found.onIt, commit)}`;
    // In the template's order, as the questions were asked.
    const ordered = Object.fromEntries(
      template.questions.flatMap((q) => (q.id in answers ? [[q.id, answers[q.id]]] : [])),
    ) as Record<string, Answer>;
    // Once the note is written, finishing is git's work: the answers again
    // would add the entry a second time.
    const saved = await keepAnswers(rosterDir, entry, person, ordered, {
      reason: `the note could not be ${what}: ${reason}`,
      finish: unwritten
        ? `${finish} --answers <this file>`
        : stage === "committing"
          ? `git add -- ${shellWord(shown)} && git commit -m "${subject}" -- ${shellWord(shown)} (the note is written; running rota notes with this file would add the entry again)`
          : `${pushFinish ?? (target ? pushByHand(target) : "git push")} (the note is committed; running rota notes with this file would add the entry again)`,
    });
    const where = saved === undefined ? undefined : ctx.display(saved);
    const advice =
      saved === undefined
        ? `Your answers could not be saved anywhere, so here they are, to pass back with --answers FILE.yaml (add --shift ${entry.id} --as ${person.id}):\n${answersYaml(ordered)}`
        : unwritten
          ? `Your answers are saved in ${where}. To finish, run:\n  ${finish} --answers ${answersArgument(ctx, saved)}`
          : `A copy of your answers is in ${where}.`;
    if (error instanceof RotaError) {
      error.message = error.message ? `${error.message}\n${advice}` : advice;
      throw error;
    }
    ctx.err(`${advice}\n`);
    throw error;
  };

  try {
    if (interactive) {
      const prompts = await promptsFactory(ctx);
      const unanswered = template.questions.filter((q) => answers[q.id] === undefined);
      const previous = existing === undefined ? undefined : parseNote(existing);
      const summary = previous?.ok ? previous.note.frontMatter.numbers : {};
      for (const question of unanswered) {
        const value = await ask(prompts, question, summary[question.id]);
        if (value !== undefined) answers = { ...answers, [question.id]: value };
      }
    } else {
      answers = withDefaults(template, answers);
      const missing = missingRequired(template, answers);
      if (missing.length > 0) {
        const first = missing[0] as Question;
        const which = `no answer to ${plural(missing.length, "required question")}: ${missing.map((q) => `${q.id} ("${q.prompt}")`).join(", ")}`;
        if (!source?.stdin || piped === 0) {
          throw new UsageError(
            `${which}. Pass --answer ${first.id}=… for each (or --answers FILE.yaml, or YAML on standard input), or run rota notes in a terminal to be asked`,
          );
        }
        // Standard input cannot be read again (and is not read at all beside
        // --answer flags without --answers -): the answers go to a file, which
        // the missing ones join.
        const add = missing.map((q) => ` --answer ${q.id}=…`).join("");
        const advice = await keepPiped(pipedAt, source.text, {
          why: `${plural(missing.length, "required question")} had no answer: ${missing.map((q) => q.id).join(", ")}`,
          todo: `to finish, run this with your ${missing.length === 1 ? "answer in place of …" : "answers in place of each …"}`,
          finish: (file) => `${finish} --answers ${file}${flags}${add}`,
        });
        throw new UsageError(`${which}\n${advice}`);
      }
    }
  } catch (error) {
    // Without a terminal nothing was asked: answers from flags and files are
    // still where they came from, and those piped in were kept above. In a
    // terminal, those typed so far are kept.
    if (interactive) return keep(error);
    throw error;
  }

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
  const { holdingSignals, signalsArrived } = await import("../io/signals.ts");
  const trailers = `Rota-Occurrence: ${entry.id}\nRota-Person: ${person.id}`;
  // A commit's body: what it adds (see entriesPhrase), whose, and of which shift.
  const describeNotes = (what: string) =>
    `${what} by ${person.name} on ${shift.name}, ${entry.date}.`;
  const earlierAt: EarlierAt = {
    ctx,
    relative,
    shown,
    subject,
    trailers,
    describeNotes,
    template,
    rosterDir,
    saved: `# Answers to \`rota notes\` for ${entry.id} by ${person.id}, kept because `,
    stem: path.basename(notePath(entry.date, entry.shift, person.id), ".md"),
  };
  // Set once the note's lock is held: a Ctrl-C before it wrote nothing.
  let locked = false;
  try {
    stage = "writing";
    // From here on Ctrl-C (or SIGTERM) does not kill rota where it stands: a
    // wait for another rota's lock ends at once, the note is written whole or
    // not at all, git is let finish, and the message says which of them happened.
    await holdingSignals(async (interrupted, stop) => {
      // The note's lock and the clone's are held from reading the note to
      // committing it, so each commit adds exactly this entry: another rota
      // notes for the same shift waits, then appends to this one's.
      await withNoteLocks(
        ctx,
        absolute,
        root,
        async (check) => {
          locked = true;
          // Read again: another entry may have been added while the questions were asked.
          let read = await readMarkedTextFile(absolute, shown);
          let text = "";
          for (let tries = 1; ; tries++) {
            const current = read?.text;
            if (current === undefined) {
              text = renderNewNote(template, meta, answers);
            } else {
              const appended = appendToNote(current, shown, template, meta, answers);
              if (!appended.ok) throw new InputError(appended.problems);
              text = read?.bom ? `\ufeff${appended.text}` : appended.text;
            }
            // Refused before it is written: a note rota could not read back
            // would stop every later rota notes, report and site at it.
            const size = Buffer.byteLength(text);
            if (size > MAX_NOTE_BYTES) {
              throw new UsageError(
                `${shown} would be ${formatBytes(size)} with this entry; rota reads notes up to ${formatBytes(MAX_NOTE_BYTES)}: shorten the answers, or the template's body (every entry copies it); nothing was written`,
              );
            }
            if (!commit || !root || current === undefined) break;
            // What an earlier run wrote and did not commit gets its own commit first.
            await commitEarlier(earlierAt, root, current, interrupted);
            // A commit's hooks may take long, and an editor does not wait for
            // rota's lock: the note changed meanwhile is read again (and those
            // changes committed on their own), or they would be written over.
            const again = await readMarkedTextFile(absolute, shown);
            if (again?.text === current && again.bom === read?.bom) break;
            if (tries === MAX_NOTE_READS) {
              throw new FailedError(
                `${shown} kept changing while rota added this entry (${tries} times), so nothing was written: run rota notes again once it is left alone`,
              );
            }
            read = again;
          }
          const added = read !== undefined;
          await check();
          await writeFileSafely(absolute, text, shown);
          ctx.out(`${shown}\n`);
          ctx.err(
            `${c.green(added ? "added an entry to" : "wrote")} ${shown} (template: ${templateFile})\n`,
          );
          // The saved answers it came from are in the note now, whatever the
          // commit does: kept, their "To finish" would add the entry again.
          await removeFinishedRecovery(ctx, rosterDir, options);
          if (!commit || !root) return;

          stage = "committing";
          const written = parseNote(text);
          const entries = written.ok ? written.note.entries.length : 1;
          const body = describeNotes(entriesPhrase(entries, entries));
          try {
            hash = await commitOnly(root, relative, [subject, body, trailers]);
          } catch (error) {
            await signalsArrived();
            const why = error instanceof RotaError ? error.message : gitMessage(error);
            // Stopped while git ran: it may have been cut short.
            const how = interrupted() ? "was interrupted" : `failed: ${why}`;
            const Failure = interrupted() ? InterruptedError : FailedError;
            // Said safe only when it is: something other than rota (a git
            // command) may have put the file back since it was written.
            if (!(await entryKept(absolute, shown, text))) {
              lost = true;
              throw new Failure(
                `the note was written, but the commit ${how}, and its entry is not in ${shown} any more: something changed the file after rota wrote it`,
              );
            }
            if (error instanceof NothingToCommitError) {
              throw new Failure(
                `the note is written, but rota did not commit it: the last commit has ${shown} as it is, entry included (another git command committed it meanwhile)`,
              );
            }
            throw new Failure(
              `the note is written, but the commit ${how}\n` +
                `The note is safe in ${shown}. To commit it by hand:\n` +
                `  git add -- ${shown} && git commit -m "${subject}" -- ${shown}`,
            );
          }
        },
        stop,
      );
      stopped = interrupted();
    });
  } catch (error) {
    if (error instanceof InterruptedError && stage === "writing" && !locked) {
      // Stopped while waiting for the note's lock: nothing was written.
      error.message = `${error.message}, so nothing was written`;
    }
    return keep(error);
  }
  const uncredited = found.onIt
    ? ""
    : notCreditedAdvice(
        ctx,
        entry,
        person.id,
        { roster: loaded.file, schedule: scheduleFile.file },
        c,
      );
  if (!commit || !root) {
    ctx.err(`not committed (--no-commit)\n${uncredited}`);
    if (stopped) throw new InterruptedError("interrupted after the note was written");
    return 0;
  }
  ctx.err(`${c.green("committed")} ${hash.slice(0, 7)} ${subject}\n${uncredited}`);
  if (stopped) {
    throw new InterruptedError(
      `interrupted after the commit${target ? `, so it is not pushed: to push it, ${pushByHand(target)}` : ""}`,
    );
  }
  if (!target) return 0;

  stage = "pushing";
  const to = target;
  // Ctrl-C (or SIGTERM) while pushing is held as while committing: the git
  // command running is let finish, nothing more starts, a rebase git did not
  // finish is aborted (its stashed changes put back), and rota says where it left the note.
  let pushStopped = false;
  const pushed = await holdingSignals(async (interrupted, stop) => {
    // The clone's lock, which every rota notes takes to write and commit a
    // note, is held from the first push to the last: a note written while
    // the rebase runs would be taken back by its abort, or stop it.
    const result = await pushWithRebase(root, to, {
      commit: hash,
      serialise: (work) => withRepositoryLock(ctx, root, work, stop),
      serialiseRebase: (work) => withWorkTreeLocks(ctx, work, stop),
      stopped: interrupted,
    });
    pushStopped = interrupted();
    return result;
  });
  // A rebase made the note's commit anew: the hash to keep is the one on the branch.
  const noteCommit = pushed.commit ?? hash;
  const pushedAs = noteCommit.slice(0, 7);
  if (!pushed.ok && pushed.interrupted && !pushed.stuck) {
    return keep(
      new InterruptedError(
        interruptedPushAdvice(ctx, root, target, { made: hash.slice(0, 7), now: pushedAs }, pushed),
      ),
    );
  }
  if (!pushed.ok && pushed.stuck) {
    pushFinish = `git rebase --abort && ${pushByHand(target)}`;
    const why = pushed.interrupted
      ? "rota was interrupted while git rebased it onto changes pushed meanwhile"
      : pushed.message;
    const Failure = pushed.interrupted ? InterruptedError : FailedError;
    return keep(new Failure(stuckAdvice(ctx, target, pushedAs, why, pushed.stuck)));
  }
  const note = relative.split(path.sep).join("/");
  // The local commit the rebase stopped on (git before 2.17 does not name it:
  // then it is the note's own when the note is what conflicts).
  const conflictIn =
    !pushed.ok && pushed.conflictIn
      ? pushed.conflictIn
      : !pushed.ok && pushed.conflicts?.includes(note)
        ? { commit: noteCommit, subject }
        : undefined;
  if (!pushed.ok && conflictIn?.commit === noteCommit) {
    // Named by hash, not as HEAD~1: more commits may follow it (another rota
    // notes in this clone), and those stay.
    rewrite = `git rebase --autostash --onto ${noteCommit}~1 ${noteCommit} && ${pullCommand(target)} && `;
    return keep(
      new FailedError(
        `the note is committed (${pushedAs}), but not pushed: another entry to it was pushed meanwhile, and git cannot rebase yours onto it\n` +
          (pushed.leftInStash ? `${stashAdvice(ctx, root, pushed.leftInStash)}\n` : "") +
          `Nothing is lost: take your commit ${pushedAs} back (any commits after it stay), pull, and add your entry again to the note as it is now.`,
      ),
    );
  }
  if (!pushed.ok && conflictIn && pushed.conflicts && pushed.conflicts.length > 0) {
    // Another local commit, not this run's, conflicts: pulling stops on it
    // too, so the advice is to resolve it there.
    const files = pushed.conflicts.map((file) => ctx.display(path.join(root, file)));
    const words = files.map(shellWord).join(" ");
    const resolve = `git add -- ${words} && git rebase --continue && git push`;
    pushFinish = `${pullCommand(target)}, resolve the conflicts in ${files.join(", ")}, then ${resolve}`;
    return keep(
      new FailedError(
        `the note is committed (${pushedAs}), but not pushed: an earlier commit on your branch, ${conflictIn.commit.slice(0, 7)} "${conflictIn.subject}", ` +
          `conflicts with changes pushed meanwhile in ${files.join(", ")}, so git cannot rebase your branch onto them\n` +
          (pushed.leftInStash ? `${stashAdvice(ctx, root, pushed.leftInStash)}\n` : "") +
          `Nothing is lost: both commits are on your branch. To push them, pull, which stops on that conflict: ${pullCommand(target)}\n` +
          `then resolve the conflicts in ${files.length === 1 ? "it" : "them"} (in a note: one front matter and the entries of both sides, without the <<<<<<<, ======= and >>>>>>> lines), and: ${resolve}`,
      ),
    );
  }
  if (!pushed.ok && pushed.inTheWay && pushed.inTheWay.length > 0) {
    const left = pushed.leftInStash;
    const files = pushed.inTheWay.map((file) => ctx.display(path.join(root, file)));
    const one = files.length === 1;
    const aside = files.map((file) => `mv -- ${shellWord(file)} ${shellWord(`${file}.mine`)}`);
    pushFinish = `${aside.join(" && ")} && ${pushByHand(target)}`;
    return keep(
      new FailedError(
        `the note is committed (${pushedAs}), but not pushed: ${files.join(", ")} ${one ? "is" : "are"} in the way: ` +
          `not committed in this clone, and added by changes pushed meanwhile, so git cannot rebase your branch onto them\n` +
          (left ? `${stashAdvice(ctx, root, left)}\n` : "") +
          `Nothing is lost: the commit is on your branch. To push it, move ${one ? "that file" : "those files"} aside first ` +
          `(\`git pull\` stops on ${one ? "it" : "them"} too)${left ? ", after that" : ""}:\n  ${pushFinish}\n` +
          `Then add what is yours in ${files.map((file) => `${file}.mine`).join(", ")} to the pulled ${one ? "file" : "files"} ` +
          `(in a note: your entries, each from its <!-- rota:entry … --> line, after the last entry there), commit, and remove the .mine ${one ? "file" : "files"}.`,
      ),
    );
  }
  if (!pushed.ok) {
    const left = pushed.leftInStash;
    return keep(
      new FailedError(
        `the note is committed (${pushedAs}), but the push failed: ${pushed.message}\n` +
          (left ? `${stashAdvice(ctx, root, left)}\n` : "") +
          `Nothing is lost: the commit is on your branch. To push it by hand${left ? ", after that" : ""}: ${pushByHand(target)}`,
      ),
    );
  }
  // Rebased by this run, or before it pushed by another push from this clone
  // (which took this commit along): either way the hash printed before is gone.
  const renamed = noteCommit !== hash ? `; the note's commit is now ${pushedAs}` : "";
  const how = pushed.rebased
    ? ` (after rebasing onto changes pushed meanwhile; ${plural(pushed.attempts, "attempt")})`
    : renamed
      ? " (rebased meanwhile by another push from this clone)"
      : "";
  ctx.err(`${c.green("pushed")} to ${target.remote}${how}${renamed}\n`);
  if (pushed.leftInStash) {
    throw new FailedError(`the note is pushed, but ${stashAdvice(ctx, root, pushed.leftInStash)}`);
  }
  if (pushStopped) throw new InterruptedError("interrupted after the note was pushed");
  return 0;
}

/** What commitEarlier needs to know of the note and of this run. */
interface EarlierAt {
  ctx: Context;
  /** The note, from the work tree's root. */
  relative: string;
  /** The note as messages name it. */
  shown: string;
  subject: string;
  trailers: string;
  /** A commit's body: `what` ("Field notes", "Entry 2 of the field notes"), whose, which shift. */
  describeNotes: (what: string) => string;
  template: Template;
  rosterDir: string;
  /** How the saved answers of this shift's and person's note begin (see keepAnswers). */
  saved: string;
  /** The saved answers' file name, without `-2` and `.yaml`. */
  stem: string;
}

/** `entry 2`, `entries 2 and 3`, `entries 2 to 4`. */
function entriesWord(from: number, to: number): string {
  if (from === to) return `entry ${to}`;
  return `entries ${from} ${to - from === 1 ? "and" : "to"} ${to}`;
}

/** What a commit of the note's entries `from` to `to` (1-based) adds: `Field notes`, `Entry 2 of the field notes`… */
function entriesPhrase(from: number, to: number): string {
  if (to === 1) return "Field notes";
  const word = entriesWord(from, to);
  return `${word.slice(0, 1).toUpperCase()}${word.slice(1)} of the field notes`;
}

/**
 * Commits what the note (`current`, as on disk) holds beyond its last commit,
 * in a commit of its own, before this run adds its entry: an entry an earlier
 * `rota notes` wrote and did not commit (a hook refused it, it was killed, or
 * --no-commit), or changes made to the note by hand. So each commit adds
 * exactly its own entry, and says so. The answers saved for an entry that is
 * committed now have done their work and are removed. When the commit cannot
 * be made, nothing of this entry is written, and the error says how to
 * commit the earlier one by hand.
 */
async function commitEarlier(
  at: EarlierAt,
  root: string,
  current: string,
  interrupted: () => boolean,
): Promise<void> {
  const { ctx, relative, shown, subject } = at;
  const note = relative.split(path.sep).join("/");
  let uncommitted = false;
  let before: Awaited<ReturnType<typeof readPathAtCommit>>;
  try {
    uncommitted = await isUncommitted(root, note);
    if (uncommitted) before = await readPathAtCommit(root, "HEAD", note);
  } catch (error) {
    await (await import("../io/signals.ts")).signalsArrived();
    if (!interrupted()) throw error;
  }
  // Ctrl-C or a SIGTERM to the process group stops git too: what it read is in doubt.
  if (interrupted()) throw new InterruptedError("interrupted before this entry was written");
  if (!uncommitted) return;
  const lost = lostText(before, current);
  if (lost !== undefined) {
    throw new InputError([
      {
        file: shown,
        line: 1,
        col: 1,
        severity: "error",
        message: `the note has lost text committed before: ${lost}. Put it back with \`git restore -- ${shellWord(shown)}\` (changes since that commit are lost with it; \`git diff -- ${shellWord(shown)}\` shows them), or, if it was taken out on purpose, commit that yourself first; rota adds no entry to a note until then`,
      },
    ]);
  }
  const added = addedEntries(before, current);
  const written = parseNote(current);
  const count = written.ok ? written.note.entries.length : 0;
  const from = count - (added?.length ?? 0) + 1;
  const what = added
    ? `${entriesWord(from, count)} of ${shown} (written earlier, not committed)`
    : `the changes to ${shown} since its last commit`;
  const body = at.describeNotes(added ? entriesPhrase(from, count) : "Changes to the field notes");
  const [it, its] = added?.length === 1 ? ["it", "its"] : ["them", "their"];
  let hash: string;
  try {
    // The clone's lock is held already (withNoteLocks), as for this entry's commit.
    hash = await commitOnly(root, relative, [subject, body, at.trailers]);
  } catch (error) {
    await (await import("../io/signals.ts")).signalsArrived();
    const why = error instanceof RotaError ? error.message : gitMessage(error);
    const how = !interrupted()
      ? `failed: ${why}`
      : error instanceof InterruptedError
        ? `was not made: rota was ${why}`
        : "was interrupted";
    const Failure = interrupted() ? InterruptedError : FailedError;
    throw new Failure(
      `the commit of ${what} ${how}\n` +
        `rota commits ${it} on ${its} own before adding an entry, so this entry was not written. To commit ${it} by hand:\n` +
        `  git add -- ${shellWord(shown)} && git commit -m "${subject}" -- ${shellWord(shown)}`,
    );
  }
  const lead = added
    ? `${entriesWord(from, count)}, written earlier but not committed`
    : "the changes made to the note since its last commit";
  ctx.err(`committed ${hash.slice(0, 7)} ${subject} (${lead}, on ${its} own)\n`);
  if (added) await removeCommittedRecovery(at, added);
  if (interrupted()) throw new InterruptedError("interrupted before this entry was written");
}

/**
 * Removes the answers saved when `entries` were written and not committed
 * (their "To finish" is the commit made now, which would find nothing to commit):
 * only those that match one of the entries, answer for answer.
 */
async function removeCommittedRecovery(at: EarlierAt, entries: NoteEntry[]): Promise<void> {
  const { readRecovered } = await import("../io/recovery.ts");
  for (const { file, text } of await readRecovered(at.rosterDir, at.stem)) {
    const [first = "", second = ""] = text.split("\n");
    if (!first.startsWith(at.saved) || !second.startsWith("# To finish: git add -- ")) continue;
    const read = parseAnswersFile(text, file);
    if (!read.ok) continue;
    const resolved = resolveAnswers(at.template, read.answers);
    if (resolved.problems.length > 0) continue;
    if (!entries.some((entry) => entryHolds(entry, resolved.answers))) continue;
    await unlink(file).then(
      () => at.ctx.err(`removed ${at.ctx.display(file)}: its entry is committed now\n`),
      () => undefined,
    );
  }
}

/**
 * A push that a Ctrl-C (or SIGTERM) ended: what git was doing, where the
 * branch and the work tree are now, and the commands that push the note.
 */
function interruptedPushAdvice(
  ctx: Context,
  root: string,
  target: PushTarget,
  commits: { made: string; now: string },
  pushed: {
    message: string;
    interrupted?: string;
    next?: string;
    waited?: boolean;
    rebased?: boolean;
    leftInStash?: LeftInStash;
  },
): string {
  const { made, now: commit } = commits;
  // A stop that came while rota waited for another rota's lock: what it waited for.
  const waiting = pushed.waited ? `, ${pushed.message.replace(/^stopped /, "")}` : "";
  const when =
    pushed.interrupted === "pushing"
      ? `while git pushed it, so it may have reached ${target.remote} or not`
      : pushed.interrupted === "fetching"
        ? "while git fetched the changes pushed meanwhile"
        : pushed.interrupted === "rebasing"
          ? "while git rebased it onto changes pushed meanwhile"
          : pushed.next === "rebasing"
            ? `before git rebased it onto changes pushed meanwhile${waiting}`
            : pushed.rebased
              ? `after git rebased it onto changes pushed meanwhile, before it pushed it${waiting}`
              : `before git pushed it${waiting}`;
  const left = pushed.leftInStash;
  const state = pushed.rebased
    ? `Your branch is rebased onto them (the note's commit was ${made} before)${left ? "" : ", and your uncommitted changes are in the work tree"}.`
    : pushed.interrupted === "rebasing"
      ? `rota aborted that rebase: your branch${left ? "" : " and uncommitted changes"} are as they were before the push.`
      : "Your branch and work tree are as they were before the push.";
  return (
    `the note is committed (${commit}), but not pushed: rota was interrupted ${when}\n${state}\n` +
    (left ? `${stashAdvice(ctx, root, left)}\n` : "") +
    `Nothing is lost: the commit is on your branch. To push it${left ? ", after that" : ""}: ${pushByHand(target)}`
  );
}

/**
 * `git pull` that rebases the branch onto what `--push` would push to,
 * carrying uncommitted changes (an uncommitted `rota swap`) over, which
 * plain `git pull --rebase` refuses to start with.
 */
function pullCommand(target: PushTarget): string {
  return target.merge
    ? "git pull --rebase --autostash"
    : `git pull --rebase --autostash ${shellWord(target.remote)} ${shellWord(target.branch)}`;
}

/** The git commands that push a committed note by hand, as `--push` would have. */
function pushByHand(target: PushTarget): string {
  return target.merge
    ? `${pullCommand(target)} && git push`
    : `${pullCommand(target)} && git push --set-upstream ${shellWord(target.remote)} ${shellWord(target.branch)}`;
}

/**
 * A rebase of `--push` that failed, and whose abort failed too: what state
 * the clone is in, and the commands that put it back and push.
 */
function stuckAdvice(
  ctx: Context,
  target: PushTarget,
  commit: string,
  why: string,
  stuck: StuckRebase,
): string {
  const dir = ctx.display(stuck.dir);
  const changes = stuck.autostash
    ? `Your uncommitted changes are out of the work tree: git keeps them as commit ${stuck.autostash.slice(0, 7)} ` +
      `(named in ${ctx.display(path.join(stuck.dir, "autostash"))}), and \`git rebase --abort\` puts them back ` +
      `(were that lost, \`git stash apply ${stuck.autostash}\` on your branch would).\n`
    : "";
  return (
    `the note is committed (${commit}), but not pushed: ${why}; and git could not abort that rebase: ${stuck.message}\n` +
    `The clone is left in the middle of the rebase (${dir}), HEAD detached; branch ${target.branch} still ends with your note's commit ${commit}.\n` +
    changes +
    `Nothing is lost. Once what stopped the abort is out of the way, put your branch${stuck.autostash ? " and changes" : ""} back and push:\n` +
    `  git rebase --abort && ${pushByHand(target)}`
  );
}

/**
 * What a rebase of `--push` left when it could not put the uncommitted
 * changes it stashed back, and the git commands that finish, from where the
 * user runs rota. Nothing is lost: the changes are in the stash until dropped.
 */
function stashAdvice(ctx: Context, root: string, left: LeftInStash): string {
  if (left.files.length === 0) {
    return `git could not put your uncommitted changes back after rebasing: they are kept in the stash (${left.stash}); put them back with \`git stash pop\` once what stopped them is out of the way`;
  }
  const files = left.files.map((file) => ctx.display(path.join(root, file)));
  const words = files.map(shellWord).join(" ");
  const them = files.length === 1 ? "it" : "them";
  return (
    `your uncommitted changes to ${files.join(", ")} conflict with changes pushed meanwhile.\n` +
    `git left both versions in ${them} ` +
    `(between <<<<<<< and >>>>>>> lines) and kept your changes in the stash (${left.stash}).\n` +
    `To take the pushed version${files.length === 1 ? "" : "s"} and make your changes again (a \`rota swap\`: run it again): ` +
    `git checkout HEAD -- ${words} && git stash drop ${left.stash}\n` +
    `Or resolve the conflicts in ${them} by hand, then: git reset -q -- ${words} && git stash drop ${left.stash}`
  );
}

/** rota's lock on a clone's index and branch, `<git dir>/rota.lock`. */
async function repositoryLock(root: string): Promise<LockRequest> {
  const gitDir = await gitDirOf(root);
  return {
    file: gitDir,
    lockPath: path.join(gitDir, "rota.lock"),
    shown: "the repository's index",
  };
}

/**
 * Runs `work` (reading a note again, writing it and committing it) holding
 * the note's lock, then, in a clone, the clone's: another rota notes for the
 * same note waits and appends to this one's entry; commits take turns instead
 * of failing on git's own index.lock; and no note is written while the
 * `--push` of another rota rebases (whose abort would take the entry back).
 * An aborted `stop` ends the wait for them.
 */
async function withNoteLocks<T>(
  ctx: Context,
  note: string,
  root: string | undefined,
  work: (check: () => Promise<void>) => Promise<T>,
  stop?: AbortSignal,
): Promise<T> {
  const { withLocks } = await import("../io/lock.ts");
  const requests: LockRequest[] = [{ file: note, shown: ctx.display(note) }];
  if (root) requests.push(await repositoryLock(root));
  return withLocks(requests, { notice: (text) => ctx.err(text), display: ctx.display }, work, stop);
}

/**
 * Runs `work` (the whole of `--push`) holding rota's lock on the clone's
 * index and branch, which every rota notes holds while it writes and commits
 * a note. An aborted `stop` ends the wait for it.
 */
async function withRepositoryLock<T>(
  ctx: Context,
  root: string,
  work: () => Promise<T>,
  stop?: AbortSignal,
): Promise<T> {
  const { withLocks } = await import("../io/lock.ts");
  return withLocks(
    [await repositoryLock(root)],
    { notice: (text) => ctx.err(text), display: ctx.display },
    () => work(),
    stop,
  );
}

/**
 * Runs `work` (the rebase of `--push`, from stashing uncommitted changes to
 * putting them back) holding the locks of every file rota writes in the work
 * tree beside the notes, in the order every rota takes them (the roster, the
 * schedule, fixes.yaml), inside the clone's lock the push holds: a `rota
 * swap`, `rota plan` or `rota fix` running meanwhile waits, instead of
 * writing a file while it is stashed away and having its work lost or the
 * changes left in the stash.
 */
async function withWorkTreeLocks<T>(
  ctx: Context,
  work: () => Promise<T>,
  stop?: AbortSignal,
): Promise<T> {
  const { withFileLocks } = await import("../io/lock.ts");
  const { fixesPath } = await import("../io/fixes-file.ts");
  const files = [ctx.rosterPath, schedulePath(ctx), fixesPath(ctx.rosterPath)];
  return withFileLocks(ctx, files, () => work(), stop);
}

/**
 * Whether the note on disk still holds the entry rota wrote: the last entry
 * of `text`, the note as it was written.
 */
async function entryKept(file: string, shown: string, text: string): Promise<boolean> {
  const now = await readTextFile(file, shown).catch(() => undefined);
  if (now === undefined) return false;
  if (now === text) return true;
  const written = parseNote(text);
  const ours = written.ok ? written.note.entries.at(-1)?.markdown : undefined;
  const current = parseNote(now);
  return ours !== undefined && current.ok && current.note.entries.some((e) => e.markdown === ours);
}

/**
 * What notes written with --force leave as they were: the schedule still
 * credits the shift to the people on it (the report counts it for them and
 * lists their notes as missing). Someone who stood in is credited only by a
 * recorded cover, so the advice gives the command for each person on it.
 */
function notCreditedAdvice(
  ctx: Context,
  entry: ScheduleEntry,
  person: string,
  files: { roster: string; schedule: string },
  c: ReturnType<typeof paint>,
): string {
  const served = servedBy(entry);
  if (served.length === 0) return "";
  const covers = served.map(
    (absent) =>
      `  ${[...rotaPrefix(ctx), "swap", "--cover", entry.id, absent, person].join(" ")}\n`,
  );
  return (
    `${c.yellow("note:")} ${entry.id} is still credited to ${served.join(", ")} in ${files.schedule}, not to ${person}: ` +
    `rota report counts it for ${served.length === 1 ? "them" : "those on it"}. ` +
    `If ${person} stood in for someone, record the cover (then commit ${files.roster} and ${files.schedule}):\n` +
    covers.join("")
  );
}

/** `rota` with the flags that point it at this run's roster and schedule. */
function rotaPrefix(ctx: Context): string[] {
  const quote = shellWord;
  const args = ["rota"];
  if (ctx.cwd !== path.resolve(ctx.io.cwd)) args.push("-C", quote(ctx.display(ctx.cwd)));
  if (ctx.rosterPath !== path.join(ctx.cwd, "roster.yaml")) {
    args.push("--roster", quote(path.relative(ctx.cwd, ctx.rosterPath)));
  }
  if (ctx.schedulePath) args.push("--schedule", quote(path.relative(ctx.cwd, ctx.schedulePath)));
  return args;
}

/**
 * A saved answers file as the printed command's `--answers` reads it: from
 * the directory `-C` names (the command carries `-C`), not where the person is.
 */
function answersArgument(ctx: Context, file: string): string {
  const relative = path.relative(ctx.cwd, file);
  return shellWord(relative.startsWith("..") || path.isAbsolute(relative) ? file : relative);
}

/** The command that finishes a note from saved answers (without `--answers`), as the person ran rota. */
function finishCommand(
  ctx: Context,
  occurrence: string,
  person: string,
  options: NotesOptions,
  onIt: boolean,
  commit: boolean,
): string {
  const args = rotaPrefix(ctx);
  args.push("notes", "--shift", occurrence, "--as", person);
  if (!onIt) args.push("--force");
  if (!commit) args.push("--no-commit");
  if (options.push) args.push("--push");
  return args.join(" ");
}

/** Saves answers as an `--answers` file (see io/recovery.ts); its path, or undefined. */
async function keepAnswers(
  rosterDir: string,
  entry: ScheduleEntry,
  person: Person,
  answers: Readonly<Record<string, Answer>>,
  why: { reason: string; finish: string },
): Promise<string | undefined> {
  const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ");
  const header = [
    `# Answers to \`rota notes\` for ${entry.id} by ${person.id}, kept because ${oneLine(why.reason)}.`,
    `# To finish: ${why.finish}`,
    "",
  ].join("\n");
  const { saveRecovery } = await import("../io/recovery.ts");
  const stem = path.basename(notePath(entry.date, entry.shift, person.id), ".md");
  return saveRecovery(rosterDir, stem, `${header}${answersYaml(answers)}`);
}

/**
 * Saves answers piped in on standard input (gone once read) as they came,
 * comments and all (bytes that are not UTF-8 too), below a comment saying
 * why and how to finish; returns
 * the advice for the message: where they are and the command that finishes
 * the note, or, when they could not be saved anywhere, the answers themselves.
 */
async function keepPiped(
  at: { ctx: Context; rosterDir: string; entry: ScheduleEntry; person: Person },
  piped: string | Uint8Array,
  how: { why: string; todo: string; finish: (file: string) => string },
): Promise<string> {
  const { ctx, rosterDir, entry, person } = at;
  const text = typeof piped === "string" ? piped : new TextDecoder().decode(piped);
  const oneLine = (line: string) => line.replace(/[\r\n]+/g, " ");
  const { saveRecovery } = await import("../io/recovery.ts");
  const stem = path.basename(notePath(entry.date, entry.shift, person.id), ".md");
  const header = [
    `# Answers to \`rota notes\` for ${entry.id} by ${person.id} from standard input, kept because ${oneLine(how.why)}.`,
    `# To finish: ${how.finish("<this file>")}`,
    "",
  ].join("\n");
  const saved = await saveRecovery(
    rosterDir,
    stem,
    typeof piped === "string" ? `${header}${piped}` : Buffer.concat([Buffer.from(header), piped]),
  );
  if (saved === undefined) {
    return `Your answers from standard input could not be saved anywhere, so here they are: save them as FILE.yaml; ${how.todo}:\n  ${how.finish("FILE.yaml")}\n${text}`;
  }
  const where = ctx.display(saved);
  return `Your answers from standard input are saved in ${where}: ${how.todo}:\n  ${how.finish(answersArgument(ctx, saved))}`;
}

/** After a note is written from saved answers, the saved file has done its work. */
async function removeFinishedRecovery(
  ctx: Context,
  rosterDir: string,
  options: NotesOptions,
): Promise<void> {
  if (options.answers === undefined || options.answers === "-") return;
  const file = path.resolve(ctx.cwd, options.answers);
  const { isRecoveryFile } = await import("../io/recovery.ts");
  if (!(await isRecoveryFile(rosterDir, file))) return;
  await unlink(file).then(
    () => ctx.err(`removed ${ctx.display(file)}: its answers are in the note now\n`),
    () => undefined,
  );
}
