// Customer rows written with the harness's owner connection, for tests that need a known set.
import { withAdmin } from "../../support/db.ts";

export interface CustomerFixture {
  name: string;
  email?: string | null;
  departmentId?: string | null;
  assignedTo?: string | null;
}

/** Inserts the customers into the tenant and returns their ids, in order. */
export async function insertCustomers(tenantId: string, rows: CustomerFixture[]): Promise<string[]> {
  const ids = rows.map(() => crypto.randomUUID());
  await withAdmin((c) =>
    c.query(
      `insert into public.customers (id, tenant_id, name, email, department_id, assigned_to)
       select u.id, $1, u.name, u.email, u.department_id, u.assigned_to
       from unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::uuid[]) as u (id, name, email, department_id, assigned_to)`,
      [tenantId, ids, rows.map((r) => r.name), rows.map((r) => r.email ?? null), rows.map((r) => r.departmentId ?? null), rows.map((r) => r.assignedTo ?? null)],
    ),
  );
  return ids;
}

/** Audit rows of one resource type written by requests (the harness's seeding has no actor). */
export async function auditRows(tenantId: string, resourceType: string) {
  const res = await withAdmin((c) =>
    c.query<{ action: string; actor_id: string; resource_id: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; request_id: string | null }>(
      `select action, actor_id, resource_id, before, after, request_id from public.audit_log
       where tenant_id = $1 and resource_type = $2 and actor_id is not null order by id`,
      [tenantId, resourceType],
    ),
  );
  return res.rows;
}
