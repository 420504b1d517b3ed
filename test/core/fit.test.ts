import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  type Column,
  cutList,
  cutText,
  fitColumns,
  fitTable,
  OneByteLines,
  oneByteWidth,
  wholeItems,
  wrapText,
} from "../../src/core/render/fit.ts";
import { visibleLength } from "../../src/core/render/style.ts";
import { outputWidth } from "../../src/io/width.ts";

const RED = (text: string) => `\u001b[31m${text}\u001b[39m`;

describe("tables that fit the terminal", () => {
  const rows = [
    ["Person", "Served", "", "Last served", "Standing"],
    ["Augusta Ada King, Countess of Lovelace", "4", "████████", "2026-11-23", "ok"],
    ["Grace Hopper", "12", "████████████", "2026-11-24", "away (parental leave) until 2027-03-01"],
  ];
  const columns = [{ min: 12 }, { right: true }, { decoration: true }, { drop: 1 }, { min: 20 }];

  test("without a width, or where it fits, every column at its content's width", () => {
    const whole = fitTable(rows, columns, { indent: "  " });
    expect(whole).toEqual([
      "  Person                                  Served                Last served  Standing",
      "  Augusta Ada King, Countess of Lovelace       4  ████████      2026-11-23   ok",
      "  Grace Hopper                                12  ████████████  2026-11-24   away (parental leave) until 2027-03-01",
    ]);
    expect(fitTable(rows, columns, { width: 200, indent: "  " })).toEqual(whole);
  });

  test("first the bar charts go, then the widest text is cut, then columns are left out", () => {
    expect(fitTable(rows, columns, { width: 110, indent: "  " })).toEqual([
      "  Person                                  Served  Last served  Standing",
      "  Augusta Ada King, Countess of Lovelace       4  2026-11-23   ok",
      "  Grace Hopper                                12  2026-11-24   away (parental leave) until 2027-03-01",
    ]);
    // The name and the reason, the widest, are cut to the same width (and a character back to the first).
    expect(fitTable(rows, columns, { width: 90, indent: "  " }).slice(1)).toEqual([
      "  Augusta Ada King, Countess of Lo…       4  2026-11-23   ok",
      "  Grace Hopper                           12  2026-11-24   away (parental leave) until 202…",
    ]);
    // At 50 the reason meets its floor of 20: the last shift served is left out.
    expect(fitTable(rows, columns, { width: 50, indent: "  " })).toEqual([
      "  Person              Served  Standing",
      "  Augusta Ada King…        4  ok",
      "  Grace Hopper            12  away (parental leav…",
    ]);
    for (const width of [110, 90, 60, 50]) {
      for (const line of fitTable(rows, columns, { width, indent: "  " })) {
        expect(visibleLength(line)).toBeLessThanOrEqual(width);
      }
    }
  });

  test("where even the floors are too wide, lines run over rather than lose more", () => {
    expect(fitTable(rows, columns, { width: 20 })[2]).toBe(
      "Grace Hopper      12  away (parental leav…",
    );
  });

  test("a cell may cut itself: a list of names shortens the longest first", () => {
    const names = ["Augusta Ada King, Countess of Lovelace", "Grace Hopper"];
    expect(cutList(names, 40)).toBe("Augusta Ada King, Countes…, Grace Hopper");
    expect(cutList(names, 30)).toBe("Augusta Ada Kin…, Grace Hopper");
    expect(cutList(["Ann", "Bob"], 3)).toBe("An…");
  });

  test("a list of ids leaves out whole ids from its end, saying how many, and is never narrower than its first", () => {
    const ids = ["2026-12-11/americas", "2026-12-09/emea", "2026-12-07/emea"];
    const { cell, min } = wholeItems(ids);
    expect(min).toBe("2026-12-11/americas, +2 more".length);
    const rows = [["Latest without"], [cell], [wholeItems(["2026-12-14/emea"]).cell]];
    const atWidth = (width: number) => fitTable(rows, [{ min }], { width }).slice(1);
    expect(atWidth(60)).toEqual([
      "2026-12-11/americas, 2026-12-09/emea, 2026-12-07/emea",
      "2026-12-14/emea",
    ]);
    expect(atWidth(45)).toEqual([
      "2026-12-11/americas, 2026-12-09/emea, +1 more",
      "2026-12-14/emea",
    ]);
    expect(atWidth(30)).toEqual(["2026-12-11/americas, +2 more", "2026-12-14/emea"]);
    // Narrower than that, it runs over rather than cut an id.
    expect(atWidth(10)).toEqual(["2026-12-11/americas, +2 more", "2026-12-14/emea"]);
  });
});

describe("tables given column by column", () => {
  const columns: Column[] = [
    { min: 6 },
    { min: 4, drop: 1 },
    { right: true, drop: 2 },
    { right: true },
    {},
  ];
  const cell = fc.oneof(
    fc.constantFrom("", " ", "Ann ", "Grace Hopper", "山田太郎", "José", RED("Bob"), "12", "0.5"),
    fc.string({ maxLength: 12 }),
  );

  test("the same lines as the same rows, whether they fit, are narrowed or columns go", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined }),
        (rows, width) => {
          const cells = columns.map((_, i) => rows.map((row) => row[i] as string));
          const options = { width, indent: "  " };
          expect(fitColumns(cells, columns, options)).toEqual(fitTable(rows, columns, options));
        },
      ),
      { numRuns: 500 },
    );
  });

  test("a fairness table at its content's width: names padded, figures to the right", () => {
    const cells = [
      ["Person", "Ann", "Grace Hopper"],
      ["Team", "", "eng"],
      ["Shifts", "3", "12"],
    ];
    const spec: Column[] = [{ min: 6 }, { min: 4 }, { right: true }];
    expect(fitColumns(cells, spec, { indent: "  " })).toEqual([
      "  Person        Team  Shifts",
      "  Ann                      3",
      "  Grace Hopper  eng       12",
    ]);
    expect(fitColumns(cells, spec, { width: 20, indent: "  " })).toEqual([
      "  Person  Team  Shifts",
      "  Ann                3",
      "  Grace…  eng       12",
    ]);
  });
});

describe("tables of one-byte text written as bytes", () => {
  const columns: Column[] = [{ min: 6 }, { min: 4, drop: 1 }, { right: true }, { right: true }];
  const cell = fc.oneof(
    fc.constantFrom(
      "",
      " ",
      "Ann ",
      "Grace Hopper",
      "José",
      "\u00a0x\u00a0",
      RED("Bob"),
      "12",
      "0.5",
    ),
    fc.string({
      maxLength: 12,
      unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)),
    }),
  );

  /** The table as OneByteLines writes it, laid out as fitColumns lays it out when it fits. */
  function written(rows: string[][]): string {
    const lengths = rows.map((row) => row.map(oneByteWidth));
    const widths = columns.map((_, i) => Math.max(...lengths.map((row) => row[i] as number)));
    const lines = new OneByteLines("  ", "  ", 8);
    rows.forEach((row, r) => {
      lines.line();
      row.forEach((text, i) => {
        const length = (lengths[r] as number[])[i] as number;
        lines.cell(text, length, widths[i] as number, columns[i]?.right === true, i === 3, i === 0);
      });
      lines.finish();
    });
    return lines.text();
  }

  test("the same text as fitColumns' lines joined, spaces at the end of a line trimmed alike", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        (rows) => {
          const cells = columns.map((_, i) => rows.map((row) => row[i] as string));
          expect(written(rows)).toBe(fitColumns(cells, columns, { indent: "  " }).join("\n"));
        },
      ),
      { numRuns: 500 },
    );
  });

  test("text with a character beyond one byte is measured as not one-byte", () => {
    expect(oneByteWidth("José")).toBe(4);
    expect(oneByteWidth(RED("Bob"))).toBe(3);
    expect(oneByteWidth("山田")).toBe(-1);
    expect(oneByteWidth("09:00–17:00")).toBe(-1);
  });
});

describe("cutting and measuring text", () => {
  test("colour codes take no room and stay closed; wide characters take two", () => {
    expect(visibleLength(RED("Grace"))).toBe(5);
    expect(visibleLength("山田太郎")).toBe(8);
    expect(visibleLength("José")).toBe(4);
    expect(visibleLength("Jose\u0301")).toBe(4);
    expect(cutText(RED("Grace Hopper"), 6)).toBe(`\u001b[31mGrace…\u001b[0m`);
    expect(cutText("山田太郎さん", 7)).toBe("山田太…");
    expect(cutText("Grace", 5)).toBe("Grace");
    expect(cutText("Grace Hopper", 7)).toBe("Grace…");
  });

  test("prose wraps at words, with a hanging indent", () => {
    expect(wrapText("one two three four", 10, "  ", "    ")).toEqual([
      "  one two",
      "    three",
      "    four",
    ]);
    expect(wrapText("one two three four", undefined, "  ")).toEqual(["  one two three four"]);
  });
});

describe("how wide the output may be", () => {
  test("COLUMNS, else the terminal's width, else no limit for a pipe or a file", () => {
    const tty = { isTTY: true, columns: 100 } as NodeJS.WriteStream;
    const pipe = {} as NodeJS.WriteStream;
    expect(outputWidth({ env: { COLUMNS: "80" }, stdout: tty })).toBe(80);
    expect(outputWidth({ env: {}, stdout: tty })).toBe(100);
    expect(outputWidth({ env: { COLUMNS: "120" }, stdout: pipe })).toBe(120);
    expect(outputWidth({ env: {}, stdout: pipe })).toBeUndefined();
    expect(outputWidth({ env: { COLUMNS: "wide" }, stdout: pipe })).toBeUndefined();
    expect(outputWidth({ env: { COLUMNS: "0" }, stdout: tty })).toBe(100);
  });
});
