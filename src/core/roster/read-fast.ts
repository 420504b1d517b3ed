import { readPlainYaml } from "../yaml-fast.ts";
import type { FastRead } from "./fast.ts";

/**
 * The data of a roster, read the fast way (undefined when the yaml package
 * must read it): line by line where it can be (yaml-block.ts), else by
 * js-yaml. Apart from fast.ts so that rosters read line by line never load
 * js-yaml.
 */
export function readFast(text: string): FastRead {
  return { data: readPlainYaml(text) };
}
