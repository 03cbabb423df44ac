// A member's permissions: role defaults, the stored overrides (user_permissions) and the
// effective set, computed by the same SQL function RLS uses (private.effective_permissions).
// RLS decides what is visible and what may change; the private.may_* helpers are the policies'
// own rules, asked only to tell "you may not" (403) from "nothing to do".
import type { z } from "@hono/zod-openapi";
import type { Queue } from "../../../shared/db/tx.ts";
import type { Permission } from "../../../shared/schemas/common.ts";
import type { PermissionProfile } from "./schema.ts";

type Profile = z.infer<typeof PermissionProfile>;
type PermissionName = z.infer<typeof Permission>;

const PROFILE = `select m.user_id as "userId", m.role,
       private.role_permissions(m.role)::text[] as defaults,
       o.grants::text[] as grants,
       o.revocations::text[] as revocations,
       private.effective_permissions(m.role, o.grants, o.revocations)::text[] as effective
     from public.memberships m
     cross join lateral (
       select array(select up.permission from public.user_permissions up
                    where up.tenant_id = m.tenant_id and up.user_id = m.user_id and up.granted order by up.permission) as grants,
              array(select up.permission from public.user_permissions up
                    where up.tenant_id = m.tenant_id and up.user_id = m.user_id and not up.granted order by up.permission) as revocations
     ) o
     where m.tenant_id = (select private.current_tenant()) and m.user_id = $1`;

/** No row → no such member (404); allowed = false → neither yourself nor permissions.manage (403). */
export function selectProfile(q: Queue, userId: string) {
  return q.one<Profile & { allowed: boolean }>(
    `with profile as (${PROFILE})
     select p.*, (select private.may_read_permissions_of($1)) as allowed from profile p`,
    [userId],
  );
}

/**
 * Upserts the override only for a visible member (visible = false → 404). RLS refuses it
 * (42501 → 403) without permissions.manage, on yourself, on an owner unless you are one, and
 * for a permission that does not fit the member (staff vs customer). The profile is read by the
 * next statement of the same flight, so it shows the change.
 */
export function setOverride(q: Queue, userId: string, permission: PermissionName, granted: boolean) {
  const write = q.one<{ visible: boolean }>(
    `with target as (
       select user_id from public.memberships where tenant_id = (select private.current_tenant()) and user_id = $1
     ), written as (
       insert into public.user_permissions (tenant_id, user_id, permission, granted)
       select (select private.current_tenant()), user_id, $2, $3 from target
       on conflict (tenant_id, user_id, permission) do update set granted = excluded.granted
       returning 1
     )
     select exists (select 1 from target) as visible, exists (select 1 from written) as written`,
    [userId, permission, granted],
  );
  return Promise.all([write, q.one<Profile>(PROFILE, [userId])]).then(([w, profile]) => ({ visible: !!w?.visible, profile }));
}

/** Back to the role's default. A delete RLS filters out is told apart by the same rule (403). */
export function removeOverride(q: Queue, userId: string, permission: PermissionName) {
  const write = q.one<{ visible: boolean; allowed: boolean }>(
    `with target as (
       select user_id from public.memberships where tenant_id = (select private.current_tenant()) and user_id = $1
     ), deleted as (
       delete from public.user_permissions
       where tenant_id = (select private.current_tenant()) and user_id = $1 and permission = $2
       returning 1
     )
     select exists (select 1 from target) as visible, (select private.may_change_permissions_of($1)) as allowed,
            exists (select 1 from deleted) as deleted`,
    [userId, permission],
  );
  return Promise.all([write, q.one<Profile>(PROFILE, [userId])]).then(([w, profile]) => ({
    visible: !!w?.visible,
    allowed: !!w?.allowed,
    profile,
  }));
}
