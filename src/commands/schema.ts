import rosterSchema from "../../schema/roster.schema.json" with { type: "json" };
import type { Context } from "../context.ts";
import { toJson } from "../core/controls.ts";
import { checkNowText } from "../io/clock.ts";

/** `rota schema`: the roster's JSON Schema, for editors and other tools. */
export async function runSchema(ctx: Context): Promise<number> {
  await checkNowText(ctx);
  ctx.out(`${toJson(rosterSchema)}\n`);
  return 0;
}
