import ucs2 from "ajv/dist/runtime/ucs2length.js";
import { ROSTER_RULES_JSON } from "./schema-rules.generated.ts";

/*
 * Whether data meets the roster's JSON Schema, answered by reading the schema
 * (schema-rules.generated.ts: schema/roster.schema.json without its
 * descriptions): the common case's check, a roster without a problem.
 *
 * ajv's validator of the same schema (schema-check.generated.js) stays the
 * judge, and the one that says what is wrong: where this says no, the roster
 * is checked by ajv. This says yes exactly where ajv does, keyword by keyword
 * as ajv's generated code checks it (a test holds the two to the same
 * verdict), and no to a keyword it does not know. ajv's validator is 110 KB
 * of code, one function for every place in the schema: loading it cost each
 * `rota validate` on a small roster about 4 ms of its 20, more than checking.
 */

type Rule = { readonly [keyword: string]: unknown };

/**
 * ajv's count of a text's characters (a surrogate pair is one), which its
 * maxLength and minLength compare: a CommonJS module's `default`, which some
 * loaders hand over as the default import itself.
 */
const ucs2length = (typeof ucs2 === "function" ? ucs2 : ucs2.default) as (text: string) => number;

let rules: Rule | undefined;

/** Whether `data` meets the roster's schema. */
export function meetsRosterSchema(data: unknown): boolean {
  rules ??= JSON.parse(ROSTER_RULES_JSON) as Rule;
  return meets(data, rules);
}

/** Each pattern's expression, made once; ajv makes them with the `u` flag. */
const patterns = new Map<string, RegExp>();

function pattern(source: string): RegExp {
  let made = patterns.get(source);
  if (made === undefined) {
    made = new RegExp(source, "u");
    patterns.set(source, made);
  }
  return made;
}

const isObject = (data: unknown): data is Record<string, unknown> =>
  typeof data === "object" && data !== null && !Array.isArray(data);

/** A number ajv's numeric keywords apply to (it treats NaN and ±Infinity as no number). */
const isFiniteNumber = (data: unknown): data is number =>
  typeof data === "number" && Number.isFinite(data);

function meets(data: unknown, rule: Rule): boolean {
  for (const keyword in rule) {
    if (!meetsKeyword(data, keyword, rule[keyword], rule)) return false;
  }
  return true;
}

function meetsKeyword(data: unknown, keyword: string, value: unknown, rule: Rule): boolean {
  switch (keyword) {
    case "type":
      return typeof value === "string" && isOfType(data, value);
    case "const":
      return typeof value !== "object" && data === value;
    case "enum":
      return (
        Array.isArray(value) && value.some((each) => typeof each !== "object" && each === data)
      );
    case "pattern":
      return typeof data !== "string" || pattern(value as string).test(data);
    case "maxLength":
      return (
        typeof data !== "string" ||
        data.length <= (value as number) ||
        ucs2length(data) <= (value as number)
      );
    case "minLength":
      return typeof data !== "string" || ucs2length(data) >= (value as number);
    case "minimum":
      return !isFiniteNumber(data) || data >= (value as number);
    case "maximum":
      return !isFiniteNumber(data) || data <= (value as number);
    case "exclusiveMinimum":
      return !isFiniteNumber(data) || data > (value as number);
    case "minItems":
      return !Array.isArray(data) || data.length >= (value as number);
    case "maxItems":
      return !Array.isArray(data) || data.length <= (value as number);
    case "items":
      return !Array.isArray(data) || everyItemMeets(data, value as Rule);
    case "anyOf":
      return (value as Rule[]).some((branch) => meets(data, branch));
    case "required":
      return !isObject(data) || (value as string[]).every((name) => data[name] !== undefined);
    case "properties":
      return !isObject(data) || propertiesMeet(data, value as Record<string, Rule>);
    case "additionalProperties":
      return !isObject(data) || othersMeet(data, value as Rule | boolean, rule.properties);
    case "propertyNames":
      return !isObject(data) || namesMeet(data, value as Rule);
    default:
      // A keyword this does not read: ajv checks the roster.
      return false;
  }
}

/** ajv's checks of each JSON type. */
function isOfType(data: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof data === "string";
    case "number":
      return isFiniteNumber(data);
    case "integer":
      return isFiniteNumber(data) && data % 1 === 0;
    case "boolean":
      return typeof data === "boolean";
    case "null":
      return data === null;
    case "object":
      return isObject(data);
    case "array":
      return Array.isArray(data);
    default:
      return false;
  }
}

function everyItemMeets(data: unknown[], rule: Rule): boolean {
  for (let i = 0; i < data.length; i++) if (!meets(data[i], rule)) return false;
  return true;
}

/** Each property the rule names, where the data has it (ajv: where it is not undefined). */
function propertiesMeet(data: Record<string, unknown>, properties: Record<string, Rule>): boolean {
  for (const name in properties) {
    const value = data[name];
    if (value !== undefined && !meets(value, properties[name] as Rule)) return false;
  }
  return true;
}

/** The data's keys the rule's `properties` does not name (ajv walks them with for…in). */
function othersMeet(
  data: Record<string, unknown>,
  others: Rule | boolean,
  properties: unknown,
): boolean {
  for (const name in data) {
    if (isObject(properties) && Object.hasOwn(properties, name)) continue;
    if (others === false) return false;
    if (others !== true && !meets(data[name], others)) return false;
  }
  return true;
}

function namesMeet(data: Record<string, unknown>, rule: Rule): boolean {
  for (const name in data) if (!meets(name, rule)) return false;
  return true;
}
