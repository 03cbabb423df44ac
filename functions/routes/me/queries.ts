// SQL for the caller's own profile and settings. RLS decides what is visible; these statements
// add no tenant filters of their own.
import type { Queue } from "../../../shared/db/tx.ts";
import type { z } from "@hono/zod-openapi";
import type { Settings, TenantSummary } from "./schema.ts";

type SettingsRow = z.infer<typeof Settings>;
type TenantRow = z.infer<typeof TenantSummary>;

const TENANT_SUMMARY = `t.id, t.slug, t.name, m.role, m.department_id as "departmentId",
  (select d.name from public.departments d where d.tenant_id = m.tenant_id and d.id = m.department_id) as department`;

const SUMMARY_JSON = (t: string, m: string) => `case when ${t}.id is null then null else json_build_object(
  'id', ${t}.id, 'slug', ${t}.slug, 'name', ${t}.name, 'role', ${m}.role, 'departmentId', ${m}.department_id,
  'department', (select d.name from public.departments d where d.tenant_id = ${m}.tenant_id and d.id = ${m}.department_id)) end`;

/**
 * Settings (defaults where none are stored); the tenant this token acts in (its claim, while the
 * membership there is active: exactly what RLS will let the request see), with the caller's role
 * and effective permissions there; and the tenant chosen for the next token, if it differs.
 */
export function selectMe(q: Queue) {
  return q.one<SettingsRow & { tenant: TenantRow | null; next: TenantRow | null; permissions: string[] }>(
    `select coalesce(s.timezone, 'UTC') as timezone,
            coalesce(s.locale, 'en-US') as locale,
            s.active_tenant_id as "activeTenantId",
            (select private.current_permissions())::text[] as permissions,
            ${SUMMARY_JSON("t", "m")} as tenant,
            ${SUMMARY_JSON("nt", "nm")} as next
     from (select (select private.current_user_id()) as user_id, (select private.current_tenant()) as tenant_id) me
     left join public.user_settings s on s.user_id = me.user_id
     left join public.memberships m on m.tenant_id = me.tenant_id and m.user_id = me.user_id
     left join public.tenants t on t.id = m.tenant_id
     left join public.memberships nm on nm.tenant_id = s.active_tenant_id and nm.user_id = me.user_id and nm.active
       and s.active_tenant_id is distinct from me.tenant_id
     left join public.tenants nt on nt.id = nm.tenant_id`,
  );
}

export function upsertSettings(q: Queue, patch: { timezone?: string; locale?: string }) {
  return q.one<SettingsRow>(
    `insert into public.user_settings as s (user_id, timezone, locale)
     values ((select private.current_user_id()), coalesce($1, 'UTC'), coalesce($2, 'en-US'))
     on conflict (user_id) do update
       set timezone = coalesce($1, s.timezone), locale = coalesce($2, s.locale)
     returning timezone, locale, active_tenant_id as "activeTenantId"`,
    [patch.timezone ?? null, patch.locale ?? null],
  );
}

export function selectMyTenants(q: Queue) {
  return q.rows<TenantRow & { active: boolean }>(
    `select ${TENANT_SUMMARY}, coalesce(t.id = s.active_tenant_id, false) as active
     from public.memberships m
     join public.tenants t on t.id = m.tenant_id
     left join public.user_settings s on s.user_id = m.user_id
     where m.user_id = (select private.current_user_id()) and m.active
     order by t.name, t.id`,
  );
}

/** RLS refuses (42501 → 403) an active tenant the caller is not an active member of. */
export function setActiveTenant(q: Queue, tenantId: string) {
  return q.one<{ activeTenantId: string }>(
    `insert into public.user_settings as s (user_id, active_tenant_id)
     values ((select private.current_user_id()), $1)
     on conflict (user_id) do update set active_tenant_id = excluded.active_tenant_id
     returning active_tenant_id as "activeTenantId"`,
    [tenantId],
  );
}

export function selectTenantSummary(q: Queue, tenantId: string) {
  return q.one<TenantRow>(
    `select ${TENANT_SUMMARY}
     from public.tenants t
     join public.memberships m on m.tenant_id = t.id and m.user_id = (select private.current_user_id()) and m.active
     where t.id = $1`,
    [tenantId],
  );
}
