import { CONTROL, describeControl } from "../controls.ts";
import type { Problem } from "../problems.ts";
import { checkLength } from "../roster/formats.ts";
import { closestMatch, didYouMean } from "../suggest.ts";
import { parseYaml } from "../yaml.ts";
import { normalizeNewlines } from "./format.ts";
import {
  type Answer,
  answerTo,
  type Question,
  type QuestionType,
  type Template,
} from "./template.ts";

/**
 * Answers to a template's questions: from `--answer id=value`, an `--answers`
 * YAML file, YAML on stdin or a prompt, each turned into the value its type
 * wants (`"12"` → 12 for a number, `"billing, SSO"` → ["billing", "sso"] for
 * tags), or a message that says what is wrong.
 */

export type Coerced = { ok: true; value: Answer | undefined } | { ok: false; message: string };

/** How long an answer may be, in characters: a text answer is a line or two, a long one pages. */
export const MAX_TEXT_ANSWER = 2_000;
export const MAX_LONG_ANSWER = 50_000;
/** How many tags one answer may give. */
export const MAX_TAGS = 50;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const YES = new Set(["yes", "y", "true"]);
const NO = new Set(["no", "n", "false"]);

/**
 * A tag as notes store it: trimmed, lowercase, a leading `#` dropped, inner
 * spaces as `-` ("Billing Portal" → `billing-portal`), so counts add up.
 */
export function normalizeTag(tag: string): string {
  return tag.trim().replace(/^#+/, "").trim().toLowerCase().replace(/\s+/g, "-");
}

/** Tags from a list or a comma-separated string, normalized, each once, in order. */
function readTags(value: unknown): string[] | string {
  const items = Array.isArray(value) ? value : String(value).split(",");
  const tags: string[] = [];
  for (const item of items) {
    if (item === null || item === undefined) continue;
    if (typeof item === "object") return "tags must be a list of words or a comma-separated line";
    for (const part of String(item).split(",")) {
      const tag = normalizeTag(part);
      if (tag === "") continue;
      const control = CONTROL.exec(tag);
      if (control) return `a tag contains ${describeControl(control[0])}; remove it`;
      if (tag.length > 64) return `the tag "${tag.slice(0, 20)}…" is longer than 64 characters`;
      if (!tags.includes(tag)) tags.push(tag);
      if (tags.length > MAX_TAGS) return `give at most ${MAX_TAGS} tags`;
    }
  }
  return tags;
}

/** Text as notes store it: Unix newlines, no blank lines or trailing spaces at either end. */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/^(?:[ \t]*\n)+/, "")
    .trimEnd();
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  // YAML's !!binary is read as bytes, !!timestamp as a date: neither is a mapping.
  if (value instanceof Uint8Array) return "binary data (!!binary)";
  if (value instanceof Date) return "a timestamp (!!timestamp)";
  if (value !== null && typeof value === "object") return "a mapping";
  // A number as written (JSON would write 1e400, read as Infinity, as null).
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/**
 * One answer, coerced to its question's type. Nothing (undefined, null, empty
 * text, an empty list) is `{ ok: true, value: undefined }`: not answered.
 */
export function coerceAnswer(question: Question, raw: unknown): Coerced {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (typeof raw === "string" && raw.trim() === "") return { ok: true, value: undefined };
  const fail = (message: string): Coerced => ({ ok: false, message });
  switch (question.type) {
    case "text":
    case "long": {
      if (typeof raw === "object") return fail(`expected text, not ${describe(raw)}`);
      const text = normalizeText(String(raw));
      const tooLong = checkLength(
        text,
        question.type === "long" ? MAX_LONG_ANSWER : MAX_TEXT_ANSWER,
      );
      if (tooLong) return fail(`the text ${tooLong}`);
      // Tab and newline are text; C1 controls, line separators and bidi
      // controls are not (core/controls.ts): they would reach every reader.
      const control = CONTROL.exec(text);
      if (control) return fail(`the text contains ${describeControl(control[0])}; remove it`);
      return { ok: true, value: text === "" ? undefined : text };
    }
    case "number":
    case "rating": {
      const n =
        typeof raw === "number"
          ? raw
          : typeof raw === "string" && NUMBER.test(raw.trim())
            ? Number(raw.trim())
            : Number.NaN;
      if (!Number.isFinite(n)) return fail(`expected a number, not ${describe(raw)}`);
      // Beyond this, a number is not kept to the digit, and notes write numbers as digits.
      if (Math.abs(n) > Number.MAX_SAFE_INTEGER) {
        return fail(`expected a number no larger than 9007199254740991, not ${describe(raw)}`);
      }
      if (question.type === "rating") {
        if (!Number.isInteger(n) || n < 1 || n > 5) {
          return fail(`expected a rating from 1 to 5, not ${describe(raw)}`);
        }
        return { ok: true, value: n };
      }
      if (question.integer && !Number.isInteger(n)) {
        return fail(`expected a whole number, not ${describe(raw)}`);
      }
      if (question.min !== undefined && n < question.min) {
        return fail(`expected at least ${question.min}, not ${n}`);
      }
      if (question.max !== undefined && n > question.max) {
        return fail(`expected at most ${question.max}, not ${n}`);
      }
      // -0 is written 0.
      return { ok: true, value: n === 0 ? 0 : n };
    }
    case "tags": {
      if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
        return fail(`expected a list of tags or a comma-separated line, not ${describe(raw)}`);
      }
      const tags = readTags(raw);
      if (typeof tags === "string") return fail(tags);
      return { ok: true, value: tags.length === 0 ? undefined : tags };
    }
    case "yesno": {
      if (typeof raw === "boolean") return { ok: true, value: raw };
      const word = String(raw).trim().toLowerCase();
      if (typeof raw !== "object" && YES.has(word)) return { ok: true, value: true };
      if (typeof raw !== "object" && NO.has(word)) return { ok: true, value: false };
      return fail(`expected yes or no, not ${describe(raw)}`);
    }
    case "choice": {
      const choices = question.choices ?? [];
      if (typeof raw === "object") return fail(`expected one of ${choices.join(", ")}`);
      const text = String(raw).trim();
      const exact = choices.find((c) => c === text);
      const loose = exact ?? choices.find((c) => c.toLowerCase() === text.toLowerCase());
      if (loose !== undefined) return { ok: true, value: loose };
      return fail(
        `expected one of ${choices.map((c) => JSON.stringify(c)).join(", ")}, not ${describe(raw)}${didYouMean(text, choices)}`,
      );
    }
  }
}

/** Where an answer came from, for messages: `--answer fix`, `answers.yaml`, `stdin`. */
export interface ProvidedAnswer {
  value: unknown;
  source: string;
  /**
   * In a YAML file, the answer as written where YAML read a number or a
   * boolean in it (`3.10`, `0123`, `true`): what questions answered in text take.
   */
  written?: unknown;
}

/** Types whose answers are text (or lists of words): YAML's numbers and booleans in them are text as written. */
const TEXT_ANSWERS: ReadonlySet<QuestionType> = new Set(["text", "long", "choice", "tags"]);

/**
 * What a question takes from an answer read from YAML: the text as written
 * for a question answered in text (`fix: 3.10` is "3.10", not 3.1), the value
 * YAML read for the others (`handled: 0123` is 123).
 */
export function answerAsGiven(question: Question, value: unknown, written: unknown): unknown {
  return written !== undefined && TEXT_ANSWERS.has(question.type) ? written : value;
}

export interface ResolvedAnswers {
  /** Coerced answers by question id (unanswered questions are absent). */
  answers: Record<string, Answer>;
  /** Ids given that no question has, and answers of the wrong kind. */
  problems: string[];
}

/** Answers given on the command line or in a file, checked against the template. */
export function resolveAnswers(
  template: Template,
  provided: ReadonlyMap<string, ProvidedAnswer>,
): ResolvedAnswers {
  const byId = new Map(template.questions.map((q) => [q.id, q]));
  const answers: Record<string, Answer> = {};
  const problems: string[] = [];
  for (const [id, { value, source, written }] of provided) {
    const question = byId.get(id);
    if (!question) {
      const hint = closestMatch(id, byId.keys());
      problems.push(
        `${source}: no question has the id "${id}"${hint ? `; did you mean "${hint}"?` : ""} (the questions: ${[...byId.keys()].join(", ")})`,
      );
      continue;
    }
    const coerced = coerceAnswer(question, answerAsGiven(question, value, written));
    if (!coerced.ok) problems.push(`${source}: ${coerced.message}`);
    else if (coerced.value !== undefined) answers[id] = coerced.value;
  }
  return { answers, problems };
}

/** The answers with each unanswered question's default filled in. */
export function withDefaults(
  template: Template,
  answers: Readonly<Record<string, Answer>>,
): Record<string, Answer> {
  const filled: Record<string, Answer> = { ...answers };
  for (const question of template.questions) {
    if (answerTo(filled, question.id) === undefined && question.default !== undefined) {
      filled[question.id] = question.default;
    }
  }
  return filled;
}

/** Required questions still without an answer. */
export function missingRequired(
  template: Template,
  answers: Readonly<Record<string, Answer>>,
): Question[] {
  return template.questions.filter((q) => q.required && answerTo(answers, q.id) === undefined);
}

export type AnswersFile =
  | { ok: true; answers: Map<string, ProvidedAnswer> }
  | { ok: false; problems: Problem[] };

/**
 * Answers written as YAML (`--answers FILE.yaml` or standard input): a
 * mapping from question id to answer. Empty text is no answers. Lines may end
 * in LF, CRLF or CR alone, as YAML allows.
 */
export function parseAnswersFile(source: string, file: string): AnswersFile {
  // Line feeds only (and no byte-order mark), for the lines split below.
  const text = normalizeNewlines(source);
  const answers = new Map<string, ProvidedAnswer>();
  if (text.split("\n").every((line) => /^\s*(#.*)?$/.test(line))) return { ok: true, answers };
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const { value, locate, asWritten } = parsed.yaml;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      problems: [
        {
          file,
          ...locate([]),
          severity: "error",
          message:
            "answers must be a mapping from question id to answer, e.g. `fix: the login page`",
        },
      ],
    };
  }
  for (const [id, answer] of Object.entries(value as Record<string, unknown>)) {
    const written = asWritten([id]);
    answers.set(id, {
      value: answer,
      source: `${file}:${locate([id], "key").line}: ${id}`,
      ...(written !== undefined && written !== answer ? { written } : {}),
    });
  }
  return { ok: true, answers };
}
