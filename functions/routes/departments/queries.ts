// Departments of the caller's active tenant. RLS decides who may read (any member) and write
// (departments.manage); the explicit "current tenant" scope is meaning, not security.
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import { deleteVisible } from "../../lib/write-outcome.ts";
import type { Department } from "./schema.ts";

type DepartmentRow = z.infer<typeof Department>;
type Nulls<T> = { [K in keyof T]: null };

const DEPARTMENT = `id, name, created_at as "createdAt", updated_at as "updatedAt"`;

/** Sorted by name; the cursor is the last (name, id), so inserts between pages skip nothing. */
export function listDepartments(q: Queue, page: { limit: number; after: unknown[] | null }) {
  return q.rows<DepartmentRow & { _cursor: unknown[] }>(
    `select ${DEPARTMENT}, json_build_array(name, id) as "_cursor" from public.departments
     where tenant_id = (select private.current_tenant())
       and ($1::text is null or (name, id) > ($1, $2::uuid))
     order by name, id
     limit $3`,
    [page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
}

/** RLS refuses the row without departments.manage (42501 → 403); a taken name is 23505 → 409. */
export function createDepartment(q: Queue, name: string) {
  return q.one<DepartmentRow>(
    `insert into public.departments (tenant_id, name) values ((select private.current_tenant()), $1)
     returning ${DEPARTMENT}`,
    [name],
  );
}

/** visible = false → 404; visible but nothing updated → 403 (RLS decides both). */
export function renameDepartment(q: Queue, id: string, name: string) {
  return q.one<{ visible: boolean } & (DepartmentRow | Nulls<DepartmentRow>)>(
    `with target as (
       select id from public.departments where tenant_id = (select private.current_tenant()) and id = $1
     ), updated as (
       update public.departments set name = $2
       where tenant_id = (select private.current_tenant()) and id = $1
       returning ${DEPARTMENT}
     )
     select exists (select 1 from target) as visible, u.*
     from (select 1) one left join updated u on true`,
    [id, name],
  );
}

/** Members and customers of the department stay; their foreign keys set department_id to null. */
export const deleteDepartment = (q: Queue, id: string) => deleteVisible(q, "public.departments", id);
