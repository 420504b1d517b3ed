import { describe, expect, test } from "vitest";
import { toDay } from "../../src/core/dates.ts";
import type { FairnessRow } from "../../src/core/plan/planner.ts";
import { type Column, fitColumns } from "../../src/core/render/fit.ts";
import { type RotaView, renderRotaText } from "../../src/core/render/rota.ts";
import { PLAIN, type Style } from "../../src/core/render/style.ts";
import { paint } from "../../src/io/terminal.ts";

const COLUMNS: Column[] = [
  { min: 16 },
  { min: 8, drop: 1 },
  { right: true, drop: 2 },
  { right: true },
  { right: true },
  { right: true },
];

function viewOf(fairness: FairnessRow[], me?: string): RotaView {
  return {
    team: "Support",
    zone: "UTC",
    from: toDay("2026-01-05"),
    until: toDay("2026-01-12"),
    entries: [],
    shifts: new Map(),
    names: new Map(fairness.map((row) => [row.id, row.name])),
    gaps: [],
    warnings: [],
    fairness,
    changes: [],
    ...(me ? { me } : {}),
  };
}

/** The fairness table as the table of cells it is, laid out by fitColumns. */
function expectedTable(view: RotaView, style: Style, width: number | undefined): string {
  const header = ["Person", "Team", "Weight", "Shifts", "Share", "Before"].map((h) => style.dim(h));
  const rows = view.fairness.map((row) => [
    row.id === view.me ? style.bold(row.name) : row.name,
    row.team ?? "",
    String(row.weight),
    String(row.shifts),
    row.expected.toFixed(1),
    String(row.served),
  ]);
  const cells = header.map((h, i) => [h, ...rows.map((row) => row[i] as string)]);
  return fitColumns(cells, COLUMNS, { width, indent: "  " }).join("\n");
}

const ROWS: FairnessRow[] = [
  {
    id: "ann",
    name: "Ann Lee",
    team: "support",
    weight: 1,
    shifts: 12,
    expected: 11.96,
    served: 3,
  },
  { id: "jose", name: "José Núñez", weight: 0.5, shifts: 0, expected: 0.04, served: 0 },
  {
    id: "grace",
    name: "Grace Brewster Murray Hopper",
    team: "engineering",
    weight: 2,
    shifts: 104,
    expected: 99.95,
    served: 17,
  },
];

describe("the weeks of `rota plan`", () => {
  test("without a width, the same text as at a width too wide to cut anything", () => {
    const shifts = new Map([
      ["emea", { id: "emea", name: "EMEA", zone: "UTC", allDay: false }],
      ["apac", { id: "apac", name: "APAC", zone: "Asia/Kolkata", allDay: false }],
    ]) as unknown as RotaView["shifts"];
    const entry = (date: string, shift: string, people: string[], open?: number) => ({
      id: `${date}/${shift}`,
      date,
      shift,
      start: `${date}T09:00:00+05:30`,
      end: `${date}T17:00:00+05:30`,
      people,
      ...(open ? { open } : {}),
      rev: 0,
      changed: "2026-01-01T00:00:00Z",
    });
    const view: RotaView = {
      ...viewOf(ROWS, "grace"),
      entries: [
        entry("2026-01-05", "emea", ["ann", "jose"]),
        entry("2026-01-05", "apac", ["grace", "nobody-known"], 1),
        entry("2026-01-06", "apac", []),
      ],
      shifts,
      gaps: [
        {
          id: "2026-01-05/apac",
          date: "2026-01-05",
          shift: "apac",
          seat: 2,
          role: "pro",
          reason: "no pro available",
        },
      ],
    };
    for (const style of [PLAIN, paint(1)]) {
      const text = renderRotaText(view, style);
      expect(text).toContain("Asia/Kolkata".replace("Asia/", ""));
      expect(text).toBe(renderRotaText(view, style, { width: 10_000 }));
    }
  });
});

describe("the fairness table of `rota plan`", () => {
  const cases: [string, FairnessRow[], Style, string | undefined, number | undefined][] = [
    ["plain, no width", ROWS, PLAIN, undefined, undefined],
    ["in colour, the person at the terminal in bold", ROWS, paint(1), "grace", 120],
    [
      "a name beyond one-byte text",
      [...ROWS, { ...ROWS[0], id: "yamada", name: "山田太郎" } as FairnessRow],
      PLAIN,
      undefined,
      undefined,
    ],
    ["narrowed to a terminal's width", ROWS, paint(1), "ann", 40],
  ];
  for (const [name, rows, style, me, width] of cases) {
    test(`the same lines as its cells laid out column by column: ${name}`, () => {
      const view = viewOf(rows, me);
      const text = renderRotaText(view, style, { width });
      expect(text).toContain(`\n${expectedTable(view, style, width)}\n`);
    });
  }
});
