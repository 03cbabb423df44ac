// The JSON body of a SCIM request. A NUL anywhere in it is refused up front (400 invalidValue):
// Postgres text and Supabase Auth both refuse it later, where it would surface as a failure the
// IdP retries for ever.
import type { Context } from "hono";
import type { AppConfig } from "../../types.ts";
import { nulPaths } from "../validation.ts";
import { ScimError } from "./errors.ts";

export async function scimBody(c: Context<AppConfig>): Promise<unknown> {
  let b: unknown;
  try {
    b = await c.req.json();
  } catch {
    throw new ScimError(400, "invalidSyntax", "the body is not JSON");
  }
  const nul = nulPaths(b);
  if (nul.length) throw new ScimError(400, "invalidValue", `${nul[0] || "the body"} contains a NUL character`);
  return b;
}
