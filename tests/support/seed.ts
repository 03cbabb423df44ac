// Each test seeds its own tenant (random slug), so tests are independent and order-free.
import { hs256Token } from "./tokens.ts";
import { withAdmin } from "./db.ts";

export type Role = "owner" | "admin" | "manager" | "employee" | "customer";

export interface SeededUser {
  id: string;
  email: string;
  role: Role;
  department: string | null;
  tenantId: string;
  /** A fresh access token naming this user's tenant. */
  token: () => Promise<string>;
}

export interface SeededTenant {
  id: string;
  slug: string;
  owner: SeededUser;
  admin: SeededUser;
  manager: SeededUser;
  employee: SeededUser;
  colleague: SeededUser;
  customer: SeededUser;
}

const short = () => crypto.randomUUID().slice(0, 8);

export async function createUser(email = `user-${short()}@example.test`): Promise<{ id: string; email: string }> {
  const id = crypto.randomUUID();
  await withAdmin((c) => c.query("insert into auth.users (id, email) values ($1, $2)", [id, email]));
  return { id, email };
}

export async function seedTenant(options: { primaryHost?: string } = {}): Promise<SeededTenant> {
  const id = crypto.randomUUID();
  const slug = `t-${short()}`;
  const people: [keyof Omit<SeededTenant, "id" | "slug">, Role, string | null][] = [
    ["owner", "owner", null],
    ["admin", "admin", null],
    ["manager", "manager", "operations"],
    ["employee", "employee", "sales"],
    ["colleague", "employee", "support"],
    ["customer", "customer", null],
  ];
  const users = people.map(([key, role, department]) => ({
    key,
    id: crypto.randomUUID(),
    email: `${key}-${short()}@${slug}.test`,
    role,
    department,
  }));
  await withAdmin(async (c) => {
    await c.query("begin");
    await c.query("insert into public.tenants (id, slug, name, primary_host) values ($1, $2, $3, $4)", [
      id,
      slug,
      `Tenant ${slug}`,
      options.primaryHost ?? null,
    ]);
    for (const u of users) {
      await c.query("insert into auth.users (id, email) values ($1, $2)", [u.id, u.email]);
      await c.query(
        "insert into public.memberships (tenant_id, user_id, role, department, email, display_name) values ($1, $2, $3, $4, $5, $6)",
        [id, u.id, u.role, u.department, u.email, u.key],
      );
      await c.query("insert into public.user_settings (user_id, active_tenant_id) values ($1, $2)", [u.id, id]);
    }
    await c.query("commit");
  });
  const seeded = { id, slug } as SeededTenant;
  for (const u of users) {
    seeded[u.key] = {
      id: u.id,
      email: u.email,
      role: u.role,
      department: u.department,
      tenantId: id,
      token: () => hs256Token({ id: u.id, email: u.email, tenantId: id }),
    };
  }
  return seeded;
}

export async function addMembership(tenantId: string, userId: string, role: Role, department: string | null = null) {
  await withAdmin((c) =>
    c.query("insert into public.memberships (tenant_id, user_id, role, department) values ($1, $2, $3, $4)", [tenantId, userId, role, department]),
  );
}

export async function setMembershipActive(tenantId: string, userId: string, active: boolean) {
  await withAdmin((c) => c.query("update public.memberships set active = $3 where tenant_id = $1 and user_id = $2", [tenantId, userId, active]));
}
