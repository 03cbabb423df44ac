// Customers of the caller's active tenant. RLS decides everything: employees see those assigned
// to them or in their department (all with customers.read_all), customers.write creates and
// changes, customers.delete deletes. The "current tenant" scope below is meaning, not security.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import { deleteVisible } from "../../lib/write-outcome.ts";
import type { Customer, CustomerCreate, CustomerPatch } from "./schema.ts";

type CustomerRow = z.infer<typeof Customer>;
type Nulls<T> = { [K in keyof T]: null };

const CUSTOMER = `c.id, c.name, c.email, c.phone, c.department_id as "departmentId",
  (select d.name from public.departments d where d.tenant_id = c.tenant_id and d.id = c.department_id) as department,
  c.assigned_to as "assignedTo", c.created_at as "createdAt", c.updated_at as "updatedAt"`;

/** `q` as a literal ILIKE pattern: its own %, _ and \ match only themselves. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, "\\$&")}%`;

/** Sorted by lower(name), id (the index's order); the cursor is the last row's key. */
export function listCustomers(q: Queue, page: { limit: number; after: unknown[] | null; search?: string }) {
  return q.rows<CustomerRow & { _cursor: unknown[] }>(
    `select ${CUSTOMER}, json_build_array(lower(c.name), c.id) as "_cursor" from public.customers c
     where c.tenant_id = (select private.current_tenant())
       and ($1::text is null or c.name ilike $1 or c.email ilike $1)
       and ($2::text is null or (lower(c.name), c.id) > ($2, $3::uuid))
     order by lower(c.name), c.id
     limit $4`,
    [page.search ? containsPattern(page.search) : null, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
}

export function selectCustomer(q: Queue, id: string) {
  return q.one<CustomerRow>(
    `select ${CUSTOMER} from public.customers c where c.tenant_id = (select private.current_tenant()) and c.id = $1`,
    [id],
  );
}

/** RLS refuses it without customers.write (42501 → 403); a department or member from elsewhere fails its FK (404). */
export function insertCustomer(q: Queue, input: z.infer<typeof CustomerCreate>) {
  return q.one<CustomerRow>(
    `insert into public.customers as c (tenant_id, name, email, phone, department_id, assigned_to)
     values ((select private.current_tenant()), $1, $2, $3, $4, $5)
     returning ${CUSTOMER}`,
    [input.name, input.email ?? null, input.phone ?? null, input.departmentId ?? null, input.assignedTo ?? null],
  );
}

/** visible = false → 404 (RLS hides it); visible but nothing updated → 403. */
export function updateCustomer(q: Queue, id: string, patch: z.infer<typeof CustomerPatch>) {
  return q.one<{ visible: boolean } & (CustomerRow | Nulls<CustomerRow>)>(
    `with target as (
       select id from public.customers where tenant_id = (select private.current_tenant()) and id = $1
     ), updated as (
       update public.customers c set
         name = coalesce($2::jsonb ->> 'name', c.name),
         email = case when $2::jsonb ? 'email' then $2::jsonb ->> 'email' else c.email end,
         phone = case when $2::jsonb ? 'phone' then $2::jsonb ->> 'phone' else c.phone end,
         department_id = case when $2::jsonb ? 'departmentId' then ($2::jsonb ->> 'departmentId')::uuid else c.department_id end,
         assigned_to = case when $2::jsonb ? 'assignedTo' then ($2::jsonb ->> 'assignedTo')::uuid else c.assigned_to end
       where c.tenant_id = (select private.current_tenant()) and c.id = $1
       returning ${CUSTOMER}
     )
     select exists (select 1 from target) as visible, u.*
     from (select 1) one left join updated u on true`,
    [id, JSON.stringify(patch)],
  );
}

/** visible = false → 404; visible but not deleted → 403 (customers.delete is owner/admin). */
export const deleteCustomer = (q: Queue, id: string) => deleteVisible(q, "public.customers", id);
