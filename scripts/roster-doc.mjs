// The roster reference in docs/roster.md, written from the roster's JSON
// Schema (schema/roster.schema.json) so that the documentation names exactly
// the keys, types and limits that `rota validate` enforces. `npm run
// generate` rewrites the part between the markers; the prose around them is
// kept, and a test fails while the committed file differs.

export const START = "<!-- roster-reference:start -->";
export const END = "<!-- roster-reference:end -->";

const WIDTH = 100;

/** Words for the patterns the schema uses, instead of the regular expressions. */
function patternWords(pattern) {
  if (pattern.startsWith("^[a-z0-9](?:[a-z0-9_-]")) return "a lowercase slug";
  if (pattern === "^\\d{4}-\\d{2}-\\d{2}$") return "a date, YYYY-MM-DD";
  if (pattern.includes("[01]?\\d|2[0-3]")) return "a time, HH:MM";
  if (pattern.includes("(week|month|quarter|year)")) return "a period such as `2 weeks`";
  if (pattern.startsWith("^[^\\s@")) return "an email address";
  if (pattern.startsWith("^[A-Za-z_]")) return "an environment variable name";
  if (pattern.includes("\\u2028")) return "one line of plain text";
  return undefined;
}

/** The type of a schema node in words: "string", "list of string", "1 or more of …". */
function typeWords(node) {
  if (node.anyOf) return node.anyOf.map(typeWords).join(" or ");
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return `one of ${node.enum.map((value) => `\`${value}\``).join(", ")}`;
  if (node.type === "array") return `list of ${typeWords(node.items ?? {})}`;
  if (node.type === "object" && node.additionalProperties && !node.properties) {
    return `map of ${typeWords(node.additionalProperties)}`;
  }
  if (node.type === "integer") return "whole number";
  if (node.type === "object") return "mapping";
  return node.type ?? "any";
}

/** Limits of a node in words: bounds, lengths, counts, patterns. */
function limitWords(node) {
  const words = [];
  const pattern = node.pattern && patternWords(node.pattern);
  if (pattern) words.push(pattern);
  if (node.exclusiveMinimum !== undefined) words.push(`above ${node.exclusiveMinimum}`);
  if (node.minimum !== undefined && node.maximum !== undefined) {
    words.push(`${node.minimum} to ${node.maximum}`);
  } else if (node.minimum !== undefined) {
    words.push(`at least ${node.minimum}`);
  } else if (node.maximum !== undefined) {
    words.push(`at most ${node.maximum}`);
  }
  if (node.maxLength !== undefined) words.push(`at most ${node.maxLength} characters`);
  if (node.minItems !== undefined) words.push(`at least ${node.minItems}`);
  if (node.maxItems !== undefined) words.push(`at most ${node.maxItems} entries`);
  if (node.type === "array" && node.items) words.push(...limitWords(node.items));
  if (node.anyOf) for (const option of node.anyOf) words.push(...limitWords(option));
  return [...new Set(words)];
}

/** Wraps a list item at WIDTH columns, continuation lines indented under it. */
function item(text) {
  const lines = [];
  let line = "-";
  for (const word of text.split(" ")) {
    if (line.length + 1 + word.length > WIDTH && line.trim() !== "-") {
      lines.push(line);
      line = " ";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join("\n");
}

/** The object node a key leads into, when it has fields of its own. */
function fieldsOf(node) {
  if (node.type === "object" && node.properties) return node;
  if (node.type === "array" && node.items?.type === "object" && node.items.properties) {
    return node.items;
  }
  if (node.type === "object" && node.additionalProperties?.properties) {
    return node.additionalProperties;
  }
  return undefined;
}

function childPath(path, key, node) {
  if (node.type === "array") return `${path}${key}[]`;
  if (node.type === "object" && node.additionalProperties?.properties) return `${path}${key}.<id>`;
  return `${path}${key}`;
}

/**
 * A key that may also be null (an optional list an empty key leaves as none):
 * its other type, and whether null was allowed.
 */
function nullable(node) {
  const options = node.anyOf?.filter((option) => option.type !== "null");
  if (options?.length !== 1 || options.length === node.anyOf.length) return [node, false];
  const { anyOf: _, ...rest } = node;
  return [{ ...options[0], ...rest }, true];
}

/** One section per mapping: its keys as a list, then the sections of the mappings below it. */
function sections(node, path, title, out) {
  const required = new Set(node.required ?? []);
  const lines = [`### ${title}`, ""];
  if (node.description && path) lines.push(node.description, "");
  const nested = [];
  for (const [key, value] of Object.entries(node.properties)) {
    const [child, none] = nullable(value);
    const facts = [typeWords(child), ...limitWords(child)];
    if (required.has(key)) facts.unshift("required");
    if (none) facts.push("empty for none");
    const description = child.description ? `: ${child.description}` : "";
    const fields = fieldsOf(child);
    const where = fields ? ` (its keys: [below](#${anchor(childPath(path, key, child))}))` : "";
    lines.push(item(`\`${key}\` (${facts.join(", ")})${description}${where}`));
    if (fields) nested.push([childPath(path, key, child), fields]);
  }
  out.push(lines.join("\n"));
  for (const [childPathName, fields] of nested) {
    sections(fields, `${childPathName}.`, `\`${childPathName}\``, out);
  }
}

/** GitHub's anchor for a heading that is a code span. */
function anchor(text) {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The generated reference, markers included. */
export function rosterReference(schema) {
  const out = [];
  sections(schema, "", "Top level", out);
  return [
    START,
    "<!-- Generated by `npm run generate` from schema/roster.schema.json. Do not edit by hand. -->",
    "",
    out.join("\n\n"),
    "",
    END,
  ].join("\n");
}

/** `text` (docs/roster.md) with its generated part replaced. */
export function withRosterReference(text, schema) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`docs/roster.md lacks the markers ${START} and ${END}`);
  }
  return text.slice(0, start) + rosterReference(schema) + text.slice(end + END.length);
}
