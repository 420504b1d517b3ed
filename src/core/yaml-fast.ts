import jsyaml from "js-yaml";

/*
 * A fast reader for well-formed files. The yaml package keeps positions for
 * every node, which costs seconds on a 50,000-person roster; js-yaml reads
 * the same file several times faster. It is given exactly the YAML 1.2 core
 * schema that the yaml package uses (the regular expressions below are
 * yaml's own), so both read every plain scalar the same way. Files that use
 * anchors, aliases, merge keys, tags or directives, or that do not parse,
 * are left to the yaml package (undefined here).
 */

/** One implicit type per tag (js-yaml keeps one per tag): the first matching form constructs. */
const scalar = (tag: string, forms: [RegExp, (text: string) => unknown][]): jsyaml.Type =>
  new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (text: string | null) => forms.some(([test]) => test.test(text ?? "")),
    construct: (text: string | null) => {
      const form = forms.find(([test]) => test.test(text ?? ""));
      return form ? form[1](text ?? "") : text;
    },
  });

const CORE_1_2 = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar("null", [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
    scalar("bool", [
      [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === "t" || text[0] === "T"],
    ]),
    scalar("int", [
      [/^0o[0-7]+$/, (text) => Number.parseInt(text.substring(2), 8)],
      [/^[-+]?[0-9]+$/, (text) => Number.parseInt(text, 10)],
      [/^0x[0-9a-fA-F]+$/, (text) => Number.parseInt(text.substring(2), 16)],
    ]),
    scalar("float", [
      [
        /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
        (text) =>
          text.slice(-3).toLowerCase() === "nan"
            ? Number.NaN
            : text[0] === "-"
              ? Number.NEGATIVE_INFINITY
              : Number.POSITIVE_INFINITY,
      ],
      [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, Number.parseFloat],
      [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, Number.parseFloat],
    ]),
  ],
});

/** Anchors, aliases, tags, merge keys and directives: the yaml package handles those. */
const NEEDS_FULL_PARSER = /(?:^|[\s,[{:-])[&*!][^\s,[\]{}]|<<|^%|\t/m;

/**
 * The data of a plain YAML 1.2 file, read fast; undefined when the file needs
 * the full parser (which then also reports its problems with positions).
 */
export function readPlainYaml(text: string): unknown {
  if (NEEDS_FULL_PARSER.test(text)) return undefined;
  try {
    return jsyaml.load(text, { schema: CORE_1_2, json: false });
  } catch {
    return undefined;
  }
}
