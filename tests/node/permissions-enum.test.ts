// The API's permission list (shared/schemas/common.ts) and the database's app_permission enum
// must be the same list, in the same order: zod validates with one, RLS decides with the other.
import pg from "pg";
import { expect, inject, it } from "vitest";
import { PERMISSIONS } from "../../shared/schemas/common.ts";

it("PERMISSIONS equals enum_range(null::public.app_permission)", async () => {
  const client = new pg.Client({ connectionString: inject("adminUrl") });
  await client.connect();
  try {
    const { rows } = await client.query<{ p: string[] }>("select enum_range(null::public.app_permission)::text[] as p");
    expect([...PERMISSIONS]).toEqual(rows[0]!.p);
  } finally {
    await client.end();
  }
});
