/** Writes a generated note of `person` for the occurrence `date`/`shift` that ended at `end` into `folder`. */
export function writeNote(
  folder: string,
  occurrence: { date: string; shift: string; person: string; end: string },
  rand: () => number,
): void;
