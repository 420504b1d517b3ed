/** An edit of a file's lines at line `at`, with `text` where it inserts or replaces. */
export type Mutation = (lines: string[], at: number, text: string) => string[];

/**
 * The edits a person makes to a roster by hand, right or wrong: lines
 * deleted, duplicated, inserted, typed into, indented, outdented, a value
 * replaced. Property tests mutate valid rosters with these and their own.
 */
export const LINE_MUTATIONS: readonly Mutation[] = [
  (lines, at) => lines.filter((_, i) => i !== at), // delete a line
  (lines, at) => [...lines.slice(0, at + 1), ...lines.slice(at)], // duplicate a line
  (lines, at, text) => [...lines.slice(0, at), text, ...lines.slice(at)], // insert a line
  (lines, at, text) =>
    lines.map((line, i) =>
      i === at ? line.slice(0, line.length >> 1) + text + line.slice(line.length >> 1) : line,
    ),
  (lines, at) => lines.map((line, i) => (i === at ? ` ${line}` : line)), // indent
  (lines, at) => lines.map((line, i) => (i === at ? line.replace(/^ /, "") : line)), // outdent
  (lines, at, text) =>
    lines.map((line, i) => (i === at ? line.replace(/: .*/, `: ${text}`) : line)),
];
