import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  visit,
  type YAMLMap,
} from "yaml";
import type { Problem } from "./problems.ts";
import { withLineFeeds } from "./text.ts";

/** A path into parsed YAML data: mapping keys and sequence indexes. */
export type Path = readonly (string | number)[];

/** Where in a file a path points: its key (for unknown keys) or its value. */
export type Anchor = "key" | "value";

/** Aliases a document may expand to before it is treated as an alias bomb. */
export const MAX_ALIAS_EXPANSION = 1000;

/**
 * How deep collections may nest in a file rota reads. A roster, a note's
 * front matter or a file of answers needs a handful of levels; thousands
 * would exhaust the stack of every reader that walks the data.
 */
export const MAX_NESTING = 64;

export interface YamlText {
  /** The data, as plain JavaScript values (YAML 1.2 core schema: `17:00` is a string). */
  value: unknown;
  /** 1-based line and column of a path's key or value, or of its nearest existing parent. */
  locate(path: Path, anchor?: Anchor): { line: number; col: number };
  /**
   * The value at a path as written: each number or boolean (`3.10`, `0123`,
   * `true`) as its text in the file, for a scalar or a list of scalars;
   * undefined for anything else (a mapping, an alias, a missing path).
   */
  asWritten(path: Path): unknown;
}

export type ParsedYaml =
  | { ok: true; yaml: YamlText }
  | {
      ok: false;
      problems: Problem[];
      /**
       * The data all the same, where the only problems are duplicate keys
       * (each the last value given, located there): the rest of
       * the file can still be checked, so that every problem is reported at once.
       */
      despite?: YamlText;
    };

const FRIENDLY_ERRORS: Record<string, (text: string) => string> = {
  DUPLICATE_KEY: (key) =>
    `duplicate key ${JSON.stringify(key)}: a key may appear only once in a mapping`,
  TAB_AS_INDENT: () => "a tab is used for indentation; YAML indents with spaces",
  MULTIPLE_DOCS: () => 'the file holds several YAML documents ("---"); keep one',
};

/**
 * Parses YAML 1.2 text, keeping positions; a carriage return alone is a line
 * break, as YAML 1.2 has it. Syntax errors, duplicate keys, tabs, several
 * documents, unresolved aliases and alias bombs become problems with their
 * line and column; no input makes this throw or hang.
 */
export function parseYaml(source: string, file: string): ParsedYaml {
  const text = withLineFeeds(source);
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      version: "1.2",
      uniqueKeys: true,
      merge: true,
      strict: true,
    });
  } catch (error) {
    // The yaml package's parser recurses once per level of block nesting, and
    // a few thousand levels run out of stack before any problem is known.
    if (!(error instanceof RangeError)) throw error;
    const counted = new LineCounter();
    counted.addNewLine(0);
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) {
      counted.addNewLine(at + 1);
    }
    return {
      ok: false,
      problems: [
        {
          file,
          ...counted.linePos(deepIndentation(text)),
          severity: "error",
          message: NESTED_TOO_DEEP,
        },
      ],
    };
  }
  const at = (offset: number) => lineCounter.linePos(offset);
  const problem = (offset: number, message: string): Problem => ({
    file,
    ...at(offset),
    severity: "error",
    message,
  });

  // A collection nested too deep is one problem where its nesting starts, not
  // the stack overflow the parser met somewhere inside it.
  const deep = deepNesting(doc);
  const errors = deep
    ? doc.errors.filter((error) => error.code !== "RESOURCE_EXHAUSTION")
    : doc.errors;
  const problems: Problem[] = errors.map((error) => {
    const [start, end] = error.pos;
    const friendly = FRIENDLY_ERRORS[error.code];
    const message = friendly ? friendly(keyText(text, start, end)) : lowerFirst(error.message);
    return problem(start, message);
  });
  if (deep !== undefined) {
    problems.push(problem(deep, NESTED_TOO_DEEP));
  }
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.2") {
    problems.push(
      problem(0, `%YAML ${doc.directives.yaml.version} is not supported: remove the directive`),
    );
  }
  problems.push(...nodeProblems(doc, problem));
  const onlyDuplicates =
    problems.length === errors.length && errors.every((error) => error.code === "DUPLICATE_KEY");
  if (problems.length > 0 && !onlyDuplicates) return { ok: false, problems };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch {
    const first = firstAlias(doc);
    const bomb = problem(
      first ?? 0,
      "aliases expand to too much data (an alias bomb?); write the data out instead",
    );
    return { ok: false, problems: [...problems, bomb] };
  }
  const yaml: YamlText = {
    value,
    locate: (path, anchor = "value") => at(offsetOf(doc, text, path, anchor)),
    asWritten: (path) => writtenValue(nodeAt(doc, path)),
  };
  return problems.length > 0 ? { ok: false, problems, despite: yaml } : { ok: true, yaml };
}

/**
 * Where collections start to nest more than MAX_NESTING levels deep (the
 * document's top collection is the first level), as an offset; undefined
 * when they never do. The place given is the start of the run of nesting
 * that goes too deep: from the first collection too deep, up through each
 * collection that holds nothing else, to the value of a top-level key (or
 * the top itself where that is no mapping). Walked without recursion, as
 * the document may be nested far deeper than the stack reaches.
 */
function deepNesting(doc: Document): number | undefined {
  interface Step {
    node: unknown;
    depth: number;
    parent: Step | undefined;
  }
  const stack: Step[] = [{ node: doc.contents, depth: 1, parent: undefined }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    const { node, depth } = step;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_NESTING) {
      let start = step;
      const topIsMap = isMap(doc.contents);
      for (let parent = start.parent; parent !== undefined; parent = parent.parent) {
        const items = (parent.node as { items: unknown[] }).items;
        if (items.length !== 1 || (parent.depth === 1 && topIsMap)) break;
        start = parent;
      }
      return (start.node as Node).range?.[0] ?? 0;
    }
    for (const item of node.items) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1, parent: step });
        stack.push({ node: item.value, depth: depth + 1, parent: step });
      } else {
        stack.push({ node: item, depth: depth + 1, parent: step });
      }
    }
  }
  return undefined;
}

const NESTED_TOO_DEEP = `nested more than ${MAX_NESTING} levels deep: rota reads files nested up to ${MAX_NESTING} levels; write it flatter`;

/**
 * Where block nesting, read from the lines' indentation alone (each deeper
 * indent, and each \`- \` starting a line's content, one level), first goes
 * more than MAX_NESTING levels deep: the start of the value of the top-level
 * key it is under (as \`deepNesting\` places it), else of the text. For a text
 * the yaml package cannot parse at all for its depth.
 */
function deepIndentation(text: string): number {
  const levels: { indent: number; offset: number }[] = [];
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf("\n", start);
    const stop = end === -1 ? text.length : end;
    let column = 0;
    while (text.charCodeAt(start + column) === 32) column++;
    const first = text.charCodeAt(start + column);
    if (start + column < stop && first !== 35 /* # */) {
      while (levels.length > 0 && (levels.at(-1) as { indent: number }).indent >= column) {
        levels.pop();
      }
      levels.push({ indent: column, offset: start + column });
      // A sequence entry's content starts a level deeper, on the same line.
      while (
        text.charCodeAt(start + column) === 45 /* - */ &&
        text.charCodeAt(start + column + 1) === 32
      ) {
        column += 2;
        while (text.charCodeAt(start + column) === 32) column++;
        levels.push({ indent: column, offset: start + column });
      }
      if (levels.length > MAX_NESTING) return levels[1]?.offset ?? 0;
    }
    start = stop + 1;
  }
  return 0;
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}

/** The text of a key at an error position, for a duplicate-key message. */
function keyText(text: string, start: number, end: number): string {
  const line = text.slice(
    start,
    text.indexOf("\n", start) === -1 ? undefined : text.indexOf("\n", start),
  );
  const match = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^:#]+?)\s*:/.exec(line);
  return (match?.[1] ?? text.slice(start, end)).replace(/^["']|["']$/g, "");
}

/**
 * Half of a UTF-16 surrogate pair without the other half: only a `\uD800`
 * escape in a double-quoted string makes one (a file's bytes cannot). It is
 * no character: every file rota writes would hold U+FFFD in its place.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Aliases to no anchor before them, keys that are lists or mappings
 * (`? [a, b]`, `{a: 1}: x`), which no file rota reads has (as data such a
 * key would be its text, and the yaml package warns on the console making
 * it), and text holding half of a surrogate pair.
 */
function nodeProblems(doc: Document, problem: (offset: number, message: string) => Problem) {
  const problems: Problem[] = [];
  const anchors = new Set<string>();
  visit(doc, {
    Pair(_key, pair) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      if (isMap(key) || isSeq(key)) {
        const message = "a list or mapping is no key here: write a plain key, as in `name: value`";
        problems.push(problem((pair.key as Node).range?.[0] ?? 0, message));
      }
    },
    Scalar(_key, node) {
      if (typeof node.value !== "string") return;
      const half = LONE_SURROGATE.exec(node.value)?.[0];
      if (half === undefined) return;
      const code = (half.codePointAt(0) ?? 0).toString(16).toUpperCase();
      problems.push(
        problem(
          node.range?.[0] ?? 0,
          `the escape \\u${code} is half of a surrogate pair, which is no character and cannot be saved: write the character itself, or both halves of its pair`,
        ),
      );
    },
    Node(_key, node) {
      if (node.anchor) anchors.add(node.anchor);
      if (isAlias(node) && !anchors.has(node.source)) {
        problems.push(
          problem(
            node.range?.[0] ?? 0,
            `alias *${node.source} refers to no anchor &${node.source} defined before it`,
          ),
        );
      }
    },
  });
  return problems;
}

function firstAlias(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * The pair of a mapping whose key is `segment`, the key as the data has it:
 * an empty key (`: 4`, `~: 4`) is "" there. Of a key given twice, the last,
 * whose value the data holds (see `despite`).
 */
function pairAt(map: YAMLMap, segment: Path[number] | undefined): Pair | undefined {
  for (let i = map.items.length - 1; i >= 0; i--) {
    const item = map.items[i];
    if (
      isPair(item) &&
      isScalar(item.key) &&
      (item.key.value === null ? "" : String(item.key.value)) === String(segment)
    ) {
      return item;
    }
  }
  return undefined;
}

/** The node at a path, without following aliases; undefined where there is none. */
function nodeAt(doc: Document, path: Path): unknown {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isMap(node)) {
      node = pairAt(node, segment)?.value ?? undefined;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
    } else {
      return undefined;
    }
  }
  return node;
}

/** A scalar's or a list of scalars' value, with numbers and booleans as written. */
function writtenValue(node: unknown): unknown {
  if (isScalar(node)) {
    const { value, source } = node;
    return (typeof value === "number" || typeof value === "boolean") && source !== undefined
      ? source
      : value;
  }
  if (isSeq(node)) {
    const items = node.items.map(writtenValue);
    return items.includes(undefined) ? undefined : items;
  }
  return undefined;
}

/** The offset of a path's key or value in the document, or of its nearest existing parent (or of an alias on the way). */
function offsetOf(doc: Document, text: string, path: Path, anchor: Anchor): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    // What lies through an alias (`*p`) is placed at the alias: the anchored
    // text is elsewhere, and a problem with the copy is the copy's.
    if (isAlias(node)) return offset;
    if (isMap(node)) {
      const pair = pairAt(node, segment);
      if (!pair) return offset;
      const keyNode = pair.key as Node;
      const valueNode = pair.value as Node | null;
      if (last && anchor === "key") return keyStart(text, keyNode) ?? offset;
      offset = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

/**
 * Where a key starts. An empty key (`: 4`), which the yaml package places at
 * the start of its line, starts where its colon is.
 */
function keyStart(text: string, key: Node): number | undefined {
  const range = key.range;
  if (!range) return undefined;
  let at = range[0];
  if (range[1] === at) while (text.charCodeAt(at) === 32) at++;
  return at;
}
