import ucs2 from "ajv/dist/runtime/ucs2length.js";
import { ROSTER_RULES_JSON } from "./schema-rules.generated.ts";

/*
 * Whether data meets the roster's JSON Schema, answered by functions made
 * from the schema (schema-rules.generated.ts: schema/roster.schema.json
 * without its descriptions), each when first needed: the common case's
 * check, a roster without a problem.
 *
 * ajv's validator of the same schema (schema-check.generated.js) stays the
 * judge, and the one that says what is wrong: where this says no, the roster
 * is checked by ajv. This says yes exactly where ajv does, keyword by keyword
 * as ajv's generated code checks it (a test holds the two to the same
 * verdict), and no to a keyword it does not know. ajv's validator is 110 KB
 * of code, one function for every place in the schema: loading it cost each
 * `rota validate` on a small roster about 4 ms of its 20, more than checking.
 * Reading the schema anew for each value instead made a 50,000-person
 * roster's check take twice as long as ajv's; made into functions, once,
 * it took as long, and with the checks every person is asked written out
 * as code (`often`), half as long as before, less than ajv's.
 */

type Rule = { readonly [keyword: string]: unknown };

/** A rule made into a function of the data: whether the data meets it. */
type Check = (data: unknown) => boolean;

/**
 * ajv's count of a text's characters (a surrogate pair is one), which its
 * maxLength and minLength compare: a CommonJS module's `default`, which some
 * loaders hand over as the default import itself.
 */
const ucs2length = (typeof ucs2 === "function" ? ucs2 : ucs2.default) as (text: string) => number;

let rosterCheck: Check | undefined;

/** Whether `data` meets the roster's schema. */
export function meetsRosterSchema(data: unknown): boolean {
  rosterCheck ??= compile(JSON.parse(ROSTER_RULES_JSON) as Rule);
  return rosterCheck(data);
}

const isObject = (data: unknown): data is Record<string, unknown> =>
  typeof data === "object" && data !== null && !Array.isArray(data);

/** A number ajv's numeric keywords apply to (it treats NaN and ±Infinity as no number). */
const isFiniteNumber = (data: unknown): data is number =>
  typeof data === "number" && Number.isFinite(data);

const always: Check = () => true;
const never: Check = () => false;

/** The keywords that check a text (and pass anything else): one function for them all. */
const TEXT_KEYWORDS = ["maxLength", "minLength", "pattern"];

/**
 * A rule's check: one function for its text keywords, one for each other
 * keyword, and a single one for the rule of a text (the most common: type
 * string and text keywords), so each person of a large roster is checked by
 * the same few functions, without reading the schema again.
 */
function compile(rule: Rule): Check {
  const meetsText = textCheck(rule);
  if (isTextRule(rule)) {
    return (data) => typeof data === "string" && (!meetsText || meetsText(data));
  }
  const checks: Check[] = meetsText ? [(data) => typeof data !== "string" || meetsText(data)] : [];
  for (const keyword in rule) {
    if (!TEXT_KEYWORDS.includes(keyword)) checks.push(keywordCheck(keyword, rule[keyword], rule));
  }
  return allOf(checks);
}

function allOf(checks: Check[]): Check {
  if (checks.length === 0) return always;
  if (checks.length === 1) return checks[0] as Check;
  return (data) => {
    for (let i = 0; i < checks.length; i++) if (!(checks[i] as Check)(data)) return false;
    return true;
  };
}

/**
 * A rule's check, made when first needed: a small roster meets only some of
 * the schema's rules (the settings it sets, the fields its people have), and
 * its check is over before making the others would have been.
 */
function lazily(rule: Rule): Check {
  let check: Check | undefined;
  return (data) => {
    check ??= compile(rule);
    return check(data);
  };
}

function keywordCheck(keyword: string, value: unknown, rule: Rule): Check {
  switch (keyword) {
    case "type":
      return typeof value === "string" ? typeCheck(value) : never;
    case "const":
      return typeof value === "object" ? never : (data) => data === value;
    case "enum":
      return Array.isArray(value)
        ? (data) => value.some((each) => typeof each !== "object" && each === data)
        : never;
    case "minimum":
      return (data) => !isFiniteNumber(data) || data >= (value as number);
    case "maximum":
      return (data) => !isFiniteNumber(data) || data <= (value as number);
    case "exclusiveMinimum":
      return (data) => !isFiniteNumber(data) || data > (value as number);
    case "minItems":
      return (data) => !Array.isArray(data) || data.length >= (value as number);
    case "maxItems":
      return (data) => !Array.isArray(data) || data.length <= (value as number);
    case "items":
      return itemsCheck(value as Rule);
    case "anyOf": {
      const branches = (value as Rule[]).map(lazily);
      return (data) => {
        for (let i = 0; i < branches.length; i++) if ((branches[i] as Check)(data)) return true;
        return false;
      };
    }
    case "required":
      return requiredCheck(value as string[]);
    case "properties":
      return propertiesCheck(value as Record<string, Rule>);
    case "additionalProperties":
      return othersCheck(value as Rule | boolean, rule.properties);
    case "propertyNames": {
      const nameCheck = compile(value as Rule);
      return (data) => !isObject(data) || namesMeet(data, nameCheck);
    }
    default:
      // A keyword this does not read: ajv checks the roster.
      return never;
  }
}

/** ajv's checks of each JSON type. */
function typeCheck(type: string): Check {
  switch (type) {
    case "string":
      return (data) => typeof data === "string";
    case "number":
      return isFiniteNumber;
    case "integer":
      return (data) => isFiniteNumber(data) && data % 1 === 0;
    case "boolean":
      return (data) => typeof data === "boolean";
    case "null":
      return (data) => data === null;
    case "object":
      return isObject;
    case "array":
      return Array.isArray;
    default:
      return never;
  }
}

/**
 * Each pattern's expression, made once (when the first value its rule checks
 * comes); ajv makes them with the `u` flag.
 */
const patterns = new Map<string, RegExp>();

function expressionOf(source: string): RegExp {
  let made = patterns.get(source);
  if (made === undefined) {
    made = new RegExp(source, "u");
    patterns.set(source, made);
  }
  return made;
}

/** Whether a rule is a text's: type string, with no other keywords but the text keywords. */
function isTextRule(rule: Rule): boolean {
  if (rule.type !== "string") return false;
  for (const keyword in rule) {
    if (keyword !== "type" && !TEXT_KEYWORDS.includes(keyword)) return false;
  }
  return true;
}

/**
 * A rule's text keywords as one function of a text (their functions, called
 * one by one, cost a large roster), or undefined where it has none. ajv's
 * maxLength compares a text's length first, its count of characters where
 * that is over.
 */
function textCheck(rule: Rule): ((text: string) => boolean) | undefined {
  const most = rule.maxLength as number | undefined;
  const least = rule.minLength as number | undefined;
  const source = rule.pattern as string | undefined;
  if (most === undefined && least === undefined && source === undefined) return undefined;
  const expression = source === undefined ? undefined : expressionOf(source);
  return (text) =>
    (most === undefined || text.length <= most || ucs2length(text) <= most) &&
    (least === undefined || ucs2length(text) >= least) &&
    (expression === undefined || expression.test(text));
}

function itemsCheck(rule: Rule): Check {
  // Made when the first item comes (see lazily), then called for each.
  let itemCheck: Check | undefined;
  return (data) => {
    if (!Array.isArray(data) || data.length === 0) return true;
    itemCheck ??= compile(rule);
    for (let i = 0; i < data.length; i++) if (!itemCheck(data[i])) return false;
    return true;
  };
}

/**
 * Checks asked of every person (or shift, or seat) are made again as code
 * once asked this often: code that reads each name written out, as ajv's
 * generated code does, where a name held in a variable makes each of a
 * person's dozen and a half reads a slow one. A small roster never asks
 * that often, and makes no code: making it would cost its start-up more than
 * checking. The names written are the schema's own, never a roster's, each
 * as a JSON string.
 */
const OFTEN = 64;

function often(plain: Check, written: () => Check): Check {
  let calls = 0;
  let check = plain;
  return (data) => {
    if (++calls === OFTEN) check = written();
    return check(data);
  };
}

/** Each property the rule names, where the data has it (ajv: where it is not undefined). */
function propertiesCheck(properties: Record<string, Rule>): Check {
  const names: string[] = [];
  const checks: Check[] = [];
  for (const name in properties) {
    const at = names.push(name) - 1;
    const rule = properties[name] as Rule;
    // Made when first needed (see lazily), then in the list in its place:
    // each value is checked with no call in between.
    checks.push((data) => {
      const check = compile(rule);
      checks[at] = check;
      return check(data);
    });
  }
  const plain: Check = (data) => {
    if (!isObject(data)) return true;
    for (let i = 0; i < names.length; i++) {
      const value = data[names[i] as string];
      if (value !== undefined && !(checks[i] as Check)(value)) return false;
    }
    return true;
  };
  return often(plain, () => {
    const reads = names.map(
      (name, i) =>
        `v = data[${JSON.stringify(name)}]; if (v !== undefined && !checks[${i}](v)) return false;`,
    );
    return new Function(
      "checks",
      "isObject",
      `return (data) => { if (!isObject(data)) return true; let v; ${reads.join(" ")} return true; };`,
    )(checks, isObject) as Check;
  });
}

/** The names the data must have (ajv: where they are not undefined). */
function requiredCheck(names: readonly string[]): Check {
  const plain: Check = (data) => {
    if (!isObject(data)) return true;
    for (let i = 0; i < names.length; i++) if (data[names[i] as string] === undefined) return false;
    return true;
  };
  return often(plain, () => {
    const has = names.map((name) => `data[${JSON.stringify(name)}] !== undefined`);
    return new Function(
      "isObject",
      `return (data) => !isObject(data) || (${has.join(" && ") || "true"});`,
    )(isObject) as Check;
  });
}

/** The data's keys the rule's `properties` does not name (ajv walks them with for…in). */
function othersCheck(others: Rule | boolean, properties: unknown): Check {
  const named = isObject(properties) ? properties : {};
  const otherCheck = typeof others === "boolean" ? undefined : compile(others);
  const plain: Check = (data) => {
    if (!isObject(data)) return true;
    for (const name in data) {
      if (Object.hasOwn(named, name)) continue;
      if (others === false) return false;
      if (otherCheck !== undefined && !otherCheck(data[name])) return false;
    }
    return true;
  };
  return often(plain, () => {
    // The same names as Object.hasOwn finds: the schema's, parsed from JSON.
    const isNamed =
      Object.keys(named)
        .map((name) => `name === ${JSON.stringify(name)}`)
        .join(" || ") || "false";
    const other =
      others === false
        ? "return false;"
        : otherCheck
          ? "if (!otherCheck(data[name])) return false;"
          : "";
    return new Function(
      "otherCheck",
      "isObject",
      `return (data) => { if (!isObject(data)) return true; for (const name in data) { if (${isNamed}) continue; ${other} } return true; };`,
    )(otherCheck, isObject) as Check;
  });
}

function namesMeet(data: Record<string, unknown>, nameCheck: Check): boolean {
  for (const name in data) if (!nameCheck(name)) return false;
  return true;
}
