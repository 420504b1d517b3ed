import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { writeNote } from "../bench/notes.mjs";
import { NOW, ticketTeam } from "../bench/tickets.mjs";
import { readInBackground } from "../src/io/background-reader.ts";
import { readNotesTree } from "../src/io/notes-tree.ts";
import { rota } from "./helpers/cli.ts";
import { tempDir } from "./helpers/tmp.ts";

/**
 * Many notes are read by a second thread ahead of the parsing
 * (src/io/background-reader.ts): what comes of them — records, warnings and
 * their order — is what one thread reading them alone gives.
 */

function note(date: string, shift: string, person: string, answer: string): string {
  return `---
occurrence: ${date}/${shift}
date: ${date}
shift: ${shift}
person: ${person}
tags: [billing]
handled: 4
mood: 3
---
<!-- rota:entry ${date}T16:00:00+00:00 -->
## ${shift}, ${date}: ${person}

### What customers struggled with

<!-- rota:answer struggles long -->
${answer}
<!-- rota:end struggles -->

- Conversations handled: <!-- rota:answer handled number -->4<!-- rota:end handled -->
`;
}

test("many notes read by two threads give what one thread gives, odd files included", async () => {
  const root = tempDir();
  const write = (relative: string, content: string | Buffer) => {
    const file = path.join(root, "notes", relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  for (let i = 0; i < 1_500; i++) {
    const day = String((i % 28) + 1).padStart(2, "0");
    const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, "0");
    const date = `20${20 + Math.floor(i / 336)}-${month}-${day}`;
    const shift = i % 2 ? "emea" : "amer";
    write(
      `${date.slice(0, 4)}/${month}/${date}-${shift}-p${i}.md`,
      note(date, shift, `p${i}`, `é 😀 ${i}`),
    );
  }
  // Among them, files the second thread leaves to the first: bigger than
  // one read, far too big, not UTF-8, not a note, empty, a folder named .md.
  write("2020/01/2020-01-01-emea-big.md", note("2020-01-01", "emea", "big", "x".repeat(100_000)));
  write("2020/01/2020-01-02-emea-huge.md", Buffer.alloc(9 * 1024 * 1024, 120));
  write(
    "2020/01/2020-01-03-emea-latin1.md",
    Buffer.from(note("2020-01-03", "emea", "l", "Zoë"), "latin1"),
  );
  write("2020/01/2020-01-04-emea-binary.md", Buffer.from([0, 1, 2, 255, 0]));
  write("2020/01/2020-01-05-emea-plain.md", "no front matter here\n");
  write("2020/01/2020-01-06-emea-empty.md", "");
  mkdirSync(path.join(root, "notes", "2020", "01", "folder.md"));

  const read = (threads: number) =>
    readNotesTree(root, ["amer", "emea"], (file) => path.relative(root, file), { threads });
  const alone = await read(1);
  const both = await read(2);
  expect(alone.records.length).toBeGreaterThan(1_500);
  expect(alone.warnings.length).toBeGreaterThanOrEqual(4);
  expect(
    alone.records.find((r) => r.person === "big")?.entries[0]?.answers.struggles,
  ).toBeDefined();
  expect(both).toEqual(alone);
});

test("a failure while the read files are taken stops the reading thread", async () => {
  const root = tempDir();
  const files = Array.from({ length: 2_000 }, (_, i) => path.join(root, `f${i}.md`));
  for (const [i, file] of files.entries()) writeFileSync(file, `file ${i}\n`);
  const seen: string[] = [];
  await expect(
    readInBackground(files, (i, bytes) => {
      if (i === 1_200) throw new Error("parsing failed");
      seen.push(bytes?.toString("utf8") ?? "left to this thread");
    }),
  ).rejects.toThrow("parsing failed");
  expect(seen).toEqual(files.slice(0, 1_200).map((_, i) => `file ${i}\n`));
  // And a file it cannot read is left to the caller, in its place.
  const missing = [...files.slice(0, 3), path.join(root, "gone.md"), ...files.slice(3, 5)];
  const taken: (string | undefined)[] = [];
  expect(await readInBackground(missing, (_, bytes) => taken.push(bytes?.toString("utf8")))).toBe(
    true,
  );
  expect(taken).toEqual(["file 0\n", "file 1\n", "file 2\n", undefined, "file 3\n", "file 4\n"]);
});

test("rota site and rota calendar through the built CLI: the same files with one thread or more", async () => {
  const dir = tempDir();
  ticketTeam(dir); // 200 people, two years of daily shifts
  // 1,200 notes: enough for the second thread to read them, and to write the site.
  const rand = (() => {
    let seed = 7;
    return () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
  })();
  for (let i = 0; i < 1_200; i++) {
    const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 3) * 86_400_000);
    const date = day.toISOString().slice(0, 10);
    const folder = path.join(dir, "notes", date.slice(0, 4), date.slice(5, 7));
    mkdirSync(folder, { recursive: true });
    const shift = ["early", "day", "late"][i % 3] as string;
    const end = new Date(day.getTime() + ((i % 3) + 1) * 8 * 3_600_000).toISOString();
    writeNote(folder, { date, shift, person: `p${(i * 7) % 200}`, end }, rand);
  }
  const run = (threads: string, args: string[]) =>
    rota(args, { cwd: dir, env: { ROTA_NOW: NOW, ROTA_THREADS: threads } });
  /** Every file below dir, by relative path, with its text. */
  const tree = (out: string) =>
    Object.fromEntries(
      readdirSync(out, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => {
          const file = path.join(entry.parentPath, entry.name);
          return [path.relative(out, file), readFileSync(file, "utf8")];
        }),
    );
  for (const [command, flag] of [
    ["site", "--out"],
    ["calendar", "--out"],
  ] as const) {
    const one = await run("1", [command, flag, `${command}-1`]);
    const two = await run("2", [command, flag, `${command}-2`]);
    expect(one.code).toBe(0);
    expect(two.stderr.replace(`${command}-2`, `${command}-1`)).toBe(one.stderr);
    const written = tree(path.join(dir, `${command}-2`));
    expect(Object.keys(written).length).toBeGreaterThan(command === "site" ? 1_200 : 200);
    expect(written).toEqual(tree(path.join(dir, `${command}-1`)));
    // Again over what is there: nothing to write, with two threads as with one.
    const again = await run("2", [command, flag, `${command}-2`]);
    expect(again.code).toBe(0);
    expect(tree(path.join(dir, `${command}-2`))).toEqual(written);
  }
  // And the notes' fixes, read by two threads or one.
  const fixes = await Promise.all([run("1", ["fix", "--json"]), run("2", ["fix", "--json"])]);
  expect(fixes[0].code).toBe(0);
  expect(JSON.parse(fixes[0].stdout).length).toBeGreaterThan(0);
  expect(fixes[1].stdout).toBe(fixes[0].stdout);
  const wrong = await run("0", ["site"]);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain("ROTA_THREADS must be a whole number of threads, 1 or more");
});
