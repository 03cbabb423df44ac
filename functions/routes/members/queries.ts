// Members of the caller's active tenant. RLS decides visibility (a person also sees their own
// memberships elsewhere, hence the explicit "current tenant" scope, which is meaning, not security).
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import type { Member, MemberPatch } from "./schema.ts";

type MemberRow = z.infer<typeof Member>;

const MEMBER = `user_id as "userId", email, display_name as "displayName", role, department_id as "departmentId",
  (select d.name from public.departments d where d.tenant_id = m.tenant_id and d.id = m.department_id) as department,
  customer_id as "customerId", active, created_at as "createdAt", updated_at as "updatedAt"`;

export function listMembers(
  q: Queue,
  page: { limit: number; after: unknown[] | null; role?: string; active?: boolean },
) {
  return q.rows<MemberRow & { _cursor: unknown[] }>(
    `select ${MEMBER}, json_build_array(created_at::text, user_id) as "_cursor" from public.memberships m
     where tenant_id = (select private.current_tenant())
       and ($1::public.member_role is null or role = $1)
       and ($2::boolean is null or active = $2)
       and ($3::timestamptz is null or (created_at, user_id) > ($3, $4::uuid))
     order by created_at, user_id
     limit $5`,
    [page.role ?? null, page.active ?? null, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
  );
}

export function getMember(q: Queue, userId: string) {
  return q.one<MemberRow>(
    `select ${MEMBER} from public.memberships m where tenant_id = (select private.current_tenant()) and user_id = $1`,
    [userId],
  );
}

/**
 * One statement that tells "no such member" (visible = false → 404) from "you may not"
 * (visible, nothing updated → 403), with RLS deciding both.
 */
export function updateMember(q: Queue, userId: string, patch: z.infer<typeof MemberPatch>) {
  return q.one<{ visible: boolean } & (MemberRow | { [K in keyof MemberRow]: null })>(
    `with target as (
       select user_id from public.memberships where tenant_id = (select private.current_tenant()) and user_id = $1
     ), updated as (
       update public.memberships m set
         role = coalesce(($2::jsonb ->> 'role')::public.member_role, m.role),
         department_id = case when $2::jsonb ? 'departmentId' then ($2::jsonb ->> 'departmentId')::uuid else m.department_id end,
         customer_id = case when $2::jsonb ? 'customerId' then ($2::jsonb ->> 'customerId')::uuid else m.customer_id end,
         active = coalesce(($2::jsonb ->> 'active')::boolean, m.active)
       where m.tenant_id = (select private.current_tenant()) and m.user_id = $1
       returning ${MEMBER}
     )
     select exists (select 1 from target) as visible, u.*
     from (select 1) one left join updated u on true`,
    [userId, JSON.stringify(patch)],
  );
}
