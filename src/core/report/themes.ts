/**
 * Recurring themes in free-text answers: the words and two-word phrases that
 * come back across many notes ("SSO", "invoice currency"), each counted once
 * per note — one person's answers about one shift are one voice, however many
 * entries they appended. Plain counting, no language model: what a reader sees
 * is explainable ("14 notes mention it") and the same input gives the same
 * themes.
 */

/** Words that carry no theme (English, plus the words every support answer uses). */
const STOPWORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before " +
    "being below between both but by can cannot could did do does doing done down during each " +
    "even ever every few for from further get gets getting got had has have having he her here " +
    "hers him his how however i if in into is it its itself just let like lot lots made make " +
    "makes many may me might more most much must my no nor not now of off on once one only or " +
    "other our ours out over own per quite rather really same she should so some still such " +
    "than that the their theirs them then there these they thing things this those though " +
    "through to too two under until up upon us use used using very via was way we were what " +
    "when where which while who whom why will with within without would yet you your yours " +
    "customer customers user users people someone somebody anyone everyone asked ask asking " +
    "wanted want wants need needed needs trying tried try"
  ).split(" "),
);

/** A run of letters and digits, any script. */
const LETTERS = /[\p{L}\p{N}]+/gu;
/** What joins two runs into one word when it stands alone between them (`e-mail`, `v2.1`, `don't`). */
const JOINERS = "'’.-";

/**
 * Letters and digits (any script), with inner apostrophes, dots or hyphens:
 * runs of letters joined by one of JOINERS. Read run by run, not with one
 * expression that repeats a group, which overflows the stack on an answer of
 * megabytes.
 */
export function* wordsIn(text: string): Generator<string> {
  let start = -1;
  let end = -1;
  for (const run of text.matchAll(LETTERS)) {
    const at = run.index;
    if (start >= 0 && !(at === end + 1 && JOINERS.includes(text.charAt(end)))) {
      yield text.slice(start, end);
      start = -1;
    }
    if (start < 0) start = at;
    end = at + run[0].length;
  }
  if (start >= 0) yield text.slice(start, end);
}

/** Digits alone, or joined by dots and hyphens (`2026-11-23`, `1.5`): no theme. */
export function isNumbers(key: string): boolean {
  return /^\d(?:[\d.-]*\d)?$/.test(key) && !/[.-]{2}/.test(key);
}

/** The words of a text, lowercased, with the form each was written in. */
export function words(text: string): { key: string; surface: string }[] {
  const out: { key: string; surface: string }[] = [];
  for (const surface of wordsIn(text)) {
    const key = surface.toLowerCase();
    if (key.length < 2 || STOPWORDS.has(key) || isNumbers(key)) {
      out.push({ key: "", surface });
      continue;
    }
    out.push({ key, surface });
  }
  return out;
}

export interface Theme<T> {
  /** The term as most answers wrote it: `SSO`, `invoice currency`. */
  term: string;
  /** How many sources (notes) mention it. */
  count: number;
  /** The answers that mention it, in the order given, the first of each source. */
  items: T[];
}

/** An answer, the item to quote for it, and where it comes from (one note: a person on a shift). */
export interface Answer<T> {
  text: string;
  item: T;
  /** Answers with the same source (a note's number) count once; each answer is its own source when absent. */
  source?: number;
}

/**
 * The terms that recur across answers: single words and two-word phrases
 * (no stopword inside), kept when answers from at least `min` sources mention
 * them — two people, or one person on two shifts, for notes — and counted
 * once per source. A term found in exactly the same answers as one ranked
 * above it is dropped (a word inside a phrase, two phrases of one sentence say
 * the same thing). Most frequent first; ties by phrase before word, then
 * alphabetically. `items` of each theme are the answers that mention it, in
 * input order (pass them newest first), the first of each source, at most
 * `items` of them.
 */
export function recurringThemes<T>(
  answers: readonly Answer<T>[],
  options: { limit: number; min?: number; items?: number },
): Theme<T>[] {
  const min = options.min ?? 2;
  const keep = options.items ?? Number.POSITIVE_INFINITY;
  // An answer without a source is a source of its own.
  const sourceOf = answers.map(({ source }, index) => source ?? -1 - index);
  // The same answer text often comes back word for word: each distinct text
  // is read once, and its terms count once per answer that wrote it.
  const texts = new Map<string, { id: number; answers: number[] }>();
  answers.forEach(({ text }, index) => {
    let entry = texts.get(text);
    if (!entry) {
      entry = { id: texts.size, answers: [] };
      texts.set(text, entry);
    }
    entry.answers.push(index);
  });
  const terms = new Map<
    string,
    { count: number; texts: { id: number; answers: number[] }[]; surfaces: Map<string, number> }
  >();
  for (const [text, entry] of texts) {
    for (const [key, surface] of termsOf(text)) {
      let term = terms.get(key);
      if (!term) {
        term = { count: 0, texts: [], surfaces: new Map() };
        terms.set(key, term);
      }
      term.count += entry.answers.length;
      term.texts.push(entry);
      term.surfaces.set(surface, (term.surfaces.get(surface) ?? 0) + entry.answers.length);
    }
  }
  // Then a source with several answers (a note with several entries) gives
  // back all but one count of each term its answers share. Few do, so this
  // costs little, and no term keeps a set of its sources.
  const bySource = Int32Array.from(answers.keys()).sort(
    (a, b) => (sourceOf[a] as number) - (sourceOf[b] as number) || a - b,
  );
  for (let start = 0; start < bySource.length; ) {
    let end = start + 1;
    const source = sourceOf[bySource[start] as number];
    while (end < bySource.length && sourceOf[bySource[end] as number] === source) end++;
    if (end - start > 1) {
      const mentions = new Map<string, number>();
      for (let k = start; k < end; k++) {
        for (const key of termsOf((answers[bySource[k] as number] as Answer<T>).text).keys()) {
          mentions.set(key, (mentions.get(key) ?? 0) + 1);
        }
      }
      for (const [key, times] of mentions) {
        const term = terms.get(key);
        if (term) term.count -= times - 1;
      }
    }
    start = end;
  }
  const ranked = [...terms.entries()]
    .filter(([, term]) => term.count >= min)
    .sort(
      ([a, x], [b, y]) =>
        y.count - x.count ||
        Number(b.includes(" ")) - Number(a.includes(" ")) ||
        (a < b ? -1 : a > b ? 1 : 0),
    );
  const kept: { term: (typeof ranked)[number][1]; signature: string }[] = [];
  for (const [, term] of ranked) {
    if (kept.length >= options.limit) break;
    // A term found in exactly the answers of one already kept adds nothing
    // (a word inside a phrase, or two phrases of the same sentence).
    const signature = term.texts.map((t) => t.id).join(",");
    if (!kept.some((k) => k.term.count === term.count && k.signature === signature)) {
      kept.push({ term, signature });
    }
  }
  return kept.map(({ term }) => {
    // Each text's answers are in input order: from each, those of its first
    // `keep` sources suffice; then the first answer of each source is quoted.
    const candidates: number[] = [];
    for (const t of term.texts) {
      const seen = new Set<number>();
      for (const index of t.answers) {
        const source = sourceOf[index] as number;
        if (!seen.has(source)) {
          if (seen.size >= keep) break;
          seen.add(source);
        }
        candidates.push(index);
      }
    }
    const quoted = new Set<number>();
    const items: T[] = [];
    for (const index of candidates.sort((a, b) => a - b)) {
      if (items.length >= keep) break;
      const source = sourceOf[index] as number;
      if (quoted.has(source)) continue;
      quoted.add(source);
      items.push((answers[index] as Answer<T>).item);
    }
    return { term: mostUsed(term.surfaces), count: term.count, items };
  });
}

/** The terms of a text, each once: words and two-word phrases (no stopword inside), with the form written. */
function termsOf(text: string): Map<string, string> {
  const tokens = words(themeText(text));
  const found = new Map<string, string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as { key: string; surface: string };
    if (token.key === "") continue;
    if (!found.has(token.key)) found.set(token.key, token.surface);
    const next = tokens[i + 1];
    if (next && next.key !== "") {
      const key = `${token.key} ${next.key}`;
      if (!found.has(key)) found.set(key, `${token.surface} ${next.surface}`);
    }
  }
  return found;
}

/**
 * The words an answer's themes are read from: its markdown's words, as its
 * quotes show them (a link's text, not its address), without the web and
 * mail addresses written out in it, whose parts (`https`, a host) are no
 * theme and would be counted where no quote shows them.
 */
function themeText(text: string): string {
  // Emphasis, code and line markers hold no letters: only a link's address
  // and an address written out do. Most answers have neither.
  const linked = text.includes("](") ? linkTexts(text) : text;
  return MAY_HOLD_ADDRESS.test(linked) ? linked.replace(ADDRESS, " ") : linked;
}

const MAY_HOLD_ADDRESS = /:\/\/|mailto:|www\./i;
const ADDRESS = /<?\b(?:(?:https?|ftp):\/\/|mailto:|www\.)[^\s<>]*>?/gi;

/** The form written most often; ties go to the first in code-point order, for stable output. */
function mostUsed(surfaces: Map<string, number>): string {
  let best = "";
  let bestCount = -1;
  for (const [surface, count] of surfaces) {
    if (count > bestCount || (count === bestCount && surface < best)) {
      best = surface;
      bestCount = count;
    }
  }
  return best;
}

/**
 * One line of an answer to quote: as text (answers are markdown: `**bold**`,
 * `` `code` `` and `[a link](…)` are quoted as their words), whitespace
 * collapsed, cut at `max` characters on a word boundary.
 */
export function quoteText(text: string, max = 200): string {
  const line = markdownWords(text).replace(/\s+/g, " ").trim();
  if ([...line].length <= max) return line;
  const cut = [...line].slice(0, max).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, "")}…`;
}

const SPACE = /\s/;

function isSpace(c: string): boolean {
  return c !== "" && SPACE.test(c);
}

function skipSpaces(text: string, at: number): number {
  while (isSpace(text.charAt(at))) at++;
  return at;
}

/** The first of `stops` at or after `from`, or -1. */
function firstOf(text: string, from: number, stops: string): number {
  for (let at = from; at < text.length; at++) if (stops.includes(text.charAt(at))) return at;
  return -1;
}

/**
 * Where a parenthesis group of a link's destination that opens at `open`
 * ends, or -1: no spaces, and groups inside it `depth - 1` deep.
 */
function groupEnd(text: string, open: number, depth: number): number {
  for (let at = open + 1; ; ) {
    const c = text.charAt(at);
    if (c === ")") return at + 1;
    if (c === "" || isSpace(c) || (c === "(" && depth === 1)) return -1;
    if (c === "(") {
      at = groupEnd(text, at, depth - 1);
      if (at < 0) return -1;
    } else at++;
  }
}

/** Where a destination without `<…>` ends: no spaces, parentheses balanced two deep. */
function destinationEnd(text: string, from: number): number {
  let at = from;
  for (;;) {
    const c = text.charAt(at);
    if (c === "" || c === ")" || isSpace(c)) return at;
    if (c !== "(") at++;
    else {
      const end = groupEnd(text, at, 2);
      if (end < 0) return at;
      at = end;
    }
  }
}

/**
 * Where a link that continues at `from` (just past `](`) ends, or -1: a
 * destination as CommonMark reads one (`<…>`, or text whose parentheses are
 * balanced, as in Wikipedia's `…/Single_sign-on_(SSO)`), an optional title
 * and `)`. The spaces before the destination may part an empty one from a
 * title (`[a]( "title")`).
 */
function linkEnd(text: string, from: number): number {
  const start = skipSpaces(text, from);
  /** The end after a destination from `start` to `end`: a title, then `)`. */
  const rest = (end: number): number => {
    const after = skipSpaces(text, end);
    const spaced = after > (end === start ? from : end);
    const opener = text.charAt(after);
    if (spaced && (opener === '"' || opener === "'" || opener === "(")) {
      const close = firstOf(text, after + 1, opener === "(" ? "()\n" : `${opener}\n`);
      if (close >= 0 && text.charAt(close) === (opener === "(" ? ")" : opener)) {
        const last = skipSpaces(text, close + 1);
        if (text.charAt(last) === ")") return last + 1;
      }
    }
    return opener === ")" ? after + 1 : -1;
  };
  if (text.charAt(start) === "<") {
    const close = firstOf(text, start + 1, "<>\n");
    const end = close >= 0 && text.charAt(close) === ">" ? rest(close + 1) : -1;
    if (end >= 0) return end;
  }
  const destination = destinationEnd(text, start);
  const end = destination > start ? rest(destination) : -1;
  return end >= 0 ? end : rest(start);
}

/**
 * The text with each inline link or image (`[text](destination "title")`)
 * replaced by its text. Read by hand, in one pass: an expression for it
 * overflows the stack on an answer of megabytes, and takes time growing
 * with the square of a line of `[`.
 */
export function linkTexts(text: string): string {
  let out = "";
  let copied = 0;
  // The first `]` or line break at or after `at`, kept as `at` moves on: a
  // line of `[` is read once.
  let stop = -1;
  for (let at = text.indexOf("["); at >= 0; at = text.indexOf("[", at + 1)) {
    if (stop <= at) {
      stop = firstOf(text, at + 1, "]\n");
      if (stop < 0) break;
    }
    if (text.charAt(stop) !== "]" || text.charAt(stop + 1) !== "(") continue;
    const end = linkEnd(text, stop + 2);
    if (end < 0) continue;
    const from = at > copied && text.charAt(at - 1) === "!" ? at - 1 : at;
    out += text.slice(copied, from) + text.slice(at + 1, stop);
    copied = end;
    at = end - 1;
  }
  return out + text.slice(copied);
}

/**
 * The text with each strong emphasis (`**words**`, `__words__`, on one line,
 * no space inside either mark) replaced by its words. Read in one pass,
 * keeping for each mark the next place it could close: an expression that
 * looks ahead for the closing mark from every opening one takes time growing
 * with the square of a line of `**a `.
 */
export function strongTexts(text: string): string {
  let out = "";
  let copied = 0;
  // The next closing `**` and `__` (a mark after a character that is not a
  // space), and the next line break, each at or after where it is needed.
  const closing = { "**": -1, __: -1 };
  let lineEnd = -1;
  for (let at = 0; at < text.length - 2; at++) {
    const mark = text.startsWith("**", at) ? "**" : text.startsWith("__", at) ? "__" : undefined;
    if (mark === undefined || isSpace(text.charAt(at + 2))) continue;
    let close = closing[mark];
    if (close < at + 3) {
      close = text.indexOf(mark, at + 3);
      while (close >= 0 && isSpace(text.charAt(close - 1))) close = text.indexOf(mark, close + 1);
      closing[mark] = close < 0 ? text.length : close;
      if (close < 0) continue;
    }
    if (close >= text.length) continue;
    if (lineEnd < at + 2) {
      lineEnd = text.indexOf("\n", at + 2);
      if (lineEnd < 0) lineEnd = text.length;
    }
    if (close > lineEnd) continue;
    out += text.slice(copied, at) + text.slice(at + 2, close);
    copied = close + 2;
    at = close + 1;
  }
  return out + text.slice(copied);
}

/**
 * The words of a markdown answer without its inline markup: emphasis, code
 * spans, links and images (their text), line-start markers of headings,
 * quotes and lists, and backslash escapes. What is left is text, escaped
 * again wherever it is shown.
 */
function markdownWords(text: string): string {
  return strongTexts(linkTexts(text).replace(/`([^`\n]+)`/g, "$1"))
    .replace(/(^|[^\w*\\])([*_])(?=\S)([^\n*_]*?\S)\2(?![\w*])/g, "$1$3")
    .replace(/^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-+*][ \t]+)/gm, "")
    .replace(/\\([!-/:-@[-`{-~])/g, "$1");
}
