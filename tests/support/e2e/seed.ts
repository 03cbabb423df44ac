// A business in the e2e database: an owner and an employee (the people e2e scenarios act as),
// written as the project owner, like tests/support/seed.ts does for the Worker-pool tests.
import type pg from "pg";
import { hs256Token } from "../tokens.ts";

export interface E2EUser {
  id: string;
  email: string;
  /** A fresh access token naming this user's business. */
  token: () => Promise<string>;
}

export interface E2ETenant {
  id: string;
  slug: string;
  owner: E2EUser;
  employee: E2EUser;
}

const short = () => crypto.randomUUID().slice(0, 8);

export async function seedE2ETenant(db: pg.Pool): Promise<E2ETenant> {
  const id = crypto.randomUUID();
  const slug = `e2e-${short()}`;
  const people = (["owner", "employee"] as const).map((role) => ({ role, id: crypto.randomUUID(), email: `${role}-${short()}@${slug}.test` }));
  const client = await db.connect();
  try {
    await client.query("begin");
    await client.query("insert into public.tenants (id, slug, name) values ($1, $2, $3)", [id, slug, `Business ${slug}`]);
    await client.query("insert into auth.users (id, email) select * from unnest($1::uuid[], $2::text[])", [people.map((p) => p.id), people.map((p) => p.email)]);
    await client.query(
      `insert into public.memberships (tenant_id, user_id, role, email, display_name)
       select $1, u.id, u.role::public.member_role, u.email, u.role from unnest($2::uuid[], $3::text[], $4::text[]) as u (id, role, email)`,
      [id, people.map((p) => p.id), people.map((p) => p.role), people.map((p) => p.email)],
    );
    await client.query("insert into public.user_settings (user_id, active_tenant_id) select u, $2 from unnest($1::uuid[]) u", [people.map((p) => p.id), id]);
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
  const user = (p: (typeof people)[number]): E2EUser => ({ id: p.id, email: p.email, token: () => hs256Token({ id: p.id, email: p.email, tenantId: id }) });
  return { id, slug, owner: user(people[0]!), employee: user(people[1]!) };
}
