import { type ConflictBlock, conflictProblem as sharedConflictProblem } from "../conflict.ts";
import { CONTROLS, describeControl } from "../controls.ts";
import { namelessKey, type Problem, sortProblems } from "../problems.ts";
import { checkLine, SLUG } from "../roster/formats.ts";
import { didYouMean } from "../suggest.ts";
import { type Path, parseYaml } from "../yaml.ts";
import { answerAsGiven, coerceAnswer } from "./answers.ts";
import {
  lineCounter,
  MARKER_PREFIX,
  markdownConflicts,
  normalizeNewlines,
  opensFrontMatter,
  splitFrontMatter,
} from "./format.ts";

/**
 * The field-notes template: markdown whose YAML front matter declares the
 * questions `rota notes` asks, and whose body is the layout of one entry,
 * with `{{id}}` where each answer goes and `{{date}}`, `{{person_name}}`…
 * where facts about the shift go.
 */

export const QUESTION_TYPES = [
  "text",
  "long",
  "number",
  "rating",
  "tags",
  "yesno",
  "choice",
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** An answer, by type: text, long and choice are strings; number and rating numbers; yesno a boolean; tags a list. */
export type Answer = string | number | boolean | string[];

export interface Question {
  /** A lowercase slug: `--answer ID=…`, `--answers` files and readers of notes use it. */
  id: string;
  prompt: string;
  type: QuestionType;
  required: boolean;
  default?: Answer;
  /** For `choice`. */
  choices?: string[];
  /** For `number`. */
  min?: number;
  max?: number;
  integer?: boolean;
}

export interface Template {
  questions: Question[];
  /** The markdown layout of one entry, as written (after the front matter). */
  body: string;
}

/** Facts about the shift a template body may use as `{{name}}`. */
export const META_PLACEHOLDERS = [
  "occurrence",
  "date",
  "shift",
  "shift_name",
  "person",
  "person_name",
  "team",
  "written",
] as const;

/** Question ids that would collide with a front-matter key or a placeholder. */
const RESERVED_IDS = new Set<string>([...META_PLACEHOLDERS, "entries"]);

/**
 * The answer to a question in a map of answers, if one was given. Answers are
 * kept in plain objects keyed by question id, and some ids (`constructor`)
 * name what every object has: reading them directly would find that instead.
 */
export function answerTo<T>(answers: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(answers, id) ? answers[id] : undefined;
}

/** Types whose answers are one line, so their placeholder may stand inside a line. */
export const INLINE_TYPES: ReadonlySet<QuestionType> = new Set([
  "number",
  "rating",
  "tags",
  "yesno",
  "choice",
]);

/** How long a question's prompt and each of its choices may be, in characters. */
const MAX_PROMPT = 500;
const MAX_CHOICE = 200;

/** `{{ id }}` in a template body. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g;

const QUESTION_KEYS = [
  "id",
  "prompt",
  "type",
  "required",
  "default",
  "choices",
  "min",
  "max",
  "integer",
];

export type ParsedTemplate = { ok: true; template: Template } | { ok: false; problems: Problem[] };

/**
 * Reads a notes template. Every problem is reported at once with its line and
 * column; a template with problems is never used.
 */
export function parseTemplate(source: string, file: string): ParsedTemplate {
  const text = normalizeNewlines(source);
  const problems: Problem[] = [];
  const problem = (line: number, col: number, message: string) =>
    problems.push({ file, line, col, severity: "error", message });

  // Conflict markers first: parts of a conflicted template may still read as
  // one, and its body would carry them into every note, which readers refuse.
  const conflicts = markdownConflicts(text);
  if (conflicts.length > 0) {
    return { ok: false, problems: conflicts.map((block) => conflictProblem(block, file)) };
  }
  const split = splitFrontMatter(text);
  if (!split) {
    problem(
      1,
      1,
      opensFrontMatter(text)
        ? "the front matter opened by --- on line 1 has no closing --- line: add one where the questions end, before the layout"
        : "a notes template starts with YAML front matter between --- lines that lists the questions",
    );
    return { ok: false, problems };
  }
  const yaml = parseYaml(split.yaml, file);
  if (!yaml.ok) {
    for (const p of yaml.problems) problem(p.line + split.yamlLine - 1, p.col, p.message);
    return { ok: false, problems };
  }
  const at = (path: Path, message: string, anchor: "key" | "value" = "value") => {
    const { line, col } = yaml.yaml.locate(path, anchor);
    problem(line + split.yamlLine - 1, col, message);
  };

  const root = yaml.yaml.value;
  const questions: Question[] = [];
  // Ids of questions refused for another field: declared all the same, so
  // the body's placeholders for them are not reported as unknown too.
  const refused = new Set<string>();
  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    at([], "the front matter must be a mapping with a `questions` list");
  } else {
    for (const key of Object.keys(root)) {
      if (key === "") at([key], namelessKey("the front matter"), "key");
      else if (key !== "questions")
        at([key], `unknown key "${key}"${didYouMean(key, ["questions"])}`, "key");
    }
    const list = (root as Record<string, unknown>).questions;
    if (!Array.isArray(list) || list.length === 0) {
      at(["questions"], "questions must be a list with at least one question");
    } else {
      const seen = new Map<string, number>();
      list.forEach((item, index) => {
        const id = (item as { id?: unknown } | null)?.id;
        if (typeof id === "string") {
          const first = seen.get(id);
          if (first !== undefined) {
            at(
              ["questions", index, "id"],
              `duplicate question id "${id}" (first at line ${yaml.yaml.locate(["questions", first, "id"]).line + split.yamlLine - 1})`,
            );
            return;
          }
          seen.set(id, index);
        }
        const path = ["questions", index];
        const question = readQuestion(item, path, at, yaml.yaml.asWritten([...path, "default"]));
        if (question.question) questions.push(question.question);
        else if (question.id !== undefined) refused.add(question.id);
      });
    }
  }

  checkBody(split.body, split.bodyLine, questions, refused, problem);
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, template: { questions, body: split.body } };
}

/**
 * A conflicted part of the template: only the person resolving it knows which
 * side is right, so the message says where its markers are.
 */
function conflictProblem(block: ConflictBlock, file: string): Problem {
  return sharedConflictProblem(
    block,
    file,
    "the template",
    "edit the lines to what the template should say and delete the marker lines",
  );
}

function readQuestion(
  item: unknown,
  path: Path,
  at: (path: Path, message: string, anchor?: "key" | "value") => void,
  writtenDefault: unknown,
): { question?: Question; id?: string } {
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    at(path, "each question must be a mapping with id, prompt and type");
    return {};
  }
  const raw = item as Record<string, unknown>;
  let ok = true;
  const fail = (key: string, message: string, anchor: "key" | "value" = "value") => {
    at([...path, key], message, anchor);
    ok = false;
  };
  for (const key of Object.keys(raw)) {
    if (key === "") fail(key, namelessKey("a question"), "key");
    else if (!QUESTION_KEYS.includes(key)) {
      fail(key, `unknown key "${key}" in a question${didYouMean(key, QUESTION_KEYS)}`, "key");
    }
  }
  const { id, prompt, type = "text", required = false, choices, min, max, integer } = raw;
  // Whether the id itself is sound, whatever the other fields say.
  let idOk = false;
  if (typeof id !== "string" || !SLUG.test(id)) {
    if (id === undefined) at(path, "a question needs an id");
    else fail("id", `id ${JSON.stringify(id)} is not a lowercase slug (a-z, 0-9, "-" and "_")`);
    ok = false;
  } else if (RESERVED_IDS.has(id)) {
    fail("id", `id "${id}" is reserved for a fact about the shift; choose another`);
  } else if (id in Object.prototype) {
    fail(
      "id",
      `id "${id}" names a property of every JavaScript object, which scripts reading notes would take for an answer; choose another`,
    );
  } else idOk = true;
  const promptProblem = typeof prompt === "string" ? checkLine(prompt, MAX_PROMPT) : undefined;
  if (typeof prompt !== "string" || promptProblem) {
    if (prompt === undefined) at(path, "a question needs a prompt");
    else fail("prompt", `prompt ${promptProblem ?? "must be one line of text"}`);
    ok = false;
  } else if (prompt.includes(MARKER_PREFIX)) {
    fail("prompt", `prompt must not contain "${MARKER_PREFIX}"`);
  }
  if (typeof type !== "string" || !(QUESTION_TYPES as readonly string[]).includes(type)) {
    fail(
      "type",
      `type must be one of ${QUESTION_TYPES.join(", ")}${typeof type === "string" ? didYouMean(type, QUESTION_TYPES) : ""}`,
    );
  }
  if (typeof required !== "boolean") fail("required", "required must be true or false");
  if (id === "tags" && type !== "tags") {
    fail("id", 'id "tags" is reserved for a question of type tags');
    idOk = false;
  }
  for (const [key, value] of [
    ["min", min],
    ["max", max],
  ] as const) {
    if (value === undefined) continue;
    if (type !== "number") fail(key, `${key} applies to number questions only`, "key");
    else if (typeof value !== "number" || !Number.isFinite(value))
      fail(key, `${key} must be a number`);
  }
  if (typeof min === "number" && typeof max === "number" && min > max) {
    fail("max", "max must be at least min");
  }
  if (integer !== undefined) {
    if (type !== "number") fail("integer", "integer applies to number questions only", "key");
    else if (typeof integer !== "boolean") fail("integer", "integer must be true or false");
  }
  if (type === "choice") {
    if (!Array.isArray(choices) || choices.length === 0) {
      if (choices === undefined) at(path, "a choice question needs a list of choices");
      else fail("choices", "choices must be a list with at least one choice");
      ok = false;
    } else {
      const seen = new Set<string>();
      choices.forEach((choice, index) => {
        const problem = typeof choice === "string" ? checkLine(choice, MAX_CHOICE) : undefined;
        if (typeof choice !== "string" || problem || choice.includes(MARKER_PREFIX)) {
          at(
            [...path, "choices", index],
            problem ? `the choice ${problem}` : "each choice must be one line of text",
          );
          ok = false;
        } else if (seen.has(choice)) {
          at([...path, "choices", index], `duplicate choice "${choice}"`);
          ok = false;
        } else seen.add(choice);
      });
    }
  } else if (choices !== undefined) {
    fail("choices", "choices apply to choice questions only", "key");
  }
  const typeKnown =
    typeof type === "string" && (QUESTION_TYPES as readonly string[]).includes(type);
  const question: Question = {
    id: id as string,
    prompt: prompt as string,
    type: type as QuestionType,
    required: required as boolean,
    ...(Array.isArray(choices) ? { choices: choices as string[] } : {}),
    ...(typeof min === "number" ? { min } : {}),
    ...(typeof max === "number" ? { max } : {}),
    ...(integer === true ? { integer: true } : {}),
  };
  if (raw.default !== undefined && raw.default !== null && typeKnown) {
    const coerced = coerceAnswer(question, answerAsGiven(question, raw.default, writtenDefault));
    if (!coerced.ok) fail("default", `default: ${coerced.message}`);
    else if (coerced.value !== undefined) question.default = coerced.value;
  }
  return ok ? { question, id: question.id } : idOk ? { id: id as string } : {};
}

/** Checks a template body: known placeholders, each answer once, long answers on their own line. */
function checkBody(
  body: string,
  bodyLine: number,
  questions: readonly Question[],
  refused: ReadonlySet<string>,
  problem: (line: number, col: number, message: string) => void,
) {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const known = [...META_PLACEHOLDERS, ...byId.keys()];
  const used = new Set<string>();
  const lineAt = lineCounter(body);
  const position = (index: number) => {
    const line = lineAt(index);
    const lineStart = body.lastIndexOf("\n", index - 1) + 1;
    return { line: line + bodyLine - 1, col: index - lineStart + 1 };
  };
  const marker = body.indexOf(MARKER_PREFIX);
  if (marker !== -1) {
    const { line, col } = position(marker);
    problem(line, col, `"${MARKER_PREFIX}" is reserved for the markers rota writes into notes`);
  }
  // Every note copies the body: a character that acts instead of showing
  // (an escape sequence, a bidi override) would reach every reader of them.
  for (const match of body.matchAll(CONTROLS)) {
    const { line, col } = position(match.index);
    problem(line, col, `the template contains ${describeControl(match[0])}; remove it`);
  }
  for (const match of body.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    const { line, col } = position(match.index);
    if ((META_PLACEHOLDERS as readonly string[]).includes(name)) continue;
    const question = byId.get(name);
    if (!question && !refused.has(name)) {
      problem(line, col, `unknown placeholder {{${name}}}${didYouMean(name, known)}`);
      continue;
    }
    if (used.has(name)) {
      problem(line, col, `{{${name}}} appears twice; each answer has one place`);
      continue;
    }
    used.add(name);
    // A question refused for a bad field (already said): its type is not to be trusted.
    if (!question) continue;
    const lineStart = body.lastIndexOf("\n", match.index - 1) + 1;
    const lineEnd = body.indexOf("\n", match.index);
    const whole = body.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    if (!INLINE_TYPES.has(question.type) && whole.trimEnd() !== match[0]) {
      problem(
        line,
        col,
        `{{${name}}} is a ${question.type} answer that may span lines: put it alone at the start of its own line`,
      );
    }
  }
}

/**
 * Where each answer goes: the body as written, then, for every question the
 * body does not place, a heading with its prompt and the answer below it.
 */
export function entryLayout(template: Template): string {
  const placed = new Set([...template.body.matchAll(PLACEHOLDER)].map((m) => m[1] as string));
  const missing = template.questions.filter((q) => !placed.has(q.id));
  let layout = template.body.replace(/\s+$/, "");
  for (const question of missing) {
    layout += `${layout === "" ? "" : "\n\n"}### ${question.prompt}\n\n{{${question.id}}}`;
  }
  return `${layout}\n`;
}
