import rosterSchema from "../../schema/roster.schema.json" with { type: "json" };
import type { Context } from "../context.ts";

/** `rota schema`: the roster's JSON Schema, for editors and other tools. */
export function runSchema(ctx: Context): number {
  ctx.out(`${JSON.stringify(rosterSchema, null, 2)}\n`);
  return 0;
}
