// Each test seeds its own tenant (random slug), so tests are independent and order-free.
import { hs256Token } from "./tokens.ts";
import { withAdmin } from "./db.ts";

export type Role = "owner" | "admin" | "manager" | "employee" | "customer";

export interface SeededUser {
  id: string;
  email: string;
  role: Role;
  department: string | null;
  departmentId: string | null;
  tenantId: string;
  /** A fresh access token naming this user's tenant. */
  token: () => Promise<string>;
}

export interface SeededTenant {
  id: string;
  slug: string;
  /** Department ids by name: operations, sales, support. */
  departments: Record<string, string>;
  /** The customer record the customer user is linked to. */
  customerRecordId: string;
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
  const people: [keyof Omit<SeededTenant, "id" | "slug" | "departments" | "customerRecordId">, Role, string | null][] = [
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
  const departments: Record<string, string> = { operations: crypto.randomUUID(), sales: crypto.randomUUID(), support: crypto.randomUUID() };
  const customerRecordId = crypto.randomUUID();
  await withAdmin(async (c) => {
    await c.query("begin");
    await c.query("insert into public.tenants (id, slug, name, primary_host) values ($1, $2, $3, $4)", [
      id,
      slug,
      `Tenant ${slug}`,
      options.primaryHost ?? null,
    ]);
    for (const [name, departmentId] of Object.entries(departments)) {
      await c.query("insert into public.departments (id, tenant_id, name) values ($1, $2, $3)", [departmentId, id, name]);
    }
    await c.query("insert into public.customers (id, tenant_id, name, email) values ($1, $2, $3, $4)", [customerRecordId, id, `Customer of ${slug}`, `buyer@${slug}.test`]);
    await c.query(
      `insert into auth.users (id, email) select * from unnest($1::uuid[], $2::text[])`,
      [users.map((u) => u.id), users.map((u) => u.email)],
    );
    await c.query(
      `insert into public.memberships (tenant_id, user_id, role, department_id, email, display_name, customer_id)
       select $1, u.id, u.role::public.member_role, u.department_id, u.email, u.name, case when u.role = 'customer' then $7::uuid end
       from unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[]) as u (id, role, department_id, email, name)`,
      [id, users.map((u) => u.id), users.map((u) => u.role), users.map((u) => (u.department ? departments[u.department] : null)), users.map((u) => u.email), users.map((u) => u.key), customerRecordId],
    );
    await c.query(
      `insert into public.user_settings (user_id, active_tenant_id) select u, $2 from unnest($1::uuid[]) u`,
      [users.map((u) => u.id), id],
    );
    await c.query("commit");
  });
  const seeded = { id, slug, departments, customerRecordId } as SeededTenant;
  for (const u of users) {
    seeded[u.key] = {
      id: u.id,
      email: u.email,
      role: u.role,
      department: u.department,
      departmentId: u.department ? departments[u.department]! : null,
      tenantId: id,
      token: () => hs256Token({ id: u.id, email: u.email, tenantId: id }),
    };
  }
  return seeded;
}

export async function addMembership(tenantId: string, userId: string, role: Role, departmentId: string | null = null) {
  await withAdmin((c) =>
    c.query("insert into public.memberships (tenant_id, user_id, role, department_id) values ($1, $2, $3, $4)", [tenantId, userId, role, departmentId]),
  );
}

export async function setMembershipActive(tenantId: string, userId: string, active: boolean) {
  await withAdmin((c) => c.query("update public.memberships set active = $3 where tenant_id = $1 and user_id = $2", [tenantId, userId, active]));
}

/** Makes a customer record visible to a member (customers.read_assigned), e.g. to link it. */
export async function assignCustomer(tenantId: string, customerId: string, userId: string) {
  await withAdmin((c) => c.query("update public.customers set assigned_to = $3 where tenant_id = $1 and id = $2", [tenantId, customerId, userId]));
}
