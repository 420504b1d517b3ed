import rosterSchema from "../../schema/roster.schema.json" with { type: "json" };
import type { Context } from "../context.ts";
import { toJson } from "../core/controls.ts";

/** `rota schema`: the roster's JSON Schema, for editors and other tools. */
export function runSchema(ctx: Context): number {
  ctx.out(`${toJson(rosterSchema)}\n`);
  return 0;
}
