// One-statement writes under RLS report what the caller could see: a row they cannot see is
// 404 (the same answer as another tenant's id), a row they see but may not change is 403.
import type { Queue } from "../../shared/db/tx.ts";
import { ApiError } from "../../shared/errors.ts";

export function assertVisible<T extends { visible: boolean }>(result: T | undefined, what: string): asserts result is T {
  if (!result?.visible) throw new ApiError("not_found", what);
}

/**
 * Soft-deletes one row (sets deleted_at) in one statement, telling "not visible" from "not
 * allowed". The table's select policy must let the deleting transaction see its own deletion
 * (see shared/db/tx.ts); its update policy and triggers decide who may.
 */
export function softDeleteVisible(q: Queue, table: `public.${string}`, id: string) {
  return q.one<{ visible: boolean; deleted: boolean }>(
    `with target as (
       select id from ${table} where id = $1
     ), deleted as (
       update ${table} r set deleted_at = now() where r.id in (select id from target) returning r.id
     )
     select exists (select 1 from target) as visible, exists (select 1 from deleted) as deleted`,
    [id],
  );
}

/**
 * Deletes one row of a tenant table in one statement, telling "not visible" from "not allowed".
 * `table` is a constant from the caller (never input).
 */
export function deleteVisible(q: Queue, table: `public.${string}`, id: string) {
  return q.one<{ visible: boolean; deleted: boolean }>(
    `with target as (
       select id from ${table} where tenant_id = (select private.current_tenant()) and id = $1
     ), deleted as (
       delete from ${table} where tenant_id = (select private.current_tenant()) and id = $1 returning id
     )
     select exists (select 1 from target) as visible, exists (select 1 from deleted) as deleted`,
    [id],
  );
}
