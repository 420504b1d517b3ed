import type { ErrorObject } from "ajv";
import slugify from "slugify";
import rosterSchema from "../../../schema/roster.schema.json" with { type: "json" };
import {
  type ConflictBlock,
  findConflicts,
  conflictProblem as sharedConflictProblem,
} from "../conflict.ts";
import { hasErrors, namelessKey, type Problem, sortProblems } from "../problems.ts";
import { didYouMean } from "../suggest.ts";
import { withLineFeeds } from "../text.ts";
import { type Path, parseYaml } from "../yaml.ts";
import { checkRoster, dropEmptyLists, type Finding } from "./check.ts";
import { shiftTimeProblems } from "./clock-check.ts";
import type { FastRead, ParseOptions } from "./fast.ts";
import {
  COUNTRY,
  checkLength,
  checkLine,
  checkUrlControls,
  DATE,
  DISCORD_ID,
  EMAIL,
  ENV_NAME,
  GOOGLE_CHAT_ID,
  LINE,
  MATTERMOST_NAME,
  PERIOD,
  REGION,
  SLACK_ID,
  SLUG,
  TIME,
  WEB_URL,
} from "./formats.ts";
import { type Locate, locateIn } from "./locate.ts";
import type { Roster } from "./model.ts";
import { readFast } from "./read-fast.ts";
import { validate } from "./schema-check.generated.js";

export { MAX_ROSTER_BYTES } from "./fast.ts";

export interface ParsedRoster {
  /** The roster, when it has no errors (warnings may remain). */
  roster?: Roster;
  /** Every problem found, in line order. */
  problems: Problem[];
}

/**
 * Parses and validates the text of a roster. Reports every problem at once,
 * each with its line and column; never throws for any input. The roster is
 * read once, fast; only the parts holding a problem are read again with
 * positions (locate.ts). A roster the fast reader declines (anchors, tags,
 * syntax errors…), or whose parts cannot be cut out, is read whole with
 * positions (parseRosterFully), which places every problem the same way.
 * `read` is the fast read of `text` when the caller already made it.
 */
export function parseRoster(
  source: string,
  file: string,
  options: ParseOptions = {},
  read?: FastRead,
): ParsedRoster {
  // Carriage returns alone are line breaks (YAML 1.2): lines are counted so.
  const text = withLineFeeds(source);
  const early = earlyProblems(text, file);
  if (early) return { problems: early };
  const fast = read ?? readFast(text);
  const { data } = fast;
  if (data !== null && typeof data === "object" && !Array.isArray(data)) {
    const checked = checkData(data, options, fast.checked);
    if (checked.valid && checked.findings.length === 0) {
      dropEmptyLists(data);
      return { roster: data as Roster, problems: [] };
    }
    const paths = checked.findings.flatMap((finding) =>
      finding.seeAlso ? [finding.path, finding.seeAlso] : [finding.path],
    );
    const locate = locateIn(text, data as Record<string, unknown>, paths, file);
    if (locate) return report(data, checked, locate, file);
  }
  return positioned(text, file, options);
}

/**
 * The same, reading the whole roster with positions (the yaml package): the
 * reference for what parseRoster reports, and its way for any roster the
 * fast reader declines.
 */
export function parseRosterFully(
  source: string,
  file: string,
  options: ParseOptions = {},
): ParsedRoster {
  const text = withLineFeeds(source);
  const early = earlyProblems(text, file);
  return early ? { problems: early } : positioned(text, file, options);
}

/** An empty roster, or one with merge-conflict markers: reported before reading it. */
function earlyProblems(text: string, file: string): Problem[] | undefined {
  if (text.trim() === "" || text.split("\n").every((line) => /^\s*(#.*)?$/.test(line))) {
    return [
      {
        file,
        line: 1,
        col: 1,
        severity: "error",
        message: "the roster is empty: run `rota init` for a commented example to start from",
      },
    ];
  }
  const conflicts = findConflicts(text);
  return conflicts.length > 0 ? conflicts.map((block) => conflictProblem(block, file)) : undefined;
}

function positioned(text: string, file: string, options: ParseOptions): ParsedRoster {
  const parsed = parseYaml(text, file);
  // Duplicate keys are errors, and the rest of the roster is checked all the same.
  const yaml = parsed.ok ? parsed.yaml : parsed.despite;
  if (!yaml) return { problems: sortProblems(parsed.ok ? [] : parsed.problems) };
  const read = parsed.ok ? [] : parsed.problems;
  const data = yaml.value;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    const what = Array.isArray(data) ? "a list" : data === null ? "empty" : `a ${typeof data}`;
    return {
      problems: sortProblems([
        ...read,
        {
          file,
          ...yaml.locate([]),
          severity: "error",
          message: `the roster must be a mapping with keys such as version, team, shifts and people; this is ${what}`,
        },
      ]),
    };
  }
  return report(data, checkData(data, options), yaml.locate, file, read);
}

/**
 * The findings in checked data as problems, each placed by `locate`, in line
 * order, with any found in reading it (`read`: duplicate keys).
 */
function report(
  data: object,
  { valid, findings }: { valid: boolean; findings: Finding[] },
  locate: Locate,
  file: string,
  read: readonly Problem[] = [],
): ParsedRoster {
  const toProblem = (finding: Finding): Problem => ({
    file,
    ...locate(finding.path, finding.anchor),
    severity: finding.severity,
    message: finding.seeAlso
      ? `${finding.message} (${finding.seeAlsoIs ?? "first"} at line ${locate(finding.seeAlso).line})`
      : finding.message,
  });
  const problems = sortProblems(dedupe([...read, ...findings.map(toProblem)]));
  if (!valid || hasErrors(problems)) return { problems };
  dropEmptyLists(data);
  return { roster: data as Roster, problems };
}

/**
 * A conflicted part of the roster: people resolve it (only they know which
 * side is right), so the message says where its markers are.
 */
function conflictProblem(block: ConflictBlock, file: string): Problem {
  return sharedConflictProblem(
    block,
    file,
    "the file",
    "edit the lines to what the roster should say and delete the marker lines",
  );
}

/** Every finding in parsed roster data: the schema's, the cross-checks', the clock changes'. */
function checkData(
  data: object,
  options: ParseOptions,
  checked?: FastRead["checked"],
): { valid: boolean; findings: Finding[] } {
  // The schema's and the cross-checks' findings, unless the fast read made them already.
  const valid = checked?.valid ?? validate(data);
  const errors = checked ? checked.errors : (validate.errors ?? []);
  const findings = [
    ...(valid ? [] : resolveAnyOf(errors).flatMap((error) => describeSchemaError(error, data))),
    ...(checked?.findings ?? checkRoster(data, options.now ?? options.swapsNow)),
  ];
  if (valid && !findings.some((f) => f.severity === "error")) {
    for (const problem of shiftTimeProblems(data as Roster, options)) {
      findings.push({
        path: ["shifts", problem.shiftIndex, problem.key],
        severity: "error",
        message: problem.message,
      });
    }
  }
  return { valid, findings };
}

/** Identical messages at one position (e.g. from a merged key) appear once. */
function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.line}:${problem.col}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const NOUNS: Record<string, string> = {
  string: "text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
};

/** What a pattern in the schema means, for the message when a value does not match. */
const PATTERN_MEANINGS = new Map<string, string>([
  [SLUG.source, 'is not a lowercase slug (a-z, 0-9, "-" and "_")'],
  [DATE.source, "is not a date like 2026-12-01"],
  [TIME.source, 'is not a time like "09:00"'],
  [PERIOD.source, 'is not a period like "1 month", "quarter" or "2 weeks"'],
  [LINE.source, "must be one line of text"],
  [EMAIL.source, "is not an email address like ada@example.com"],
  [COUNTRY.source, "is not a two-letter country code like DE"],
  [WEB_URL.source, "is not a web address like https://acme.github.io/support"],
  [REGION.source, "is not a region code like BE"],
  [
    ENV_NAME.source,
    "is not the name of an environment variable like ROTA_SLACK_WEBHOOK: the roster says where the URL is kept, never the URL itself (it is a secret)",
  ],
  [SLACK_ID.source, "is not a Slack member id like U024BE7LH"],
  [GOOGLE_CHAT_ID.source, "is not a Google Chat user id like users/1234567890"],
  [
    MATTERMOST_NAME.source,
    "is not a Mattermost username like ada.lovelace (all, channel and here mention everyone in the channel)",
  ],
  [DISCORD_ID.source, 'is not a Discord user id like "80351110224678912"'],
]);

/** Text quoted for a message; long text is cut, so that a message stays a line. */
function quote(text: string): string {
  const chars = [...text];
  return chars.length <= 60
    ? JSON.stringify(text)
    : `${JSON.stringify(chars.slice(0, 40).join("")).slice(0, -1)}…"`;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return quote(value);
  return String(value);
}

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Where a path is, in words: `person "ada"`, `shifts[2].seats[0]`, `the roster`. */
function describePlace(data: unknown, path: Path): string {
  if (path.length === 0) return "the roster";
  const [list, index] = path;
  if (path.length === 2 && typeof index === "number") {
    const id = valueAt(data, [...path, "id"]);
    const noun = { people: "person", shifts: "shift" }[list as string];
    if (noun && typeof id === "string") return `${noun} "${id}"`;
  }
  return path
    .map((segment, i) =>
      typeof segment === "number" ? `[${segment}]` : `${i === 0 ? "" : "."}${segment}`,
    )
    .join("");
}

/** The keys the schema allows in the mapping at a data path, for "did you mean". */
function allowedKeys(path: Path): string[] {
  return Object.keys(schemaAt(path)?.properties ?? {});
}

/** Whether the schema requires the key at the end of `path` (a list item counts as required). */
function isRequired(path: Path): boolean {
  const key = path[path.length - 1];
  if (typeof key !== "string") return true;
  return schemaAt(path.slice(0, -1))?.required?.includes(key) === true;
}

/**
 * The schema of the value at a data path. An optional list that may also be
 * an empty key (`swaps`, `away`: a list or null) is written as a choice of
 * shapes; the walk takes the shape that has what the next step needs.
 */
function schemaAt(path: Path): SchemaNode | undefined {
  let node: SchemaNode | undefined = rosterSchema as unknown as SchemaNode;
  for (const segment of path) {
    if (!node) return undefined;
    const child = (shape: SchemaNode): SchemaNode | undefined => {
      if (typeof segment === "number") return shape.items;
      const extra = shape.additionalProperties;
      return shape.properties?.[segment] ?? (typeof extra === "object" ? extra : undefined);
    };
    const shape = shapeWith(node, child);
    node = shape && child(shape);
  }
  return node && (shapeWith(node, (shape) => shape.properties) ?? node);
}

/** The node itself, or the first of its `anyOf` shapes, that has what `has` picks. */
function shapeWith(node: SchemaNode, has: (shape: SchemaNode) => unknown): SchemaNode | undefined {
  if (has(node) !== undefined) return node;
  return node.anyOf?.find((shape) => has(shape) !== undefined);
}

interface SchemaNode {
  required?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

/** A JSON pointer (`/people/0/name`) as a path. */
function pointerPath(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function slugHint(value: unknown): string {
  if (typeof value !== "string" || value.length > 200) return "";
  // Separators such as "/" and "." become "-" rather than vanishing.
  const words = value.replace(/[^\p{L}\p{N}]+/gu, " ");
  const suggestion = slugify(words, { lower: true, strict: true, trim: true });
  return suggestion && suggestion !== value ? `; did you mean "${suggestion}"?` : "";
}

/** The name of the value at a path, for a message: `weight`, `days[2]`. */
function keyName(path: Path): string {
  const last = path[path.length - 1];
  if (typeof last === "number") return `${String(path[path.length - 2])}[${last}]`;
  return last === undefined ? "the roster" : String(last);
}

/**
 * A value that may take one of several shapes (`reminder_minutes: 15` or
 * `[15, 60]`) fails every shape when it is wrong. Report the problems of the
 * shape whose type the value has (`[15, "x"]` → the bad item), or else one
 * message naming the shapes, instead of one error per shape.
 */
function resolveAnyOf(errors: ErrorObject[]): ErrorObject[] {
  const anyOfs = errors.filter((error) => error.keyword === "anyOf");
  if (anyOfs.length === 0) return errors;
  const dropped = new Set<ErrorObject>(anyOfs);
  const added: ErrorObject[] = [];
  for (const anyOf of anyOfs) {
    const prefix = `${anyOf.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const error of errors) {
      if (!error.schemaPath.startsWith(prefix)) continue;
      dropped.add(error);
      const branch = error.schemaPath.slice(prefix.length).split("/")[0] as string;
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    const wrongType = (list: ErrorObject[]) =>
      list.some((e) => e.keyword === "type" && e.instancePath === anyOf.instancePath);
    const fitting = [...branches.values()].find((list) => !wrongType(list));
    if (fitting) {
      added.push(...fitting);
    } else {
      const types = [...branches.values()].flatMap((list) =>
        list.filter((e) => e.keyword === "type").map((e) => String(e.params.type)),
      );
      added.push({ ...anyOf, keyword: "type", params: { type: types } });
    }
  }
  return [...errors.filter((error) => !dropped.has(error)), ...added];
}

/** Turns one schema error into a finding a person can act on. */
function describeSchemaError(error: ErrorObject, data: unknown): Finding[] {
  const path = pointerPath(error.instancePath);
  const value = valueAt(data, path);
  const params = error.params as Record<string, unknown>;
  const found = (at: Path, message: string, anchor: Finding["anchor"] = "value"): Finding[] => [
    { path: at, message, anchor, severity: "error" },
  ];

  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      if (key === "") {
        return found([...path, key], namelessKey(describePlace(data, path)), "key");
      }
      return found(
        [...path, key],
        `unknown key ${quote(key)} in ${describePlace(data, path)}${key.length > 200 ? "" : didYouMean(key, allowedKeys(path))}`,
        "key",
      );
    }
    case "required":
      return found(
        path,
        `missing required key "${String(params.missingProperty)}" in ${describePlace(data, path)}`,
      );
    case "type": {
      const types = Array.isArray(params.type) ? params.type : [params.type];
      const expected = types.map((type) => NOUNS[String(type)] ?? String(type)).join(" or ");
      // An empty key: what to write, or (where rota has a default) to delete it.
      const fix =
        value !== null
          ? ""
          : isRequired(path)
            ? ": give it a value"
            : ": give it a value, or delete the line for the default";
      return found(path, `${keyName(path)} must be ${expected}, not ${describeValue(value)}${fix}`);
    }
    case "const":
      if (path[0] === "version" && path.length === 1) {
        return found(
          path,
          `version must be 1, not ${describeValue(value)}: this rota reads roster format 1`,
        );
      }
      return found(path, `${keyName(path)} must be ${describeValue(params.allowedValue)}`);
    case "enum": {
      const options = (params.allowedValues as unknown[]).map(String);
      const hint = typeof value === "string" ? didYouMean(value, options) : "";
      return found(
        path,
        `${describeValue(value)} is not allowed here; expected one of ${options.join(", ")}${hint}`,
      );
    }
    case "pattern": {
      const meaning = PATTERN_MEANINGS.get(String(params.pattern)) ?? "has the wrong format";
      if (error.propertyName !== undefined) {
        // A mapping key (the ids under `teams`).
        const key = error.propertyName;
        return found(
          [...path, key],
          `${keyName(path)} key ${describeValue(key)} ${meaning}${slugHint(key)}`,
          "key",
        );
      }
      if (String(params.pattern) === LINE.source && typeof value === "string") {
        const why = checkLine(value, Number.POSITIVE_INFINITY);
        if (why) return found(path, `${keyName(path)} ${why}`);
      }
      if (String(params.pattern) === WEB_URL.source && typeof value === "string") {
        const why = checkUrlControls(value);
        if (why) return found(path, `${keyName(path)} ${why}`);
      }
      // What is written where a variable's name belongs is often the secret itself: not repeated.
      if (String(params.pattern) === ENV_NAME.source)
        return found(path, `${keyName(path)} ${meaning}`);
      const hint = String(params.pattern) === SLUG.source ? slugHint(value) : "";
      return found(path, `${keyName(path)} ${describeValue(value)} ${meaning}${hint}`);
    }
    case "propertyNames":
      return []; // reported by the pattern error of the key itself
    case "maxLength": {
      const why = typeof value === "string" ? checkLength(value, Number(params.limit)) : undefined;
      return found(path, `${keyName(path)} ${why ?? "is too long"}`);
    }
    case "minItems": {
      // A person's `shifts: []` would leave them out of every shift, unsaid.
      const person = path.length === 3 && path[0] === "people" && path[2] === "shifts";
      const fix = person
        ? ": list the shifts this person may take, or delete the line to let them take any"
        : "";
      return found(path, `${keyName(path)} must not be empty${fix}`);
    }
    case "maxItems":
      return found(path, `${keyName(path)} must have at most ${String(params.limit)} entries`);
    case "minimum":
      return found(
        path,
        `${keyName(path)} must be at least ${String(params.limit)}, not ${describeValue(value)}`,
      );
    case "exclusiveMinimum":
      return found(
        path,
        `${keyName(path)} must be greater than ${String(params.limit)}, not ${describeValue(value)}`,
      );
    case "maximum":
      return found(
        path,
        `${keyName(path)} must be at most ${String(params.limit)}, not ${describeValue(value)}`,
      );
    default:
      return found(path, `${keyName(path)} ${error.message ?? "is not valid"}`);
  }
}
