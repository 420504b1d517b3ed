/**
 * Recurring themes in free-text answers: the words and two-word phrases that
 * come back across many answers ("SSO", "invoice currency"), each counted
 * once per answer. Plain counting, no language model: what a reader sees is
 * explainable ("14 answers mention it") and the same input gives the same
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

/** Letters and digits (any script), with inner apostrophes, dots or hyphens (`e-mail`, `v2.1`). */
const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

/** The words of a text, lowercased, with the form each was written in. */
export function words(text: string): { key: string; surface: string }[] {
  const out: { key: string; surface: string }[] = [];
  for (const match of text.matchAll(WORD)) {
    const surface = match[0];
    const key = surface.toLowerCase();
    if (key.length < 2 || STOPWORDS.has(key) || /^\d+(?:[.-]\d+)*$/.test(key)) {
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
  /** How many answers mention it. */
  count: number;
  /** The answers that mention it, in the order given. */
  items: T[];
}

/**
 * The terms that recur across answers: single words and two-word phrases
 * (no stopword inside), each counted once per answer, kept when at least
 * `min` answers mention them. A term found in exactly the same answers as one
 * ranked above it is dropped (a word inside a phrase, two phrases of one
 * sentence say the same thing). Most frequent first; ties
 * by phrase before word, then alphabetically. `items` of each theme are the
 * answers that mention it, in input order (pass them newest first), at most
 * `items` of them.
 */
export function recurringThemes<T>(
  answers: readonly { text: string; item: T }[],
  options: { limit: number; min?: number; items?: number },
): Theme<T>[] {
  const min = options.min ?? 2;
  const keep = options.items ?? Number.POSITIVE_INFINITY;
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
    const tokens = words(text);
    const seen = new Set<string>();
    const add = (key: string, surface: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      let term = terms.get(key);
      if (!term) {
        term = { count: 0, texts: [], surfaces: new Map() };
        terms.set(key, term);
      }
      term.count += entry.answers.length;
      term.texts.push(entry);
      term.surfaces.set(surface, (term.surfaces.get(surface) ?? 0) + entry.answers.length);
    };
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as { key: string; surface: string };
      if (token.key === "") continue;
      add(token.key, token.surface);
      const next = tokens[i + 1];
      if (next && next.key !== "")
        add(`${token.key} ${next.key}`, `${token.surface} ${next.surface}`);
    }
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
  return kept.map(({ term }) => ({
    term: mostUsed(term.surfaces),
    count: term.count,
    // Each text's answers are in input order: the first `keep` of each suffice.
    items: term.texts
      .flatMap((t) => t.answers.slice(0, keep))
      .sort((a, b) => a - b)
      .slice(0, keep)
      .map((index) => (answers[index] as { item: T }).item),
  }));
}

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

/** One line of an answer to quote: whitespace collapsed, cut at `max` characters on a word boundary. */
export function quoteText(text: string, max = 200): string {
  const line = text.replace(/\s+/g, " ").trim();
  if ([...line].length <= max) return line;
  const cut = [...line].slice(0, max).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, "")}…`;
}
