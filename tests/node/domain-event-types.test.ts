// The closed list of domain event types (shared/schemas/domain-events.ts) and the database's
// domain_event_type enum must be the same list: zod validates subscriptions with one, the
// triggers write the other.
import pg from "pg";
import { expect, inject, it } from "vitest";
import { DOMAIN_EVENT_TYPES } from "../../shared/schemas/domain-events.ts";

it("DOMAIN_EVENT_TYPES equals enum_range(null::public.domain_event_type)", async () => {
  const client = new pg.Client({ connectionString: inject("adminUrl") });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string[] }>("select enum_range(null::public.domain_event_type)::text[] as t");
    expect([...DOMAIN_EVENT_TYPES]).toEqual(rows[0]!.t);
  } finally {
    await client.end();
  }
});
