import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { readInBackground } from "../src/io/background-reader.ts";
import { readNotesTree } from "../src/io/notes-tree.ts";
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
